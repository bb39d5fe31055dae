// Writing a report to a folder in one of the four formats (one renderer per format in reports/).
#pragma once

#include <string>
#include <string_view>

#include "core/report/report_data.h"
#include "core/util/status.h"
#include "reports/catalog.h"

namespace dqa::reports {

enum class ReportFormat { kHtml, kJson, kCsv, kXlsx };

// "html" | "json" | "csv" | "xlsx"; InvalidArgument otherwise.
Result<ReportFormat> ParseReportFormat(std::string_view name);
std::string_view Extension(ReportFormat format);  // "html", "json", "csv", "xlsx"

// Writes the report of a run into `out_dir` (created if missing) as
// dqaudit-run-<id>-<lang>.<ext> and returns the path written. IoError when it cannot write.
Result<std::string> WriteRunReport(const RunReport& report, ReportFormat format,
                                   const Catalog& catalog, const std::string& out_dir);

// Writes a monthly report as dqaudit-<YYYY-MM>-<lang>.<ext>; returns the path written.
Result<std::string> WritePeriodReport(const PeriodReport& report, ReportFormat format,
                                      const Catalog& catalog, const std::string& out_dir);

}  // namespace dqa::reports
