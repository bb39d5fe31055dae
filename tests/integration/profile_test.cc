// End to end: `dqaudit profile` on the generated demo province. Row counts match the generator's
// ground truth, the draft rule files pass `rules check` and scan, and no database file changes.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/integration/support.h"

namespace profile_test {
namespace {

using dqa::test_support::Quote;
using dqa::test_support::Sha256;

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kToday = "2026-11-01";

int RunCommand(const std::string& command) {
  const int status = std::system(command.c_str());
  if (status == -1 || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

json ReadJson(const fs::path& file) {
  std::ifstream in(file);
  return json::parse(in, nullptr, /*allow_exceptions=*/false);
}

std::string Dqaudit(const std::string& args) { return std::string(DQA_BINARY) + " " + args; }

class ProfileTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // Per process: ctest runs each test of this suite in its own process, possibly in parallel.
    root_ = new fs::path(fs::path(DQA_WORK_DIR) / ("ProfileTest_" + std::to_string(getpid())));
    fs::remove_all(*root_);
    fs::create_directories(*root_ / "rules");
    generated_ =
        RunCommand(std::string(DQA_DATAGEN) + " --out " + Quote((*root_ / "data").string()) +
                   " --scale 0.005 --seed 7 --today " + kToday + " >/dev/null 2>&1") == 0;
  }
  static void TearDownTestSuite() {
    fs::remove_all(*root_);
    delete root_;
    root_ = nullptr;
  }
  static fs::path* root_;
  static bool generated_;
};
fs::path* ProfileTest::root_ = nullptr;
bool ProfileTest::generated_ = false;

TEST_F(ProfileTest, DraftRulesOfEveryDemoDatabaseCheckAndScan) {
  ASSERT_TRUE(generated_);
  const json truth = ReadJson(*root_ / "data" / "ground_truth.json");
  ASSERT_TRUE(truth.is_object());
  for (const char* source : {"catalog", "population", "civil", "social", "services"}) {
    SCOPED_TRACE(source);
    const fs::path db = *root_ / "data" / (std::string(source) + ".db");
    const fs::path rules = *root_ / "rules" / (std::string(source) + ".yaml");
    const fs::path profile = *root_ / (std::string(source) + ".json");
    const std::string before = Sha256(db);
    ASSERT_EQ(before.size(), 64u);

    ASSERT_EQ(RunCommand(Dqaudit("profile " + Quote(db.string()) + " --out " +
                                 Quote(rules.string()) + " --json " + Quote(profile.string()) +
                                 " --today " + kToday + " >/dev/null 2>&1")),
              0);
    const json p = ReadJson(profile);
    ASSERT_TRUE(p.is_object());
    EXPECT_EQ(p["today"], kToday);
    const json& tables = truth["sources"][source]["tables"];
    ASSERT_EQ(p["tables"].size(), tables.size());
    for (const json& t : p["tables"]) {
      const std::string name = t["name"];
      EXPECT_EQ(t["rows"], tables[name]["rows"]) << name;
      for (const json& c : t["columns"]) {
        const auto& ty = c["types"];
        EXPECT_EQ(ty["null"].get<int64_t>() + ty["integer"].get<int64_t>() +
                      ty["real"].get<int64_t>() + ty["text"].get<int64_t>() +
                      ty["blob"].get<int64_t>(),
                  t["rows"].get<int64_t>())
            << name << "." << c["name"];
      }
    }

    // The draft is a valid rule file for this database, and a scan runs every check.
    EXPECT_EQ(RunCommand(Dqaudit("rules check " + Quote(rules.string()) + " >/dev/null 2>&1")), 0);
    const int scan = RunCommand(Dqaudit(
        "scan " + Quote(rules.string()) + " --no-history --today " + kToday + " --json " +
        Quote((*root_ / (std::string(source) + "_scan.json")).string()) + " >/dev/null 2>&1"));
    EXPECT_TRUE(scan == 0 || scan == 1) << "scan exit " << scan;
    EXPECT_EQ(Sha256(db), before) << "the database changed";

    // The drafted schema contract: one per table, each kept by the database it was drafted from.
    std::ifstream draft(rules);
    const std::string text((std::istreambuf_iterator<char>(draft)), std::istreambuf_iterator<char>());
    const json scanned = ReadJson(*root_ / (std::string(source) + "_scan.json"));
    ASSERT_TRUE(scanned.contains("results"));
    size_t contracts = 0;
    for (const json& r : scanned["results"]) {
      if (r["type"] != "schema") continue;
      ++contracts;
      EXPECT_EQ(r["outcome"], "pass") << r.dump();
      EXPECT_EQ(r["violations"], 0) << r.dump();
      EXPECT_EQ(r["id"], "schema:" + r["table"].get<std::string>());
      size_t columns = 0;  // of the profiled table: the contract names each one
      for (const json& t : p["tables"]) {
        if (t["name"] == r["table"]) columns = t["columns"].size();
      }
      EXPECT_GT(columns, 0u);
      EXPECT_EQ(r["rows_checked"].get<size_t>(), columns) << r.dump();
    }
    EXPECT_EQ(contracts, tables.size());
    EXPECT_NE(text.find("    schema:\n      allow_extra: true\n      columns:\n"), std::string::npos);
  }
}

// The drafted contract is strict enough to see a change: a column retyped after profiling is a
// breach of the re-scanned contract, named in the sample; the profiled database never changes.
TEST_F(ProfileTest, DraftedContractCatchesARetypedColumn) {
  ASSERT_TRUE(generated_);
  const fs::path dir = *root_ / "retyped";
  fs::create_directories(dir);
  const fs::path db = dir / "civil.db";
  fs::copy_file(*root_ / "data" / "civil.db", db);
  const fs::path rules = dir / "civil.yaml";
  ASSERT_EQ(RunCommand(Dqaudit("profile " + Quote(db.string()) + " --out " + Quote(rules.string()) +
                               " --today " + kToday + " >/dev/null 2>&1")),
            0);
  std::ifstream draft(rules);
  const std::string text((std::istreambuf_iterator<char>(draft)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("        ngay_mat: date   # declared TEXT\n"), std::string::npos) << text;
  EXPECT_NE(text.find("        id: integer   # declared INTEGER\n"), std::string::npos) << text;
  // Rebuild khai_tu with noi_dang_ky declared INTEGER (SQLite cannot retype in place).
  ASSERT_EQ(RunCommand("sqlite3 " + Quote(db.string()) +
                       " \"ALTER TABLE khai_tu RENAME COLUMN noi_dang_ky TO noi_cu; "
                       "ALTER TABLE khai_tu ADD COLUMN noi_dang_ky INTEGER; "
                       "UPDATE khai_tu SET noi_dang_ky = noi_cu; "
                       "ALTER TABLE khai_tu DROP COLUMN noi_cu;\""),
            0);
  const std::string before = Sha256(db);
  const fs::path out = dir / "scan.json";
  EXPECT_EQ(RunCommand(Dqaudit("scan " + Quote(rules.string()) + " --no-history --today " + kToday +
                               " --json " + Quote(out.string()) + " >/dev/null 2>&1")),
            1);
  EXPECT_EQ(Sha256(db), before);
  const json scanned = ReadJson(out);
  ASSERT_TRUE(scanned.contains("results"));
  bool seen = false;
  for (const json& r : scanned["results"]) {
    if (r["id"] != "schema:khai_tu") continue;
    seen = true;
    EXPECT_EQ(r["outcome"], "fail");
    EXPECT_EQ(r["violations"], 1);
    ASSERT_EQ(r["samples"].size(), 1u) << r.dump();
    EXPECT_EQ(r["samples"][0].dump(), "{\"breach\":\"noi_dang_ky: declared INTEGER, contract text\"}");
  }
  EXPECT_TRUE(seen);
}

TEST_F(ProfileTest, PopulationNumbersMatchTheGenerator) {
  ASSERT_TRUE(generated_);
  const fs::path db = *root_ / "data" / "population.db";
  const fs::path profile = *root_ / "population_only.json";
  ASSERT_EQ(
      RunCommand(Dqaudit("profile " + Quote(db.string()) + " --table cong_dan --json " +
                         Quote(profile.string()) + " --today " + kToday + " >/dev/null 2>&1")),
      0);
  const json p = ReadJson(profile);
  ASSERT_EQ(p["tables"].size(), 1u);
  const json truth = ReadJson(*root_ / "data" / "ground_truth.json");
  EXPECT_EQ(p["tables"][0]["rows"], truth["sources"]["population"]["tables"]["cong_dan"]["rows"]);
  for (const json& c : p["tables"][0]["columns"]) {
    if (c["name"] == "id") {
      EXPECT_EQ(c["primary_key"], true);
      EXPECT_EQ(c["distinct"]["count"], p["tables"][0]["rows"]);
    }
    if (c["name"] == "trang_thai") {
      // Three states, exact counts, no NULL (docs/demo-province.md).
      ASSERT_EQ(c["top_values"]["values"].size(), 3u);
      EXPECT_EQ(c["top_values"]["exact"], true);
      EXPECT_EQ(c["top_values"]["values"][0]["value"], "song");
      EXPECT_EQ(c["null_count"], 0);
    }
    if (c["name"] == "so_cccd") {
      EXPECT_EQ(c["patterns"]["values"][0]["pattern"], "999999999999");
    }
    if (c["name"] == "ngay_cap_nhat") {
      EXPECT_GT(c["dates"]["percent"].get<double>(), 99.0);
      EXPECT_EQ(c["dates"]["format"], "iso");
    }
  }
}

TEST_F(ProfileTest, UsageErrors) {
  ASSERT_TRUE(generated_);
  const std::string db = Quote((*root_ / "data" / "catalog.db").string());
  // A file that exists but is not a database (this test's own: ctest runs each test alone).
  const fs::path not_db = *root_ / "not_a_database.yaml";
  std::ofstream(not_db) << "source: x\n";
  struct Case {
    std::string args;
    int exit_code;
  };
  const Case cases[] = {
      {"profile " + db + " --table khong_co", 2},
      {"profile " + Quote((*root_ / "no_such.db").string()), 2},
      {"profile " + db + " --today 2026-02-30", 2},
      {"profile " + db + " --out " + db, 2},
      {"profile " + Quote(not_db.string()), 3},  // not a database
  };
  for (const Case& c : cases) {
    EXPECT_EQ(RunCommand(Dqaudit(c.args + " >/dev/null 2>&1")), c.exit_code) << c.args;
  }
}

}  // namespace
}  // namespace profile_test
