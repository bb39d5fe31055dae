// The results JSON document of a scan (format fixed by docs/results-json.md) and its pieces.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/model/result.h"
#include "core/util/status.h"

namespace dqa {

// Run-level fields of the document.
struct ResultsMeta {
  std::optional<int64_t> run_id;  // null in the JSON when the run was not recorded (--no-history)
  std::string today;              // "YYYY-MM-DD"
  int64_t started_unix_ms = 0;
  int64_t finished_unix_ms = 0;
  int exit_code = 0;
};

// {"warn": {...}, "fail": {...}}; each holds "max_count" and/or "max_percent" only when set.
nlohmann::ordered_json ThresholdsToJson(const Thresholds& t);
// The reverse; InvalidArgument when the shape or the types are wrong.
Result<Thresholds> ThresholdsFromJson(const nlohmann::json& j);

// One indicator as the results JSON and the JSON report write it (docs/results-json.md): id,
// title, value (null without a denominator), target (null without one), direction, warn_within,
// unit, numerator, denominator.
nlohmann::ordered_json IndicatorToJson(const Indicator& indicator);

// One sample as an object key column -> value (in key column order). Missing keys (more values
// than columns) are named "key<N>" (1-based), so no value is ever dropped.
nlohmann::ordered_json SampleToJson(const std::vector<std::string>& key_columns,
                                    const std::vector<std::string>& values);

// One element of "results". "groups" is present only for duplicate checks, "unparseable" and
// "value" only when set.
// The `breakdowns` array of a result (docs/results-json.md): per `by` entry, its units worst first.
nlohmann::ordered_json BreakdownsToJson(const std::vector<Breakdown>& breakdowns);
nlohmann::ordered_json CheckResultToJson(const CheckResult& r);

// The whole document.
nlohmann::ordered_json ResultsToJson(const ResultsMeta& meta,
                                     const std::vector<SourceResult>& sources);

// Writes the document (indented, UTF-8, trailing newline) to `path` whole or not at all
// (WriteFileAtomically). IoError naming the file and the cause when it cannot; the old file stays.
Status WriteResultsJson(const std::string& path, const ResultsMeta& meta,
                        const std::vector<SourceResult>& sources);

}  // namespace dqa
