// Report data built from the synthetic history of synthetic_history.h; every expected number is
// worked out by hand below (docs/scoring.md formula, default configuration).
#include "core/report/report_data.h"

#include <gtest/gtest.h>

#include "tests/report/synthetic_history.h"
#include "tests/unit_support.h"

namespace dqa {
namespace {

using testing::SyntheticHistory;

// Run 5: population pattern 20 of 1000 (2%, limit 0: r = 1 + 2 = 3, h = 0.5 + 0.5 × 2/4 = 0.75,
// weight 2, loss 1.5), duplicate 5 (0.5%: r = 1.5, h = 0.5625, weight 4, loss 2.25); civil stale
// 50 of 500 = 10% against max_percent 5 (r = 2, h = 0.625, warn: × 0.5 = 0.3125, weight 1).
//   population: validity 100 × 0.5 / 2 = 25, completeness 100, uniqueness 100 × 1.75 / 4 = 43.75,
//               overall (25 + 100 + 43.75) / 3 = 56.25 (Yếu)
//   civil:      validity 100, freshness 68.75, overall 84.375 (Khá)
//   province:   validity 100 × 2.5 / 4 = 62.5, completeness 100, uniqueness 43.75,
//               freshness 68.75, overall 68.75 (Trung bình)
TEST(RunReportTest, ScoresRankingAndWorstChecks) {
  SyntheticHistory h("ScoresRankingAndWorstChecks");
  h.RecordAll();
  auto report = BuildRunReport(h.store(), 5, ReportOptions{});
  ASSERT_TRUE(report.ok()) << report.status().message();
  const RunReport& r = *report;
  EXPECT_EQ(r.run.id, 5);
  EXPECT_EQ(r.run.today, "2026-11-02");
  EXPECT_EQ(r.run.status, "complete");
  ASSERT_TRUE(r.previous.has_value());
  EXPECT_EQ(r.previous->id, 4);  // the newest earlier run, whatever its status
  EXPECT_EQ(r.previous->status, "failed");

  EXPECT_NEAR(*r.province.dimension(Dimension::kValidity).score, 62.5, kEps);
  EXPECT_NEAR(*r.province.dimension(Dimension::kCompleteness).score, 100, kEps);
  EXPECT_NEAR(*r.province.dimension(Dimension::kUniqueness).score, 43.75, kEps);
  EXPECT_NEAR(*r.province.dimension(Dimension::kFreshness).score, 68.75, kEps);
  EXPECT_NEAR(*r.province.overall, 68.75, kEps);
  EXPECT_EQ(*r.province.grade, Grade::kAverage);

  ASSERT_EQ(r.sources.size(), 2u);
  EXPECT_EQ(r.sources[0].source, "population");
  EXPECT_NEAR(*r.sources[0].scores.overall, 56.25, kEps);
  EXPECT_NEAR(*r.sources[1].scores.overall, 84.375, kEps);
  ASSERT_EQ(r.sources[0].checks.size(), 3u);
  EXPECT_NEAR(r.sources[0].checks[0].score_loss, 1.5, kEps);
  EXPECT_NEAR(r.sources[0].checks[1].score_loss, 0, kEps);
  EXPECT_NEAR(r.sources[0].checks[2].score_loss, 2.25, kEps);
  EXPECT_NEAR(r.sources[1].checks[1].score_loss, 0.3125, kEps);

  // Sở Tư pháp (84.375) before Công an tỉnh (56.25).
  ASSERT_EQ(r.departments.size(), 2u);
  EXPECT_EQ(r.departments[0].department, "Sở Tư pháp");
  EXPECT_EQ(r.departments[0].rank, 1);
  EXPECT_EQ(r.departments[0].sources, std::vector<size_t>{1});
  EXPECT_EQ(r.departments[1].department, "Công an tỉnh");
  EXPECT_EQ(r.departments[1].rank, 2);
  EXPECT_EQ(*r.departments[1].scores.grade, Grade::kPoor);
  // Previous measured overall of Công an tỉnh: run 4, every check an error (loss 0.5): 50.
  EXPECT_NEAR(*r.departments[1].trend.overall.previous, 50, kEps);
  EXPECT_NEAR(*r.departments[1].trend.overall.delta, 6.25, kEps);
  EXPECT_EQ(r.departments[1].trend.history.size(), 5u);

  // Non-passing checks by score loss: duplicate 2.25, pattern 1.5, stale 0.3125.
  ASSERT_EQ(r.worst.size(), 3u);
  EXPECT_EQ(r.sources[r.worst[0].source].checks[r.worst[0].check].result.id,
            "duplicate:cong_dan.so_cccd");
  EXPECT_EQ(r.sources[r.worst[1].source].checks[r.worst[1].check].result.id,
            "pattern:cong_dan.so_dien_thoai");
  EXPECT_EQ(r.sources[r.worst[2].source].checks[r.worst[2].check].result.id,
            "stale:khai_sinh.ngay_cap_nhat");
  ReportOptions two;
  two.worst_checks = 2;
  auto cut = BuildRunReport(h.store(), 5, two);
  ASSERT_TRUE(cut.ok());
  EXPECT_EQ(cut->worst.size(), 2u);
}

// Changes compare with the newest earlier result that is not an error (run 3 for population; the
// stale check only warns, so it is no change). Anomalies: every history here has fewer than five
// values, so the jump rule applies: 0 -> 20 (pattern), 0 -> 5 (duplicate), 0 -> 50 (stale).
TEST(RunReportTest, ChangesAnomaliesAndHistories) {
  SyntheticHistory h("ChangesAnomaliesAndHistories");
  h.RecordAll();
  auto report = BuildRunReport(h.store(), 5, ReportOptions{});
  ASSERT_TRUE(report.ok()) << report.status().message();
  const RunReport& r = *report;
  ASSERT_EQ(r.changes.size(), 2u);
  EXPECT_EQ(r.changes[0].check_id, "pattern:cong_dan.so_dien_thoai");
  EXPECT_EQ(r.changes[0].kind, CheckChange::Kind::kNewFailure);
  EXPECT_EQ(r.changes[0].previous_run_id, 3);
  EXPECT_EQ(r.changes[1].check_id, "duplicate:cong_dan.so_cccd");
  const ReportCheck& pattern = r.sources[0].checks[0];
  ASSERT_TRUE(pattern.change.has_value());
  EXPECT_EQ(*pattern.change, CheckChange::Kind::kNewFailure);
  EXPECT_FALSE(r.sources[0].checks[1].change.has_value());
  EXPECT_FALSE(r.sources[1].checks[1].change.has_value());

  ASSERT_EQ(r.anomalies.size(), 3u);
  ASSERT_TRUE(pattern.anomaly.has_value());
  EXPECT_EQ(pattern.anomaly->method, Anomaly::Method::kJump);
  EXPECT_EQ(pattern.anomaly->current, 20);
  EXPECT_EQ(pattern.anomaly->direction, 1);
  ASSERT_TRUE(r.sources[1].checks[1].anomaly.has_value());
  EXPECT_EQ(r.sources[1].checks[1].anomaly->current, 50);
  EXPECT_FALSE(r.sources[1].checks[0].anomaly.has_value());

  // The pattern check in runs 1..5 (errors kept), this run last.
  ASSERT_EQ(pattern.history.size(), 5u);
  EXPECT_EQ(pattern.history[0].today, "2026-10-05");
  EXPECT_EQ(pattern.history[3].outcome, Outcome::kError);
  EXPECT_EQ(pattern.history[4].run_id, 5);
  EXPECT_EQ(pattern.history[4].violations, 20);
  EXPECT_EQ(pattern.result.samples.size(), 3u);
}

TEST(RunReportTest, FirstRunHasNoPreviousAndUnknownRunIsNotFound) {
  SyntheticHistory h("FirstRunHasNoPrevious");
  h.RecordAll();
  auto first = BuildRunReport(h.store(), 1, ReportOptions{});
  ASSERT_TRUE(first.ok());
  EXPECT_FALSE(first->previous.has_value());
  EXPECT_TRUE(first->changes.empty());
  EXPECT_TRUE(first->worst.empty());  // everything passed
  EXPECT_NEAR(*first->province.overall, 100, kEps);
  auto unknown = BuildRunReport(h.store(), 42, ReportOptions{});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), StatusCode::kNotFound);
}

