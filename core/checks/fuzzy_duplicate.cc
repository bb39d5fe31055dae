// fuzzy_duplicate: one real person entered more than once, with another spelling of the name, a
// mistyped identity number or birth date, another Unicode form or no diacritics. Rows are read in
// the table's fused scan; at the end, records that share a blocking key are compared field by
// field, scored with Fellegi-Sunter weights and clustered (docs/checks.md "Fuzzy duplicates").
#include <fmt/format.h>

#include "core/checks/fuzzy_duplicate.h"

#include "core/checks/check_support.h"
#include "core/util/text.h"

namespace dqa {
namespace {

constexpr char kTypeName[] = "fuzzy_duplicate";
constexpr char kKeySeparator = '\x1f';

class FuzzyDuplicateEvaluator : public RowEvaluator {
 public:
  FuzzyDuplicateEvaluator(const CheckSpec& spec, const CheckContext& context, const ParamReader& p)
      : RowEvaluator(spec, context),
        threshold_(p.Number("threshold").value_or(0.9)),
        max_block_(p.Integer("max_block").value_or(500)) {
    MatchSettings settings = FuzzyMatchSettings(p);
    columns_.push_back(settings.name_column);
    for (const MatchField& f : settings.fields) columns_.push_back(f.column);
    field_values_.resize(settings.fields.size());
    matcher_ = std::make_unique<FuzzyMatcher>(std::move(settings));
  }

  std::vector<std::string> Columns() const override { return columns_; }

 protected:
  // The later range's records follow this one's, as one scan would have added them.
  // Its records (names, fields, keys) are most of a scan's memory: not kept between runs.
  bool Serializable() const override { return false; }
  nlohmann::json SaveOwnState() const override { return nullptr; }
  void LoadOwnState(const nlohmann::json&) override {}
  void MergeState(RowEvaluator& later) override {
    auto& o = static_cast<FuzzyDuplicateEvaluator&>(later);
    matcher_->Absorb(*o.matcher_);
    keys_.insert(keys_.end(), std::make_move_iterator(o.keys_.begin()),
                 std::make_move_iterator(o.keys_.end()));
    o.keys_.clear();
  }
  void ObserveInScope(const ScanRow& row) override {
    for (size_t f = 0; f < field_values_.size(); ++f) field_values_[f] = &Cell(row, f + 1);
    if (!matcher_->Add(Cell(row, 0), field_values_)) return;
    ++rows_checked_;
    // The key in one string (one allocation per record: the matcher's records stay the bulk).
    std::string key;
    for (size_t k = 0; k < row.keys.size(); ++k) {
      if (k > 0) key += kKeySeparator;
      key += TruncateForDisplay(TextForm(row.keys[k], scratch_));
    }
    keys_.push_back(std::move(key));
  }

