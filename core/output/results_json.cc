#include "core/output/results_json.h"

#include <fmt/format.h>

#include "core/checks/catalog.h"
#include "core/util/atomic_file.h"
#include "core/util/dates.h"

namespace dqa {
namespace {

using ojson = nlohmann::ordered_json;

ojson LimitsToJson(const Limits& l) {
  ojson j = ojson::object();
  if (l.max_count) j["max_count"] = *l.max_count;
  if (l.max_percent) j["max_percent"] = *l.max_percent;
  return j;
}

Result<Limits> LimitsFromJson(const nlohmann::json& j, const char* name) {
  if (!j.is_object()) return InvalidArgument(fmt::format("thresholds.{} is not an object", name));
  Limits l;
  for (const auto& [key, value] : j.items()) {
    if (key == "max_count" && value.is_number_integer()) {
      l.max_count = value.get<int64_t>();
    } else if (key == "max_percent" && value.is_number()) {
      l.max_percent = value.get<double>();
    } else {
      return InvalidArgument(fmt::format("thresholds.{}: unexpected {}", name, key));
    }
  }
  return l;
}

// Unix milliseconds -> "YYYY-MM-DDTHH:MM:SSZ" (floor to the second).
std::string Timestamp(int64_t unix_ms) {
  int64_t seconds = unix_ms / 1000;
  if (unix_ms < 0 && unix_ms % 1000 != 0) --seconds;
  return FormatTimestamp(seconds);
}

}  // namespace

ojson ThresholdsToJson(const Thresholds& t) {
  ojson j;
  j["warn"] = LimitsToJson(t.warn);
  j["fail"] = LimitsToJson(t.fail);
  return j;
}

Result<Thresholds> ThresholdsFromJson(const nlohmann::json& j) {
  if (!j.is_object()) return InvalidArgument("thresholds is not an object");
  Thresholds t;
  for (const auto& [key, value] : j.items()) {
    if (key == "warn") {
      DQA_ASSIGN_OR_RETURN(t.warn, LimitsFromJson(value, "warn"));
    } else if (key == "fail") {
      DQA_ASSIGN_OR_RETURN(t.fail, LimitsFromJson(value, "fail"));
    } else {
      return InvalidArgument("thresholds: unexpected " + key);
    }
  }
  return t;
}

ojson SampleToJson(const std::vector<std::string>& key_columns,
                   const std::vector<std::string>& values) {
  ojson j = ojson::object();
  for (size_t i = 0; i < values.size(); ++i) {
    const std::string name = i < key_columns.size() ? key_columns[i] : fmt::format("key{}", i + 1);
    j[name] = values[i];
  }
  return j;
}

ojson IndicatorToJson(const Indicator& i) {
  ojson j;
  j["id"] = i.id;
  j["title"] = i.title;
  j["value"] = i.value ? ojson(*i.value) : ojson(nullptr);
  j["target"] = i.target ? ojson(*i.target) : ojson(nullptr);
  j["direction"] = ToString(i.direction);
  j["warn_within"] = i.warn_within;
  j["unit"] = i.unit;
  j["numerator"] = i.numerator;
  j["denominator"] = i.denominator;
  return j;
}

ojson BreakdownsToJson(const std::vector<Breakdown>& breakdowns) {
  ojson out = ojson::array();
  for (const Breakdown& b : breakdowns) {
    ojson units = ojson::array();
    for (const UnitFigures& u : b.units) {
      ojson ju;
      ju["unit"] = u.unit;
      if (!u.label.empty()) ju["label"] = u.label;  // the unit's name (`labels` of the entry)
      ju["violations"] = u.violations;
      ju["rows_checked"] = u.rows_checked;
      ju["percent"] = u.percent;
      if (u.value) ju["value"] = *u.value;
      units.push_back(std::move(ju));
    }
    ojson jb;
    jb["by"] = b.by;
    jb["units"] = std::move(units);
    out.push_back(std::move(jb));
  }
  return out;
}

ojson CheckResultToJson(const CheckResult& r) {
  ojson j;
  j["id"] = r.id;
  j["type"] = r.type;
  j["source"] = r.source;
  j["table"] = r.table;
  j["columns"] = r.columns;
  if (!r.title.empty()) j["title"] = r.title;  // per language code (docs/rules.md "Titles")
  j["dimension"] = ToString(r.dimension);
  j["severity"] = ToString(r.severity);
  j["outcome"] = ToString(r.outcome);
  j["violations"] = r.violations;
  j["rows_checked"] = r.rows_checked;
  j["percent"] = r.percent;
  // Checks that count groups (duplicate, fuzzy_duplicate) always say how many they found.
  if (const CheckType* type = Catalog().Find(r.type); type != nullptr && type->info().has_groups) {
    j["groups"] = r.groups.value_or(0);
  }
  if (r.unparseable) j["unparseable"] = *r.unparseable;
  if (r.value) j["value"] = *r.value;
  if (!r.metrics.empty()) {  // plugin checks' named measurements, in reported order
    ojson metrics = ojson::object();
    for (const auto& [name, value] : r.metrics) metrics[name] = value;
    j["metrics"] = std::move(metrics);
  }
  if (!r.indicators.empty()) {  // the indicator check's figure, or a plugin check's
    ojson indicators = ojson::array();
    for (const Indicator& i : r.indicators) indicators.push_back(IndicatorToJson(i));
    j["indicators"] = std::move(indicators);
  }
  if (!r.breakdowns.empty()) j["breakdowns"] = BreakdownsToJson(r.breakdowns);
  ojson samples = ojson::array();
  for (const auto& sample : r.samples) samples.push_back(SampleToJson(r.key_columns, sample));
  j["samples"] = std::move(samples);
  j["message"] = r.message;
  if (!r.message_key.empty()) {  // the message in words, for renderers in other languages
    j["message_key"] = r.message_key;
    ojson args = ojson::object();
    for (const auto& [name, value] : r.message_args) args[name] = value;
    j["message_args"] = std::move(args);
  }
  j["thresholds"] = ThresholdsToJson(r.thresholds);
  j["duration_ms"] = r.duration_ms;
  if (!r.profile.empty()) {  // drift's column profile, as recorded in the history
    ojson profile = ojson::parse(r.profile, nullptr, false);
    if (!profile.is_discarded()) j["profile"] = std::move(profile);
  }
  return j;
}

ojson ResultsToJson(const ResultsMeta& meta, const std::vector<SourceResult>& sources) {
  ojson doc;
  doc["dqaudit_version"] = DQA_VERSION;
  doc["run_id"] = meta.run_id ? ojson(*meta.run_id) : ojson(nullptr);
  doc["today"] = meta.today;
  doc["started_at"] = Timestamp(meta.started_unix_ms);
  doc["finished_at"] = Timestamp(meta.finished_unix_ms);
  doc["exit_code"] = meta.exit_code;
  ojson source_list = ojson::array();
  ojson results = ojson::array();
  for (const SourceResult& s : sources) {
    ojson js;
    js["source"] = s.source;
    js["department"] = s.department;
    js["database"] = s.database;
    js["status"] = s.error.empty() ? "ok" : "error";
    js["error"] = s.error.empty() ? ojson(nullptr) : ojson(s.error);
    js["checks"] = s.results.size();
    source_list.push_back(std::move(js));
    for (const CheckResult& r : s.results) results.push_back(CheckResultToJson(r));
  }
  doc["sources"] = std::move(source_list);
  doc["results"] = std::move(results);
  return doc;
}

Status WriteResultsJson(const std::string& path, const ResultsMeta& meta,
                        const std::vector<SourceResult>& sources) {
  // Invalid UTF-8 in source data (samples, messages) must not abort the dump: replace it.
  const std::string text =
      ResultsToJson(meta, sources).dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
  return WriteFileAtomically(path, text + "\n");
}

}  // namespace dqa
