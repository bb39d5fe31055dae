// The words of a plan: why each inspection is planned and what the warnings say, in the
// language of a message catalog (core/i18n/catalogs/<lang>/schedule.yaml).
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include "core/i18n/catalog.h"
#include "core/schedule/planner.h"

namespace dqa {

// Reasons of one entry, most important first: the critical rule and its deadline, a missed
// deadline, a repeat inspection, the overall score, the (at most 2) lowest dimensions under 100,
// the failing checks (at most 3 named), the trend, new failures (at most 3 named), the last
// inspection. Pure.
std::vector<std::string> InspectionReasons(const SchedulePlan& plan, const PlannedInspection& entry,
                                           const i18n::Catalog& catalog);

// One warning as a sentence.
std::string WarningText(const ScheduleWarning& warning, const i18n::Catalog& catalog);

// The catalog's name of the weekday of `day` ("Thứ Hai", "Monday").
std::string WeekdayName(int64_t day, const i18n::Catalog& catalog);

// A risk or score rounded to one decimal, as the plan's words and exports show it.
inline double Round1(double v) { return std::round(v * 10) / 10; }

// A risk or score as the catalog writes numbers, one decimal ("72,5" in Vietnamese).
std::string ScoreText(double value, const i18n::Catalog& catalog);

}  // namespace dqa
