// Words and small texts every report renderer needs, taken from the message catalog: labels of
// codes (outcome, dimension, severity, grade, run status, change, anomaly), titles, thresholds and
// sample keys as one line of text.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/i18n/catalog.h"
#include "core/report/report_data.h"

namespace dqa::reports {

// The four dimensions in report order (đúng, đủ, sạch, sống).
inline constexpr std::array<Dimension, 4> kReportDimensions = {
    Dimension::kValidity, Dimension::kCompleteness, Dimension::kUniqueness, Dimension::kFreshness};

std::string_view Label(const i18n::Catalog& catalog, Outcome outcome);      // "Không đạt"
std::string_view Label(const i18n::Catalog& catalog, Dimension dimension);  // "Đúng"
std::string_view Label(const i18n::Catalog& catalog, Severity severity);    // "Nghiêm trọng"
std::string_view Label(const i18n::Catalog& catalog, Grade grade);          // "Khá"
std::string_view Label(const i18n::Catalog& catalog, CheckChange::Kind kind);
std::string_view Label(const i18n::Catalog& catalog, Direction direction);  // "Tối thiểu"
// An indicator's figure against its target in the catalog's number format: "97,5% (≥ 98,5%)";
// "—" for the value when it has none.
std::string IndicatorText(const i18n::Catalog& catalog, const Indicator& indicator);
// "Tăng bất thường" for direction > 0, "Giảm bất thường" otherwise.
std::string_view AnomalyLabel(const i18n::Catalog& catalog, int direction);
// The label of a run status ("complete" -> "Hoàn tất"); the status itself when unknown.
std::string RunStatusLabel(const i18n::Catalog& catalog, const std::string& status);

// "Báo cáo chất lượng dữ liệu, lần quét 12 ngày 01/11/2026".
std::string RunTitle(const i18n::Catalog& catalog, const RunRecord& run);
// "tháng 10/2026", "quý 4/2026", "năm 2026" for "2026-10", "2026-Q4", "2026" (ParsePeriod); the
// text itself when it is not a period.
std::string PeriodName(const i18n::Catalog& catalog, const std::string& period);
// "Báo cáo chất lượng dữ liệu tháng 10/2026" for period "2026-10" (and a quarter, a year).
std::string PeriodTitle(const i18n::Catalog& catalog, const std::string& period);

// Limits as text in the catalog's number format: "≤ 5 | ≤ 1,5%" style parts joined by ", "
// (fail limits; "" when there are none). Used where one column holds the threshold.
std::string LimitsText(const i18n::Catalog& catalog, const Limits& limits);

// One sample row key as "col=value" pairs joined by ", " ("id=42"; "key1=..." when the key columns
// are unknown).
std::string SampleText(const std::vector<std::string>& key_columns,
                       const std::vector<std::string>& values);
// A sample of `result` as a report shows it: SampleText, except for the delivery check, whose
// samples are a due day and what happened to it ("2026-11-04 missed", "2026-11-04 late 09:12"),
// said in the catalog's language ("hạn 2026-11-04: không nộp").
std::string SampleText(const i18n::Catalog& catalog, const CheckResult& result,
                       const std::vector<std::string>& values);

// What a report names a check by, in the catalog's language (docs/rules.md "Titles"): its title
// in that language, else the default sentence of its type. Ids stay beside it for machines.
std::string CheckTitle(const i18n::Catalog& catalog, const CheckResult& result);
std::string CheckTitle(const i18n::Catalog& catalog, std::string_view id, const CheckNaming& naming);
// An indicator's name in the catalog's language: the title of the check reporting it when the
// indicator is that check's own (an `indicator` check); else the plugin's title in the language,
// carried by `texts` (the message_args of the check that published it, PluginText); else its
// recorded title; else its id.
std::string IndicatorTitle(const i18n::Catalog& catalog, const Indicator& indicator,
                           std::string_view check_id, const CheckNaming& check,
                           const std::vector<std::pair<std::string, std::string>>& texts);

// The message of a check result as the report shows it, in the catalog's language: a schema-drift
// error (IsSchemaDrift) naming the missing table or column; a message in words (message_key) with
// its figures in the language's number and date formats, and for warn/fail the limit it exceeded
// in words ("at most 0.5% — actual 1.2%"); a result recorded before messages had words, as
// recorded.
std::string CheckMessage(const i18n::Catalog& catalog, const CheckResult& result);
// The figure of a yes/no check (row_count, sql, freshness, metric: its catalogue type says
// yes_no): the number it measured, which reports show in place of its 0/1 violation and 0%/100%;
// nullopt for every other check, or one that measured nothing.
std::optional<double> YesNoFigure(const CheckResult& result);
// The same over a period: the mean and the largest of the numbers a yes/no check of `type`
// measured in `points` (and the day of the largest, earliest on ties); nullopt for other types or
// when no point has a number.
struct PeriodFigure {
  double mean = 0;
  double max = 0;
  std::string max_day;
};
std::optional<PeriodFigure> YesNoPeriodFigure(std::string_view type,
                                              const std::vector<CheckPoint>& points);

// A message argument as the catalog's language writes it, by its kind prefix (n_ integer,
// p_ percent, x_ number, d_ ISO day, t_ duration such as "30d"; other names are text), and its
// placeholder name without the prefix.
std::pair<std::string, std::string> WordsArg(const i18n::Catalog& catalog, const std::string& name,
                                             const std::string& value);

// A metric's human name in the catalog's language: a plugin's from its catalog, carried with the
// result ("Số tiền chi trả sau khi mất"), a built-in check's from metric_name.<name>; else the
// metric's name.
std::string MetricName(const i18n::Catalog& catalog, const CheckResult& result,
                       const std::string& name);
// A metric's value as the language writes numbers: a percent for a name ending in "_percent"
// ("85,3%"), an integer when whole ("45.360.000"), else two decimals ("12,35").
std::string MetricValue(const i18n::Catalog& catalog, const std::string& name, double value);
// A plugin check's metrics as "name: value; ..." (MetricName, MetricValue, in reported order);
// "" without metrics.
std::string MetricsText(const i18n::Catalog& catalog, const CheckResult& result);

// Unix milliseconds -> "YYYY-MM-DDTHH:MM:SSZ" (UTC, floored to the second).
std::string IsoTimestamp(int64_t unix_ms);

}  // namespace dqa::reports
