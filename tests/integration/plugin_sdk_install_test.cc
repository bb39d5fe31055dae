// Out-of-tree plugin build: install the SDK into a temporary prefix, build plugins/template against
// it with find_package(dqaudit_sdk) in a separate build tree, load it and run its checks.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "core/sources/sqlite_db.h"

namespace dqa {
namespace plugin_sdk_install_test {
namespace {

namespace fs = std::filesystem;

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

CommandResult RunCommand(const std::string& command, const fs::path& log) {
  const std::string full = fmt::format("{} > '{}' 2>&1", command, log.string());
  const int status = std::system(full.c_str());
  CommandResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream in(log);
  std::stringstream ss;
  ss << in.rdbuf();
  r.output = ss.str();
  return r;
}

TEST(PluginSdkInstallTest, TemplateBuildsOutOfTreeLoadsAndRuns) {
  const fs::path work = fs::path(DQA_WORK_DIR) / "plugin_sdk_install";
  fs::remove_all(work);
  fs::create_directories(work);
  fs::permissions(work, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                            fs::perms::others_read | fs::perms::others_exec);
  const fs::path build_dir = fs::path(DQA_BINARY).parent_path();
  const fs::path prefix = work / "prefix";
  const fs::path plugin_build = work / "template-build";

  // 1. Install the SDK component only.
  CommandResult install =
      RunCommand(fmt::format("cmake --install '{}' --prefix '{}' --component sdk",
                             build_dir.string(), prefix.string()),
                 work / "install.log");
  ASSERT_EQ(install.exit_code, 0) << install.output;
  for (const char* f : {"include/dqaudit/plugin_abi.h", "include/dqaudit/plugin.h",
                        "include/dqaudit/dates.h", "include/dqaudit/date_text.h",
                        "include/dqaudit/text.h", "include/dqaudit/sql.h",
                        "include/dqaudit/csv.h", "include/dqaudit/utf8.h",
                        "include/dqaudit/detail/json.h",
                        "include/dqaudit/detail/entry.h",
                        "lib/cmake/dqaudit_sdk/dqaudit_sdkConfig.cmake",
                        "lib/cmake/dqaudit_sdk/dqaudit_sdkConfigVersion.cmake",
                        "lib/cmake/dqaudit_sdk/DqauditPlugin.cmake"}) {
    EXPECT_TRUE(fs::exists(prefix / f)) << f << "\n" << install.output;
  }

  // 2. Configure and build the template on its own, against the installed package.
  CommandResult configure = RunCommand(
      fmt::format("cmake -S '{}/plugins/template' -B '{}' -DCMAKE_PREFIX_PATH='{}' "
                  "-DCMAKE_BUILD_TYPE=Release",
                  DQA_SOURCE_DIR, plugin_build.string(), prefix.string()),
      work / "configure.log");
  ASSERT_EQ(configure.exit_code, 0) << configure.output;
  std::ifstream cache(plugin_build / "CMakeCache.txt");
  std::stringstream cache_text;
  cache_text << cache.rdbuf();
  EXPECT_NE(cache_text.str().find("dqaudit_sdk_DIR:PATH=" + (prefix / "lib/cmake/dqaudit_sdk").string()),
            std::string::npos);
  CommandResult build =
      RunCommand(fmt::format("cmake --build '{}'", plugin_build.string()), work / "build.log");
  ASSERT_EQ(build.exit_code, 0) << build.output;
  const fs::path library = plugin_build / "template.so";
  ASSERT_TRUE(fs::exists(library));
  // Only the entry point is exported.
  CommandResult symbols = RunCommand(
      fmt::format("nm -D --defined-only '{}' | awk '{{print $3}}'", library.string()),
      work / "nm.log");
  EXPECT_EQ(symbols.output, "dqa_plugin_entry\n");

  // 3. Load it: --plugin-dir is searched first, so this copy wins over build/plugins/template.so.
  CommandResult info = RunCommand(
      fmt::format("'{}' plugins info template --plugin-dir '{}'", DQA_BINARY,
                  plugin_build.string()),
      work / "info.log");
  ASSERT_EQ(info.exit_code, 0) << info.output;
  EXPECT_NE(info.output.find("file:   " + fs::canonical(library).string()), std::string::npos)
      << info.output;
  // The plugin's checks are described as the check catalogue describes every type.
  EXPECT_NE(info.output.find("template.not_empty_trimmed: "), std::string::npos) << info.output;
  EXPECT_NE(info.output.find("  dimension: validity\n  shape:     row check"), std::string::npos)
      << info.output;
  EXPECT_NE(info.output.find("min_length  integer         optional"), std::string::npos)
      << info.output;

  // 4. Run its checks in a scan.
  const fs::path db_path = work / "people.db";
  {
    auto db = SqliteDb::OpenReadWrite(db_path.string(), true);
    ASSERT_TRUE(db.ok()) << db.status().message();
    ASSERT_TRUE((*db)->Exec(R"sql(
      CREATE TABLE people(id INTEGER PRIMARY KEY, name TEXT, commune TEXT);
      INSERT INTO people VALUES (1, 'An', 'X1'), (2, ' Binh', 'X1'), (3, 'Chi ', 'X2'),
        (4, '', 'X2'), (5, NULL, NULL), (6, 'Dung', 'X3'), (7, 'E', 'X3'), (8, 'Giang', 'X1');
    )sql").ok());
  }
  std::ofstream(work / "rules.yaml") << fmt::format(R"(source: people
department: test
database: sqlite:{}
tables:
  people:
    key: [id]
    checks:
      - template.not_empty_trimmed: {{column: name, min_length: 2}}
      - template.distinct_at_least: {{column: commune, min: 4, id: communes}}
)",
                                                    db_path.string());
  const fs::path json_path = work / "results.json";
  CommandResult scan = RunCommand(
      fmt::format("'{}' scan '{}' --plugin-dir '{}' --no-history --json '{}' --in-process",
                  DQA_BINARY, (work / "rules.yaml").string(), plugin_build.string(),
                  json_path.string()),
      work / "scan.log");
  EXPECT_EQ(scan.exit_code, 1) << scan.output;  // both checks fail
  std::ifstream json_in(json_path);
  const nlohmann::json results = nlohmann::json::parse(json_in, nullptr, false);
  ASSERT_TRUE(results.is_object()) << scan.output;
  ASSERT_EQ(results["results"].size(), 2u);
  const nlohmann::json& trimmed = results["results"][0];
  // Non-NULL names: 7. ' Binh', 'Chi ' untrimmed; '' and 'E' shorter than 2.
  EXPECT_EQ(trimmed["id"], "template.not_empty_trimmed:people.name");
  EXPECT_EQ(trimmed["outcome"], "fail");
  EXPECT_EQ(trimmed["violations"], 4);
  EXPECT_EQ(trimmed["rows_checked"], 7);
  EXPECT_EQ(trimmed["metrics"]["untrimmed_values"], 2.0);
  EXPECT_EQ(trimmed["samples"], nlohmann::json::parse(
                                    R"([{"id": "2"}, {"id": "3"}, {"id": "4"}, {"id": "7"}])"));
  const nlohmann::json& communes = results["results"][1];
  EXPECT_EQ(communes["id"], "communes");
  EXPECT_EQ(communes["outcome"], "fail");
  EXPECT_EQ(communes["violations"], 1);
  EXPECT_EQ(communes["rows_checked"], 1);
  EXPECT_EQ(communes["metrics"]["distinct_values"], 3.0);
  EXPECT_EQ(communes["message"],
            "commune has 3 distinct values, expected at least 4; fail limit 0");
}

}  // namespace
}  // namespace plugin_sdk_install_test
}  // namespace dqa
