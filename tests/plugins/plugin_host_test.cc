// Plugin host: ABI checks, permissions, discovery (the probe, plugins.allow), rule parameters, and
// plugin checks end to end.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "core/engine/audit.h"
#include "core/engine/plan.h"
#include "core/plugins/allowlist.h"
#include "core/plugins/descriptor.h"
#include "core/plugins/file_safety.h"
#include "core/plugins/loaded_plugin.h"
#include "core/plugins/probe.h"
#include "core/plugins/registry.h"
#include "core/rules/loader.h"
#include "tests/checks/scan_fixture.h"

namespace dqa::plugins {
namespace {

namespace fs = std::filesystem;
using dqa::testing::ExecSql;
using dqa::testing::TempDir;

const std::string kPluginDir = DQA_TEST_PLUGIN_DIR;
const std::string kTestkit = kPluginDir + "/testkit.so";

std::string Abi(const std::string& name) { return kPluginDir + "/abi/" + name + ".so"; }

// A copy of the testkit plugin at `dir/name` with `mode`.
std::string CopyPlugin(const fs::path& dir, const std::string& name, fs::perms mode) {
  fs::create_directories(dir);
  const fs::path to = dir / name;
  fs::copy_file(kTestkit, to, fs::copy_options::overwrite_existing);
  fs::permissions(to, mode);
  return to.string();
}

constexpr fs::perms kSafe = fs::perms::owner_all | fs::perms::group_read |
                            fs::perms::group_exec | fs::perms::others_read |
                            fs::perms::others_exec;

TEST(PluginHostTest, LoadsPluginAndReadsDescriptor) {
  auto p = LoadedPlugin::Load(kTestkit, {});
  ASSERT_TRUE(p.ok()) << p.status().message();
  const PluginInfo& info = (*p)->info();
  EXPECT_EQ(info.name, "testkit");
  EXPECT_EQ(info.version, "2.3.4");
  EXPECT_EQ(info.sector, "testkit");
  EXPECT_EQ(info.abi_major, 1u);
  EXPECT_EQ(info.abi_minor, 4u);
  EXPECT_EQ(info.file, fs::canonical(kTestkit).string());
  ASSERT_EQ(info.checks.size(), 3u);
  EXPECT_EQ(info.checks[0].name, "odd");
  EXPECT_EQ(info.checks[0].kind, CheckKind::kRow);
  EXPECT_EQ(info.checks[0].dimension, Dimension::kValidity);
  EXPECT_EQ(info.checks[0].ColumnParams(), (std::vector<std::string>{"column", "other"}));
  ASSERT_EQ(info.checks[0].params.size(), 7u);
  EXPECT_TRUE(info.checks[0].params[0].required);
  EXPECT_EQ(info.checks[0].params[2].type, ParamType::kBool);
  EXPECT_EQ(info.checks[0].params[4].type, ParamType::kDuration);
  EXPECT_EQ(info.checks[0].params[5].type, ParamType::kStringList);
  EXPECT_EQ(info.checks[1].name, "above");
  EXPECT_EQ(info.checks[1].kind, CheckKind::kQuery);
  EXPECT_EQ(info.checks[1].dimension, Dimension::kCompleteness);
}

TEST(PluginHostTest, RefusesBadAbiAndNonPlugins) {
  struct Case {
    std::string file;
    std::string message_part;
  };
  const std::vector<Case> cases = {
      {Abi("abi_major"), "was built for plugin ABI 99.4, this dqaudit speaks ABI 1.4"},
      {Abi("abi_minor"), "needs plugin ABI 1.99, newer than this dqaudit's 1.4"},
      {Abi("abi_size"), "descriptor struct_size 8 is smaller than the ABI 1.0 descriptor"},
      {Abi("no_entry"), "does not export the entry point dqa_plugin_entry"},
  };
  for (const Case& c : cases) {
    auto p = LoadedPlugin::Load(c.file, {});
    ASSERT_FALSE(p.ok()) << c.file;
    EXPECT_EQ(p.status().code(), StatusCode::kInvalidArgument) << c.file;
    EXPECT_NE(p.status().message().find(c.message_part), std::string::npos)
        << p.status().message();
    EXPECT_NE(p.status().message().find(fs::canonical(c.file).string()), std::string::npos);
  }
  TempDir dir;
  std::ofstream(dir.File("text.so")) << "not an ELF file";
  fs::permissions(dir.File("text.so"), fs::perms::owner_read | fs::perms::owner_write);
  auto text = LoadedPlugin::Load(dir.File("text.so"), {});
  ASSERT_FALSE(text.ok());
  EXPECT_NE(text.status().message().find("cannot be loaded"), std::string::npos);
  auto missing = LoadedPlugin::Load(dir.File("absent.so"), {});
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

TEST(PluginHostTest, PermissionChecksAndOverride) {
  TempDir dir;
  const fs::path root = dir.File("");
  struct Case {
    std::string name;
    fs::perms file_mode;
    bool world_writable_dir;
    std::string message_part;  // "" = loads
  };
  const std::vector<Case> cases = {
      {"safe", kSafe, false, ""},
      {"group_writable", kSafe | fs::perms::group_write, false, "it is group-writable (mode 0775)"},
      {"world_writable", kSafe | fs::perms::others_write, false, "it is world-writable (mode 0757)"},
      {"open_dir", kSafe, true, "is world-writable (mode 0777), so anyone could replace it"},
  };
  for (const Case& c : cases) {
    const fs::path sub = root / c.name;
    const std::string file = CopyPlugin(sub, "testkit.so", c.file_mode);
    if (c.world_writable_dir) fs::permissions(sub, fs::perms::all);
    const Status safety = CheckPluginFileSafety(file);
    auto loaded = LoadedPlugin::Load(file, {});
    if (c.message_part.empty()) {
      EXPECT_TRUE(safety.ok()) << safety.message();
      EXPECT_TRUE(loaded.ok()) << c.name;
    } else {
      ASSERT_FALSE(loaded.ok()) << c.name;
      EXPECT_NE(loaded.status().message().find(c.message_part), std::string::npos)
          << loaded.status().message();
      EXPECT_NE(loaded.status().message().find("--allow-unsafe-plugins"), std::string::npos);
      LoadOptions unsafe;
      unsafe.allow_unsafe = true;
      auto forced = LoadedPlugin::Load(file, unsafe);
      EXPECT_TRUE(forced.ok()) << c.name << ": " << forced.status().message();
    }
  }
}

TEST(PluginHostTest, DiscoveryOrderDuplicatesAndFailures) {
  TempDir dir;
  const fs::path a = dir.File("a");
  const fs::path b = dir.File("b");
  const fs::path env = dir.File("env");
  CopyPlugin(a, "testkit.so", kSafe);
  CopyPlugin(b, "testkit.so", kSafe);                           // same plugin again: duplicate
  CopyPlugin(env, "z.so", kSafe | fs::perms::group_write);      // refused, others still load
  fs::copy_file(Abi("abi_major"), env / "y.so");
  ::setenv("DQAUDIT_PLUGIN_PATH", (env.string() + "::" + dir.File("missing")).c_str(), 1);

  DiscoveryOptions options;
  options.plugin_dirs = {a.string(), b.string()};
  options.use_default_dirs = false;
  options.probe.executable = DQA_BINARY;
  EXPECT_EQ(PluginRegistry::SearchPath(options),
            (std::vector<std::string>{a.string(), b.string(), env.string(), dir.File("missing")}));
  PluginRegistry registry;
  registry.Discover(options);
  ::unsetenv("DQAUDIT_PLUGIN_PATH");

  ASSERT_EQ(registry.plugins().size(), 1u);
  EXPECT_EQ(registry.plugins()[0]->info().file, fs::canonical(a / "testkit.so").string());
  const std::vector<PluginLoadFailure> failures = registry.failures();
  ASSERT_EQ(failures.size(), 3u);
  EXPECT_EQ(failures[0].file, fs::canonical(b / "testkit.so").string());
  EXPECT_NE(failures[0].reason.find("duplicate plugin testkit"), std::string::npos);
  EXPECT_NE(failures[0].reason.find("the first one found wins"), std::string::npos);
  EXPECT_EQ(failures[1].file, fs::canonical(env / "y.so").string());
  EXPECT_NE(failures[1].reason.find("ABI 99.4"), std::string::npos);
  EXPECT_EQ(failures[2].file, fs::canonical(env / "z.so").string());
  EXPECT_NE(failures[2].reason.find("group-writable"), std::string::npos);

  EXPECT_EQ(registry.CheckTypes(),
            (std::vector<std::string>{"testkit.above", "testkit.odd", "testkit.writes"}));
  ASSERT_TRUE(registry.FindCheck("testkit.above").has_value());
  EXPECT_EQ(registry.FindCheck("testkit.above")->index, 1u);
  EXPECT_FALSE(registry.FindCheck("testkit.nope").has_value());
  EXPECT_FALSE(registry.FindCheck("other.odd").has_value());
  // Discovery only probed the library (in a helper process): nothing of it is loaded here.
  EXPECT_EQ(registry.plugins()[0]->api(), nullptr);
  // Loading the file (what a process that scans does) gives the registered plugin its library.
  auto again = registry.LoadFile((a / "testkit.so").string());
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(*again, registry.plugins()[0]);
  EXPECT_NE(registry.plugins()[0]->api(), nullptr);
  EXPECT_EQ(registry.plugins().size(), 1u);
}

TEST(PluginHostTest, ExplicitPluginDirThatIsNotADirectoryIsReported) {
  PluginRegistry registry;
  DiscoveryOptions options;
  options.plugin_dirs = {"/nonexistent/dqaudit/plugins"};
  options.use_default_dirs = false;
  options.use_environment = false;
  registry.Discover(options);
  ASSERT_EQ(registry.failures().size(), 1u);
  EXPECT_EQ(registry.failures()[0].reason, "--plugin-dir is not a directory");
}

// The rule parser and the engine use the process registry: load testkit into it once.
class PluginRulesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto p = ProcessPluginRegistry().LoadFile(kTestkit);
    ASSERT_TRUE(p.ok()) << p.status().message();
  }
  static std::string Rule(const std::string& db, const std::string& checks) {
    return fmt::format(
        "source: src\ndepartment: d\ndatabase: sqlite:{}\ntables:\n  t:\n    key: [id]\n"
        "    checks:\n{}",
        db, checks);
  }
};

TEST_F(PluginRulesTest, ValidatesParametersWithLocations) {
  struct Case {
    std::string check;
    std::string error;  // "" = valid
  };
  const std::vector<Case> cases = {
      {"      - testkit.odd: {column: v}\n", ""},
      {"      - testkit.odd: {column: v, other: w, allow_text: false, max_age: 30d, tags: [a, b],"
       " count: -3, mode: x}\n",
       ""},
      {"      - testkit.odd: {allow_text: true}\n",
       "r.yaml:8:9: missing required key 'column' in check 'testkit.odd' (column: integer column)"},
      {"      - testkit.odd: {column: v, colour: red}\n",
       "r.yaml:8:34: unknown key 'colour' in check 'testkit.odd'"},
      {"      - testkit.odd: {column: v, allow_text: maybe}\n",
       "r.yaml:8:46: 'allow_text': expected true or false"},
      {"      - testkit.odd: {column: v, max_age: soon}\n",
       "r.yaml:8:43: 'max_age': expected a duration"},
      {"      - testkit.odd: {column: v, count: 1.5}\n",
       "r.yaml:8:41: 'count': expected a whole number, got '1.5'"},
      {"      - testkit.above: {table: t, value_column: v, limit: 3, where: \"v > 1\"}\n",
       "r.yaml:8:62: unknown key 'where' in check 'testkit.above'"},
      {"      - testkit.od: {column: v}\n",
       "r.yaml:8:9: check type 'testkit.od' is a plugin check, but no installed plugin provides "
       "it; did you mean 'testkit.odd'? (installed plugin checks: "},
  };
  for (const Case& c : cases) {
    auto parsed = ParseRuleText(Rule("/nonexistent.db", c.check), "r.yaml");
    if (c.error.empty()) {
      EXPECT_TRUE(parsed.ok()) << c.check << parsed.status().message();
      continue;
    }
    ASSERT_FALSE(parsed.ok()) << c.check;
    EXPECT_NE(parsed.status().message().find(c.error), std::string::npos)
        << parsed.status().message();
  }
  auto ok = ParseRuleText(
      Rule("/x.db", "      - testkit.odd: {column: v, other: w, count: 7, tags: [a], "
                    "max_age: 2w}\n"),
      "r.yaml");
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  const CheckSpec& spec = ok->tables[0].checks[0];
  EXPECT_EQ(spec.id, "testkit.odd:t.v,w");
  EXPECT_EQ(spec.type, "testkit.odd");
  EXPECT_EQ(spec.columns, (std::vector<std::string>{"v", "w"}));
  EXPECT_EQ(spec.dimension, Dimension::kValidity);
  EXPECT_EQ(spec.PluginSector(), "testkit");
  EXPECT_TRUE(spec.unavailable.empty());
  // The plugin receives exactly this JSON (keys sorted by nlohmann::json).
  EXPECT_EQ(spec.params.dump(),
            R"({"column":"v","count":7,"max_age":"2w","other":"w","tags":["a"]})");
}

constexpr const char* kData = R"sql(
  CREATE TABLE t(id INTEGER PRIMARY KEY, v, w);
  INSERT INTO t VALUES (1, 2, 'x'), (2, 3, 'x'), (3, NULL, 'x'), (4, 'abc', 'x'), (5, 5, NULL),
                       (6, 8, 'x'), (7, 9, 'x'), (8, '11', 'x');
)sql";

