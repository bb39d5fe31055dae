// Vietnamese syllables as letters and one tone: the analysis that name normalisation (tone-mark
// placement) and legacy-encoding detection (is this decoded text Vietnamese?) share.
// docs/checks.md "Vietnamese name matching".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dqa {

// The five marked tones of Vietnamese; kLevel (ngang) has no mark.
enum class VnTone : uint8_t { kLevel, kGrave, kAcute, kHook, kTilde, kDotBelow };

// The vowel and consonant modifiers: â ê ô (circumflex), ă (breve), ơ ư (horn).
enum class VnModifier : uint8_t { kNone, kCircumflex, kBreve, kHorn };

// One letter of a case-folded word: a base code point ('a'..'z', U+0111 đ, or anything else), its
// modifier and the tone mark written on it (kLevel when none).
struct VnLetter {
  char32_t base = 0;
  VnModifier modifier = VnModifier::kNone;
  VnTone tone = VnTone::kLevel;
};

// The parts of a word that spells one Vietnamese syllable: onset (with "qu" and "gi" taken as
// onsets), nucleus (vowels and glides, one of the ~45 clusters of the orthography, compatible with
// the coda) and coda (c ch m n ng nh p t or none). Indexes are into the letters.
struct VnSyllable {
  size_t nucleus_begin = 0;
  size_t nucleus_end = 0;  // one past the nucleus; the coda runs to the end
  VnTone tone = VnTone::kLevel;
  // The letter that carries the tone in the canonical placement: the modified vowel (the last
  // one: ươ -> ơ); else the last vowel of a closed syllable (toán, huỳnh); else the only vowel, the
  // first of two (the classic placement: hòa, khỏe, thúy, ủy, múa, kìa) or the middle of three
  // (ngoài, khuỷu).
  size_t canonical_tone_position = 0;
};

// Appends `code_point` case-folded (Unicode simple case folding) and in its full canonical
// decomposition (NFD) to `out`: "Ễ" -> e U+0302 U+0303. ICU's NFD data, through one shared instance.
void AppendFoldedNfd(char32_t code_point, std::u32string& out);

// True when `word` (code points, no whitespace) is, case-folded, one Vietnamese syllable in the strict
// sense of ParseVnSyllable: letters of the orthography only, no digit or symbol.
bool IsVietnameseSyllable(std::u32string_view word);

// Splits one case-folded word given as NFD code points ("nguyễn" = n g u y e U+0302 U+0303 n) into
// letters. Returns false, leaving `letters` in an unspecified state, when the word holds a
// combining mark that is not Vietnamese, a mark with no letter before it, two modifiers or two tone
// marks on one letter.
bool SplitVnLetters(const std::u32string& nfd_word, std::vector<VnLetter>& letters);

// Parses letters as one Vietnamese syllable into `out`. False when they are not one: a foreign
// word, a letter with a modifier it cannot take, two tone marks in the word, a vowel after the coda,
// an onset, nucleus or coda that the orthography does not have.
// With `strict`, also refuses the combinations that no Vietnamese word has, which legacy detection
// needs and tone placement does not: a stop coda (c ch p t) with a tone other than acute or dot.
bool ParseVnSyllable(const std::vector<VnLetter>& letters, bool strict, VnSyllable& out);

// Appends the NFC code point(s) of `letter` (precomposed when Unicode has one, as for every
// Vietnamese letter) to `out` as UTF-8; `fold` drops the modifier and the tone and maps đ to d.
void AppendVnLetter(const VnLetter& letter, bool fold, std::string& out);

}  // namespace dqa