TEST(RunReportTest, EqualScoresRankByName) {
  SyntheticHistory h("EqualScoresRankByName");
  SourceResult a = testing::Civil(0);
  a.department = "Sở Y tế";
  SourceResult b = testing::Civil(0);
  b.source = "civil2";
  for (CheckResult& r : b.results) r.source = "civil2";
  b.department = "Sở Công Thương";
  h.Record("2026-10-01", {a, b});
  auto r = BuildRunReport(h.store(), 1, ReportOptions{});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->departments.size(), 2u);
  EXPECT_EQ(r->departments[0].department, "Sở Công Thương");  // both 100: by name
  EXPECT_EQ(r->departments[1].department, "Sở Y tế");
  EXPECT_EQ(r->departments[1].sources, std::vector<size_t>{0});
}

TEST(LatestReportableRunTest, SkipsFailedAndRunningRuns) {
  SyntheticHistory h("SkipsFailedAndRunningRuns");
  EXPECT_EQ(LatestReportableRun(h.store()).status().code(), StatusCode::kNotFound);
  h.Record("2026-10-05", {testing::Population(0, 0), testing::Civil(0)});        // complete
  h.Record("2026-10-06", {testing::Population(0, 0), testing::Civil(0, true)});  // partial
  SourceResult broken = testing::Civil(0, true);
  h.Record("2026-10-07", {broken});  // failed
  RunStart running;
  running.started_unix_ms = testing::kRunStartMs;
  running.today = "2026-10-08";
  running.pid = getpid();
  running.host = HostName();
  running.sources_planned = 1;
  ASSERT_TRUE(h.store().BeginRun(running).ok());  // 4, still running
  auto latest = LatestReportableRun(h.store());
  ASSERT_TRUE(latest.ok());
  EXPECT_EQ(*latest, 2);
}

