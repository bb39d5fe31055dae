#include "core/nightly/config.h"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "tests/unit_support.h"

namespace dqa::nightly {
namespace {

TEST(NightlyConfigTest, MinimalConfigGetsTheDefaults) {
  auto c = ParseNightlyConfig("rules: rules/demo\n", "/etc/dqaudit/nightly.yaml");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->rules, std::vector<std::string>{"/etc/dqaudit/rules/demo"});
  EXPECT_EQ(c->history, "/etc/dqaudit/audit.db");
  EXPECT_EQ(c->reports_out, "");
  EXPECT_EQ(c->schedule_config, "");
  EXPECT_EQ(c->csv_style, "");  // by language
  EXPECT_EQ(c->report_issuer, "");
  EXPECT_EQ(c->report_province, "");
  EXPECT_EQ(c->report_timezone, "Asia/Ho_Chi_Minh");
  EXPECT_EQ(c->jobs, 0);
  EXPECT_EQ(c->timeout_seconds, 900);
  EXPECT_EQ(c->sql_timeout_seconds, 60);
  EXPECT_EQ(c->plugin_probe_timeout_seconds, 10);
  EXPECT_EQ(c->worker_memory, "4G");
  EXPECT_EQ(c->samples, 5);
  EXPECT_FALSE(c->utc_offset_minutes.has_value());  // the machine's time zone
  EXPECT_EQ(c->log_file, "");
  EXPECT_EQ(c->log_max_bytes, 10 << 20);
  EXPECT_EQ(c->log_files, 5);
  EXPECT_EQ(c->keep, (Duration{400, Duration::Unit::kDays}));
  EXPECT_TRUE(c->incremental);
  EXPECT_EQ(c->rescan_after, (Duration{7, Duration::Unit::kDays}));
  EXPECT_EQ(c->config_dir, "/etc/dqaudit");
}

TEST(NightlyConfigTest, ReadsEveryKeyAndResolvesPathsAgainstTheFile) {
  const std::string text = R"yaml(
rules: [rules/demo, /srv/extra.yaml]
history: /var/lib/dqaudit/audit.db
reports:
  out: reports
  formats: [html, xlsx, json]
  languages: [vi, en]
  scoring: scoring.yaml
  csv_style: rfc4180
schedule: {config: schedule.yaml, out: /var/lib/dqaudit/schedule}
jobs: 3
timeout: 1800
sql_timeout: 2.5
plugin_probe_timeout: 30
worker_memory: 2G
samples: 10
utc_offset: "+07:00"
plugin_dirs: plugins
log: {file: log/nightly.log, max_size: 1M, files: 3}
keep: 1y
incremental: false
rescan_after: 2w
)yaml";
  auto c = ParseNightlyConfig(text, "/opt/cfg/nightly.yaml");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->rules, (std::vector<std::string>{"/opt/cfg/rules/demo", "/srv/extra.yaml"}));
  EXPECT_EQ(c->history, "/var/lib/dqaudit/audit.db");
  EXPECT_EQ(c->reports_out, "/opt/cfg/reports");
  EXPECT_EQ(c->report_formats, (std::vector<std::string>{"html", "xlsx", "json"}));
  EXPECT_EQ(c->report_languages, (std::vector<std::string>{"vi", "en"}));
  EXPECT_EQ(c->scoring, "/opt/cfg/scoring.yaml");
  EXPECT_EQ(c->csv_style, "rfc4180");
  EXPECT_EQ(c->schedule_config, "/opt/cfg/schedule.yaml");
  EXPECT_EQ(c->schedule_out, "/var/lib/dqaudit/schedule");
  EXPECT_EQ(c->jobs, 3);
  EXPECT_EQ(c->timeout_seconds, 1800);
  EXPECT_EQ(c->sql_timeout_seconds, 2.5);
  EXPECT_EQ(c->plugin_probe_timeout_seconds, 30);
  EXPECT_EQ(c->worker_memory, "2G");
  EXPECT_EQ(c->samples, 10);
  EXPECT_EQ(c->utc_offset_minutes, 420);
  EXPECT_EQ(c->plugin_dirs, std::vector<std::string>{"/opt/cfg/plugins"});
  EXPECT_EQ(c->log_file, "/opt/cfg/log/nightly.log");
  EXPECT_EQ(c->log_max_bytes, 1 << 20);
  EXPECT_EQ(c->log_files, 3);
  EXPECT_EQ(c->keep, (Duration{1, Duration::Unit::kYears}));
  EXPECT_FALSE(c->incremental);
  EXPECT_EQ(c->rescan_after, (Duration{2, Duration::Unit::kWeeks}));
}

