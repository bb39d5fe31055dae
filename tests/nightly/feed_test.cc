// The IOC feed's files (names, latest.json, pruning) and the operators' OpenMetrics text, without a
// run: tests/integration/nightly_test.cc checks both against a real nightly run.
#include "core/nightly/feed.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "core/nightly/config.h"
#include "core/nightly/metrics.h"
#include "tests/unit_support.h"

namespace dqa::nightly {
namespace {

namespace fs = std::filesystem;

std::string Read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

RunRecord MakeRun(int64_t id, int64_t started_unix_ms) {
  RunRecord r;
  r.id = id;
  r.started_unix_ms = started_unix_ms;
  return r;
}

TEST(NightlyFeedConfigTest, FeedAndMetricsPathsAreResolvedAndKeepIsBounded) {
  auto c = ParseNightlyConfig(
      "rules: r\nfeed: {out: feed, keep: 7}\nmetrics_file: /var/lib/node_exporter/textfile/dqaudit.prom\n",
      "/etc/dqaudit/nightly.yaml");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->feed_out, "/etc/dqaudit/feed");
  EXPECT_EQ(c->feed_keep, 7);
  EXPECT_EQ(c->metrics_file, "/var/lib/node_exporter/textfile/dqaudit.prom");
  auto defaults = ParseNightlyConfig("rules: r\nfeed: {out: /srv/feed}\n", "n.yaml");
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->feed_keep, 30);
  auto zero = ParseNightlyConfig("rules: r\nfeed: {out: f, keep: 0}\n", "n.yaml");
  ASSERT_FALSE(zero.ok());
  EXPECT_NE(zero.status().message().find("expected a whole number from 1 to 10000, got '0'"),
            std::string::npos)
      << zero.status().message();
  auto no_out = ParseNightlyConfig("rules: r\nfeed: {keep: 3}\n", "n.yaml");
  ASSERT_FALSE(no_out.ok());
  EXPECT_NE(no_out.status().message().find("feed: 'out' is missing"), std::string::npos)
      << no_out.status().message();
}

TEST(NightlyFeedTest, FileNamesSortByStartThenRunId) {
  // 2026-11-01T01:30:02Z
  EXPECT_EQ(FeedFileName(MakeRun(12, 1793496602000)), "feed-20261101T013002Z-run-12.json");
}

TEST(NightlyFeedTest, LatestIsTheNewestFileAndKeepDeletesTheOldest) {
  const fs::path dir = FreshTempDir("dqa_feed_") / "feed";  // created by WriteFeed
  // Runs 9 and 10 in the same second (10 is newer although "10" < "9" as text); then a new store
  // numbering from 1 again, later.
  for (const RunRecord& run :
       {MakeRun(9, 1793496602000), MakeRun(10, 1793496602500), MakeRun(1, 1793583002000)}) {
    nlohmann::ordered_json doc = {{"run", run.id}};
    auto written = WriteFeed(dir.string(), run, doc, 2);
    ASSERT_TRUE(written.ok()) << written.status().message();
    EXPECT_EQ(Read(dir / "latest.json"), doc.dump(2) + "\n");
    EXPECT_EQ(Read(written->file), Read(dir / "latest.json"));
  }
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"feed-20261101T013002Z-run-10.json",
                                             "feed-20261102T013002Z-run-1.json", "latest.json"}));
  fs::remove_all(dir.parent_path());
}

TEST(NightlyFeedTest, UnwritableFolderIsAnErrorThatKeepsTheOldFiles) {
  const fs::path base = FreshTempDir("dqa_feed_");
  std::ofstream(base / "file") << "x";
  auto written = WriteFeed((base / "file" / "feed").string(), MakeRun(1, 1793496602000), {}, 3);
  ASSERT_FALSE(written.ok());
  EXPECT_NE(written.status().message().find("cannot create the feed folder " +
                                            (base / "file" / "feed").string()),
            std::string::npos)
      << written.status().message();
  fs::remove_all(base);
}

