#include "core/nightly/metrics.h"

#include <fmt/format.h>

#include <filesystem>

#include "core/output/console_summary.h"
#include "core/util/atomic_file.h"

namespace dqa::nightly {
namespace {

// A label value with \, " and newline escaped (OpenMetrics ABNF).
std::string Escape(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

// Seconds from milliseconds, in the shortest exact form ("1794000000.5", "12").
std::string Seconds(int64_t ms) {
  return ms % 1000 == 0 ? fmt::format("{}", ms / 1000)
                        : fmt::format("{}", static_cast<double>(ms) / 1000.0);
}

void Family(std::string& out, const std::string& name, const std::string& help) {
  out += fmt::format("# HELP {} {}\n# TYPE {} gauge\n", name, help, name);
}

void Gauge(std::string& out, const std::string& name, const std::string& help,
           const std::string& value) {
  Family(out, name, help);
  out += fmt::format("{} {}\n", name, value);
}

}  // namespace

std::string MetricsText(const NightlyMetrics& m) {
  std::string out;
  const OutcomeTotals totals = CountOutcomes(m.sources);
  size_t carried = 0;
  for (const SourceResult& s : m.sources) carried += s.carried_from_run.has_value();
  const bool success = m.exit_code == 0 || m.exit_code == 1;
  Gauge(out, "dqaudit_last_run_timestamp_seconds",
        "Unix time the last nightly run started.", Seconds(m.started_unix_ms));
  Gauge(out, "dqaudit_last_run_success",
        "1 when the last nightly run exited 0 or 1 (it ran; checks may have failed), else 0.",
        success ? "1" : "0");
  Gauge(out, "dqaudit_last_run_exit_code", "Exit code of the last nightly run (docs/nightly.md).",
        fmt::format("{}", m.exit_code));
  Gauge(out, "dqaudit_last_run_duration_seconds", "Wall time of the last nightly run.",
        Seconds(m.finished_unix_ms - m.started_unix_ms));
  Gauge(out, "dqaudit_last_run_id", "History store id of the last nightly run; 0 when none was recorded.",
        fmt::format("{}", m.run_id.value_or(0)));
  Family(out, "dqaudit_last_run_checks", "Check results of the last nightly run, per outcome.");
  const std::pair<const char*, int64_t> outcomes[] = {
      {"pass", totals.pass}, {"warn", totals.warn}, {"fail", totals.fail}, {"error", totals.error}};
  for (const auto& [outcome, count] : outcomes) {
    out += fmt::format("dqaudit_last_run_checks{{outcome=\"{}\"}} {}\n", outcome, count);
  }
  Gauge(out, "dqaudit_last_run_sources", "Sources recorded by the last nightly run.",
        fmt::format("{}", m.sources.size()));
  Gauge(out, "dqaudit_last_run_sources_carried",
        "Sources of the last nightly run carried over unchanged from an earlier scan.",
        fmt::format("{}", carried));
  Gauge(out, "dqaudit_last_run_sources_error",
        "Sources the last nightly run could not scan.", fmt::format("{}", totals.source_errors));
  Gauge(out, "dqaudit_last_run_plugins_quarantined",
        "Plugins quarantined during the last nightly run after killing a worker.",
        fmt::format("{}", m.plugins_quarantined.size()));
  if (!m.sources.empty()) {
    Family(out, "dqaudit_source_last_scan_timestamp_seconds",
           "Unix time each source was last scanned (a carried source keeps its scan's time).");
    for (const SourceResult& s : m.sources) {
      out += fmt::format(
          "dqaudit_source_last_scan_timestamp_seconds{{source=\"{}\",department=\"{}\"}} {}\n",
          Escape(s.source), Escape(s.department), Seconds(s.started_unix_ms));
    }
    Family(out, "dqaudit_source_up", "1 when the source was scanned without a source error, else 0.");
    for (const SourceResult& s : m.sources) {
      out += fmt::format("dqaudit_source_up{{source=\"{}\",department=\"{}\"}} {}\n",
                         Escape(s.source), Escape(s.department), s.error.empty() ? 1 : 0);
    }
  }
  out += "# EOF\n";
  return out;
}

Status WriteMetricsFile(const std::string& path, const NightlyMetrics& metrics) {
  std::error_code ec;
  const std::filesystem::path folder = std::filesystem::path(path).parent_path();
  if (!folder.empty()) std::filesystem::create_directories(folder, ec);  // else Write says why
  return WriteFileAtomically(path, MetricsText(metrics));
}

}  // namespace dqa::nightly