TEST(NightlyConfigTest, ReadsTheIssuerProvinceAndTimeZoneOfTheReports) {
  auto c = ParseNightlyConfig(
      "rules: r\nreports:\n  out: out\n  issuer: \"Ban Chỉ đạo chuyển đổi số tỉnh\"\n"
      "  province: \"Tỉnh Bình Minh\"\n  timezone: Asia/Bangkok\n",
      "/etc/dqaudit/nightly.yaml");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->report_issuer, "Ban Chỉ đạo chuyển đổi số tỉnh");
  EXPECT_EQ(c->report_province, "Tỉnh Bình Minh");
  EXPECT_EQ(c->report_timezone, "Asia/Bangkok");
}

TEST(NightlyConfigTest, RejectsBadConfigurationWithPosition) {
  struct Case {
    std::string text;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"history: a.db\n", "n.yaml:1:1: rules: missing; list the rule files or folders to scan"},
      {"rules: r\nkeeep: 30d\n",
       "n.yaml:2:1: nightly configuration: unknown key 'keeep' (did you mean 'keep'?)"},
      {"rules: r\nkeep: 30 days\n",
       "n.yaml:2:7: keep: expected a duration like 30d, 12h, 2w, 6m or 1y, got '30 days'"},
      {"rules: r\nrescan_after: 0d\n", "n.yaml:2:15: rescan_after: expected a duration"},
      {"rules: r\nincremental: yes\n", "n.yaml:2:14: incremental: expected true or false, got 'yes'"},
      {"rules: r\nreports: {out: r, formats: [html, pdf]}\n",
       "n.yaml:2:35: formats: unknown value 'pdf'; expected one of: html, json, csv, xlsx"},
      {"rules: r\nreports: {out: r, languages: [vi, vi]}\n",
       "n.yaml:2:35: languages: 'vi' is listed twice"},
      {"rules: r\nreports: {formats: [html]}\n", "n.yaml:2:10: reports: 'out' is missing"},
      {"rules: r\nreports: {out: r, csv_style: excel}\n",
       "n.yaml:2:30: reports: 'csv_style': expected excel-vi or rfc4180, got 'excel'"},
      {"rules: r\nreports: {out: r, timezone: Asia/Hanoi}\n",
       "n.yaml:2:29: reports: unknown time zone 'Asia/Hanoi' (expected an IANA name such as "
       "Asia/Ho_Chi_Minh)"},
      {"rules: r\nschedule: {config: s.yaml}\n",
       "n.yaml:2:11: schedule: both 'config' and 'out' are needed"},
      {"rules: r\njobs: -1\n", "n.yaml:2:7: nightly configuration: 'jobs': expected a whole number"},
      {"rules: r\nworker_memory: lots\n",
       "n.yaml:2:16: worker_memory: expected a size such as 512M or 4G (0 = none), got 'lots'"},
      {"rules: r\nlog: {max_size: 1K}\n", "n.yaml:2:17: max_size: expected a size of at least 4K"},
      {"rules: []\n", "n.yaml:1:8: rules: expected a text or a non-empty list of texts"},
      {"rules: r\nkeep: 30d\nrescan_after: 2m\n",
       "n.yaml:3:15: rescan_after: 2m is longer than keep (30d)"},
      {"rules: [r\n", "n.yaml:2:1: YAML syntax error"},
      {"rules: r\nutc_offset: ICT\n",
       "n.yaml:2:13: utc_offset: expected +HH:MM, -HH:MM or Z (e.g. \"+07:00\"), got 'ICT'"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    auto parsed = ParseNightlyConfig(c.text, "n.yaml");
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(parsed.status().message().substr(0, c.message.size()), c.message)
        << parsed.status().message();
  }
}

