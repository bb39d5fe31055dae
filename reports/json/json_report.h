// The JSON reports (docs/report-json.md, schema docs/report.schema.json): stable English keys,
// numbers as numbers, and next to each code a label in the catalog's language for human readers.
#pragma once

#include <string>

#include "core/i18n/catalog.h"
#include "core/report/report_data.h"

namespace dqa::reports {

// The report of one run as a JSON document (UTF-8, two-space indent, final newline). Invalid UTF-8
// from source data (samples, messages) is replaced with U+FFFD.
std::string RenderRunReportJson(const RunReport& report, const i18n::Catalog& catalog);

// The monthly report as a JSON document.
std::string RenderPeriodReportJson(const PeriodReport& report, const i18n::Catalog& catalog);

}  // namespace dqa::reports
