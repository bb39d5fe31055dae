#include "core/checks/comparators.h"

#include <algorithm>
#include <array>
#include <utility>
#include <vector>

#include "core/util/text.h"

namespace dqa {
namespace comparators_detail {

// The bit masks of the pattern's code points for the bit-parallel distance: ASCII by table, other
// code points in a short list (a pattern has at most 64 distinct ones).
class PatternMasks {
 public:
  explicit PatternMasks(std::u32string_view pattern) {
    for (size_t i = 0; i < pattern.size(); ++i) {
      const char32_t c = pattern[i];
      const uint64_t bit = uint64_t{1} << i;
      if (c < ascii_.size()) {
        ascii_[c] |= bit;
        continue;
      }
      auto it = std::find_if(other_.begin(), other_.end(),
                             [c](const auto& entry) { return entry.first == c; });
      if (it == other_.end()) {
        other_.emplace_back(c, bit);
      } else {
        it->second |= bit;
      }
    }
  }

  uint64_t Of(char32_t c) const {
    if (c < ascii_.size()) return ascii_[c];
    for (const auto& [code_point, mask] : other_) {
      if (code_point == c) return mask;
    }
    return 0;
  }

 private:
  std::array<uint64_t, 128> ascii_{};
  std::vector<std::pair<char32_t, uint64_t>> other_;
};

// Myers/Hyyrö: the pattern's column of the DP matrix as vertical +1/-1 bit vectors, one text
// character per step. Requires 1 <= |pattern| <= 64.
size_t BitParallelDistance(std::u32string_view pattern, std::u32string_view text) {
  const PatternMasks masks(pattern);
  const size_t m = pattern.size();
  const uint64_t last = uint64_t{1} << (m - 1);
  uint64_t pv = ~uint64_t{0};
  uint64_t mv = 0;
  size_t score = m;
  for (const char32_t c : text) {
    const uint64_t eq = masks.Of(c);
    const uint64_t xv = eq | mv;
    const uint64_t xh = (((eq & pv) + pv) ^ pv) | eq;
    uint64_t ph = mv | ~(xh | pv);
    uint64_t mh = pv & xh;
    if ((ph & last) != 0) ++score;
    if ((mh & last) != 0) --score;
    // The top row of the matrix grows by one per text character (global distance, not search).
    ph = (ph << 1) | 1;
    mh <<= 1;
    pv = mh | ~(xv | ph);
    mv = ph & xv;
  }
  return score;
}

size_t DynamicProgrammingDistance(std::u32string_view a, std::u32string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// The digits of a CCCD with spaces, dots and dashes removed; nullopt when another character is
// there. Empty when there are no digits.
std::optional<std::string> CccdDigits(std::string_view text) {
  std::string digits;
  for (const char c : TrimWhitespace(text)) {
    if (c >= '0' && c <= '9') {
      digits += c;
    } else if (c != ' ' && c != '.' && c != '-') {
      return std::nullopt;
    }
  }
  return digits;
}

bool IsPlaceholder(std::string_view digits) {
  return digits.find_first_not_of(digits.front()) == std::string_view::npos;
}

// YYYYMMDD as 8 digits (years outside 0..9999 are clamped; they never match one digit off).
std::array<int, 8> DateDigits(const CivilDate& d) {
  const int year = static_cast<int>(std::clamp<int64_t>(d.year, 0, 9999));
  const int month = std::clamp(d.month, 0, 99);
  const int day = std::clamp(d.day, 0, 99);
  return {year / 1000, year / 100 % 10, year / 10 % 10, year % 10,
          month / 10,  month % 10,      day / 10,       day % 10};
}

}  // namespace comparators_detail

std::string_view AgreementName(Agreement agreement) {
  switch (agreement) {
    case Agreement::kUnknown: return "unknown";
    case Agreement::kDisagree: return "disagree";
    case Agreement::kWeak: return "weak";
    case Agreement::kClose: return "close";
    case Agreement::kExact: return "exact";
  }
  return "unknown";
}

double JaroWinkler(std::u32string_view a, std::u32string_view b) {
  if (a.empty() && b.empty()) return 1.0;
  if (a.empty() || b.empty()) return 0.0;
  const size_t window = std::max(a.size(), b.size()) / 2 > 0
                            ? std::max(a.size(), b.size()) / 2 - 1
                            : 0;
  thread_local std::vector<char> a_matched, b_matched;
  a_matched.assign(a.size(), 0);
  b_matched.assign(b.size(), 0);
  size_t matches = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    const size_t lo = i > window ? i - window : 0;
    const size_t hi = std::min(b.size(), i + window + 1);
    for (size_t j = lo; j < hi; ++j) {
      if (b_matched[j] == 0 && a[i] == b[j]) {
        a_matched[i] = b_matched[j] = 1;
        ++matches;
        break;
      }
    }
  }
  if (matches == 0) return 0.0;
  size_t half_transpositions = 0;
  for (size_t i = 0, j = 0; i < a.size(); ++i) {
    if (a_matched[i] == 0) continue;
    while (b_matched[j] == 0) ++j;
    if (a[i] != b[j]) ++half_transpositions;
    ++j;
  }
  const double m = static_cast<double>(matches);
  const double t = static_cast<double>(half_transpositions / 2);
  const double jaro = (m / static_cast<double>(a.size()) + m / static_cast<double>(b.size()) +
                       (m - t) / m) /
                      3.0;
  if (jaro <= 0.7) return jaro;
  size_t prefix = 0;
  while (prefix < 4 && prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  return jaro + static_cast<double>(prefix) * 0.1 * (1.0 - jaro);
}

size_t LevenshteinDistance(std::u32string_view a, std::u32string_view b) {
  if (a.size() > b.size()) std::swap(a, b);
  if (a.empty()) return b.size();
  if (a.size() <= 64) return comparators_detail::BitParallelDistance(a, b);
  return comparators_detail::DynamicProgrammingDistance(a, b);
}

double LevenshteinSimilarity(std::u32string_view a, std::u32string_view b) {
  const size_t longest = std::max(a.size(), b.size());
  if (longest == 0) return 1.0;
  return 1.0 - static_cast<double>(LevenshteinDistance(a, b)) / static_cast<double>(longest);
}

Comparison CompareNames(const NormalizedName& a, const NormalizedName& b) {
  const auto& ta = a.tokens_folded;
  const auto& tb = b.tokens_folded;
  if (ta.empty() || tb.empty()) return {Agreement::kUnknown, 0.0};
  if (a.accented == b.accented) return {Agreement::kExact, 1.0};
  // All pair similarities, then greedy: the best remaining pair first.
  thread_local std::vector<std::u32string> ca, cb;
  ca.resize(ta.size());
  cb.resize(tb.size());
  for (size_t i = 0; i < ta.size(); ++i) ToCodePoints(ta[i], ca[i]);
  for (size_t j = 0; j < tb.size(); ++j) ToCodePoints(tb[j], cb[j]);
  struct Pair {
    double similarity;
    size_t i, j;
  };
  thread_local std::vector<Pair> pairs;
  pairs.clear();
  for (size_t i = 0; i < ca.size(); ++i) {
    for (size_t j = 0; j < cb.size(); ++j) pairs.push_back({JaroWinkler(ca[i], cb[j]), i, j});
  }
  // Ties keep the order of the tokens, so equal names in the same order pair position by position.
  std::stable_sort(pairs.begin(), pairs.end(),
                   [](const Pair& x, const Pair& y) { return x.similarity > y.similarity; });
  thread_local std::vector<char> used_a, used_b;
  used_a.assign(ca.size(), 0);
  used_b.assign(cb.size(), 0);
  double sum = 0;
  bool all_exact = ca.size() == cb.size();
  for (const Pair& p : pairs) {
    if (used_a[p.i] != 0 || used_b[p.j] != 0) continue;
    used_a[p.i] = used_b[p.j] = 1;
    sum += p.similarity;
    all_exact = all_exact && ta[p.i] == tb[p.j];
  }
  const double similarity =
      std::min(1.0, 2.0 * sum / static_cast<double>(ca.size() + cb.size()));
  if (all_exact || similarity >= kNameCloseSimilarity) return {Agreement::kClose, similarity};
  if (similarity >= kNameWeakSimilarity) return {Agreement::kWeak, similarity};
  return {Agreement::kDisagree, similarity};
}

Comparison CompareDates(const std::optional<CivilDate>& a, const std::optional<CivilDate>& b) {
  if (!a || !b) return {Agreement::kUnknown, 0.0};
  if (a->year == b->year && a->month == b->month && a->day == b->day) {
    return {Agreement::kExact, 1.0};
  }
  if (a->year == b->year && a->day == b->month && a->month == b->day) {
    return {Agreement::kClose, kDateSwapSimilarity};
  }
  const auto da = comparators_detail::DateDigits(*a);
  const auto db = comparators_detail::DateDigits(*b);
  size_t differing = 0;
  for (size_t i = 0; i < da.size(); ++i) differing += da[i] != db[i] ? 1 : 0;
  if (differing == 1) return {Agreement::kWeak, kDateDigitSimilarity};
  return {Agreement::kDisagree, 0.0};
}

Comparison CompareCccd(std::string_view a, std::string_view b) {
  using comparators_detail::CccdDigits;
  using comparators_detail::IsPlaceholder;
  const auto da = CccdDigits(a);
  const auto db = CccdDigits(b);
  if (!da || !db || da->empty() || db->empty() || IsPlaceholder(*da) || IsPlaceholder(*db)) {
    return {Agreement::kUnknown, 0.0};
  }
  if (*da == *db) return {Agreement::kExact, 1.0};
  if (da->size() != 12 || db->size() != 12) return {Agreement::kDisagree, 0.0};
  std::array<size_t, 3> diff{};
  size_t count = 0;
  for (size_t i = 0; i < 12; ++i) {
    if ((*da)[i] == (*db)[i]) continue;
    if (count < diff.size()) diff[count] = i;
    ++count;
  }
  if (count == 1) return {Agreement::kWeak, kCccdSubstitutionSimilarity};
  if (count == 2 && diff[1] == diff[0] + 1 && (*da)[diff[0]] == (*db)[diff[1]] &&
      (*da)[diff[1]] == (*db)[diff[0]]) {
    return {Agreement::kClose, kCccdTranspositionSimilarity};
  }
  return {Agreement::kDisagree, 0.0};
}

}  // namespace dqa
