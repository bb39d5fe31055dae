// Text helpers of docs/checks.md: Unicode whitespace, blank values, NFC, and the text form of
// values. The UTF-8 basics are the plugin SDK's (dqaudit/utf8.h), so core and plugins read UTF-8
// the same way; ASCII trimming, case and joining are in dqaudit/text.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dqaudit/utf8.h"

namespace dqa {

// DecodeUtf8(text, pos): one strict code point at `pos`; IsValidUtf8(text); IsAscii(text);
// AppendUtf8(out, code_point).
using sdk::AppendUtf8;
using sdk::DecodeUtf8;
using sdk::IsAscii;
using sdk::IsValidUtf8;

// The code points of UTF-8 `text` into `out` (cleared first, capacity kept); each byte that is not
// valid UTF-8 becomes one U+FFFD.
void ToCodePoints(std::string_view text, std::u32string& out);

// True for the whitespace set of docs/checks.md: Unicode White_Space plus U+200B and U+FEFF.
bool IsWhitespace(char32_t code_point);

// True when `text` is empty or only whitespace. Text that is not valid UTF-8 is never blank.
bool IsBlank(std::string_view text);

// `text` without leading and trailing whitespace (a view into `text`). Trimming stops at an
// undecodable byte: invalid UTF-8 is never removed.
std::string_view TrimWhitespace(std::string_view text);

// `text` in Unicode Normalization Form C (ICU). ASCII (fast path) and text that is already NFC
// are returned unchanged; so is text that is not valid UTF-8 (normalizing would invent characters).
std::string ToNfc(std::string_view text);

// True when `text` is in Unicode Normalization Form C: ASCII at once, other text by ICU's quick
// check on the UTF-8 bytes (no conversion, no allocation). `text` must be valid UTF-8 (IsValidUtf8).
bool IsNfc(std::string_view text);

// Like ToNfc without copying: returns `text` itself when it needs no change, otherwise writes the
// NFC form into `scratch` and returns a view of it.
std::string_view NfcView(std::string_view text, std::string& scratch);
// Every string canonically equivalent to `text` (the strings whose NFC is NFC(text): precomposed
// and decomposed forms of its letters), `text` included; nullopt when there are more than
// `limit` (long texts with many marks) or ICU cannot enumerate them.
std::optional<std::vector<std::string>> CanonicalEquivalents(std::string_view text, size_t limit);

// The caseless form used to compare keys (duplicate `normalize: fold`): NFC, Unicode full case
// folding (ICU), NFC again (folding can decompose), then trimmed of whitespace (IsWhitespace) with
// every inner run of whitespace replaced by one ASCII space. Returns `text` itself when it is
// already in that form, otherwise writes it into `scratch` and returns a view of it. ASCII takes a
// fast path (lower case and spaces only); text that is not valid UTF-8 is returned unchanged.
std::string_view FoldView(std::string_view text, std::string& scratch);

// The most bytes of one data value kept in a sample (a key column's value, a coverage value) or
// quoted in a message (docs/checks.md "Samples"). Samples and messages are then bounded by the
// configuration (samples per check x key columns), never by the size of the data.
constexpr size_t kMaxSampleValueBytes = 256;
// The most bytes of a check's message (a plugin's message, an error naming data).
constexpr size_t kMaxMessageBytes = 1024;

// `text` itself when it has at most `max_bytes` bytes; otherwise its longest prefix of at most
// `max_bytes` bytes that ends on a UTF-8 character boundary, followed by "…(N bytes)" where N is
// the length of `text` ("0123…(100000000 bytes)").
std::string TruncateForDisplay(std::string_view text, size_t max_bytes = kMaxSampleValueBytes);

// Text forms of numbers: INTEGER in decimal ("42"), REAL in shortest round-trip form ("2.5").
std::string IntegerText(int64_t value);
std::string RealText(double value);

// Parses a whole (whitespace-trimmed) text as a decimal number ("12", "-3.5", "+1e3"); nullopt
// when anything else is there, or for NaN/infinity.
std::optional<double> ParseNumber(std::string_view text);

}  // namespace dqa
