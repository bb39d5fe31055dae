#include "scripts/datagen/name_variants.h"

#include <array>
#include <vector>

#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include "dqaudit/utf8.h"

namespace dqa::datagen {
namespace {

using sdk::AppendUtf8;
using sdk::DecodeUtf8;

std::u32string ToCodePoints(std::string_view text) {
  std::u32string out;
  for (size_t pos = 0; pos < text.size();) {
    const size_t start = pos;
    const std::optional<char32_t> cp = DecodeUtf8(text, pos);
    out.push_back(cp ? *cp : static_cast<char32_t>(static_cast<unsigned char>(text[start])));
    if (!cp) pos = start + 1;
  }
  return out;
}

std::string ToUtf8(const std::u32string& cps) {
  std::string out;
  for (char32_t cp : cps) AppendUtf8(out, cp);
  return out;
}

std::string Normalize(std::string_view text, bool compose) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n =
      compose ? icu::Normalizer2::getNFCInstance(status) : icu::Normalizer2::getNFDInstance(status);
  if (U_FAILURE(status)) return std::string(text);
  const icu::UnicodeString in = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  const icu::UnicodeString out = n->normalize(in, status);
  if (U_FAILURE(status)) return std::string(text);
  std::string utf8;
  out.toUTF8String(utf8);
  return utf8;
}

bool IsCombiningMark(char32_t cp) { return cp >= 0x0300 && cp <= 0x036F; }
bool IsToneMark(char32_t cp) {
  return cp == 0x0300 || cp == 0x0301 || cp == 0x0303 || cp == 0x0309 || cp == 0x0323;
}
char32_t Lower(char32_t cp) { return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp; }

// The words of `name` as [begin, end) code point ranges.
std::vector<std::pair<size_t, size_t>> Words(const std::u32string& name) {
  std::vector<std::pair<size_t, size_t>> out;
  for (size_t i = 0; i < name.size();) {
    if (name[i] == U' ') {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < name.size() && name[j] != U' ') ++j;
    out.emplace_back(i, j);
    i = j;
  }
  return out;
}

// Moves the tone of a final oa/oe/uy (in NFD: base letters followed by their marks) of one word.
bool MoveToneInWord(std::u32string& word) {
  // Base letters and the marks after each.
  std::vector<std::pair<char32_t, std::u32string>> letters;
  for (char32_t cp : word) {
    if (IsCombiningMark(cp) && !letters.empty()) {
      letters.back().second.push_back(cp);
    } else {
      letters.emplace_back(cp, U"");
    }
  }
  if (letters.size() < 2) return false;
  auto& first = letters[letters.size() - 2];
  auto& second = letters[letters.size() - 1];
  const std::u32string pair{Lower(first.first), Lower(second.first)};
  if (pair != U"oa" && pair != U"oe" && pair != U"uy") return false;
  if (pair == U"uy" && letters.size() >= 3 && Lower(letters[letters.size() - 3].first) == U'q') return false;
  const auto only_tone = [](const std::u32string& marks) {
    return marks.size() == 1 && IsToneMark(marks[0]);
  };
  if (only_tone(first.second) && second.second.empty()) {
    std::swap(first.second, second.second);
  } else if (first.second.empty() && only_tone(second.second)) {
    std::swap(first.second, second.second);
  } else {
    return false;
  }
  word.clear();
  for (const auto& [base, marks] : letters) {
    word.push_back(base);
    word += marks;
  }
  return true;
}

}  // namespace

const char* CorruptionName(Corruption kind) {
  static constexpr std::array<const char*, static_cast<size_t>(Corruption::kCount)> kNames = {
      "nfd", "no_diacritics", "tone_placement", "d_stroke", "upper_case", "extra_spaces",
      "typo_insertion", "typo_deletion", "typo_substitution", "typo_transposition", "surname_swap",
      "tcvn3", "vni", "birth_day_month_swap", "cccd_transposition", "cccd_substitution",
      "cccd_missing", "other_commune"};
  return kNames[static_cast<size_t>(kind)];
}

std::string ToNfd(std::string_view nfc) { return Normalize(nfc, false); }

