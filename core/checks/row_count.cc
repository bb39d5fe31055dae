// row_count: the number of rows in scope is within [min, max].
#include <fmt/format.h>

#include "core/checks/check_support.h"

namespace dqa {
namespace {

// rows checked = rows in scope; violation (0/1) = count outside [min, max]; value = the count.
class RowCountEvaluator : public RowEvaluator {
 public:
  RowCountEvaluator(const CheckSpec& spec, const CheckContext& context, const ParamReader& p)
      : RowEvaluator(spec, context), min_(p.Integer("min")), max_(p.Integer("max")) {}
  std::vector<std::string> Columns() const override { return {}; }
  // The count of rows in scope alone.
  std::optional<PushDown> PushDownSql(const PushDownTable&) const override { return PushDown{}; }

 protected:
  nlohmann::json SaveOwnState() const override { return nullptr; }
  void LoadOwnState(const nlohmann::json&) override {}
  void MergeState(RowEvaluator&) override {}  // counts and samples only: the base merges them
  void ObserveInScope(const ScanRow&) override { ++rows_checked_; }
  std::string Complete(CheckResult& result) override {
    const int64_t count = rows_checked_;
    result.value = static_cast<double>(count);
    const bool below = min_ && count < *min_;
    const bool above = max_ && count > *max_;
    result.violations = below || above ? 1 : 0;
    MessageArgs args = {{"table", spec_.table}, {"n_count", std::to_string(count)}};
    if (min_) args.emplace_back("n_min", std::to_string(*min_));
    if (max_) args.emplace_back("n_max", std::to_string(*max_));
    SetWords(result,
             min_ && max_ ? "check.row_count.between"
             : min_       ? "check.row_count.at_least"
                          : "check.row_count.at_most",
             std::move(args));
    std::string expected;
    if (min_ && max_) {
      expected = fmt::format("between {} and {}", *min_, *max_);
    } else if (min_) {
      expected = fmt::format("at least {}", *min_);
    } else if (max_) {
      expected = fmt::format("at most {}", *max_);
    }
    return fmt::format("Table {} has {} rows in scope; expected {}", spec_.table, count,
                       expected.empty() ? "any number" : expected);
  }

 private:
  std::optional<int64_t> min_, max_;
};

class RowCountType : public EvaluatedCheckType<RowCountEvaluator> {
 public:
  RowCountType()
      : EvaluatedCheckType({
            .name = "row_count",
            .summary = "The number of rows in scope is between min and max.",
            .dimension = Dimension::kCompleteness,
            .shape = CheckShape::kAggregate,
            .params = {{.name = "min", .type = ParamType::kInteger,
                        .description = "fewest rows expected", .min = 0},
                       {.name = "max", .type = ParamType::kInteger,
                        .description = "most rows expected", .min = 0}},
            .yes_no = true,
            .supports_by = true,
        }) {}

  void Validate(const nlohmann::json& p, std::vector<ParamIssue>& issues) const override {
    if (!p.contains("min") && !p.contains("max")) {
      issues.push_back({"", false, "check 'row_count' needs 'min' or 'max'"});
    } else if (p.contains("min") && p.contains("max") &&
               p["min"].get<int64_t>() > p["max"].get<int64_t>()) {
      issues.push_back({"", false, fmt::format("'min' ({}) is greater than 'max' ({})",
                                               p["min"].get<int64_t>(), p["max"].get<int64_t>())});
    }
  }
};

}  // namespace

std::unique_ptr<CheckType> RowCountCheckType() { return std::make_unique<RowCountType>(); }

}  // namespace dqa
