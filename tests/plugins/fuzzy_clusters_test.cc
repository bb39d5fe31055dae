// The host's fuzzy clusters for plugins (ABI 1.2, dqa_query_api::fuzzy_clusters): the clusters of
// a small register with known re-entries, the parameters validated against the fuzzy_duplicate
// type's schema, unknown tables and columns, and the whole path through a plugin built with the
// SDK (Query::FuzzyClusters); the ABI versions a host of 1.3 loads.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/engine/audit.h"
#include "core/engine/plan.h"
#include "core/plugins/fuzzy_clusters.h"
#include "core/plugins/loaded_plugin.h"
#include "core/plugins/registry.h"
#include "core/rules/loader.h"
#include "core/sources/pg_db.h"
#include "tests/checks/scan_fixture.h"
#include "tests/pg_test_support.h"

namespace dqa::plugins {
namespace {

using dqa::testing::ExecSql;
using dqa::testing::TempDir;
using nlohmann::json;

const std::string kClusterPluginDir = DQA_TEST_PLUGIN_DIR;

// Forty distinct people, then three re-entries: id 41 is id 3 typed in capitals with another
// CCCD digit, id 42 is id 7 with extra spaces and no CCCD, id 43 is id 3 again with extra spaces.
// Ids 3, 41, 43 are one person; 7, 42 another.
std::string ClusterRegisterSql() {
  const std::vector<std::string> surnames = {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng"};
  const std::vector<std::string> given = {"Văn An",   "Thị Bình", "Minh Cường", "Thu Dung",
                                          "Quốc Bảo", "Thị Hoa",  "Đức Long",   "Ngọc Lan"};
  std::string sql =
      "CREATE TABLE cd(id INTEGER PRIMARY KEY, ho_ten TEXT, ngay_sinh TEXT, ma_xa TEXT, "
      "so_cccd TEXT);";
  for (int i = 0; i < 40; ++i) {
    sql += fmt::format("INSERT INTO cd VALUES ({}, '{} {}', '19{:02d}-{:02d}-{:02d}', '{:05d}', "
                       "'0010{:08d}');",
                       i + 1, surnames[static_cast<size_t>(i) % surnames.size()],
                       given[static_cast<size_t>(i / 5) % given.size()], 50 + i, 1 + i % 12,
                       1 + i % 28, 100 + i % 7, 1000 + i);
  }
  // id 3: Lê Văn An, 1952-03-03, 00102, 001000001002.
  sql += "INSERT INTO cd VALUES (41, 'LÊ VĂN AN', '1952-03-03', '00102', '001000001092');";
  // id 7: Trần Thị Bình, 1956-07-07, 00106, 001000001006.
  sql += "INSERT INTO cd VALUES (42, 'Trần  Thị   Bình', '1956-07-07', '00106', NULL);";
  sql += "INSERT INTO cd VALUES (43, 'Lê  Văn An', '1952-03-03', '00102', '001000001002');";
  return sql;
}

const char* kClusterParams = R"({"name": "ho_ten", "same": ["ngay_sinh"], "also": ["ma_xa", "so_cccd"]})";

struct ClusterRegister {
  TempDir dir;
  std::string path = dir.File("cd.db");
  std::unique_ptr<SqliteDb> db;
  ClusterRegister() {
    ExecSql(path, ClusterRegisterSql());
    auto opened = SqliteDb::OpenReadOnly(path);
    EXPECT_TRUE(opened.ok()) << opened.status().message();
    if (opened.ok()) db = std::move(*opened);
  }
};

// The column values of one row as text: integers as digits, reals rounded to 2 places.
std::vector<std::string> ClusterTexts(const std::vector<json>& row) {
  std::vector<std::string> out;
  for (const json& v : row) {
    out.push_back(v.is_string() ? v.get<std::string>()
                  : v.is_number_float() ? fmt::format("{:.2f}", v.get<double>())
                                        : v.dump());
  }
  return out;
}

TEST(FuzzyClustersTest, ReturnsEveryClusteredRecordWithItsBestMatch) {
  ClusterRegister r;
  ASSERT_NE(r.db, nullptr);
  Result<ClusterTable> t = FuzzyClusters(*r.db, "cd", kClusterParams);
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->columns, (std::vector<std::string>{"group", "rowid", "matched_with", "probability",
                                                  "agreement"}));
  ASSERT_EQ(t->rows.size(), 5u);
  // Clusters in the order of their first record; records in table order.
  const std::vector<std::pair<int64_t, int64_t>> expected = {{1, 3}, {1, 41}, {1, 43}, {2, 7},
                                                             {2, 42}};
  for (size_t i = 0; i < expected.size(); ++i) {
    const std::vector<json>& row = t->rows[i];
    ASSERT_EQ(row.size(), 5u);
    EXPECT_EQ(row[0], expected[i].first) << i;
    EXPECT_EQ(row[1], expected[i].second) << i;
    EXPECT_TRUE(row[1].is_number_integer());  // the rowid keeps its type
    EXPECT_TRUE(row[2].is_number_integer());
    EXPECT_NE(row[2], row[1]) << "a record is matched with another one";
    EXPECT_GE(row[3].get<double>(), 0.9) << i;
    EXPECT_NE(row[4].get<std::string>().find("ho_ten"), std::string::npos) << row[4];
  }
  EXPECT_EQ(t->rows[3][2], 42);  // 7 matched 42, its only partner
  EXPECT_EQ(t->rows[4][2], 7);
}

// On PostgreSQL the default key is the row's ctid (as text): the same clusters, in table order.
TEST(FuzzyClustersTest, PostgresRowsWithoutAKeyAreNamedByCtid) {
  dqa::testing::PgTestDatabase pg(ClusterRegisterSql());
  ASSERT_FALSE(pg.conninfo().empty());
  auto db = PgDb::Open(pg.conninfo());
  ASSERT_TRUE(db.ok()) << db.status().message();
  ASSERT_TRUE((*db)->BeginSnapshot().ok());
  Result<ClusterTable> t = FuzzyClusters(**db, "cd", kClusterParams);
  ASSERT_TRUE(t.ok()) << t.status().message();
  ASSERT_EQ(t->rows.size(), 5u);
  // Rows 3, 41, 43, 7, 42 of the register sit at these places of a freshly loaded table.
  const std::vector<std::string> expected = {"(0,3)", "(0,41)", "(0,43)", "(0,7)", "(0,42)"};
  for (size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(t->rows[i][1], expected[i]) << i;
  EXPECT_EQ(t->rows[3][2], "(0,42)");
}

TEST(FuzzyClustersTest, KeyColumnsNameTheRecordsAndMatches) {
  ClusterRegister r;
  ASSERT_NE(r.db, nullptr);
  Result<ClusterTable> one = FuzzyClusters(
      *r.db, "cd", R"({"name": "ho_ten", "same": ["ngay_sinh"], "key": ["so_cccd"]})");
  ASSERT_TRUE(one.ok()) << one.status().message();
  EXPECT_EQ(one->columns[1], "so_cccd");
  ASSERT_EQ(one->rows.size(), 5u);
  EXPECT_EQ(one->rows[3][1], "001000001006");
  EXPECT_TRUE(one->rows[4][1].is_null());  // id 42 has no CCCD
  EXPECT_EQ(one->rows[4][2], "001000001006");

  Result<ClusterTable> two = FuzzyClusters(
      *r.db, "cd", R"({"name": "ho_ten", "same": ["ngay_sinh"], "key": ["id", "ma_xa"]})");
  ASSERT_TRUE(two.ok()) << two.status().message();
  EXPECT_EQ(two->columns, (std::vector<std::string>{"group", "id", "ma_xa", "matched_with",
                                                    "probability", "agreement"}));
  ASSERT_EQ(two->rows.size(), 5u);
  const std::vector<std::string> last = ClusterTexts(two->rows[4]);
  EXPECT_EQ(last[1], "42");
  EXPECT_EQ(last[2], "00106");
  EXPECT_EQ(last[3], "7, 00106");  // a key of two columns, joined
}

TEST(FuzzyClustersTest, ReadsAnAttachedSourceAsAliasTable) {
  ClusterRegister r;
  TempDir other;
  const std::string main_db = other.File("main.db");
  ExecSql(main_db, "CREATE TABLE x(a);");
  auto db = SqliteDb::OpenReadOnly(main_db);
  ASSERT_TRUE(db.ok()) << db.status().message();
  ASSERT_TRUE((*db)->AttachReadOnly(r.path, "population").ok());
  Result<ClusterTable> t = FuzzyClusters(**db, "population.cd", kClusterParams);
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->rows.size(), 5u);
  Result<ClusterTable> missing = FuzzyClusters(**db, "cd", kClusterParams);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("table cd not found"), std::string::npos)
      << missing.status().message();
}

TEST(FuzzyClustersTest, RefusesBadParametersAndUnknownColumns) {
  ClusterRegister r;
  ASSERT_NE(r.db, nullptr);
  struct Case {
    std::string params;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"not json", "the parameters are not valid JSON: not json"},
      {"[1]", "the parameters of fuzzy_duplicate must be a JSON object"},
      {R"({"same": ["ngay_sinh"]})", "missing required parameter 'name' of fuzzy_duplicate"},
      {R"({"name": "ho_ten", "threshold": 2})",
       "'threshold': expected a value from 0.5 to 1, got 2"},
      {R"({"name": "ho_ten", "threshold": "high"})", "'threshold': expected a number"},
      {R"({"name": "ho_ten", "max_block": 1.5})", "'max_block': expected a whole number"},
      {R"({"name": "ho_ten", "same": []})", "'same': expected a non-empty list"},
      {R"({"name": "ho_ten", "same": ["ngay_sinh", "ngay_sinh"]})",
       "'same': 'ngay_sinh' is listed twice"},
      {R"({"name": "ho_ten", "date_format": "ymd"})", "'date_format': expected iso or dmy"},
      {R"({"name": "ho_ten", "colour": "red"})",
       "unknown parameter 'colour' of fuzzy_duplicate; expected one of name, same, also, "
       "threshold, max_block, date_format"},
      {R"({"name": "ho_ten", "key": "id"})", "'key': expected a non-empty list of column names"},
      {R"({"name": "ho_ten", "also": ["xa"]})",
       "unknown column 'xa' in table cd (columns: id, ho_ten, ngay_sinh, ma_xa, so_cccd)"},
      {R"({"name": "ten"})", "unknown column 'ten' in table cd"},
      {R"({"name": "ho_ten", "key": ["ma"]})", "unknown column 'ma' in table cd"},
  };
  for (const Case& c : cases) {
    Result<ClusterTable> t = FuzzyClusters(*r.db, "cd", c.params);
    ASSERT_FALSE(t.ok()) << c.params;
    EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument) << c.params;
    EXPECT_NE(t.status().message().find(c.message), std::string::npos)
        << c.params << " -> " << t.status().message();
  }
}