  std::string Complete(CheckResult& result) override {
    const MatchOutcome outcome = matcher_->Run();
    const size_t key_width = result.key_columns.size();
    // After the key: the cluster's number, then the record's best link.
    result.key_columns.emplace_back("group");
    result.key_columns.insert(result.key_columns.end(), kLinkColumns.begin(), kLinkColumns.end());
    result.violations = 0;
    result.samples.clear();
    result.failing_rows.clear();
    result.failing_rows_total = 0;
    int64_t group = 0;
    for (const std::vector<uint32_t>& cluster : outcome.clusters) {
      ++group;
      result.violations += static_cast<int64_t>(cluster.size()) - 1;
      result.failing_rows_total += static_cast<int64_t>(cluster.size());
      // Samples are whole clusters, as many as fit in `samples` rows (at least the start of the
      // first one), so that an inspector sees the records that were matched and why.
      const bool fits =
          static_cast<int64_t>(result.samples.size() + cluster.size()) <= context_.samples;
      const bool sample = fits || result.samples.empty();
      for (uint32_t i : cluster) {
        const bool listed = static_cast<int64_t>(result.failing_rows.size()) < kMaxFailingRows;
        const bool sampled =
            sample && static_cast<int64_t>(result.samples.size()) < context_.samples;
        if (!listed && !sampled) continue;
        std::vector<std::string> row = SplitKey(keys_[i]);
        row.resize(key_width);
        const MatchLink& link = outcome.links.at(i);
        row.push_back(std::to_string(group));
        row.push_back(JoinKey(keys_[link.partner]));
        row.push_back(fmt::format("{:.3f}", link.probability));
        row.push_back(link.agreement);
        if (sampled) result.samples.push_back(row);
        if (listed) result.failing_rows.push_back(std::move(row));
      }
    }
    result.groups = group;
    result.metrics.emplace_back("candidate_pairs", static_cast<double>(outcome.candidate_pairs));
    result.metrics.emplace_back("matched_pairs", static_cast<double>(outcome.matched_pairs));
    std::string message = fmt::format(
        "{} are the same person as an earlier record ({}), in {} groups; {} candidate pairs "
        "compared, {} matched (threshold {})",
        CountText(result.violations, result.rows_checked, "rows"), JoinColumns(Columns()), group,
        outcome.candidate_pairs, outcome.matched_pairs, FormatPercent(threshold_ * 100) + "%");
    SetWords(result, "check.fuzzy_duplicate",
             CountArgs(result, {{"columns", JoinColumns(Columns())},
                                {"n_groups", std::to_string(group)},
                                {"n_candidates", std::to_string(outcome.candidate_pairs)},
                                {"n_matched", std::to_string(outcome.matched_pairs)},
                                {"n_legacy", std::to_string(matcher_->legacy_names())},
                                {"n_skipped", std::to_string(outcome.skipped_blocks)}}));
    if (matcher_->legacy_names() > 0) {
      message += fmt::format("; {} names are in an old 8-bit encoding (TCVN3 or VNI)",
                             matcher_->legacy_names());
      result.metrics.emplace_back("legacy_encoded_names",
                                  static_cast<double>(matcher_->legacy_names()));
    }
    if (outcome.skipped_blocks > 0) {
      message += fmt::format("; {} blocks larger than {} records were not compared",
                             outcome.skipped_blocks, max_block_);
    }
    return message;
  }

 private:
  static std::vector<std::string> SplitKey(const std::string& key) {
    std::vector<std::string> out;
    size_t start = 0;
    while (true) {
      const size_t end = key.find(kKeySeparator, start);
      out.push_back(key.substr(start, end == std::string::npos ? std::string::npos : end - start));
      if (end == std::string::npos) return out;
      start = end + 1;
    }
  }
  // A key as one cell: its values joined by ", ".
  static std::string JoinKey(const std::string& key) {
    std::string out = key;
    for (size_t at = out.find(kKeySeparator); at != std::string::npos;
         at = out.find(kKeySeparator, at)) {
      out.replace(at, 1, ", ");
    }
    return out;
  }

  double threshold_;
  int64_t max_block_;
  std::vector<std::string> columns_;
  std::unique_ptr<FuzzyMatcher> matcher_;
  std::vector<const Value*> field_values_;
  std::vector<std::string> keys_;  // the key of each record the matcher holds, joined
  std::string scratch_;
};

class FuzzyDuplicateType : public EvaluatedCheckType<FuzzyDuplicateEvaluator> {
 public:
  FuzzyDuplicateType()
      : EvaluatedCheckType({
            .name = kTypeName,
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

const CheckType& RegisteredFuzzyDuplicateType() {
  static const CheckType* type = Catalog().Find(kTypeName);
  return *type;
}

MatchSettings FuzzyMatchSettings(const ParamReader& p) {
  MatchSettings settings;
  settings.name_column = p.String("name");
  settings.threshold = p.Number("threshold").value_or(0.9);
  settings.max_block = p.Integer("max_block").value_or(500);
  settings.date_format = p.DateFormatOf("date_format");
  for (const std::string& c : p.Strings("same")) settings.fields.push_back({c, true});
  for (const std::string& c : p.Strings("also")) settings.fields.push_back({c, false});
  return settings;
}

}  // namespace dqa