TEST(NightlyConfigTest, RejectsNumbersOutOfRangeWithTheKeyAndTheFile) {
  const std::string too_long =
      "is longer than the maximum of 1000 years (1000y, 12000m, 52178w, 365250d, 8766000h)";
  const std::vector<std::pair<std::string, std::string>> cases = {
      // Before: 999999999999999d wrapped around int64 into a cutoff in the future and deleted
      // the whole history.
      {"rules: r\nkeep: 999999999999999d\n", "n.yaml:2:7: keep: '999999999999999d' " + too_long},
      {"rules: r\nkeep: 1001y\n", "n.yaml:2:7: keep: '1001y' " + too_long},
      {"rules: r\nkeep: 99999999999999999999999999h\n",
       "n.yaml:2:7: keep: '99999999999999999999999999h' " + too_long},
      {"rules: r\nrescan_after: 12001m\n", "n.yaml:2:15: rescan_after: '12001m' " + too_long},
      {"rules: r\nrescan_after: 0d\n",
       "n.yaml:2:15: rescan_after: expected a duration longer than 0, got '0d'"},
      {"rules: r\njobs: 1025\n",
       "n.yaml:2:7: nightly configuration: 'jobs': expected a whole number from 0 to 1024, got "
       "'1025'"},
      {"rules: r\njobs: 99999999999999999999\n",
       "n.yaml:2:7: nightly configuration: 'jobs': expected a whole number from 0 to 1024, got "
       "'99999999999999999999'"},
      {"rules: r\ntimeout: 0\n",
       "n.yaml:2:10: nightly configuration: 'timeout': expected a whole number from 1 to 604800, "
       "got '0'"},
      {"rules: r\nplugin_probe_timeout: 0\n",
       "n.yaml:2:23: nightly configuration: 'plugin_probe_timeout': expected a whole number from 1 "
       "to 3600, got '0'"},
      {"rules: r\nsql_timeout: -1\n",
       "n.yaml:2:14: nightly configuration: 'sql_timeout': expected a number >= 0 and <= 604800, "
       "got -1"},
      {"rules: r\nsamples: 10001\n",
       "n.yaml:2:10: nightly configuration: 'samples': expected a whole number from 0 to 10000, "
       "got '10001'"},
      {"rules: r\nlog: {files: 101}\n",
       "n.yaml:2:14: log: 'files': expected a whole number from 1 to 100, got '101'"},
      {"rules: r\nlog: {max_size: 99999999999999T}\n",
       "n.yaml:2:17: max_size: expected a size of at least 4K such as 10M, got '99999999999999T'"},
  };
  for (const auto& [text, message] : cases) {
    SCOPED_TRACE(text);
    auto parsed = ParseNightlyConfig(text, "n.yaml");
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(parsed.status().message(), message);
  }
  auto longest = ParseNightlyConfig("rules: r\nkeep: 1000y\nrescan_after: 12000m\n", "n.yaml");
  ASSERT_TRUE(longest.ok()) << longest.status().message();
  EXPECT_EQ(longest->keep, (Duration{1000, Duration::Unit::kYears}));
}

TEST(NightlyConfigTest, RefusesAConfigurationThatIsNotARegularFile) {
  HangGuard guard(20);
  const ScopedTempDir temp("dqa_nightly_");
  ASSERT_FALSE(temp.path().empty());
  const std::string tmpl = temp.path().string();
  const std::string fifo = tmpl + "/nightly.yaml";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  auto from_fifo = LoadNightlyConfig(fifo);
  ASSERT_FALSE(from_fifo.ok());
  EXPECT_EQ(from_fifo.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(from_fifo.status().message(), fifo + ": not a regular file (a FIFO)");
  auto from_device = LoadNightlyConfig("/dev/zero");
  ASSERT_FALSE(from_device.ok());
  EXPECT_EQ(from_device.status().message(), "/dev/zero: not a regular file (a character device)");
  const std::string big = tmpl + "/big.yaml";
  std::ofstream(big, std::ios::binary) << "rules: r\n#" << std::string(5 << 20, 'x') << "\n";
  auto from_big = LoadNightlyConfig(big);
  ASSERT_FALSE(from_big.ok());
  EXPECT_EQ(from_big.status().message(),
            big + ": 5242891 bytes, over the limit of 4 MiB for this file");
}

TEST(NightlyConfigTest, MissingFileIsNotFound) {
  auto c = LoadNightlyConfig("/nonexistent/nightly.yaml");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kNotFound);
}

TEST(NightlyConfigTest, ApproximateDaysOrdersDurations) {
  EXPECT_EQ(ApproximateDays({400, Duration::Unit::kDays}), 400);
  EXPECT_EQ(ApproximateDays({36, Duration::Unit::kHours}), 2);
  EXPECT_EQ(ApproximateDays({2, Duration::Unit::kWeeks}), 14);
  EXPECT_EQ(ApproximateDays({6, Duration::Unit::kMonths}), 180);
  EXPECT_EQ(ApproximateDays({1, Duration::Unit::kYears}), 365);
}

// The example the demo runs (scripts/demo.sh) and the docs point operators to.
TEST(NightlyConfigTest, ShippedDemoExampleLoads) {
  const std::string root = DQA_SOURCE_DIR;
  auto c = LoadNightlyConfig(root + "/scripts/nightly/nightly.yaml");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->rules, std::vector<std::string>{root + "/rules/demo"});
  EXPECT_EQ(c->history, root + "/out/demo/audit.db");
  EXPECT_EQ(c->reports_out, root + "/out/demo/reports");
  EXPECT_EQ(c->report_formats, (std::vector<std::string>{"html", "xlsx", "json", "csv"}));
  EXPECT_EQ(c->report_languages, (std::vector<std::string>{"vi", "en"}));
  EXPECT_EQ(c->schedule_config, root + "/rules/schedule/schedule.yaml");
  EXPECT_EQ(c->schedule_out, root + "/out/demo/schedule");
  EXPECT_EQ(c->log_file, root + "/out/demo/log/nightly.log");
}

}  // namespace
}  // namespace dqa::nightly
