// pattern: the text of a column matches an RE2 regular expression, one of several or all of
// them (or, with must_not_match, does not).
#include <fmt/format.h>
#include <fmt/ranges.h>
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

// The NFC text form is matched (PartialMatch) against each regex; with `match: any` the value
// matches when one regex does, with `match: all` when every one does. Violation: no match, or a
// match when `must_not_match`.
class PatternEvaluator : public RowEvaluator {
 public:
  PatternEvaluator(const CheckSpec& spec, const CheckContext& context, const ParamReader& p)
      : RowEvaluator(spec, context),
        list_(p.Find("regex") != nullptr && p.Find("regex")->is_array()),
        all_(p.String("match") == "all"),
        must_not_match_(p.Bool("must_not_match")) {
    // Compiled once per check, never per row.
    for (const std::string& pattern : p.Strings("regex")) {
      regexes_.push_back(std::make_unique<RE2>(pattern, PatternOptions()));
    }
  }
  // Not OK when a regex does not compile.
  Status status() const {
    for (const auto& regex : regexes_) {
      if (!regex->ok()) {
        return InvalidArgument(
            fmt::format("invalid regex '{}': {}", regex->pattern(), regex->error()));
      }
    }
    return Status::Ok();
  }

 protected:
  nlohmann::json SaveOwnState() const override { return nullptr; }
  void LoadOwnState(const nlohmann::json&) override {}
  void MergeState(RowEvaluator&) override {}  // counts and samples only: the base merges them
  void ObserveInScope(const ScanRow& row) override {
    const Value& v = Cell(row);
    if (v.is_null()) return;
    ++rows_checked_;
    const std::string_view text = NfcView(TextForm(v, scratch_), nfc_scratch_);
    if (Matches(text) == must_not_match_) AddViolation(row);
  }
  std::string Complete(CheckResult& result) override {
    // Patterns of a list, and a single one that is empty or starts or ends with a space, are
    // quoted: the message must show them.
    const auto shown = [&](const std::string& p) {
      const bool blank_edge = p.empty() || p.front() == ' ' || p.back() == ' ';
      return list_ || blank_edge ? fmt::format("'{}'", p) : p;
    };
    std::vector<std::string> patterns;
    for (const auto& regex : regexes_) patterns.push_back(shown(regex->pattern()));
    SetWords(result, must_not_match_ ? "check.pattern.matches" : "check.pattern.no_match",
             CountArgs(result, {{"columns", JoinColumns(spec_.columns)},
                                {"patterns", fmt::format("{}", fmt::join(patterns, ", "))}}));
    std::string what;
    if (!list_) {
      what = fmt::format("the pattern {}", patterns.front());
    } else {
      what = fmt::format("{} of the patterns {}", all_ ? "all" : "any",
                         fmt::join(patterns, ", "));
    }
    return fmt::format("{} of {} {} {}",
                       CountText(result.violations, result.rows_checked, "values"),
                       JoinColumns(spec_.columns), must_not_match_ ? "match" : "do not match",
                       what);
  }

 private:
  bool Matches(std::string_view text) const {
    for (const auto& regex : regexes_) {
      if (RE2::PartialMatch(text, *regex) != all_) return !all_;
    }
    return all_;
  }

  bool list_, all_, must_not_match_;
  std::vector<std::unique_ptr<RE2>> regexes_;
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
                                       "(anchor it with ^...$ for the whole value), or a list "
                                       "of them; '' matches every value"},
                       {.name = "match", .type = ParamType::kString,
                        .description = "with a list of regexes: a value matches when it matches "
                                       "any of them, or all of them",
                        .default_value = "any", .choices = {"any", "all"}},
                       {.name = "must_not_match", .type = ParamType::kBool,
                        .description = "a value that matches is the violation (placeholder "
                                       "text, forbidden characters)",
                        .default_value = false}},
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