std::vector<CheckResult> ScanRules(const std::string& rule_text, SourcePlan* plan_out = nullptr,
                                   const std::vector<std::string>& disabled = {}) {
  auto source = ParseRuleText(rule_text, "r.yaml");
  EXPECT_TRUE(source.ok()) << source.status().message();
  if (!source.ok()) return {};
  AuditOptions options;
  options.today_day = dqa::testing::kToday;
  std::vector<SourcePlan> plans = PlanAudit({*source}, options);
  plans[0].disabled_plugins = disabled;
  plans[0].disabled_reasons.assign(disabled.size(), "crashed with SIGSEGV");
  if (plan_out != nullptr) *plan_out = plans[0];
  return ScanSource(plans[0], [](const CheckResult&) {}).results;
}

TEST_F(PluginRulesTest, RowAndQueryChecksThroughScanSource) {
  TempDir dir;
  const std::string db = dir.File("d.db");
  ExecSql(db, kData);
  SourcePlan plan;
  const std::vector<CheckResult> r = ScanRules(
      Rule(db,
           "      - testkit.odd: {column: v}\n"
           "      - testkit.odd: {column: v, allow_text: false, id: strict, max_percent: 50}\n"
           "      - testkit.odd: {column: v, other: w, id: with_other, where: \"id <= 5\"}\n"
           "      - testkit.above: {table: t, value_column: v, limit: 4, warn: {max_count: 3}}\n"
           "      - missing: {columns: [v]}\n"),
      &plan);
  EXPECT_EQ(plan.plugin_files, std::vector<std::string>{fs::canonical(kTestkit).string()});
  EXPECT_EQ(plan.plugin_sectors, std::vector<std::string>{"testkit"});
  ASSERT_EQ(r.size(), 5u);
  // v non-NULL in 7 rows: 2, 3, 'abc', 5, 8, 9, '11' -> odd: 3, 5, 9, 11.
  EXPECT_EQ(r[0].id, "testkit.odd:t.v");
  EXPECT_EQ(r[0].outcome, Outcome::kFail);
  EXPECT_EQ(r[0].violations, 4);
  EXPECT_EQ(r[0].rows_checked, 7);
  EXPECT_EQ(r[0].samples,
            (std::vector<std::vector<std::string>>{{"2"}, {"5"}, {"7"}, {"8"}}));
  EXPECT_EQ(r[0].key_columns, std::vector<std::string>{"id"});
  EXPECT_EQ(r[0].metrics, (std::vector<std::pair<std::string, double>>{{"odd_values", 4}}));
  EXPECT_EQ(r[0].message, "4 of 7 rows (57.14%) fail testkit.odd; fail limit 0");
  // The indicator it publishes (ABI 1.3): 2 even (2, 8) of the 6 integers ('abc' is none),
  // 33.33% < 50 by more than warn_within 10: missed.
  ASSERT_EQ(r[0].indicators.size(), 1u);
  const Indicator& even = r[0].indicators[0];
  EXPECT_EQ(even.id, "even_share");
  EXPECT_EQ(even.title, "Even values");
  EXPECT_EQ(even.numerator, 2);
  EXPECT_EQ(even.denominator, 6);
  EXPECT_DOUBLE_EQ(*even.value, 200.0 / 6);
  EXPECT_EQ(even.target, 50.0);
  EXPECT_EQ(even.direction, Direction::kHigher);
  EXPECT_EQ(even.warn_within, 10.0);
  EXPECT_EQ(even.unit, "percent");
  EXPECT_EQ(even.Judge(), Outcome::kFail);
  // 'abc' is a violation too: 5 of 7 = 71.43% > 50%.
  EXPECT_EQ(r[1].id, "strict");
  EXPECT_EQ(r[1].violations, 5);
  EXPECT_EQ(r[1].outcome, Outcome::kFail);
  // where id <= 5: v non-NULL in rows 1, 2, 4, 5; row 5 has w NULL (violation), row 2 odd.
  EXPECT_EQ(r[2].id, "with_other");
  EXPECT_EQ(r[2].columns, (std::vector<std::string>{"v", "w"}));
  EXPECT_EQ(r[2].violations, 2);
  EXPECT_EQ(r[2].rows_checked, 4);
  // above 4: 5, 8, 9 and '11' (TEXT compares above numbers in SQLite) and 'abc'.
  EXPECT_EQ(r[3].id, "testkit.above:t");
  EXPECT_EQ(r[3].dimension, Dimension::kCompleteness);
  EXPECT_EQ(r[3].outcome, Outcome::kWarn) << r[3].message;
  EXPECT_EQ(r[3].message, "5 of 8 rows (62.5%) fail testkit.above; warn limit 3");
  EXPECT_EQ(r[3].violations, 5);
  EXPECT_EQ(r[3].rows_checked, 8);
  EXPECT_EQ(r[3].samples,
            (std::vector<std::vector<std::string>>{{"abc"}, {"5"}, {"8"}, {"9"}, {"11"}}));
  ASSERT_EQ(r[3].metrics.size(), 1u);
  EXPECT_DOUBLE_EQ(r[3].metrics[0].second, 62.5);
  ASSERT_EQ(r[3].indicators.size(), 2u);
  EXPECT_EQ(r[3].indicators[0].id, "above_share");
  EXPECT_EQ(r[3].indicators[0].numerator, 5);
  EXPECT_EQ(r[3].indicators[0].denominator, 8);
  EXPECT_DOUBLE_EQ(*r[3].indicators[0].value, 62.5);
  EXPECT_EQ(r[3].indicators[0].direction, Direction::kLower);
  EXPECT_EQ(r[3].indicators[0].Judge(), Outcome::kPass);  // 62.5 <= 70
  EXPECT_EQ(r[3].indicators[1].id, "nothing");
  EXPECT_FALSE(r[3].indicators[1].value.has_value());
  EXPECT_FALSE(r[3].indicators[1].target.has_value());
  EXPECT_EQ(r[3].outcome, Outcome::kWarn);  // the check's own outcome is unchanged
  EXPECT_EQ(r[4].id, "missing:t.v");
  EXPECT_EQ(r[4].violations, 1);
}

