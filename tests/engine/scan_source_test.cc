#include <gtest/gtest.h>

#include "core/engine/audit.h"
#include "tests/checks/scan_fixture.h"

namespace dqa {
namespace {

using testing::ExecSql;
using testing::Flat;
using testing::MakeCheck;
using testing::MakePlan;
using testing::MakeTable;
using testing::ReadBytes;
using testing::Scan;
using testing::TempDir;

constexpr const char* kPopulation = R"sql(
  CREATE TABLE cong_dan(id INTEGER PRIMARY KEY, ho_ten, gioi_tinh, ngay_sinh, ma_xa, trang_thai);
  INSERT INTO cong_dan VALUES
    (1, 'Nguyễn Văn An', 'Nam', '1980-01-01', '001', 'song'),
    (2, '', 'Nu' || char(795) || char(771), '1990-05-05', '002', 'song'),
    (3, NULL, 'Khác', '2030-01-01', '009', 'song'),
    (4, 'Trần Thị Bình', 'Nữ', 'x', '001', 'thu_nghiem'),
    (5, 'Lê Văn Cường', 'Nam', '1975-12-31', '001', 'song');
  CREATE INDEX idx_trang_thai ON cong_dan(trang_thai);
  CREATE TABLE dm_xa(ma_xa);
  INSERT INTO dm_xa VALUES ('001'), ('002'), ('003');
)sql";

std::vector<CheckSpec> PopulationChecks() {
  return {
      MakeCheck("sql", {{"query", "SELECT count(*) FROM cong_dan"}, {"min", 1}}, {}, "cong_dan"),
      MakeCheck("missing", {}, {"ho_ten"}, "cong_dan"),
      MakeCheck("allowed", {{"values", {"Nam", "Nữ"}}, {"normalize", true}}, {"gioi_tinh"}, "cong_dan"),
      MakeCheck("reference", {{"table", "dm_xa"}, {"ref_column", "ma_xa"}}, {"ma_xa"}, "cong_dan"),
      MakeCheck("duplicate", {}, {"ma_xa"}, "cong_dan"),
      MakeCheck("row_count", {{"min", 1}}, {}, "cong_dan"),
  };
}

TEST(ScanSourceTest, ResultsInRuleOrderWithOneSnapshot) {
  TempDir dir;
  const std::string db = dir.File("pop.db");
  ExecSql(db, kPopulation);
  SourcePlan plan = MakePlan(
      db, {MakeTable("cong_dan", PopulationChecks(), {"id"}, "trang_thai <> 'thu_nghiem'")});
  const SourceResult s = Scan(plan);
  EXPECT_EQ(s.error, "");
  EXPECT_EQ(s.source, "src");
  EXPECT_EQ(s.department, "Sở Tư pháp");
  EXPECT_EQ(s.database, "sqlite:" + db);
  EXPECT_GT(s.started_unix_ms, 0);
  EXPECT_GE(s.finished_unix_ms, s.started_unix_ms);
  ASSERT_EQ(s.results.size(), 6u);
  const std::vector<std::string> ids = {"sql:cong_dan",
                                        "missing:cong_dan.ho_ten",
                                        "allowed:cong_dan.gioi_tinh",
                                        "reference:cong_dan.ma_xa",
                                        "duplicate:cong_dan.ma_xa",
                                        "row_count:cong_dan"};
  for (size_t i = 0; i < ids.size(); ++i) {
    EXPECT_EQ(s.results[i].id, ids[i]);
    EXPECT_GE(s.results[i].duration_ms, 0);
  }
  EXPECT_EQ(s.results[0].value, 5.0);  // sql ignores the table filter
  EXPECT_EQ(s.results[1].violations, 2);
  EXPECT_EQ(s.results[1].rows_checked, 4);
  EXPECT_EQ(Flat(s.results[1].samples), (std::vector<std::string>{"2", "3"}));
  EXPECT_EQ(s.results[2].violations, 1);
  EXPECT_EQ(Flat(s.results[2].samples), std::vector<std::string>{"3"});
  EXPECT_EQ(s.results[3].violations, 1);
  EXPECT_EQ(s.results[4].violations, 1);  // row 4 is filtered out: '001' twice
  EXPECT_EQ(s.results[4].groups, 1);
  EXPECT_EQ(s.results[4].samples, (std::vector<std::vector<std::string>>{{"1"}, {"5"}}));
  EXPECT_EQ(s.results[5].value, 4.0);
  EXPECT_EQ(s.results[5].outcome, Outcome::kPass);
}

TEST(ScanSourceTest, SourceFileIsByteIdenticalAfterScan) {
  TempDir dir;
  const std::string db = dir.File("pop.db");
  ExecSql(db, kPopulation);
  const std::string before = ReadBytes(db);
  ASSERT_FALSE(before.empty());
  std::vector<CheckSpec> checks = PopulationChecks();
  checks.push_back(MakeCheck("condition", {{"invalid_when", "ngay_sinh > '2026'"}}, {}, "cong_dan"));
  const SourceResult s = Scan(MakePlan(db, {MakeTable("cong_dan", checks)}));
  EXPECT_EQ(s.error, "");
  EXPECT_EQ(ReadBytes(db), before);
  EXPECT_FALSE(std::filesystem::exists(db + "-wal"));
  EXPECT_FALSE(std::filesystem::exists(db + "-journal"));
}

TEST(ScanSourceTest, MissingFileErrorsEveryCheck) {
  TempDir dir;
  const std::string db = dir.File("nope.db");
  std::vector<CheckSpec> other = {MakeCheck("missing", {}, {"a"}, "u")};
  SourcePlan plan =
      MakePlan(db, {MakeTable("cong_dan", PopulationChecks(), {"id"}), MakeTable("u", other)});
  std::vector<CheckResult> emitted;
  const SourceResult s = ScanSource(plan, [&](const CheckResult& r) { emitted.push_back(r); });
  EXPECT_EQ(s.error, "database file does not exist: " + db);
  ASSERT_EQ(s.results.size(), 7u);
  ASSERT_EQ(emitted.size(), 7u);
  const std::vector<CheckSpec> specs = PopulationChecks();
  for (size_t i = 0; i < 6; ++i) {
    EXPECT_EQ(s.results[i].id, specs[i].id);
    EXPECT_EQ(s.results[i].type, specs[i].type);
    EXPECT_EQ(s.results[i].table, "cong_dan");
    EXPECT_EQ(s.results[i].columns, specs[i].columns);
    EXPECT_EQ(s.results[i].dimension, specs[i].dimension);
    EXPECT_EQ(s.results[i].key_columns, std::vector<std::string>{"id"});
    EXPECT_EQ(s.results[i].source, "src");
    EXPECT_EQ(s.results[i].outcome, Outcome::kError);
    EXPECT_EQ(s.results[i].message,
              "source src could not be scanned: database file does not exist: " + db);
    EXPECT_EQ(emitted[i].id, specs[i].id);
  }
  EXPECT_EQ(s.results[6].id, "missing:u.a");
  EXPECT_EQ(s.results[6].key_columns, std::vector<std::string>{"rowid"});
  EXPECT_EQ(ExitCodeFor({s}), 3);
}

TEST(ScanSourceTest, NotADatabaseAndMissingAttachmentAreSourceErrors) {
  TempDir dir;
  const std::string junk = dir.File("junk.db");
  { std::ofstream(junk) << "this is not a database file, just text that is long enough......"; }
  SourceResult s = Scan(MakePlan(junk, {MakeTable("t", {MakeCheck("missing", {}, {"v"})})}));
  EXPECT_NE(s.error, "");
  ASSERT_EQ(s.results.size(), 1u);
  EXPECT_EQ(s.results[0].outcome, Outcome::kError);

  const std::string db = dir.File("pop.db");
  ExecSql(db, kPopulation);
  SourcePlan plan =
      MakePlan(db, {MakeTable("cong_dan", {MakeCheck("missing", {}, {"ho_ten"}, "cong_dan")})});
  plan.source.attach = {{"civil", "civil_src"}};
  plan.attach_paths = {{"civil", dir.File("gone.db")}};
  s = Scan(plan);
  EXPECT_EQ(s.error, "attached database civil (" + dir.File("gone.db") +
                         "): database file does not exist: " + dir.File("gone.db"));
  EXPECT_EQ(s.results[0].outcome, Outcome::kError);

  // An attached file that is not a database: the message names the alias and the file.
  plan.attach_paths = {{"civil", junk}};
  s = Scan(plan);
  const std::string not_a_database =
      "attached database civil (" + junk + "): " + junk +
      " is not an SQLite database: 64 bytes, shorter than the 100-byte SQLite header (truncated?)";
  EXPECT_EQ(s.error, not_a_database);
  EXPECT_EQ(s.results[0].message, "source src could not be scanned: " + not_a_database);

  SourcePlan pg = MakePlan("", {MakeTable("t", {MakeCheck("missing", {}, {"v"})})});
  pg.source.database = "postgresql://u@h/db";
  s = Scan(pg);
  EXPECT_EQ(s.error, "cannot scan postgresql://u@h/db: no database");
  EXPECT_EQ(s.results[0].outcome, Outcome::kError);
}

TEST(ScanSourceTest, BadColumnOrWhereErrorsOnlyThatCheck) {
  TempDir dir;
  const std::string db = dir.File("pop.db");
  ExecSql(db, kPopulation);
  CheckSpec bad_where = MakeCheck("missing", {}, {"ho_ten"}, "cong_dan");
  bad_where.id = "bad_where";
  bad_where.where = "no_such_col = 1";
  CheckSpec bad_condition = MakeCheck("condition", {{"invalid_when", "ho_ten >"}}, {}, "cong_dan");
  const SourceResult s = Scan(MakePlan(
      db, {MakeTable("cong_dan",
                     {MakeCheck("missing", {}, {"missing_col"}, "cong_dan"), bad_where,
                      bad_condition, MakeCheck("missing", {}, {"ho_ten"}, "cong_dan")})}));
  ASSERT_EQ(s.results.size(), 4u);
  EXPECT_EQ(s.results[0].outcome, Outcome::kError);
  EXPECT_EQ(s.results[0].message, "column missing_col not found in table cong_dan");
  EXPECT_EQ(s.results[1].outcome, Outcome::kError);
  EXPECT_EQ(s.results[1].message,
            "where does not work: no such column: no_such_col (in: SELECT (no_such_col = 1) FROM "
            "main.\"cong_dan\")");
  EXPECT_EQ(s.results[2].outcome, Outcome::kError);
  EXPECT_EQ(s.results[2].message.rfind("invalid_when does not work: ", 0), 0u);
  EXPECT_EQ(s.results[3].outcome, Outcome::kFail);
  EXPECT_EQ(s.results[3].violations, 2);
  EXPECT_EQ(s.error, "");
}

TEST(ScanSourceTest, TableLevelProblemsErrorRowChecksButNotSql) {
  TempDir dir;
  const std::string db = dir.File("pop.db");
  ExecSql(db, kPopulation);
  struct Case {
    const char* name;
    TableSpec table;
    std::string message;
  };
  const CheckSpec sql = MakeCheck("sql", {{"query", "SELECT 1"}}, {}, "x");
  const Case cases[] = {
      {"missing table", MakeTable("x", {MakeCheck("missing", {}, {"a"}, "x"), sql}),
       "table x not found in " + db},
      {"bad filter",
       MakeTable("cong_dan", {MakeCheck("missing", {}, {"ho_ten"}, "cong_dan"), sql}, {},
                 "nope > 1"),
       "filter does not work: no such column: nope (in: SELECT (1) FROM main.\"cong_dan\" WHERE "
       "(nope > 1))"},
      {"missing key column",
       MakeTable("cong_dan", {MakeCheck("missing", {}, {"ho_ten"}, "cong_dan"), sql}, {"ma"}),
       "key column ma not found in table cong_dan"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const SourceResult s = Scan(MakePlan(db, {c.table}));
    ASSERT_EQ(s.results.size(), 2u);
    EXPECT_EQ(s.results[0].outcome, Outcome::kError);
    EXPECT_EQ(s.results[0].message, c.message);
    EXPECT_EQ(s.results[1].outcome, Outcome::kPass);
    EXPECT_EQ(s.results[1].value, 1.0);
  }
}

TEST(ScanSourceTest, RuntimeFailureOfTheFusedSelectErrorsEveryRowCheckOfTheTable) {
  TempDir dir;
  const std::string db = dir.File("pop.db");
  ExecSql(db, kPopulation);
  CheckSpec overflow = MakeCheck("missing", {}, {"ho_ten"}, "cong_dan");
  overflow.id = "overflow";
  overflow.where = "abs(-9223372036854775807 - id) > 0";  // integer overflow at row 1, at run time
  const SourceResult s = Scan(MakePlan(
      db, {MakeTable("cong_dan", {overflow, MakeCheck("missing", {}, {"ho_ten"}, "cong_dan")}),
           MakeTable("dm_xa", {MakeCheck("missing", {}, {"ma_xa"}, "dm_xa")})}));
  ASSERT_EQ(s.results.size(), 3u);
  for (int i : {0, 1}) {
    EXPECT_EQ(s.results[i].outcome, Outcome::kError);
    EXPECT_EQ(s.results[i].message.rfind("table scan failed: integer overflow", 0), 0u)
        << s.results[i].message;
  }
  EXPECT_EQ(s.results[2].outcome, Outcome::kPass);  // the other table is unaffected
  EXPECT_EQ(s.results[2].rows_checked, 3);
}

TEST(ScanSourceTest, SamplesFollowRowidOrderEvenWithAnIndexedFilter) {
  TempDir dir;
  const std::string db = dir.File("ord.db");
  ExecSql(db, R"sql(
    CREATE TABLE t(id INTEGER PRIMARY KEY, k, v);
    CREATE INDEX t_k ON t(k);
    INSERT INTO t VALUES (1, 'b', NULL), (2, 'a', NULL), (3, 'c', NULL), (4, 'a', NULL), (5, 'z', 1);
    ANALYZE;
  )sql");
  const SourceResult s = Scan(MakePlan(
      db, {MakeTable("t", {MakeCheck("missing", {}, {"v"})}, {"k"}, "k IN ('a', 'b', 'c')")}));
  ASSERT_EQ(s.results.size(), 1u);
  EXPECT_EQ(Flat(s.results[0].samples), (std::vector<std::string>{"b", "a", "c", "a"}));
}

class RecordingObserver : public AuditObserver {
 public:
  void OnSourceStarted(const SourcePlan& plan) override { started.push_back(plan.source.id); }
  void OnSourceFinished(const SourceResult& result) override { finished.push_back(result.source); }
  std::vector<std::string> started, finished;
};

TEST(RunAuditTest, TwoJobsThreeSourcesInPlanOrder) {
  TempDir dir;
  std::vector<SourcePlan> plans;
  for (int i = 0; i < 3; ++i) {
    const std::string db = dir.File(fmt::format("s{}.db", i));
    ExecSql(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, v);");
    for (int row = 0; row <= i; ++row) ExecSql(db, "INSERT INTO t(v) VALUES (NULL);");
    plans.push_back(MakePlan(db, {MakeTable("t", {MakeCheck("missing", {}, {"v"})})},
                             testing::kToday, fmt::format("s{}", i)));
  }
  plans.push_back(MakePlan(dir.File("missing.db"),
                           {MakeTable("t", {MakeCheck("missing", {}, {"v"})})}, testing::kToday,
                           "broken"));
  RecordingObserver observer;
  const std::vector<SourceResult> results = RunAudit(plans, 2, observer);
  ASSERT_EQ(results.size(), 4u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(results[i].source, fmt::format("s{}", i));
    EXPECT_EQ(results[i].error, "");
    ASSERT_EQ(results[i].results.size(), 1u);
    EXPECT_EQ(results[i].results[0].violations, i + 1);
  }
  EXPECT_EQ(results[3].source, "broken");
  EXPECT_NE(results[3].error, "");
  EXPECT_EQ(observer.started.size(), 4u);
  EXPECT_EQ(observer.finished.size(), 4u);
  std::vector<std::string> sorted = observer.finished;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, (std::vector<std::string>{"broken", "s0", "s1", "s2"}));
}

TEST(RunAuditTest, NoPlansNoThreads) {
  RecordingObserver observer;
  EXPECT_TRUE(RunAudit({}, 0, observer).empty());
  EXPECT_TRUE(observer.finished.empty());
}

}  // namespace
}  // namespace dqa
