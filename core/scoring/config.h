// ScoringConfig: the knobs of the score formula (docs/scoring.md), with defaults and a YAML loader.
#pragma once

#include <array>
#include <string>

#include "core/model/types.h"
#include "core/util/status.h"

namespace dqa {

// What an `error` outcome (the check could not run) does to a score.
enum class ErrorPolicy {
  kPenalize,  // counts with the check's weight and a loss of ScoringConfig::error_loss
  kExclude,   // left out, as if the check did not exist
};

// Lower bounds (inclusive) of the grades, on the score rounded to one decimal. Must decrease.
struct GradeCuts {
  double good = 90;     // Tốt
  double fair = 75;     // Khá
  double average = 60;  // Trung bình
  double poor = 40;     // Yếu; below: Kém
};

struct ScoringConfig {
  // Weight of each dimension in the overall score, indexed by Dimension. >= 0, at least one > 0.
  // Default: 1 each (the committee's four words count alike).
  std::array<double, 4> dimension_weights = {1, 1, 1, 1};
  // Weight of a check in its dimension, indexed by Severity (warn, fail, critical). > 0.
  std::array<double, 3> severity_weights = {1, 2, 4};
  // Loss of a `warn` outcome as a share of the loss a `fail` would have (0..1). Default 0.5.
  double warn_loss = 0.5;
  // Multiple of the limit at which a failing check loses all its weight (> 1). Default 5.
  double saturation = 5;
  // For a limit of 0 (any violation fails): the ratio is 1 + percent / zero_limit_percent. > 0.
  double zero_limit_percent = 1;
  ErrorPolicy errors = ErrorPolicy::kPenalize;
  double error_loss = 0.5;  // loss of an `error` outcome when penalized (0..1). Default 0.5.
  GradeCuts grades;

  double DimensionWeight(Dimension d) const { return dimension_weights[static_cast<size_t>(d)]; }
  double SeverityWeight(Severity s) const { return severity_weights[static_cast<size_t>(s)]; }
};

// Checks the value ranges above; InvalidArgument naming the first bad key.
Status ValidateScoringConfig(const ScoringConfig& config);

// Parses the scoring keys of a YAML document (docs/scoring.md "Configuration"): `weights`,
// `severity_weights`, `warn_loss`, `saturation`, `zero_limit_percent`, `errors`, `error_loss`,
// `grades`. Missing keys keep their defaults; a `trends` key is left to LoadTrendConfig. Unknown
// keys, wrong types and out-of-range values are InvalidArgument "<name>:<line>:<col>: ...".
// `name` labels messages (the file name).
Result<ScoringConfig> ParseScoringConfig(const std::string& yaml_text, const std::string& name);
// Reads and parses a file; NotFound if it does not exist, IoError if it cannot be read.
Result<ScoringConfig> LoadScoringConfig(const std::string& path);

// The whole text of a configuration file (ReadInputFile: a regular file of at most 4 MiB);
// NotFound "configuration file not found: <path>", InvalidArgument for a FIFO, a device, a
// directory or a file over the limit, IoError. (Shared by every configuration loader.)
Result<std::string> ReadConfigFile(const std::string& path);

}  // namespace dqa
