// allowed: the value of a column is one of a list (code lists, categories).
#include <fmt/format.h>

#include "core/checks/check_support.h"
#include "core/util/text.h"

namespace dqa {
namespace {

// Violation: the text form (NFC unless normalize: false) is not exactly one of the values.
class AllowedEvaluator : public RowEvaluator {
 public:
  AllowedEvaluator(const CheckSpec& spec, const CheckContext& context, const ParamReader& p)
      : RowEvaluator(spec, context), normalize_(p.Bool("normalize")) {
    for (const std::string& v : p.Strings("values")) values_.insert(normalize_ ? ToNfc(v) : v);
  }

 protected:
  void ObserveInScope(const ScanRow& row) override {
    const Value& v = Cell(row);
    if (v.is_null()) return;
    ++rows_checked_;
    std::string_view text = TextForm(v, scratch_);
    if (normalize_) text = NfcView(text, nfc_scratch_);
    if (!values_.contains(text)) AddViolation(row);
  }
  std::string Complete(CheckResult& result) override {
    return fmt::format("{} of {} are not among the {} allowed values",
                       CountText(result.violations, result.rows_checked, "values"),
                       JoinColumns(spec_.columns), values_.size());
  }

 private:
  bool normalize_;
  StringSet values_;
  std::string scratch_, nfc_scratch_;
};

class AllowedType : public EvaluatedCheckType<AllowedEvaluator> {
 public:
  AllowedType()
      : EvaluatedCheckType({
            .name = "allowed",
            .summary = "The value of a column is one of a list of allowed values.",
            .dimension = Dimension::kValidity,
            .shape = CheckShape::kRow,
            .params = {{.name = "column", .type = ParamType::kColumn, .required = true,
                        .description = "the column"},
                       {.name = "values", .type = ParamType::kStringList, .required = true,
                        .description = "the allowed values", .non_empty = true},
                       {.name = "normalize", .type = ParamType::kBool,
                        .description = "compare NFC-normalised text", .default_value = true}},
        }) {}
};

}  // namespace

std::unique_ptr<CheckType> AllowedCheckType() { return std::make_unique<AllowedType>(); }

}  // namespace dqa
