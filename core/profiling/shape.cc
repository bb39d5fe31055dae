#include "core/profiling/shape.h"

#include <re2/re2.h>
#include <unicode/uchar.h>

#include "core/util/text.h"

namespace dqa::profiling {
namespace {

constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // U+2026

}  // namespace

std::string ValueShape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  size_t length = 0;
  while (pos < text.size()) {
    if (length == kMaxShapeLength) {
      out += kEllipsis;
      break;
    }
    ++length;
    const auto b = static_cast<unsigned char>(text[pos]);
    if (b < 0x80) {  // ASCII fast path: most cells are ASCII
      ++pos;
      if (b >= '0' && b <= '9') {
        out += '9';
      } else if (b >= 'A' && b <= 'Z') {
        out += 'A';
      } else if (b >= 'a' && b <= 'z') {
        out += 'a';
      } else if (b < 0x20 && b != '\t' && b != '\n' && b != '\r') {
        out += '?';
      } else if (b == 0x7F) {
        out += '?';
      } else {
        out += static_cast<char>(b);
      }
      continue;
    }
    const auto cp = DecodeUtf8(text, pos);
    if (!cp) {
      ++pos;
      out += '?';
      continue;
    }
    switch (u_charType(static_cast<UChar32>(*cp))) {
      case U_UPPERCASE_LETTER:
      case U_TITLECASE_LETTER:
        out += 'A';
        break;
      case U_LOWERCASE_LETTER:
      case U_MODIFIER_LETTER:
      case U_OTHER_LETTER:
        out += 'a';
        break;
      case U_CONTROL_CHAR:
        out += IsWhitespace(*cp) ? static_cast<char>(*cp) : '?';
        break;
      default:
        sdk::AppendUtf8(out, *cp);
    }
  }
  return out;
}

std::string ShapeRegex(std::string_view shape) {
  if (shape.ends_with(kEllipsis) || shape.find('?') != std::string_view::npos) return "";
  std::string out = "^";
  size_t i = 0;
  while (i < shape.size()) {
    const char c = shape[i];
    if (c == '9' || c == 'A' || c == 'a') {
      size_t run = 1;
      while (i + run < shape.size() && shape[i + run] == c) ++run;
      out += c == '9' ? "[0-9]" : c == 'A' ? "[\\p{Lu}\\p{Lt}]" : "[\\p{Ll}\\p{Lm}\\p{Lo}]";
      if (run > 1) out += "{" + std::to_string(run) + "}";
      i += run;
      continue;
    }
    if (c == '\t' || c == '\n' || c == '\r') {  // escaped so the regex stays on one line
      out += c == '\t' ? "\\t" : c == '\n' ? "\\n" : "\\r";
      ++i;
      continue;
    }
    // One literal code point (possibly multi-byte), quoted.
    size_t next = i;
    if (!DecodeUtf8(shape, next)) next = i + 1;
    out += RE2::QuoteMeta(shape.substr(i, next - i));
    i = next;
  }
  return out + "$";
}

}  // namespace dqa::profiling
