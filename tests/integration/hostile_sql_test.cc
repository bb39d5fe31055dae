// The real binary against hostile rule SQL (the SqlGuard of core/sources/sql_guard.h) and against
// WAL sources in read-only folders: clear errors per check, no crash, sources byte-identical, no
// file left beside them.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "core/sources/sqlite_db.h"
#include "tests/integration/support.h"

namespace dqa {
namespace hostile_sql_test {
namespace {

using dqa::test_support::Quote;
using dqa::test_support::ReadFile;
using dqa::test_support::RunShell;
using dqa::test_support::Sha256;
using nlohmann::json;
namespace fs = std::filesystem;

constexpr const char* kHostileRules = R"yaml(source: people
department: "Công an tỉnh"
database: sqlite:people.db
today: 2026-11-01
tables:
  cong_dan:
    checks:
      - sql: {id: good, query: "SELECT count(*) FROM cong_dan", min: 3, max: 3}
      - sql: {id: pointer, query: "SELECT length(fts3_tokenizer('simple'))", max: 0}
      - sql: {id: extension, query: "SELECT load_extension('/tmp/x.so')", max: 0}
      - sql: {id: attach, query: "ATTACH 'people.db' AS x", max: 0}
      - sql: {id: schema, query: "PRAGMA writable_schema=1", max: 0}
)yaml";

constexpr const char* kRunawayRules = R"yaml(source: people
department: "Công an tỉnh"
database: sqlite:people.db
today: 2026-11-01
tables:
  cong_dan:
    key: [id]
    checks:
      - missing: {columns: [ho_ten]}
      - sql: {id: good, query: "SELECT count(*) FROM cong_dan", min: 3, max: 3}
      - sql: {id: runaway, query: "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c", max: 0}
)yaml";

class HostileSqlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = dqa::test_support::FreshTestDir("hostile_sql");
    fs::create_directories(dir_ / "rules");
    db_path_ = dir_ / "rules" / "people.db";
    auto db = SqliteDb::OpenReadWrite(db_path_.string(), true);
    ASSERT_TRUE(db.ok()) << db.status().message();
    // A WAL database whose writer has closed: no -wal or -shm beside it.
    ASSERT_TRUE((*db)->Exec(R"sql(
PRAGMA journal_mode=WAL;
CREATE TABLE cong_dan (id INTEGER PRIMARY KEY, ho_ten TEXT);
INSERT INTO cong_dan VALUES (1, 'Nguyễn Văn An'), (2, NULL), (3, 'Lê Văn Cường');
)sql")
                    .ok());
    db->reset();
    ASSERT_FALSE(fs::exists(db_path_.string() + "-wal"));
    sha_ = Sha256(db_path_);
  }

  void TearDown() override { chmod((dir_ / "rules").c_str(), 0755); }

  // Runs dqaudit with `args` in the test's folder, `prefix` before it (e.g. setpriv ...);
  // the exit code.
  int Run(const std::string& args, const std::string& prefix = "") const {
    return RunShell("cd " + Quote(dir_.string()) + " && NO_COLOR=1 " + prefix + " " +
                    Quote(DQA_BINARY) + " " + args + " >stdout.txt 2>stderr.txt");
  }

  // check id -> {outcome, message} from results.json.
  std::map<std::string, std::pair<std::string, std::string>> Outcomes() const {
    std::map<std::string, std::pair<std::string, std::string>> out;
    const json doc = json::parse(ReadFile(dir_ / "results.json"));
    for (const json& r : doc.at("results")) {
      out[r.at("id").get<std::string>()] = {r.at("outcome").get<std::string>(),
                                            r.at("message").get<std::string>()};
    }
    return out;
  }

  void ExpectSourceUntouched() const {
    EXPECT_EQ(Sha256(db_path_), sha_);
    EXPECT_FALSE(fs::exists(db_path_.string() + "-wal"));
    EXPECT_FALSE(fs::exists(db_path_.string() + "-shm"));
    EXPECT_FALSE(fs::exists(db_path_.string() + "-journal"));
  }

  fs::path dir_;
  fs::path db_path_;
  std::string sha_;
};