TEST_F(PluginRulesTest, PluginErrorsBecomeCheckErrors) {
  TempDir dir;
  const std::string db = dir.File("d.db");
  ExecSql(db, kData + std::string("INSERT INTO t VALUES (9, -4, 'x');"));
  const std::vector<CheckResult> r = ScanRules(
      Rule(db,
           "      - testkit.odd: {column: v}\n"
           "      - testkit.odd: {column: v, mode: refuse, id: refused}\n"
           "      - testkit.writes: {id: writes}\n"
           "      - testkit.above: {table: nosuch, value_column: v, limit: 1, id: bad_sql}\n"
           "      - missing: {columns: [w]}\n"));
  ASSERT_EQ(r.size(), 5u);
  EXPECT_EQ(r[0].outcome, Outcome::kError);
  EXPECT_EQ(r[0].message, "plugin testkit failed in check testkit.odd: negative value -4");
  EXPECT_EQ(r[1].outcome, Outcome::kError);
  EXPECT_EQ(r[1].message,
            "plugin testkit could not create check testkit.odd: mode refuse: refused");
  EXPECT_EQ(r[2].outcome, Outcome::kError);
  EXPECT_EQ(r[2].message,
            "plugin testkit failed in check testkit.writes: query failed: not allowed in rule SQL: "
            "writing to the database (INSERT (sqlite_master)): it is read-only (in: CREATE TABLE "
            "hacked(x))");
  EXPECT_EQ(r[3].outcome, Outcome::kError);
  EXPECT_EQ(r[3].message,
            "plugin testkit failed in check testkit.above: query failed: no such table: nosuch (in: "
            "SELECT COUNT(*) FROM nosuch)");
  EXPECT_EQ(r[4].outcome, Outcome::kFail);  // the other checks of the table are unaffected
  EXPECT_EQ(r[4].violations, 1);
}

