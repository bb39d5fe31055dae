// Runs the real dqaudit binary on small hand-made SQLite databases and rule files.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>

#include "core/history/store.h"
#include "core/sources/sqlite_db.h"
#include "tests/integration/support.h"

namespace dqa {
namespace cli_test {
namespace {

using dqa::test_support::ReadFile;

namespace fs = std::filesystem;

struct CommandResult {
  int code = -1;
  std::string out;
  std::string err;
};

void WriteFile(const fs::path& p, const std::string& text) {
  std::ofstream out(p);
  out << text;
}

// A passing rule file for people.db.
constexpr const char* kPeopleRules = R"yaml(source: people
department: "Công an tỉnh"
database: sqlite:people.db
today: 2026-11-01
tables:
  cong_dan:
    key: [id]
    checks:
      - row_count: {min: 3}
      - missing: {columns: [ho_ten]}
      - duplicate: {columns: [so_cccd]}
)yaml";

// One more check that fails on exactly one row (so_cccd of id 4 has 11 digits).
constexpr const char* kPatternCheck = "      - pattern: {column: so_cccd, regex: '^[0-9]{12}$'}\n";

constexpr const char* kGhostRules = R"yaml(source: ghost
department: "Sở Tư pháp"
database: sqlite:missing.db
tables:
  ho_so:
    checks:
      - row_count: {min: 1}
)yaml";

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::path(DQA_WORK_DIR) / "cli" / info->name();
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "rules");
    auto db = SqliteDb::OpenReadWrite((dir_ / "rules" / "people.db").string(), true);
    ASSERT_TRUE(db.ok()) << db.status().message();
    ASSERT_TRUE((*db)
                    ->Exec(R"sql(
CREATE TABLE cong_dan (id INTEGER PRIMARY KEY, ho_ten TEXT, so_cccd TEXT);
INSERT INTO cong_dan VALUES
  (1, 'Nguyễn Văn An', '001090000001'),
  (2, 'Trần Thị Bình', '001090000002'),
  (3, 'Lê Văn Cường', '001090000003'),
  (4, 'Phạm Thị Dung', '00109000004');
)sql")
                    .ok());
  }

  // Runs `dqaudit <args>` in the test's folder.
  CommandResult Run(const std::string& args) const {
    const std::string command = "cd '" + dir_.string() + "' && NO_COLOR=1 '" DQA_BINARY "' " +
                                args + " >stdout.txt 2>stderr.txt";
    CommandResult r;
    const int status = std::system(command.c_str());
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = ReadFile(dir_ / "stdout.txt");
    r.err = ReadFile(dir_ / "stderr.txt");
    return r;
  }

  void WriteRules(const std::string& name, const std::string& text) const {
    WriteFile(dir_ / "rules" / name, text);
  }

  nlohmann::json ReadJson(const std::string& name) const {
    return nlohmann::json::parse(ReadFile(dir_ / name));
  }

  int64_t CountRows(const std::string& db_name, const std::string& sql) const {
    auto db = SqliteDb::OpenReadOnly((dir_ / db_name).string());
    EXPECT_TRUE(db.ok()) << db.status().message();
    if (!db.ok()) return -1;
    auto n = (*db)->QueryNumber(sql);
    EXPECT_TRUE(n.ok()) << n.status().message();
    return n.ok() && n->has_value() ? static_cast<int64_t>(**n) : -1;
  }

  fs::path dir_;
};

TEST_F(CliTest, HelpAndVersionExitZero) {
  for (const char* args :
       {"--help", "scan --help", "rules check --help", "history --help", "history show --help"}) {
    SCOPED_TRACE(args);
    CommandResult r = Run(args);
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("Usage"), std::string::npos) << r.out;
  }
  CommandResult top = Run("--help");
  for (const char* sub : {"scan", "rules", "history"}) {
    EXPECT_NE(top.out.find(sub), std::string::npos) << sub;
  }
  CommandResult v = Run("--version");
  EXPECT_EQ(v.code, 0);
  EXPECT_EQ(v.out, std::string("dqaudit ") + DQA_VERSION + "\n");
}

TEST_F(CliTest, UsageErrorsExitTwo) {
  struct Case {
    const char* args;
    const char* stderr_has;
  };
  const Case cases[] = {
      {"scan rules --no-such-option", "--no-such-option"},
      {"", "subcommand"},
      {"frobnicate", "frobnicate"},
      {"scan", "paths"},
      {"scan rules/nope.yaml", "nope.yaml"},
      {"rules", "subcommand"},
      {"scan rules --jobs -1", "--jobs"},
      {"scan rules --history a.db --no-history", "--no-history"},
      {"scan rules --today 2026-02-30", "invalid --today '2026-02-30'"},
      {"scan rules --today tomorrow", "invalid --today 'tomorrow'"},
      {"scan rules --utc-offset 7", "invalid --utc-offset '7': expected +HH:MM, -HH:MM or Z"},
      {"scan rules --json no/such/dir/r.json", "--json: cannot write no/such/dir/r.json"},
      {"history --limit 0", "--limit"},
      {"history show", "RUN_ID"},
  };
  WriteRules("people.yaml", kPeopleRules);
  for (const Case& c : cases) {
    SCOPED_TRACE(c.args);
    CommandResult r = Run(c.args);
    EXPECT_EQ(r.code, 2) << r.out << r.err;
    EXPECT_NE((r.out + r.err).find(c.stderr_has), std::string::npos) << r.out << r.err;
  }
  // Usage errors never start a scan: no history store was created.
  EXPECT_FALSE(fs::exists(dir_ / "audit.db"));
}