// October: runs 1, 2 and 3 (run 4 failed: left out; run 5 is in November).
//   province overall: run 1 100; run 2 (100 + 100 + 43.75 + 100) / 4 = 85.9375; run 3: civil's
//   two checks are errors (loss 0.5): validity (2 + 1) / 4 = 75, freshness 50, overall
//   (75 + 100 + 100 + 50) / 4 = 81.25. Average 267.1875 / 3 = 89.0625 (Khá: 89.1 < 90); worst
//   day 2026-10-19, best 2026-10-05; slope over x = 0, 1, 2: (−10.9375 − 7.8125) / 2 = −9.375.
//   Công an tỉnh 100, 81.25, 100: average 93.75 (Tốt), slope 0, worst 2026-10-12.
//   Sở Tư pháp 100, 100, 50: average 83.3333 (Khá), slope −25, worst 2026-10-19.
TEST(PeriodReportTest, AveragesExtremesAndSlope) {
  SyntheticHistory h("AveragesExtremesAndSlope");
  h.RecordAll();
  auto report = BuildPeriodReport(h.store(), "2026-10", ReportOptions{});
  ASSERT_TRUE(report.ok()) << report.status().message();
  const PeriodReport& p = *report;
  EXPECT_EQ(p.period, "2026-10");
  ASSERT_EQ(p.runs.size(), 3u);
  EXPECT_EQ(p.runs[0].id, 1);
  EXPECT_EQ(p.runs[2].id, 3);
  EXPECT_EQ(p.runs[2].status, "partial");

  const PeriodScores& prov = p.province;
  EXPECT_EQ(prov.name, "");
  ASSERT_EQ(prov.points.size(), 3u);
  EXPECT_NEAR(*prov.points[1].scores.overall, 85.9375, kEps);
  EXPECT_NEAR(*prov.points[2].scores.overall, 81.25, kEps);
  EXPECT_NEAR(*prov.average_overall, 89.0625, kEps);
  EXPECT_EQ(*prov.grade, Grade::kFair);
  EXPECT_NEAR(*prov.average[0], (100 + 100 + 75) / 3.0, kEps);
  EXPECT_NEAR(*prov.average[1], 100, kEps);
  EXPECT_NEAR(*prov.average[2], (100 + 43.75 + 100) / 3.0, kEps);
  EXPECT_NEAR(*prov.average[3], (100 + 100 + 50) / 3.0, kEps);
  EXPECT_EQ(prov.worst_day->today, "2026-10-19");
  EXPECT_EQ(prov.worst_day->run_id, 3);
  EXPECT_EQ(prov.best_day->today, "2026-10-05");
  EXPECT_NEAR(*prov.first_overall, 100, kEps);
  EXPECT_NEAR(*prov.last_overall, 81.25, kEps);
  EXPECT_NEAR(*prov.slope, -9.375, kEps);

  ASSERT_EQ(p.departments.size(), 2u);
  const PeriodScores& police = p.departments[0];
  EXPECT_EQ(police.name, "Công an tỉnh");
  EXPECT_EQ(police.rank, 1);
  EXPECT_NEAR(*police.average_overall, 93.75, kEps);
  EXPECT_EQ(*police.grade, Grade::kGood);
  EXPECT_NEAR(*police.slope, 0, kEps);
  EXPECT_EQ(police.worst_day->today, "2026-10-12");
  EXPECT_EQ(police.best_day->today, "2026-10-05");  // 100 twice: the earliest
  const PeriodScores& justice = p.departments[1];
  EXPECT_EQ(justice.name, "Sở Tư pháp");
  EXPECT_EQ(justice.rank, 2);
  EXPECT_NEAR(*justice.average_overall, 250.0 / 3, kEps);
  EXPECT_NEAR(*justice.slope, -25, kEps);
  EXPECT_EQ(justice.worst_day->today, "2026-10-19");
}

