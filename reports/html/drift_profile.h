// The drift check's comparison as a table of its own under the check's row in the HTML run report:
// each figure of the column's profile this run, its baseline (the median of the earlier runs), the
// change and whether it went over the limit (docs/reports.md "Drift").
#pragma once

#include <string>

#include "core/i18n/catalog.h"
#include "core/model/result.h"

namespace dqa::reports {

// The table (a <table class="units"> under a heading, escaped), or "" when `result` is no drift
// result or its profile carries no comparison (a first run, a run recorded before the comparison
// was kept). Reads CheckResult::profile's "compared" section (docs/checks.md "drift").
std::string DriftProfileHtml(const i18n::Catalog& catalog, const CheckResult& result);

}  // namespace dqa::reports
