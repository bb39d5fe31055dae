// Push-down on PostgreSQL (docs/engine.md "Push-down on PostgreSQL"): the server's counts equal the
// streamed scan's on values chosen to break a careless translation (Unicode whitespace, NFC and
// NFD, regular-expression characters, padded char(n), NaN, infinite and BC dates, breakdowns).
#include <gtest/gtest.h>

#include "core/engine/table_scan.h"
#include "core/sources/pg_db.h"
#include "core/util/activity.h"
#include "tests/checks/scan_fixture.h"
#include "tests/pg_test_support.h"

namespace dqa {
namespace {

using testing::Flat;
using testing::MakeCheck;
using testing::MakeTable;
using testing::PgTestDatabase;

// Row 5 holds "không rõ" decomposed (NFD), row 10 "Nữ" decomposed; U+00A0 and U+3000 are
// whitespace that btrim() and [[:space:]] would not all know.
constexpr const char* kValues = R"sql(
  CREATE TABLE t (id int PRIMARY KEY, s text, c char(4), i bigint, f double precision,
                  n numeric, d date, ts timestamp, u text);
  INSERT INTO t VALUES
    (1, 'Nam', 'ab', 1, 1.5, 1.0, '2024-02-29', '2024-01-01 00:00:00', '001'),
    (2, 'N/A', '    ', 2, 'NaN', 'NaN', 'infinity', '2023-12-31 23:59:59.999', '001'),
    (3, E'  N/A\u00a0', NULL, NULL, 'Infinity', 2.5, '0044-03-15 BC', '2024-01-02 00:00:00', '002'),
    (4, 'không rõ', 'xy', 1000, -3, 100, '1999-12-31', NULL, NULL),
    (5, E'kho\u0302ng ro\u0303', 'ab', 7, 10, -1, '2000-01-01', '10000-01-01 00:00', ' '),
    (6, E'\u3000', 'ab', 3, 0, 0, NULL, 'infinity', '002'),
    (7, '', NULL, 100, 9.999, 10, '2026-01-01', '2024-01-01 12:00', '001'),
    (8, NULL, 'zz', -5, NULL, NULL, '2020-02-02', '2024-06-01', '003'),
    (9, 'N.A', 'ab', 2, 5, 5, '2001-01-01', '2001-01-01', '001'),
    (10, E'Nu\u031b\u0303', 'ab', 1, 1, 1, '2001-01-01', '2024-01-01', '002'),
    (11, '(none)', 'ab', 1, 1, 1, '2001-01-01', '2024-01-01', '002'),
    (12, ' (none) x', 'ab', 1, 1, 1, '2001-01-01', '2024-01-01', '002'),
    (13, 'Nữ', 'ab', 1000, 1, 1, '2001-01-01', '2024-01-01', '003'),
    (14, E'N/A \t', 'ab', 1, 1, 1, '2001-01-01', '2024-01-01', '003'),
    (15, 'Nam', 'ab', 1, 1, 1, '2001-01-01', '2024-01-01', '003');
)sql";

CheckSpec By(CheckSpec spec, const std::string& column) {
  spec.by.push_back(BySpec{column, "", "", ""});
  spec.id += " by " + column;
  return spec;
}

CheckSpec Where(CheckSpec spec, const std::string& where) {
  spec.where = where;
  spec.id += " where " + where;
  return spec;
}

std::vector<CheckSpec> PushableChecks() {
  return {
      MakeCheck("missing", {{"missing_values", {"N/A", "không rõ", "(none)"}}}, {"s"}),
      Where(MakeCheck("missing", {{"missing_values", {"N/A", ""}}, {"blank_is_missing", false}},
                      {"s"}),
            "i > 0"),
      MakeCheck("missing", {}, {"c"}),
      By(MakeCheck("missing", {}, {"s"}), "u"),
      By(MakeCheck("allowed", {{"values", {"Nam", "Nữ"}}}, {"s"}), "u"),
      MakeCheck("allowed", {{"forbidden", {"N/A"}}, {"normalize", false}}, {"s"}),
      MakeCheck("allowed", {{"values", {"1", "2.0", "1000.0"}}, {"compare", "typed"}}, {"i"}),
      MakeCheck("allowed", {{"values", {"1", "2"}}}, {"i"}),
      MakeCheck("range", {{"min", 0}, {"max", 100}}, {"i"}),
      MakeCheck("range", {{"min", 0}, {"max", 10}, {"max_exclusive", true}}, {"f"}),
      MakeCheck("range", {{"min", 0}, {"max", 10}}, {"n"}),
      MakeCheck("range", {{"min", "2000-01-01"}, {"max", "today"}}, {"d"}),
      MakeCheck("range", {{"min", "2024-01-01"}, {"max", "2024-01-01"}}, {"ts"}),
      MakeCheck("condition", {{"invalid_when", "i > 50"}}, {}),
      By(MakeCheck("row_count", {{"min", 1}}, {}), "u"),
      MakeCheck("duplicate", {}, {"s"}),
  };
}

struct Scanned {
  std::vector<CheckResult> results;
  int64_t pushed_tables = 0;
  int64_t table_passes = 0;
};

Scanned ScanOn(const PgTestDatabase& pg, const TableSpec& table, bool push_down) {
  Scanned out;
  auto db = PgDb::Open(pg.Uri());
  EXPECT_TRUE(db.ok()) << db.status().message();
  if (!db.ok()) return out;
  (*db)->set_push_down(push_down);
  EXPECT_TRUE((*db)->BeginSnapshot().ok());
  ActivityPage page;
  InitActivityPage(page);
  PublishActivity(&page, {}, {});
  const CheckContext context{"src", testing::kToday * kSecondsPerDay, testing::kToday, 5, {}};
  out.results = ScanTable(**db, context, table);
  PublishActivity(nullptr, {}, {});
  out.pushed_tables = page.pushed_tables.load();
  out.table_passes = page.table_passes.load();
  return out;
}

void ExpectSameFigures(const std::vector<CheckResult>& pushed,
                       const std::vector<CheckResult>& streamed) {
  ASSERT_EQ(pushed.size(), streamed.size());
  for (size_t i = 0; i < pushed.size(); ++i) {
    const CheckResult& p = pushed[i];
    const CheckResult& s = streamed[i];
    SCOPED_TRACE(s.id);
    EXPECT_EQ(s.outcome == Outcome::kError, false) << s.message;
    EXPECT_EQ(p.outcome, s.outcome) << p.message;
    EXPECT_EQ(p.violations, s.violations);
    EXPECT_EQ(p.rows_checked, s.rows_checked);
    EXPECT_EQ(p.unparseable, s.unparseable);
    EXPECT_EQ(p.groups, s.groups);
    EXPECT_EQ(p.value, s.value);
    EXPECT_EQ(p.message, s.message);
    EXPECT_EQ(p.samples, s.samples);
    ASSERT_EQ(p.breakdowns.size(), s.breakdowns.size());
    for (size_t b = 0; b < p.breakdowns.size(); ++b) {
      ASSERT_EQ(p.breakdowns[b].units.size(), s.breakdowns[b].units.size());
      for (size_t u = 0; u < p.breakdowns[b].units.size(); ++u) {
        const UnitFigures& pu = p.breakdowns[b].units[u];
        const UnitFigures& su = s.breakdowns[b].units[u];
        EXPECT_EQ(pu.unit, su.unit);
        EXPECT_EQ(pu.violations, su.violations) << su.unit;
        EXPECT_EQ(pu.rows_checked, su.rows_checked) << su.unit;
        EXPECT_EQ(pu.value, su.value) << su.unit;
      }
    }
  }
}

TEST(PushDownTest, ServerCountsEqualTheStreamedScanOnHardValues) {
  PgTestDatabase pg(kValues);
  const TableSpec table = MakeTable("t", PushableChecks(), {"id"});
  const Scanned pushed = ScanOn(pg, table, true);
  const Scanned streamed = ScanOn(pg, table, false);
  EXPECT_EQ(pushed.pushed_tables, 1);
  EXPECT_EQ(pushed.table_passes, 0);
  EXPECT_EQ(streamed.pushed_tables, 0);
  EXPECT_EQ(streamed.table_passes, 1);
  ExpectSameFigures(pushed.results, streamed.results);

  // And the figures are the documented ones, not merely equal.
  ASSERT_EQ(pushed.results.size(), 16u);
  // NULL 8, blank 6 7, listed 2 3 4 5(NFD) 11 14; not 9 (N.A), not 12.
  EXPECT_EQ(Flat(pushed.results[0].samples), (std::vector<std::string>{"2", "3", "4", "5", "6"}));
  EXPECT_EQ(pushed.results[0].violations, 9);
  // Blank is not missing, but "" is listed: 7, and 6 once trimmed; N/A 2 14; i > 0 leaves out
  // 3 (NULL i) and 8.
  EXPECT_EQ(pushed.results[1].violations, 4);
  EXPECT_EQ(pushed.results[1].rows_checked, 13);
  EXPECT_EQ(pushed.results[2].violations, 3);  // NULL 3 7, padded blank 2
  EXPECT_EQ(pushed.results[4].violations, 10);  // of 14 (8 is NULL): 1 10 13 15 are allowed
  EXPECT_EQ(pushed.results[5].violations, 1);  // only the exact "N/A"
  EXPECT_EQ(pushed.results[6].violations, 4);  // typed: 7, -5, 3, 100 are not 1, 2 or 1000
  EXPECT_EQ(pushed.results[9].violations, 3);  // NaN is no violation; Infinity, -3, 10 (excl.)
  EXPECT_EQ(pushed.results[11].unparseable, 2);  // infinity, BC
  EXPECT_EQ(pushed.results[12].unparseable, 2);  // infinity, year 10000
  // Nam twice, Nữ and không rõ as NFC and NFD; "N/A" and "N/A \t" differ.
  EXPECT_EQ(pushed.results[15].violations, 3);
  EXPECT_EQ(pushed.results[15].groups, 3);
}

TEST(PushDownTest, OneCheckThatNeedsTheRowsStreamsTheWholeTable) {
  PgTestDatabase pg(kValues);
  std::vector<CheckSpec> checks = PushableChecks();
  checks.push_back(MakeCheck("pattern", {{"regex", "^N"}}, {"s"}));
  const TableSpec table = MakeTable("t", checks, {"id"});
  const Scanned scanned = ScanOn(pg, table, true);
  EXPECT_EQ(scanned.pushed_tables, 0);
  EXPECT_EQ(scanned.table_passes, 1);
  const Scanned streamed = ScanOn(pg, table, false);
  ExpectSameFigures(scanned.results, streamed.results);
}

}  // namespace
}  // namespace dqa