// Checks: the last run's (run 3) in its order, then those it no longer has (row_count, run 1
// only). Errors count as errors and stay out of the violation statistics.
TEST(PeriodReportTest, PerCheckCounts) {
  SyntheticHistory h("PerCheckCounts");
  h.RecordAll();
  auto report = BuildPeriodReport(h.store(), "2026-10", ReportOptions{});
  ASSERT_TRUE(report.ok()) << report.status().message();
  const auto& checks = report->checks;
  ASSERT_EQ(checks.size(), 6u);
  EXPECT_EQ(checks[0].check_id, "pattern:cong_dan.so_dien_thoai");
  EXPECT_EQ(checks[2].check_id, "duplicate:cong_dan.so_cccd");
  EXPECT_EQ(checks[3].check_id, "range:khai_sinh.ngay_sinh");
  EXPECT_EQ(checks[5].check_id, "row_count:cong_dan");
  EXPECT_EQ(checks[5].runs, 1);

  const PeriodCheck& dup = checks[2];
  EXPECT_EQ(dup.department, "Công an tỉnh");
  EXPECT_EQ(dup.severity, Severity::kCritical);
  EXPECT_EQ(dup.runs, 3);
  EXPECT_EQ(dup.passed, 2);
  EXPECT_EQ(dup.failed, 1);
  EXPECT_NEAR(dup.mean_violations, 5.0 / 3, kEps);
  EXPECT_EQ(dup.max_violations, 5);
  EXPECT_EQ(dup.worst_day, "2026-10-12");
  EXPECT_EQ(dup.last_outcome, Outcome::kPass);
  ASSERT_EQ(dup.points.size(), 3u);
  EXPECT_EQ(dup.points[1].violations, 5);

  const PeriodCheck& stale = checks[4];
  EXPECT_EQ(stale.check_id, "stale:khai_sinh.ngay_cap_nhat");
  EXPECT_EQ(stale.passed, 2);
  EXPECT_EQ(stale.errors, 1);
  EXPECT_EQ(stale.mean_violations, 0);
  EXPECT_EQ(stale.worst_day, "2026-10-05");  // all 0: the earliest
  EXPECT_EQ(stale.last_outcome, Outcome::kError);
}

TEST(PeriodReportTest, BadPeriodAndEmptyMonth) {
  SyntheticHistory h("BadPeriodAndEmptyMonth");
  h.RecordAll();
  for (const char* bad : {"2026-13", "2026-1", "26-10", "2026/10", "2026-10-01", ""}) {
    auto r = BuildPeriodReport(h.store(), bad, ReportOptions{});
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << bad;
  }
  auto empty = BuildPeriodReport(h.store(), "2026-09", ReportOptions{});
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(empty.status().message(), "no complete or partial run in 2026-09");
  auto november = BuildPeriodReport(h.store(), "2026-11", ReportOptions{});
  ASSERT_TRUE(november.ok());
  ASSERT_EQ(november->runs.size(), 1u);
  EXPECT_FALSE(november->province.slope.has_value());  // one run: no slope
}

}  // namespace
}  // namespace dqa
