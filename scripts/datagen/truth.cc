#include "scripts/datagen/truth.h"

#include "core/output/results_json.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

namespace dqa::datagen {

Policy AnyViolation(Severity severity) { return Policy{Thresholds{}, severity}; }

Policy FailAbovePercent(double max_percent, Severity severity) {
  Policy p;
  p.thresholds.fail.max_percent = max_percent;
  p.severity = severity;
  return p;
}

Policy FailAboveCount(int64_t max_count, Severity severity) {
  Policy p;
  p.thresholds.fail.max_count = max_count;
  p.severity = severity;
  return p;
}

Policy WarnAbovePercent(double max_percent) {
  Policy p;
  p.thresholds.warn.max_percent = max_percent;
  return p;
}

Policy WarnAboveCount(int64_t max_count) {
  Policy p;
  p.thresholds.warn.max_count = max_count;
  return p;
}

Policy WarnFailPercent(double warn_percent, double fail_percent) {
  Policy p;
  p.thresholds.warn.max_percent = warn_percent;
  p.thresholds.fail.max_percent = fail_percent;
  return p;
}

Indicator ShareIndicator(std::string id, std::string title, int64_t numerator, int64_t denominator,
                         std::optional<double> target, double warn_within) {
  Indicator i;
  i.id = std::move(id);
  i.title = std::move(title);
  i.numerator = numerator;
  i.denominator = denominator;
  if (denominator > 0) {
    i.value = 100.0 * static_cast<double>(numerator) / static_cast<double>(denominator);
  }
  i.target = target;
  i.warn_within = warn_within;
  i.unit = "percent";
  return i;
}

double CheckTruth::Percent() const {
  if (rows_checked == 0) return 0;
  return 100.0 * static_cast<double>(violations) / static_cast<double>(rows_checked);
}

std::string CheckTruth::ExpectedOutcome() const {
  if (type == "indicator" && !indicators.empty()) {
    const Outcome judged = indicators.front().Judge();
    if (judged == Outcome::kFail && policy.severity == Severity::kWarn) return "warn";
    return std::string(ToString(judged));
  }
  Limits fail = policy.thresholds.fail;
  const Limits& warn = policy.thresholds.warn;
  if (fail.empty() && warn.empty()) fail.max_count = 0;
  const double percent = Percent();
  if (fail.Exceeded(violations, percent)) {
    return policy.severity == Severity::kWarn ? "warn" : "fail";
  }
  if (warn.Exceeded(violations, percent)) return "warn";
  return "pass";
}

namespace {

Status AddUnique(std::vector<CheckTruth>& checks, CheckTruth check) {
  for (const auto& c : checks) {
    if (c.id == check.id) return Internal("duplicate ground-truth check id " + check.id);
  }
  checks.push_back(std::move(check));
  return Status::Ok();
}

// {"violations": {"below_percent": .., "above_percent": ..}, "metrics": {"legacy": {..}}}: a
// metric's tolerance sits under "metrics", as its value does.
nlohmann::ordered_json ToleranceJson(const std::map<std::string, Tolerance>& tolerance) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  const std::string metric_prefix = "metrics.";
  for (const auto& [number, t] : tolerance) {
    const nlohmann::ordered_json bounds = {{"below_percent", t.below_percent}, {"above_percent", t.above_percent}};
    if (number.rfind(metric_prefix, 0) == 0) {
      j["metrics"][number.substr(metric_prefix.size())] = bounds;
    } else {
      j[number] = bounds;
    }
  }
  return j;
}

// The checks of one source by id, as ground_truth.json writes them.
nlohmann::ordered_json ChecksJson(const std::vector<CheckTruth>& list) {
  nlohmann::ordered_json checks = nlohmann::ordered_json::object();
  for (const auto& c : list) {
    nlohmann::ordered_json j;
    j["type"] = c.type;
    j["violations"] = c.violations;
    j["rows_checked"] = c.rows_checked;
    if (c.groups) j["groups"] = *c.groups;
    if (c.unparseable) j["unparseable"] = *c.unparseable;
    if (c.value) j["value"] = *c.value;
    if (!c.metrics.empty()) j["metrics"] = c.metrics;
    if (!c.indicators.empty()) {
      j["indicators"] = nlohmann::ordered_json::array();
      for (const Indicator& i : c.indicators) j["indicators"].push_back(IndicatorToJson(i));
    }
    for (const auto& [by, units] : c.units) {
      for (const auto& [unit, counts] : units) {
        j["breakdowns"][by][unit] = {counts.first, counts.second};
      }
    }
    j["percent"] = c.Percent();
    j["severity"] = std::string(ToString(c.policy.severity));
    j["outcome"] = c.ExpectedOutcome();
    if (!c.tolerance.empty()) j["tolerance"] = ToleranceJson(c.tolerance);
    checks[c.id] = j;
  }
  return checks;
}

}  // namespace

Status GroundTruth::Add(const std::string& source, CheckTruth check) {
  return AddUnique(sources_[source].checks, std::move(check));
}

Status GroundTruth::AddOther(const std::string& source, CheckTruth check) {
  return AddUnique(sources_[source].other_checks, std::move(check));
}

