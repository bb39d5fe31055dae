// coverage: every expected value (each commune, each district...) has enough rows in the table.
#include <fmt/format.h>

#include <memory>
#include <stdexcept>

#include <unordered_map>

#include "core/checks/check_support.h"
#include "core/util/text.h"

namespace dqa {
namespace {

// rows checked = distinct expected values; violation: an expected value with fewer than min_rows
// rows in scope. Samples are the uncovered values (in the expected column's sort order).
class CoverageEvaluator : public RowEvaluator {
 public:
  CoverageEvaluator(const CheckSpec& spec, const CheckContext& context, const ParamReader& p)
      : RowEvaluator(spec, context), min_rows_(p.Integer("min_rows").value_or(1)) {
    std::tie(table_, column_) = p.TableColumn("expected");
  }
  Status Prepare(SourceDb& db) override {
    auto expected = std::make_shared<Expected>();
    DQA_RETURN_IF_ERROR(ForEachDistinct(db, table_, column_, [&](std::string v) {
      // INTEGER 1 and TEXT '1' are distinct in SQL but have one text form.
      if (expected->index.emplace(v, expected->values.size()).second) {
        expected->values.push_back(std::move(v));
      }
    }));
    expected_ = std::move(expected);
    counts_.assign(expected_->values.size(), 0);
    return Status::Ok();
  }

 protected:
  std::vector<std::string> LookupTables() const override {
    std::vector<std::string> out = RowEvaluator::LookupTables();
    out.push_back(table_.schema.empty() ? table_.table : table_.schema + "." + table_.table);
    return out;
  }
  void SharePrepared(const RowEvaluator& primary) override {
    // The expected values only (shared, never changed once prepared): `primary` may be counting
    // meanwhile. A fork of a split or incremental scan thus costs one count per value.
    expected_ = static_cast<const CoverageEvaluator&>(primary).expected_;
    counts_.assign(expected_->values.size(), 0);
  }
  nlohmann::json SaveOwnState() const override { return counts_; }
  // The counts follow the expected values' order; the caller reuses a state only while the
  // expected table is unchanged.
  void LoadOwnState(const nlohmann::json& state) override {
    if (state.size() != counts_.size()) throw std::invalid_argument("the expected values changed");
    for (size_t i = 0; i < counts_.size(); ++i) counts_[i] = state.at(i).get<int64_t>();
  }
  void MergeState(RowEvaluator& later) override {
    const std::vector<int64_t>& theirs = static_cast<CoverageEvaluator&>(later).counts_;
    for (size_t i = 0; i < counts_.size() && i < theirs.size(); ++i) counts_[i] += theirs[i];
  }
  void ObserveInScope(const ScanRow& row) override {
    const Value& v = Cell(row);
    if (v.is_null()) return;
    const auto it = expected_->index.find(TextForm(v, scratch_));
    if (it != expected_->index.end()) ++counts_[it->second];
  }
  std::string Complete(CheckResult& result) override {
    result.rows_checked = static_cast<int64_t>(counts_.size());
    result.violations = 0;
    result.samples.clear();
    result.key_columns = {column_};
    for (size_t i = 0; i < counts_.size(); ++i) {
      if (counts_[i] >= min_rows_) continue;
      ++result.violations;
      if (static_cast<int64_t>(result.samples.size()) < context_.samples) {
        result.samples.push_back({TruncateForDisplay(expected_->values[i])});
      }
    }
    SetWords(result, "check.coverage",
             CountArgs(result, {{"expected", table_.Qualified(column_)},
                                {"n_min_rows", std::to_string(min_rows_)},
                                {"table", spec_.table},
                                {"columns", JoinColumns(spec_.columns)}}));
    return fmt::format("{} of {} have fewer than {} rows in {}.{}",
                       CountText(result.violations, result.rows_checked, "expected values"),
                       table_.Qualified(column_), min_rows_, spec_.table,
                       JoinColumns(spec_.columns));
  }

 private:
  // The expected values in order, and the place of each.
  struct Expected {
    std::vector<std::string> values;
    std::unordered_map<std::string, size_t, StringHash, std::equal_to<>> index;
  };
  int64_t min_rows_;
  TableRef table_;
  std::string column_;
  std::shared_ptr<const Expected> expected_ = std::make_shared<Expected>();
  std::vector<int64_t> counts_;  // per expected value
  std::string scratch_;
};

class CoverageType : public EvaluatedCheckType<CoverageEvaluator> {
 public:
  CoverageType()
      : EvaluatedCheckType({
            .name = "coverage",
            .summary = "Every expected value (from another table) has at least min_rows rows.",
            .dimension = Dimension::kCompleteness,
            .shape = CheckShape::kAggregate,
            .params = {{.name = "column", .type = ParamType::kColumn, .required = true,
                        .description = "the column whose values must cover the expected ones"},
                       {.name = "expected", .type = ParamType::kTableColumn, .required = true,
                        .description = "{table, column} listing the expected values"},
                       {.name = "min_rows", .type = ParamType::kInteger,
                        .description = "rows each expected value needs", .default_value = 1,
                        .min = 1}},
        }) {}
};

}  // namespace

std::unique_ptr<CheckType> CoverageCheckType() { return std::make_unique<CoverageType>(); }

}  // namespace dqa
