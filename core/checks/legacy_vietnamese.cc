#include "core/checks/legacy_vietnamese.h"

#include <array>
#include <cstddef>
#include <vector>

#include "core/checks/vietnamese_syllable.h"
#include "core/util/text.h"

namespace dqa {
namespace legacy_vn_detail {

// TCVN 5712:1993 VN3 (TCVN3, "ABC"): the bytes that are letters. Bytes 0xA1..0xFE not listed
// (0xAF..0xB4, 0xBA, 0xC0..0xC5, 0xCD, 0xD9..0xDB, 0xE0, 0xF0) are not letters of VN3 and make
// the detector refuse the text.
struct Tcvn3Pair {
  unsigned char byte;
  char32_t letter;
};
constexpr std::array<Tcvn3Pair, 74> kTcvn3 = {{
    {0xA1, U'Ă'}, {0xA2, U'Â'}, {0xA3, U'Ê'}, {0xA4, U'Ô'}, {0xA5, U'Ơ'}, {0xA6, U'Ư'},
    {0xA7, U'Đ'}, {0xA8, U'ă'}, {0xA9, U'â'}, {0xAA, U'ê'}, {0xAB, U'ô'}, {0xAC, U'ơ'},
    {0xAD, U'ư'}, {0xAE, U'đ'},
    {0xB5, U'à'}, {0xB6, U'ả'}, {0xB7, U'ã'}, {0xB8, U'á'}, {0xB9, U'ạ'},
    {0xBB, U'ằ'}, {0xBC, U'ẳ'}, {0xBD, U'ẵ'}, {0xBE, U'ắ'}, {0xC6, U'ặ'},
    {0xC7, U'ầ'}, {0xC8, U'ẩ'}, {0xC9, U'ẫ'}, {0xCA, U'ấ'}, {0xCB, U'ậ'},
    {0xCC, U'è'}, {0xCE, U'ẻ'}, {0xCF, U'ẽ'}, {0xD0, U'é'}, {0xD1, U'ẹ'},
    {0xD2, U'ề'}, {0xD3, U'ể'}, {0xD4, U'ễ'}, {0xD5, U'ế'}, {0xD6, U'ệ'},
    {0xD7, U'ì'}, {0xD8, U'ỉ'}, {0xDC, U'ĩ'}, {0xDD, U'í'}, {0xDE, U'ị'},
    {0xDF, U'ò'}, {0xE1, U'ỏ'}, {0xE2, U'õ'}, {0xE3, U'ó'}, {0xE4, U'ọ'},
    {0xE5, U'ồ'}, {0xE6, U'ổ'}, {0xE7, U'ỗ'}, {0xE8, U'ố'}, {0xE9, U'ộ'},
    {0xEA, U'ờ'}, {0xEB, U'ở'}, {0xEC, U'ỡ'}, {0xED, U'ớ'}, {0xEE, U'ợ'},
    {0xEF, U'ù'}, {0xF1, U'ủ'}, {0xF2, U'ũ'}, {0xF3, U'ú'}, {0xF4, U'ụ'},
    {0xF5, U'ừ'}, {0xF6, U'ử'}, {0xF7, U'ữ'}, {0xF8, U'ứ'}, {0xF9, U'ự'},
    {0xFA, U'ỳ'}, {0xFB, U'ỷ'}, {0xFC, U'ỹ'}, {0xFD, U'ý'}, {0xFE, U'ỵ'},
}};

// The letter of a VN3 byte, 0 when it is not one; a table by byte, built from the pairs.
constexpr std::array<char32_t, 256> MakeTcvn3Table() {
  std::array<char32_t, 256> table{};
  for (const Tcvn3Pair& p : kTcvn3) table[p.byte] = p.letter;
  return table;
}
constexpr std::array<char32_t, 256> kTcvn3Table = MakeTcvn3Table();

// VNI-Windows mark bytes: which series (what the letter before must be) and which tone.
enum class VniSeries : uint8_t { kNone, kTone, kCircumflex, kBreve };
struct VniMark {
  VniSeries series = VniSeries::kNone;
  VnTone tone = VnTone::kLevel;
};

constexpr VniMark MarkOf(char32_t c) {
  switch (c) {
    case 0xF8: case 0xD8: return {VniSeries::kTone, VnTone::kGrave};       // ø Ø
    case 0xF9: case 0xD9: return {VniSeries::kTone, VnTone::kAcute};       // ù Ù
    case 0xFB: case 0xDB: return {VniSeries::kTone, VnTone::kHook};        // û Û
    case 0xF5: case 0xD5: return {VniSeries::kTone, VnTone::kTilde};       // õ Õ
    case 0xEF: case 0xCF: return {VniSeries::kTone, VnTone::kDotBelow};    // ï Ï
    case 0xE2: case 0xC2: return {VniSeries::kCircumflex, VnTone::kLevel};  // â Â
    case 0xE0: case 0xC0: return {VniSeries::kCircumflex, VnTone::kGrave};  // à À
    case 0xE1: case 0xC1: return {VniSeries::kCircumflex, VnTone::kAcute};  // á Á
    case 0xE5: case 0xC5: return {VniSeries::kCircumflex, VnTone::kHook};   // å Å
    case 0xE3: case 0xC3: return {VniSeries::kCircumflex, VnTone::kTilde};  // ã Ã
    case 0xE4: case 0xC4: return {VniSeries::kCircumflex, VnTone::kDotBelow};  // ä Ä
    case 0xEA: case 0xCA: return {VniSeries::kBreve, VnTone::kLevel};       // ê Ê
    case 0xE8: case 0xC8: return {VniSeries::kBreve, VnTone::kGrave};       // è È
    case 0xE9: case 0xC9: return {VniSeries::kBreve, VnTone::kAcute};       // é É
    case 0xFA: case 0xDA: return {VniSeries::kBreve, VnTone::kHook};        // ú Ú
    case 0xFC: case 0xDC: return {VniSeries::kBreve, VnTone::kTilde};       // ü Ü
    case 0xEB: case 0xCB: return {VniSeries::kBreve, VnTone::kDotBelow};    // ë Ë
    default: return {};
  }
}

// VNI-Windows single-byte letters; base 0 when the byte is not one.
constexpr VnLetter VniLetterOf(char32_t c) {
  switch (c) {
    case 0xF4: return {U'o', VnModifier::kHorn, VnTone::kLevel};   // ô = ơ
    case 0xD4: return {U'O', VnModifier::kHorn, VnTone::kLevel};   // Ô = Ơ
    case 0xF6: return {U'u', VnModifier::kHorn, VnTone::kLevel};   // ö = ư
    case 0xD6: return {U'U', VnModifier::kHorn, VnTone::kLevel};   // Ö = Ư
    case 0xF1: return {0x0111, VnModifier::kNone, VnTone::kLevel};  // ñ = đ
    case 0xD1: return {0x0110, VnModifier::kNone, VnTone::kLevel};  // Ñ = Đ
    case 0xEC: return {U'i', VnModifier::kNone, VnTone::kGrave};   // ì
    case 0xCC: return {U'I', VnModifier::kNone, VnTone::kGrave};
    case 0xED: return {U'i', VnModifier::kNone, VnTone::kAcute};   // í
    case 0xCD: return {U'I', VnModifier::kNone, VnTone::kAcute};
    case 0xE6: return {U'i', VnModifier::kNone, VnTone::kHook};    // æ = ỉ
    case 0xC6: return {U'I', VnModifier::kNone, VnTone::kHook};
    case 0xF3: return {U'i', VnModifier::kNone, VnTone::kTilde};   // ó = ĩ
    case 0xD3: return {U'I', VnModifier::kNone, VnTone::kTilde};
    case 0xF2: return {U'i', VnModifier::kNone, VnTone::kDotBelow};  // ò = ị
    case 0xD2: return {U'I', VnModifier::kNone, VnTone::kDotBelow};
    case 0xEE: return {U'y', VnModifier::kNone, VnTone::kDotBelow};  // î = ỵ
    case 0xCE: return {U'Y', VnModifier::kNone, VnTone::kDotBelow};
    default: return {};
  }
}

// The code points of `text` when all are at most U+00FF and it is valid UTF-8.
bool Latin1CodePoints(std::string_view text, std::u32string& out) {
  out.clear();
  size_t pos = 0;
  while (pos < text.size()) {
    const auto c = DecodeUtf8(text, pos);
    if (!c || *c > 0xFF) return false;
    out.push_back(*c);
  }
  return true;
}

char32_t LowerAscii(char32_t c) { return c >= U'A' && c <= U'Z' ? c - U'A' + U'a' : c; }

bool IsAsciiLetter(char32_t c) { return LowerAscii(c) >= U'a' && LowerAscii(c) <= U'z'; }

// Words of `text` split at whitespace and at ASCII characters that are not letters.
template <typename Fn>
bool AllWords(std::u32string_view text, Fn&& fn) {
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    const bool separator =
        i == text.size() || IsWhitespace(text[i]) || (text[i] < 0x80 && !IsAsciiLetter(text[i]));
    if (!separator) continue;
    if (i > start && !fn(text.substr(start, i - start))) return false;
    start = i + 1;
  }
  return true;
}

// The letters of Unicode Vietnamese (NFC) in U+00A0..U+00FF: the vowels with a grave, acute or
// tilde (ã õ only) and â ê ô. Every other character of that range (¨ ª µ Þ ø ö ï ñ ...) is one that
// Unicode Vietnamese never writes, and only a legacy encoding explains.
bool IsVietnameseLatin1Letter(char32_t c) {
  switch (c | 0x20) {  // lower case: U+00C0..U+00DE -> U+00E0..U+00FE
    case 0xE0: case 0xE1: case 0xE2: case 0xE3:  // à á â ã
    case 0xE8: case 0xE9: case 0xEA:             // è é ê
    case 0xEC: case 0xED:                        // ì í
    case 0xF2: case 0xF3: case 0xF4: case 0xF5:  // ò ó ô õ
    case 0xF9: case 0xFA: case 0xFD:             // ù ú ý
      return c >= 0xC0;
    default:
      return false;
  }
}

// True when `word` could be Unicode Vietnamese as typed: ASCII letters and Vietnamese letters only.
bool WrittenInVietnameseLetters(std::u32string_view word) {
  for (const char32_t c : word) {
    if (!(c < 0x80 ? IsAsciiLetter(c) : IsVietnameseLatin1Letter(c))) return false;
  }
  return true;
}

// True when one typing slip explains `word` as a Vietnamese syllable: undoing the insertion of an
// ASCII letter (delete it), the substitution of one (replace it by a letter), the deletion of a
// letter (insert one) or the swap of two neighbours turns it into one ("Baùi" <- "Bùi", "Tâ" <-
// "Tâm", "Liêl" <- "Liên"). Letters are those of Vietnamese, lower case (the syllable test folds).
bool OneSlipFromSyllable(std::u32string_view word) {
  static constexpr std::u32string_view kLetters =
      U"aáàảãạăắằẳẵặâấầẩẫậeéèẻẽẹêếềểễệiíìỉĩịoóòỏõọôốồổỗộơớờởỡợuúùủũụưứừửữựyýỳỷỹỵđbcdghklmnpqrstvx";
  std::u32string edited;
  for (size_t i = 0; i <= word.size(); ++i) {
    for (const char32_t letter : kLetters) {  // a deleted letter, put back
      edited.assign(word.substr(0, i)).push_back(letter);
      edited.append(word.substr(i));
      if (IsVietnameseSyllable(edited)) return true;
    }
    if (i == word.size()) break;
    if (i + 1 < word.size()) {  // two neighbours swapped
      edited.assign(word);
      std::swap(edited[i], edited[i + 1]);
      if (IsVietnameseSyllable(edited)) return true;
    }
    if (word[i] >= 0x80) continue;
    edited.assign(word.substr(0, i)).append(word.substr(i + 1));  // an inserted ASCII letter
    if (!edited.empty() && IsVietnameseSyllable(edited)) return true;
    for (const char32_t letter : kLetters) {  // an ASCII letter typed for another
      edited.assign(word);
      edited[i] = letter;
      if (IsVietnameseSyllable(edited)) return true;
    }
  }
  return false;
}

bool HasNonAscii(std::u32string_view word) {
  for (const char32_t c : word) {
    if (c >= 0x80) return true;
  }
  return false;
}

}  // namespace legacy_vn_detail

