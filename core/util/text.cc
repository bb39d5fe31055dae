#include "core/util/text.h"

#include <fmt/format.h>

#include <unicode/bytestream.h>
#include <unicode/caniter.h>
#include <unicode/casemap.h>
#include <unicode/normalizer2.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <memory>
#include <system_error>

namespace dqa {

bool IsWhitespace(char32_t c) {
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200B) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
         c == 0x3000 || c == 0xFEFF;
}

void ToCodePoints(std::string_view text, std::u32string& out) {
  out.clear();
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t start = pos;
    const auto c = DecodeUtf8(text, pos);
    if (!c) pos = start + 1;
    out.push_back(c.value_or(U'\uFFFD'));
  }
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

namespace {

// ICU's NFC normaliser, looked up once (nullptr when ICU cannot load its data).
const icu::Normalizer2* NfcNormalizer() {
  static const icu::Normalizer2* const nfc = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFCInstance(status);
    return U_SUCCESS(status) ? n : nullptr;
  }();
  return nfc;
}

}  // namespace

namespace {

// IsAscii eight bytes at a time: the first test of every NFC lookup in the row loop.
bool AllAscii(std::string_view text) {
  constexpr uint64_t kHighBits = 0x8080808080808080ull;
  size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, text.data() + i, sizeof word);
    if ((word & kHighBits) != 0) return false;
  }
  for (; i < text.size(); ++i) {
    if (static_cast<unsigned char>(text[i]) >= 0x80) return false;
  }
  return true;
}

}  // namespace

bool IsNfc(std::string_view text) {
  if (AllAscii(text)) return true;
  const icu::Normalizer2* nfc = NfcNormalizer();
  if (nfc == nullptr) return true;  // cannot tell: never claim a difference ICU cannot show
  // The UTF-8 entry point avoids converting every value to UTF-16; the check alone is cheap and
  // almost all stored text is already NFC.
  UErrorCode status = U_ZERO_ERROR;
  const bool normal =
      nfc->isNormalizedUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())), status);
  return normal || U_FAILURE(status);
}

std::string_view NfcView(std::string_view text, std::string& scratch) {
  // ASCII text (most cells) is NFC: one pass decides, before the UTF-8 validation.
  if (AllAscii(text)) return text;
  if (!IsValidUtf8(text) || IsNfc(text)) return text;
  const icu::Normalizer2* nfc = NfcNormalizer();
  UErrorCode status = U_ZERO_ERROR;
  const icu::StringPiece piece(text.data(), static_cast<int32_t>(text.size()));
  scratch.clear();
  icu::StringByteSink<std::string> sink(&scratch);
  nfc->normalizeUTF8(0, piece, sink, nullptr, status);
  if (U_FAILURE(status)) return text;
  return scratch;
}

std::optional<std::vector<std::string>> CanonicalEquivalents(std::string_view text,
                                                            size_t limit) {
  UErrorCode status = U_ZERO_ERROR;
  icu::CanonicalIterator it(
      icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size()))),
      status);
  if (U_FAILURE(status)) return std::nullopt;
  std::vector<std::string> out;
  for (icu::UnicodeString u = it.next(); !u.isBogus(); u = it.next()) {
    if (out.size() >= limit) return std::nullopt;
    std::string utf8;
    u.toUTF8String(utf8);
    out.push_back(std::move(utf8));
  }
  return out;
}

std::string ToNfc(std::string_view text) {
  std::string scratch;
  const std::string_view out = NfcView(text, scratch);
  if (out.data() == scratch.data()) return scratch;
  return std::string(out);
}

namespace {

bool IsAsciiSpace(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

// ASCII `text` in lower case, trimmed, each inner run of spaces as one ' ' (FoldView's fast path).
std::string_view FoldAscii(std::string_view text, std::string& scratch) {
  size_t start = 0, end = text.size();
  while (start < end && IsAsciiSpace(text[start])) ++start;
  while (end > start && IsAsciiSpace(text[end - 1])) --end;
  bool changed = start > 0 || end < text.size();
  for (size_t i = start; i < end && !changed; ++i) {
    const char c = text[i];
    changed = (c >= 'A' && c <= 'Z') || (IsAsciiSpace(c) && (c != ' ' || IsAsciiSpace(text[i + 1])));
  }
  if (!changed) return text;
  scratch.clear();
  for (size_t i = start; i < end; ++i) {
    const char c = text[i];
    if (IsAsciiSpace(c)) {
      if (!IsAsciiSpace(text[i - 1])) scratch += ' ';
    } else {
      scratch += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
  }
  return scratch;
}

// Valid UTF-8 `text`, trimmed, each inner run of whitespace as one ' ', appended to `out`.
void AppendCollapsed(std::string_view text, std::string& out) {
  text = TrimWhitespace(text);
  size_t pos = 0;
  bool in_space = false;
  while (pos < text.size()) {
    const size_t at = pos;
    const auto cp = DecodeUtf8(text, pos);
    if (cp && IsWhitespace(*cp)) {
      in_space = true;
      continue;
    }
    if (in_space) out += ' ';
    in_space = false;
    out.append(text.substr(at, pos - at));
  }
}

}  // namespace

std::string_view FoldView(std::string_view text, std::string& scratch) {
  if (IsAscii(text)) return FoldAscii(text, scratch);
  if (!IsValidUtf8(text)) return text;
  UErrorCode status = U_ZERO_ERROR;
  std::string nfc_scratch;
  const std::string_view composed = NfcView(text, nfc_scratch);
  std::string folded;
  icu::StringByteSink<std::string> sink(&folded);
  icu::CaseMap::utf8Fold(U_FOLD_CASE_DEFAULT,
                         icu::StringPiece(composed.data(), static_cast<int32_t>(composed.size())),
                         sink, nullptr, status);
  if (U_FAILURE(status)) return text;
  std::string refolded;
  const std::string_view normal = NfcView(folded, refolded);
  scratch.clear();
  AppendCollapsed(normal, scratch);
  if (scratch == text) return text;
  return scratch;
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
  return fmt::format("{}…({} bytes)", text.substr(0, sdk::Utf8PrefixLength(text, max_bytes)),
                     text.size());
}

}  // namespace dqa
