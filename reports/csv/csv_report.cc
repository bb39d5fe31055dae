#include "reports/csv/csv_report.h"

#include <fmt/format.h>

#include <initializer_list>
#include <vector>

#include "core/util/csv_writer.h"
#include "dqaudit/text.h"
#include "reports/labels.h"

namespace dqa::reports {
namespace {

// The fixed column lists (docs/reports.md); headers are report.column.<name> in the catalog.
constexpr std::string_view kRunColumns[] = {
    "run_id",         "day",              "department",     "source",           "table",
    "check_id",       "check_title",      "type",           "columns",          "dimension",
    "dimension_label", "severity",        "severity_label", "outcome",          "outcome_label",
    "violations",     "rows_checked",     "percent",        "groups",           "unparseable",
    "value",          "fail_max_count",   "fail_max_percent", "warn_max_count", "warn_max_percent",
    "score_loss",     "change",           "anomaly",        "samples",          "message",
    "indicators",     "metrics",          "units"};

constexpr std::string_view kPeriodColumns[] = {
    "period",    "department",      "source",
    "check_id",  "check_title",     "dimension",       "dimension_label",
    "severity",  "severity_label",  "runs",
    "passed",    "warned",          "failed",
    "errors",    "mean_violations", "max_violations",
    "worst_day", "last_outcome",    "last_outcome_label",
    "indicators", "metrics"};

// A writer in `style` (the language's default when nullopt) holding the header csv.
template <size_t N>
CsvWriter Header(const std::string_view (&columns)[N], const i18n::Catalog& catalog,
                 std::optional<CsvStyle> style) {
  CsvWriter csv(style.value_or(DefaultCsvStyle(ToString(catalog.language()))));
  for (std::string_view c : columns) csv.Text(catalog.Text(fmt::format("report.column.{}", c)));
  csv.EndRow();
  return csv;
}

// The indicators of one check in one cell: "id: 97,5% (≥ 98,5%) Đạt | ..." ("" without any).
std::string IndicatorsCell(const std::vector<Indicator>& indicators,
                           const i18n::Catalog& catalog) {
  std::vector<std::string> parts;
  for (const Indicator& i : indicators) {
    parts.push_back(fmt::format("{}: {} {}", i.id, IndicatorText(catalog, i),
                                Label(catalog, i.Judge())));
  }
  return sdk::Join(parts, " | ");
}

// "ma_huyen 825: 12/480 (2.50%) | 826: ...; ma_xa ...": every unit of every breakdown, worst
// first, the percent with the style's decimal mark.
std::string UnitsText(const CheckResult& r, const CsvWriter& csv) {
  std::vector<std::string> parts;
  for (const Breakdown& b : r.breakdowns) {
    std::vector<std::string> units;
    for (const UnitFigures& u : b.units) {
      units.push_back(fmt::format("{}: {}/{} ({}%)", UnitName(u), u.violations, u.rows_checked,
                                  csv.Decimal(u.percent, 2)));
    }
    parts.push_back(b.by + " " + sdk::Join(units, " | "));
  }
  return sdk::Join(parts, "; ");
}

}  // namespace

std::string RenderRunReportCsv(const RunReport& report, const i18n::Catalog& catalog,
                               std::optional<CsvStyle> style) {
  CsvWriter csv = Header(kRunColumns, catalog, style);
  for (const ReportSource& s : report.sources) {
    for (const ReportCheck& c : s.checks) {
      const CheckResult& r = c.result;
      std::vector<std::string> samples;
      for (const auto& sample : r.samples) samples.push_back(SampleText(catalog, r, sample));
      std::string anomaly;
      if (c.anomaly) {
        anomaly =
            fmt::format("{} ({})", AnomalyLabel(catalog, c.anomaly->direction), c.anomaly->metric);
      }
      csv.Int(report.run.id).IsoDay(report.run.today).Text(s.department).Text(s.source);
      csv.Text(r.table).Text(r.id).Text(CheckTitle(catalog, r)).Text(r.type);
      csv.Text(sdk::Join(r.columns, ", "));
      csv.Text(ToString(r.dimension)).Text(Label(catalog, r.dimension));
      csv.Text(ToString(r.severity)).Text(Label(catalog, r.severity));
      csv.Text(ToString(r.outcome)).Text(Label(catalog, r.outcome));
      csv.Int(r.violations).Int(r.rows_checked).Num(r.percent);
      csv.OptInt(r.groups).OptInt(r.unparseable).OptNum(r.value);
      csv.OptInt(r.thresholds.fail.max_count).OptNum(r.thresholds.fail.max_percent);
      csv.OptInt(r.thresholds.warn.max_count).OptNum(r.thresholds.warn.max_percent);
      csv.Num(c.score_loss);
      csv.Text(c.change ? Label(catalog, *c.change) : "").Text(anomaly);
      csv.Text(sdk::Join(samples, " | ")).Text(CheckMessage(catalog, r));
      csv.Text(IndicatorsCell(r.indicators, catalog)).Text(MetricsText(catalog, r));
      csv.Text(UnitsText(r, csv));
      csv.EndRow();
    }
  }
  return csv.str();
}

std::string RenderPeriodReportCsv(const PeriodReport& report, const i18n::Catalog& catalog,
                                  std::optional<CsvStyle> style) {
  CsvWriter csv = Header(kPeriodColumns, catalog, style);
  for (const PeriodCheck& c : report.checks) {
    csv.Text(report.period).Text(c.department).Text(c.source).Text(c.check_id);
    csv.Text(CheckTitle(catalog, c.check_id, c.naming));
    csv.Text(ToString(c.dimension)).Text(Label(catalog, c.dimension));
    csv.Text(ToString(c.severity)).Text(Label(catalog, c.severity));
    csv.Int(c.runs).Int(c.passed).Int(c.warned).Int(c.failed).Int(c.errors);
    csv.Num(c.mean_violations).Int(c.max_violations).IsoDay(c.worst_day);
    csv.Text(ToString(c.last_outcome)).Text(Label(catalog, c.last_outcome));
    std::vector<Indicator> last;  // the check's indicators as the month's last run gave them
    for (const PeriodIndicator& p : report.indicators) {
      if (p.source == c.source && p.check_id == c.check_id) last.push_back(p.last);
    }
    csv.Text(IndicatorsCell(last, catalog)).Text(MetricsText(catalog, c.latest_metrics));
    csv.EndRow();
  }
  return csv.str();
}

}  // namespace dqa::reports
