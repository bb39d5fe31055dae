// One department changes its schema: `scan` and `nightly` still audit the whole province, the
// checks that need what is gone end in error naming it, the run is recorded, the reports say it in
// the report's language and the schedule counts it against the department; `rules check` still
// fails fast on the same rules.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "core/sources/sqlite_db.h"
#include "tests/integration/ground_truth.h"
#include "tests/integration/support.h"

namespace dqa {
namespace schema_drift_test {
namespace {

using dqa::test_support::Quote;
using dqa::test_support::ReadFile;
using dqa::test_support::RunShell;
using dqa::test_support::Sha256;
using dqa::test_support::WithinTruth;
using nlohmann::json;

namespace fs = std::filesystem;

constexpr const char* kToday = "2026-11-01";
const std::vector<std::string> kDatabases = {"catalog.db", "population.db", "civil.db",
                                             "social.db", "services.db"};

// The social department renamed doi_tuong.so_cccd to cccd and dropped table tai_khoan: these
// built-in checks of rules/demo/social.yaml cannot run, with these messages, and neither can the
// reconcile check of rules/demo/population.yaml that reads social.doi_tuong.so_cccd.
const std::map<std::string, std::string> kBroken = {
    {"missing:doi_tuong.so_cccd", "schema drift: column 'so_cccd' is no longer in table doi_tuong"},
    {"huong_trung_che_do", "schema drift: column 'so_cccd' is no longer in table doi_tuong"},
    {"reference:doi_tuong.so_tai_khoan", "schema drift: table 'tai_khoan' is no longer in"},
    {"duplicate:tai_khoan.so_tai_khoan", "schema drift: table 'tai_khoan' is no longer in"},
    {"pattern:tai_khoan.so_tai_khoan", "schema drift: table 'tai_khoan' is no longer in"},
    {"huong_tro_cap_khop_dan_cu",
     "schema drift: 'where' of check huong_tro_cap_khop_dan_cu does not compile: no such column: "
     "d.so_cccd"},
};

class SchemaDriftTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::path(DQA_WORK_DIR) / "schema_drift" /
           (std::string(info->name()) + "-" + std::to_string(getpid()));
    fs::remove_all(dir_);
    ASSERT_TRUE(test_support::MakeDemoProvince(dir_, kToday));
    // The department's change, made as its own system would: with a writer.
    auto db = SqliteDb::OpenReadWrite((Data() / "social.db").string(), false);
    ASSERT_TRUE(db.ok()) << db.status().message();
    ASSERT_TRUE(
        (*db)->Exec("ALTER TABLE doi_tuong RENAME COLUMN so_cccd TO cccd; DROP TABLE tai_khoan;")
            .ok());
    db->reset();
    for (const std::string& f : kDatabases) hashes_[f] = Sha256(Data() / f);
  }

  fs::path Data() const { return dir_ / "data" / "demo"; }

  int Run(const std::string& args, const std::string& name) {
    return RunShell("cd " + Quote(dir_.string()) + " && " + Quote(DQA_BINARY) + " " + args + " >" +
                    name + ".out 2>" + name + ".err");
  }

  // Every source database is byte-identical to what the department left.
  void ExpectSourcesUntouched() {
    for (const std::string& f : kDatabases) EXPECT_EQ(Sha256(Data() / f), hashes_[f]) << f;
  }