// Through a plugin: the SDK builds the request, the host clusters, the SDK reads every column.
class FuzzyClustersPluginTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto p = ProcessPluginRegistry().LoadFile(kClusterPluginDir + "/clusters.so");
    ASSERT_TRUE(p.ok()) << p.status().message();
  }
  static std::vector<CheckResult> ScanRule(const std::string& db, const std::string& check) {
    auto source = ParseRuleText(
        fmt::format("source: src\ndepartment: d\ndatabase: sqlite:{}\ntables:\n  cd:\n"
                    "    key: [id]\n    checks:\n      - {}\n",
                    db, check),
        "r.yaml");
    EXPECT_TRUE(source.ok()) << source.status().message();
    if (!source.ok()) return {};
    AuditOptions options;
    options.today_day = dqa::testing::kToday;
    options.samples = 10;
    std::vector<SourcePlan> plans = PlanAudit({*source}, options);
    return ScanSource(plans[0], [](const CheckResult&) {}).results;
  }
};

TEST_F(FuzzyClustersPluginTest, PluginReadsTheClustersThroughTheSdk) {
  ClusterRegister r;
  const std::vector<CheckResult> results = ScanRule(
      r.path, "clusters.records: {of: cd, same: [ngay_sinh], also: [ma_xa], key: [so_cccd]}");
  ASSERT_EQ(results.size(), 1u);
  const CheckResult& c = results[0];
  EXPECT_EQ(c.outcome, Outcome::kFail) << c.message;
  EXPECT_EQ(c.violations, 5);     // clustered records
  EXPECT_EQ(c.rows_checked, 2);   // clusters
  ASSERT_EQ(c.samples.size(), 5u);
  // group|so_cccd|matched_with|probability|agreement: the SDK split the key from the rest.
  EXPECT_EQ(c.samples[0][0].substr(0, 16), "1|001000001002|0");
  EXPECT_EQ(c.samples[3][0].substr(0, 16), "2|001000001006||");
  EXPECT_EQ(c.samples[4][0].substr(0, 16), "2||001000001006|");
  EXPECT_NE(c.samples[4][0].find("|ho_ten"), std::string::npos) << c.samples[4][0];
}

