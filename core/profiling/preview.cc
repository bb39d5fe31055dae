#include "core/profiling/preview.h"

#include <fmt/format.h>

#include "core/util/text.h"

namespace dqa::profiling {

std::string QuotedPreview(std::string_view s, PreviewStyle style) {
  constexpr int kMaxCodePoints = 40;
  std::string out = "\"";
  size_t pos = 0;
  int n = 0;
  while (pos < s.size()) {
    if (++n > kMaxCodePoints) {
      out += "…";
      break;
    }
    const size_t start = pos;
    const auto cp = DecodeUtf8(s, pos);
    const bool visible = style == PreviewStyle::kVisible;
    if (!cp) {
      out += visible ? fmt::format("\\x{:02X}", static_cast<unsigned char>(s[pos])) : "?";
      ++pos;
    } else if (*cp < 0x20 || *cp == 0x7F) {
      out += visible ? fmt::format("\\x{:02X}", static_cast<unsigned>(*cp)) : " ";
    } else if (visible && IsWhitespace(*cp) && *cp != ' ') {
      out += fmt::format("\\u{:04X}", static_cast<unsigned>(*cp));
    } else if (!visible && (*cp == 0x2028 || *cp == 0x2029 || *cp == 0x85)) {
      out += ' ';
    } else {
      out.append(s.substr(start, pos - start));
    }
  }
  return out + "\"";
}

}  // namespace dqa::profiling
