// indicator: a share of rows with a target (docs/checks.md "indicator"): 100 * rows meeting the
// numerator among the rows of the denominator, judged against the target in its direction.
#include <fmt/format.h>

#include <cmath>

#include "core/checks/check_support.h"

namespace dqa {
namespace {

// rows checked = rows in scope meeting the denominator (all rows in scope without one);
// violations = the rows of the denominator that count against the target (direction higher: those
// not meeting the numerator; lower: those meeting it), sampled. The scan evaluates the numerator
// and the denominator as flags.
class IndicatorEvaluator : public RowEvaluator {
 public:
  IndicatorEvaluator(const CheckSpec& spec, const CheckContext& context, const ParamReader& p)
      : RowEvaluator(spec, context),
        numerator_(p.String("numerator")),
        denominator_(p.String("denominator")) {
    indicator_.id = spec.id;
    // The check's title (docs/rules.md "Titles"): reports name the indicator by the check's title
    // in their language; the indicator keeps the Vietnamese one for readers of the results.
    if (auto vi = spec.title.find("vi"); vi != spec.title.end()) indicator_.title = vi->second;
    indicator_.target = p.Number("target");
    indicator_.direction = ParseDirection(p.String("direction")).value_or(Direction::kHigher);
    indicator_.warn_within = p.Number("warn_within").value_or(0);
    indicator_.unit = p.String("unit");
  }
  std::vector<std::string> Columns() const override { return {}; }
  std::vector<FlagExpression> FlagExpressions() const override {
    if (denominator_.empty()) return {{"numerator", numerator_}};
    return {{"numerator", numerator_}, {"denominator", denominator_}};
  }

 protected:
  nlohmann::json SaveOwnState() const override { return numerator_rows_; }
  void LoadOwnState(const nlohmann::json& state) override {
    numerator_rows_ = state.get<int64_t>();
  }
  void MergeState(RowEvaluator& later) override {
    numerator_rows_ += static_cast<IndicatorEvaluator&>(later).numerator_rows_;
  }
  void ObserveInScope(const ScanRow& row) override {
    if (!denominator_.empty() && !Flag(row, 1)) return;
    ++rows_checked_;
    const bool meets = Flag(row, 0);
    if (meets) ++numerator_rows_;
    if (meets == (indicator_.direction == Direction::kLower)) AddViolation(row);
  }
  std::string Complete(CheckResult& result) override {
    indicator_.numerator = numerator_rows_;
    indicator_.denominator = rows_checked_;
    if (rows_checked_ > 0) {
      indicator_.value = 100.0 * static_cast<double>(numerator_rows_) /
                         static_cast<double>(rows_checked_);
      result.value = indicator_.value;
    }
    result.indicators = {indicator_};
    const std::string name = indicator_.title.empty() ? indicator_.id : indicator_.title;
    const std::string target =
        fmt::format("target {} {}%", indicator_.direction == Direction::kHigher ? "at least" : "at most",
                    FormatPercent(*indicator_.target));
    MessageArgs args = {{"name", name},
                        {"p_target", fmt::format("{:.17g}", *indicator_.target)},
                        {"n_numerator", std::to_string(numerator_rows_)},
                        {"n_rows", std::to_string(rows_checked_)}};
    if (indicator_.value) args.emplace_back("p_value", fmt::format("{:.17g}", *indicator_.value));
    SetWords(result,
             !indicator_.value ? "check.indicator.empty"
             : indicator_.direction == Direction::kHigher ? "check.indicator.at_least"
                                                          : "check.indicator.at_most",
             std::move(args));
    if (!indicator_.value) {
      return fmt::format("{}: no rows in the denominator, nothing to measure ({})", name, target);
    }
    return fmt::format("{}: {}% ({} of {} rows), {}", name, FormatPercent(*indicator_.value),
                       numerator_rows_, rows_checked_, target);
  }
  // The value against the target (Indicator::Judge); severity warn turns a fail into a warn.
  // Thresholds do not apply.
  void Decide(CheckResult& result, const std::string& what) override {
    result.percent = PercentOf(result.violations, result.rows_checked);
    result.outcome = indicator_.Judge();
    if (result.outcome == Outcome::kFail && result.severity == Severity::kWarn) {
      result.outcome = Outcome::kWarn;
    }
    result.message = what;
    if (result.outcome == Outcome::kPass) return;
    const double miss = std::abs(*indicator_.value - *indicator_.target);
    result.message += fmt::format("; misses it by {} points", FormatPercent(miss));
    if (indicator_.warn_within > 0) {
      result.message += fmt::format(" (warn within {})", FormatPercent(indicator_.warn_within));
    }
  }

 private:
  std::string numerator_;
  std::string denominator_;
  int64_t numerator_rows_ = 0;
  Indicator indicator_;
};

class IndicatorType : public EvaluatedCheckType<IndicatorEvaluator> {
 public:
  IndicatorType()
      : EvaluatedCheckType({
            .name = "indicator",
            .summary = "The share of rows meeting a numerator among those of a denominator, "
                       "against a target.",
            .dimension = Dimension::kValidity,
            .shape = CheckShape::kAggregate,
            .params =
                {{.name = "numerator", .type = ParamType::kSqlCondition, .required = true,
                  .description = "SQL boolean expression: the rows that count towards the value"},
                 {.name = "denominator", .type = ParamType::kSqlCondition,
                  .description = "SQL boolean expression: the rows measured (default: every row "
                                 "in scope)"},
                 {.name = "target", .type = ParamType::kNumber, .required = true,
                  .description = "the target value, in percent", .min = 0, .max = 100},
                 {.name = "direction", .type = ParamType::kString, .required = true,
                  .description = "higher: the value must be at least the target; lower: at most",
                  .choices = {"higher", "lower"}},
                 {.name = "warn_within", .type = ParamType::kNumber,
                  .description = "points on the wrong side of the target that warn instead of "
                                 "failing",
                  .default_value = 0, .min = 0, .max = 100},
                 {.name = "unit", .type = ParamType::kString,
                  .description = "the unit of the value and target", .default_value = "percent",
                  .choices = {"percent"}}},
            // With `by`, each unit's value is the share among its own rows.
            .supports_by = true,
            .no_thresholds = "an indicator is judged against its target; 'warn_within' gives "
                             "the points that only warn",
        }) {}
};

}  // namespace

std::unique_ptr<CheckType> IndicatorCheckType() { return std::make_unique<IndicatorType>(); }

}  // namespace dqa