std::string StripDiacritics(std::string_view nfc) {
  std::u32string out;
  for (char32_t cp : ToCodePoints(ToNfd(nfc))) {
    if (IsCombiningMark(cp)) continue;
    out.push_back(cp == U'đ' ? U'd' : cp == U'Đ' ? U'D' : cp);
  }
  return Normalize(ToUtf8(out), true);
}

std::string DStrokeToD(std::string_view nfc) {
  std::u32string cps = ToCodePoints(nfc);
  for (char32_t& cp : cps) cp = cp == U'đ' ? U'd' : cp == U'Đ' ? U'D' : cp;
  return ToUtf8(cps);
}

std::string UpperCase(std::string_view nfc) {
  icu::UnicodeString s = icu::UnicodeString::fromUTF8(
      icu::StringPiece(nfc.data(), static_cast<int32_t>(nfc.size())));
  s.toUpper(icu::Locale("vi"));
  std::string out;
  s.toUTF8String(out);
  return Normalize(out, true);
}

std::optional<std::string> OtherTonePlacement(std::string_view nfc) {
  const std::u32string name = ToCodePoints(ToNfd(nfc));
  std::u32string out;
  bool moved = false;
  for (const auto& [b, e] : Words(name)) {
    if (!out.empty()) out.push_back(U' ');
    std::u32string word = name.substr(b, e - b);
    moved = MoveToneInWord(word) || moved;
    out += word;
  }
  if (!moved) return std::nullopt;
  return Normalize(ToUtf8(out), true);
}

std::optional<std::string> SwappedSurname(std::string_view nfc) {
  static const std::array<std::pair<std::string_view, std::string_view>, 4> kSwaps = {
      {{"Hoàng", "Huỳnh"}, {"Huỳnh", "Hoàng"}, {"Vũ", "Võ"}, {"Võ", "Vũ"}}};
  const size_t space = nfc.find(' ');
  const std::string_view surname = nfc.substr(0, space);
  for (const auto& [from, to] : kSwaps) {
    if (surname == from) return std::string(to) + std::string(nfc.substr(surname.size()));
  }
  return std::nullopt;
}

std::string WithExtraSpaces(std::string_view nfc, Rng& rng) {
  std::vector<size_t> spaces;
  for (size_t i = 0; i < nfc.size(); ++i) {
    if (nfc[i] == ' ') spaces.push_back(i);
  }
  std::string out(nfc);
  if (!spaces.empty()) out.insert(spaces[rng.Index(spaces.size())], " ");
  if (spaces.empty() || rng.Chance(0.3)) out += ' ';
  return out;
}

std::optional<std::string> WithTypo(std::string_view nfc, Corruption kind, Rng& rng) {
  std::u32string name = ToCodePoints(nfc);
  // Candidate positions: (index in name) for every non-initial letter a typo of `kind` fits.
  std::vector<size_t> at;
  for (const auto& [b, e] : Words(name)) {
    for (size_t i = b + 1; i <= e; ++i) {
      const bool letter = i < e;
      switch (kind) {
        case Corruption::kTypoInsertion: at.push_back(i); break;  // before name[i] (or at the end)
        case Corruption::kTypoDeletion:
        case Corruption::kTypoSubstitution:
          if (letter) at.push_back(i);
          break;
        case Corruption::kTypoTransposition:
          if (i + 1 < e && name[i] != name[i + 1]) at.push_back(i);
          break;
        default: return std::nullopt;
      }
    }
  }
  if (at.empty()) return std::nullopt;
  const size_t i = at[rng.Index(at.size())];
  const auto random_letter = [&](char32_t differ_from) {
    char32_t c = differ_from;
    while (c == differ_from) c = static_cast<char32_t>('a' + rng.Uniform(0, 25));
    return c;
  };
  switch (kind) {
    case Corruption::kTypoInsertion: name.insert(name.begin() + static_cast<std::ptrdiff_t>(i), random_letter(0)); break;
    case Corruption::kTypoDeletion: name.erase(i, 1); break;
    case Corruption::kTypoSubstitution: name[i] = random_letter(name[i]); break;
    default: std::swap(name[i], name[i + 1]); break;
  }
  return ToUtf8(name);
}

}  // namespace dqa::datagen
