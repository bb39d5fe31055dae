#include "scripts/datagen/truth.h"

#include <fstream>

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

double CheckTruth::Percent() const {
  if (rows_checked == 0) return 0;
  return 100.0 * static_cast<double>(violations) / static_cast<double>(rows_checked);
}

std::string CheckTruth::ExpectedOutcome() const {
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

Status GroundTruth::Add(const std::string& source, CheckTruth check) {
  auto& checks = sources_[source].checks;
  for (const auto& c : checks) {
    if (c.id == check.id) return Internal("duplicate ground-truth check id " + check.id);
  }
  checks.push_back(std::move(check));
  return Status::Ok();
}

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
    nlohmann::ordered_json checks = nlohmann::ordered_json::object();
    for (const auto& c : src.checks) {
      nlohmann::ordered_json j;
      j["type"] = c.type;
      j["violations"] = c.violations;
      j["rows_checked"] = c.rows_checked;
      if (c.groups) j["groups"] = *c.groups;
      if (c.unparseable) j["unparseable"] = *c.unparseable;
      if (c.value) j["value"] = *c.value;
      if (!c.metrics.empty()) j["metrics"] = c.metrics;
      j["percent"] = c.Percent();
      j["severity"] = std::string(ToString(c.policy.severity));
      j["outcome"] = c.ExpectedOutcome();
      checks[c.id] = j;
    }
    s["checks"] = checks;
    sources[id] = s;
  }
  root["sources"] = sources;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return IoError("cannot write " + path);
  out << root.dump(2) << "\n";
  if (!out) return IoError("cannot write " + path);
  return Status::Ok();
}

}  // namespace dqa::datagen
