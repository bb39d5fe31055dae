// Writing a report to a folder in one of the four formats (one renderer per format in reports/).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/i18n/catalog.h"
#include "core/report/report_data.h"
#include "core/util/csv_writer.h"
#include "core/util/status.h"

namespace dqa::reports {

enum class ReportFormat { kHtml, kJson, kCsv, kXlsx };

// "html" | "json" | "csv" | "xlsx"; InvalidArgument otherwise.
Result<ReportFormat> ParseReportFormat(std::string_view name);
std::string_view Extension(ReportFormat format);  // "html", "json", "csv", "xlsx"

// The file WriteRunReport writes: <out_dir>/dqaudit-run-<id>-<lang>.<ext>.
std::string RunReportPath(int64_t run_id, ReportFormat format, i18n::Language language,
                          const std::string& out_dir);
// The file WritePeriodReport writes: <out_dir>/dqaudit-<YYYY-MM>-<lang>.<ext>.
std::string PeriodReportPath(const std::string& period, ReportFormat format,
                             i18n::Language language, const std::string& out_dir);

// Writes the report of a run into `out_dir` (created if missing) as RunReportPath() and returns
// the path written. Whole or not at all (AtomicFile): IoError naming the file and the cause when
// it cannot write; the old file is then unchanged and no temporary is left. `csv_style` (CSV
// only): nullopt = the default of the catalog's language (docs/reports.md "CSV").
Result<std::string> WriteRunReport(const RunReport& report, ReportFormat format,
                                   const i18n::Catalog& catalog, const std::string& out_dir,
                                   std::optional<CsvStyle> csv_style = std::nullopt);

// Writes a monthly report as dqaudit-<YYYY-MM>-<lang>.<ext>; returns the path written.
Result<std::string> WritePeriodReport(const PeriodReport& report, ReportFormat format,
                                      const i18n::Catalog& catalog, const std::string& out_dir,
                                      std::optional<CsvStyle> csv_style = std::nullopt);

}  // namespace dqa::reports
