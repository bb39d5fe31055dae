// The index page of a reports folder (index-<lang>.html): every run of the history store and
// every period, each with links to the report files of it that are in the folder, so the folder
// browses like a small site (docs/reports.md "Index page").
#pragma once

#include <string>
#include <vector>

#include "core/history/store.h"
#include "core/i18n/catalog.h"
#include "core/util/status.h"

namespace dqa::reports {

// <out_dir>/index-<lang>.html.
std::string IndexPagePath(const std::string& out_dir, i18n::Language language);

// The page for the file names `files` of a folder (names only; those that are not dqaudit
// reports are ignored) and the runs of the store (any order): runs newest first, then years,
// quarters and months newest first (every period that has a file or a complete or partial run),
// each with a link per file of it in `files` and only those.
std::string RenderIndexPage(const std::vector<std::string>& files,
                            const std::vector<RunRecord>& runs, const i18n::Catalog& catalog);

// Lists `out_dir` and writes IndexPagePath() atomically; returns its path. IoError when the folder
// cannot be read or the page cannot be written.
Result<std::string> WriteIndexPage(const std::string& out_dir, const std::vector<RunRecord>& runs,
                                   const i18n::Catalog& catalog);

}  // namespace dqa::reports