TEST_F(CliTest, RulesCheckReportsFileLineColumn) {
  WriteRules("broken.yaml", R"yaml(source: people
department: "Công an tỉnh"
database: sqlite:people.db
tables:
  cong_dan:
    checks:
      - no_such_check: {column: ho_ten}
)yaml");
  CommandResult r = Run("rules check rules/broken.yaml");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_TRUE(
      std::regex_search(r.err, std::regex("(^|\\n)rules/broken\\.yaml:7:9: unknown check type ")))
      << r.err;
  EXPECT_NE(r.err.find("no_such_check"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
  // scan refuses the same rules before scanning anything.
  CommandResult scan = Run("scan rules/broken.yaml --json r.json");
  EXPECT_EQ(scan.code, 2);
  EXPECT_FALSE(fs::exists(dir_ / "r.json"));
  EXPECT_FALSE(fs::exists(dir_ / "audit.db"));
}

TEST_F(CliTest, RulesCheckRejectsUnknownColumn) {
  WriteRules("people.yaml", std::string(kPeopleRules) + "      - missing: {columns: [khong_co]}\n");
  CommandResult r = Run("rules check rules");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_TRUE(std::regex_search(r.err, std::regex("people\\.yaml:[0-9]+:[0-9]+: .*khong_co")))
      << r.err;
}

TEST_F(CliTest, RulesCheckOk) {
  WriteRules("people.yaml", std::string(kPeopleRules) + kPatternCheck);
  CommandResult r = Run("rules check rules/people.yaml");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "OK: 1 source, 4 checks\n");
}

TEST_F(CliTest, ScanAllPassExitsZero) {
  WriteRules("people.yaml", kPeopleRules);
  CommandResult r = Run("scan rules --json results.json --no-history");
  EXPECT_EQ(r.code, 0) << r.err;
  const nlohmann::json j = ReadJson("results.json");
  EXPECT_EQ(j["exit_code"], 0);
  EXPECT_TRUE(j["run_id"].is_null());
  EXPECT_EQ(j["today"], "2026-11-01");
  ASSERT_EQ(j["results"].size(), 3u);
  for (const auto& result : j["results"]) EXPECT_EQ(result["outcome"], "pass") << result.dump();
  EXPECT_NE(r.out.find("Totals: 1 source (0 errors), 3 checks: 3 pass, 0 warn, 0 fail, 0 error"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("\033["), std::string::npos);  // not a terminal: no colours
}

TEST_F(CliTest, ScanWithFailingCheckExitsOne) {
  WriteRules("people.yaml", std::string(kPeopleRules) + kPatternCheck);
  CommandResult r = Run("scan rules --json results.json --no-history --samples 3");
  EXPECT_EQ(r.code, 1) << r.err;
  const nlohmann::json j = ReadJson("results.json");
  EXPECT_EQ(j["exit_code"], 1);
  ASSERT_EQ(j["results"].size(), 4u);
  const nlohmann::json& pattern = j["results"][3];
  EXPECT_EQ(pattern["id"], "pattern:cong_dan.so_cccd");
  EXPECT_EQ(pattern["outcome"], "fail");
  EXPECT_EQ(pattern["violations"], 1);
  EXPECT_EQ(pattern["rows_checked"], 4);
  EXPECT_EQ(pattern["samples"], nlohmann::json::parse(R"([{"id": "4"}])"));
  EXPECT_NE(r.out.find("FAIL   pattern:cong_dan.so_cccd"), std::string::npos) << r.out;
}

TEST_F(CliTest, MissingDatabaseExitsThreeAndOtherSourceIsScanned) {
  WriteRules("people.yaml", std::string(kPeopleRules) + kPatternCheck);
  WriteRules("ghost.yaml", kGhostRules);
  CommandResult r = Run("scan rules --json results.json --history h.db");
  EXPECT_EQ(r.code, 3) << r.err;
  const nlohmann::json j = ReadJson("results.json");
  EXPECT_EQ(j["exit_code"], 3);
  ASSERT_EQ(j["sources"].size(), 2u);
  std::map<std::string, nlohmann::json> by_source;
  for (const auto& s : j["sources"]) by_source[s["source"].get<std::string>()] = s;
  EXPECT_EQ(by_source["ghost"]["status"], "error");
  EXPECT_TRUE(by_source["ghost"]["error"].is_string());
  EXPECT_EQ(by_source["people"]["status"], "ok");
  EXPECT_TRUE(by_source["people"]["error"].is_null());
  // The rule file's 4 checks and the schema_change finding of the recorded run.
  EXPECT_EQ(by_source["people"]["checks"], 5);
  int people_results = 0;
  for (const auto& result : j["results"]) {
    if (result["source"] == "people") ++people_results;
    if (result["source"] == "ghost") {
      EXPECT_EQ(result["outcome"], "error");
    }
  }
  EXPECT_EQ(people_results, 5);
  EXPECT_EQ(CountRows("h.db",
                      "SELECT COUNT(*) FROM runs WHERE status = 'partial' AND "
                      "exit_code = 3"),
            1);
}

TEST_F(CliTest, HistoryRecordsCompleteRunThatHistoryLists) {
  WriteRules("people.yaml", std::string(kPeopleRules) + kPatternCheck);
  CommandResult r = Run("scan rules --history h.db --json results.json");
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "audit.db"));
  const nlohmann::json j = ReadJson("results.json");
  ASSERT_TRUE(j["run_id"].is_number_integer());
  const int64_t run_id = j["run_id"];
  EXPECT_EQ(CountRows("h.db", "SELECT COUNT(*) FROM runs"), 1);
  EXPECT_EQ(CountRows("h.db",
                      "SELECT COUNT(*) FROM runs WHERE status = 'complete' AND "
                      "exit_code = 1 AND id = " +
                          std::to_string(run_id)),
            1);
  EXPECT_EQ(CountRows("h.db", "SELECT COUNT(*) FROM check_results"), 5);  // 4 + schema_change
  EXPECT_EQ(CountRows("h.db", "SELECT COUNT(*) FROM check_results WHERE outcome = 'fail'"), 1);
  EXPECT_EQ(CountRows("h.db", "SELECT COUNT(*) FROM samples"), 1);

  CommandResult list = Run("history --history h.db");
  EXPECT_EQ(list.code, 0) << list.err;
  EXPECT_TRUE(std::regex_search(list.out, std::regex("\\n +" + std::to_string(run_id) +
                                                     " .* complete +1 +2026-11-01 +1/1 +5 +1\\n")))
      << list.out;

  CommandResult show = Run("history show " + std::to_string(run_id) + " --history h.db");
  EXPECT_EQ(show.code, 0) << show.err;
  EXPECT_NE(show.out.find("Run " + std::to_string(run_id) + ": complete, exit code 1"),
            std::string::npos)
      << show.out;
  EXPECT_NE(show.out.find("FAIL   pattern:cong_dan.so_cccd"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("Totals: 1 source (0 errors), 5 checks: 4 pass, 0 warn, 1 fail, 0 error"),
            std::string::npos)
      << show.out;

  CommandResult unknown = Run("history show 999 --history h.db");
  EXPECT_EQ(unknown.code, 2);
  EXPECT_NE(unknown.err.find("no run 999"), std::string::npos) << unknown.err;
}

TEST_F(CliTest, NoHistoryWritesNoStore) {
  WriteRules("people.yaml", kPeopleRules);
  CommandResult r = Run("scan rules --no-history");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "audit.db"));
  CommandResult list = Run("history");
  EXPECT_EQ(list.code, 2);
  EXPECT_NE(list.err.find("history store not found: audit.db"), std::string::npos) << list.err;
  EXPECT_FALSE(fs::exists(dir_ / "audit.db"));
}

TEST_F(CliTest, DefaultHistoryIsAuditDbInWorkingDirectory) {
  WriteRules("people.yaml", kPeopleRules);
  CommandResult first = Run("scan rules --quiet");
  EXPECT_EQ(first.code, 0) << first.err;
  EXPECT_EQ(first.out, "");
  ASSERT_TRUE(fs::exists(dir_ / "audit.db"));
  CommandResult second = Run("scan rules/people.yaml -q");
  EXPECT_EQ(second.code, 0) << second.err;
  EXPECT_EQ(CountRows("audit.db", "SELECT COUNT(*) FROM runs WHERE status = 'complete'"), 2);
  // 3 checks and the schema_change finding, in each run.
  EXPECT_EQ(CountRows("audit.db", "SELECT COUNT(*) FROM check_results"), 8);
  CommandResult list = Run("history --limit 1");
  EXPECT_EQ(list.code, 0) << list.err;
  EXPECT_TRUE(std::regex_search(list.out, std::regex("\\n +2 .* complete "))) << list.out;
  EXPECT_EQ(list.out.find("\n    1 "), std::string::npos) << list.out;
}

}  // namespace
}  // namespace cli_test
}  // namespace dqa
