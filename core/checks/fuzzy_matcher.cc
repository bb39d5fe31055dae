// FuzzyMatcher: normalise once per record, block on several keys, compare each candidate pair
// once, score with Fellegi-Sunter weights, cluster by union-find.
#include "core/checks/fuzzy_matcher.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <random>

#include "core/checks/check_support.h"
#include "core/checks/comparators.h"
#include "core/checks/legacy_vietnamese.h"
#include "core/checks/name_match.h"
#include "core/checks/record_linkage.h"
#include "core/util/dates.h"
#include "core/util/text.h"

namespace dqa {
// Named (not anonymous): FuzzyMatcher::Impl, which has external linkage, holds these.
namespace fuzzy_internal {

// How a field is compared, decided from its values.
enum class FieldKind { kText, kDate, kId };

// One record: what the comparisons need, normalised once and kept until Run(), so it holds only
// what is compared (the accented name, the folded tokens).
struct Record {
  NormalizedName name;
  std::string sorted_tokens;        // the folded tokens sorted and joined: word order does not count
  std::vector<std::string> values;  // per field: folded text ("" = missing)
  std::vector<int64_t> days;        // per field: day number when a date, else kNoDay
};

}  // namespace fuzzy_internal

namespace {

using fuzzy_internal::FieldKind;
using fuzzy_internal::Record;

constexpr int64_t kNoDay = INT64_MIN;

// Tables with at least this many records have m, the prior and the name frequencies estimated from
// their data (docs/checks.md "Fuzzy duplicates").
constexpr size_t kLearnFromRecords = 10000;

// An agreement level as the match model counts it: 0 disagree .. 3 exact; unknown adds nothing.
int LevelOf(Agreement a) {
  switch (a) {
    case Agreement::kUnknown: return kUnknownLevel;
    case Agreement::kDisagree: return 0;
    case Agreement::kWeak: return 1;
    case Agreement::kClose: return 2;
    case Agreement::kExact: return 3;
  }
  return kUnknownLevel;
}

// Family names that are one name written two ways: Huỳnh is Hoàng and Võ is Vũ in the South
// (renamed under a naming taboo of the Nguyễn dynasty), so a person registered as "Võ Văn Nam" in
// one office is "Vũ Văn Nam" in another. Folded forms, mapped to one of the pair.
std::string_view CanonicalFamily(std::string_view folded) {
  if (folded == "huynh") return "hoang";
  if (folded == "vo") return "vu";
  return folded;
}

// How often each accented name word occurs in the records. Of two words one slip apart, the one
// that is rare next to the other is most likely the other mistyped ("Trầ" next to "Trần", "Vă" next
// to "Văn"), while two words that are both common ("An" and "Anh") are two names. Accented words,
// so that a slip that happens to fold to a real word ("Trầ" -> "tra") stays rare.
using WordCounts = std::unordered_map<std::string, uint32_t, StringHash, std::equal_to<>>;
constexpr uint32_t kRareWord = 3;      // a word seen at most this often is rare whatever the other
constexpr uint32_t kSlipRatio = 50;    // or one seen this many times less than the other

// The `index`-th space-separated word of `text` (a normalised name: single spaces), "" if none.
std::string_view WordAt(std::string_view text, size_t index) {
  size_t start = 0;
  for (size_t i = 0; i < index; ++i) {
    start = text.find(' ', start);
    if (start == std::string_view::npos) return {};
    ++start;
  }
  const size_t end = text.find(' ', start);
  return text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
}

// When the folded words of two names are the same but one, in the same place, and those two
// differ by one typing slip (a letter added, dropped or replaced, or two adjacent letters swapped:
// "my"/"mwy", "binh"/"bihn"), the place of that word. Short words make Jaro-Winkler harsh on one
// slip; this is not.
std::optional<size_t> SlipPosition(const std::vector<std::string>& a,
                                   const std::vector<std::string>& b) {
  if (a.size() != b.size()) return std::nullopt;
  size_t at = a.size();
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] == b[i]) continue;
    if (at != a.size()) return std::nullopt;
    at = i;
  }
  if (at == a.size()) return std::nullopt;
  thread_local std::u32string x, y;
  ToCodePoints(a[at], x);
  ToCodePoints(b[at], y);
  if (LevenshteinDistance(x, y) <= 1) return at;
  if (x.size() != y.size()) return std::nullopt;
  size_t first = 0;
  while (first < x.size() && x[first] == y[first]) ++first;
  if (first + 1 >= x.size() || x[first] != y[first + 1] || x[first + 1] != y[first]) {
    return std::nullopt;
  }
  if (!std::equal(x.begin() + static_cast<std::ptrdiff_t>(first) + 2, x.end(),
                  y.begin() + static_cast<std::ptrdiff_t>(first) + 2)) {
    return std::nullopt;
  }
  return at;
}

