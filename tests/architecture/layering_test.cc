// The module layering (docs/architecture.md "Layering"): every #include of core/, reports/ and
// plugins/ points to a module on a strictly lower level, plugins/sdk includes nothing of the core,
// and a sector plugin includes only the SDK. The checker runs on the real tree and, to prove that
// it can fail, on small trees written by the tests.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "tests/unit_support.h"

namespace dqa::layering {
namespace fs = std::filesystem;

// The level of each module: a file may include its own module and modules on a strictly lower
// level, never one on its own level or above. A module is a folder under core/ ("core/checks" is
// "checks"); all of reports/ is "reports"; plugins/sdk is "sdk". A new folder under core/ must be
// added here (EveryCoreFolderHasALevel fails until it is).
const std::map<std::string, int, std::less<>> kModuleLevels = {
    {"sdk", 0},                            // plugins/sdk/include/dqaudit: the plugin SDK
    {"util", 1},
    {"model", 2},      {"i18n", 2},        // what rules say and scans find; message catalogs
    {"sources", 3},
    {"checks", 4},
    {"plugins", 5},                        // the plugin host (core/plugins)
    {"rules", 6},
    {"engine", 7},
    {"worker", 8},
    {"output", 9},     {"profiling", 9},
    {"history", 10},                       // includes output (results JSON of a run)
    {"scoring", 11},
    {"trends", 12},
    {"report", 13},                        // the data of a report (core/report)
    {"schedule", 14},  {"audit", 14},      // audit: the recorded audit pipeline
    {"nightly", 15},
    {"reports", 16},                       // the renderers of reports/ (library dqa_reports)
    {"cli", 17},                           // the commands: may include everything
};

// Known violations, each exact (including file -> included file), that the check catalogue rework
// removes: delete an entry when its include goes. Nothing else may be added here; a layering
// problem is fixed by moving the shared concept lower down.
// Includes that break the layering and are known (each one must still occur: see
// KnownViolationsStillOccur). Empty: every include points downwards.
const std::set<std::pair<std::string, std::string>> kKnownViolations = {};

// Where a file sits: a layered module ("checks", level 4), a sector plugin (plugins/<name>, which
// may include only the SDK and its own folder), or outside every module (then `name` is empty).
struct Module {
  std::string name;  // "checks", "reports", "sdk", or the sector plugin's folder
  bool sector_plugin = false;
  std::optional<int> level;  // nullopt for a sector plugin or a core/ folder missing from the table
};

// `path` relative to the source folder ("core/checks/evaluator.cc").
std::optional<Module> ModuleOf(const std::string& path) {
  const fs::path p(path);
  std::vector<std::string> parts;
  for (const fs::path& part : p) parts.push_back(part.string());
  if (parts.size() < 2) return std::nullopt;
  const auto level_of = [](const std::string& name) -> std::optional<int> {
    const auto it = kModuleLevels.find(name);
    if (it == kModuleLevels.end()) return std::nullopt;
    return it->second;
  };
  if (parts[0] == "core") {
    if (parts.size() < 3) return Module{"core", false, std::nullopt};  // a file directly in core/
    return Module{parts[1], false, level_of(parts[1])};
  }
  if (parts[0] == "reports") return Module{"reports", false, level_of("reports")};
  if (parts[0] == "plugins") {
    if (parts[1] == "sdk") return Module{"sdk", false, level_of("sdk")};
    if (parts.size() < 3) return std::nullopt;  // plugins/CMakeLists.txt and the like
    return Module{parts[1], true, std::nullopt};
  }
  return std::nullopt;
}

// One `#include` of a project file.
struct Include {
  int line = 0;
  std::string written;   // as written between the quotes
  std::string resolved;  // relative to the source folder ("core/util/status.h"), or empty
};

// The file an include names, relative to `root`: "core/...", "reports/...", "plugins/..." from the
// source folder; "dqaudit/..." from the SDK's include folder; anything else next to the including
// file (as the compiler looks first). Empty for anything else (a third-party header written with
// quotes).
std::string Resolve(const fs::path& root, const std::string& file, const std::string& written) {
  const std::string first = fs::path(written).begin()->string();
  if (first == "core" || first == "reports" || first == "plugins") return written;
  if (first == "dqaudit") return "plugins/sdk/include/" + written;
  const fs::path sibling = (fs::path(file).parent_path() / written).lexically_normal();
  if (fs::exists(root / sibling)) return sibling.generic_string();
  return "";
}

// Every `#include "..."` of `file`, and every `#include <...>` that names a project folder (so
// that angle brackets do not hide a dependency).
std::vector<Include> IncludesOf(const fs::path& root, const std::string& file) {
  static const std::regex kInclude(R"(^\s*#\s*include\s*(["<])([^">]+)[">])");
  std::vector<Include> includes;
  std::ifstream in(root / file);
  std::string text;
  for (int line = 1; std::getline(in, text); ++line) {
    std::smatch m;
    if (!std::regex_search(text, m, kInclude)) continue;
    Include inc{line, m[2].str(), ""};
    inc.resolved = Resolve(root, file, inc.written);
    if (m[1].str() == "<" && !ModuleOf(inc.resolved)) continue;  // a system header
    includes.push_back(std::move(inc));
  }
  return includes;
}

