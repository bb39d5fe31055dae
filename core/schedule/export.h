// The plan as CSV (for spreadsheets) and JSON (for programs); formats in docs/schedule.md.
#pragma once

#include <string>

#include "core/i18n/catalog.h"
#include "core/schedule/planner.h"

namespace dqa {

// UTF-8 with a byte-order mark (so spreadsheet programs read Vietnamese correctly), RFC 4180
// (CRLF, fields quoted when they hold a comma, quote or line break). One row per entry, in plan
// order; headers from the catalog; reasons joined by "; ". Dates ISO (YYYY-MM-DD), risk with a
// dot and one decimal.
std::string ScheduleCsv(const SchedulePlan& plan, const i18n::Catalog& catalog);

// The plan, the ranking with every risk component, and the warnings; stable English keys, words
// (reasons, warnings, weekdays) in the catalog's language. Pretty-printed, deterministic.
std::string ScheduleJson(const SchedulePlan& plan, const i18n::Catalog& catalog);

}  // namespace dqa
