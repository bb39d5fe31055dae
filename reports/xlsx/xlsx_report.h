// The XLSX reports (libxlsxwriter): sheets summary, checks, samples, indicators and units for a
// run; summary, departments, checks and indicators for a month; then a sheet per department.
// Numbers are numbers, percentages carry a percent format, dates are dates; every table has a
// frozen header row, an autofilter, outcome and grade colours (conditional formats) and prints on
// A4 landscape, one page wide, its header repeated (docs/reports.md "XLSX").
#pragma once

#include <string>

#include "core/i18n/catalog.h"
#include "core/report/report_data.h"
#include "core/util/status.h"

namespace dqa::reports {

// Writes the workbook of a run to `path` (replaced if it exists; callers pass a temporary of
// AtomicFile). IoError "cannot write <shown_as>: <libxlsxwriter's error>[: <errno text>]" when
// libxlsxwriter cannot write it; `shown_as` names the file in messages ("" = `path`).
Status WriteRunReportXlsx(const RunReport& report, const i18n::Catalog& catalog,
                          const std::string& path, const std::string& shown_as = "");

// Writes the workbook of a month to `path`, as WriteRunReportXlsx.
Status WritePeriodReportXlsx(const PeriodReport& report, const i18n::Catalog& catalog,
                             const std::string& path, const std::string& shown_as = "");

}  // namespace dqa::reports