  fs::path dir_;
  std::map<std::string, std::string> hashes_;
};

TEST_F(SchemaDriftTest, ScanRunsEverythingElseAndRecordsTheRun) {
  const int code = Run(std::string("scan rules/demo --today ") + kToday +
                           " --history audit.db --json scan.json",
                       "scan");
  EXPECT_EQ(code, 3) << ReadFile(dir_ / "scan.err");
  EXPECT_NE(ReadFile(dir_ / "scan.err")
                .find("source social: 5 check(s) cannot run and will end in error (first: "),
            std::string::npos)
      << ReadFile(dir_ / "scan.err");

  const json result = json::parse(ReadFile(dir_ / "scan.json"), nullptr, false);
  ASSERT_FALSE(result.is_discarded());
  const json truth = json::parse(ReadFile(Data() / "ground_truth.json"), nullptr, false);
  ASSERT_FALSE(truth.is_discarded());
  std::set<std::string> broken_seen;
  int compared = 0;
  int baselines = 0;
  for (const json& r : result["results"]) {
    const std::string source = r["source"];
    const std::string id = r["id"];
    SCOPED_TRACE(source + " / " + id + ": " + r.value("message", ""));
    if (kBroken.contains(id)) {
      EXPECT_EQ(r["outcome"], "error");
      EXPECT_TRUE(r["message"].get<std::string>().starts_with(kBroken.at(id)));
      broken_seen.insert(id);
      continue;
    }
    // The first recorded run of each source: its schema (already altered) is the baseline.
    if (r["type"] == "schema_change") {
      EXPECT_EQ(r["outcome"], "pass");
      EXPECT_TRUE(r["message"].get<std::string>().starts_with("Schema baseline recorded in run 1"));
      ++baselines;
      continue;
    }
    // The department's plugin queries may name the renamed column themselves: their own error.
    if (source == "social" && r["type"].get<std::string>().find('.') != std::string::npos) continue;
    // Everything else, in every source, is exactly the ground truth of the untouched data.
    const json& t = truth["sources"][source]["checks"][id];
    ASSERT_TRUE(t.is_object());
    EXPECT_EQ(r["outcome"], t["outcome"]);
    // Within the tolerance of the approximate checks (docs/demo-province.md), exact otherwise.
    const json* tolerance = t.contains("tolerance") && t["tolerance"].contains("violations")
                                ? &t["tolerance"]["violations"]
                                : nullptr;
    EXPECT_TRUE(WithinTruth(r["violations"].get<double>(), t["violations"].get<double>(), tolerance))
        << r["violations"] << " vs " << t["violations"];
    EXPECT_EQ(r["rows_checked"], t["rows_checked"]);
    ++compared;
  }
  EXPECT_EQ(broken_seen.size(), kBroken.size());
  // 89 results (87 checks, 2 delivery findings), 6 broken, 3 social plugin checks.
  EXPECT_EQ(compared, 89 - 6 - 3);
  EXPECT_EQ(baselines, 5);
  ExpectSourcesUntouched();

  // The run is recorded, complete, with all five sources and the broken checks as errors.
  auto store = SqliteDb::OpenReadOnly((dir_ / "audit.db").string());
  ASSERT_TRUE(store.ok());
  auto one = [&](const std::string& sql) {
    auto stmt = (*store)->Prepare(sql);
    EXPECT_TRUE(stmt.ok()) << sql;
    if (!stmt.ok()) return std::string();
    Result<bool> row = stmt->Step();
    if (!row.ok() || !*row) return std::string();
    return std::string(stmt->ColumnText(0));
  };
  EXPECT_EQ(one("PRAGMA integrity_check"), "ok");
  EXPECT_EQ(one("SELECT status FROM runs"), "complete");
  EXPECT_EQ(one("SELECT COUNT(*) FROM sources"), "5");
  EXPECT_EQ(one("SELECT COUNT(*) FROM check_results WHERE outcome = 'error' AND message LIKE "
                "'schema drift:%'"),
            "6");

  // rules check fails fast on the same rules: that is its job.
  EXPECT_EQ(Run("rules check rules/demo", "check"), 2);
  EXPECT_NE(ReadFile(dir_ / "check.err").find("column 'so_cccd' not found in table doi_tuong"),
            std::string::npos)
      << ReadFile(dir_ / "check.err");
}

TEST_F(SchemaDriftTest, NightlyReportsAndScheduleNameTheBrokenContract) {
  std::ofstream(dir_ / "nightly.yaml") << "rules: rules/demo\n"
                                          "history: state/audit.db\n"
                                          "jobs: 2\n"
                                          "reports: {out: reports, formats: [html, csv], "
                                          "languages: [vi, en]}\n"
                                          "schedule: {out: schedule, config: "
                                       << Quote(std::string(DQA_RULES_DIR) +
                                                "/../schedule/schedule.yaml")
                                       << "}\n"
                                          "log: {file: log/nightly.log}\n";
  const int code =
      Run(std::string("nightly --config nightly.yaml --today ") + kToday, "nightly");
  EXPECT_EQ(code, 3) << ReadFile(dir_ / "nightly.err");
  ExpectSourcesUntouched();

  const std::string vi = ReadFile(dir_ / "reports" / "dqaudit-run-1-vi.html");
  ASSERT_FALSE(vi.empty());
  EXPECT_NE(vi.find("Cột &#39;so_cccd&#39; không còn trong bảng doi_tuong của CSDL"), std::string::npos);
  EXPECT_NE(vi.find("Bảng &#39;tai_khoan&#39; không còn trong CSDL"), std::string::npos);
  EXPECT_EQ(vi.find("schema drift"), std::string::npos);  // no English in the Vietnamese report
  const std::string en = ReadFile(dir_ / "reports" / "dqaudit-run-1-en.html");
  EXPECT_NE(en.find("Column &#39;so_cccd&#39; is no longer in table doi_tuong"), std::string::npos);

  // The schedule gives the department the broken contract as a reason.
  std::string schedule;
  for (const auto& entry : fs::directory_iterator(dir_ / "schedule")) {
    if (entry.path().extension() == ".csv") schedule += ReadFile(entry.path());
  }
  ASSERT_FALSE(schedule.empty());
  const size_t row = schedule.find("Sở Lao động - Thương binh và Xã hội");
  ASSERT_NE(row, std::string::npos) << schedule;
  const std::string line = schedule.substr(row, schedule.find('\n', row) - row);
  EXPECT_NE(line.find("CSDL không còn khớp quy tắc kiểm tra: 5 kiểm tra không chạy được"),
            std::string::npos)
      << line;
}

}  // namespace
}  // namespace schema_drift_test
}  // namespace dqa
