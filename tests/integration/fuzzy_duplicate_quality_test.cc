// fuzzy_duplicate against the generator's record-linkage truth (docs/demo-province.md "Re-entered
// citizens"), through what a user runs: `dqaudit scan` into a history store, then `dqaudit report
// --failing CHECK`, whose CSV lists every record of every cluster. Pairs: the true pairs are every
// pair within a true cluster, the found pairs every pair within a listed cluster (as
// bench/fuzzy/evaluate.py counts them for docs/benchmarks.md).
#include <gtest/gtest.h>
#include <unistd.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "tests/integration/support.h"

namespace dqa {
namespace fuzzy_duplicate_quality_test {
namespace {

namespace fs = std::filesystem;
using namespace dqa::test_support;

std::vector<std::string> SplitCsvLine(const std::string& line) {
  std::vector<std::string> out(1);
  for (char c : line) {
    if (c == ',') {
      out.emplace_back();
    } else if (c != '\r') {
      out.back() += c;
    }
  }
  return out;
}

using Pair = std::pair<int64_t, int64_t>;

std::set<Pair> PairsOf(const std::map<std::string, std::vector<int64_t>>& clusters) {
  std::set<Pair> pairs;
  for (const auto& [group, ids] : clusters) {
    for (size_t a = 0; a < ids.size(); ++a) {
      for (size_t b = a + 1; b < ids.size(); ++b) {
        pairs.emplace(std::min(ids[a], ids[b]), std::max(ids[a], ids[b]));
      }
    }
  }
  return pairs;
}

class FuzzyDuplicateQualityTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // One generated province and one scan for the suite (FreshTestDir needs a running test).
    // ctest runs each test in its own process, maybe at the same time: one folder per process.
    dir_ = new fs::path(fs::path(DQA_WORK_DIR) / "fuzzy_duplicate_quality" /
                        std::to_string(getpid()));
    fs::remove_all(*dir_);
    fs::create_directories(*dir_);
    ASSERT_EQ(RunShell(std::string(DQA_DATAGEN) + " --out " + Quote((*dir_ / "data").string()) +
                       " --scale 0.01 --today 2026-11-01 2>/dev/null"),
              0);
    WriteFile(*dir_ / "fz.yaml",
              "source: population\ndepartment: CA\ndatabase: sqlite:data/population.db\n"
              "tables:\n  cong_dan:\n    key: [id]\n    checks:\n"
              "      - fuzzy_duplicate: {id: trung, name: ho_ten, same: [ngay_sinh],\n"
              "                          also: [ma_xa, so_cccd, gioi_tinh, so_dien_thoai]}\n"
              "      - missing: {id: thieu_sdt, column: so_dien_thoai}\n");
    const CommandResult scan =
        RunDqaudit(*dir_, "scan fz.yaml --history audit.db --today 2026-11-01 -q");
    ASSERT_EQ(scan.code, 1) << scan.err;
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
  }
  static fs::path* dir_;
};
fs::path* FuzzyDuplicateQualityTest::dir_ = nullptr;

TEST_F(FuzzyDuplicateQualityTest, FindsTheTruePairsOfAGeneratedProvince) {
  // The Vietnamese default is ';'-separated for Excel; a script asks for RFC 4180.
  const CommandResult vi = RunDqaudit(*dir_, "report --failing trung --history audit.db");
  ASSERT_EQ(vi.code, 0) << vi.err;
  EXPECT_EQ(vi.out.rfind("\xEF\xBB\xBFid;group;matched_with;probability;agreement\r\n", 0), 0u);
  const CommandResult r =
      RunDqaudit(*dir_, "report --failing trung --csv-style rfc4180 --history audit.db");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  std::istringstream csv(r.out);
  std::string line;
  ASSERT_TRUE(std::getline(csv, line));
  EXPECT_EQ(line, "\xEF\xBB\xBFid,group,matched_with,probability,agreement\r");
  std::map<std::string, std::vector<int64_t>> clusters;
  size_t rows = 0;
  while (std::getline(csv, line)) {
    const std::vector<std::string> cells = SplitCsvLine(line);
    ASSERT_EQ(cells.size(), 5u) << line;
    clusters[cells[1]].push_back(std::stoll(cells[0]));
    EXPECT_GE(std::stod(cells[3]), 0.9) << line;  // the default threshold
    EXPECT_EQ(cells[4].rfind("ho_ten", 0), 0u) << line;
    ++rows;
  }
  const std::set<Pair> found = PairsOf(clusters);

  const nlohmann::json truth =
      nlohmann::json::parse(ReadFile(*dir_ / "data" / "ground_truth.json"));
  const nlohmann::json& linkage = truth["fuzzy_duplicates"]["population.cong_dan"];
  std::set<Pair> true_pairs;
  for (const auto& p : linkage["pairs"]) {
    true_pairs.emplace(p["a"][0].get<int64_t>(), p["b"][0].get<int64_t>());
  }
  size_t both = 0;
  for (const Pair& p : found) both += true_pairs.count(p);
  ASSERT_GT(true_pairs.size(), 200u);
  const double recall = static_cast<double>(both) / static_cast<double>(true_pairs.size());
  const double precision = static_cast<double>(both) / static_cast<double>(found.size());
  // Measured when written (scale 0.01, 14,000 citizens): recall 0.995 (211 of 212 true pairs),
  // precision 0.981 (of 215 pairs). docs/benchmarks.md has the figures at province scale.
  EXPECT_GE(recall, 0.95) << both << " of " << true_pairs.size();
  EXPECT_GE(precision, 0.97) << both << " of " << found.size();
  // Twins and namesakes (different people) are never merged.
  for (const auto& m : linkage["near_misses"]) {
    const Pair p{m["a"][0].get<int64_t>(), m["b"][0].get<int64_t>()};
    EXPECT_EQ(found.count(p), 0u) << p.first << " and " << p.second << " (" << m["kind"] << ")";
  }
  // The history has the same figures as the list: violations = rows - groups.
  const CommandResult show = RunDqaudit(*dir_, "scan fz.yaml --no-history --today 2026-11-01 "
                                               "--json out.json -q");
  ASSERT_EQ(show.code, 1) << show.err;
  const nlohmann::json out = nlohmann::json::parse(ReadFile(*dir_ / "out.json"));
  const nlohmann::json& result = out["results"][0];
  EXPECT_EQ(result["groups"].get<size_t>(), clusters.size());
  EXPECT_EQ(result["violations"].get<size_t>(), rows - clusters.size());
}

TEST_F(FuzzyDuplicateQualityTest, ReportFailingWritesAFileAndRefusesWhatItCannotList) {
  const CommandResult file =
      RunDqaudit(*dir_, "report --failing trung --history audit.db --out lists");
  ASSERT_EQ(file.code, 0) << file.err;
  EXPECT_EQ(file.out, "lists/failing-run-1-population-trung.csv\n");
  const std::string csv = ReadFile(*dir_ / "lists" / "failing-run-1-population-trung.csv");
  EXPECT_EQ(csv, RunDqaudit(*dir_, "report --failing trung --history audit.db").out);

  const CommandResult unknown = RunDqaudit(*dir_, "report --failing nope --history audit.db");
  EXPECT_EQ(unknown.code, 2);
  EXPECT_NE(unknown.err.find("run 1 has no check 'nope'; its checks: schema_change:population, thieu_sdt, trung"),
            std::string::npos)
      << unknown.err;
  const CommandResult run = RunDqaudit(*dir_, "report --failing trung --run 9 --history audit.db");
  EXPECT_EQ(run.code, 2) << run.err;
  const CommandResult store = RunDqaudit(*dir_, "report --failing trung --history none.db");
  EXPECT_EQ(store.code, 2) << store.err;
  EXPECT_FALSE(fs::exists(*dir_ / "none.db"));
  const CommandResult mixed =
      RunDqaudit(*dir_, "report --failing trung --format html --out x --history audit.db");
  EXPECT_EQ(mixed.code, 2) << mixed.err;
  // A row check lists its failing rows too (up to kListedFailingRows), not only its samples.
  const CommandResult samples =
      RunDqaudit(*dir_, "report --failing thieu_sdt --history audit.db --samples 3");
  EXPECT_EQ(samples.code, 2) << samples.err;  // --samples is not a report option
  const CommandResult sampled = RunDqaudit(*dir_, "report --failing thieu_sdt --history audit.db");
  ASSERT_EQ(sampled.code, 0) << sampled.err;
  EXPECT_EQ(sampled.err.find("samples only"), std::string::npos) << sampled.err;
  EXPECT_EQ(sampled.out.rfind("\xEF\xBB\xBFid\r\n", 0), 0u) << sampled.out;
  // Every row missing a phone number, more than the 5 samples: as many as the check counted.
  const CommandResult json = RunDqaudit(*dir_, "report --format json --history audit.db --out j");
  ASSERT_EQ(json.code, 0) << json.err;
  const nlohmann::json doc = nlohmann::json::parse(ReadFile(*dir_ / "j" / "dqaudit-run-1-vi.json"));
  int64_t missing = -1;
  for (const auto& s : doc["sources"]) {
    for (const auto& c : s["checks"]) {
      if (c["id"] == "thieu_sdt") missing = c["violations"].get<int64_t>();
    }
  }
  ASSERT_GT(missing, 5);
  size_t lines = 0;
  for (size_t at = 0; (at = sampled.out.find("\r\n", at)) != std::string::npos; at += 2) ++lines;
  EXPECT_EQ(static_cast<int64_t>(lines) - 1, std::min<int64_t>(missing, 1000));  // kListedFailingRows
  const CommandResult no_report = RunDqaudit(*dir_, "report --history audit.db");
  EXPECT_EQ(no_report.code, 2);
  EXPECT_NE(no_report.err.find("--format is required (or --failing CHECK)"), std::string::npos)
      << no_report.err;
}

}  // namespace
}  // namespace fuzzy_duplicate_quality_test
}  // namespace dqa
