#include "core/nightly/history_queries.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "core/nightly/incremental.h"

namespace dqa::nightly {
namespace {

namespace fs = std::filesystem;

constexpr int64_t kDayMs = 86400000;
constexpr int64_t kNow = 1795000000000;  // 2026-11-18T...Z

class NightlyHistoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("dqa_nightly_history_" + std::string(info->name()) + "_" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto store = HistoryStore::Open((dir_ / "audit.db").string());
    ASSERT_TRUE(store.ok()) << store.status().message();
    store_ = std::move(store).value();
    ASSERT_TRUE(store_->db().Exec("INSERT INTO inspections (department, inspected_on, recorded_at) "
                                  "VALUES ('Sở Tư pháp', '2020-01-02', 1)")
                    .ok());
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }

  // A finished run started `days_ago` before kNow with one source per entry of `sources`
  // ({id, fingerprint, carried_from_run, error outcome}).
  struct Src {
    std::string id;
    std::string fingerprint;
    std::optional<int64_t> carried_from;
    bool check_error = false;
  };
  int64_t AddRun(int64_t days_ago, const std::vector<Src>& sources, bool finish = true,
                 std::string kind = "nightly") {
    RunStart start;
    start.started_unix_ms = kNow - days_ago * kDayMs;
    start.today = "2026-11-01";
    start.version = "test";
    start.command_line = "dqaudit nightly";
    start.pid = getpid();
    start.host = "elsewhere";  // never marked interrupted by BeginRun
    start.sources_planned = static_cast<int64_t>(sources.size());
    start.kind = std::move(kind);
    auto id = store_->BeginRun(start);
    EXPECT_TRUE(id.ok()) << id.status().message();
    for (const Src& s : sources) {
      SourceResult r;
      r.source = s.id;
      r.department = "Công an tỉnh";
      r.database = "sqlite:" + s.id + ".db";
      r.started_unix_ms = start.started_unix_ms + 1000;
      r.finished_unix_ms = start.started_unix_ms + 2000;
      r.fingerprint = s.fingerprint;
      r.carried_from_run = s.carried_from;
      CheckResult c;
      c.id = "row_count:t";
      c.type = "row_count";
      c.source = s.id;
      c.table = "t";
      c.outcome = s.check_error ? Outcome::kError : Outcome::kPass;
      c.rows_checked = 42;
      c.value = 42;
      c.message = s.check_error ? "no such table" : "";
      r.results.push_back(c);
      EXPECT_TRUE(store_->RecordSource(*id, r).ok());
    }
    if (finish) {
      EXPECT_TRUE(store_->FinishRun(*id, 0).ok());
    }
    return *id;
  }

  int64_t Count(const std::string& sql) {
    auto n = store_->db().QueryNumber(sql);
    return n.ok() && n->has_value() ? static_cast<int64_t>(**n) : -1;
  }