// The C++ files under root/core, root/reports and root/plugins, relative to root, sorted.
std::vector<std::string> SourceFiles(const fs::path& root) {
  static const std::set<std::string> kExtensions = {".h", ".hh", ".hpp", ".cc", ".cpp", ".inc"};
  std::vector<std::string> files;
  for (const char* top : {"core", "reports", "plugins"}) {
    if (!fs::is_directory(root / top)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(root / top)) {
      if (!entry.is_regular_file() || !kExtensions.count(entry.path().extension().string())) {
        continue;
      }
      files.push_back(fs::relative(entry.path(), root).generic_string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string Describe(const Module& m) {
  if (m.sector_plugin) return "sector plugin " + m.name;
  if (!m.level) return "module " + m.name + ", no level";
  return "module " + m.name + ", level " + std::to_string(*m.level);
}

// What the checks below find.
struct Findings {
  std::vector<std::string> violations;  // "file:line includes X (module A, level a, may not ...)"
  std::set<std::pair<std::string, std::string>> allowed;  // known violations that occur
};

// Every include of a file under core/, reports/ or plugins/ of `root` that breaks the layering,
// except those in `allowlist`.
Findings FindViolations(const fs::path& root,
                        const std::set<std::pair<std::string, std::string>>& allowlist) {
  Findings found;
  for (const std::string& file : SourceFiles(root)) {
    const std::optional<Module> from = ModuleOf(file);
    if (!from) continue;
    for (const Include& inc : IncludesOf(root, file)) {
      const std::string where = file + ":" + std::to_string(inc.line) + " includes " + inc.written;
      const std::optional<Module> to = ModuleOf(inc.resolved);
      if (!to) continue;  // a third-party header written with quotes
      if (to->name == from->name && to->sector_plugin == from->sector_plugin) continue;
      bool ok = false;
      std::string rule;
      if (from->sector_plugin) {
        ok = to->name == "sdk";
        rule = "a sector plugin may include only the SDK";
      } else if (!from->level) {
        rule = "add " + from->name + " to kModuleLevels of tests/architecture/layering_test.cc";
      } else if (to->sector_plugin) {
        rule = "nothing may include a sector plugin";
      } else if (!to->level) {
        rule = "add " + to->name + " to kModuleLevels of tests/architecture/layering_test.cc";
      } else {
        ok = *to->level < *from->level;
        rule = "may not include " + Describe(*to);
      }
      if (ok) continue;
      if (allowlist.count({file, inc.resolved})) {
        found.allowed.insert({file, inc.resolved});
        continue;
      }
      found.violations.push_back(where + " (" + Describe(*from) + ", " + rule + ")");
    }
  }
  return found;
}

std::string Lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) out += "  " + l + "\n";
  return out;
}

const fs::path kSourceDir = DQA_SOURCE_DIR;

// The findings on the real tree, computed once for the tests below.
const Findings& RealTree() {
  static const Findings found = FindViolations(kSourceDir, kKnownViolations);
  return found;
}

TEST(LayeringTest, WalksEveryLayer) {
  const std::vector<std::string> files = SourceFiles(kSourceDir);
  for (const char* expected : {"core/util/status.h", "core/cli/main.cc", "core/i18n/catalog.h",
                               "reports/report_writer.cc", "plugins/sdk/include/dqaudit/plugin.h",
                               "plugins/population/population_plugin.cc"}) {
    EXPECT_TRUE(std::binary_search(files.begin(), files.end(), expected)) << expected;
  }
  EXPECT_GT(files.size(), 150u);
}

TEST(LayeringTest, IncludesPointDownwards) {
  const Findings& found = RealTree();
  EXPECT_TRUE(found.violations.empty())
      << "includes that point up or sideways (a file may include only modules on a strictly lower "
         "level; move the shared concept down instead):\n"
      << Lines(found.violations);
}

TEST(LayeringTest, KnownViolationsStillOccur) {
  // A known violation that is gone must leave the allowlist, so that it cannot come back unseen.
  const Findings& found = RealTree();
  std::vector<std::string> stale;
  for (const auto& [file, included] : kKnownViolations) {
    if (!found.allowed.count({file, included})) stale.push_back(file + " -> " + included);
  }
  EXPECT_TRUE(stale.empty()) << "fixed: delete from kKnownViolations of "
                                "tests/architecture/layering_test.cc:\n"
                             << Lines(stale);
}

TEST(LayeringTest, SdkIncludesNothingOfTheCoreAndPluginsOnlyTheSdk) {
  // The same check as IncludesPointDownwards, on its own so that a plugin that reaches into the
  // core is named as such: the SDK is level 0, a sector plugin may include only the SDK.
  std::vector<std::string> wrong;
  for (const std::string& v : RealTree().violations) {
    if (v.starts_with("plugins/")) wrong.push_back(v);
  }
  EXPECT_TRUE(wrong.empty()) << "the SDK includes only itself, a plugin only itself and the SDK:\n"
                             << Lines(wrong);
}

// The folders of root/core that kModuleLevels does not name ("core/newthing").
std::vector<std::string> UnknownCoreFolders(const fs::path& root) {
  std::vector<std::string> unknown;
  for (const auto& entry : fs::directory_iterator(root / "core")) {
    const std::string name = entry.path().filename().string();
    if (entry.is_directory() && !kModuleLevels.count(name)) unknown.push_back("core/" + name);
  }
  std::sort(unknown.begin(), unknown.end());
  return unknown;
}

TEST(LayeringTest, EveryCoreFolderHasALevel) {
  const std::vector<std::string> unknown = UnknownCoreFolders(kSourceDir);
  EXPECT_TRUE(unknown.empty())
      << "folders without a level: add each to kModuleLevels of "
         "tests/architecture/layering_test.cc, above every module it includes:\n"
      << Lines(unknown);
}

// The checker on small trees: proof that each rule fails with a message naming the file, the line
// and both modules.
class LayeringCheckerTest : public ::testing::Test {
 protected:
  void SetUp() override { root_ = FreshTempDir("dqa_layering_"); }
  void TearDown() override { fs::remove_all(root_); }
  void Write(const std::string& path, const std::string& text) {
    fs::create_directories((root_ / path).parent_path());
    std::ofstream(root_ / path) << text;
  }
  fs::path root_;
};

TEST_F(LayeringCheckerTest, ReportsAnUpwardIncludeWithFileLineAndLevels) {
  Write("core/util/dates.h",
        "#pragma once\n\n#include <string>\n#include \"core/model/types.h\"\n");
  Write("core/model/types.h", "#pragma once\n#include \"core/util/status.h\"\n");
  Write("core/util/status.h", "#pragma once\n");
  const Findings found = FindViolations(root_, {});
  EXPECT_EQ(found.violations,
            std::vector<std::string>{"core/util/dates.h:4 includes core/model/types.h (module "
                                     "util, level 1, may not include module model, level 2)"});
}

TEST_F(LayeringCheckerTest, ReportsSidewaysIncludesAndAngleBracketsToo) {
  Write("core/output/a.h", "#include <core/profiling/b.h>\n");
  Write("core/profiling/b.h", "#pragma once\n");
  Write("core/schedule/c.cc", "#include \"reports/catalog.h\"\n");
  Write("core/i18n/catalog.h", "#pragma once\n");
  const Findings found = FindViolations(root_, {});
  EXPECT_EQ(found.violations,
            (std::vector<std::string>{
                "core/output/a.h:1 includes core/profiling/b.h (module output, level 9, may not "
                "include module profiling, level 9)",
                "core/schedule/c.cc:1 includes reports/catalog.h (module schedule, level 14, may "
                "not include module reports, level 16)"}));
}

TEST_F(LayeringCheckerTest, AllowlistEntriesAreExact) {
  Write("core/sources/v.h", "#include \"core/checks/value.h\"\n#include \"core/checks/other.h\"\n");
  const Findings found =
      FindViolations(root_, {{"core/sources/v.h", "core/checks/value.h"}});
  EXPECT_EQ(found.violations,
            std::vector<std::string>{"core/sources/v.h:2 includes core/checks/other.h (module "
                                     "sources, level 3, may not include module checks, level 4)"});
  EXPECT_EQ(found.allowed.size(), 1u);
}

TEST_F(LayeringCheckerTest, ReportsUnknownModulesAndPluginsThatReachIntoTheCore) {
  Write("core/newthing/x.h", "#include \"core/util/status.h\"\n");
  Write("core/util/status.h", "#pragma once\n");
  Write("plugins/sdk/include/dqaudit/plugin.h",
        "#include \"date_text.h\"\n#include \"core/util/status.h\"\n");
  Write("plugins/sdk/include/dqaudit/date_text.h", "#pragma once\n");
  Write("plugins/population/cccd.cc",
        "#include \"cccd.h\"\n#include \"dqaudit/plugin.h\"\n#include \"core/util/status.h\"\n"
        "#include \"../civil_registration/x.h\"\n");
  Write("plugins/population/cccd.h", "#pragma once\n");
  Write("plugins/civil_registration/x.h", "#pragma once\n");
  EXPECT_EQ(UnknownCoreFolders(root_), std::vector<std::string>{"core/newthing"});
  const Findings found = FindViolations(root_, {});
  EXPECT_EQ(found.violations,
            (std::vector<std::string>{
                "core/newthing/x.h:1 includes core/util/status.h (module newthing, no level, add "
                "newthing to kModuleLevels of tests/architecture/layering_test.cc)",
                "plugins/population/cccd.cc:3 includes core/util/status.h (sector plugin "
                "population, a sector plugin may include only the SDK)",
                "plugins/population/cccd.cc:4 includes ../civil_registration/x.h (sector plugin "
                "population, a sector plugin may include only the SDK)",
                "plugins/sdk/include/dqaudit/plugin.h:2 includes core/util/status.h (module sdk, "
                "level 0, may not include module util, level 1)"}));
}

}  // namespace dqa::layering
