#include "reports/labels.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>
#include <cstdlib>
#include <regex>

#include "core/checks/catalog.h"
#include "core/i18n/titles.h"
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

std::string PeriodName(const i18n::Catalog& catalog, const std::string& period) {
  auto p = ParsePeriod(period);
  if (!p.ok()) return period;
  const std::string year = fmt::format("{:04}", p->year);
  switch (p->kind) {
    case PeriodKind::kMonth:
      return catalog.Format("report.period_month",
                            {{"year", year}, {"month", fmt::format("{:02}", p->number)}});
    case PeriodKind::kQuarter:
      return catalog.Format("report.period_quarter",
                            {{"year", year}, {"quarter", std::to_string(p->number)}});
    case PeriodKind::kYear:
      return catalog.Format("report.period_year", {{"year", year}});
  }
  return period;
}

std::string PeriodTitle(const i18n::Catalog& catalog, const std::string& period) {
  return catalog.Format("report.title_period", {{"period", PeriodName(catalog, period)}});
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

std::string MetricName(const i18n::Catalog& catalog, const CheckResult& result,
                       const std::string& name) {
  const std::string* text =
      PluginText(result.message_args, i18n::ToString(catalog.language()), "metric." + name);
  if (text != nullptr) return *text;
  // A built-in check's measurement (fuzzy_duplicate, reconcile, standard_text).
  const std::string key = "metric_name." + name;
  return catalog.Has(key) ? std::string(catalog.Text(key)) : name;
}

std::string MetricValue(const i18n::Catalog& catalog, const std::string& name, double value) {
  if (name.ends_with("_percent")) return catalog.Percent(value, 1);
  if (value == std::trunc(value) && std::fabs(value) < 1e15) {
    return catalog.Integer(static_cast<int64_t>(value));
  }
  return catalog.Number(value, 2);
}

std::string MetricsText(const i18n::Catalog& catalog, const CheckResult& result) {
  std::vector<std::string> parts;
  for (const auto& [name, value] : result.metrics) {
    parts.push_back(MetricName(catalog, result, name) + ": " + MetricValue(catalog, name, value));
  }
  return fmt::format("{}", fmt::join(parts, "; "));
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

std::pair<std::string, std::string> WordsArg(const i18n::Catalog& catalog, const std::string& name,
                                             const std::string& value) {
  const auto prefixed = [&](std::string_view p) { return name.size() > 2 && name.starts_with(p); };
  const std::string bare = name.size() > 2 ? name.substr(2) : name;
  char* end = nullptr;
  if (prefixed("n_")) {
    const long long n = std::strtoll(value.c_str(), &end, 10);
    if (end != value.c_str() && *end == '\0') return {bare, catalog.Integer(n)};
  } else if (prefixed("p_") || prefixed("x_")) {
    const double x = std::strtod(value.c_str(), &end);
    if (end != value.c_str() && *end == '\0') {
      const bool whole = x == std::trunc(x) && std::fabs(x) < 1e15;
      const int decimals = whole ? 0 : (std::fabs(x) < 0.1 && prefixed("p_") ? 3 : 2);
      return {bare, prefixed("p_") ? catalog.Percent(x, decimals) : catalog.Number(x, decimals)};
    }
  } else if (prefixed("d_")) {
    return {bare, catalog.Date(value)};
  } else if (prefixed("m_")) {
    // A local minute "YYYY-MM-DD HH:MM" (a delivery's due time, in its time zone).
    if (value.size() == 16 && value[10] == ' ') {
      return {bare, catalog.Format("format.date_time", {{"date", catalog.Date(value.substr(0, 10))},
                                                        {"time", value.substr(11)}})};
    }
  } else if (prefixed("w_")) {
    // A word of the catalog, named by its key ("metric_stat.max").
    return {bare, catalog.Has(value) ? std::string(catalog.Text(value)) : value};
  } else if (prefixed("t_")) {
    // A duration of the rules ("30d", "5y"): its number and unit in words.
    if (value.size() >= 2) {
      const std::string unit = value.substr(value.size() - 1);
      const long long n = std::strtoll(value.c_str(), &end, 10);
      // English says "1 day" but "2 days": duration_one holds each unit's singular.
      const std::string key = (n == 1 ? "duration_one." : "duration.") + unit;
      if (catalog.Has(key) && end == value.c_str() + value.size() - 1) {
        return {bare, catalog.Format(key, {{"n", catalog.Integer(n)}})};
      }
    }
    return {bare, value};
  } else {
    return {name, value};
  }
  return {bare, value};
}

namespace {

// A check whose one violation means "the measured number is not what was expected" (its
// catalogue type says yes_no): row_count, sql, freshness, metric.
bool IsYesNoCheck(const CheckResult& result) {
  const CheckType* type = dqa::Catalog().Find(result.type);
  return type != nullptr && type->info().yes_no;
}

}  // namespace

std::optional<double> YesNoFigure(const CheckResult& result) {
  if (!IsYesNoCheck(result)) return std::nullopt;
  return result.value;
}

std::optional<PeriodFigure> YesNoPeriodFigure(std::string_view type,
                                              const std::vector<CheckPoint>& points) {
  const CheckType* check_type = dqa::Catalog().Find(type);
  if (check_type == nullptr || !check_type->info().yes_no) return std::nullopt;
  PeriodFigure f;
  int n = 0;
  for (const CheckPoint& p : points) {
    if (!p.value) continue;
    f.mean += *p.value;
    if (n == 0 || *p.value > f.max) {
      f.max = *p.value;
      f.max_day = p.today;
    }
    ++n;
  }
  if (n == 0) return std::nullopt;
  f.mean /= n;
  return f;
}

namespace {

// The limit a warn/fail result exceeded, in words: "at most 0.5% — actual 1.2%".
std::string ExceededLimitWords(const i18n::Catalog& catalog, const CheckResult& result) {
  if (result.outcome != Outcome::kWarn && result.outcome != Outcome::kFail) return "";
  // A yes/no check's message already says what was expected; an indicator is judged by its value.
  if (result.type == "indicator" || IsYesNoCheck(result)) return "";
  Limits fail = result.thresholds.fail;
  if (result.thresholds.fail.empty() && result.thresholds.warn.empty()) fail.max_count = 0;
  const Limits& limits =
      (result.outcome == Outcome::kFail || fail.Exceeded(result.violations, result.percent))
          ? fail
          : result.thresholds.warn;
  if (limits.max_percent && result.percent > *limits.max_percent) {
    return catalog.Format(
        "threshold.max_percent",
        {{"limit", WordsArg(catalog, "p_limit", fmt::format("{:.17g}", *limits.max_percent)).second},
         {"actual", WordsArg(catalog, "p_actual", fmt::format("{:.17g}", result.percent)).second}});
  }
  if (limits.max_count && result.violations > *limits.max_count) {
    return catalog.Format("threshold.max_count",
                          {{"limit", catalog.Integer(*limits.max_count)},
                           {"actual", catalog.Integer(result.violations)}});
  }
  return "";
}

}  // namespace

std::string CheckTitle(const i18n::Catalog& catalog, std::string_view id, const CheckNaming& naming) {
  return i18n::CheckTitleIn(catalog, naming.title,
                            {.type = naming.type, .table = naming.table, .id = id,
                             .columns = naming.columns});
}

std::string CheckTitle(const i18n::Catalog& catalog, const CheckResult& result) {
  return CheckTitle(catalog, result.id, NamingOf(result));
}

std::string IndicatorTitle(const i18n::Catalog& catalog, const Indicator& indicator,
                           std::string_view check_id, const CheckNaming& check,
                           const std::vector<std::pair<std::string, std::string>>& texts) {
  if (indicator.id == check_id && check.type == "indicator") {
    return CheckTitle(catalog, check_id, check);
  }
  const std::string* text =
      PluginText(texts, i18n::ToString(catalog.language()), "indicator." + indicator.id);
  if (text != nullptr) return *text;
  return indicator.title.empty() ? indicator.id : indicator.title;
}

std::string CheckMessage(const i18n::Catalog& catalog, const CheckResult& result) {
  // A plugin's words (ABI 1.4) carry their texts in both languages: the plugin's catalog is not
  // around when a report is written from the history store.
  const std::string* plugin_text =
      result.message_key.empty()
          ? nullptr
          : PluginText(result.message_args, i18n::ToString(catalog.language()),
                       result.message_key);
  if (!IsSchemaDrift(result) && !result.message_key.empty() &&
      (catalog.Has(result.message_key) || plugin_text != nullptr)) {
    // Arg names are views: the written arguments must outlive them.
    std::vector<std::pair<std::string, std::string>> written;
    bool unparseable = false;
    for (const auto& [name, value] : result.message_args) {
      // An indicator check names itself by its title, in the report's language.
      if (name == "name" && result.type == "indicator" && !result.title.empty()) {
        written.emplace_back(name, CheckTitle(catalog, result));
        continue;
      }
      written.push_back(WordsArg(catalog, name, value));
      unparseable = unparseable || (name == "n_unparseable" && value != "0");
    }
    std::vector<i18n::Catalog::Arg> args;
    for (const auto& [name, value] : written) args.emplace_back(name, value);
    // Twice: a word argument (w_) may hold placeholders of its own ("the {q} quantile").
    const std::string words = plugin_text != nullptr
                                  ? i18n::Catalog::Substitute(*plugin_text, args)
                                  : catalog.Format(result.message_key, args);
    std::string text = i18n::Catalog::Substitute(words, args);
    if (unparseable) text += catalog.Format("check.unparseable", args);
    if (const std::string limit = ExceededLimitWords(catalog, result); !limit.empty()) {
      text += "; " + limit;
    }
    return text;
  }
  if (!IsSchemaDrift(result)) {
    // A message that exists only as text (a plugin's own words, a result recorded before messages
    // had words): the exceeded limit that DecideResult wrote after it in English is said in the
    // report's language instead.
    static const std::regex kLimit("; (fail|warn) limit [^;]*$");
    const std::string limit = ExceededLimitWords(catalog, result);
    if (limit.empty() || !std::regex_search(result.message, kLimit)) return result.message;
    return std::regex_replace(result.message, kLimit, "") + "; " + limit;
  }
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

std::string SampleText(const i18n::Catalog& catalog, const CheckResult& result,
                       const std::vector<std::string>& values) {
  // The forms of DueSampleText (core/checks/delivery.cc).
  static const std::regex kDue("^(\\d{4}-\\d{2}-\\d{2}) (missed|late (.+))$");
  std::smatch m;
  if (result.type == "delivery" && values.size() == 1 && std::regex_match(values[0], m, kDue)) {
    const std::string due = catalog.Date(m[1].str());
    if (m[2].str() == "missed") return catalog.Format("delivery_sample.missed", {{"due", due}});
    // "09:12" on the due day, else "2026-11-05 09:12": a local minute in the language's form.
    return catalog.Format("delivery_sample.late",
                          {{"due", due}, WordsArg(catalog, "m_at", m[3].str())});
  }
  return SampleText(result.key_columns, values);
}

std::string IsoTimestamp(int64_t unix_ms) {
  int64_t seconds = unix_ms / 1000;
  if (unix_ms < 0 && unix_ms % 1000 != 0) --seconds;
  return FormatTimestamp(seconds);
}

}  // namespace dqa::reports
