#include <fmt/format.h>

#include "core/checks/row_checks.h"

namespace dqa {

std::string RowCountCheck::Complete(CheckResult& result) {
  const int64_t count = rows_checked_;
  result.value = static_cast<double>(count);
  const bool below = params_.min && count < *params_.min;
  const bool above = params_.max && count > *params_.max;
  result.violations = below || above ? 1 : 0;
  std::string expected;
  if (params_.min && params_.max) {
    expected = fmt::format("between {} and {}", *params_.min, *params_.max);
  } else if (params_.min) {
    expected = fmt::format("at least {}", *params_.min);
  } else if (params_.max) {
    expected = fmt::format("at most {}", *params_.max);
  }
  return fmt::format("Table {} has {} rows in scope; expected {}", spec_.table, count,
                     expected.empty() ? "any number" : expected);
}

void ConditionCheck::ObserveInScope(const ScanRow& row) {
  ++rows_checked_;
  if (Flag(row)) AddViolation(row);
}

std::string ConditionCheck::Complete(CheckResult& result) {
  return fmt::format("{} meet the invalid condition: {}",
                     CountText(result.violations, result.rows_checked, "rows"),
                     params_.invalid_when);
}

}  // namespace dqa