TEST_F(FuzzyClustersPluginTest, HostErrorsBecomeTheCheckErrorWithTheMessage) {
  ClusterRegister r;
  const std::vector<CheckResult> results = ScanRule(
      r.path, R"(clusters.records: {of: cd, raw: '{"name": "ho_ten", "threshold": 2}'})");
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].outcome, Outcome::kError);
  EXPECT_EQ(results[0].message,
            "plugin clusters failed in check clusters.records: fuzzy clusters failed: fuzzy "
            "clusters of cd: 'threshold': expected a value from 0.5 to 1, got 2");
  const std::vector<CheckResult> unknown =
      ScanRule(r.path, "clusters.records: {of: nosuch}");
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_EQ(unknown[0].outcome, Outcome::kError);
  EXPECT_NE(unknown[0].message.find("fuzzy clusters of nosuch: table nosuch not found"),
            std::string::npos)
      << unknown[0].message;
}

TEST(PluginAbiVersionTest, HostOfOnePointFourLoadsOnePointTwoOnePointOneAndOnePointZeroPlugins) {
  EXPECT_EQ(DQA_PLUGIN_ABI_MINOR, 4);
  auto v12 = LoadedPlugin::Load(kClusterPluginDir + "/abi/abi_minor_1_2.so", {});
  ASSERT_TRUE(v12.ok()) << v12.status().message();
  EXPECT_EQ((*v12)->info().abi_minor, 2u);
  auto v11 = LoadedPlugin::Load(kClusterPluginDir + "/abi/abi_minor_1_1.so", {});
  ASSERT_TRUE(v11.ok()) << v11.status().message();
  EXPECT_EQ((*v11)->info().abi_minor, 1u);
  auto v10 = LoadedPlugin::Load(kClusterPluginDir + "/abi_1_0/legacy.so", {});
  ASSERT_TRUE(v10.ok()) << v10.status().message();
  EXPECT_EQ((*v10)->info().abi_minor, 0u);
  auto sdk = LoadedPlugin::Load(kClusterPluginDir + "/clusters.so", {});
  ASSERT_TRUE(sdk.ok()) << sdk.status().message();
  EXPECT_EQ((*sdk)->info().abi_minor, 4u);  // the SDK builds for the current minor
}

}  // namespace
}  // namespace dqa::plugins
