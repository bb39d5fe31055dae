#include "core/scoring/score.h"

#include "core/checks/catalog.h"

#include <algorithm>
#include <cmath>

namespace dqa {
namespace {

// Checks whose only violation is "the one measured number is out of bounds" (violations is 0 or
// 1). Their bound is not in the result, so how far out they are is unknown: they count as fully
// over (docs/scoring.md "Yes/no checks").
// The catalogue says which types are yes/no (CheckTypeInfo::yes_no).
bool IsYesNoCheck(std::string_view type) {
  const CheckType* t = Catalog().Find(type);
  return t != nullptr && t->info().yes_no;
}

// observed / limit, or for a limit of 0: 1 + percent / zero_limit_percent.
double KeyRatio(double observed, double limit, double percent, const ScoringConfig& config) {
  if (limit > 0) return observed / limit;
  return 1 + percent / config.zero_limit_percent;
}

// The largest ratio over the exceeded keys of `limits`; 1 when none is exceeded (a result that
// contradicts its own thresholds, e.g. hand-made: it is "just over").
double OverRatio(const CheckResult& r, const Limits& limits, const ScoringConfig& config) {
  double ratio = 1;
  if (limits.max_count && r.violations > *limits.max_count) {
    ratio = std::max(ratio, KeyRatio(static_cast<double>(r.violations),
                                     static_cast<double>(*limits.max_count), r.percent, config));
  }
  if (limits.max_percent && r.percent > *limits.max_percent) {
    ratio = std::max(ratio, KeyRatio(r.percent, *limits.max_percent, r.percent, config));
  }
  return ratio;
}

Grade GradeOfRounded(double rounded, const GradeCuts& c) {
  if (rounded >= c.good) return Grade::kGood;
  if (rounded >= c.fair) return Grade::kFair;
  if (rounded >= c.average) return Grade::kAverage;
  if (rounded >= c.poor) return Grade::kPoor;
  return Grade::kBad;
}

}  // namespace

std::string_view ToString(Grade g) {
  switch (g) {
    case Grade::kGood:
      return "good";
    case Grade::kFair:
      return "fair";
    case Grade::kAverage:
      return "average";
    case Grade::kPoor:
      return "poor";
    case Grade::kBad:
      return "bad";
  }
  return "bad";
}

std::string_view GradeLabelVi(Grade g) {
  switch (g) {
    case Grade::kGood:
      return "Tốt";
    case Grade::kFair:
      return "Khá";
    case Grade::kAverage:
      return "Trung bình";
    case Grade::kPoor:
      return "Yếu";
    case Grade::kBad:
      return "Kém";
  }
  return "Kém";
}

std::string_view GradeLabelEn(Grade g) {
  switch (g) {
    case Grade::kGood:
      return "Good";
    case Grade::kFair:
      return "Fair";
    case Grade::kAverage:
      return "Average";
    case Grade::kPoor:
      return "Poor";
    case Grade::kBad:
      return "Bad";
  }
  return "Bad";
}

Grade GradeFor(double score, const GradeCuts& cuts) {
  return GradeOfRounded(std::round(score * 10) / 10, cuts);
}

CheckScore ScoreCheck(const CheckResult& r, const ScoringConfig& config) {
  CheckScore s;
  s.weight = config.SeverityWeight(r.severity);
  switch (r.outcome) {
    case Outcome::kPass:
      s.counted = true;
      return s;
    case Outcome::kError:
      s.counted = config.errors == ErrorPolicy::kPenalize;
      s.loss = s.counted ? config.error_loss : 0;
      return s;
    case Outcome::kWarn:
    case Outcome::kFail:
      break;
  }
  s.counted = true;
  if (IsYesNoCheck(r.type)) {
    s.ratio = config.saturation;
  } else if (r.outcome == Outcome::kFail) {
    s.ratio = OverRatio(r, r.thresholds.fail, config);
  } else {
    // A warn outcome comes from the warn limits, or from the fail limits of a `severity: warn`
    // check; the fail limits decide when they are exceeded.
    const bool over_fail = r.thresholds.fail.Exceeded(r.violations, r.percent);
    s.ratio = OverRatio(r, over_fail ? r.thresholds.fail : r.thresholds.warn, config);
  }
  // Half the weight is lost just over the limit, all of it at `saturation` times the limit.
  const double over = 0.5 + 0.5 * std::min(1.0, (s.ratio - 1) / (config.saturation - 1));
  s.loss = r.outcome == Outcome::kFail ? over : config.warn_loss * over;
  return s;
}

ScoreSet ScoreResults(const std::vector<const CheckResult*>& results, const ScoringConfig& config) {
  ScoreSet set;
  for (const CheckResult* r : results) {
    DimensionScore& d = set.dimensions[static_cast<size_t>(r->dimension)];
    ++d.checks;
    switch (r->outcome) {
      case Outcome::kPass:
        ++d.passed;
        break;
      case Outcome::kWarn:
        ++d.warned;
        break;
      case Outcome::kFail:
        ++d.failed;
        break;
      case Outcome::kError:
        ++d.errors;
        break;
    }
    const CheckScore cs = ScoreCheck(*r, config);
    if (!cs.counted) continue;
    d.weight += cs.weight;
    d.credit += cs.weight * (1 - cs.loss);
  }
  double weighted = 0;
  double total_weight = 0;
  for (size_t i = 0; i < set.dimensions.size(); ++i) {
    DimensionScore& d = set.dimensions[i];
    if (d.weight <= 0) continue;
    d.score = 100 * d.credit / d.weight;
    const double w = config.dimension_weights[i];
    weighted += w * *d.score;
    total_weight += w;
  }
  if (total_weight > 0) {
    set.overall = weighted / total_weight;
    set.grade = GradeFor(*set.overall, config.grades);
  }
  return set;
}

RunScores ScoreRun(const std::vector<SourceResult>& sources, const ScoringConfig& config) {
  RunScores out;
  std::vector<std::vector<const CheckResult*>> by_department;
  for (const SourceResult& source : sources) {
    std::vector<const CheckResult*> results;
    results.reserve(source.results.size());
    for (const CheckResult& r : source.results) results.push_back(&r);
    out.sources.push_back(
        {source.source, source.department, !source.error.empty(), ScoreResults(results, config)});

    size_t d = 0;
    while (d < out.departments.size() && out.departments[d].department != source.department) ++d;
    if (d == out.departments.size()) {
      out.departments.push_back({source.department, {}, {}});
      by_department.emplace_back();
    }
    out.departments[d].sources.push_back(source.source);
    by_department[d].insert(by_department[d].end(), results.begin(), results.end());
  }
  for (size_t d = 0; d < out.departments.size(); ++d) {
    out.departments[d].scores = ScoreResults(by_department[d], config);
  }
  return out;
}

const SourceScore* RunScores::FindSource(std::string_view source) const {
  for (const SourceScore& s : sources) {
    if (s.source == source) return &s;
  }
  return nullptr;
}

const DepartmentScore* RunScores::FindDepartment(std::string_view department) const {
  for (const DepartmentScore& d : departments) {
    if (d.department == department) return &d;
  }
  return nullptr;
}

}  // namespace dqa
