#include "core/checks/evaluator.h"

#include <fmt/format.h>

#include "core/util/text.h"

namespace dqa {

RowEvaluator::RowEvaluator(const CheckSpec& spec, const CheckContext& context)
    : spec_(spec), context_(context) {}

void RowEvaluator::Bind(std::vector<int> cells, int where_flag, std::vector<int> expr_flags) {
  cells_ = std::move(cells);
  where_flag_ = where_flag;
  expr_flags_ = std::move(expr_flags);
}

void RowEvaluator::AddViolation(const ScanRow& row) {
  ++violations_;
  if (static_cast<int64_t>(samples_.size()) >= context_.samples) return;
  std::vector<std::string> key;
  key.reserve(row.keys.size());
  std::string scratch;
  // Truncated here, at capture: a 100 MB key must not be copied (memory stays bounded by the
  // configuration), and every output after this sees the short form.
  for (const Value& v : row.keys) key.push_back(TruncateForDisplay(TextForm(v, scratch)));
  samples_.push_back(std::move(key));
}

CheckResult RowEvaluator::Finish() {
  BeforeFinish();
  if (!error_.empty()) return ErrorResult(spec_, context_, error_);
  CheckResult result = BlankResult(spec_, context_);
  result.violations = violations_;
  result.rows_checked = rows_checked_;
  result.samples = samples_;
  const std::string what = Complete(result);
  Decide(result, what);
  return result;
}

void RowEvaluator::Decide(CheckResult& result, const std::string& what) {
  DecideResult(result, what);
}

CheckResult BlankResult(const CheckSpec& spec, const CheckContext& context) {
  CheckResult r;
  r.id = spec.id;
  r.type = spec.type;
  r.source = context.source;
  r.table = spec.table;
  r.columns = spec.columns;
  r.dimension = spec.dimension;
  r.severity = spec.severity;
  r.thresholds = spec.thresholds;
  r.key_columns = context.key_columns;
  return r;
}

CheckResult ErrorResult(const CheckSpec& spec, const CheckContext& context, std::string message) {
  CheckResult r = BlankResult(spec, context);
  r.outcome = Outcome::kError;
  // Errors can quote data (a plugin's reason, a query's value).
  r.message = message.size() > kMaxMessageBytes ? TruncateForDisplay(message, kMaxMessageBytes)
                                                 : std::move(message);
  return r;
}

std::string FormatPercent(double percent) {
  std::string s = fmt::format("{:.2f}", percent);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

double PercentOf(int64_t violations, int64_t rows) {
  return rows > 0 ? 100.0 * static_cast<double>(violations) / static_cast<double>(rows) : 0.0;
}

std::string CountText(int64_t violations, int64_t rows, std::string_view noun) {
  return fmt::format("{} of {} {} ({}%)", violations, rows, noun,
                     FormatPercent(PercentOf(violations, rows)));
}

std::string JoinColumns(const std::vector<std::string>& columns) {
  return fmt::format("{}", fmt::join(columns, ", "));
}

namespace {

std::string LimitText(const Limits& limits) {
  std::string out;
  if (limits.max_count) out = fmt::format("{}", *limits.max_count);
  if (limits.max_percent) {
    if (!out.empty()) out += " or ";
    out += FormatPercent(*limits.max_percent) + "%";
  }
  return out;
}

}  // namespace

void DecideResult(CheckResult& r, const std::string& what) {
  r.percent = PercentOf(r.violations, r.rows_checked);
  r.outcome = DecideOutcome(r.violations, r.percent, r.thresholds, r.severity);
  r.message = TruncateForDisplay(what, kMaxMessageBytes);
  if (r.outcome == Outcome::kPass) return;
  Limits fail = r.thresholds.fail;
  if (r.thresholds.fail.empty() && r.thresholds.warn.empty()) fail.max_count = 0;
  // A warn outcome comes from the fail limit when severity is warn and that limit was exceeded.
  const Limits& exceeded = (r.outcome == Outcome::kFail || fail.Exceeded(r.violations, r.percent))
                               ? fail
                               : r.thresholds.warn;
  r.message +=
      fmt::format("; {} limit {}", &exceeded == &fail ? "fail" : "warn", LimitText(exceeded));
}

}  // namespace dqa
