// The list of every failing row of a check as a CSV file (`dqaudit report --failing`, and beside
// each run report for the department to fix its data, docs/reports.md "Every failing row").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/history/store.h"
#include "core/report/report_data.h"
#include "core/util/csv_writer.h"
#include "core/util/file_identity.h"
#include "core/util/status.h"

namespace dqa::reports {

// "failing-run-<id>-<source>-<check>.csv" (no folder).
std::string FailingCsvName(int64_t run_id, const std::string& source, const std::string& check_id);

// The rows of `list` as CSV in `style`: a header of its columns, then a row per failing row;
// values that are plain numbers as numbers in the style (CsvWriter::Value), others as text.
std::string RenderFailingCsv(const FailingRowList& list, CsvStyle style);

// Writes, for every check of `report` that did not pass and recorded the list of its failing rows
// (HistoryStore::FailingRows: complete_list, at least one row), FailingCsvName() into `out_dir`
// (atomically), and sets the check's failing_csv, failing_listed and failing_total so the HTML
// report links it. Checks that keep only samples get no file (their samples are in the report).
// A file that is one of `inputs` is refused (InvalidArgument) before anything is written. Returns
// the paths written, in report order; IoError naming the file when one cannot be written.
Result<std::vector<std::string>> WriteFailingLists(HistoryStore& store, RunReport& report,
                                                   const std::string& out_dir, CsvStyle style,
                                                   const InputFiles& inputs);

}  // namespace dqa::reports
