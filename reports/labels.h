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
// "Báo cáo chất lượng dữ liệu tháng 10/2026" for period "2026-10".
std::string PeriodTitle(const i18n::Catalog& catalog, const std::string& period);

// Limits as text in the catalog's number format: "≤ 5 | ≤ 1,5%" style parts joined by ", "
// (fail limits; "" when there are none). Used where one column holds the threshold.
std::string LimitsText(const i18n::Catalog& catalog, const Limits& limits);

// One sample row key as "col=value" pairs joined by ", " ("id=42"; "key1=..." when the key columns
// are unknown).
std::string SampleText(const std::vector<std::string>& key_columns,
                       const std::vector<std::string>& values);

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
// An indicator's title in the catalog's language: the plugin's, carried by `texts` (the
// message_args of the check that published it), else its recorded title, else its id.
std::string IndicatorTitle(const i18n::Catalog& catalog,
                           const std::vector<std::pair<std::string, std::string>>& texts,
                           const Indicator& indicator);

// Unix milliseconds -> "YYYY-MM-DDTHH:MM:SSZ" (UTC, floored to the second).
std::string IsoTimestamp(int64_t unix_ms);

}  // namespace dqa::reports
