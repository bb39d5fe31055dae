// SplitPlan: the order in which a worker scans a source, so a death can name the running plugin.
#include <gtest/gtest.h>

#include <csignal>

#include "core/worker/supervisor.h"
#include "core/worker/worker.h"

namespace dqa::worker {
namespace {

CheckSpec Builtin(const std::string& id, const std::string& table) {
  CheckSpec c;
  c.id = id;
  c.type = "row_count";
  c.table = table;
  c.params = RowCountParams{1, std::nullopt};
  return c;
}

CheckSpec Plugin(const std::string& id, const std::string& table, const std::string& plugin) {
  CheckSpec c;
  c.id = id;
  c.type = plugin + ".x";
  c.table = table;
  c.params = PluginCheckParams{plugin, "x", "{}"};
  return c;
}

SourcePlan TwoTables() {
  SourcePlan p;
  p.source.id = "population";
  p.samples = 7;
  p.plugin_files = {"/p/a.so", "/p/b.so"};
  TableSpec t1{"t1", {"id"}, "", {}, {}};
  t1.checks = {Plugin("a1", "t1", "a"), Builtin("r1", "t1"), Plugin("b1", "t1", "b"),
               Plugin("a2", "t1", "a")};
  TableSpec t2{"t2", {}, "x > 0", {}, {}};
  t2.checks = {Plugin("a3", "t2", "a"), Builtin("r2", "t2")};
  TableSpec t3{"t3", {}, "", {}, {}};
  p.source.tables = {t1, t2, t3};
  return p;
}

// "plugin: table[check,check] table[...]" per step.
std::vector<std::string> Describe(const std::vector<ScanStep>& steps) {
  std::vector<std::string> out;
  for (const ScanStep& s : steps) {
    std::string line = s.plugin + ":";
    for (const TableSpec& t : s.plan.source.tables) {
      line += " " + t.name + "[";
      for (const CheckSpec& c : t.checks) line += (line.back() == '[' ? "" : ",") + c.id;
      line += "]";
    }
    out.push_back(line);
  }
  return out;
}

TEST(SplitPlanTest, BuiltinsFirstThenEachPluginPerTable) {
  const std::vector<ScanStep> steps = SplitPlan(TwoTables());
  EXPECT_EQ(Describe(steps), (std::vector<std::string>{
                                 ": t1[r1] t2[r2]",
                                 "a: t1[a1,a2]",
                                 "a: t2[a3]",
                                 "b: t1[b1]",
                             }));
  for (const ScanStep& s : steps) {
    EXPECT_EQ(s.plan.source.id, "population");
    EXPECT_EQ(s.plan.samples, 7);
    EXPECT_EQ(s.plan.plugin_files.size(), 2u);
  }
  // Tables keep their key and filter.
  EXPECT_EQ(steps[0].plan.source.tables[0].key, std::vector<std::string>{"id"});
  EXPECT_EQ(steps[2].plan.source.tables[0].filter, "x > 0");
}

TEST(SplitPlanTest, DisabledPluginsRunWithTheBuiltins) {
  SourcePlan plan = TwoTables();
  plan.disabled_plugins = {"a"};
  EXPECT_EQ(Describe(SplitPlan(plan)), (std::vector<std::string>{
                                           ": t1[a1,r1,a2] t2[a3,r2]",
                                           "b: t1[b1]",
                                       }));
}

TEST(SplitPlanTest, PlanWithoutChecksStillHasTheBuiltinStep) {
  SourcePlan plan;
  plan.source.id = "empty";
  EXPECT_EQ(Describe(SplitPlan(plan)), (std::vector<std::string>{":"}));
}

TEST(PluginOfTest, NamesThePluginOfPluginChecksOnly) {
  EXPECT_EQ(PluginOf(Plugin("p", "t", "population")), "population");
  EXPECT_EQ(PluginOf(Builtin("r", "t")), "");
}

TEST(ParseMemoryLimitTest, Sizes) {
  const struct {
    const char* text;
    std::optional<int64_t> bytes;
  } cases[] = {
      {"4G", int64_t{4} << 30},     {"4GiB", int64_t{4} << 30}, {"512M", int64_t{512} << 20},
      {"512", int64_t{512} << 20},  {"64k", int64_t{64} << 10}, {"1T", int64_t{1} << 40},
      {"0", 0},                     {"unlimited", 0},           {"none", 0},
      {"", std::nullopt},           {"4X", std::nullopt},       {"-1G", std::nullopt},
      {"1.5G", std::nullopt},       {"G", std::nullopt},        {"99999999999T", std::nullopt},
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
