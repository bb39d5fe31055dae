// Field comparators for record linkage (docs/checks.md "Vietnamese name matching"): similarities
// in [0, 1] and the discrete agreement levels that Fellegi-Sunter match weights are estimated on.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/checks/name_match.h"
#include "core/util/dates.h"
#include "core/util/text.h"

namespace dqa {

// How far two values agree. kUnknown: a side has no usable value (absent, blank, a placeholder);
// it is neutral (match weight 0) and its similarity is 0, never evidence against a match.
enum class Agreement : uint8_t { kUnknown, kDisagree, kWeak, kClose, kExact };

// "unknown", "disagree", "weak", "close", "exact".
std::string_view AgreementName(Agreement agreement);

struct Comparison {
  Agreement level = Agreement::kUnknown;
  double similarity = 0;  // in [0, 1]
};

// The comparators take code points: ToCodePoints (core/util/text.h) converts UTF-8 once per value.

// Jaro-Winkler similarity on code points: Jaro with the match window max(|a|,|b|)/2 - 1, then
// Winkler's boost p = 0.1 for a common prefix of up to 4 when Jaro exceeds 0.7. Two empty strings
// are 1, one empty string 0. MARTHA/MARHTA = 0.9611, DWAYNE/DUANE = 0.84.
double JaroWinkler(std::u32string_view a, std::u32string_view b);

// Levenshtein distance (insert, delete, substitute, each 1) on code points: bit-parallel
// (Myers 1999 in Hyyrö's form) when the shorter string has at most 64 code points, two-row dynamic
// programming beyond.
size_t LevenshteinDistance(std::u32string_view a, std::u32string_view b);

// 1 - distance / max(|a|, |b|); 1 for two empty strings.
double LevenshteinSimilarity(std::u32string_view a, std::u32string_view b);

// Two normalised names, token by token and independent of token order: each token of the name
// with fewer tokens is paired greedily (best pair first) with a distinct token of the other by
// Jaro-Winkler on the folded tokens; similarity = 2 * sum(pair similarities) / (tokens of a +
// tokens of b), so an unpaired token counts 0. Levels: kExact when the accented forms are equal;
// kClose when the folded token multisets are equal (diacritics, tone placement or order differ) or
// similarity >= kNameCloseSimilarity; kWeak when >= kNameWeakSimilarity; kUnknown when a name has
// no token; else kDisagree.
constexpr double kNameCloseSimilarity = 0.92;
constexpr double kNameWeakSimilarity = 0.80;
Comparison CompareNames(const NormalizedName& a, const NormalizedName& b);

// Two birth dates, as calendar dates (CivilDate of core/util/dates.h, the SDK's: a date read as
// Unix seconds is CivilFromDays(DayOf(seconds))). kExact (1.0) when equal; kClose (kDateSwapSimilarity) when day and month are
// swapped in the same year (03/04 vs 04/03); kWeak (kDateDigitSimilarity) when the 8 digits of
// YYYYMMDD differ in exactly one place (1985 vs 1986, 12 vs 13); kUnknown when a side is nullopt;
// else kDisagree (0).
constexpr double kDateSwapSimilarity = 0.9;
constexpr double kDateDigitSimilarity = 0.7;
Comparison CompareDates(const std::optional<CivilDate>& a, const std::optional<CivilDate>& b);

// Two CCCD (citizen identity card) numbers. The digits are compared after removing spaces, dots
// and dashes. kUnknown when a side is empty, holds another character, or is a placeholder of one
// repeated digit ("000000000000"). kExact (1.0) when the digits are equal; when both have 12
// digits, kClose (kCccdTranspositionSimilarity) for one swap of adjacent digits and kWeak
// (kCccdSubstitutionSimilarity) for one digit substituted; else kDisagree (0).
constexpr double kCccdTranspositionSimilarity = 0.9;
constexpr double kCccdSubstitutionSimilarity = 0.8;
Comparison CompareCccd(std::string_view a, std::string_view b);

}  // namespace dqa