TEST_F(PluginRulesTest, DisabledPluginChecksAreErrorsNamingThePlugin) {
  TempDir dir;
  const std::string db = dir.File("d.db");
  ExecSql(db, kData);
  const std::vector<CheckResult> r = ScanRules(
      Rule(db,
           "      - testkit.odd: {column: v}\n"
           "      - testkit.above: {table: t, value_column: v, limit: 4}\n"
           "      - missing: {columns: [v]}\n"),
      nullptr, {"testkit"});
  ASSERT_EQ(r.size(), 3u);
  for (int i : {0, 1}) {
    EXPECT_EQ(r[static_cast<size_t>(i)].outcome, Outcome::kError);
    EXPECT_EQ(r[static_cast<size_t>(i)].message,
              "plugin testkit disabled for this source: crashed with SIGSEGV");
  }
  EXPECT_EQ(r[2].outcome, Outcome::kFail);
  EXPECT_EQ(r[2].violations, 1);
}

// The probe's pieces: the descriptor's JSON form and validation, ProbePlugins, plugins.allow.
TEST(PluginProbeTest, DescriptorJsonRoundTripValidatesLikeALoad) {
  const std::string testkit = kPluginDir + "/testkit.so";
  Result<std::unique_ptr<LoadedPlugin>> loaded = LoadedPlugin::Load(testkit, {});
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  const RawDescriptor raw = CopyDescriptor((*loaded)->api());
  Result<RawDescriptor> back = DescriptorFromJson(DescriptorToJson(raw));
  ASSERT_TRUE(back.ok()) << back.status().message();
  Result<PluginInfo> info = ValidateDescriptor(*back, (*loaded)->info().file);
  ASSERT_TRUE(info.ok()) << info.status().message();
  EXPECT_TRUE(*info == (*loaded)->info());

  RawDescriptor future = raw;
  future.abi_major = 2;
  Result<PluginInfo> refused = ValidateDescriptor(future, "/p/x.so");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().message().rfind("plugin /p/x.so was built for plugin ABI 2.4", 0), 0u);
  RawDescriptor bad_kind = raw;
  bad_kind.checks[0].kind = 7;
  EXPECT_EQ(ValidateDescriptor(bad_kind, "/p/x.so").status().message(),
            "plugin /p/x.so: plugin testkit: check odd has unknown kind 7");

  Result<RawDescriptor> garbage = DescriptorFromJson(nlohmann::json{{"abi_major", "one"}});
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.status().message().rfind("not a plugin descriptor: ", 0), 0u);
}

