// End to end: the real binary enforces the parameter constraints the sector plugins declare (ABI
// 1.1) when it reads a rule file (`rules check` exits 2 with the parser's exact message, before
// any scan), shows them in `checks info`, passes the declared defaults to the checks through the
// SDK, and still loads and runs a plugin built for ABI 1.0.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/integration/support.h"

namespace plugin_constraints_test {
namespace {

namespace fs = std::filesystem;
using dqa::test_support::CommandResult;
using dqa::test_support::FreshTestDir;
using dqa::test_support::Quote;
using dqa::test_support::ReadFile;
using dqa::test_support::RunDqaudit;
using dqa::test_support::WriteFile;

// A database t(id, n) with n = 1..8, and a rule file r.yaml whose checks are `checks`.
fs::path RuleDir(const std::string& checks) {
  const fs::path dir = FreshTestDir("PluginConstraints");
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open((dir / "d.db").c_str(), &db), SQLITE_OK);
  EXPECT_EQ(sqlite3_exec(db,
                         "CREATE TABLE t(id INTEGER PRIMARY KEY, n INTEGER, d TEXT);"
                         "INSERT INTO t(n, d) VALUES (-1,'x'),(0,'x'),(1,'x'),(2,'x'),(3,'x'),"
                         "(6,'x'),(7,'x'),(8,'x');",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  WriteFile(dir / "r.yaml",
            "source: s\ndepartment: d\ndatabase: sqlite:d.db\ntables:\n  t:\n    key: [id]\n"
            "    checks:\n" +
                checks);
  return dir;
}

struct Case {
  std::string check;
  std::string message;
};

TEST(PluginConstraintsCliTest, RulesCheckRejectsASectorPluginParameterOutsideItsConstraints) {
  const std::vector<Case> cases = {
      {"      - population.cccd: {column: d, date_format: xyz}\n",
       "r.yaml:8:51: 'date_format': expected one of auto, iso, dmy, got 'xyz'"},
      {"      - population.birth_date: {column: d, max_age: -3}\n",
       "r.yaml:8:53: 'max_age': expected a whole number >= 0, got '-3'"},
      {"      - civil_registration.late_registration: {event: d, registered: d, kind: marriage}\n",
       "r.yaml:8:79: 'kind': expected one of birth, death, got 'marriage'"},
      {"      - public_services.stale_pending: {updated: d, returned: d, status: d, days: -1}\n",
       "r.yaml:8:83: 'days': expected a whole number >= 0, got '-1'"},
      {"      - template.not_empty_trimmed: {column: d, min_length: -2}\n",
       "r.yaml:8:61: 'min_length': expected a whole number >= 0, got '-2'"},
  };
  for (const Case& c : cases) {
    const fs::path dir = RuleDir(c.check);
    const CommandResult r = RunDqaudit(dir, "rules check r.yaml");
    EXPECT_EQ(r.code, 2) << c.check << r.out << r.err;
    EXPECT_NE((r.out + r.err).find(c.message + "\n"), std::string::npos)
        << c.check << "\nstdout:\n" << r.out << "\nstderr:\n" << r.err;
  }
  // The same checks within their constraints pass.
  const fs::path dir = RuleDir(
      "      - population.cccd: {column: d, date_format: dmy}\n"
      "      - population.birth_date: {column: d, max_age: 0}\n"
      "      - civil_registration.late_registration: {event: d, registered: d, kind: death}\n");
  const CommandResult ok = RunDqaudit(dir, "rules check r.yaml");
  EXPECT_EQ(ok.code, 0) << ok.out << ok.err;
}

TEST(PluginConstraintsCliTest, ChecksInfoShowsTheDeclaredConstraints) {
  const fs::path dir = RuleDir("");
  const CommandResult text = RunDqaudit(dir, "checks info population.birth_date");
  ASSERT_EQ(text.code, 0) << text.err;
  EXPECT_NE(text.out.find("date_format  string          optional  how date texts are written "
                          "(default \"auto\") (one of auto, iso, dmy)"),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("max_age      integer         optional  oldest plausible age in years "
                          "(default 120) (at least 0)"),
            std::string::npos)
      << text.out;
  const CommandResult json = RunDqaudit(dir, "checks info population.birth_date --json");
  ASSERT_EQ(json.code, 0) << json.err;
  const nlohmann::json j = nlohmann::json::parse(json.out);
  EXPECT_EQ(j["params"][1]["choices"], nlohmann::json({"auto", "iso", "dmy"}));
  EXPECT_EQ(j["params"][1]["default"], "auto");
  EXPECT_EQ(j["params"][2]["min"], 0);
  EXPECT_EQ(j["params"][2]["default"], 120);
}

// The declared defaults reach the check through the SDK's getters (test plugin "constrained").
TEST(PluginConstraintsCliTest, ChecksGetTheDeclaredDefaults) {
  const fs::path dir =
      RuleDir("      - constrained.level: {column: n}\n"
            "      - constrained.level: {id: given, column: n, limit: 2, format: c}\n");
  const std::string plugins = " --plugin-dir " + Quote(DQA_TEST_PLUGIN_DIR);
  const CommandResult r = RunDqaudit(dir, "scan r.yaml --no-history --json out.json" + plugins);
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  const nlohmann::json out = nlohmann::json::parse(ReadFile(dir / "out.json"));
  ASSERT_EQ(out["results"].size(), 2u) << out.dump(2);
  const nlohmann::json& by_default = out["results"][0];
  EXPECT_EQ(by_default["violations"], 3);  // 6, 7, 8 > 5
  EXPECT_EQ(by_default["metrics"]["limit"], 5);
  EXPECT_EQ(by_default["message"].get<std::string>().rfind(
                "format=a label=say \"hi\"\t window=30d", 0),
            0u)
      << by_default["message"];
  const nlohmann::json& given = out["results"][1];
  EXPECT_EQ(given["violations"], 4);  // 3, 6, 7, 8 > 2
  EXPECT_EQ(given["message"].get<std::string>().rfind("format=c ", 0), 0u) << given["message"];
}

// A plugin built for ABI 1.0 (its descriptor ends at `destroy`) loads and runs as before, and
// its unconstrained parameters accept any value.
TEST(PluginConstraintsCliTest, AbiOnePointZeroPluginStillWorks) {
  const fs::path dir = RuleDir("      - legacy.positive: {column: n, mode: anything at all}\n");
  const std::string plugins =
      " --plugin-dir " + Quote(std::string(DQA_TEST_PLUGIN_DIR) + "/abi_1_0");
  const CommandResult check = RunDqaudit(dir, "rules check r.yaml" + plugins);
  EXPECT_EQ(check.code, 0) << check.out << check.err;
  const CommandResult info = RunDqaudit(dir, "plugins info legacy" + plugins);
  EXPECT_EQ(info.code, 0) << info.err;
  EXPECT_NE(info.out.find("ABI 1.0"), std::string::npos) << info.out;
  const CommandResult r = RunDqaudit(dir, "scan r.yaml --no-history --json out.json" + plugins);
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  const nlohmann::json out = nlohmann::json::parse(ReadFile(dir / "out.json"));
  ASSERT_EQ(out["results"].size(), 1u) << out.dump(2);
  EXPECT_EQ(out["results"][0]["outcome"], "fail");
  EXPECT_EQ(out["results"][0]["violations"], 2);  // -1 and 0
  EXPECT_EQ(out["results"][0]["rows_checked"], 8);
}

}  // namespace
}  // namespace plugin_constraints_test
