// UTF-8 helpers for plugin authors and the core (header-only, std only): decoding, validation,
// encoding, counting and cutting on character boundaries. NFC normalization needs ICU and stays in
// the core (core/util/text.h ToNfc).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace dqa::sdk {

// Decodes one UTF-8 code point at `pos` (strict: no overlongs, surrogates or values > U+10FFFF).
// On success advances `pos` past it; nullopt on invalid or truncated UTF-8 (`pos` unchanged).
constexpr std::optional<char32_t> DecodeUtf8(std::string_view text, size_t& pos) {
  if (pos >= text.size()) return std::nullopt;
  const auto b0 = static_cast<unsigned char>(text[pos]);
  if (b0 < 0x80) {
    ++pos;
    return b0;
  }
  size_t len = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    return std::nullopt;
  }
  if (pos + len > text.size()) return std::nullopt;
  for (size_t i = 1; i < len; ++i) {
    const auto b = static_cast<unsigned char>(text[pos + i]);
    if ((b & 0xC0) != 0x80) return std::nullopt;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
  pos += len;
  return cp;
}

// True when the whole of `text` is valid UTF-8 as DecodeUtf8 reads it ("" is valid).
constexpr bool IsValidUtf8(std::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    if (static_cast<unsigned char>(text[pos]) < 0x80) {
      ++pos;
    } else if (!DecodeUtf8(text, pos)) {
      return false;
    }
  }
  return true;
}

// True when every byte is < 0x80.
constexpr bool IsAscii(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// Appends the UTF-8 encoding of `cp` (1 to 4 bytes). `cp` is not checked: a surrogate or a value
// above U+10FFFF is encoded as its bit pattern says.
inline void AppendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Number of code points, counted as the bytes that are not continuation bytes (10xxxxxx): cheap,
// exact for valid UTF-8, one per stray lead or ASCII byte otherwise. Combining marks count.
constexpr size_t CountCodePoints(std::string_view text) {
  size_t n = 0;
  for (char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

// The length of the longest prefix of `text` of at most `max_bytes` bytes that does not cut a
// UTF-8 character in half: text.size() when it fits, otherwise `max_bytes` moved back over at most
// 3 continuation bytes (text that is not UTF-8 is cut anyway).
constexpr size_t Utf8PrefixLength(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text.size();
  size_t cut = max_bytes;
  for (int i = 0; i < 3 && cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80;
       ++i) {
    --cut;
  }
  return cut;
}

}  // namespace dqa::sdk
