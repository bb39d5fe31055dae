// The indicator check (core/checks/indicator.cc): a share of rows against a target.
#include <gtest/gtest.h>

#include "tests/checks/scan_fixture.h"

namespace dqa {
namespace {

using testing::ExecSql;
using testing::Flat;
using testing::MakeCheck;
using testing::MakePlan;
using testing::MakeTable;
using testing::Scan;
using testing::TempDir;

// 10 dossiers: 8 returned (da_tra), 6 of them on time; 2 online among the 8 returned.
constexpr const char* kDossiers = R"sql(
CREATE TABLE hs (id INTEGER PRIMARY KEY, trang_thai TEXT, dung_han INTEGER, kenh TEXT);
INSERT INTO hs VALUES (1, 'da_tra', 1, 'truc_tuyen'), (2, 'da_tra', 1, 'truc_tiep'),
  (3, 'da_tra', 0, 'truc_tiep'), (4, 'da_tra', 1, 'truc_tuyen'), (5, 'dang_xu_ly', NULL, NULL),
  (6, 'da_tra', 1, 'truc_tiep'), (7, 'da_tra', 0, 'truc_tiep'), (8, 'da_tra', 1, 'truc_tiep'),
  (9, 'dang_xu_ly', NULL, NULL), (10, 'da_tra', 1, 'truc_tiep');
)sql";

CheckResult ScanIndicator(const TempDir& dir, nlohmann::json params, const std::string& where = "",
                Severity severity = Severity::kFail) {
  static int n = 0;  // a fresh database per scan
  const std::string db = dir.File("hs" + std::to_string(n++) + ".db");
  ExecSql(db, kDossiers);
  CheckSpec spec = MakeCheck("indicator", std::move(params), {}, "hs");
  spec.id = "ho_so_dung_han";
  spec.where = where;
  spec.severity = severity;
  const SourceResult s = Scan(MakePlan(db, {MakeTable("hs", {spec}, {"id"})}));
  EXPECT_EQ(s.results.size(), 1u);
  return s.results.empty() ? CheckResult{} : s.results[0];
}

const nlohmann::json kOnTime = {{"numerator", "dung_han = 1"},
                                {"denominator", "trang_thai = 'da_tra'"},
                                {"target", 75},
                                {"direction", "higher"}};

TEST(IndicatorCheckTest, HigherBelowTargetFailsWithExactCounts) {
  TempDir dir;
  nlohmann::json p = kOnTime;
  p["target"] = 80;
  const CheckResult r = ScanIndicator(dir, p);
  EXPECT_EQ(r.outcome, Outcome::kFail);
  EXPECT_EQ(r.rows_checked, 8);  // the denominator
  EXPECT_EQ(r.violations, 2);    // returned late: rows 3 and 7
  EXPECT_EQ(Flat(r.samples), (std::vector<std::string>{"3", "7"}));
  EXPECT_DOUBLE_EQ(*r.value, 75.0);  // 6 of 8
  ASSERT_EQ(r.indicators.size(), 1u);
  const Indicator& i = r.indicators[0];
  EXPECT_EQ(i.id, "ho_so_dung_han");
  EXPECT_EQ(i.numerator, 6);
  EXPECT_EQ(i.denominator, 8);
  EXPECT_DOUBLE_EQ(*i.value, 75.0);
  EXPECT_EQ(r.message,
            "ho_so_dung_han: 75% (6 of 8 rows), target at least 80%; misses it by 5 points");
}

TEST(IndicatorCheckTest, TargetMetExactlyPassesAndOneAboveFails) {
  TempDir dir;
  const CheckResult met = ScanIndicator(dir, kOnTime);  // 75 >= 75
  EXPECT_EQ(met.outcome, Outcome::kPass);
  EXPECT_EQ(met.message, "ho_so_dung_han: 75% (6 of 8 rows), target at least 75%");
  nlohmann::json above = kOnTime;
  above["target"] = 75.5;
  const CheckResult r = ScanIndicator(dir, above);
  EXPECT_EQ(r.outcome, Outcome::kFail);
  EXPECT_EQ(r.message,
            "ho_so_dung_han: 75% (6 of 8 rows), target at least 75.5%; misses it by 0.5 points");
}

TEST(IndicatorCheckTest, WarnWithinTurnsANearMissIntoAWarning) {
  TempDir dir;
  nlohmann::json p = kOnTime;
  p["target"] = 80;
  p["warn_within"] = 5;  // 75 is 5 points short: still warn
  EXPECT_EQ(ScanIndicator(dir, p).outcome, Outcome::kWarn);
  p["warn_within"] = 4.99;
  EXPECT_EQ(ScanIndicator(dir, p).outcome, Outcome::kFail);
  // Severity warn never fails.
  EXPECT_EQ(ScanIndicator(dir, p, "", Severity::kWarn).outcome, Outcome::kWarn);
}

TEST(IndicatorCheckTest, LowerCountsTheNumeratorRowsAgainstTheTarget) {
  TempDir dir;
  nlohmann::json p = {{"numerator", "dung_han = 0"},
                      {"denominator", "trang_thai = 'da_tra'"},
                      {"target", 20},
                      {"direction", "lower"}};
  const CheckResult r = ScanIndicator(dir, p);  // 2 of 8 late = 25% > 20%
  EXPECT_EQ(r.outcome, Outcome::kFail);
  EXPECT_EQ(r.violations, 2);
  EXPECT_EQ(Flat(r.samples), (std::vector<std::string>{"3", "7"}));
  EXPECT_DOUBLE_EQ(*r.indicators.at(0).value, 25.0);
  EXPECT_EQ(r.indicators.at(0).direction, Direction::kLower);
  p["target"] = 25;
  EXPECT_EQ(ScanIndicator(dir, p).outcome, Outcome::kPass);
}

TEST(IndicatorCheckTest, WithoutDenominatorEveryRowInScopeCountsAndWhereNarrowsIt) {
  TempDir dir;
  nlohmann::json p = {{"numerator", "kenh = 'truc_tuyen'"}, {"target", 10}, {"direction", "higher"}};
  CheckResult r = ScanIndicator(dir, p);
  EXPECT_EQ(r.indicators.at(0).denominator, 10);
  EXPECT_EQ(r.indicators.at(0).numerator, 2);  // NULL kenh is not online
  EXPECT_DOUBLE_EQ(*r.value, 20.0);
  EXPECT_EQ(r.outcome, Outcome::kPass);
  r = ScanIndicator(dir, p, "id <= 4");
  EXPECT_EQ(r.indicators.at(0).denominator, 4);
  EXPECT_EQ(r.indicators.at(0).numerator, 2);
  EXPECT_DOUBLE_EQ(*r.value, 50.0);
}

TEST(IndicatorCheckTest, EmptyDenominatorPassesWithNoValue) {
  TempDir dir;
  nlohmann::json p = kOnTime;
  p["denominator"] = "trang_thai = 'tra_lai'";
  const CheckResult r = ScanIndicator(dir, p);
  EXPECT_EQ(r.outcome, Outcome::kPass);
  EXPECT_FALSE(r.value.has_value());
  ASSERT_EQ(r.indicators.size(), 1u);
  EXPECT_FALSE(r.indicators[0].value.has_value());
  EXPECT_EQ(r.indicators[0].denominator, 0);
  EXPECT_EQ(r.message,
            "ho_so_dung_han: no rows in the denominator, nothing to measure (target at least 75%)");
}

TEST(IndicatorCheckTest, ANumeratorThatDoesNotCompileIsThatChecksError) {
  TempDir dir;
  nlohmann::json p = kOnTime;
  p["numerator"] = "no_such_column = 1";
  const CheckResult r = ScanIndicator(dir, p);
  EXPECT_EQ(r.outcome, Outcome::kError);
  EXPECT_NE(r.message.find("numerator does not work: no such column: no_such_column"),
            std::string::npos)
      << r.message;
}

TEST(IndicatorCheckTest, JudgeComparesInTheDirection) {
  Indicator i;
  i.value = 90;
  i.target = 95;
  EXPECT_EQ(i.Judge(), Outcome::kFail);
  i.warn_within = 5;
  EXPECT_EQ(i.Judge(), Outcome::kWarn);
  i.direction = Direction::kLower;
  EXPECT_EQ(i.Judge(), Outcome::kPass);
  i.target.reset();
  i.direction = Direction::kHigher;
  EXPECT_EQ(i.Judge(), Outcome::kPass);  // no target: a figure, always met
}

}  // namespace
}  // namespace dqa
