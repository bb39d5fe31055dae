// Vietnamese text in a legacy 8-bit encoding (TCVN3/ABC, VNI-Windows) that an old application
// stored as if it were Latin-1, so that the database holds mojibake in UTF-8 ("NguyÔn V¨n An",
// "Nguyeãn Vaên An" for "Nguyễn Văn An"): detection and decoding (docs/checks.md "Vietnamese name
// matching").
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace dqa {

enum class LegacyEncoding { kTcvn3, kVni };

// "TCVN3" or "VNI" (the names used in findings and docs).
std::string_view LegacyEncodingName(LegacyEncoding encoding);

// Text found to be in a legacy encoding, and its Unicode form (UTF-8, NFC).
struct LegacyText {
  LegacyEncoding encoding = LegacyEncoding::kTcvn3;
  std::string text;
};

// Decodes `text` (UTF-8 whose code points stand for the bytes of the legacy text: U+00A0..U+00FF
// = bytes 0xA0..0xFF, ASCII as itself) from TCVN3 (TCVN 5712:1993 VN3, the ABC fonts): each byte
// is one letter; the upper-case toned letters, which VN3 fonts draw from the lower-case codes, come
// out lower case. nullopt when a code point is above U+00FF or is a byte that VN3 does not assign
// to a letter, or when `text` is not valid UTF-8.
std::optional<std::string> DecodeTcvn3(std::string_view text);

// Same for VNI-Windows: a vowel followed by a mark byte (tone, circumflex + tone, breve + tone),
// and the single bytes of ơ ư đ and of the toned i and ỵ. nullopt when a byte is neither a letter
// nor a mark that the letter before it can take.
std::optional<std::string> DecodeVni(std::string_view text);

// The legacy encoding of `text`, if it is recognised: `text` has a character in U+00A0..U+00FF and
// none above (real Vietnamese nearly always has one above: ă đ ơ ư ạ...); some word of `text` that
// holds such a character is not a Vietnamese syllable as it stands ("V¨n", "Nguyeãn"); and under
// one of the two encodings it decodes, at least half of the words that hold a non-ASCII character
// become Vietnamese syllables (a typing slip made before the encoding leaves one word that is not:
// "NguynÔ ThÞ Nhi"), and more words that were not syllables as written become syllables than
// syllables as written stop being ones, by a larger margin than under the other encoding
// (ASCII-only words are not judged). Only the words that are not syllables as written speak for an
// encoding: Unicode Vietnamese with one mistyped word ("Tô Thu Liêl", whose "Tô" also reads as
// TCVN3 "Tụ") is not detected. So ASCII text, real Vietnamese ("Lê Hà"), and French, Spanish or
// German words are not detected, and text that both encodings explain as well is left alone.
// nullopt otherwise. Cost: one pass when there is no character above U+007F.
std::optional<LegacyText> DetectLegacyVietnamese(std::string_view text);

}  // namespace dqa
