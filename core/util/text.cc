#include "core/util/text.h"

#include <fmt/format.h>

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>

#include <charconv>
#include <cmath>
#include <memory>
#include <system_error>

namespace dqa {

std::optional<char32_t> DecodeUtf8(std::string_view s, size_t& pos) {
  if (pos >= s.size()) return std::nullopt;
  const auto b0 = static_cast<unsigned char>(s[pos]);
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
  if (pos + len > s.size()) return std::nullopt;
  for (size_t i = 1; i < len; ++i) {
    const auto b = static_cast<unsigned char>(s[pos + i]);
    if ((b & 0xC0) != 0x80) return std::nullopt;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
  pos += len;
  return cp;
}

bool IsWhitespace(char32_t c) {
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200B) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
         c == 0x3000 || c == 0xFEFF;
}

bool IsBlank(std::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    const auto cp = DecodeUtf8(text, pos);
    if (!cp || !IsWhitespace(*cp)) return false;
  }
  return true;
}

namespace {

// True when the byte cannot start or end a whitespace code point: most cells start and end with
// a letter or digit, so trimming costs two comparisons.
bool IsPlainAscii(char c) {
  const auto b = static_cast<unsigned char>(c);
  return b > 0x20 && b < 0x80;
}

}  // namespace

std::string_view TrimWhitespace(std::string_view text) {
  size_t start = 0;
  while (start < text.size() && !IsPlainAscii(text[start])) {
    size_t next = start;
    const auto cp = DecodeUtf8(text, next);
    if (!cp || !IsWhitespace(*cp)) break;
    start = next;
  }
  text.remove_prefix(start);
  // From the back: step over continuation bytes to the lead byte (UTF-8 is self-synchronizing)
  // and decode forward; the code point must end exactly where the text does.
  while (!text.empty() && !IsPlainAscii(text.back())) {
    size_t lead = text.size() - 1;
    while (lead > 0 && text.size() - lead < 4 &&
           (static_cast<unsigned char>(text[lead]) & 0xC0) == 0x80) {
      --lead;
    }
    size_t pos = lead;
    const auto cp = DecodeUtf8(text, pos);
    if (!cp || pos != text.size() || !IsWhitespace(*cp)) break;
    text.remove_suffix(text.size() - lead);
  }
  return text;
}

bool IsAscii(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

namespace {

bool IsValidUtf8(std::string_view text) {
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

}  // namespace

std::string_view NfcView(std::string_view text, std::string& scratch) {
  if (IsAscii(text) || !IsValidUtf8(text)) return text;
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) return text;
  // The UTF-8 entry points avoid converting every value to UTF-16; the check alone is cheap and
  // almost all stored text is already NFC.
  const icu::StringPiece piece(text.data(), static_cast<int32_t>(text.size()));
  if (nfc->isNormalizedUTF8(piece, status) && U_SUCCESS(status)) return text;
  status = U_ZERO_ERROR;
  scratch.clear();
  icu::StringByteSink<std::string> sink(&scratch);
  nfc->normalizeUTF8(0, piece, sink, nullptr, status);
  if (U_FAILURE(status)) return text;
  return scratch;
}

std::string ToNfc(std::string_view text) {
  std::string scratch;
  const std::string_view out = NfcView(text, scratch);
  if (out.data() == scratch.data()) return scratch;
  return std::string(out);
}

std::string IntegerText(int64_t value) { return std::to_string(value); }

std::string RealText(double value) {
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, value);
  return std::string(buf, res.ptr);
}

std::optional<double> ParseNumber(std::string_view text) {
  text = TrimWhitespace(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty() || text.front() == '+') return std::nullopt;
  // from_chars would accept "inf"/"nan" spelled out; a number in a cell starts with a digit, a
  // sign or a decimal point.
  const char first = text.front() == '-' && text.size() > 1 ? text[1] : text.front();
  if (!((first >= '0' && first <= '9') || first == '.')) return std::nullopt;
  double value = 0;
  const auto res = std::from_chars(text.data(), text.data() + text.size(), value);
  if (res.ec != std::errc() || res.ptr != text.data() + text.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

std::string TruncateForDisplay(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  size_t cut = max_bytes;
  // Back off over continuation bytes (10xxxxxx) so that no character is cut in half; at most 3,
  // the longest tail of a UTF-8 character (text that is not UTF-8 is cut anyway).
  for (int i = 0; i < 3 && cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80;
       ++i) {
    --cut;
  }
  return fmt::format("{}…({} bytes)", text.substr(0, cut), text.size());
}

}  // namespace dqa
