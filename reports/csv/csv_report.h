// The CSV reports (docs/reports.md "CSV"): RFC 4180 (comma, CRLF, double-quoted fields when
// needed), UTF-8 with a byte-order mark so Excel reads Vietnamese correctly, a fixed column list.
#pragma once

#include <string>
#include <string_view>

#include "core/i18n/catalog.h"
#include "core/report/report_data.h"

namespace dqa::reports {

// One row per check result of the run, in run order, after a header row in the catalog's language.
std::string RenderRunReportCsv(const RunReport& report, const i18n::Catalog& catalog);

// One row per check of the month (PeriodReport::checks order), after a header row.
std::string RenderPeriodReportCsv(const PeriodReport& report, const i18n::Catalog& catalog);

// A field as RFC 4180 writes it: quoted (with doubled quotes) when it holds a comma, a quote, CR
// or LF. Text that a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) gets
// a leading apostrophe first (CSV injection, OWASP); numbers are never passed through here.
std::string CsvText(std::string_view text);

}  // namespace dqa::reports
