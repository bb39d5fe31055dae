// The CSV reports (docs/reports.md "CSV"): a fixed column list written by CsvWriter in the chosen
// style (RFC 4180, or ';' and decimal comma for a Vietnamese Excel), UTF-8 with a byte-order mark.
#pragma once

#include <optional>
#include <string>

#include "core/i18n/catalog.h"
#include "core/report/report_data.h"
#include "core/util/csv_writer.h"

namespace dqa::reports {

// One row per check result of the run, in run order, after a header row in the catalog's language.
// `style` nullopt: the default of the catalog's language (DefaultCsvStyle).
std::string RenderRunReportCsv(const RunReport& report, const i18n::Catalog& catalog,
                               std::optional<CsvStyle> style = std::nullopt);

// One row per check of the month (PeriodReport::checks order), after a header row.
std::string RenderPeriodReportCsv(const PeriodReport& report, const i18n::Catalog& catalog,
                                  std::optional<CsvStyle> style = std::nullopt);

}  // namespace dqa::reports
