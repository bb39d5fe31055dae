// The activity page (core/util/activity.h) as the worker writes it, the check indexes it uses,
// and the supervisor's option parsing.
#include "core/util/activity.h"

#include <gtest/gtest.h>

#include <csignal>

#include "core/worker/supervisor.h"
#include "core/worker/worker.h"

namespace dqa::worker {
namespace {

CheckSpec Check(const std::string& id) {
  CheckSpec c;
  c.id = id;
  c.type = "row_count";
  c.params = {{"min", 1}};
  return c;
}

TEST(PlanCheckIdsTest, TablesThenChecksInPlanOrder) {
  SourcePlan plan;
  TableSpec t1{"t1", {}, "", {}, {}};
  t1.checks = {Check("a"), Check("b")};
  TableSpec t2{"t2", {}, "", {}, {}};
  TableSpec t3{"t3", {}, "", {}, {}};
  t3.checks = {Check("c")};
  plan.source.tables = {t1, t2, t3};
  EXPECT_EQ(PlanCheckIds(plan), (std::vector<std::string>{"a", "b", "c"}));
}

class ActivityTest : public ::testing::Test {
 protected:
  void SetUp() override { InitActivityPage(page_); }
  void TearDown() override { PublishActivity(nullptr, {}, {}); }
  ActivityPage page_;
};

TEST_F(ActivityTest, InitialPageSaysNothingRuns) {
  page_.plugin.store(3);
  page_.snapshots.store(9);
  InitActivityPage(page_);
  EXPECT_EQ(page_.phase.load(), static_cast<int32_t>(ActivityPhase::kStarting));
  EXPECT_EQ(page_.plugin.load(), -1);
  EXPECT_EQ(page_.check.load(), -1);
  EXPECT_EQ(page_.snapshots.load(), 0);
  EXPECT_EQ(page_.table_passes.load(), 0);
}

TEST_F(ActivityTest, PluginCallsPublishAndRestoreWhatRan) {
  PublishActivity(&page_, {"/p/a.so", "/p/b.so"}, {"r1", "a.x:t", "b.y:t"});
  EXPECT_EQ(ActivityPluginSlot("/p/b.so"), 1);
  EXPECT_EQ(ActivityPluginSlot("/p/c.so"), -1);
  EXPECT_EQ(ActivityCheckSlot("a.x:t"), 1);
  EXPECT_EQ(ActivityCheckSlot("nope"), -1);
  SetActivityPhase(ActivityPhase::kScanning);
  EXPECT_EQ(page_.phase.load(), static_cast<int32_t>(ActivityPhase::kScanning));
  {
    const PluginCall outer(0, 1);
    EXPECT_EQ(page_.plugin.load(), 0);
    EXPECT_EQ(page_.check.load(), 1);
    {
      const PluginCall inner(1, 2);
      EXPECT_EQ(page_.plugin.load(), 1);
      EXPECT_EQ(page_.check.load(), 2);
    }
    EXPECT_EQ(page_.plugin.load(), 0);
    EXPECT_EQ(page_.check.load(), 1);
  }
  EXPECT_EQ(page_.plugin.load(), -1);
  EXPECT_EQ(page_.check.load(), -1);
  NoteSnapshot();
  NoteTablePass();
  NoteTablePass();
  EXPECT_EQ(page_.snapshots.load(), 1);
  EXPECT_EQ(page_.table_passes.load(), 2);
}

// Which plugin call wrote bytes found at a stream offset: the calls whose span (stream bytes the
// worker had written at their entry and exit) contains it, even long after they returned.
TEST_F(ActivityTest, SpansTellWhichCallsRanAtAStreamOffset) {
  PublishActivity(&page_, {"/p/a.so", "/p/b.so"}, {"r1", "a.x:t", "b.y:u"});
  EXPECT_TRUE(CallsAtStreamOffset(page_, 0).empty());
  { const PluginCall load(1, -1); }  // loading b before anything was written
  page_.stream_bytes.store(100);      // hello and a result
  for (int row = 0; row < 3; ++row) {
    const PluginCall call(0, 1);
  }
  page_.stream_bytes.store(250);  // the results of table t
  { const PluginCall call(1, 2); }
  page_.stream_bytes.store(400);
  EXPECT_EQ(page_.last_plugin.load(), 1);
  EXPECT_EQ(page_.last_check.load(), 2);
  EXPECT_EQ(page_.plugin.load(), -1);  // nothing runs now

  const auto at = [&](int64_t offset) {
    std::vector<std::pair<int, int>> out;
    for (const StreamWriterCandidate& c : CallsAtStreamOffset(page_, offset)) {
      out.emplace_back(c.plugin, c.check);
    }
    return out;
  };
  using Calls = std::vector<std::pair<int, int>>;
  EXPECT_EQ(at(0), (Calls{{1, -1}}));
  EXPECT_EQ(at(100), (Calls{{0, 1}}));
  EXPECT_EQ(at(250), (Calls{{1, 2}}));
  EXPECT_EQ(at(400), Calls{});
  EXPECT_EQ(at(50), Calls{});

  // A call still running (the worker died inside it) has the span of its entry.
  page_.stream_bytes.store(500);
  {
    const PluginCall call(0, 1);
    EXPECT_EQ(at(500), (Calls{{0, 1}}));
    EXPECT_EQ(at(300), (Calls{{0, 1}}));  // its span runs from its first call on
  }
  InitActivityPage(page_);
  EXPECT_EQ(page_.stream_bytes.load(), 0);
  EXPECT_EQ(page_.last_plugin.load(), -1);
  EXPECT_TRUE(CallsAtStreamOffset(page_, 100).empty());
}

TEST_F(ActivityTest, NothingIsPublishedWithoutAPage) {
  PublishActivity(nullptr, {"/p/a.so"}, {"r1"});
  EXPECT_EQ(ActivityPluginSlot("/p/a.so"), -1);
  EXPECT_EQ(ActivityCheckSlot("r1"), -1);
  {
    const PluginCall call(0, 0);
    NoteSnapshot();
    SetActivityPhase(ActivityPhase::kDone);
  }
  EXPECT_EQ(page_.plugin.load(), -1);
  EXPECT_EQ(page_.snapshots.load(), 0);
  EXPECT_EQ(page_.phase.load(), static_cast<int32_t>(ActivityPhase::kStarting));
}

TEST(ParseMemoryLimitTest, Sizes) {
  const struct {
    const char* text;
    std::optional<int64_t> bytes;
  } cases[] = {
      {"4G", int64_t{4} << 30},
      {"4GiB", int64_t{4} << 30},
      {"512M", int64_t{512} << 20},
      {"512", int64_t{512} << 20},
      {"64k", int64_t{64} << 10},
      {"1T", int64_t{1} << 40},
      {"0", 0},
      {"unlimited", 0},
      {"none", 0},
      {"", std::nullopt},
      {"4X", std::nullopt},
      {"-1G", std::nullopt},
      {"1.5G", std::nullopt},
      {"G", std::nullopt},
      {"99999999999T", std::nullopt},
  };
  for (const auto& c : cases) EXPECT_EQ(ParseMemoryLimit(c.text), c.bytes) << c.text;
}

TEST(SignalNameTest, Names) {
  EXPECT_EQ(SignalName(SIGSEGV), "SIGSEGV");
  EXPECT_EQ(SignalName(SIGABRT), "SIGABRT");
  EXPECT_EQ(SignalName(SIGKILL), "SIGKILL");
  EXPECT_EQ(SignalName(SIGXCPU), "SIGXCPU");
}

}  // namespace
}  // namespace dqa::worker
