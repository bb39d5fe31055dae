#include <fmt/format.h>

#include "core/checks/row_checks.h"
#include "core/util/text.h"

namespace dqa {

MissingCheck::MissingCheck(const CheckSpec& spec, const CheckContext& context,
                           const MissingParams& params)
    : RowEvaluator(spec, context), blank_is_missing_(params.blank_is_missing) {
  for (const std::string& v : params.missing_values) {
    missing_values_.insert(ToNfc(TrimWhitespace(v)));
  }
}

void MissingCheck::ObserveInScope(const ScanRow& row) {
  ++rows_checked_;
  const Value& v = Cell(row);
  bool missing = v.is_null();
  if (!missing && blank_is_missing_ && v.type == Value::Type::kText) missing = IsBlank(v.bytes);
  if (!missing && !missing_values_.empty()) {
    const std::string_view text = TrimWhitespace(TextForm(v, scratch_));
    missing = missing_values_.contains(NfcView(text, nfc_scratch_));
  }
  if (missing) AddViolation(row);
}

std::string MissingCheck::Complete(CheckResult& result) {
  return fmt::format("{} are missing {}", CountText(result.violations, result.rows_checked, "rows"),
                     JoinColumns(spec_.columns));
}

}  // namespace dqa