std::string_view LegacyEncodingName(LegacyEncoding encoding) {
  return encoding == LegacyEncoding::kTcvn3 ? "TCVN3" : "VNI";
}

std::optional<std::string> DecodeTcvn3(std::string_view text) {
  using namespace legacy_vn_detail;
  thread_local std::u32string code_points;
  if (!Latin1CodePoints(text, code_points)) return std::nullopt;
  std::string out;
  out.reserve(text.size() + text.size() / 2);
  for (const char32_t c : code_points) {
    if (c < 0x80) {
      out += static_cast<char>(c);
      continue;
    }
    const char32_t letter = kTcvn3Table[c];
    if (letter == 0) return std::nullopt;
    AppendUtf8(out, letter);
  }
  return out;
}

std::optional<std::string> DecodeVni(std::string_view text) {
  using namespace legacy_vn_detail;
  thread_local std::u32string code_points;
  if (!Latin1CodePoints(text, code_points)) return std::nullopt;
  std::string out;
  out.reserve(text.size() + text.size() / 2);
  for (size_t i = 0; i < code_points.size(); ++i) {
    const char32_t c = code_points[i];
    VnLetter letter = c < 0x80 ? VnLetter{c, VnModifier::kNone, VnTone::kLevel} : VniLetterOf(c);
    if (letter.base == 0) return std::nullopt;  // a mark with no letter before it, or a symbol
    const char32_t lower = LowerAscii(letter.base);
    const bool vowel = lower == U'a' || lower == U'e' || lower == U'o' || lower == U'u' ||
                       lower == U'y';
    const VniMark mark = i + 1 < code_points.size() ? MarkOf(code_points[i + 1]) : VniMark{};
    const bool plain_vowel = vowel && letter.modifier == VnModifier::kNone;
    bool takes = false;
    switch (mark.series) {
      case VniSeries::kTone:  // a e o u y, ơ ư
        takes = vowel && letter.tone == VnTone::kLevel;
        break;
      case VniSeries::kCircumflex:  // â ê ô
        takes = plain_vowel && (lower == U'a' || lower == U'e' || lower == U'o');
        if (takes) letter.modifier = VnModifier::kCircumflex;
        break;
      case VniSeries::kBreve:  // ă
        takes = plain_vowel && lower == U'a';
        if (takes) letter.modifier = VnModifier::kBreve;
        break;
      case VniSeries::kNone:
        break;
    }
    if (takes) {
      letter.tone = mark.tone;
      ++i;
    }
    AppendVnLetter(letter, /*fold=*/false, out);
  }
  return out;
}

