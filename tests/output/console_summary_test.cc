#include "core/output/console_summary.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <sstream>

namespace dqa {
namespace {

CheckResult SummaryResult(std::string id, std::string table, Outcome outcome, int64_t violations,
                   double percent, std::string message) {
  CheckResult r;
  r.id = std::move(id);
  r.table = std::move(table);
  r.outcome = outcome;
  r.violations = violations;
  r.percent = percent;
  r.message = std::move(message);
  return r;
}

std::vector<SourceResult> Sources() {
  SourceResult population;
  population.source = "population";
  population.department = "Công an tỉnh";
  population.database = "sqlite:population.db";
  population.results = {
      SummaryResult("row_count:cong_dan", "cong_dan", Outcome::kPass, 0, 0, ""),
      SummaryResult("missing:ho_khau.ma", "ho_khau", Outcome::kWarn, 3, 1.5, "3 missing"),
      SummaryResult("pattern:cong_dan.sdt", "cong_dan", Outcome::kFail, 1200, 12.345, "1200 bad"),
  };
  SourceResult one_stop;
  one_stop.source = "one_stop";
  one_stop.department = "Trung tâm PVHCC";
  one_stop.database = "sqlite:missing.db";
  one_stop.error = "database file not found";
  one_stop.results = {SummaryResult("row_count:ho_so", "ho_so", Outcome::kError, 0, 0, "not found")};
  return {population, one_stop};
}

TEST(ConsoleSummaryTest, PlainTextLayout) {
  std::ostringstream out;
  WriteConsoleSummary(out, Sources(), ConsoleOptions{});
  EXPECT_EQ(out.str(),
            "Công an tỉnh: population (sqlite:population.db)\n"
            "  cong_dan\n"
            "    PASS   row_count:cong_dan       0     0.00%\n"
            "    FAIL   pattern:cong_dan.sdt  1200    12.35%  1200 bad\n"
            "  ho_khau\n"
            "    WARN   missing:ho_khau.ma       3     1.50%  3 missing\n"
            "Trung tâm PVHCC: one_stop (sqlite:missing.db)\n"
            "  ERROR source could not be scanned: database file not found\n"
            "  ho_so\n"
            "    ERROR  row_count:ho_so  0     0.00%  not found\n"
            "Totals: 2 sources (1 error), 4 checks: 1 pass, 1 warn, 1 fail, 1 error\n");
}

TEST(ConsoleSummaryTest, PluginMetricsFollowTheirCheck) {
  SourceResult social;
  social.source = "social";
  social.department = "Sở LĐTBXH";
  social.database = "sqlite:social.db";
  CheckResult cash = SummaryResult("khong_tai_khoan", "doi_tuong", Outcome::kWarn, 7, 17.5, "7 rows");
  cash.metrics = {{"cashless_coverage_percent", 82.5}, {"beneficiaries", 40}};
  social.results = {cash, SummaryResult("row_count:doi_tuong", "doi_tuong", Outcome::kPass, 0, 0, "")};
  std::ostringstream out;
  WriteConsoleSummary(out, {social}, ConsoleOptions{});
  EXPECT_EQ(out.str(),
            "Sở LĐTBXH: social (sqlite:social.db)\n"
            "  doi_tuong\n"
            "    WARN   khong_tai_khoan      7    17.50%  7 rows\n"
            "          metrics: cashless_coverage_percent=82.5, beneficiaries=40\n"
            "    PASS   row_count:doi_tuong  0     0.00%\n"
            "Totals: 1 source (0 errors), 2 checks: 1 pass, 1 warn, 0 fail, 0 error\n");
}

TEST(ConsoleSummaryTest, ColoursOnlyTheOutcomeWord) {
  std::ostringstream out;
  WriteConsoleSummary(out, Sources(), ConsoleOptions{.color = true});
  const std::string text = out.str();
  EXPECT_NE(text.find("    \033[31mFAIL\033[0m   pattern:cong_dan.sdt"), std::string::npos) << text;
  EXPECT_NE(text.find("    \033[32mPASS\033[0m   row_count:cong_dan"), std::string::npos) << text;
  EXPECT_NE(text.find("\033[33mWARN\033[0m"), std::string::npos);
  EXPECT_NE(text.find("\033[1;35mERROR\033[0m"), std::string::npos);
}

TEST(ConsoleSummaryTest, EmptyScanPrintsTotalsOnly) {
  std::ostringstream out;
  WriteConsoleSummary(out, {}, ConsoleOptions{});
  EXPECT_EQ(out.str(), "Totals: 0 sources (0 errors), 0 checks: 0 pass, 0 warn, 0 fail, 0 error\n");
}

TEST(ConsoleSummaryTest, CountsOutcomes) {
  const OutcomeTotals t = CountOutcomes(Sources());
  EXPECT_EQ(t.sources, 2);
  EXPECT_EQ(t.source_errors, 1);
  EXPECT_EQ(t.checks, 4);
  EXPECT_EQ(t.pass, 1);
  EXPECT_EQ(t.warn, 1);
  EXPECT_EQ(t.fail, 1);
  EXPECT_EQ(t.error, 1);
}

TEST(ConsoleSummaryTest, NoColourOnAPipe) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  EXPECT_FALSE(ColorWanted(fds[1]));
  close(fds[0]);
  close(fds[1]);
}

}  // namespace
}  // namespace dqa
