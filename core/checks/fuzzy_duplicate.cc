// fuzzy_duplicate: one real person entered more than once, with another spelling of the name, a
// mistyped identity number or birth date, another Unicode form or no diacritics. Rows are read in
// the table's fused scan; at the end, records that share a blocking key are compared field by
// field, scored with Fellegi-Sunter weights and clustered (docs/checks.md "Fuzzy duplicates").
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string_view>
#include <functional>
#include <unordered_map>
#include <unordered_set>

#include "core/checks/check_support.h"
#include "core/checks/comparators.h"
#include "core/checks/legacy_vietnamese.h"
#include "core/checks/name_match.h"
#include "core/checks/record_linkage.h"
#include "core/util/dates.h"
#include "core/util/text.h"

namespace dqa {
namespace {

// How a `same`/`also` field is compared, decided from its values.
enum class FieldKind { kText, kDate, kId };

struct Field {
  std::string column;
  bool must_agree = false;  // `same`
  FieldKind kind = FieldKind::kText;
};

// One record in scope: what the comparisons need, normalised once. Kept for every record until
// the end of the scan, so it holds only what is compared (the accented name, the folded tokens)
// and the sample key joined in one string.
struct Record {
  std::string key;  // sample key: truncated text forms joined by kKeySeparator
  NormalizedName name;
  std::string sorted_tokens;  // the folded tokens sorted and joined: word order does not count
  std::vector<std::string> values;  // per field: folded text ("" = missing)
  std::vector<int64_t> days;        // per field: day number when a date, else INT64_MIN
};

constexpr int64_t kNoDay = INT64_MIN;
constexpr char kKeySeparator = '\x1f';

std::vector<std::string> SplitKey(const std::string& key) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    const size_t end = key.find(kKeySeparator, start);
    out.push_back(key.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) return out;
    start = end + 1;
  }
}

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

// The name's level: 4 the same accented name; 3 the same words folded (diacritics, tone
// placement, case, spacing or word order differ: strong evidence); 2 similar enough to be a typo
// (CompareNames' close); 1 weak; 0 different. Folded equality is kept apart from similarity: a
// similarity of 0.92 also holds between different families such as Phạm and Phan.
// `sorted_a`/`sorted_b`: the folded tokens in sorted order, joined (SortedTokens), computed once
// per record so that no pair allocates.
int NameLevel(const NormalizedName& a, const std::string& sorted_a, const NormalizedName& b,
              const std::string& sorted_b) {
  const Comparison c = CompareNames(a, b);
  if (c.level == Agreement::kExact) return 4;
  if (c.level == Agreement::kUnknown) return kUnknownLevel;
  if (!sorted_a.empty() && sorted_a == sorted_b) return 3;
  return LevelOf(c.level) == 3 ? 2 : LevelOf(c.level);
}