// True when the names are one slip apart and one of the two differing words is rare next to the
// other.
bool IsTypingSlip(const Record& a, const Record& b, const WordCounts& counts) {
  const std::optional<size_t> at = SlipPosition(a.name.tokens_folded, b.name.tokens_folded);
  if (!at) return false;
  const auto count = [&](std::string_view word) {
    const auto it = counts.find(word);
    return it == counts.end() ? uint32_t{0} : it->second;
  };
  const uint32_t x = count(WordAt(a.name.accented, *at));
  const uint32_t y = count(WordAt(b.name.accented, *at));
  const uint32_t low = std::min(x, y), high = std::max(x, y);
  return low <= kRareWord || uint64_t{low} * kSlipRatio <= high;
}

// The name's level: 5 the same accented name; 4 the same words folded (diacritics, tone placement,
// case, spacing, word order or a Huỳnh/Hoàng, Võ/Vũ family name differ: strong evidence); 3 a
// typing slip (IsTypingSlip); 2 similar (CompareNames' close); 1 weak; 0 different. Folded
// equality is kept apart from similarity: a similarity of 0.92 also holds between different
// families such as Phạm and Phan.
int NameLevel(const Record& a, const Record& b, const WordCounts& counts) {
  const Comparison c = CompareNames(a.name, b.name);
  if (c.level == Agreement::kExact) return 5;
  if (c.level == Agreement::kUnknown) return kUnknownLevel;
  if (!a.sorted_tokens.empty() && a.sorted_tokens == b.sorted_tokens) return 4;
  if (c.level == Agreement::kDisagree) return 0;
  if (IsTypingSlip(a, b, counts)) return 3;
  return c.level == Agreement::kClose ? 2 : 1;
}

// The folded tokens in sorted order, joined, the family name (the first word) in its canonical
// spelling: equal for two records whose names differ only in word order or a family name variant.
std::string SortedTokens(std::vector<std::string> tokens) {
  if (!tokens.empty()) tokens.front() = std::string(CanonicalFamily(tokens.front()));
  std::sort(tokens.begin(), tokens.end());
  std::string out;
  for (const std::string& t : tokens) {
    if (!out.empty()) out += ' ';
    out += t;
  }
  return out;
}

std::optional<CivilDate> DateOf(int64_t day) {
  if (day == kNoDay) return std::nullopt;
  return CivilFromDays(day);
}

