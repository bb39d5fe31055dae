#include "reports/html/escape.h"

#include <cctype>
#include <cstdint>

#include "dqaudit/utf8.h"

namespace dqa::reports {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

}  // namespace

std::string EscapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    const auto u = static_cast<uint8_t>(c);
    if (u >= 0x80) {
      // Strict decoding (no overlongs, surrogates or values above U+10FFFF), as everywhere else.
      size_t next = i;
      if (!sdk::DecodeUtf8(text, next)) {
        out += kReplacement;
        ++i;
      } else {
        out.append(text.substr(i, next - i));
        i = next;
      }
      continue;
    }
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case '\t':
      case '\n':
        out += c;
        break;
      default:
        if (u < 0x20 || u == 0x7F) {
          out += kReplacement;
        } else {
          out += c;
        }
    }
    ++i;
  }
  return out;
}

}  // namespace dqa::reports

namespace dqa::reports {

std::string RelativeHref(std::string_view file_name) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = "./";
  for (char ch : file_name) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~') {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

}  // namespace dqa::reports
