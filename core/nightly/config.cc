#include "core/nightly/config.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>

#include "core/scoring/config.h"
#include "core/scoring/yaml_map.h"
#include "core/util/csv_writer.h"
#include "core/util/dates.h"
#include "core/util/local_time.h"
#include "core/worker/supervisor.h"

namespace dqa::nightly {
namespace {

namespace fs = std::filesystem;

std::string Where(const std::string& name, const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  if (mark.line < 0) return name;
  return fmt::format("{}:{}:{}", name, mark.line + 1, mark.column + 1);
}

Status ErrorAt(const std::string& name, const YAML::Node& node, std::string_view key,
               const std::string& message) {
  return InvalidArgument(fmt::format("{}: {}: {}", Where(name, node), key, message));
}

// A path relative to the configuration file's folder becomes absolute.
std::string Resolve(const std::string& dir, const std::string& path) {
  if (path.empty() || fs::path(path).is_absolute()) return path;
  return (fs::path(dir) / path).lexically_normal().string();
}

Result<std::string> Text(const config::YamlMap& map, const std::string& name, std::string_view key,
                         bool allow_empty = false) {
  const YAML::Node v = map.Get(key);
  if (!v.IsScalar() || (!allow_empty && v.Scalar().empty())) {
    return ErrorAt(name, v, key, "expected a non-empty text");
  }
  return v.Scalar();
}

// A text or a list of texts (at least one).
Result<std::vector<std::string>> TextList(const config::YamlMap& map, const std::string& name,
                                          std::string_view key) {
  const YAML::Node v = map.Get(key);
  std::vector<std::string> out;
  if (v.IsScalar() && !v.Scalar().empty()) {
    out.push_back(v.Scalar());
    return out;
  }
  if (!v.IsSequence() || v.size() == 0) {
    return ErrorAt(name, v, key, "expected a text or a non-empty list of texts");
  }
  for (const YAML::Node& e : v) {
    if (!e.IsScalar() || e.Scalar().empty()) {
      return ErrorAt(name, e, key, "expected a non-empty text in the list");
    }
    out.push_back(e.Scalar());
  }
  return out;
}

Result<std::vector<std::string>> ChoiceList(const config::YamlMap& map, const std::string& name,
                                            std::string_view key,
                                            const std::vector<std::string_view>& allowed) {
  DQA_ASSIGN_OR_RETURN(std::vector<std::string> values, TextList(map, name, key));
  const YAML::Node v = map.Get(key);
  for (size_t i = 0; i < values.size(); ++i) {
    bool known = false;
    for (std::string_view a : allowed) known = known || a == values[i];
    const YAML::Node at = v.IsSequence() ? v[i] : v;
    if (!known) {
      std::string list;
      for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      return ErrorAt(name, at, key, fmt::format("unknown value '{}'; expected one of: {}",
                                                 values[i], list));
    }
    for (size_t j = 0; j < i; ++j) {
      if (values[j] == values[i]) {
        return ErrorAt(name, at, key, fmt::format("'{}' is listed twice", values[i]));
      }
    }
  }
  return values;
}

Status ReadDuration(const config::YamlMap& map, const std::string& name, std::string_view key,
                    Duration& out) {
  if (!map.Has(key)) return Status::Ok();
  const YAML::Node v = map.Get(key);
  const std::string text = v.IsScalar() ? v.Scalar() : "";
  Result<Duration> d = Duration::ParseBounded(text);
  if (d.ok() && d->amount <= 0) {
    d = InvalidArgument(fmt::format("expected a duration longer than 0, got '{}'", text));
  }
  // Bounded: a huge `keep` once wrapped around int64 into a cutoff in the future, which deleted
  // the whole history.
  if (!d.ok()) return ErrorAt(name, v, key, d.status().message());
  out = *d;
  return Status::Ok();
}

Status ReadBool(const config::YamlMap& map, const std::string& name, std::string_view key,
                bool& out) {
  if (!map.Has(key)) return Status::Ok();
  const YAML::Node v = map.Get(key);
  const std::string text = v.IsScalar() ? v.Scalar() : "";
  if (text != "true" && text != "false") {
    return ErrorAt(name, v, key, fmt::format("expected true or false, got '{}'", text));
  }
  out = text == "true";
  return Status::Ok();
}

Status ParseInto(const YAML::Node& root, const std::string& name, NightlyConfig& c) {
  DQA_ASSIGN_OR_RETURN(
      config::YamlMap top,
      config::YamlMap::Read(root, name, "nightly configuration",
                            {"rules", "history", "reports", "schedule", "jobs", "timeout",
                             "sql_timeout", "plugin_probe_timeout", "worker_memory", "samples",
                             "plugin_dirs", "log", "keep", "incremental", "rescan_after",
                             "utc_offset", "feed", "metrics_file"}));
  if (!top.Has("rules")) {
    return InvalidArgument(fmt::format("{}: rules: missing; list the rule files or folders to scan",
                                       Where(name, root)));
  }
  DQA_ASSIGN_OR_RETURN(c.rules, TextList(top, name, "rules"));
  if (top.Has("history")) {
    DQA_ASSIGN_OR_RETURN(c.history, Text(top, name, "history"));
  }
  if (top.Has("reports")) {
    DQA_ASSIGN_OR_RETURN(config::YamlMap reports,
                         config::YamlMap::Read(top.Get("reports"), name, "reports",
                                               {"out", "formats", "languages", "scoring", "csv_style",
                                                "issuer", "province", "timezone", "periods"}));
    if (!reports.Has("out")) return ErrorAt(name, top.Get("reports"), "reports", "'out' is missing");
    DQA_ASSIGN_OR_RETURN(c.reports_out, Text(reports, name, "out"));
    if (reports.Has("formats")) {
      DQA_ASSIGN_OR_RETURN(c.report_formats,
                           ChoiceList(reports, name, "formats", {"html", "json", "csv", "xlsx"}));
    }
    if (reports.Has("languages")) {
      DQA_ASSIGN_OR_RETURN(c.report_languages,
                           ChoiceList(reports, name, "languages", {"vi", "en"}));
    }
    if (reports.Has("periods")) {
      DQA_ASSIGN_OR_RETURN(c.report_periods,
                           ChoiceList(reports, name, "periods", {"month", "quarter", "year"}));
    }
    if (reports.Has("scoring")) {
      DQA_ASSIGN_OR_RETURN(c.scoring, Text(reports, name, "scoring"));
    }
    if (reports.Has("issuer")) {
      DQA_ASSIGN_OR_RETURN(c.report_issuer, Text(reports, name, "issuer"));
    }
    if (reports.Has("province")) {
      DQA_ASSIGN_OR_RETURN(c.report_province, Text(reports, name, "province"));
    }
    if (reports.Has("timezone")) {
      DQA_ASSIGN_OR_RETURN(c.report_timezone, Text(reports, name, "timezone"));
      if (Status s = ValidateTimeZone(c.report_timezone); !s.ok()) {
        return reports.Error("timezone", std::string(s.message()));
      }
    }
    if (reports.Has("csv_style")) {
      DQA_ASSIGN_OR_RETURN(c.csv_style, Text(reports, name, "csv_style"));
      if (!ParseCsvStyle(c.csv_style).ok()) {
        return reports.Error("csv_style", fmt::format("'csv_style': expected excel-vi or rfc4180, "
                                                      "got '{}'",
                                                      c.csv_style));
      }
    }
  }
  if (top.Has("schedule")) {
    DQA_ASSIGN_OR_RETURN(config::YamlMap schedule,
                         config::YamlMap::Read(top.Get("schedule"), name, "schedule",
                                               {"config", "out"}));
    if (!schedule.Has("config") || !schedule.Has("out")) {
      return ErrorAt(name, top.Get("schedule"), "schedule", "both 'config' and 'out' are needed");
    }
    DQA_ASSIGN_OR_RETURN(c.schedule_config, Text(schedule, name, "config"));
    DQA_ASSIGN_OR_RETURN(c.schedule_out, Text(schedule, name, "out"));
  }
  if (top.Has("feed")) {
    DQA_ASSIGN_OR_RETURN(config::YamlMap feed,
                         config::YamlMap::Read(top.Get("feed"), name, "feed", {"out", "keep"}));
    if (!feed.Has("out")) return ErrorAt(name, top.Get("feed"), "feed", "'out' is missing");
    DQA_ASSIGN_OR_RETURN(c.feed_out, Text(feed, name, "out"));
    DQA_RETURN_IF_ERROR(feed.Integer("keep", 1, 10000, c.feed_keep));
  }
  if (top.Has("metrics_file")) {
    DQA_ASSIGN_OR_RETURN(c.metrics_file, Text(top, name, "metrics_file"));
  }
  DQA_RETURN_IF_ERROR(top.Integer("jobs", 0, 1024, c.jobs));
  DQA_RETURN_IF_ERROR(top.Integer("timeout", 1, 7 * 86400, c.timeout_seconds));
  DQA_RETURN_IF_ERROR(top.Number("sql_timeout", 0, 7 * 86400, false, c.sql_timeout_seconds));
  DQA_RETURN_IF_ERROR(
      top.Integer("plugin_probe_timeout", 1, 3600, c.plugin_probe_timeout_seconds));
  DQA_RETURN_IF_ERROR(top.Integer("samples", 0, 10000, c.samples));
  if (top.Has("worker_memory")) {
    DQA_ASSIGN_OR_RETURN(c.worker_memory, Text(top, name, "worker_memory"));
    if (!worker::ParseMemoryLimit(c.worker_memory)) {
      return ErrorAt(name, top.Get("worker_memory"), "worker_memory",
                     fmt::format("expected a size such as 512M or 4G (0 = none), got '{}'",
                                 c.worker_memory));
    }
  }
  if (top.Has("utc_offset")) {
    DQA_ASSIGN_OR_RETURN(std::string offset, Text(top, name, "utc_offset"));
    c.utc_offset_minutes = ParseUtcOffset(offset);
    if (!c.utc_offset_minutes) {
      return ErrorAt(name, top.Get("utc_offset"), "utc_offset",
                     fmt::format("expected +HH:MM, -HH:MM or Z (e.g. \"+07:00\"), got '{}'",
                                 offset));
    }
  }
  if (top.Has("plugin_dirs")) {
    DQA_ASSIGN_OR_RETURN(c.plugin_dirs, TextList(top, name, "plugin_dirs"));
  }
  if (top.Has("log")) {
    DQA_ASSIGN_OR_RETURN(config::YamlMap log, config::YamlMap::Read(top.Get("log"), name, "log",
                                                                    {"file", "max_size", "files"}));
    if (log.Has("file")) {
      DQA_ASSIGN_OR_RETURN(c.log_file, Text(log, name, "file"));
    }
    if (log.Has("max_size")) {
      DQA_ASSIGN_OR_RETURN(std::string size, Text(log, name, "max_size"));
      const std::optional<int64_t> bytes = worker::ParseMemoryLimit(size);
      if (!bytes || *bytes < 4096) {
        return ErrorAt(name, log.Get("max_size"), "max_size",
                       fmt::format("expected a size of at least 4K such as 10M, got '{}'", size));
      }
      c.log_max_bytes = *bytes;
    }
    DQA_RETURN_IF_ERROR(log.Integer("files", 1, 100, c.log_files));
  }
  DQA_RETURN_IF_ERROR(ReadDuration(top, name, "keep", c.keep));
  DQA_RETURN_IF_ERROR(ReadDuration(top, name, "rescan_after", c.rescan_after));
  DQA_RETURN_IF_ERROR(ReadBool(top, name, "incremental", c.incremental));
  if (ApproximateDays(c.rescan_after) > ApproximateDays(c.keep)) {
    return ErrorAt(name, top.Get("rescan_after"), "rescan_after",
                   fmt::format("{} is longer than keep ({}): carried results must point at runs "
                               "that are still kept",
                               c.rescan_after.ToString(), c.keep.ToString()));
  }
  return Status::Ok();
}

}  // namespace

int64_t ApproximateDays(const Duration& d) {
  switch (d.unit) {
    case Duration::Unit::kHours: return (d.amount + 23) / 24;
    case Duration::Unit::kDays: return d.amount;
    case Duration::Unit::kWeeks: return d.amount * 7;
    case Duration::Unit::kMonths: return d.amount * 30;
    case Duration::Unit::kYears: return d.amount * 365;
  }
  return d.amount;
}

Result<NightlyConfig> ParseNightlyConfig(const std::string& yaml_text, const std::string& name) {
  DQA_ASSIGN_OR_RETURN(YAML::Node root, config::LoadRoot(yaml_text, name));
  NightlyConfig c;
  try {
    DQA_RETURN_IF_ERROR(ParseInto(root, name, c));
  } catch (const YAML::Exception& e) {
    return InvalidArgument(fmt::format("{}: YAML error: {}", name, e.what()));
  }
  std::error_code ec;
  fs::path dir = fs::absolute(fs::path(name), ec).parent_path();
  c.config_dir = dir.string();
  for (std::string& p : c.rules) p = Resolve(c.config_dir, p);
  for (std::string& p : c.plugin_dirs) p = Resolve(c.config_dir, p);
  c.history = Resolve(c.config_dir, c.history);
  c.reports_out = Resolve(c.config_dir, c.reports_out);
  c.scoring = Resolve(c.config_dir, c.scoring);
  c.schedule_config = Resolve(c.config_dir, c.schedule_config);
  c.schedule_out = Resolve(c.config_dir, c.schedule_out);
  c.log_file = Resolve(c.config_dir, c.log_file);
  c.feed_out = Resolve(c.config_dir, c.feed_out);
  c.metrics_file = Resolve(c.config_dir, c.metrics_file);
  return c;
}

Result<NightlyConfig> LoadNightlyConfig(const std::string& path) {
  DQA_ASSIGN_OR_RETURN(std::string text, ReadConfigFile(path));
  return ParseNightlyConfig(text, path);
}

}  // namespace dqa::nightly
