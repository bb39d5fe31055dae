#include "reports/csv/csv_report.h"

#include <fmt/format.h>

#include <initializer_list>
#include <vector>

#include "dqaudit/csv.h"
#include "dqaudit/text.h"
#include "reports/labels.h"

namespace dqa::reports {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// The fixed column lists (docs/reports.md); headers are report.column.<name> in the catalog.
constexpr std::string_view kRunColumns[] = {"run_id",         "day",
                                            "department",     "source",
                                            "table",          "check_id",
                                            "type",           "columns",
                                            "dimension",      "dimension_label",
                                            "severity",       "severity_label",
                                            "outcome",        "outcome_label",
                                            "violations",     "rows_checked",
                                            "percent",        "groups",
                                            "unparseable",    "value",
                                            "fail_max_count", "fail_max_percent",
                                            "warn_max_count", "warn_max_percent",
                                            "score_loss",     "change",
                                            "anomaly",        "samples",
                                            "message",        "indicators",
                                            "metrics",        "units"};

constexpr std::string_view kPeriodColumns[] = {
    "period",    "department",      "source",
    "check_id",  "dimension",       "dimension_label",
    "severity",  "severity_label",  "runs",
    "passed",    "warned",          "failed",
    "errors",    "mean_violations", "max_violations",
    "worst_day", "last_outcome",    "last_outcome_label",
    "indicators"};

// A row under construction: fields already encoded.
class Row {
 public:
  Row& Text(std::string_view text) {
    fields_.push_back(CsvText(text));
    return *this;
  }
  Row& Int(int64_t v) {
    fields_.push_back(std::to_string(v));
    return *this;
  }
  // Shortest text that reads back as the same double, with a '.' decimal point.
  Row& Num(double v) {
    fields_.push_back(fmt::format("{}", v));
    return *this;
  }
  Row& OptInt(const std::optional<int64_t>& v) { return v ? Int(*v) : Empty(); }
  Row& OptNum(const std::optional<double>& v) { return v ? Num(*v) : Empty(); }
  Row& Empty() {
    fields_.emplace_back();
    return *this;
  }
  void AppendTo(std::string& out) const {
    for (size_t i = 0; i < fields_.size(); ++i) {
      if (i > 0) out += ',';
      out += fields_[i];
    }
    out += "\r\n";
  }

 private:
  std::vector<std::string> fields_;
};

template <size_t N>
std::string Header(const std::string_view (&columns)[N], const i18n::Catalog& catalog) {
  std::string out(kBom);
  Row row;
  for (std::string_view c : columns) row.Text(catalog.Text(fmt::format("report.column.{}", c)));
  row.AppendTo(out);
  return out;
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

// "ma_huyen 825: 12/480 (2.5%) | 826: ...; ma_xa ...": every unit of every breakdown, worst first.
std::string UnitsText(const CheckResult& r) {
  std::vector<std::string> parts;
  for (const Breakdown& b : r.breakdowns) {
    std::vector<std::string> units;
    for (const UnitFigures& u : b.units) {
      units.push_back(fmt::format("{}: {}/{} ({}%)", u.unit, u.violations, u.rows_checked,
                                  fmt::format("{:.2f}", u.percent)));
    }
    parts.push_back(b.by + " " + sdk::Join(units, " | "));
  }
  return sdk::Join(parts, "; ");
}

}  // namespace

std::string CsvText(std::string_view text) {
  std::string value;
  value.reserve(text.size() + 1);
  if (!text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos) {
    value.push_back('\'');
  }
  value.append(text);
  return sdk::QuoteCsvField(value);
}

std::string RenderRunReportCsv(const RunReport& report, const i18n::Catalog& catalog) {
  std::string out = Header(kRunColumns, catalog);
  for (const ReportSource& s : report.sources) {
    for (const ReportCheck& c : s.checks) {
      const CheckResult& r = c.result;
      std::vector<std::string> samples;
      for (const auto& sample : r.samples) samples.push_back(SampleText(r.key_columns, sample));
      std::string anomaly;
      if (c.anomaly) {
        anomaly =
            fmt::format("{} ({})", AnomalyLabel(catalog, c.anomaly->direction), c.anomaly->metric);
      }
      Row row;
      row.Int(report.run.id).Text(report.run.today).Text(s.department).Text(s.source);
      row.Text(r.table).Text(r.id).Text(r.type).Text(sdk::Join(r.columns, ", "));
      row.Text(ToString(r.dimension)).Text(Label(catalog, r.dimension));
      row.Text(ToString(r.severity)).Text(Label(catalog, r.severity));
      row.Text(ToString(r.outcome)).Text(Label(catalog, r.outcome));
      row.Int(r.violations).Int(r.rows_checked).Num(r.percent);
      row.OptInt(r.groups).OptInt(r.unparseable).OptNum(r.value);
      row.OptInt(r.thresholds.fail.max_count).OptNum(r.thresholds.fail.max_percent);
      row.OptInt(r.thresholds.warn.max_count).OptNum(r.thresholds.warn.max_percent);
      row.Num(c.score_loss);
      row.Text(c.change ? Label(catalog, *c.change) : "").Text(anomaly);
      row.Text(sdk::Join(samples, " | ")).Text(CheckMessage(catalog, r));
      row.Text(IndicatorsCell(r.indicators, catalog)).Text(MetricsText(r));
      row.Text(UnitsText(r));
      row.AppendTo(out);
    }
  }
  return out;
}

std::string RenderPeriodReportCsv(const PeriodReport& report, const i18n::Catalog& catalog) {
  std::string out = Header(kPeriodColumns, catalog);
  for (const PeriodCheck& c : report.checks) {
    Row row;
    row.Text(report.period).Text(c.department).Text(c.source).Text(c.check_id);
    row.Text(ToString(c.dimension)).Text(Label(catalog, c.dimension));
    row.Text(ToString(c.severity)).Text(Label(catalog, c.severity));
    row.Int(c.runs).Int(c.passed).Int(c.warned).Int(c.failed).Int(c.errors);
    row.Num(c.mean_violations).Int(c.max_violations).Text(c.worst_day);
    row.Text(ToString(c.last_outcome)).Text(Label(catalog, c.last_outcome));
    std::vector<Indicator> last;  // the check's indicators as the month's last run gave them
    for (const PeriodIndicator& p : report.indicators) {
      if (p.source == c.source && p.check_id == c.check_id) last.push_back(p.last);
    }
    row.Text(IndicatorsCell(last, catalog));
    row.AppendTo(out);
  }
  return out;
}

}  // namespace dqa::reports
