#include "reports/labels.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>
#include <regex>

#include "core/util/dates.h"

namespace dqa::reports {

std::string_view Label(const i18n::Catalog& catalog, Outcome outcome) {
  return catalog.Text(fmt::format("outcome.{}", ToString(outcome)));
}

std::string_view Label(const i18n::Catalog& catalog, Dimension dimension) {
  return catalog.Text(fmt::format("dimension.{}", ToString(dimension)));
}

std::string_view Label(const i18n::Catalog& catalog, Severity severity) {
  return catalog.Text(fmt::format("severity.{}", ToString(severity)));
}

std::string_view Label(const i18n::Catalog& catalog, Grade grade) {
  return catalog.Text(fmt::format("grade.{}", ToString(grade)));
}

std::string_view Label(const i18n::Catalog& catalog, CheckChange::Kind kind) {
  return catalog.Text(fmt::format("report.change.{}", ToString(kind)));
}

std::string_view AnomalyLabel(const i18n::Catalog& catalog, int direction) {
  return catalog.Text(direction > 0 ? "report.anomaly.above" : "report.anomaly.below");
}

std::string RunStatusLabel(const i18n::Catalog& catalog, const std::string& status) {
  const std::string key = "report.run_status." + status;
  return catalog.Has(key) ? std::string(catalog.Text(key)) : status;
}

std::string RunTitle(const i18n::Catalog& catalog, const RunRecord& run) {
  return catalog.Format("report.title_run",
                        {{"run", std::to_string(run.id)}, {"date", catalog.Date(run.today)}});
}

std::string PeriodTitle(const i18n::Catalog& catalog, const std::string& period) {
  return catalog.Format("report.title_period",
                        {{"year", period.substr(0, 4)}, {"month", period.substr(5, 2)}});
}

namespace {

// A percent with as many decimals as it was written with (0.5 -> "0,5%"), at most three.
std::string WrittenPercent(const i18n::Catalog& catalog, double percent) {
  int decimals = 0;
  double scaled = percent;
  while (decimals < 3 && std::fabs(scaled - std::round(scaled)) > 1e-9) {
    scaled *= 10;
    ++decimals;
  }
  return catalog.Percent(percent, decimals);
}

}  // namespace

std::string_view Label(const i18n::Catalog& catalog, Direction direction) {
  return catalog.Text(fmt::format("report.direction.{}", ToString(direction)));
}

std::string IndicatorText(const i18n::Catalog& catalog, const Indicator& indicator) {
  std::string text = indicator.value ? catalog.Percent(*indicator.value, 2) : "—";
  if (indicator.target) {
    text += fmt::format(" ({} {})", indicator.direction == Direction::kHigher ? "≥" : "≤",
                        WrittenPercent(catalog, *indicator.target));
  }
  return text;
}

std::string MetricsText(const CheckResult& result) {
  std::vector<std::string> parts;
  for (const auto& [name, value] : result.metrics) parts.push_back(fmt::format("{}={}", name, value));
  return fmt::format("{}", fmt::join(parts, ", "));
}

std::string LimitsText(const i18n::Catalog& catalog, const Limits& limits) {
  std::string text;
  if (limits.max_count) text = "≤ " + catalog.Integer(*limits.max_count);
  if (limits.max_percent) {
    if (!text.empty()) text += ", ";
    text += "≤ " + WrittenPercent(catalog, *limits.max_percent);
  }
  return text;
}

std::string CheckMessage(const i18n::Catalog& catalog, const CheckResult& result) {
  if (!IsSchemaDrift(result)) return result.message;
  // The forms written by ValidateAgainstDatabases (core/rules/db_validator.cc).
  static const std::regex kTable("^table '([^']*)' is no longer in ");
  static const std::regex kColumn("^[a-z_. ]*column '([^']*)' is no longer in table (\\S+)");
  static const std::regex kFragment("does not compile: no such (column|table): (\\S+)");
  const std::string detail = result.message.substr(kSchemaDriftPrefix.size());
  std::smatch m;
  if (std::regex_search(detail, m, kTable)) {
    return catalog.Format("schema_drift.table", {{"table", m[1].str()}});
  }
  if (std::regex_search(detail, m, kColumn)) {
    return catalog.Format("schema_drift.column", {{"column", m[1].str()}, {"table", m[2].str()}});
  }
  if (std::regex_search(detail, m, kFragment)) {
    return catalog.Format(m[1].str() == "column" ? "schema_drift.fragment_column"
                                                 : "schema_drift.fragment_table",
                          {{"name", m[2].str()}});
  }
  return result.message;
}

std::string SampleText(const std::vector<std::string>& key_columns,
                       const std::vector<std::string>& values) {
  std::string text;
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) text += ", ";
    text += i < key_columns.size() ? key_columns[i] : fmt::format("key{}", i + 1);
    text += '=';
    text += values[i];
  }
  return text;
}

std::string IsoTimestamp(int64_t unix_ms) {
  int64_t seconds = unix_ms / 1000;
  if (unix_ms < 0 && unix_ms % 1000 != 0) --seconds;
  return FormatTimestamp(seconds);
}

}  // namespace dqa::reports