TEST(PluginProbeTest, ProbeAnswersLikeALoadForGoodAndRefusedLibraries) {
  ProbeOptions options;
  options.executable = DQA_BINARY;
  const std::vector<std::string> files = {kPluginDir + "/testkit.so",
                                          kPluginDir + "/abi/no_entry.so",
                                          kPluginDir + "/abi/abi_major.so"};
  const std::vector<Result<PluginInfo>> probed = ProbePlugins(files, options);
  ASSERT_EQ(probed.size(), 3u);
  ASSERT_TRUE(probed[0].ok()) << probed[0].status().message();
  EXPECT_TRUE(*probed[0] == (*LoadedPlugin::Load(files[0], {}))->info());
  for (size_t i = 1; i < files.size(); ++i) {
    ASSERT_FALSE(probed[i].ok());
    EXPECT_EQ(probed[i].status().message(), LoadedPlugin::Load(files[i], {}).status().message());
  }
}

// Kept answers (ProbeOptions::cache_file): a library is probed again only when its bytes changed,
// its kept answer is unreadable or no longer validates, or it failed last time.
TEST(PluginProbeTest, KeptAnswersSpareTheHelperUntilTheLibraryChanges) {
  TempDir dir;
  const std::string plugin = fs::canonical(CopyPlugin(fs::path(dir.File("p")), "kit.so", kSafe)).string();
  const std::string refused = kPluginDir + "/abi/no_entry.so";
  // The real helper, behind a script that counts its starts.
  const std::string helper = dir.File("helper.sh");
  const std::string starts = dir.File("starts");
  {
    std::ofstream out(helper);
    out << "#!/bin/sh\necho x >> '" << starts << "'\nexec '" << DQA_BINARY << "' \"$@\"\n";
  }
  fs::permissions(helper, fs::perms::owner_all);
  ProbeOptions options;
  options.executable = helper;
  options.cache_file = dir.File("answers");
  auto count_starts = [&] {
    std::ifstream in(starts);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    fs::remove(starts);
    return std::count(text.begin(), text.end(), '\n');
  };
  auto probe = [&] {
    const std::vector<Result<PluginInfo>> probed = ProbePlugins({plugin, refused}, options);
    EXPECT_EQ(probed.size(), 2u);
    EXPECT_TRUE(probed[0].ok()) << probed[0].status().message();
    if (probed[0].ok()) {
      EXPECT_TRUE(*probed[0] == (*LoadedPlugin::Load(plugin, {}))->info());
    }
    EXPECT_FALSE(probed[1].ok());
    EXPECT_EQ(probed[1].status().message(), LoadedPlugin::Load(refused, {}).status().message());
  };
  probe();
  EXPECT_EQ(count_starts(), 2);
  ASSERT_TRUE(fs::exists(options.cache_file));
  probe();  // the refused library alone is probed again
  EXPECT_EQ(count_starts(), 1);
  // Other bytes (trailing bytes leave the library loadable): probed again, then kept again.
  std::ofstream(plugin, std::ios::app) << "changed";
  probe();
  EXPECT_EQ(count_starts(), 2);
  probe();
  EXPECT_EQ(count_starts(), 1);
  // A kept answer that no longer validates is not used.
  {
    std::ifstream in(options.cache_file);
    nlohmann::json kept = nlohmann::json::parse(in);
    kept["plugins"][plugin]["answer"] = R"({"abi_major": 1})";
    std::ofstream(options.cache_file) << kept.dump();
  }
  probe();
  EXPECT_EQ(count_starts(), 2);
  // An unreadable file of answers is ignored and written again.
  std::ofstream(options.cache_file) << "not json";
  probe();
  EXPECT_EQ(count_starts(), 2);
  probe();
  EXPECT_EQ(count_starts(), 1);
  // The library's bytes are hashed again only when the file is not the one it was (device, inode,
  // size, modification and change times): a kept key that its bytes no longer give is still used
  // while the file is untouched...
  auto kept_key = [&](const std::string& key) {
    std::ifstream in(options.cache_file);
    nlohmann::json kept = nlohmann::json::parse(in);
    EXPECT_FALSE(kept["plugins"][plugin]["identity"].get<std::string>().empty());
    const std::string before = kept["plugins"][plugin]["key"];
    if (!key.empty()) kept["plugins"][plugin]["key"] = key + before.substr(key.size());
    std::ofstream(options.cache_file) << kept.dump();
    return before;
  };
  kept_key(std::string(32, '0'));
  probe();
  EXPECT_EQ(count_starts(), 1);
  // ... and once it is touched, its bytes are hashed, the key differs and it is probed again.
  fs::last_write_time(plugin, fs::last_write_time(plugin) + std::chrono::seconds(1));
  probe();
  EXPECT_EQ(count_starts(), 2);
  EXPECT_NE(kept_key("").substr(0, 32), std::string(32, '0'));
  probe();
  EXPECT_EQ(count_starts(), 1);
}

