#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>

#include "tests/checks/scan_fixture.h"

namespace dqa {
namespace {

using testing::ExecSql;
using testing::MakeCheck;
using testing::MakePlan;
using testing::MakeTable;
using testing::Scan;
using testing::TempDir;

using Samples = std::vector<std::vector<std::string>>;

// '001' x3 (a group of 3), '002' x2, NULL x2 (not checked), '003' once.
constexpr const char* kDuplicateSchema = R"sql(
  CREATE TABLE p(id INTEGER PRIMARY KEY, cccd, ten, ns);
  INSERT INTO p VALUES (1, '001', 'A', 'x'), (2, '001', 'B', 'x'), (3, '001', 'C', 'y'),
                       (4, '002', 'D', NULL), (5, '002', 'E', 'z'), (6, NULL, 'F', 'x'),
                       (7, NULL, 'G', 'x'), (8, '003', 'H', 'y'), (9, 1, 'I', 'x'), (10, '1', 'J', 'x');
)sql";

struct DupCase {
  const char* name;
  std::vector<std::string> columns;
  std::string where;
  std::string filter;
  std::vector<std::string> key;
  int64_t rows_checked;
  int64_t violations;
  int64_t groups;
  Samples samples;
};

TEST(DuplicateCheckTest, CasesTable) {
  TempDir dir;
  const std::string db = dir.File("d.db");
  ExecSql(db, kDuplicateSchema);
  const DupCase cases[] = {
      {"group of 3 and of 2; NULL keys skipped; INTEGER 1 and TEXT '1' differ",
       {"cccd"},
       "",
       "",
       {},
       8,
       3,
       2,
       {{"1"}, {"2"}, {"3"}, {"4"}, {"5"}}},
      {"composite key columns", {"cccd", "ns"}, "", "", {}, 7, 1, 1, {{"1"}, {"2"}}},
      {"where", {"cccd"}, "ten <> 'C'", "", {}, 7, 2, 2, {{"1"}, {"2"}, {"4"}, {"5"}}},
      {"filter", {"cccd"}, "", "ten NOT IN ('A', 'E')", {}, 6, 1, 1, {{"2"}, {"3"}}},
      {"composite table key in samples", {"ten"}, "", "", {"cccd", "ten"}, 10, 0, 0, {}},
      {"samples keyed by a composite table key",
       {"cccd"},
       "",
       "",
       {"ten", "id"},
       8,
       3,
       2,
       {{"A", "1"}, {"B", "2"}, {"C", "3"}, {"D", "4"}, {"E", "5"}}},
  };
  for (const DupCase& c : cases) {
    SCOPED_TRACE(c.name);
    CheckSpec spec = MakeCheck("duplicate", {}, c.columns, "p");
    spec.where = c.where;
    const SourceResult s = Scan(MakePlan(db, {MakeTable("p", {spec}, c.key, c.filter)}));
    ASSERT_EQ(s.results.size(), 1u);
    const CheckResult& r = s.results[0];
    EXPECT_EQ(r.rows_checked, c.rows_checked);
    EXPECT_EQ(r.violations, c.violations);
    EXPECT_EQ(r.groups, c.groups);
    EXPECT_EQ(r.samples, c.samples);
    EXPECT_EQ(r.outcome, c.violations > 0 ? Outcome::kFail : Outcome::kPass);
    EXPECT_EQ(r.dimension, Dimension::kUniqueness);
  }
}

TEST(DuplicateCheckTest, TwoChecksOnOneKeySetShareAGroupingQuery) {
  TempDir dir;
  const std::string db = dir.File("d.db");
  ExecSql(db, kDuplicateSchema);
  CheckSpec all = MakeCheck("duplicate", {}, {"cccd"}, "p");
  CheckSpec some = MakeCheck("duplicate", {}, {"cccd"}, "p");
  some.id = "dup_without_c";
  some.where = "ten <> 'C'";
  some.thresholds.warn.max_count = 1;
  const SourceResult s = Scan(MakePlan(db, {MakeTable("p", {all, some})}, testing::kToday));
  ASSERT_EQ(s.results.size(), 2u);
  EXPECT_EQ(s.results[0].violations, 3);
  EXPECT_EQ(s.results[0].groups, 2);
  EXPECT_EQ(s.results[1].id, "dup_without_c");
  EXPECT_EQ(s.results[1].violations, 2);
  EXPECT_EQ(s.results[1].groups, 2);
  EXPECT_EQ(s.results[1].outcome, Outcome::kWarn);
  EXPECT_EQ(s.results[0].message,
            "3 of 8 rows (37.5%) duplicate an earlier row on (cccd), in 2 groups of equal values; "
            "fail limit 0");
}

TEST(DuplicateCheckTest, SampleLimitFollowsPlan) {
  TempDir dir;
  const std::string db = dir.File("d.db");
  ExecSql(db, kDuplicateSchema);
  SourcePlan plan = MakePlan(db, {MakeTable("p", {MakeCheck("duplicate", {}, {"cccd"}, "p")})});
  plan.samples = 2;
  SourceResult s = Scan(plan);
  EXPECT_EQ(s.results[0].samples, (Samples{{"1"}, {"2"}}));
  plan.samples = 0;
  s = Scan(plan);
  EXPECT_TRUE(s.results[0].samples.empty());
  EXPECT_EQ(s.results[0].violations, 3);
}

// One name spelt four ways (ids 1-4: NFC, NFD, upper case, extra Unicode spaces), an ASCII name
// three ways (5-7: case, spacing), INTEGER 1 beside TEXT '1' twice (8, 9, 12), NULL (10) and a
// name of its own (11). char(7877) is U+1EC5 (ễ); 'e' || char(770, 771) is its NFD form.
constexpr const char* kSpellingSchema = R"sql(
  CREATE TABLE q(id INTEGER PRIMARY KEY, ten, ns);
  INSERT INTO q VALUES
    (1, 'Nguy' || char(7877) || 'n V' || char(259) || 'n An', '2000'),
    (2, 'Nguye' || char(770, 771) || 'n Va' || char(774) || 'n An', '2000'),
    (3, 'NGUY' || char(7876) || 'N V' || char(258) || 'N AN', '2000'),
    (4, char(12288) || 'nguy' || char(7877) || 'n  v' || char(259) || 'n' || char(9) || 'an ', '2001'),
    (5, 'Le Thi B', '1990'), (6, 'le thi b', '1990'), (7, 'Le  Thi B', '1990'),
    (8, 1, '1990'), (9, '1', '1990'), (10, NULL, '1990'), (11, 'Ho' || char(224), '1990'),
    (12, '1', '1990');
)sql";

