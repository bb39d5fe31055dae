// Legacy 8-bit Vietnamese encodings (TCVN3/ABC and VNI Windows) as they appear in UTF-8 databases:
// text typed in a .VnTime or VNI-Times font, whose bytes were later read as Latin-1/Windows-1252
// and stored as UTF-8 ("Nguyễn Văn An" -> "NguyÔn V¨n An" in TCVN3, "Nguyeãn Vaên An" in VNI).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace dqa::datagen {

// `nfc` (Vietnamese text in NFC) written in TCVN3 (TCVN 5712:1993, the ABC "VN3" font set) as
// mojibake: every TCVN3 byte from 0x80 up becomes the code point U+00XX in UTF-8; ASCII stays.
// nullopt when a character has no TCVN3 code: TCVN3 has upper-case code points only for
// Ă Â Ê Ô Ơ Ư Đ (upper-case letters with a tone mark, "Á", need the separate upper-case font),
// and no code for anything outside the Vietnamese alphabet.
std::optional<std::string> EncodeTcvn3(std::string_view nfc);
// The inverse: every U+00A1..U+00FE of the TCVN3 table back to its Vietnamese letter (NFC);
// anything else is copied. DecodeTcvn3(*EncodeTcvn3(s)) == s for every encodable s.
std::string DecodeTcvn3(std::string_view mojibake);

// `nfc` in VNI Windows as mojibake: a vowel is its ASCII base letter followed by one byte for the
// modifier and tone together ("ấ" = "a" + 0xE1 -> "aá"); đ, ơ, ư, the tones of i and "ỵ" are single
// bytes. Every Vietnamese letter, both cases, has a code. nullopt for other non-ASCII characters.
std::optional<std::string> EncodeVni(std::string_view nfc);
// The inverse (longest match: a base letter with its following byte, then single characters).
std::string DecodeVni(std::string_view mojibake);

}  // namespace dqa::datagen