  fs::path dir_;
  std::unique_ptr<HistoryStore> store_;
};

TEST_F(NightlyHistoryTest, LastCleanScanSkipsErrorsAndRowsWithoutFingerprint) {
  const int64_t r1 = AddRun(3, {{"a", "fa1"}, {"b", "fb1"}});
  const int64_t r2 = AddRun(2, {{"a", "fa2", std::nullopt, true}, {"b", ""}});
  const int64_t r3 = AddRun(1, {{"b", "fb1", r1}}, true, "nightly");
  auto last = LastCleanScans(*store_, {"a", "b", "c"}, std::nullopt);
  ASSERT_TRUE(last.ok()) << last.status().message();
  ASSERT_EQ(last->size(), 2u);
  EXPECT_EQ(last->at("a").run_id, r1);  // r2's scan of a ended with a check error
  EXPECT_EQ(last->at("a").origin_run_id, r1);
  EXPECT_EQ(last->at("a").fingerprint, "fa1");
  EXPECT_EQ(last->at("a").scanned_unix_ms, kNow - 3 * kDayMs + 1000);
  EXPECT_EQ(last->at("b").run_id, r3);  // the carried row, pointing at its origin
  EXPECT_EQ(last->at("b").origin_run_id, r1);
  (void)r2;

  auto only = LastCleanScans(*store_, {"a", "b"}, r3);
  ASSERT_TRUE(only.ok());
  ASSERT_EQ(only->size(), 1u);
  EXPECT_EQ(only->at("b").run_id, r3);

  auto carried = LoadCarried(*store_, *last);
  ASSERT_TRUE(carried.ok()) << carried.status().message();
  EXPECT_EQ(carried->at("a").carried_from_run, r1);
  EXPECT_EQ(carried->at("b").carried_from_run, r1);
  ASSERT_EQ(carried->at("b").results.size(), 1u);
  EXPECT_EQ(carried->at("b").results[0].value, 42);
}

TEST_F(NightlyHistoryTest, NewestNightlyRunAndMarkInterrupted) {
  auto none = NewestNightlyRun(*store_);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  AddRun(2, {{"a", "f"}});
  const int64_t running = AddRun(1, {{"a", "f"}}, /*finish=*/false);
  AddRun(0, {{"a", "f"}}, true, "scan");
  auto newest = NewestNightlyRun(*store_);
  ASSERT_TRUE(newest.ok() && newest->has_value());
  EXPECT_EQ((*newest)->id, running);
  EXPECT_EQ((*newest)->status, "running");
  ASSERT_TRUE(MarkInterrupted(*store_, running).ok());
  EXPECT_EQ(store_->GetRun(running)->status, "interrupted");
  // Only a running run changes.
  ASSERT_TRUE(MarkInterrupted(*store_, running - 1).ok());
  EXPECT_EQ(store_->GetRun(running - 1)->status, "complete");
}

TEST_F(NightlyHistoryTest, RetentionDeletesOldRunsButKeepsNewestCompleteAndReferences) {
  const int64_t old_origin = AddRun(500, {{"a", "fa"}, {"b", "fb"}});
  const int64_t old_plain = AddRun(450, {{"a", "fa"}});
  const int64_t old_carrier = AddRun(420, {{"a", "fa", old_origin}});  // refers to old_origin
  const int64_t kept_recent = AddRun(10, {{"b", "fb", old_carrier}});  // refers to old_carrier
  const int64_t recent = AddRun(1, {{"a", "fa"}});
  auto r = ApplyRetention(*store_, kNow - 400 * kDayMs);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->deleted_runs, std::vector<int64_t>{old_plain});
  EXPECT_EQ(r->deleted_sources, 1);
  EXPECT_EQ(r->deleted_check_results, 1);
  EXPECT_EQ(r->kept_referenced, (std::vector<int64_t>{old_origin, old_carrier}));
  EXPECT_EQ(r->newest_complete, recent);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM runs"), 4);
  EXPECT_EQ(Count(fmt::format("SELECT COUNT(*) FROM check_results WHERE run_id = {}", old_plain)), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM inspections"), 1);  // never touched
  (void)kept_recent;
}

TEST_F(NightlyHistoryTest, RetentionNeverDeletesTheNewestCompleteRun) {
  const int64_t complete = AddRun(600, {{"a", "fa"}});
  const int64_t running = AddRun(500, {{"a", "fa"}}, /*finish=*/false);
  auto r = ApplyRetention(*store_, kNow);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->deleted_runs.empty());
  EXPECT_EQ(r->newest_complete, complete);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM runs"), 2);
  (void)running;
}

