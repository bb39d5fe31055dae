// The first screen of every report in words (docs/reports.md "First screen"): the key-findings
// sentences, the grade legend, who issues the report, where, for which period and on whose clock.
// HTML and XLSX show these texts; the JSON report has the same findings as data.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/i18n/catalog.h"
#include "core/report/key_findings.h"
#include "core/report/report_data.h"

namespace dqa::reports {

// The key findings as sentences, in this order: one per worst department (or that none lost
// points), what got better, what got worse (or that there is nothing to compare with), the
// inspection plan, the indicators (when the report has any).
std::vector<std::string> KeyFindingSentences(const i18n::Catalog& catalog, const KeyFindings& f);

// How a check is named in the findings: its title in the catalog's language, quoted (titles may
// hold commas; the findings list several), as the rest of the report names it.
std::string FindingCheckName(const i18n::Catalog& catalog, const FindingCheck& check);

// The grade legend, best first: "Tốt: từ 90", "Khá: từ 75 đến dưới 90", ..., "Kém: dưới 40".
std::vector<std::string> GradeLegend(const i18n::Catalog& catalog, const GradeCuts& cuts);

// `unix_ms` in the report's time zone: "06/12/2026 lúc 03:30" / "2026-12-06 at 03:30".
std::string LocalTimeText(const i18n::Catalog& catalog, int64_t unix_ms, const ReportIssuer& who);

// The facts at the head of a report, as (label, value) pairs: issuing body and province (when
// configured), the period (`period_text`), the time zone of the times shown (its offset at
// `at_unix_ms`).
std::vector<std::pair<std::string, std::string>> IssuerFacts(const i18n::Catalog& catalog,
                                                             const ReportIssuer& who,
                                                             const std::string& period_text,
                                                             int64_t at_unix_ms);
// The period of a run report ("ngày 05/12/2026") and of a monthly report ("tháng 12/2026").
std::string RunPeriodText(const i18n::Catalog& catalog, const RunRecord& run);
std::string MonthPeriodText(const i18n::Catalog& catalog, const std::string& period);

}  // namespace dqa::reports