// Stand-ins for a helper whose plugin misbehaves: each cause is reported as such, naming the file.
TEST(PluginProbeTest, HelperThatCrashesHangsExitsOrAnswersGarbageIsReported) {
  TempDir dir;
  const struct {
    const char* script;
    const char* cause;
  } cases[] = {
      {"exit 0", "exited with status 0 while loading, without an answer"},
      {"exit 5", "exited with status 5 while loading, without an answer"},
      {"echo 'not json' >&3", "answered something that is not a descriptor (9 bytes starting 'not json\n')"},
      {"echo '{\"abi_major\": 1}' >&3", "answered something that is not a descriptor (not a plugin descriptor: "},
      {"kill -SEGV $$", "killed by SIGSEGV while loading"},
      {"exec sleep 30", "did not answer within 1 s while loading (killed)"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.script);
    const std::string helper = dir.File("helper.sh");
    {
      std::ofstream out(helper);
      out << "#!/bin/sh\n" << c.script << "\n";
    }
    fs::permissions(helper, fs::perms::owner_all);
    ProbeOptions options;
    options.executable = helper;
    options.timeout_seconds = 1;
    const std::vector<Result<PluginInfo>> probed = ProbePlugins({"/p/x.so"}, options);
    ASSERT_EQ(probed.size(), 1u);
    ASSERT_FALSE(probed[0].ok());
    EXPECT_EQ(probed[0].status().message().rfind(std::string("plugin /p/x.so: ") + c.cause, 0), 0u)
        << probed[0].status().message();
  }
}