std::string SortedTokens(std::vector<std::string> tokens) {
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

class FuzzyDuplicateEvaluator : public RowEvaluator {
 public:
  FuzzyDuplicateEvaluator(const CheckSpec& spec, const CheckContext& context, const ParamReader& p)
      : RowEvaluator(spec, context),
        threshold_(p.Number("threshold").value_or(0.9)),
        max_block_(p.Integer("max_block").value_or(500)),
        format_(p.DateFormatOf("date_format")) {
    for (const std::string& c : p.Strings("same")) fields_.push_back({c, true, FieldKind::kText});
    for (const std::string& c : p.Strings("also")) fields_.push_back({c, false, FieldKind::kText});
  }

  std::vector<std::string> Columns() const override {
    std::vector<std::string> columns = {spec_.columns.empty() ? "" : spec_.columns[0]};
    for (const Field& f : fields_) columns.push_back(f.column);
    return columns;
  }

 protected:
  void ObserveInScope(const ScanRow& row) override {
    const Value& name = Cell(row, 0);
    if (name.is_null()) return;
    ++rows_checked_;
    Record r;
    std::string scratch;
    for (size_t k = 0; k < row.keys.size(); ++k) {
      if (k > 0) r.key += kKeySeparator;
      r.key += TruncateForDisplay(TextForm(row.keys[k], scratch));
    }
    std::string_view text = TextForm(name, scratch);
    // A name typed in an old 8-bit Vietnamese encoding is matched as what it means, and counted.
    std::optional<LegacyText> legacy = DetectLegacyVietnamese(text);
    if (legacy) {
      ++legacy_names_;
      text = legacy->text;
    }
    NormalizeNameInto(text, r.name);
    // The comparators read the accented form and the folded tokens only.
    r.name.tokens_accented.clear();
    r.name.tokens_accented.shrink_to_fit();
    r.sorted_tokens = SortedTokens(r.name.tokens_folded);
    r.values.resize(fields_.size());
    r.days.assign(fields_.size(), kNoDay);
    for (size_t f = 0; f < fields_.size(); ++f) {
      const Value& v = Cell(row, f + 1);
      if (v.is_null()) continue;
      NormalizeNameInto(TextForm(v, scratch), field_scratch_);
      r.values[f] = field_scratch_.folded;
      if (const auto t = DateSeconds(v, format_)) r.days[f] = DayOf(*t);
    }
    records_.push_back(std::move(r));
  }

  std::string Complete(CheckResult& result) override {
    DecideKinds();
    const std::vector<std::pair<uint32_t, uint32_t>> pairs = CandidatePairs();
    MatchModel model = DefaultModel();
    EstimateU(model);
    DisjointSets clusters(records_.size());
    int64_t matched = 0;
    for (const auto& [a, b] : pairs) {
      std::vector<int> levels;
      if (!Compare(records_[a], records_[b], levels)) continue;  // a `same` field disagrees
      const double p = MatchModel::Probability(model.MatchWeight(levels));
      if (p < threshold_) continue;
      ++matched;
      clusters.Union(a, b);
    }
    // Clusters in the order of their first record (the scan's order).
    std::unordered_map<size_t, std::vector<uint32_t>> members;
    std::vector<size_t> roots;
    for (uint32_t i = 0; i < records_.size(); ++i) {
      const size_t root = clusters.Find(i);
      auto& m = members[root];
      if (m.empty()) roots.push_back(root);
      m.push_back(i);
    }
    int64_t groups = 0;
    result.violations = 0;
    result.samples.clear();
    for (size_t root : roots) {
      const std::vector<uint32_t>& m = members[root];
      if (m.size() < 2) continue;
      ++groups;
      result.violations += static_cast<int64_t>(m.size()) - 1;
      // Samples are whole clusters, in scan order, as many as fit in `samples` keys (at least
      // the start of the first one), so that an inspector sees the records that were matched.
      const bool fits = static_cast<int64_t>(result.samples.size() + m.size()) <= context_.samples;
      if (fits || result.samples.empty()) {
        for (uint32_t i : m) {
          if (static_cast<int64_t>(result.samples.size()) >= context_.samples) break;
          result.samples.push_back(SplitKey(records_[i].key));
        }
      }
    }
    result.groups = groups;
    result.metrics.emplace_back("candidate_pairs", static_cast<double>(pairs.size()));
    result.metrics.emplace_back("matched_pairs", static_cast<double>(matched));
    std::string message = fmt::format(
        "{} are the same person as an earlier record ({}), in {} groups; {} candidate pairs "
        "compared, {} matched (threshold {})",
        CountText(result.violations, result.rows_checked, "rows"), JoinColumns(Columns()), groups,
        pairs.size(), matched, FormatPercent(threshold_ * 100) + "%");
    if (legacy_names_ > 0) {
      message += fmt::format("; {} names are in an old 8-bit encoding (TCVN3 or VNI)", legacy_names_);
      result.metrics.emplace_back("legacy_encoded_names", static_cast<double>(legacy_names_));
    }
    if (skipped_blocks_ > 0) {
      message += fmt::format("; {} blocks larger than {} records were not compared",
                             skipped_blocks_, max_block_);
    }
    return message;
  }

 private:
  static uint64_t PairKey(uint32_t a, uint32_t b) {
    if (a > b) std::swap(a, b);
    return (static_cast<uint64_t>(a) << 32) | b;
  }

  // A field is a date when most of its values parse as dates, an identity number when most are
  // 9 or 12 digits, else text.
  void DecideKinds() {
    for (size_t f = 0; f < fields_.size(); ++f) {
      int64_t present = 0, dates = 0, ids = 0;
      for (const Record& r : records_) {
        if (r.values[f].empty()) continue;
        ++present;
        if (r.days[f] != kNoDay) ++dates;
        const std::string& v = r.values[f];
        if ((v.size() == 12 || v.size() == 9) &&
            std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) {
          ++ids;
        }
      }
      if (present == 0) continue;
      if (dates * 10 >= present * 9) {
        fields_[f].kind = FieldKind::kDate;
      } else if (ids * 10 >= present * 9) {
        fields_[f].kind = FieldKind::kId;
      }
    }
  }

  // The blocking keys of a record, so that a true pair shares at least one whatever was mistyped:
  // folded given name + birth date, folded family name + birth date (both also with day and month
  // swapped), folded full name + birth year, the first text field of `also` (a commune) + birth
  // date, and the identity number; each prefixed by the `same` text values, which must agree
  // anyway. Without a date field, the folded full name alone.
  std::vector<std::string> BlockingKeys(const Record& r) const {
    std::string prefix;
    int64_t day = kNoDay;
    std::string id;
    const std::string* place = nullptr;
    for (size_t f = 0; f < fields_.size(); ++f) {
      if (fields_[f].kind == FieldKind::kText && !fields_[f].must_agree && place == nullptr &&
          !r.values[f].empty()) {
        place = &r.values[f];
      }
      if (fields_[f].kind == FieldKind::kText && fields_[f].must_agree) {
        prefix += r.values[f] + '\x1f';
      } else if (fields_[f].kind == FieldKind::kDate && day == kNoDay) {
        day = r.days[f];
      } else if (fields_[f].kind == FieldKind::kId && id.empty()) {
        id = r.values[f];
      }
    }
    std::vector<std::string> keys;
    const std::vector<std::string>& tokens = r.name.tokens_folded;
    if (day != kNoDay) {
      const CivilDate d = CivilFromDays(day);
      const std::string given = tokens.empty() ? "" : tokens.back();
      const std::string family = tokens.empty() ? "" : tokens.front();
      std::vector<int64_t> days = {day};
      if (d.day <= 12 && d.day != d.month) {
        if (auto swapped = DaysFromCivil(d.year, d.day, d.month)) days.push_back(*swapped);
      }
      for (int64_t on : days) {
        keys.push_back(fmt::format("g{}{}|{}", prefix, given, on));
        keys.push_back(fmt::format("f{}{}|{}", prefix, family, on));
        if (place != nullptr) keys.push_back(fmt::format("p{}{}|{}", prefix, *place, on));
      }
      keys.push_back(fmt::format("n{}{}|{}", prefix, r.name.folded, d.year));
    } else {
      keys.push_back(fmt::format("n{}{}", prefix, r.name.folded));
    }
    if (!id.empty()) keys.push_back("c" + id);
    return keys;
  }

  // Blocks as a sorted list of (64-bit key hash, record): 12 bytes per key of a record instead of a
  // map of strings, so memory stays near the records' own. Two keys with the same hash share a
  // block: a few more pairs compared, never a pair missed.
  std::vector<std::pair<uint32_t, uint32_t>> CandidatePairs() {
    std::vector<std::pair<uint64_t, uint32_t>> entries;
    entries.reserve(records_.size() * 6);
    for (uint32_t i = 0; i < records_.size(); ++i) {
      for (const std::string& key : BlockingKeys(records_[i])) {
        entries.emplace_back(std::hash<std::string>{}(key), i);
      }
    }
    std::sort(entries.begin(), entries.end());
    std::unordered_set<uint64_t> seen;
    std::vector<std::pair<uint32_t, uint32_t>> pairs;
    for (size_t begin = 0; begin < entries.size();) {
      size_t end = begin + 1;
      while (end < entries.size() && entries[end].first == entries[begin].first) ++end;
      const size_t size = end - begin;
      if (static_cast<int64_t>(size) > max_block_) {
        ++skipped_blocks_;
      } else {
        for (size_t x = begin; x < end; ++x) {
          for (size_t y = x + 1; y < end; ++y) {
            const uint32_t a = entries[x].second, b = entries[y].second;
            if (a != b && seen.insert(PairKey(a, b)).second) {
              pairs.emplace_back(std::min(a, b), std::max(a, b));
            }
          }
        }
      }
      begin = end;
    }
    std::sort(pairs.begin(), pairs.end());
    return pairs;
  }

  int FieldLevel(const Field& field, const Record& a, const Record& b, size_t f) const {
    const std::string& x = a.values[f];
    const std::string& y = b.values[f];
    if (x.empty() || y.empty()) return kUnknownLevel;
    switch (field.kind) {
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
    levels.push_back(NameLevel(a.name, a.sorted_tokens, b.name, b.sorted_tokens));
    for (size_t f = 0; f < fields_.size(); ++f) {
      const int level = FieldLevel(fields_[f], a, b, f);
      if (fields_[f].must_agree && level == 0) return false;
      levels.push_back(level);
    }
    return true;
  }

  // Documented defaults (docs/checks.md): m from what re-entered records look like; u replaced by
  // the frequencies among random pairs (EstimateU).
  MatchModel DefaultModel() const {
    std::vector<FieldModel> fields;
    fields.push_back(
        {"name", {0.02, 0.06, 0.12, 0.30, 0.50}, {0.98, 0.015, 0.003, 0.001, 0.001}});
    for (const Field& f : fields_) {
      switch (f.kind) {
        case FieldKind::kDate:
          fields.push_back({f.column, {0.02, 0.04, 0.06, 0.88}, {0.999, 0.0006, 0.0002, 0.0002}});
          break;
        case FieldKind::kId:
          fields.push_back({f.column, {0.04, 0.11, 0.11, 0.74}, {0.9999, 0.00003, 0.00003, 0.00004}});
          break;
        case FieldKind::kText:
          fields.push_back({f.column, {0.10, 0.90}, {0.95, 0.05}});
          break;
      }
    }
    // The prior: about one re-entered record per hundred, among all pairs of records.
    const double n = std::max<double>(2, static_cast<double>(records_.size()));
    const double prior = std::min(0.5, 0.01 * n / (n * (n - 1) / 2));
    return MatchModel(std::move(fields), prior);
  }

  // u of each field from random pairs of records (almost all of them different people).
  void EstimateU(MatchModel& model) const {
    if (records_.size() < 2) return;
    std::mt19937_64 rng(20261101);  // deterministic: same data, same result
    std::uniform_int_distribution<size_t> pick(0, records_.size() - 1);
    const size_t fields = model.fields().size();
    std::vector<std::vector<int64_t>> counts(fields);
    for (size_t f = 0; f < fields; ++f) counts[f].assign(model.fields()[f].u.size(), 0);
    std::vector<int> levels;
    constexpr int kPairs = 200000;
    for (int i = 0; i < kPairs; ++i) {
      const size_t a = pick(rng), b = pick(rng);
      if (a == b) continue;
      levels.clear();
      levels.push_back(NameLevel(records_[a].name, records_[a].sorted_tokens, records_[b].name,
                                 records_[b].sorted_tokens));
      for (size_t f = 0; f < fields_.size(); ++f) {
        levels.push_back(FieldLevel(fields_[f], records_[a], records_[b], f));
      }
      for (size_t f = 0; f < fields; ++f) {
        if (levels[f] != kUnknownLevel) ++counts[f][static_cast<size_t>(levels[f])];
      }
    }
    for (size_t f = 0; f < fields; ++f) model.EstimateU(f, counts[f]);
  }

  double threshold_;
  int64_t max_block_;
  DateFormat format_;
  std::vector<Field> fields_;
  std::vector<Record> records_;
  int64_t skipped_blocks_ = 0;
  int64_t legacy_names_ = 0;
  NormalizedName field_scratch_;  // reused for every field value of every row
};

class FuzzyDuplicateType : public EvaluatedCheckType<FuzzyDuplicateEvaluator> {
 public:
  FuzzyDuplicateType()
      : EvaluatedCheckType({
            .name = "fuzzy_duplicate",
            .summary = "The same person entered more than once, spelled or typed differently.",
            .dimension = Dimension::kUniqueness,
            .shape = CheckShape::kAggregate,
            .params = {{.name = "name", .type = ParamType::kColumn, .required = true,
                        .description = "the full name"},
                       {.name = "same", .type = ParamType::kColumns,
                        .description = "fields that must agree (birth date, commune): a pair that "
                                       "differs on one is never a match"},
                       {.name = "also", .type = ParamType::kColumns,
                        .description = "fields that add evidence (identity number, commune)"},
                       {.name = "threshold", .type = ParamType::kNumber,
                        .description = "match probability from which two records are the same "
                                       "person",
                        .default_value = 0.9, .min = 0.5, .max = 1},
                       {.name = "max_block", .type = ParamType::kInteger,
                        .description = "records sharing a blocking key beyond which the block is "
                                       "not compared pair by pair",
                        .default_value = 500, .min = 2, .max = 100000},
                       DateFormatParam()},
            .has_groups = true,
        }) {}
};

}  // namespace

std::unique_ptr<CheckType> FuzzyDuplicateCheckType() {
  return std::make_unique<FuzzyDuplicateType>();
}

}  // namespace dqa
