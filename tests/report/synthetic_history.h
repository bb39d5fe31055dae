// A small synthetic history store for the report tests (report data, golden files, XLSX read back):
// two departments, five runs with fixed timestamps. The numbers every test expects are worked out
// by hand in tests/report/report_data_test.cc.
#pragma once

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/history/store.h"

namespace dqa::testing {

// Fixed times so that reports built from the store are byte-identical from one test run to the
// next: run i starts at kRunStartMs + i days and finishes a minute later.
inline constexpr int64_t kRunStartMs = 1790000000000;   // 2026-09-21T14:13:20Z
inline constexpr int64_t kGeneratedMs = 1793620800000;  // 2026-11-02T12:00:00Z

inline CheckResult SyntheticCheck(std::string id, std::string type, std::string table,
                                  std::vector<std::string> columns, Dimension dimension,
                                  Severity severity, Thresholds thresholds, Outcome outcome,
                                  int64_t violations, int64_t rows) {
  CheckResult r;
  r.id = std::move(id);
  r.type = std::move(type);
  r.table = std::move(table);
  r.columns = std::move(columns);
  r.dimension = dimension;
  r.severity = severity;
  r.thresholds = thresholds;
  r.outcome = outcome;
  r.violations = violations;
  r.rows_checked = rows;
  r.percent = rows == 0 ? 0 : 100.0 * static_cast<double>(violations) / static_cast<double>(rows);
  r.key_columns = {"id"};
  if (type == "duplicate") r.groups = violations;
  for (int64_t i = 0; i < std::min<int64_t>(violations, 3); ++i) {
    r.samples.push_back({std::to_string(100 + i)});
  }
  if (outcome != Outcome::kPass) {
    r.message = fmt::format("{} of {} rows violate \"{}\", see samples", violations, rows, r.id);
  }
  r.duration_ms = 1.5;
  return r;
}

// Population (Công an tỉnh), 1000 rows: pattern (validity, fail, max_count 0), missing
// (completeness, fail, max_percent 1), duplicate (uniqueness, critical, max_count 0); with
// `row_count` the row_count check of run 1 only.
inline SourceResult Population(int64_t pattern, int64_t duplicate, bool row_count = false) {
  SourceResult s;
  s.source = "population";
  s.department = "Công an tỉnh";
  s.database = "sqlite:population.db";
  const Thresholds zero{{}, {int64_t{0}, std::nullopt}};
  const Thresholds one_percent{{}, {std::nullopt, 1.0}};
  s.results.push_back(SyntheticCheck("pattern:cong_dan.so_dien_thoai", "pattern", "cong_dan",
                                     {"so_dien_thoai"}, Dimension::kValidity, Severity::kFail, zero,
                                     pattern > 0 ? Outcome::kFail : Outcome::kPass, pattern, 1000));
  // The phone pattern is broken down by commune (`by: [ma_xa]`): 60 % of its violations in
  // 28255, the rest in 28252, none among the rows without a commune; worst first.
  if (pattern > 0) {
    const int64_t most = pattern * 3 / 5;
    s.results.back().breakdowns = {
        {"ma_xa",
         {{"28255", most, 200, 100.0 * static_cast<double>(most) / 200, std::nullopt},
          {"28252", pattern - most, 300, 100.0 * static_cast<double>(pattern - most) / 300,
           std::nullopt},
          {"(không xác định)", 0, 500, 0, std::nullopt}}}};
  }
  s.results.push_back(SyntheticCheck("missing:cong_dan.ho_ten", "missing", "cong_dan", {"ho_ten"},
                                     Dimension::kCompleteness, Severity::kFail, one_percent,
                                     Outcome::kPass, 3, 1000));
  // An indicator beside it (as a plugin check publishes one): full names, target 99.5%, met.
  s.results.back().indicators = {{.id = "ho_ten_day_du", .title = "Họ tên đầy đủ",
                                  .value = 99.7, .target = 99.5, .direction = Direction::kHigher,
                                  .unit = "percent", .numerator = 997, .denominator = 1000}};
  s.results.push_back(SyntheticCheck(
      "duplicate:cong_dan.so_cccd", "duplicate", "cong_dan", {"so_cccd"}, Dimension::kUniqueness,
      Severity::kCritical, zero, duplicate > 0 ? Outcome::kFail : Outcome::kPass, duplicate, 1000));
  if (row_count) {
    CheckResult r =
        SyntheticCheck("row_count:cong_dan", "row_count", "cong_dan", {}, Dimension::kCompleteness,
                       Severity::kFail, zero, Outcome::kPass, 0, 1000);
    r.value = 1000;
    s.results.push_back(std::move(r));
  }
  for (CheckResult& r : s.results) r.source = s.source;
  return s;
}

// Civil registration (Sở Tư pháp), 500 rows: range (validity, fail, max_count 0) and stale
// (freshness, severity warn, max_percent 5). `error` makes the source unscanned (checks error).
inline SourceResult Civil(int64_t stale, bool error = false) {
  SourceResult s;
  s.source = "civil";
  s.department = "Sở Tư pháp";
  s.database = "sqlite:civil.db";
  const Thresholds zero{{}, {int64_t{0}, std::nullopt}};
  const Thresholds five{{}, {std::nullopt, 5.0}};
  s.results.push_back(SyntheticCheck("range:khai_sinh.ngay_sinh", "range", "khai_sinh",
                                     {"ngay_sinh"}, Dimension::kValidity, Severity::kFail, zero,
                                     Outcome::kPass, 0, 500));
  s.results.push_back(SyntheticCheck("stale:khai_sinh.ngay_cap_nhat", "stale", "khai_sinh",
                                     {"ngay_cap_nhat"}, Dimension::kFreshness, Severity::kWarn,
                                     five, stale * 20 > 500 ? Outcome::kWarn : Outcome::kPass,
                                     stale, 500));
  // Updated in time: (500 - stale) of 500 against 95%, warn within 5 points.
  s.results.back().indicators = {
      {.id = "cap_nhat_kip_thoi", .value = 100.0 * static_cast<double>(500 - stale) / 500,
       .target = 95, .direction = Direction::kHigher, .warn_within = 5, .unit = "percent",
       .numerator = 500 - stale, .denominator = 500}};
  if (error) {
    s.error = "cannot open sqlite:civil.db: file is not a database";
    for (CheckResult& r : s.results) {
      r.outcome = Outcome::kError;
      r.violations = 0;
      r.percent = 0;
      r.rows_checked = 0;
      r.samples.clear();
      r.indicators.clear();
      r.message = s.error;
    }
  }
  for (CheckResult& r : s.results) r.source = s.source;
  return s;
}

// A store in a fresh temporary folder holding, by run id:
//   1  2026-10-05 complete  population all pass (+ row_count), civil all pass
//   2  2026-10-12 complete  population duplicate 5 (fail), civil all pass
//   3  2026-10-19 partial   population all pass, civil not scanned (errors)
//   4  2026-10-26 failed    both sources not scanned
//   5  2026-11-02 complete  population pattern 20 + duplicate 5 (fail), civil stale 50 (warn)
class SyntheticHistory {
 public:
  explicit SyntheticHistory(const std::string& name) {
    dir_ = std::filesystem::temp_directory_path() /
           ("dqa_report_" + name + "_" + std::to_string(getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto store = HistoryStore::Open(path());
    EXPECT_TRUE(store.ok()) << store.status().message();
    store_ = std::move(store).value();
  }
  ~SyntheticHistory() {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  void RecordAll() {
    Record("2026-10-05", {Population(0, 0, true), Civil(0)});
    Record("2026-10-12", {Population(0, 5), Civil(0)});
    Record("2026-10-19", {Population(0, 0), Civil(0, true)});
    SourceResult failed = Population(0, 0);
    failed.error = "worker killed by signal 9";
    for (CheckResult& r : failed.results) {
      r.outcome = Outcome::kError;
      r.message = failed.error;
    }
    Record("2026-10-26", {failed, Civil(0, true)});
    Record("2026-11-02", {Population(20, 5), Civil(50)});
  }

  int64_t Record(const std::string& today, const std::vector<SourceResult>& sources) {
    RunStart start;
    const int64_t n = ++runs_;
    start.started_unix_ms = kRunStartMs + n * 86400000;
    start.today = today;
    start.version = "0.1.0";
    start.command_line = "dqaudit scan rules";
    start.pid = getpid();
    start.host = HostName();
    start.sources_planned = static_cast<int64_t>(sources.size());
    auto id = store_->BeginRun(start);
    EXPECT_TRUE(id.ok()) << id.status().message();
    for (const SourceResult& s : sources) {
      Status st = store_->RecordSource(*id, s);
      EXPECT_TRUE(st.ok()) << st.message();
    }
    EXPECT_TRUE(store_->FinishRun(*id, 1).ok());
    // FinishRun stamps the current time; the golden files need a fixed one.
    EXPECT_TRUE(store_->db()
                    .Exec(fmt::format(
                        "UPDATE runs SET finished_at = started_at + 60000 WHERE id = {}", *id))
                    .ok());
    return *id;
  }

  HistoryStore& store() { return *store_; }
  std::string path() const { return (dir_ / "audit.db").string(); }
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
  std::unique_ptr<HistoryStore> store_;
  int64_t runs_ = 0;
};

}  // namespace dqa::testing