std::optional<LegacyText> DetectLegacyVietnamese(std::string_view text) {
  using namespace legacy_vn_detail;
  if (IsAscii(text)) return std::nullopt;
  thread_local std::u32string code_points;
  if (!Latin1CodePoints(text, code_points)) return std::nullopt;
  bool has_latin1_letter_range = false;
  for (const char32_t c : code_points) has_latin1_letter_range |= c >= 0xA0;
  if (!has_latin1_letter_range) return std::nullopt;
  // The words holding a non-ASCII character, and whether each is a Vietnamese syllable as written.
  // Only those that are not ("V¨n", "Nguyeãn") can speak for an encoding: a word that already is
  // one ("Tô", "Thò") is Unicode Vietnamese, or mojibake that reads as Vietnamese either way, so
  // Unicode text with one mistyped word ("Tô Thu Liêl") is never taken for mojibake however its
  // other words happen to decode. Text whose every such word is a syllable is left alone.
  thread_local std::vector<bool> written_syllable;
  written_syllable.clear();
  size_t not_syllables = 0;
  std::u32string_view odd_word;  // the last word that is not a syllable
  AllWords(code_points, [&](std::u32string_view word) {
    if (!HasNonAscii(word)) return true;
    written_syllable.push_back(IsVietnameseSyllable(word));
    if (!written_syllable.back()) {
      ++not_syllables;
      odd_word = word;
    }
    return true;
  });
  // One such word, in Vietnamese letters and one typing slip away from a syllable, is Unicode
  // Vietnamese with a slip ("Bùi Bích Tâ", "Baùi Thanh Nhung") as well as it is mojibake: the
  // detector does not report text that reads as Unicode, so it leaves it alone. Two such words
  // ("Nguyeãn Vaên An"), a character that Unicode Vietnamese does not write ("NguyÔn V¨n"), or a
  // word that no slip explains ("Nguyeãn Thò Lan") can be mojibake.
  if (not_syllables == 0) return std::nullopt;
  if (not_syllables == 1 && WrittenInVietnameseLetters(odd_word) && OneSlipFromSyllable(odd_word)) {
    return std::nullopt;
  }
  const size_t words = written_syllable.size();
  struct Candidate {
    LegacyEncoding encoding;
    std::string text;
    ptrdiff_t evidence = 0;
  };
  std::vector<Candidate> candidates;
  const auto consider = [&](LegacyEncoding encoding, std::optional<std::string> decoded) {
    if (!decoded) return;
    thread_local std::u32string decoded_code_points;
    ToCodePoints(*decoded, decoded_code_points);
    // The decoded words line up with the raw ones: both split at whitespace and ASCII
    // non-letters, and every decoded non-ASCII letter comes from a non-ASCII byte.
    size_t index = 0, syllables = 0;
    ptrdiff_t gained = 0, lost = 0;
    AllWords(decoded_code_points, [&](std::u32string_view word) {
      if (!HasNonAscii(word) || index >= words) return true;
      const bool syllable = IsVietnameseSyllable(word);
      syllables += syllable ? 1 : 0;
      gained += syllable && !written_syllable[index] ? 1 : 0;
      lost += !syllable && written_syllable[index] ? 1 : 0;
      ++index;
      return true;
    });
    // It explains the text when at least half of the words become syllables (a typing slip before
    // the encoding leaves one word that is not: "NguynÔ ThÞ Nhi") and it turns more words that are
    // not syllables into syllables than it breaks syllables as written.
    if (index == words && syllables * 2 >= words && gained > lost) {
      candidates.push_back({encoding, std::move(*decoded), gained - lost});
    }
  };
  consider(LegacyEncoding::kTcvn3, DecodeTcvn3(text));
  consider(LegacyEncoding::kVni, DecodeVni(text));
  if (candidates.empty()) return std::nullopt;
  if (candidates.size() == 2 && candidates[0].evidence == candidates[1].evidence) {
    return std::nullopt;  // both encodings explain it as well: ambiguous
  }
  const Candidate& best = candidates.size() == 1 || candidates[0].evidence > candidates[1].evidence
                              ? candidates[0]
                              : candidates[1];
  return LegacyText{best.encoding, best.text};
}

}  // namespace dqa
