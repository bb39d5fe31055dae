// The log of past inspections (table `inspections` of audit.db, docs/history.md): what the
// schedule reads to know how long ago each department was inspected.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/history/store.h"
#include "core/util/status.h"

namespace dqa {

struct Inspection {
  int64_t id = 0;                // assigned by AddInspection
  std::string department;        // as written in the rule files' `department:`
  std::string inspected_on;      // "YYYY-MM-DD"
  std::string team;              // optional
  std::string notes;             // optional
  int64_t recorded_unix_ms = 0;  // when it was logged
};

// Logs one inspection and returns its id. The department is trimmed of surrounding whitespace and
// must not be empty; `inspected_on` must be a valid YYYY-MM-DD date (InvalidArgument otherwise).
// `recorded_unix_ms` 0 means now. IoError when the store refuses the write.
Result<int64_t> AddInspection(HistoryStore& store, const Inspection& inspection);

// Every logged inspection (of `department` only, when it is not empty), oldest first: by date,
// then by id.
Result<std::vector<Inspection>> ListInspections(HistoryStore& store,
                                                std::string_view department = {});

// Every department recorded by any run (sources.department), sorted and each once: to catch a
// misspelt department when an inspection is logged.
Result<std::vector<std::string>> RecordedDepartments(HistoryStore& store);

}  // namespace dqa
