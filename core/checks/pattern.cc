// pattern: the text of a column matches an RE2 regular expression.
#include <fmt/format.h>
#include <re2/re2.h>

#include "core/checks/check_support.h"
#include "core/util/text.h"

namespace dqa {
namespace {

RE2::Options PatternOptions() {
  RE2::Options options;
  options.set_log_errors(false);
  return options;
}

// Violation: the NFC text form has no match of the re2 regex (PartialMatch).
class PatternEvaluator : public RowEvaluator {
 public:
  PatternEvaluator(const CheckSpec& spec, const CheckContext& context, const ParamReader& p)
      : RowEvaluator(spec, context),
        regex_(std::make_unique<RE2>(p.String("regex"), PatternOptions())) {}
  // Not OK when the regex does not compile.
  Status status() const {
    if (regex_->ok()) return Status::Ok();
    return InvalidArgument(
        fmt::format("invalid regex '{}': {}", regex_->pattern(), regex_->error()));
  }

 protected:
  void ObserveInScope(const ScanRow& row) override {
    const Value& v = Cell(row);
    if (v.is_null()) return;
    ++rows_checked_;
    const std::string_view text = NfcView(TextForm(v, scratch_), nfc_scratch_);
    if (!RE2::PartialMatch(text, *regex_)) AddViolation(row);
  }
  std::string Complete(CheckResult& result) override {
    return fmt::format("{} of {} do not match the pattern {}",
                       CountText(result.violations, result.rows_checked, "values"),
                       JoinColumns(spec_.columns), regex_->pattern());
  }

 private:
  std::unique_ptr<RE2> regex_;
  std::string scratch_, nfc_scratch_;
};

class PatternType : public CheckType {
 public:
  PatternType()
      : CheckType({
            .name = "pattern",
            .summary = "The text of a column matches a regular expression (RE2, NFC text).",
            .dimension = Dimension::kValidity,
            .shape = CheckShape::kRow,
            .params = {{.name = "column", .type = ParamType::kColumn, .required = true,
                        .description = "the column"},
                       {.name = "regex", .type = ParamType::kRegex, .required = true,
                        .description = "RE2 expression that must match somewhere in the value "
                                       "(anchor it with ^...$ for the whole value)"}},
        }) {}

  Result<std::unique_ptr<RowEvaluator>> MakeEvaluator(const CheckSpec& spec,
                                                      const CheckContext& context) const override {
    auto check = std::make_unique<PatternEvaluator>(spec, context, ParamReader(info(), spec.params));
    DQA_RETURN_IF_ERROR(check->status());
    return std::unique_ptr<RowEvaluator>(std::move(check));
  }
};

}  // namespace

std::unique_ptr<CheckType> PatternCheckType() { return std::make_unique<PatternType>(); }

}  // namespace dqa
