// Comparing a check result of `dqaudit scan --json` with its ground_truth.json entry of the demo
// province (docs/demo-province.md): exact, except the numbers an approximate check's entry gives a
// tolerance ("Approximate checks"). Shared by the integration tests that read the truth.
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace dqa::test_support {

// Whether `got` lies within the truth's tolerance of `expected` (ground_truth.json "tolerance":
// {"below_percent", "above_percent"} of the true number), or equals it when `tolerance` is null.
inline bool WithinTruth(double got, double expected, const nlohmann::json* tolerance) {
  if (tolerance == nullptr) return got == expected;
  const double below = tolerance->value("below_percent", 0.0);
  const double above = tolerance->value("above_percent", 0.0);
  return got >= expected - expected * below / 100 - 1e-9 && got <= expected + expected * above / 100 + 1e-9;
}

// The differences between one check result of `dqaudit scan --json` and its ground-truth entry
// (docs/demo-province.md): every number exact unless the entry gives it a tolerance (the
// approximate checks, "Approximate checks"); type, severity and outcome always equal.
inline std::vector<std::string> DifferencesFromTruth(const nlohmann::json& r, const nlohmann::json& t) {
  std::vector<std::string> problems;
  const nlohmann::json none = nlohmann::json::object();
  const nlohmann::json& tolerance = t.contains("tolerance") ? t["tolerance"] : none;
  const auto compare = [&](const std::string& name, const nlohmann::json& got, const nlohmann::json& expected, const nlohmann::json* tol) {
    if (!got.is_number()) {
      problems.push_back(name + ": no number in the result (truth " + expected.dump() + ")");
    } else if (!WithinTruth(got.get<double>(), expected.get<double>(), tol)) {
      problems.push_back(name + ": result " + got.dump() + ", truth " + expected.dump() +
                         (tol != nullptr ? " (tolerance " + tol->dump() + ")" : ""));
    }
  };
  const auto same = [&](const std::string& name) {
    if (r.value(name, nlohmann::json()) != t[name]) {
      problems.push_back(name + ": result " + r.value(name, nlohmann::json()).dump() + ", truth " + t[name].dump());
    }
  };
  for (const std::string name : {"type", "severity", "outcome"}) same(name);
  for (const std::string name : {"violations", "rows_checked", "groups", "unparseable", "value"}) {
    if (!t.contains(name)) continue;
    compare(name, r.value(name, nlohmann::json()), t[name], tolerance.contains(name) ? &tolerance[name] : nullptr);
  }
  // The percentage follows the violations: exact with them, or the result's own when they are not.
  const double rows = r.value("rows_checked", 0.0);
  const double expected_percent = tolerance.contains("violations")
                                      ? (rows == 0 ? 0 : 100 * r.value("violations", 0.0) / rows)
                                      : t["percent"].get<double>();
  if (std::abs(r.value("percent", -1.0) - expected_percent) > 1e-9) {
    problems.push_back("percent: result " + r.value("percent", nlohmann::json()).dump() + ", expected " +
                       std::to_string(expected_percent));
  }
  if (t.contains("metrics")) {
    const nlohmann::json& metrics = r.value("metrics", nlohmann::json::object());
    const nlohmann::json& metric_tolerance = tolerance.value("metrics", nlohmann::json::object());
    for (const auto& [metric, expected] : t["metrics"].items()) {
      compare("metrics." + metric, metrics.value(metric, nlohmann::json()), expected,
              metric_tolerance.contains(metric) ? &metric_tolerance[metric] : nullptr);
    }
  }
  // Indicators: every field exactly (the value within rounding), matched by id.
  const nlohmann::json reported = r.value("indicators", nlohmann::json::array());
  for (const nlohmann::json& expected : t.value("indicators", nlohmann::json::array())) {
    const std::string id = expected["id"].get<std::string>();
    const nlohmann::json* found = nullptr;
    for (const nlohmann::json& i : reported) {
      if (i.value("id", "") == id) found = &i;
    }
    if (found == nullptr) {
      problems.push_back("indicators." + id + ": missing from the result");
      continue;
    }
    for (const auto& [field, value] : expected.items()) {
      const nlohmann::json got = found->value(field, nlohmann::json());
      const bool equal = value.is_number_float() && got.is_number()
                            ? std::abs(got.get<double>() - value.get<double>()) <= 1e-9
                            : got == value;
      if (!equal) {
        problems.push_back("indicators." + id + "." + field + ": result " + got.dump() +
                           ", truth " + value.dump());
      }
    }
  }
  // Checks with `by`: every unit of the truth with its exact counts, and no other unit.
  if (t.contains("breakdowns")) {
    nlohmann::json got = nlohmann::json::object();
    for (const auto& b : r.value("breakdowns", nlohmann::json::array())) {
      for (const auto& u : b["units"]) {
        got[b["by"].get<std::string>()][u["unit"].get<std::string>()] = {u["violations"], u["rows_checked"]};
      }
    }
    if (got != t["breakdowns"]) {
      problems.push_back("breakdowns: result " + got.dump() + ", truth " + t["breakdowns"].dump());
    }
  }
  return problems;
}

}  // namespace dqa::test_support
