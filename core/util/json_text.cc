#include "core/util/json_text.h"

#include <nlohmann/json.hpp>

#include "core/util/text.h"

namespace dqa {

void AppendJsonString(std::string& out, std::string_view text) {
  if (!IsValidUtf8(text)) {
    out += nlohmann::json(std::string(text))
               .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  size_t plain = 0;  // the start of the bytes not yet appended, none of which needs escaping
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.data() + plain, i - plain);
    plain = i + 1;
    out.push_back('\\');
    switch (c) {
      case '"':
        out.push_back('"');
        break;
      case '\\':
        out.push_back('\\');
        break;
      case '\b':
        out.push_back('b');
        break;
      case '\t':
        out.push_back('t');
        break;
      case '\n':
        out.push_back('n');
        break;
      case '\f':
        out.push_back('f');
        break;
      case '\r':
        out.push_back('r');
        break;
      default:
        out += "u00";
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0xf]);
    }
  }
  out.append(text.data() + plain, text.size() - plain);
  out.push_back('"');
}

std::string JsonStringRows(const std::vector<std::vector<std::string>>& rows) {
  size_t size = 2;
  for (const auto& row : rows) {
    size += 3;
    for (const std::string& v : row) size += v.size() + 3;
  }
  std::string out;
  out.reserve(size);
  out.push_back('[');
  for (size_t r = 0; r < rows.size(); ++r) {
    if (r > 0) out.push_back(',');
    out.push_back('[');
    for (size_t v = 0; v < rows[r].size(); ++v) {
      if (v > 0) out.push_back(',');
      AppendJsonString(out, rows[r][v]);
    }
    out.push_back(']');
  }
  out.push_back(']');
  return out;
}

}  // namespace dqa
