// The HTML reports: one self-contained file (inline CSS and SVG, nothing loaded from outside, no
// script), readable offline and printable: a committee summary then a page per department.
#pragma once

#include <string>

#include "core/i18n/catalog.h"
#include "core/report/report_data.h"

namespace dqa::reports {

// The report of one run as a complete HTML document (UTF-8), in the catalog's language.
std::string RenderRunReportHtml(const RunReport& report, const i18n::Catalog& catalog);

// The monthly report (`--period YYYY-MM`) as a complete HTML document.
std::string RenderPeriodReportHtml(const PeriodReport& report, const i18n::Catalog& catalog);

}  // namespace dqa::reports