TEST(DuplicateCheckTest, NormalizeComparesTextKeysAsStoredInNfcOrFolded) {
  TempDir dir;
  const std::string db = dir.File("d.db");
  ExecSql(db, kSpellingSchema);
  const DupCase cases[] = {
      // As stored: only the two TEXT '1'; the INTEGER 1 stays apart in every form.
      {"none", {"ten"}, "", "", {}, 11, 1, 1, {{"9"}, {"12"}}},
      // NFC: the NFD copy joins the precomposed name; samples in the order of the NFC key.
      {"nfc", {"ten"}, "", "", {}, 11, 2, 2, {{"9"}, {"12"}, {"1"}, {"2"}}},
      // Folded: every spelling of each name is one group; 'le thi b' sorts before 'nguyễn...'.
      {"fold",
       {"ten"},
       "",
       "",
       {},
       11,
       6,
       3,
       {{"9"}, {"12"}, {"5"}, {"6"}, {"7"}, {"1"}, {"2"}, {"3"}, {"4"}}},
      {"fold", {"ten", "ns"}, "", "", {}, 11, 5, 3,
       {{"9"}, {"12"}, {"5"}, {"6"}, {"7"}, {"1"}, {"2"}, {"3"}}},
      {"fold", {"ten"}, "ns <> '2001'", "", {}, 10, 5, 3,
       {{"9"}, {"12"}, {"5"}, {"6"}, {"7"}, {"1"}, {"2"}, {"3"}}},
      {"nfc", {"ten"}, "", "id <> 9", {}, 10, 1, 1, {{"1"}, {"2"}}},
      // The NFD row out of scope: the scan sees only NFC keys and groups the stored values.
      {"nfc", {"ten"}, "id NOT IN (2, 9)", "", {}, 9, 0, 0, {}},
      {"nfc", {"ten", "ns"}, "", "", {"ns", "id"}, 11, 2, 2,
       {{"1990", "9"}, {"1990", "12"}, {"2000", "1"}, {"2000", "2"}}},
  };
  for (const DupCase& c : cases) {
    SCOPED_TRACE(fmt::format("{} on {} where '{}' filter '{}'", c.name, fmt::join(c.columns, ","),
                             c.where, c.filter));
    CheckSpec spec = MakeCheck("duplicate", {{"normalize", c.name}}, c.columns, "q");
    spec.where = c.where;
    SourcePlan plan = MakePlan(db, {MakeTable("q", {spec}, c.key, c.filter)});
    plan.samples = 10;
    const SourceResult s = Scan(plan);
    ASSERT_EQ(s.results.size(), 1u);
    const CheckResult& r = s.results[0];
    ASSERT_NE(r.outcome, Outcome::kError) << r.message;
    EXPECT_EQ(r.rows_checked, c.rows_checked);
    EXPECT_EQ(r.violations, c.violations);
    EXPECT_EQ(r.groups, c.groups);
    EXPECT_EQ(r.samples, c.samples);
  }
}

