// condition: rows for which an SQL boolean expression (invalid_when) is true.
#include <fmt/format.h>

#include "core/checks/check_support.h"

namespace dqa {
namespace {

// rows checked = rows in scope; violation: invalid_when is true (NULL is not true). The scan
// evaluates the expression as one of its flags.
class ConditionEvaluator : public RowEvaluator {
 public:
  ConditionEvaluator(const CheckSpec& spec, const CheckContext& context, const ParamReader& p)
      : RowEvaluator(spec, context), invalid_when_(p.String("invalid_when")) {}
  std::vector<std::string> Columns() const override { return {}; }
  std::vector<FlagExpression> FlagExpressions() const override {
    return {{"invalid_when", invalid_when_}};
  }
  std::optional<PushDown> PushDownSql(const PushDownTable&) const override {
    PushDown out;
    out.violation += "(" + invalid_when_ + ")";
    return out;
  }

 protected:
  nlohmann::json SaveOwnState() const override { return nullptr; }
  void LoadOwnState(const nlohmann::json&) override {}
  void MergeState(RowEvaluator&) override {}  // counts and samples only: the base merges them
  void ObserveInScope(const ScanRow& row) override {
    ++rows_checked_;
    if (Flag(row)) AddViolation(row);
  }
  std::string Complete(CheckResult& result) override {
    SetWords(result, "check.condition", CountArgs(result, {{"condition", invalid_when_}}));
    return fmt::format("{} meet the invalid condition: {}",
                       CountText(result.violations, result.rows_checked, "rows"), invalid_when_);
  }

 private:
  std::string invalid_when_;
};

class ConditionType : public EvaluatedCheckType<ConditionEvaluator> {
 public:
  ConditionType()
      : EvaluatedCheckType({
            .name = "condition",
            .summary = "Rows for which an SQL condition (invalid_when) is true.",
            .dimension = Dimension::kValidity,
            .shape = CheckShape::kRow,
            .params = {{.name = "invalid_when", .type = ParamType::kSqlCondition,
                        .required = true,
                        .description = "SQL boolean expression over the table's columns; true "
                                       "marks a row as invalid"}},
        }) {}
};

}  // namespace

std::unique_ptr<CheckType> ConditionCheckType() { return std::make_unique<ConditionType>(); }

}  // namespace dqa
