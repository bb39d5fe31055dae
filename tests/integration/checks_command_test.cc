// `dqaudit checks list|info`: the check catalogue as a user sees it, built-in and plugin types.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/integration/support.h"

namespace dqa {
namespace checks_command_test {
namespace {

namespace fs = std::filesystem;
using namespace dqa::test_support;

const std::string kPlugins = std::string(" --plugin-dir '") + DQA_PLUGIN_BUILD_DIR + "'";

TEST(ChecksCommandTest, ListShowsBuiltinTypesThenPluginTypes) {
  const fs::path dir = FreshTestDir("checks_command");
  CommandResult r = RunDqaudit(dir, "checks list" + kPlugins);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("row_count ", 0), 0u) << r.out;
  size_t last = 0;
  for (const char* name : {"\nmissing ", "\nduplicate ", "\nfuzzy_duplicate ", "\nfreshness ", "\nstale ", "\npattern ",
                           "\nallowed ", "\nrange ", "\nreference ", "\ncoverage ", "\ncondition ",
                           "\nsql ", "\nstandard_text ", "\nreconcile ", "\nindicator ", "\ncivil_registration.", "\npopulation.cccd "}) {
    const size_t at = r.out.find(name);
    ASSERT_NE(at, std::string::npos) << name << "\n" << r.out;
    EXPECT_GT(at, last) << name;
    last = at;
  }
  EXPECT_NE(r.out.find("coverage                                    completeness  aggregate  "
                       "Every expected value"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("[plugin population 1.0.0 ("), std::string::npos) << r.out;
}

TEST(ChecksCommandTest, ListAsJsonHasEverySchema) {
  const fs::path dir = FreshTestDir("checks_command");
  CommandResult r = RunDqaudit(dir, "checks list --json");
  ASSERT_EQ(r.code, 0) << r.err;
  const nlohmann::json types = nlohmann::json::parse(r.out);
  ASSERT_GE(types.size(), 13u);  // the built-in types first, then the plugins found
  const nlohmann::json& coverage = types[10];
  EXPECT_EQ(coverage["name"], "coverage");
  EXPECT_EQ(coverage["shape"], "aggregate");
  EXPECT_EQ(coverage["dimension"], "completeness");
  ASSERT_EQ(coverage["params"].size(), 3u);
  EXPECT_EQ(coverage["params"][1],
            (nlohmann::json{{"name", "expected"},
                            {"type", "table_column"},
                            {"required", true},
                            {"description", "{table, column} listing the expected values"}}));
  EXPECT_EQ(coverage["params"][2]["default"], 1);
  EXPECT_EQ(coverage["params"][2]["min"], 1.0);
  EXPECT_EQ(types[12]["name"], "sql");
  EXPECT_EQ(types[12]["takes_where"], false);
  // A map parameter lists its fields, each described like a parameter.
  const auto named = [&](const std::string& name) -> const nlohmann::json& {
    for (const nlohmann::json& t : types) {
      if (t["name"] == name) return t;
    }
    ADD_FAILURE() << "no type " << name;
    return types[0];
  };
  const nlohmann::json& reconcile = named("reconcile");
  EXPECT_EQ(reconcile["name"], "reconcile");
  EXPECT_EQ(reconcile["shape"], "query");
  const nlohmann::json& against = reconcile["params"][4];
  EXPECT_EQ(against["name"], "against");
  EXPECT_EQ(against["type"], "map");
  EXPECT_EQ(against["required"], true);
  std::vector<std::string> fields;
  for (const nlohmann::json& f : against["fields"]) fields.push_back(f["name"]);
  EXPECT_EQ(fields, (std::vector<std::string>{"table", "measure", "sum", "group_by", "where"}));
  EXPECT_EQ(against["fields"][0]["type"], "table");
  EXPECT_EQ(reconcile["params"][5]["fields"][1],
            (nlohmann::json{{"name", "percent"},
                            {"type", "number"},
                            {"required", false},
                            {"description",
                             "a group agrees when |left - right| <= percent% of max(|left|, |right|)"},
                            {"min", 0.0},
                            {"max", 100.0}}));
}

TEST(ChecksCommandTest, InfoDescribesOneTypeExactly) {
  const fs::path dir = FreshTestDir("checks_command");
  CommandResult r = RunDqaudit(dir, "checks info coverage");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "coverage: Every expected value (from another table) has at least min_rows rows.\n"
            "  dimension: completeness\n"
            "  shape:     aggregate: one figure over the rows of the table's scan\n"
            "  origin:    built-in\n"
            "  parameters:\n"
            "    column    column          required  the column whose values must cover the "
            "expected ones\n"
            "    expected  table_column    required  {table, column} listing the expected values\n"
            "    min_rows  integer         optional  rows each expected value needs (default 1) "
            "(at least 1)\n"
            "  common keys: id, severity, dimension, where, max_count, max_percent, warn, fail\n");

  // A type whose checks may take `by` (breakdowns by unit) lists it among the common keys.
  CommandResult pattern = RunDqaudit(dir, "checks info pattern");
  ASSERT_EQ(pattern.code, 0) << pattern.err;
  EXPECT_NE(pattern.out.find(
                "  common keys: id, severity, dimension, where, max_count, max_percent, warn, "
                "fail, by\n"),
            std::string::npos)
      << pattern.out;

  CommandResult plugin = RunDqaudit(dir, "checks info population.cccd" + kPlugins);
  ASSERT_EQ(plugin.code, 0) << plugin.err;
  EXPECT_NE(plugin.out.find("  origin:    plugin population 1.0.0 ("), std::string::npos)
      << plugin.out;
  EXPECT_NE(plugin.out.find("    column       column          required  the CCCD number"),
            std::string::npos)
      << plugin.out;
}

TEST(ChecksCommandTest, UnknownTypeExitsTwoWithTheClosestName) {
  const fs::path dir = FreshTestDir("checks_command");
  CommandResult r = RunDqaudit(dir, "checks info covrage");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err.rfind("dqaudit: no check type named 'covrage'; did you mean 'coverage'? (types: "
                        "row_count, missing,",
                        0),
            0u)
      << r.err;
  // A plugin type nobody provides.
  CommandResult plugin = RunDqaudit(dir, "checks info population.cccdx" + kPlugins);
  EXPECT_EQ(plugin.code, 2);
  EXPECT_NE(plugin.err.find("no check type named 'population.cccdx'; did you mean "
                            "'population.cccd'?"),
            std::string::npos)
      << plugin.err;
}

}  // namespace
}  // namespace checks_command_test
}  // namespace dqa
