#include "core/checks/vietnamese_syllable.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <string_view>

#include "core/util/text.h"

namespace dqa {
namespace vn_syllable_detail {

constexpr char32_t kDStroke = 0x0111;  // đ

// The vowel a letter spells, as its precomposed tone-less code point; 0 for a consonant, and for
// a vowel with a modifier it cannot take (ê with a breve), kInvalid.
constexpr char32_t kInvalid = 0xFFFF;
char32_t VowelOf(const VnLetter& letter) {
  const VnModifier m = letter.modifier;
  switch (letter.base) {
    case U'a':
      return m == VnModifier::kNone ? U'a'
             : m == VnModifier::kBreve ? U'ă'
             : m == VnModifier::kCircumflex ? U'â'
                                            : kInvalid;
    case U'e':
      return m == VnModifier::kNone ? U'e' : m == VnModifier::kCircumflex ? U'ê' : kInvalid;
    case U'o':
      return m == VnModifier::kNone ? U'o'
             : m == VnModifier::kCircumflex ? U'ô'
             : m == VnModifier::kHorn ? U'ơ'
                                      : kInvalid;
    case U'u':
      return m == VnModifier::kNone ? U'u' : m == VnModifier::kHorn ? U'ư' : kInvalid;
    case U'i':
    case U'y':
      return m == VnModifier::kNone ? letter.base : kInvalid;
    default:
      return 0;
  }
}

// A cluster of the orthography and where a coda may follow it.
enum class CodaRule : uint8_t { kEither, kNone, kRequired };
struct Nucleus {
  std::u32string_view vowels;
  CodaRule coda;
};

// The vowel clusters (nuclei with their glides) of Vietnamese spelling. The onset glide of "qu"
// and "gi" is taken by the onset, so "quốc" has the nucleus "ô" and "giường" has "ươ".
constexpr std::array<Nucleus, 48> kNuclei = {{
    {U"a", CodaRule::kEither},     {U"ă", CodaRule::kRequired},  {U"â", CodaRule::kRequired},
    {U"e", CodaRule::kEither},     {U"ê", CodaRule::kEither},    {U"i", CodaRule::kEither},
    {U"o", CodaRule::kEither},     {U"ô", CodaRule::kEither},    {U"ơ", CodaRule::kEither},
    {U"u", CodaRule::kEither},     {U"ư", CodaRule::kEither},    {U"y", CodaRule::kEither},
    {U"ai", CodaRule::kNone},      {U"ao", CodaRule::kNone},     {U"au", CodaRule::kNone},
    {U"ay", CodaRule::kNone},      {U"âu", CodaRule::kNone},     {U"ây", CodaRule::kNone},
    {U"eo", CodaRule::kNone},      {U"êu", CodaRule::kNone},     {U"ia", CodaRule::kNone},
    {U"iê", CodaRule::kRequired},  {U"iu", CodaRule::kNone},     {U"oa", CodaRule::kEither},
    {U"oă", CodaRule::kRequired},  {U"oe", CodaRule::kEither},   {U"oi", CodaRule::kNone},
    {U"ôi", CodaRule::kNone},      {U"ơi", CodaRule::kNone},     {U"oo", CodaRule::kRequired},
    {U"ua", CodaRule::kNone},      {U"uâ", CodaRule::kRequired}, {U"uê", CodaRule::kEither},
    {U"ui", CodaRule::kNone},      {U"uô", CodaRule::kRequired}, {U"uơ", CodaRule::kNone},
    {U"uy", CodaRule::kEither},    {U"ưa", CodaRule::kNone},     {U"ưi", CodaRule::kNone},
    {U"ươ", CodaRule::kRequired},  {U"ưu", CodaRule::kNone},     {U"yê", CodaRule::kRequired},
    {U"iêu", CodaRule::kNone},     {U"oai", CodaRule::kNone},    {U"oay", CodaRule::kNone},
    {U"oeo", CodaRule::kNone},     {U"uây", CodaRule::kNone},    {U"uôi", CodaRule::kNone},
}};
// Three-vowel nuclei that did not fit the table's rows of three.
constexpr std::array<Nucleus, 6> kMoreNuclei = {{
    {U"uya", CodaRule::kNone},
    {U"uyê", CodaRule::kRequired},
    {U"uyu", CodaRule::kNone},
    {U"ươi", CodaRule::kNone},
    {U"ươu", CodaRule::kNone},
    {U"yêu", CodaRule::kNone},
}};

constexpr std::array<std::u32string_view, 28> kOnsets = {
    U"",  U"b",  U"c",  U"ch", U"d",  U"đ",  U"g",   U"gh", U"gi", U"h",
    U"k", U"kh", U"l",  U"m",  U"n",  U"ng", U"ngh", U"nh", U"p",  U"ph",
    U"qu", U"r", U"s",  U"t",  U"th", U"tr", U"v",  U"x"};
constexpr std::array<std::u32string_view, 9> kCodas = {U"",   U"c",  U"ch", U"m", U"n",
                                                        U"ng", U"nh", U"p",  U"t"};

template <size_t N>
bool Contains(const std::array<std::u32string_view, N>& set, std::u32string_view key) {
  return std::find(set.begin(), set.end(), key) != set.end();
}

const Nucleus* FindNucleus(std::u32string_view key) {
  for (const Nucleus& n : kNuclei) {
    if (n.vowels == key) return &n;
  }
  for (const Nucleus& n : kMoreNuclei) {
    if (n.vowels == key) return &n;
  }
  return nullptr;
}

bool IsConsonant(const VnLetter& l) {
  return l.modifier == VnModifier::kNone && l.tone == VnTone::kLevel &&
         ((l.base >= U'a' && l.base <= U'z') || l.base == kDStroke) && VowelOf(l) == 0;
}

// The letters [begin, end) as a key of at most 4 code points (vowels as their tone-less vowel);
// false when longer or when a letter is neither a vowel nor a consonant.
bool KeyOf(const std::vector<VnLetter>& letters, size_t begin, size_t end,
           std::array<char32_t, 4>& buf, std::u32string_view& key) {
  if (end - begin > buf.size()) return false;
  for (size_t i = begin; i < end; ++i) {
    const char32_t v = VowelOf(letters[i]);
    if (v == kInvalid) return false;
    buf[i - begin] = v != 0 ? v : letters[i].base;
  }
  key = std::u32string_view(buf.data(), end - begin);
  return true;
}

}  // namespace vn_syllable_detail

void AppendFoldedNfd(char32_t code_point, std::u32string& out) {
  const auto folded = static_cast<char32_t>(u_foldCase(static_cast<UChar32>(code_point),
                                                       U_FOLD_CASE_DEFAULT));
  if (folded < 0xC0) {  // nothing below U+00C0 decomposes
    out.push_back(folded);
    return;
  }
  UErrorCode status = U_ZERO_ERROR;
  static const icu::Normalizer2* const nfd = icu::Normalizer2::getNFDInstance(status);
  thread_local icu::UnicodeString decomposition;
  if (nfd == nullptr || !nfd->getDecomposition(static_cast<UChar32>(folded), decomposition)) {
    out.push_back(folded);
    return;
  }
  for (int32_t i = 0; i < decomposition.length();) {
    const UChar32 c = decomposition.char32At(i);
    out.push_back(static_cast<char32_t>(c));
    i += U16_LENGTH(c);
  }
}

bool IsVietnameseSyllable(std::u32string_view word) {
  thread_local std::u32string nfd;
  thread_local std::vector<VnLetter> letters;
  nfd.clear();
  for (const char32_t c : word) AppendFoldedNfd(c, nfd);
  VnSyllable syllable;
  return SplitVnLetters(nfd, letters) && ParseVnSyllable(letters, /*strict=*/true, syllable);
}

bool SplitVnLetters(const std::u32string& nfd_word, std::vector<VnLetter>& letters) {
  letters.clear();
  for (const char32_t c : nfd_word) {
    VnModifier modifier = VnModifier::kNone;
    VnTone tone = VnTone::kLevel;
    switch (c) {
      case 0x0302: modifier = VnModifier::kCircumflex; break;
      case 0x0306: modifier = VnModifier::kBreve; break;
      case 0x031B: modifier = VnModifier::kHorn; break;
      case 0x0300: tone = VnTone::kGrave; break;
      case 0x0301: tone = VnTone::kAcute; break;
      case 0x0309: tone = VnTone::kHook; break;
      case 0x0303: tone = VnTone::kTilde; break;
      case 0x0323: tone = VnTone::kDotBelow; break;
      default:
        // Any other combining mark (U+0300..U+036F and the rest of class Mn is not checked: the
        // callers give NFD text in which Vietnamese letters decompose only to the marks above).
        if (c >= 0x0300 && c <= 0x036F) return false;
        letters.push_back({c, VnModifier::kNone, VnTone::kLevel});
        continue;
    }
    if (letters.empty()) return false;
    VnLetter& last = letters.back();
    if (modifier != VnModifier::kNone) {
      if (last.modifier != VnModifier::kNone) return false;
      last.modifier = modifier;
    } else {
      if (last.tone != VnTone::kLevel) return false;
      last.tone = tone;
    }
  }
  return true;
}

bool ParseVnSyllable(const std::vector<VnLetter>& letters, bool strict, VnSyllable& out) {
  using namespace vn_syllable_detail;
  const size_t n = letters.size();
  size_t v = 0;
  while (v < n && VowelOf(letters[v]) == 0) {
    if (!IsConsonant(letters[v])) return false;
    ++v;
  }
  if (v == n) return false;  // no vowel
  // "qu" + vowel and "gi" + vowel: the u and the i belong to the onset.
  if (v + 1 < n && VowelOf(letters[v + 1]) != 0 && letters[v].modifier == VnModifier::kNone &&
      ((v == 1 && letters[0].base == U'q' && letters[1].base == U'u') ||
       (v == 1 && letters[0].base == U'g' && letters[1].base == U'i'))) {
    ++v;
  }
  size_t e = v;
  while (e < n && VowelOf(letters[e]) != 0) ++e;
  for (size_t i = e; i < n; ++i) {
    if (!IsConsonant(letters[i])) return false;
  }
  std::array<char32_t, 4> onset_buf{}, nucleus_buf{}, coda_buf{};
  std::u32string_view onset, nucleus_key, coda;
  if (!KeyOf(letters, 0, v, onset_buf, onset) || !KeyOf(letters, v, e, nucleus_buf, nucleus_key) ||
      !KeyOf(letters, e, n, coda_buf, coda)) {
    return false;
  }
  if (!Contains(kOnsets, onset) || !Contains(kCodas, coda)) return false;
  const Nucleus* nucleus = FindNucleus(nucleus_key);
  if (nucleus == nullptr) return false;
  if ((nucleus->coda == CodaRule::kNone && !coda.empty()) ||
      (nucleus->coda == CodaRule::kRequired && coda.empty())) {
    return false;
  }
  VnTone tone = VnTone::kLevel;
  for (const VnLetter& l : letters) {
    if (l.tone == VnTone::kLevel) continue;
    if (tone != VnTone::kLevel) return false;  // two tone marks
    tone = l.tone;
  }
  if (strict && (coda == U"c" || coda == U"ch" || coda == U"p" || coda == U"t") &&
      tone != VnTone::kAcute && tone != VnTone::kDotBelow) {
    return false;
  }
  out.nucleus_begin = v;
  out.nucleus_end = e;
  out.tone = tone;
  size_t position = e;
  for (size_t i = v; i < e; ++i) {
    if (letters[i].modifier != VnModifier::kNone) position = i;
  }
  if (position == e) {
    const size_t len = e - v;
    position = !coda.empty() ? e - 1 : len == 3 ? v + 1 : v;
  }
  out.canonical_tone_position = position;
  return true;
}

void AppendVnLetter(const VnLetter& letter, bool fold, std::string& out) {
  using namespace vn_syllable_detail;
  if (fold) {
    AppendUtf8(out, letter.base == kDStroke ? U'd' : letter.base);
    return;
  }
  static constexpr std::array<char32_t, 4> kModifierMark = {0, 0x0302, 0x0306, 0x031B};
  static constexpr std::array<char32_t, 6> kToneMark = {0, 0x0300, 0x0301, 0x0309, 0x0303, 0x0323};
  const char32_t modifier = kModifierMark[static_cast<size_t>(letter.modifier)];
  const char32_t tone = kToneMark[static_cast<size_t>(letter.tone)];
  // Compose in canonical order: horn (ccc 216) and dot below (220) before circumflex, breve and
  // the other tones (230), so that every pair is a primary composite (ệ = ẹ + U+0302).
  std::array<char32_t, 2> marks{};
  size_t count = 0;
  if (letter.modifier == VnModifier::kHorn) marks[count++] = modifier;
  if (letter.tone == VnTone::kDotBelow) marks[count++] = tone;
  if (modifier != 0 && letter.modifier != VnModifier::kHorn) marks[count++] = modifier;
  if (tone != 0 && letter.tone != VnTone::kDotBelow) marks[count++] = tone;
  UErrorCode status = U_ZERO_ERROR;
  static const icu::Normalizer2* const nfc = icu::Normalizer2::getNFCInstance(status);
  char32_t composed = letter.base;
  size_t i = 0;
  for (; i < count && nfc != nullptr; ++i) {
    const UChar32 c = nfc->composePair(static_cast<UChar32>(composed), static_cast<UChar32>(marks[i]));
    if (c < 0) break;
    composed = static_cast<char32_t>(c);
  }
  AppendUtf8(out, composed);
  for (; i < count; ++i) AppendUtf8(out, marks[i]);
}

}  // namespace dqa