TEST(DuplicateCheckTest, NfcIsTheDefaultAndEachFormGroupsOnItsOwn) {
  TempDir dir;
  const std::string db = dir.File("d.db");
  ExecSql(db, kSpellingSchema);
  CheckSpec by_default = MakeCheck("duplicate", {}, {"ten"}, "q");
  CheckSpec stored = MakeCheck("duplicate", {{"normalize", "none"}}, {"ten"}, "q");
  stored.id = "stored";
  CheckSpec folded = MakeCheck("duplicate", {{"normalize", "fold"}}, {"ten"}, "q");
  folded.id = "folded";
  const SourceResult s = Scan(MakePlan(db, {MakeTable("q", {by_default, stored, folded})}));
  ASSERT_EQ(s.results.size(), 3u);
  EXPECT_EQ(s.results[0].violations, 2);
  EXPECT_EQ(s.results[1].violations, 1);
  EXPECT_EQ(s.results[2].violations, 6);
  EXPECT_EQ(s.results[2].groups, 3);
}

TEST(DuplicateCheckTest, NormalizedKeysKeepTheColumnsCollation) {
  TempDir dir;
  const std::string db = dir.File("d.db");
  // 'ANH' + NFD and 'anh' + NFC: equal under NOCASE only once both are NFC.
  ExecSql(db, R"sql(
    CREATE TABLE c(id INTEGER PRIMARY KEY, ten TEXT COLLATE NOCASE);
    INSERT INTO c VALUES (1, 'ANH Nguye' || char(770, 771) || 'n'), (2, 'anh Nguy' || char(7877) || 'n'),
                         (3, 'Le'), (4, 'LE');
  )sql");
  for (const auto& [form, violations] :
       std::vector<std::pair<std::string, int64_t>>{{"none", 1}, {"nfc", 2}, {"fold", 2}}) {
    SCOPED_TRACE(form);
    const SourceResult s = Scan(MakePlan(
        db, {MakeTable("c", {MakeCheck("duplicate", {{"normalize", form}}, {"ten"}, "c")})}));
    ASSERT_EQ(s.results.size(), 1u);
    EXPECT_EQ(s.results[0].violations, violations);
    EXPECT_EQ(s.results[0].groups, violations);
  }
}

}  // namespace
}  // namespace dqa