TEST_F(NightlyHistoryTest, CompactionGivesTheSpaceOfDeletedRunsBack) {
  std::vector<Src> many;
  for (int i = 0; i < 400; ++i) many.push_back({"source_" + std::to_string(i), "f"});
  for (int64_t days : {900, 800, 700}) AddRun(days, many);
  const int64_t newest = AddRun(1, {{"a", "fa"}});

  // Nothing deleted yet: no free page, nothing to do.
  auto idle = CompactHistory(*store_);
  ASSERT_TRUE(idle.ok()) << idle.status().message();
  EXPECT_FALSE(idle->vacuumed);
  EXPECT_EQ(idle->free_pages, 0);

  auto r = ApplyRetention(*store_, kNow - 30 * kDayMs);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->deleted_runs.size(), 3u);
  EXPECT_GT(Count("PRAGMA freelist_count"), 0);

  // Asked for more free pages than there are: left alone.
  auto wait = CompactHistory(*store_, 1.01);
  ASSERT_TRUE(wait.ok()) << wait.status().message();
  EXPECT_FALSE(wait->vacuumed);
  EXPECT_EQ(wait->free_pages, Count("PRAGMA freelist_count"));

  auto c = CompactHistory(*store_);
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_TRUE(c->vacuumed);
  EXPECT_GT(c->free_pages * 2, c->total_pages);  // most of the store was the deleted runs
  EXPECT_LT(c->bytes_after * 2, c->bytes_before);
  EXPECT_EQ(Count("PRAGMA freelist_count"), 0);
  // The checkpoint moved everything into the main file and emptied the -wal.
  EXPECT_EQ(static_cast<int64_t>(fs::file_size(dir_ / "audit.db")), c->bytes_after);
  EXPECT_EQ(fs::file_size(dir_ / "audit.db-wal"), 0u);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM runs"), 1);
  EXPECT_EQ(Count("SELECT MAX(id) FROM runs"), newest);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM inspections"), 1);
}

TEST(IncrementalTest, DecidesPerSource) {
  const int64_t now = kNow;
  const Duration week{7, Duration::Unit::kDays};
  const std::map<std::string, std::string> fps = {
      {"same", "v1 plan=p1 main=f1"}, {"changed", "v1 plan=p2 main=f2-new"},
      {"rules", "v1 plan=p5-new main=f5"}, {"old", "v1 plan=p3 main=f3"},
      {"new", "v1 plan=p4 main=f4"}};
  const std::map<std::string, CleanScan> last = {
      {"same", {11, 9, "v1 plan=p1 main=f1", now - 6 * kDayMs}},
      {"changed", {11, 11, "v1 plan=p2 main=f2", now - kDayMs}},
      {"rules", {11, 10, "v1 plan=p5 main=f5", now - kDayMs}},
      {"old", {11, 3, "v1 plan=p3 main=f3", now - 8 * kDayMs}},
      {"pg", {11, 11, "", now}}};
  const std::vector<std::string> ids = {"same", "changed", "rules", "old", "new", "pg"};
  const auto d = DecideSources(ids, fps, last, now, week, false);
  ASSERT_EQ(d.size(), 6u);
  EXPECT_EQ(d[0].reason, ScanReason::kCarried);
  EXPECT_EQ(d[0].last->origin_run_id, 9);
  EXPECT_EQ(d[1].reason, ScanReason::kChanged);
  EXPECT_EQ(d[2].reason, ScanReason::kPlanChanged);
  EXPECT_EQ(d[3].reason, ScanReason::kTooOld);
  EXPECT_EQ(d[4].reason, ScanReason::kNoEarlierScan);
  EXPECT_EQ(d[5].reason, ScanReason::kNoFingerprint);
  EXPECT_EQ(Describe(d[0]), "unchanged since run 9 (scanned 2026-11-12T11:06:40Z): carried over");
  EXPECT_EQ(Describe(d[1]), "database changed since run 11: scanning");
  EXPECT_EQ(Describe(d[2]),
            "rules, settings, reference day, dqaudit or plugins changed since run 10: scanning");
  for (const SourceDecision& full : DecideSources(ids, fps, last, now, week, true)) {
    EXPECT_EQ(full.reason, ScanReason::kFull);
  }
}

}  // namespace
}  // namespace dqa::nightly
