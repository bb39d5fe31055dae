// GroundTruth: what the generator injected, counted per check id of rules/demo (ground_truth.json).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/model/result.h"
#include "core/model/types.h"
#include "core/util/status.h"

namespace dqa::datagen {

// The rule-file policy of a check: what rules/demo says about its thresholds and severity. The
// generator uses it only to state the expected outcome next to the counts.
struct Policy {
  Thresholds thresholds;  // both empty = any violation fails (docs/checks.md "Outcome")
  Severity severity = Severity::kFail;
};

Policy AnyViolation(Severity severity = Severity::kFail);          // no thresholds
Policy FailAbovePercent(double max_percent, Severity severity = Severity::kFail);
Policy FailAboveCount(int64_t max_count, Severity severity = Severity::kFail);
Policy WarnAbovePercent(double max_percent);                      // only `warn:`: never fails
Policy WarnAboveCount(int64_t max_count);
Policy WarnFailPercent(double warn_percent, double fail_percent);

// How far dqaudit's number may lie from an approximate truth, in percent of the true number: a
// check whose result cannot be exact by nature (fuzzy matching, legacy-encoding detection) still
// has its truth, and a consumer accepts truth - below_percent % .. truth + above_percent %
// (ground_truth.json "tolerance", docs/demo-province.md "Approximate checks").
struct Tolerance {
  double below_percent = 0;
  double above_percent = 0;
};

// Expected numbers of one check result: exact, except those named in `tolerance`.
struct CheckTruth {
  std::string id;
  std::string type;  // "missing", "duplicate", ...
  int64_t violations = 0;
  int64_t rows_checked = 0;
  std::optional<int64_t> groups;       // duplicate only
  std::optional<int64_t> unparseable;  // stale, range, freshness only
  std::optional<double> value;         // row_count (rows in scope) and sql (the number)
  Policy policy;
  std::map<std::string, double> metrics;  // the metrics the check reports, exactly
  // Checks with `by` in rules/demo: per unit name ("ma_huyen"), per unit code, the exact
  // {violations, rows_checked} of the unit's rows (docs/checks.md "Breakdowns by unit").
  std::map<std::string, std::map<std::string, std::pair<int64_t, int64_t>>> units;
  // The approximate numbers: "violations", "groups", or "metrics.<name>"; empty = all exact.
  std::map<std::string, Tolerance> tolerance;
  // The indicators the check reports, exactly (numerator, denominator, value, target); an
  // `indicator` check's outcome is its indicator's judgement (docs/checks.md "Indicators").
  std::vector<Indicator> indicators;

  double Percent() const;
  // "pass" | "warn" | "fail" from violations, percent and the policy (docs/checks.md "Outcome").
  std::string ExpectedOutcome() const;
};

// An indicator as dqaudit reports it: value = 100 * numerator / denominator (none for 0), the
// rule's target, direction higher, unit percent.
Indicator ShareIndicator(std::string id, std::string title, int64_t numerator, int64_t denominator,
                         std::optional<double> target, double warn_within = 0);

// The true duplicates planted in one table for record linkage (fuzzy_duplicate): clusters of
// records of one person, and near-miss pairs of different people that look alike. Records are
// named by the table's key (one value per key column; every table here has the single key `id`).
struct LinkageCopy {
  int64_t id = 0;
  std::vector<std::string> corruptions;  // CorruptionName()s, in a fixed order
};
struct LinkageCluster {
  std::string kind;  // "reentered" (corrupted re-entry) | "same_cccd" (the exact duplicate class)
  int64_t original = 0;
  std::vector<LinkageCopy> copies;
};
struct NearMiss {
  int64_t a = 0, b = 0;
  std::string kind;  // "twins" | "common_name"
};
struct LinkageTruth {
  std::vector<std::string> key;
  double reentry_rate = 0;
  std::vector<std::string> corruption_kinds;  // every kind, counted even when 0
  std::vector<LinkageCluster> clusters;
  std::vector<NearMiss> near_misses;
  // Values of the name column as written, in scope of the table's filter: "names" (non-NULL) and
  // per reason of standard_text those not in standard form ("legacy" = TCVN3 or VNI as written,
  // "not_nfc", "invalid_utf8", "control"); empty = not counted.
  std::map<std::string, int64_t> non_standard_names;
};

struct SourceTruth {
  std::map<std::string, int64_t> table_rows;  // every row, filters ignored
  std::vector<CheckTruth> checks;
  // Checks that rules/demo does not run because they need what the demo's rules do not give
  // (another source attached), run by test rule files: ground_truth.json "other_checks".
  std::vector<CheckTruth> other_checks;
};

// The reconcile check's verdict on figures per group (docs/checks.md "reconcile"): the groups
// compared (both sides' keys), those whose figures differ beyond the tolerance, and the totals.
struct ReconcileTruth {
  int64_t groups = 0, disagreeing = 0;
  double left_total = 0, right_total = 0;
};
ReconcileTruth Reconcile(const std::map<std::string, double>& left,
                         const std::map<std::string, double>& right,
                         std::optional<double> absolute, std::optional<double> percent);
// The CheckTruth of a reconcile check with that verdict.
CheckTruth ReconcileCheckTruth(std::string id, const ReconcileTruth& r, Policy policy);

class GroundTruth {
 public:
  GroundTruth(uint64_t seed, double scale, std::string today)
      : seed_(seed), scale_(scale), today_(std::move(today)) {}

  SourceTruth& source(const std::string& id) { return sources_[id]; }
  // The --defects factors the province was generated with (written only when there are some).
  void SetDefectFactors(std::map<std::string, double> factors) { defect_factors_ = std::move(factors); }
  // Adds a check to `source`; InvalidArgument-style duplicate ids are a generator bug (Internal).
  Status Add(const std::string& source, CheckTruth check);
  // The same for a check of SourceTruth::other_checks.
  Status AddOther(const std::string& source, CheckTruth check);

  // Sets the linkage truth of `source`.`table` (ground_truth.json "fuzzy_duplicates").
  void SetLinkage(const std::string& source, const std::string& table, LinkageTruth linkage) {
    linkage_[source + "." + table] = std::move(linkage);
  }

  // Writes ground_truth.json (pretty-printed, keys sorted, so output is byte-stable).
  Status WriteJson(const std::string& path) const;

 private:
  uint64_t seed_;
  double scale_;
  std::string today_;
  std::map<std::string, double> defect_factors_;
  std::map<std::string, SourceTruth> sources_;
  std::map<std::string, LinkageTruth> linkage_;
};

}  // namespace dqa::datagen
