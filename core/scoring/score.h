// Scores: 0-100 per quality dimension and overall, per source and per department, with a grade.
// The formula is docs/scoring.md; the knobs are ScoringConfig.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/result.h"
#include "core/scoring/config.h"

namespace dqa {

// The committee's five grades, best first.
enum class Grade { kGood, kFair, kAverage, kPoor, kBad };

// "good", "fair", "average", "poor", "bad" (stable keys for JSON/CSV).
std::string_view ToString(Grade g);
// "Tốt", "Khá", "Trung bình", "Yếu", "Kém".
std::string_view GradeLabelVi(Grade g);
// "Good", "Fair", "Average", "Poor", "Bad".
std::string_view GradeLabelEn(Grade g);
// The grade of `score`, decided on the score rounded to one decimal (what reports display).
Grade GradeFor(double score, const GradeCuts& cuts);

// How one check result counts in its dimension.
struct CheckScore {
  bool counted = false;  // false: left out (error outcome with ErrorPolicy::kExclude)
  double weight = 0;     // severity weight
  double loss = 0;       // 0 (pass) .. 1 (all the weight lost)
  double ratio = 0;      // how far over the deciding limit (>= 1); 0 for pass and error
};
// Scores one check result (docs/scoring.md "One check").
CheckScore ScoreCheck(const CheckResult& result, const ScoringConfig& config);

// The score of one dimension over a set of check results.
struct DimensionScore {
  std::optional<double> score;  // 0..100; nullopt = not measured (no counted check)
  double weight = 0;            // sum of the counted checks' weights
  double credit = 0;            // sum of weight * (1 - loss); score = 100 * credit / weight
  int checks = 0;               // every result of the dimension, counted or not
  int passed = 0;
  int warned = 0;
  int failed = 0;
  int errors = 0;
};

// Scores of a set of check results: per dimension, overall and grade.
struct ScoreSet {
  std::array<DimensionScore, 4> dimensions;  // indexed by Dimension
  // Weighted mean of the measured dimensions' scores (dimension weights); nullopt when no
  // dimension with a weight > 0 is measured.
  std::optional<double> overall;
  std::optional<Grade> grade;  // of `overall`
  const DimensionScore& dimension(Dimension d) const { return dimensions[static_cast<size_t>(d)]; }
};

struct SourceScore {
  std::string source;
  std::string department;
  bool scan_error = false;  // the source could not be scanned (SourceResult::error)
  ScoreSet scores;
};

// A department's scores pool the check results of all its sources (one formula, all checks).
struct DepartmentScore {
  std::string department;
  std::vector<std::string> sources;  // in input order
  ScoreSet scores;
};

struct RunScores {
  std::vector<SourceScore> sources;          // in input order
  std::vector<DepartmentScore> departments;  // in order of first appearance
  const SourceScore* FindSource(std::string_view source) const;
  const DepartmentScore* FindDepartment(std::string_view department) const;
};

// Scores every result of `results` together (the building block of ScoreRun).
ScoreSet ScoreResults(const std::vector<const CheckResult*>& results, const ScoringConfig& config);

// Scores a run: per source and per department. `config` must be valid (ValidateScoringConfig).
RunScores ScoreRun(const std::vector<SourceResult>& sources, const ScoringConfig& config);

}  // namespace dqa