bool IsIdentityNumber(const std::string& v) {
  return (v.size() == 12 || v.size() == 9) &&
         std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

struct FuzzyMatcher::Impl {
  MatchSettings settings;
  std::vector<FieldKind> kinds;
  std::vector<Record> records;
  int64_t legacy_names = 0;
  NormalizedName scratch_name;  // reused for every field value of every row
  WordCounts token_counts;  // accented name words of the records
  WordCounts name_counts;   // accented full names of the records
  std::string scratch;

  // A field is a date when most of its values parse as dates, an identity number when most are
  // 9 or 12 digits, else text.
  void DecideKinds() {
    kinds.assign(settings.fields.size(), FieldKind::kText);
    for (size_t f = 0; f < kinds.size(); ++f) {
      int64_t present = 0, dates = 0, ids = 0;
      for (const Record& r : records) {
        if (r.values[f].empty()) continue;
        ++present;
        if (r.days[f] != kNoDay) ++dates;
        if (IsIdentityNumber(r.values[f])) ++ids;
      }
      if (present == 0) continue;
      if (dates * 10 >= present * 9) {
        kinds[f] = FieldKind::kDate;
      } else if (ids * 10 >= present * 9) {
        kinds[f] = FieldKind::kId;
      }
    }
  }

  // The blocking keys of a record as 64-bit hashes, sorted and distinct, so that a true pair shares
  // at least one whatever was mistyped: folded given name + birth date, folded family name + birth
  // date (both also with day and month swapped), the first text field of `also` (a commune) +
  // birth date, folded full name + birth year, and the identity number; each prefixed by the
  // `same` text values, which must agree anyway. Without a date field, the folded full name alone.
  void BlockingKeys(const Record& r, std::vector<uint64_t>& out) const {
    out.clear();
    std::string prefix;
    int64_t day = kNoDay;
    const std::string* id = nullptr;
    const std::string* place = nullptr;
    for (size_t f = 0; f < kinds.size(); ++f) {
      const bool same = settings.fields[f].must_agree;
      if (kinds[f] == FieldKind::kText && !same && place == nullptr && !r.values[f].empty()) {
        place = &r.values[f];
      }
      if (kinds[f] == FieldKind::kText && same) {
        prefix += r.values[f];
        prefix += '\x1f';
      } else if (kinds[f] == FieldKind::kDate && day == kNoDay) {
        day = r.days[f];
      } else if (kinds[f] == FieldKind::kId && id == nullptr && !r.values[f].empty()) {
        id = &r.values[f];
      }
    }
    const auto hash = [](const std::string& key) { return std::hash<std::string>{}(key); };
    const std::vector<std::string>& tokens = r.name.tokens_folded;
    if (day != kNoDay) {
      const CivilDate d = CivilFromDays(day);
      const std::string given = tokens.empty() ? "" : tokens.back();
      const std::string family(tokens.empty() ? "" : CanonicalFamily(tokens.front()));
      int64_t days[2] = {day, kNoDay};
      if (d.day <= 12 && d.day != d.month) {
        if (auto swapped = DaysFromCivil(d.year, d.day, d.month)) days[1] = *swapped;
      }
      for (int64_t on : days) {
        if (on == kNoDay) continue;
        out.push_back(hash(fmt::format("g{}{}|{}", prefix, given, on)));
        out.push_back(hash(fmt::format("f{}{}|{}", prefix, family, on)));
        if (place != nullptr) out.push_back(hash(fmt::format("p{}{}|{}", prefix, *place, on)));
      }
      out.push_back(hash(fmt::format("n{}{}|{}", prefix, r.name.folded, d.year)));
    } else {
      out.push_back(hash(fmt::format("n{}{}", prefix, r.name.folded)));
    }
    if (id != nullptr) out.push_back(hash("c" + *id));
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
  }

  int FieldLevel(size_t f, const Record& a, const Record& b) const {
    const std::string& x = a.values[f];
    const std::string& y = b.values[f];
    if (x.empty() || y.empty()) return kUnknownLevel;
    switch (kinds[f]) {
      case FieldKind::kDate:
        if (a.days[f] == kNoDay || b.days[f] == kNoDay) return x == y ? 3 : 0;
        return LevelOf(CompareDates(DateOf(a.days[f]), DateOf(b.days[f])).level);
      case FieldKind::kId:
        return LevelOf(CompareCccd(x, y).level);
      case FieldKind::kText:
        return x == y ? 1 : 0;
    }
    return kUnknownLevel;
  }

  // The agreement level of each field (the name first); false when a `same` field disagrees.
  bool Compare(const Record& a, const Record& b, std::vector<int>& levels) const {
    levels.clear();
    levels.push_back(NameLevel(a, b, token_counts));
    for (size_t f = 0; f < kinds.size(); ++f) {
      const int level = FieldLevel(f, a, b);
      if (settings.fields[f].must_agree && level == 0) return false;
      levels.push_back(level);
    }
    return true;
  }

  // "ho_ten≈ ngay_sinh= so_cccd?": how each field of a matched pair agreed.
  std::string Agreement(const std::vector<int>& levels) const {
    std::string out;
    for (size_t f = 0; f < levels.size(); ++f) {
      const int top = f == 0 ? 5 : kinds[f - 1] == FieldKind::kText ? 1 : 3;
      const int level = levels[f];
      const char* mark = "≠";
      if (level == kUnknownLevel) {
        mark = "?";
      } else if (level == top) {
        mark = "=";
      } else if (f == 0 && level == 4) {
        mark = "≈";
      } else if (level >= 2 || (f > 0 && level == 1 && top == 3)) {
        mark = "~";
      }
      if (!out.empty()) out += ' ';
      out += f == 0 ? settings.name_column : settings.fields[f - 1].column;
      out += mark;
    }
    return out;
  }

  // Documented defaults (docs/checks.md): m from what re-entered records look like; u replaced by
  // the frequencies among random pairs (EstimateU).
  MatchModel DefaultModel() const {
    std::vector<FieldModel> fields;
    fields.push_back({settings.name_column,
                      {0.02, 0.06, 0.04, 0.08, 0.30, 0.50},
                      {0.98, 0.015, 0.003, 0.0003, 0.001, 0.001}});
    for (size_t f = 0; f < kinds.size(); ++f) {
      const std::string& column = settings.fields[f].column;
      switch (kinds[f]) {
        case FieldKind::kDate:
          fields.push_back({column, {0.02, 0.04, 0.06, 0.88}, {0.999, 0.0006, 0.0002, 0.0002}});
          break;
        case FieldKind::kId:
          fields.push_back(
              {column, {0.04, 0.11, 0.11, 0.74}, {0.9999, 0.00003, 0.00003, 0.00004}});
          break;
        case FieldKind::kText:
          fields.push_back({column, {0.10, 0.90}, {0.95, 0.05}});
          break;
      }
    }
    // The prior: about one re-entered record per hundred, among all pairs of records.
    const double n = std::max<double>(2, static_cast<double>(records.size()));
    const double prior = std::min(0.5, 0.01 * n / (n * (n - 1) / 2));
    return MatchModel(std::move(fields), prior);
  }

  // u of each field from random pairs of records (almost all of them different people).
  void EstimateU(MatchModel& model) const {
    if (records.size() < 2) return;
    std::mt19937_64 rng(20261101);  // deterministic: same data, same result
    std::uniform_int_distribution<size_t> pick(0, records.size() - 1);
    const size_t fields = model.fields().size();
    std::vector<std::vector<int64_t>> counts(fields);
    for (size_t f = 0; f < fields; ++f) counts[f].assign(model.fields()[f].u.size(), 0);
    std::vector<int> levels;
    constexpr int kPairs = 200000;
    for (int i = 0; i < kPairs; ++i) {
      const size_t a = pick(rng), b = pick(rng);
      if (a == b) continue;
      levels.clear();
      levels.push_back(NameLevel(records[a], records[b], token_counts));
      for (size_t f = 0; f < kinds.size(); ++f) levels.push_back(FieldLevel(f, records[a], records[b]));
      for (size_t f = 0; f < fields; ++f) {
        if (levels[f] != kUnknownLevel) ++counts[f][static_cast<size_t>(levels[f])];
      }
    }
    for (size_t f = 0; f < fields; ++f) model.EstimateU(f, counts[f]);
  }
};

FuzzyMatcher::FuzzyMatcher(MatchSettings settings) : impl_(std::make_unique<Impl>()) {
  impl_->settings = std::move(settings);
}

FuzzyMatcher::~FuzzyMatcher() = default;

size_t FuzzyMatcher::size() const { return impl_->records.size(); }
int64_t FuzzyMatcher::legacy_names() const { return impl_->legacy_names; }

bool FuzzyMatcher::Add(const Value& name, const std::vector<const Value*>& fields) {
  if (name.is_null()) return false;
  Impl& m = *impl_;
  Record r;
  std::string_view text = TextForm(name, m.scratch);
  // A name typed in an old 8-bit Vietnamese encoding is matched as what it means, and counted.
  std::optional<LegacyText> legacy = DetectLegacyVietnamese(text);
  if (legacy) {
    ++m.legacy_names;
    text = legacy->text;
  }
  NormalizeNameInto(text, r.name);
  for (const std::string& word : r.name.tokens_accented) {
    auto it = m.token_counts.find(std::string_view(word));
    if (it == m.token_counts.end()) {
      m.token_counts.emplace(word, 1);
    } else {
      ++it->second;
    }
  }
  ++m.name_counts[r.name.accented];
  // The comparators read the accented form and the folded tokens only.
  r.name.tokens_accented.clear();
  r.name.tokens_accented.shrink_to_fit();
  r.sorted_tokens = SortedTokens(r.name.tokens_folded);
  const size_t count = m.settings.fields.size();
  r.values.resize(count);
  r.days.assign(count, kNoDay);
  for (size_t f = 0; f < count && f < fields.size(); ++f) {
    const Value* v = fields[f];
    if (v == nullptr || v->is_null()) continue;
    NormalizeNameInto(TextForm(*v, m.scratch), m.scratch_name);
    r.values[f] = m.scratch_name.folded;
    if (const auto t = DateSeconds(*v, m.settings.date_format)) r.days[f] = DayOf(*t);
  }
  m.records.push_back(std::move(r));
  return true;
}

void FuzzyMatcher::Absorb(FuzzyMatcher& later) {
  Impl& m = *impl_;
  Impl& o = *later.impl_;
  m.records.insert(m.records.end(), std::make_move_iterator(o.records.begin()),
                   std::make_move_iterator(o.records.end()));
  o.records.clear();
  m.legacy_names += o.legacy_names;
  for (const auto& [word, count] : o.token_counts) m.token_counts[word] += count;
  for (const auto& [name, count] : o.name_counts) m.name_counts[name] += count;
}

MatchOutcome FuzzyMatcher::Run() {
  Impl& m = *impl_;
  MatchOutcome out;
  m.DecideKinds();
  const size_t n = m.records.size();

  // Every record's keys, sorted, in one flat array (offsets[i] .. offsets[i + 1]); and the blocks as
  // a sorted list of (key, record): 12 bytes per key instead of a map of strings. Two keys with the
  // same hash share a block: a few more pairs compared, never a pair missed.
  std::vector<uint64_t> keys;
  std::vector<size_t> offsets(n + 1, 0);
  std::vector<std::pair<uint64_t, uint32_t>> entries;
  {
    std::vector<uint64_t> one;
    for (uint32_t i = 0; i < n; ++i) {
      m.BlockingKeys(m.records[i], one);
      keys.insert(keys.end(), one.begin(), one.end());
      offsets[i + 1] = keys.size();
    }
    entries.reserve(keys.size());
    for (uint32_t i = 0; i < n; ++i) {
      for (size_t k = offsets[i]; k < offsets[i + 1]; ++k) entries.emplace_back(keys[k], i);
    }
    std::sort(entries.begin(), entries.end());
  }
  // Blocks too large to compare pair by pair.
  std::vector<uint64_t> skipped;
  for (size_t begin = 0; begin < entries.size();) {
    size_t end = begin + 1;
    while (end < entries.size() && entries[end].first == entries[begin].first) ++end;
    if (static_cast<int64_t>(end - begin) > m.settings.max_block) skipped.push_back(entries[begin].first);
    begin = end;
  }
  out.skipped_blocks = static_cast<int64_t>(skipped.size());
  // A pair is compared in the first block (in key order) that it shares and that is not skipped,
  // so each pair is compared once without remembering the pairs seen.
  const auto first_shared = [&](uint32_t a, uint32_t b) {
    size_t x = offsets[a], y = offsets[b];
    while (x < offsets[a + 1] && y < offsets[b + 1]) {
      if (keys[x] < keys[y]) {
        ++x;
      } else if (keys[y] < keys[x]) {
        ++y;
      } else {
        if (!std::binary_search(skipped.begin(), skipped.end(), keys[x])) return keys[x];
        ++x;
        ++y;
      }
    }
    return uint64_t{0};
  };

  const auto for_each_candidate = [&](auto&& visit) {
    for (size_t begin = 0; begin < entries.size();) {
      size_t end = begin + 1;
      const uint64_t key = entries[begin].first;
      while (end < entries.size() && entries[end].first == key) ++end;
      if (static_cast<int64_t>(end - begin) <= m.settings.max_block) {
        for (size_t x = begin; x < end; ++x) {
          for (size_t y = x + 1; y < end; ++y) {
            const uint32_t a = entries[x].second, b = entries[y].second;
            if (first_shared(a, b) == key) visit(a, b);
          }
        }
      }
      begin = end;
    }
  };

  // Pass 1: the levels of every candidate pair, kept as the id of their pattern (4 bytes a pair),
  // and how many pairs had each pattern.
  constexpr uint32_t kExcluded = UINT32_MAX;  // a `same` field disagrees: never a match
  std::vector<LevelPattern> patterns;
  std::unordered_map<uint64_t, uint32_t> pattern_ids;
  std::vector<uint32_t> pair_patterns;
  std::vector<int> levels;
  for_each_candidate([&](uint32_t a, uint32_t b) {
    ++out.candidate_pairs;
    if (!m.Compare(m.records[a], m.records[b], levels)) {
      pair_patterns.push_back(kExcluded);
      return;
    }
    uint64_t code = 0;
    for (int level : levels) code = code * 8 + static_cast<uint64_t>(level + 1);
    auto [it, added] = pattern_ids.try_emplace(code, static_cast<uint32_t>(patterns.size()));
    if (added) patterns.push_back({levels, 0});
    ++patterns[it->second].count;
    pair_patterns.push_back(it->second);
  });

  // The model: documented m, u from random pairs, then m re-estimated from the candidate pairs.
  MatchModel model = m.DefaultModel();
  m.EstimateU(model);
  const double all_pairs = static_cast<double>(n) * (static_cast<double>(n) - 1) / 2;
  // A small table has too few pairs of one person to learn from, and its name frequencies are noise
  // (its duplicates alone make a name look common): it keeps the documented model.
  const bool learn = n >= kLearnFromRecords;
  if (learn) out.em_iterations = model.EstimateM(patterns, all_pairs);
  out.prior = model.prior();

  out.m = model.fields();
  std::vector<double> weight(patterns.size());
  std::vector<std::string> agreement(patterns.size());
  for (size_t id = 0; id < patterns.size(); ++id) weight[id] = model.MatchWeight(patterns[id].levels);
  // Term frequency (as Splink adjusts exact matches): two records with the same name agree by
  // chance as often as that name is frequent, so the weight of an exact name uses the name's own
  // share of the records instead of the average u: a rare name counts more, a common one less.
  const double u_exact = model.fields()[0].u[5];
  // The share is the chance that another record carries the name: (count - 1) / (n - 1).
  const auto name_adjustment = [&](const Record& a) {
    const auto it = m.name_counts.find(std::string_view(a.name.accented));
    const double others = it == m.name_counts.end() ? 0 : it->second - 1.0;
    const double share = std::max(others, 1.0) / (static_cast<double>(n) - 1);
    return std::log2(u_exact / share);
  };

  // Pass 2: the same pairs in the same order; those at or above the threshold are joined.
  DisjointSets clusters(n);
  size_t k = 0;
  for_each_candidate([&](uint32_t a, uint32_t b) {
    const uint32_t id = pair_patterns[k++];
    if (id == kExcluded) return;
    double w = weight[id];
    if (learn && patterns[id].levels[0] == 5) w += name_adjustment(m.records[a]);
    const double p = MatchModel::Probability(w);
    if (p < m.settings.threshold) return;
    if (agreement[id].empty()) agreement[id] = m.Agreement(patterns[id].levels);
    ++out.matched_pairs;
    clusters.Union(a, b);
    for (const auto& [self, other] : {std::pair{a, b}, std::pair{b, a}}) {
      auto [it, added] = out.links.try_emplace(self);
      if (added || p > it->second.probability) it->second = {other, p, agreement[id]};
    }
  });
  pair_patterns.clear();
  pair_patterns.shrink_to_fit();

  // Clusters in the order of their first record.
  std::unordered_map<size_t, size_t> index_of_root;
  for (uint32_t i = 0; i < n; ++i) {
    if (!out.links.contains(i)) continue;
    const size_t root = clusters.Find(i);
    auto [it, added] = index_of_root.try_emplace(root, out.clusters.size());
    if (added) out.clusters.emplace_back();
    out.clusters[it->second].push_back(i);
  }
  return out;
}

}  // namespace dqa
