// The plan as CSV (for spreadsheets) and JSON (for programs); formats in docs/schedule.md.
#pragma once

#include <string>

#include "core/i18n/catalog.h"
#include "core/schedule/planner.h"
#include "core/util/csv_writer.h"

namespace dqa {

// CsvWriter in `style` (docs/reports.md "CSV": UTF-8 with a byte-order mark, CRLF; rfc4180: ','
// separator, dates YYYY-MM-DD, risk 42.5; excel-vi: ';', dates dd/mm/yyyy, risk 42,5). One row per
// entry, in plan order; headers from the catalog; reasons joined by "; ".
std::string ScheduleCsv(const SchedulePlan& plan, const i18n::Catalog& catalog, CsvStyle style);

// The plan, the ranking with every risk component, and the warnings; stable English keys, words
// (reasons, warnings, weekdays) in the catalog's language. Pretty-printed, deterministic.
std::string ScheduleJson(const SchedulePlan& plan, const i18n::Catalog& catalog);

}  // namespace dqa