namespace {

// One record's key as ground_truth.json writes it: the values of the key columns.
nlohmann::ordered_json Key(int64_t id) { return nlohmann::ordered_json::array({id}); }

// The "fuzzy_duplicates" entry of one table: clusters, every true pair (within each cluster, with
// the corruptions that separate the two records), the near misses and the counts.
nlohmann::ordered_json LinkageJson(const LinkageTruth& t) {
  nlohmann::ordered_json j;
  j["key"] = t.key;
  j["reentry_rate"] = t.reentry_rate;
  nlohmann::ordered_json clusters = nlohmann::ordered_json::array();
  nlohmann::ordered_json pairs = nlohmann::ordered_json::array();
  std::map<std::string, int64_t> per_kind;
  for (const std::string& k : t.corruption_kinds) per_kind[k] = 0;
  int64_t records = 0;
  for (const LinkageCluster& c : t.clusters) {
    nlohmann::ordered_json copies = nlohmann::ordered_json::array();
    for (const LinkageCopy& copy : c.copies) {
      copies.push_back({{"key", Key(copy.id)}, {"corruptions", copy.corruptions}});
      for (const std::string& k : copy.corruptions) ++per_kind[k];
    }
    clusters.push_back({{"kind", c.kind}, {"original", Key(c.original)}, {"copies", copies}});
    records += 1 + static_cast<int64_t>(c.copies.size());
    // Pairs (original, copy) carry the copy's corruptions; (copy, copy) the union of both.
    std::vector<std::pair<int64_t, std::vector<std::string>>> members{{c.original, {}}};
    for (const LinkageCopy& copy : c.copies) members.emplace_back(copy.id, copy.corruptions);
    for (size_t a = 0; a < members.size(); ++a) {
      for (size_t b = a + 1; b < members.size(); ++b) {
        std::set<std::string> kinds(members[a].second.begin(), members[a].second.end());
        kinds.insert(members[b].second.begin(), members[b].second.end());
        const int64_t lo = std::min(members[a].first, members[b].first);
        const int64_t hi = std::max(members[a].first, members[b].first);
        pairs.push_back({{"a", Key(lo)}, {"b", Key(hi)}, {"kind", c.kind},
                         {"corruptions", std::vector<std::string>(kinds.begin(), kinds.end())}});
      }
    }
  }
  nlohmann::ordered_json near = nlohmann::ordered_json::array();
  for (const NearMiss& m : t.near_misses) {
    near.push_back({{"a", Key(std::min(m.a, m.b))}, {"b", Key(std::max(m.a, m.b))}, {"kind", m.kind}});
  }
  j["clusters"] = clusters;
  j["pairs"] = pairs;
  j["near_misses"] = near;
  if (!t.non_standard_names.empty()) j["non_standard_names"] = t.non_standard_names;
  j["counts"] = {{"clusters", clusters.size()}, {"records", records}, {"pairs", pairs.size()},
                 {"near_misses", near.size()}, {"corruptions", per_kind}};
  return j;
}

}  // namespace

Status GroundTruth::WriteJson(const std::string& path) const {
  nlohmann::ordered_json root;
  root["seed"] = seed_;
  root["scale"] = scale_;
  root["today"] = today_;
  if (!defect_factors_.empty()) root["defects"] = defect_factors_;
  nlohmann::ordered_json sources = nlohmann::ordered_json::object();
  for (const auto& [id, src] : sources_) {
    nlohmann::ordered_json s;
    nlohmann::ordered_json tables = nlohmann::ordered_json::object();
    for (const auto& [name, rows] : src.table_rows) tables[name] = {{"rows", rows}};
    s["tables"] = tables;
    s["checks"] = ChecksJson(src.checks);
    if (!src.other_checks.empty()) s["other_checks"] = ChecksJson(src.other_checks);
    sources[id] = s;
  }
  root["sources"] = sources;
  if (!linkage_.empty()) {
    nlohmann::ordered_json linkage = nlohmann::ordered_json::object();
    for (const auto& [table, t] : linkage_) linkage[table] = LinkageJson(t);
    root["fuzzy_duplicates"] = linkage;
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return IoError("cannot write " + path);
  out << root.dump(2) << "\n";
  if (!out) return IoError("cannot write " + path);
  return Status::Ok();
}

}  // namespace dqa::datagen

namespace dqa::datagen {

ReconcileTruth Reconcile(const std::map<std::string, double>& left,
                         const std::map<std::string, double>& right,
                         std::optional<double> absolute, std::optional<double> percent) {
  std::map<std::string, std::pair<double, double>> groups;
  for (const auto& [key, figure] : left) groups[key].first = figure;
  for (const auto& [key, figure] : right) groups[key].second = figure;
  ReconcileTruth t;
  t.groups = static_cast<int64_t>(groups.size());
  for (const auto& [key, figures] : groups) {
    const auto [a, b] = figures;
    t.left_total += a;
    t.right_total += b;
    const double diff = std::fabs(a - b);
    const double scale = std::max(std::fabs(a), std::fabs(b));
    const bool agree = (!absolute && !percent && diff == 0) || (absolute && diff <= *absolute) ||
                       (percent && diff <= *percent / 100 * scale);
    t.disagreeing += agree ? 0 : 1;
  }
  return t;
}

CheckTruth ReconcileCheckTruth(std::string id, const ReconcileTruth& r, Policy policy) {
  return {.id = std::move(id),
          .type = "reconcile",
          .violations = r.disagreeing,
          .rows_checked = r.groups,
          .value = r.left_total - r.right_total,
          .policy = policy,
          .metrics = {{"left_total", r.left_total}, {"right_total", r.right_total}}};
}

}  // namespace dqa::datagen