TEST_F(HostileSqlTest, RulesCheckNamesEachRefusedConstruct) {
  std::ofstream(dir_ / "rules" / "people.yaml") << kHostileRules;
  EXPECT_EQ(Run("rules check rules"), 2);
  const std::string err = ReadFile(dir_ / "stderr.txt");
  EXPECT_NE(err.find("'query' of check pointer does not compile: not allowed in rule SQL: "
                     "function fts3_tokenizer()"),
            std::string::npos)
      << err;
  EXPECT_NE(err.find("'query' of check extension does not compile: not allowed in rule SQL: "
                     "function load_extension()"),
            std::string::npos)
      << err;
  EXPECT_NE(err.find("'query' of check attach does not compile: not allowed in rule SQL: ATTACH"),
            std::string::npos)
      << err;
  EXPECT_NE(err.find("'query' of check schema does not compile: not allowed in rule SQL: PRAGMA "
                     "writable_schema = 1"),
            std::string::npos)
      << err;
  EXPECT_EQ(err.find("check good"), std::string::npos) << err;
  ExpectSourceUntouched();
}

// The same hostile checks in a scan: each ends in error naming what was refused, the good check
// and the rest of the audit run, nothing crashes (exit 3, not 2 and not a signal).
TEST_F(HostileSqlTest, ScanTurnsEachRefusedConstructIntoThatChecksError) {
  std::ofstream(dir_ / "rules" / "people.yaml") << kHostileRules;
  EXPECT_EQ(Run("scan rules --no-history --json results.json"), 3)
      << ReadFile(dir_ / "stderr.txt");
  const auto outcomes = Outcomes();
  ASSERT_EQ(outcomes.size(), 5u);
  EXPECT_EQ(outcomes.at("good").first, "pass");
  const std::map<std::string, std::string> refused = {
      {"pointer", "not allowed in rule SQL: function fts3_tokenizer()"},
      {"extension", "not allowed in rule SQL: function load_extension()"},
      {"attach", "not allowed in rule SQL: ATTACH"},
      {"schema", "not allowed in rule SQL: PRAGMA writable_schema = 1"}};
  for (const auto& [id, what] : refused) {
    EXPECT_EQ(outcomes.at(id).first, "error") << id;
    EXPECT_NE(outcomes.at(id).second.find("'query' of check " + id + " does not compile: " + what),
              std::string::npos)
        << outcomes.at(id).second;
  }
  ExpectSourceUntouched();
}

TEST_F(HostileSqlTest, ScanStopsARunawayQueryAndRunsTheRest) {
  std::ofstream(dir_ / "rules" / "people.yaml") << kRunawayRules;
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(Run("scan rules --no-history --json results.json --sql-timeout 0.5"), 3)
      << ReadFile(dir_ / "stderr.txt");
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 30.0);
  const auto outcomes = Outcomes();
  ASSERT_EQ(outcomes.size(), 3u);
  EXPECT_EQ(outcomes.at("runaway").first, "error");
  EXPECT_EQ(outcomes.at("runaway").second.substr(0, 58),
            "query failed: statement exceeded its time budget of 0.5 s ");
  EXPECT_EQ(outcomes.at("good").first, "pass");
  EXPECT_EQ(outcomes.at("missing:cong_dan.ho_ten").first, "fail");
  ExpectSourceUntouched();
}

TEST_F(HostileSqlTest, ScansAWalSourceInAReadOnlyFolder) {
  std::ofstream(dir_ / "rules" / "people.yaml") << kRunawayRules;
  // Root without capabilities obeys the folder's mode, like a service account under systemd's
  // ReadOnlyPaths (root with CAP_DAC_OVERRIDE would write anyway).
  ASSERT_EQ(chmod((dir_ / "rules").c_str(), 0555), 0);
  ASSERT_NE(RunShell("setpriv --inh-caps=-all --bounding-set=-all touch " +
                     Quote((dir_ / "rules" / "probe").string()) + " 2>/dev/null"),
            0);
  EXPECT_EQ(Run("scan rules --no-history --json results.json --sql-timeout 0.5",
                "setpriv --inh-caps=-all --bounding-set=-all"),
            3)
      << ReadFile(dir_ / "stderr.txt");
  const auto outcomes = Outcomes();
  ASSERT_EQ(outcomes.size(), 3u);
  EXPECT_EQ(outcomes.at("good").first, "pass") << outcomes.at("good").second;
  EXPECT_EQ(outcomes.at("missing:cong_dan.ho_ten").first, "fail");
  EXPECT_EQ(outcomes.at("missing:cong_dan.ho_ten").second.find("1 "), 0u)
      << outcomes.at("missing:cong_dan.ho_ten").second;
  ExpectSourceUntouched();
}

}  // namespace
}  // namespace hostile_sql_test
}  // namespace dqa
