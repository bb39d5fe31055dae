// ASCII text helpers for plugin authors and the core (header-only, std only): trimming, case,
// digits and joining. Bytes >= 0x80 are never touched, so UTF-8 text passes through unchanged.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dqa::sdk {

// The C locale's isspace set: space, \t, \n, \v, \f, \r.
inline constexpr std::string_view kAsciiWhitespace = " \t\n\v\f\r";

// True when `c` is one of kAsciiWhitespace (independent of the process locale).
constexpr bool IsAsciiSpace(char c) { return kAsciiWhitespace.find(c) != std::string_view::npos; }

// `text` without the leading and trailing bytes that are in `chars` (a view into `text`). The
// default trims kAsciiWhitespace; pass " " to trim spaces only, " \t\n\r" for the usual line
// whitespace. Unicode whitespace (U+00A0, U+3000...) is not removed: the core's TrimWhitespace is.
constexpr std::string_view TrimAscii(std::string_view text,
                                     std::string_view chars = kAsciiWhitespace) {
  const size_t begin = text.find_first_not_of(chars);
  if (begin == std::string_view::npos) return text.substr(text.size());
  return text.substr(begin, text.find_last_not_of(chars) - begin + 1);
}

// `text` with 'A'..'Z' turned into 'a'..'z'; every other byte (digits, punctuation, UTF-8
// sequences such as "Đ") is copied unchanged, whatever the process locale.
inline std::string ToLowerAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// True when `text` is not empty and every byte is '0'..'9' (no sign, space or separator).
constexpr bool IsAsciiDigits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// `text` wrapped in `quote`, each `quote` inside doubled: Enquote("it's", '\'') == "'it''s'".
// The escaping of SQL identifiers and literals and of CSV fields (dqaudit/sql.h, dqaudit/csv.h).
inline std::string Enquote(std::string_view text, char quote) {
  std::string out(1, quote);
  out.reserve(text.size() + 2);
  for (char c : text) {
    if (c == quote) out += quote;
    out += c;
  }
  out += quote;
  return out;
}

// The items with `separator` between each two of them: Join({"a", "", "b"}, ",") == "a,,b";
// "" for no items.
inline std::string Join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += separator;
    out += items[i];
  }
  return out;
}

}  // namespace dqa::sdk