TEST(NightlyMetricsTest, TextIsOpenMetricsWithEveryFamilyDescribed) {
  NightlyMetrics m;
  m.started_unix_ms = 1793496602000;
  m.finished_unix_ms = 1793496614500;
  m.exit_code = 3;
  m.run_id = 4;
  m.plugins_quarantined = {"population"};
  SourceResult ok;
  ok.source = "civil";
  ok.department = "Sở \"Tư\" pháp";
  ok.started_unix_ms = 1793496603250;
  ok.results.resize(3);
  ok.results[1].outcome = Outcome::kFail;
  ok.results[2].outcome = Outcome::kError;
  SourceResult down = ok;
  down.source = "social";
  down.error = "database not found";
  down.results.clear();
  down.carried_from_run = 2;
  m.sources = {ok, down};
  EXPECT_EQ(MetricsText(m),
            "# HELP dqaudit_last_run_timestamp_seconds Unix time the last nightly run started.\n"
            "# TYPE dqaudit_last_run_timestamp_seconds gauge\n"
            "dqaudit_last_run_timestamp_seconds 1793496602\n"
            "# HELP dqaudit_last_run_success 1 when the last nightly run exited 0 or 1 (it ran; "
            "checks may have failed), else 0.\n"
            "# TYPE dqaudit_last_run_success gauge\n"
            "dqaudit_last_run_success 0\n"
            "# HELP dqaudit_last_run_exit_code Exit code of the last nightly run (docs/nightly.md).\n"
            "# TYPE dqaudit_last_run_exit_code gauge\n"
            "dqaudit_last_run_exit_code 3\n"
            "# HELP dqaudit_last_run_duration_seconds Wall time of the last nightly run.\n"
            "# TYPE dqaudit_last_run_duration_seconds gauge\n"
            "dqaudit_last_run_duration_seconds 12.5\n"
            "# HELP dqaudit_last_run_id History store id of the last nightly run; 0 when none was "
            "recorded.\n"
            "# TYPE dqaudit_last_run_id gauge\n"
            "dqaudit_last_run_id 4\n"
            "# HELP dqaudit_last_run_checks Check results of the last nightly run, per outcome.\n"
            "# TYPE dqaudit_last_run_checks gauge\n"
            "dqaudit_last_run_checks{outcome=\"pass\"} 1\n"
            "dqaudit_last_run_checks{outcome=\"warn\"} 0\n"
            "dqaudit_last_run_checks{outcome=\"fail\"} 1\n"
            "dqaudit_last_run_checks{outcome=\"error\"} 1\n"
            "# HELP dqaudit_last_run_sources Sources recorded by the last nightly run.\n"
            "# TYPE dqaudit_last_run_sources gauge\n"
            "dqaudit_last_run_sources 2\n"
            "# HELP dqaudit_last_run_sources_carried Sources of the last nightly run carried over "
            "unchanged from an earlier scan.\n"
            "# TYPE dqaudit_last_run_sources_carried gauge\n"
            "dqaudit_last_run_sources_carried 1\n"
            "# HELP dqaudit_last_run_sources_error Sources the last nightly run could not scan.\n"
            "# TYPE dqaudit_last_run_sources_error gauge\n"
            "dqaudit_last_run_sources_error 1\n"
            "# HELP dqaudit_last_run_plugins_quarantined Plugins quarantined during the last "
            "nightly run after killing a worker.\n"
            "# TYPE dqaudit_last_run_plugins_quarantined gauge\n"
            "dqaudit_last_run_plugins_quarantined 1\n"
            "# HELP dqaudit_source_last_scan_timestamp_seconds Unix time each source was last "
            "scanned (a carried source keeps its scan's time).\n"
            "# TYPE dqaudit_source_last_scan_timestamp_seconds gauge\n"
            "dqaudit_source_last_scan_timestamp_seconds{source=\"civil\",department=\"Sở \\\"Tư\\\" "
            "pháp\"} 1793496603.25\n"
            "dqaudit_source_last_scan_timestamp_seconds{source=\"social\",department=\"Sở \\\"Tư\\\" "
            "pháp\"} 1793496603.25\n"
            "# HELP dqaudit_source_up 1 when the source was scanned without a source error, else 0.\n"
            "# TYPE dqaudit_source_up gauge\n"
            "dqaudit_source_up{source=\"civil\",department=\"Sở \\\"Tư\\\" pháp\"} 1\n"
            "dqaudit_source_up{source=\"social\",department=\"Sở \\\"Tư\\\" pháp\"} 0\n"
            "# EOF\n");
}

TEST(NightlyMetricsTest, FileIsReplacedWholeAndItsFolderCreated) {
  const fs::path base = FreshTempDir("dqa_metrics_");
  const fs::path file = base / "textfile" / "dqaudit.prom";
  NightlyMetrics m;
  ASSERT_TRUE(WriteMetricsFile(file.string(), m).ok());
  m.exit_code = 2;
  ASSERT_TRUE(WriteMetricsFile(file.string(), m).ok());
  EXPECT_EQ(Read(file), MetricsText(m));
  EXPECT_NE(Read(file).find("dqaudit_last_run_success 0\n"), std::string::npos);
  size_t entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(base / "textfile")) ++entries;
  EXPECT_EQ(entries, 1u);  // no temporary left beside it
  fs::remove_all(base);
}

}  // namespace
}  // namespace dqa::nightly