TEST(PluginAllowlistTest, ParsesSha256sumOutputAndNamesTheBadLine) {
  const std::string hash(64, 'a');
  Result<std::vector<AllowlistEntry>> ok = ParseAllowlist(
      "# trusted\n\n" + hash + "  a.so\n" + std::string(64, 'B') + " *b.so\r\n", "/d/plugins.allow");
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  ASSERT_EQ(ok->size(), 2u);
  EXPECT_EQ((*ok)[0].sha256, hash);
  EXPECT_EQ((*ok)[0].name, "a.so");
  EXPECT_EQ((*ok)[1].sha256, std::string(64, 'b'));
  EXPECT_EQ((*ok)[1].name, "b.so");
  for (const std::string& bad :
       {hash + " a.so", hash.substr(1) + "  a.so", hash + "  ", std::string(63, 'a') + "g  a.so"}) {
    SCOPED_TRACE(bad);
    Result<std::vector<AllowlistEntry>> r = ParseAllowlist("# ok\n" + bad + "\n", "/d/plugins.allow");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().message().rfind("/d/plugins.allow:2: expected '<SHA-256 as 64 hex "
                                         "digits>  <file name>' (the output of sha256sum), got '",
                                         0),
              0u)
        << r.status().message();
  }
}

}  // namespace
}  // namespace dqa::plugins
