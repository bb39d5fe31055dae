// Breakdowns by unit (a check's `by`): per-unit counting of row checks in the fused scan, units of
// a lookup map, NULL/blank units, aggregate checks measured per unit, duplicate groups that span
// units, and ranking (docs/checks.md "Breakdowns by unit").
#include <gtest/gtest.h>

#include <map>

#include "tests/checks/scan_fixture.h"

namespace dqa {
namespace {

using testing::ExecSql;
using testing::MakeCheck;
using testing::MakePlan;
using testing::MakeTable;
using testing::Scan;
using testing::TempDir;

// People of three communes (two districts) and two rows without a commune. dm_xa maps commune
// codes to districts; '99999' is not in it.
constexpr const char* kSchema = R"sql(
  CREATE TABLE dm_xa(ma_xa TEXT PRIMARY KEY, ma_huyen TEXT);
  INSERT INTO dm_xa VALUES ('28252', '815'), ('28255', '815'), ('28294', '816'), ('28297', NULL);
  CREATE TABLE p(id INTEGER PRIMARY KEY, ma_xa, phone, cccd, ngay TEXT);
  INSERT INTO p VALUES
    (1, '28252', '0912345678', 'A', '2026-10-30'),
    (2, '28252', 'bad',        'A', '2026-10-30'),
    (3, '28252', NULL,         'B', '2026-10-30'),
    (4, '28255', 'bad',        'B', '2026-10-30'),
    (5, '28255', 'bad',        'C', '2026-10-30'),
    (6, '28294', '0912345678', 'A', '2020-01-01'),
    (7, NULL,    'bad',        'D', '2026-10-30'),
    (8, '  ',    '0912345678', 'D', '2026-10-30'),
    (9, '99999', 'bad',        'E', '2026-10-30');
)sql";

BySpec ByColumn(const std::string& column) { return {column, "", "", ""}; }
BySpec ByDistrict() { return {"ma_xa", "dm_xa", "ma_xa", "ma_huyen"}; }

const std::string kUnknown(kUnknownUnit);

CheckResult ScanP(const std::string& db, CheckSpec spec) {
  const SourceResult s = Scan(MakePlan(db, {MakeTable("p", {std::move(spec)}, {"id"})}));
  EXPECT_EQ(s.results.size(), 1u);
  return s.results.empty() ? CheckResult{} : s.results[0];
}

CheckSpec PhonePattern() {
  return MakeCheck("pattern", {{"column", "phone"}, {"regex", "^0[0-9]{9}$"}}, {"phone"}, "p");
}

TEST(BreakdownTest, RowCheckCountsEachUnitAndRanksWorstFirst) {
  TempDir dir;
  const std::string db = dir.File("d.db");
  ExecSql(db, kSchema);
  CheckSpec spec = PhonePattern();
  spec.by = {ByColumn("ma_xa")};
  const CheckResult r = ScanP(db, spec);
  ASSERT_EQ(r.outcome, Outcome::kFail) << r.message;
  // Province-wide figures unchanged: 8 phones, 5 bad.
  EXPECT_EQ(r.violations, 5);
  EXPECT_EQ(r.rows_checked, 8);
  ASSERT_EQ(r.breakdowns.size(), 1u);
  EXPECT_EQ(r.breakdowns[0].by, "ma_xa");
  // NULL and blank communes are one unknown unit; units worst first (violations, percent, code).
  const std::vector<UnitFigures> expected = {
      {"28255", 2, 2, 100, std::nullopt},  {"99999", 1, 1, 100, std::nullopt},
      {"(không xác định)", 1, 2, 50, std::nullopt},  {"28252", 1, 2, 50, std::nullopt},
      {"28294", 0, 1, 0, std::nullopt},
  };
  EXPECT_EQ(r.breakdowns[0].units, expected);
  EXPECT_EQ(WorstUnitsText(r, 2), "xã 28255, 99999");
}

TEST(BreakdownTest, WhereLimitsTheRowsOfEveryUnit) {
  TempDir dir;
  const std::string db = dir.File("d.db");
  ExecSql(db, kSchema);
  CheckSpec spec = PhonePattern();
  spec.where = "id <> 5";
  spec.by = {ByColumn("ma_xa")};
  const CheckResult r = ScanP(db, spec);
  ASSERT_EQ(r.breakdowns.size(), 1u);
  const auto& units = r.breakdowns[0].units;
  const auto it = std::find_if(units.begin(), units.end(),
                               [](const UnitFigures& u) { return u.unit == "28255"; });
  ASSERT_NE(it, units.end());
  EXPECT_EQ(it->violations, 1);
  EXPECT_EQ(it->rows_checked, 1);
  int64_t rows = 0, violations = 0;
  for (const UnitFigures& u : units) {
    rows += u.rows_checked;
    violations += u.violations;
  }
  EXPECT_EQ(rows, r.rows_checked);
  EXPECT_EQ(violations, r.violations);
  EXPECT_EQ(r.violations, 4);
}

TEST(BreakdownTest, MapTableGivesTheDistrictOfEachCommune) {
  TempDir dir;
  const std::string db = dir.File("d.db");
  ExecSql(db, kSchema);
  CheckSpec spec = PhonePattern();
  spec.by = {ByDistrict(), ByColumn("ma_xa")};
  const CheckResult r = ScanP(db, spec);
  ASSERT_EQ(r.breakdowns.size(), 2u) << r.message;
  EXPECT_EQ(r.breakdowns[0].by, "ma_huyen");
  EXPECT_EQ(r.breakdowns[1].by, "ma_xa");
  // 815: rows 1, 2, 4, 5 (3 bad); unknown: NULL, blank and unmapped 99999 (2 bad of 3); 816: 0/1.
  const std::vector<UnitFigures> expected = {
      {"815", 3, 4, 75, std::nullopt},
      {kUnknown, 2, 3, 100.0 * 2 / 3, std::nullopt},
      {"816", 0, 1, 0, std::nullopt},
  };
  EXPECT_EQ(r.breakdowns[0].units, expected);
  EXPECT_EQ(WorstUnitsText(r, 3), "huyện 815, (không xác định)");
}

TEST(BreakdownTest, AMapThatDoesNotWorkIsTheCheckError) {
  TempDir dir;
  const std::string db = dir.File("d.db");
  ExecSql(db, kSchema);
  CheckSpec spec = PhonePattern();
  spec.by = {{"ma_xa", "dm_xa", "ma_xa", "no_such_column"}};
  const CheckResult r = ScanP(db, spec);
  EXPECT_EQ(r.outcome, Outcome::kError);
  EXPECT_EQ(r.message,
            "by map dm_xa does not work: column no_such_column not found in table dm_xa");
  spec.by = {ByColumn("no_such")};
  const CheckResult missing = ScanP(db, spec);
  EXPECT_EQ(missing.outcome, Outcome::kError);
  EXPECT_EQ(missing.message, "column no_such not found in table p");
}

// `labels` names the units from a lookup table, after the map: several rows of one unit give the
// smallest name, a NULL or blank name none, and a unit it does not know keeps its code alone.
TEST(BreakdownTest, LabelsNameTheUnitsFromALookupTable) {
  TempDir dir;
  const std::string db = dir.File("d.db");
  ExecSql(db, std::string(kSchema) + R"sql(
    CREATE TABLE ten(ma TEXT, ten TEXT);
    INSERT INTO ten VALUES ('815', 'Thành phố Mỹ Tho'), ('815', 'Zzz later name'),
                           ('816', '  '), ('28255', 'Phường 7'), ('28252', NULL);
  )sql");
  CheckSpec spec = PhonePattern();
  BySpec district = ByDistrict();
  district.label_table = "ten";
  district.label_key = "ma";
  district.label_column = "ten";
  BySpec commune = ByColumn("ma_xa");
  commune.label_table = "ten";
  commune.label_key = "ma";
  commune.label_column = "ten";
  spec.by = {district, commune};
  const CheckResult r = ScanP(db, spec);
  ASSERT_EQ(r.breakdowns.size(), 2u) << r.message;
  const std::vector<UnitFigures> districts = {
      {"815", 3, 4, 75, std::nullopt, "Thành phố Mỹ Tho"},
      {kUnknown, 2, 3, 100.0 * 2 / 3, std::nullopt, ""},
      {"816", 0, 1, 0, std::nullopt, ""},
  };
  EXPECT_EQ(r.breakdowns[0].units, districts);
  EXPECT_EQ(r.breakdowns[1].units.at(0).unit, "28255");
  EXPECT_EQ(r.breakdowns[1].units.at(0).label, "Phường 7");
  // Named units are said by code and name, without the kind of unit in front.
  EXPECT_EQ(WorstUnitsText(r, 3), "815 Thành phố Mỹ Tho, (không xác định)");
  EXPECT_EQ(UnitName(r.breakdowns[1].units.at(0)), "28255 Phường 7");
  // A labels table without the named column makes the check an error, said as such.
  spec.by[1].label_column = "no_such_column";
  const CheckResult broken = ScanP(db, spec);
  EXPECT_EQ(broken.outcome, Outcome::kError);
  EXPECT_EQ(broken.message,
            "by labels ten does not work: column no_such_column not found in table ten");
}

// A group of equal keys that spans units: its first row (table-key order) is the original, each
// later row a violation of its own unit, so the units add up to the province-wide count.
TEST(BreakdownTest, DuplicateGroupsSpanningUnitsCountEachLaterRowInItsUnit) {
  TempDir dir;
  const std::string db = dir.File("d.db");
  ExecSql(db, kSchema);
  CheckSpec spec = MakeCheck("duplicate", {}, {"cccd"}, "p");
  spec.by = {ByColumn("ma_xa"), ByDistrict()};
  const CheckResult r = ScanP(db, spec);
  // Groups: A = rows 1, 2, 6; B = 3, 4; D = 7, 8. Violations 2 + 1 + 1 = 4 of 9 rows.
  EXPECT_EQ(r.violations, 4);
  EXPECT_EQ(r.groups, 3);
  ASSERT_EQ(r.breakdowns.size(), 2u);
  const std::vector<UnitFigures> communes = {
      {"28294", 1, 1, 100, std::nullopt},        // row 6 (A, another district)
      {kUnknown, 1, 2, 50, std::nullopt},         // row 8 (D, blank commune)
      {"28255", 1, 2, 50, std::nullopt},          // row 4 (B)
      {"28252", 1, 3, 100.0 / 3, std::nullopt},  // row 2 (A); row 3 starts group B
      {"99999", 0, 1, 0, std::nullopt},
  };
  EXPECT_EQ(r.breakdowns[0].units, communes);
  const std::vector<UnitFigures> districts = {
      {"815", 2, 5, 40, std::nullopt},
      {"816", 1, 1, 100, std::nullopt},
      {kUnknown, 1, 3, 100.0 / 3, std::nullopt},
  };
  EXPECT_EQ(r.breakdowns[1].units, districts);
}

// Aggregate checks measure each unit on its own rows: a row count per unit, a newest date per unit.
TEST(BreakdownTest, AggregateChecksMeasureEachUnitAlone) {
  TempDir dir;
  const std::string db = dir.File("d.db");
  ExecSql(db, kSchema);
  CheckSpec count = MakeCheck("row_count", {{"min", 2}}, {}, "p");
  count.by = {ByDistrict()};
  const CheckResult c = ScanP(db, count);
  EXPECT_EQ(c.outcome, Outcome::kPass) << c.message;
  EXPECT_EQ(c.value, 9);
  ASSERT_EQ(c.breakdowns.size(), 1u);
  const std::vector<UnitFigures> counts = {
      {"816", 1, 1, 100, 1.0},  // one row, fewer than min 2
      {kUnknown, 0, 3, 0, 3.0},
      {"815", 0, 5, 0, 5.0},
  };
  EXPECT_EQ(c.breakdowns[0].units, counts);

  CheckSpec fresh = MakeCheck("freshness", {{"column", "ngay"}, {"max_age", "30d"}}, {"ngay"}, "p");
  fresh.by = {ByDistrict()};
  const CheckResult f = ScanP(db, fresh);
  EXPECT_EQ(f.outcome, Outcome::kPass) << f.message;
  ASSERT_EQ(f.breakdowns.size(), 1u);
  ASSERT_EQ(f.breakdowns[0].units.size(), 3u);
  // District 816's only row is from 2020: stale there although the province is fresh.
  EXPECT_EQ(f.breakdowns[0].units[0].unit, "816");
  EXPECT_EQ(f.breakdowns[0].units[0].violations, 1);
  EXPECT_GT(*f.breakdowns[0].units[0].value, 2000);
  EXPECT_EQ(f.breakdowns[0].units[1].violations, 0);
  EXPECT_EQ(f.breakdowns[0].units[2].violations, 0);
}

// An indicator's and a metric's figure per unit is the unit's own: the share of its rows meeting
// the numerator, its NULL ratio.
TEST(BreakdownTest, IndicatorsAndMetricsGiveEachUnitItsOwnValue) {
  TempDir dir;
  const std::string db = dir.File("d.db");
  ExecSql(db, kSchema);
  CheckSpec share = MakeCheck("indicator",
                              {{"numerator", "phone LIKE '0%'"}, {"target", 90}, {"direction", "higher"}},
                              {}, "p");
  share.by = {ByDistrict()};
  const CheckResult i = ScanP(db, share);
  ASSERT_EQ(i.indicators.size(), 1u) << i.message;
  EXPECT_NEAR(*i.indicators[0].value, 100.0 * 3 / 9, 1e-9);  // rows 1, 6 and 8
  ASSERT_EQ(i.breakdowns.size(), 1u);
  const std::vector<UnitFigures> shares = {
      {"815", 4, 5, 80, 20.0},                       // only row 1 of five
      {kUnknown, 2, 3, 100.0 * 2 / 3, 100.0 / 3},  // row 8 of 7, 8, 9
      {"816", 0, 1, 0, 100.0},
  };
  ASSERT_EQ(i.breakdowns[0].units.size(), shares.size());
  for (size_t u = 0; u < shares.size(); ++u) {
    SCOPED_TRACE(shares[u].unit);
    EXPECT_EQ(i.breakdowns[0].units[u].unit, shares[u].unit);
    EXPECT_EQ(i.breakdowns[0].units[u].violations, shares[u].violations);
    EXPECT_EQ(i.breakdowns[0].units[u].rows_checked, shares[u].rows_checked);
    EXPECT_NEAR(*i.breakdowns[0].units[u].value, *shares[u].value, 1e-9);
  }

  CheckSpec nulls = MakeCheck("metric", {{"column", "phone"}, {"stat", "null_ratio"}}, {"phone"}, "p");
  nulls.by = {ByDistrict()};
  const CheckResult m = ScanP(db, nulls);
  EXPECT_EQ(m.outcome, Outcome::kPass) << m.message;
  ASSERT_EQ(m.breakdowns.size(), 1u);
  std::map<std::string, double> ratios;
  for (const UnitFigures& u : m.breakdowns[0].units) ratios[u.unit] = u.value.value_or(-1);
  EXPECT_EQ(ratios, (std::map<std::string, double>{{"815", 0.2}, {"816", 0}, {kUnknown, 0}}));
}

TEST(BreakdownTest, ACheckWithoutByHasNoBreakdown) {
  TempDir dir;
  const std::string db = dir.File("d.db");
  ExecSql(db, kSchema);
  const CheckResult r = ScanP(db, PhonePattern());
  EXPECT_EQ(r.violations, 5);
  EXPECT_TRUE(r.breakdowns.empty());
  EXPECT_EQ(WorstUnitsText(r, 3), "");
}

TEST(BreakdownTest, CatalogueSaysWhichTypesTakeBy) {
  for (const char* yes :
       {"pattern", "missing", "duplicate", "row_count", "freshness", "indicator", "metric"}) {
    EXPECT_TRUE(Catalog().Find(yes)->info().takes_by()) << yes;
  }
  for (const char* no : {"sql", "coverage", "fuzzy_duplicate", "drift", "reconcile", "schema"}) {
    EXPECT_FALSE(Catalog().Find(no)->info().takes_by()) << no;
  }
}

}  // namespace
}  // namespace dqa
