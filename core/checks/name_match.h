// Vietnamese person names normalised for matching (docs/checks.md "Vietnamese name matching"):
// one function that the fuzzy duplicate check runs once per row, before blocking and comparing.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dqa {

// A name in the two forms that are compared. Tokens are the words of each form, in order, so that
// `accented` is the tokens joined by one ASCII space (same for `folded`).
struct NormalizedName {
  // NFC, Unicode simple case folding ("NGUYỄN" -> "nguyễn"), whitespace (docs/checks.md set)
  // trimmed and collapsed to one space, and the tone mark of each Vietnamese syllable moved to its
  // canonical letter: the classic placement "hòa", "thúy", "khỏe", "ủy" (the new-style "hoà",
  // "thuý", "khoẻ", "uỷ" map to these). A word that is not a Vietnamese syllable keeps its marks
  // where they are (NFC).
  std::string accented;
  // `accented` without any combining mark (tones, modifiers, accents of foreign letters) and with
  // đ mapped to d: "nguyễn văn đức" -> "nguyen van duc".
  std::string folded;
  std::vector<std::string> tokens_accented;
  std::vector<std::string> tokens_folded;
};

// Normalises `text` (UTF-8, any normal form). Bytes that are not valid UTF-8 become U+FFFD each.
// Blank text gives empty strings and no tokens. ASCII text takes a fast path (lower case and
// whitespace only, no ICU call). Thread-safe; text in a legacy encoding is not decoded here (see
// core/checks/legacy_vietnamese.h: decode first, then normalise).
NormalizedName NormalizeName(std::string_view text);

// Same, into `out`, reusing the capacity of its strings and vectors: the per-row form, which
// allocates nothing once `out` has held a name as long.
void NormalizeNameInto(std::string_view text, NormalizedName& out);

}  // namespace dqa
