// Worker isolation: the real dqaudit binary scanning each source in a worker process, with workers
// that crash, hang, exit early or send garbage (a test-only fault hook) and misbehaving plugins.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "core/sources/sqlite_db.h"

namespace dqa {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct CommandResult {
  int code = -1;
  std::string out;
  std::string err;
  double seconds = 0;
};

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void WriteFile(const fs::path& p, const std::string& text) {
  std::ofstream out(p);
  out << text;
}

constexpr const char* kPeopleRules = R"yaml(source: people
department: "Công an tỉnh"
database: sqlite:people.db
today: 2026-11-01
tables:
  cong_dan:
    key: [id]
    checks:
      - row_count: {min: 3}
      - missing: {columns: [ho_ten]}
      - duplicate: {columns: [so_cccd]}
)yaml";

constexpr const char* kCivilRules = R"yaml(source: civil
department: "Sở Tư pháp"
database: sqlite:civil.db
today: 2026-11-01
tables:
  khai_sinh:
    checks:
      - row_count: {min: 2}
      - missing: {columns: [ten]}
)yaml";

class IsolationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::path(DQA_WORK_DIR) / "isolation" / info->name();
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "rules");
    fs::create_directories(dir_ / "plugins");
    auto people = SqliteDb::OpenReadWrite((dir_ / "rules" / "people.db").string(), true);
    ASSERT_TRUE(people.ok()) << people.status().message();
    ASSERT_TRUE((*people)
                    ->Exec(R"sql(
CREATE TABLE cong_dan (id INTEGER PRIMARY KEY, ho_ten TEXT, so_cccd TEXT);
INSERT INTO cong_dan VALUES (1, 'Nguyễn Văn An', '001090000001'),
  (2, 'Trần Thị Bình', '001090000002'), (3, 'Lê Văn Cường', '001090000003');
)sql")
                    .ok());
    auto civil = SqliteDb::OpenReadWrite((dir_ / "rules" / "civil.db").string(), true);
    ASSERT_TRUE(civil.ok()) << civil.status().message();
    ASSERT_TRUE((*civil)
                    ->Exec(R"sql(
CREATE TABLE khai_sinh (id INTEGER PRIMARY KEY, ten TEXT);
INSERT INTO khai_sinh VALUES (1, 'An'), (2, 'Bình');
)sql")
                    .ok());
    WriteFile(dir_ / "rules" / "people.yaml", kPeopleRules);
    WriteFile(dir_ / "rules" / "civil.yaml", kCivilRules);
  }

  // Runs `dqaudit scan rules <args>` in the test's folder with `env` (e.g. "A=1 B=2") set.
  CommandResult Scan(const std::string& args, const std::string& env = "") const {
    const std::string command = "cd '" + dir_.string() + "' && NO_COLOR=1 " + env + " '" +
                                DQA_BINARY "' scan rules --no-history --json results.json " +
                                args + " >stdout.txt 2>stderr.txt";
    CommandResult r;
    const auto start = std::chrono::steady_clock::now();
    const int status = std::system(command.c_str());
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = ReadFile(dir_ / "stdout.txt");
    r.err = ReadFile(dir_ / "stderr.txt");
    return r;
  }

  // source -> check id -> {outcome, message} from results.json.
  std::map<std::string, std::map<std::string, std::pair<std::string, std::string>>> Outcomes()
      const {
    std::map<std::string, std::map<std::string, std::pair<std::string, std::string>>> out;
    const json doc = json::parse(ReadFile(dir_ / "results.json"));
    for (const json& r : doc.at("results")) {
      out[r.at("source").get<std::string>()][r.at("id").get<std::string>()] = {
          r.at("outcome").get<std::string>(), r.at("message").get<std::string>()};
    }
    return out;
  }

  // The civil source passed untouched by whatever happened to people.
  void ExpectCivilIntact() const {
    const auto outcomes = Outcomes();
    ASSERT_TRUE(outcomes.contains("civil"));
    const auto& civil = outcomes.at("civil");
    ASSERT_EQ(civil.size(), 2u);
    EXPECT_EQ(civil.at("row_count:khai_sinh").first, "pass");
    EXPECT_EQ(civil.at("missing:khai_sinh.ten").first, "pass");
  }

  fs::path dir_;
};

TEST_F(IsolationTest, HealthyWorkersGiveTheSameResultsAsInProcess) {
  CommandResult workers = Scan("--jobs 2");
  EXPECT_EQ(workers.code, 0) << workers.err;
  const auto via_workers = Outcomes();
  CommandResult in_process = Scan("--in-process");
  EXPECT_EQ(in_process.code, 0) << in_process.err;
  EXPECT_EQ(Outcomes(), via_workers);
  ASSERT_EQ(via_workers.at("people").size(), 3u);
  for (const auto& [id, outcome] : via_workers.at("people")) EXPECT_EQ(outcome.first, "pass") << id;
  ExpectCivilIntact();
}

// Each fault fires in people's worker right after it sent the row_count result.
TEST_F(IsolationTest, DeadWorkerCostsOnlyItsSourceAndKeepsReportedResults) {
  const struct {
    const char* fault;
    const char* cause;
  } cases[] = {
      {"segv", "worker killed by SIGSEGV while running the built-in checks"},
      {"abort", "worker killed by SIGABRT while running the built-in checks"},
      {"exit", "worker exited with status 7 while running the built-in checks"},
      {"garbage",
       "protocol error: bad magic 0x74686973 (expected \"DQAW\") while running the built-in checks"},
      {"hang", "timed out after 2 s while running the built-in checks"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.fault);
    CommandResult r = Scan("--timeout 2 --jobs 2", std::string("DQA_WORKER_TEST_FAULT=") +
                                                       c.fault + "@row_count:cong_dan");
    EXPECT_EQ(r.code, 3) << r.err;
    EXPECT_LT(r.seconds, 15);
    const auto outcomes = Outcomes();
    const auto& people = outcomes.at("people");
    ASSERT_EQ(people.size(), 3u);
    EXPECT_EQ(people.at("row_count:cong_dan").first, "pass");
    for (const char* id : {"missing:cong_dan.ho_ten", "duplicate:cong_dan.so_cccd"}) {
      EXPECT_EQ(people.at(id).first, "error") << id;
      EXPECT_EQ(people.at(id).second, c.cause) << id;
    }
    ExpectCivilIntact();
    EXPECT_NE(r.err.find(std::string("source people: ") + c.cause), std::string::npos) << r.err;
    // No retry without a plugin to blame.
    EXPECT_EQ(r.err.find("retrying"), std::string::npos) << r.err;
  }
}

TEST_F(IsolationTest, DeathAfterTheLastResultKeepsEveryResultButFailsTheSource) {
  CommandResult r = Scan("--jobs 1", "DQA_WORKER_TEST_FAULT=segv@missing:khai_sinh.ten");
  EXPECT_EQ(r.code, 3) << r.err;
  ExpectCivilIntact();  // both results were sent before the crash
  const json doc = json::parse(ReadFile(dir_ / "results.json"));
  std::map<std::string, std::string> errors;
  for (const json& source : doc.at("sources")) {
    const json& error = source.at("error");
    errors[source.at("source").get<std::string>()] = error.is_null() ? "" : error.get<std::string>();
  }
  EXPECT_EQ(errors["civil"], "worker killed by SIGSEGV");
  EXPECT_EQ(errors["people"], "");
}

TEST_F(IsolationTest, DeathBeforeAnyCheckErrorsEveryCheck) {
  CommandResult r = Scan("--jobs 2", "DQA_WORKER_TEST_FAULT=abort");
  EXPECT_EQ(r.code, 3) << r.err;
  size_t checks = 0;
  for (const auto& [source, results] : Outcomes()) {
    for (const auto& [id, outcome] : results) {
      ++checks;
      EXPECT_EQ(outcome, std::make_pair(std::string("error"), std::string("worker killed by SIGABRT")))
          << source << " " << id;
    }
  }
  EXPECT_EQ(checks, 5u);
}

TEST_F(IsolationTest, InProcessIgnoresTheWorkerFaultHook) {
  CommandResult r = Scan("--in-process", "DQA_WORKER_TEST_FAULT=segv@row_count:cong_dan");
  EXPECT_EQ(r.code, 0) << r.err;
}

TEST_F(IsolationTest, MemoryLimitIsEnforced) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "RLIMIT_AS is not applied under AddressSanitizer";
#endif
  // The fault reserves 512 MiB after row_count:cong_dan: fine under the default 4G, fatal under 256M.
  const std::string fault = "DQA_WORKER_TEST_FAULT=alloc@row_count:cong_dan";
  CommandResult roomy = Scan("", fault);
  EXPECT_EQ(roomy.code, 0) << roomy.err;
  CommandResult tight = Scan("--worker-memory 256M", fault);
  EXPECT_EQ(tight.code, 3) << tight.err;
  const auto people = Outcomes().at("people");
  EXPECT_EQ(people.at("row_count:cong_dan").first, "pass");
  EXPECT_EQ(people.at("missing:cong_dan.ho_ten"),
            std::make_pair(std::string("error"),
                           std::string("worker killed by SIGABRT while running the built-in checks")));
  ExpectCivilIntact();
}

TEST_F(IsolationTest, BadIsolationOptionsAreUsageErrors) {
  for (const char* args : {"--worker-memory 4X", "--timeout 0", "--timeout abc"}) {
    SCOPED_TRACE(args);
    CommandResult r = Scan(args);
    EXPECT_EQ(r.code, 2) << r.err;
  }
}

TEST_F(IsolationTest, WorkerRefusesToRunWithoutItsResultPipe) {
  const std::string command = "'" DQA_BINARY "' worker </dev/null 3>&- 2>'" +
                              (dir_ / "stderr.txt").string() + "'";
  const int status = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1);
  EXPECT_EQ(ReadFile(dir_ / "stderr.txt"),
            "dqaudit worker: fd 3 is not open; this subcommand is started by `dqaudit scan`\n");
}

TEST_F(IsolationTest, WorkerIsHiddenFromHelp) {
  const std::string command = "'" DQA_BINARY "' --help >'" + (dir_ / "stdout.txt").string() + "'";
  ASSERT_EQ(std::system(command.c_str()), 0);
  const std::string help = ReadFile(dir_ / "stdout.txt");
  EXPECT_NE(help.find("scan"), std::string::npos);
  EXPECT_EQ(help.find("worker"), std::string::npos) << help;
}

// Misbehaving plugins (tests/plugins/misbehaving), copied into the test's plugin folder, next to
// the template plugin (found in the build's plugins folder) whose check must survive them.
class PluginIsolationTest : public IsolationTest {
 protected:
  void UsePlugin(const std::string& file, fs::perms perms = fs::perms::owner_all |
                                                           fs::perms::group_read |
                                                           fs::perms::group_exec |
                                                           fs::perms::others_read |
                                                           fs::perms::others_exec) const {
    const fs::path to = dir_ / "plugins" / file;
    fs::copy_file(fs::path(DQA_MISBEHAVING_PLUGIN_DIR) / file, to,
                  fs::copy_options::overwrite_existing);
    fs::permissions(to, perms);
  }

  // people.yaml with one more check of `plugin` after the built-in ones, then a template check.
  void AddPluginCheck(const std::string& plugin) const {
    WriteFile(dir_ / "rules" / "people.yaml",
              std::string(kPeopleRules) + "      - " + plugin +
                  ".value: {column: ho_ten}\n"
                  "      - template.not_empty_trimmed: {column: ho_ten}\n");
  }

  CommandResult ScanWithPlugins(const std::string& args = "") const {
    return Scan("--plugin-dir plugins --plugin-dir '" DQA_PLUGIN_BUILD_DIR "' --jobs 2 " + args);
  }

  // Built-in and template checks of people passed; returns the plugin check's {outcome, message}.
  std::pair<std::string, std::string> PluginOutcome(const std::string& plugin) const {
    const auto outcomes = Outcomes();
    const auto& people = outcomes.at("people");
    EXPECT_EQ(people.size(), 5u);
    for (const char* id : {"row_count:cong_dan", "missing:cong_dan.ho_ten",
                           "duplicate:cong_dan.so_cccd", "template.not_empty_trimmed:cong_dan.ho_ten"}) {
      EXPECT_TRUE(people.contains(id)) << id;
      if (people.contains(id)) {
        EXPECT_EQ(people.at(id).first, "pass") << id << " " << people.at(id).second;
      }
    }
    const std::string id = plugin + ".value:cong_dan.ho_ten";
    EXPECT_TRUE(people.contains(id)) << id;
    return people.contains(id) ? people.at(id) : std::pair<std::string, std::string>();
  }
};

TEST_F(PluginIsolationTest, CrashingPluginCostsItsChecksOnlyAfterARetryWithoutIt) {
  const struct {
    const char* plugin;
    const char* cause;
  } cases[] = {
      {"crash_segv", "worker killed by SIGSEGV"},
      {"crash_abort", "worker killed by SIGABRT"},
      {"hang_loop", "timed out after 2 s"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.plugin);
    fs::remove_all(dir_ / "plugins");
    fs::create_directories(dir_ / "plugins");
    UsePlugin(std::string(c.plugin) + ".so");
    AddPluginCheck(c.plugin);
    CommandResult r = ScanWithPlugins("--timeout 2");
    EXPECT_EQ(r.code, 3) << r.err;
    EXPECT_LT(r.seconds, 15);
    const std::string plugin = c.plugin;
    const std::string cause = std::string(c.cause) + " while running check " + plugin +
                              ".value:cong_dan.ho_ten of plugin " + plugin;
    const auto outcome = PluginOutcome(plugin);
    EXPECT_EQ(outcome.first, "error");
    EXPECT_EQ(outcome.second, "plugin " + plugin + " disabled for this source: " + cause);
    ExpectCivilIntact();
    EXPECT_NE(r.err.find("source people: " + cause), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("source people: retrying without plugin " + plugin), std::string::npos)
        << r.err;
    // The retry succeeded: the source itself is not in error.
    const json doc = json::parse(ReadFile(dir_ / "results.json"));
    for (const json& source : doc.at("sources")) EXPECT_TRUE(source.at("error").is_null()) << source;
  }
}

TEST_F(PluginIsolationTest, ThrowingPluginIsAnErrorResultNotACrash) {
  UsePlugin("throws.so");
  AddPluginCheck("throws");
  CommandResult r = ScanWithPlugins();
  EXPECT_EQ(r.code, 3) << r.err;
  const auto outcome = PluginOutcome("throws");
  EXPECT_EQ(outcome.first, "error");
  EXPECT_EQ(outcome.second, "plugin throws failed in check throws.value: boom from the throws plugin");
  EXPECT_EQ(r.err.find("retrying"), std::string::npos) << r.err;  // the worker did not die
  ExpectCivilIntact();
}

// A library the host refuses to load never reaches a worker. Unused, it costs nothing but a warning
// naming the cause; named by a rule, it makes the rule invalid: exit 2 before anything is scanned
// (the host's rule validation, DESIGN.md "Command line").
TEST_F(PluginIsolationTest, UnloadablePluginLibrariesAreNamedAndCostNothingElse) {
  const struct {
    const char* file;
    const char* plugin;  // the name its checks would have
    fs::perms perms;
    const char* warning;
  } cases[] = {
      {"wrong_abi.so", "wrong_abi", fs::perms::owner_all,
       "wrong_abi.so was built for plugin ABI 2.0, this dqaudit speaks ABI 1.0"},
      {"no_entry.so", "no_entry", fs::perms::owner_all,
       "no_entry.so is not a dqaudit plugin: it does not export the entry point dqa_plugin_entry"},
      {"throws.so", "throws", fs::perms::owner_all | fs::perms::group_all,
       "throws.so: it is group-writable (mode 0770)"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.file);
    fs::remove_all(dir_ / "plugins");
    fs::create_directories(dir_ / "plugins");
    UsePlugin(c.file, c.perms);
    WriteFile(dir_ / "rules" / "people.yaml",
              std::string(kPeopleRules) + "      - template.not_empty_trimmed: {column: ho_ten}\n");
    CommandResult unused = ScanWithPlugins();
    EXPECT_EQ(unused.code, 0) << unused.err;
    EXPECT_NE(unused.err.find(c.warning), std::string::npos) << unused.err;
    EXPECT_EQ(Outcomes().at("people").size(), 4u);
    ExpectCivilIntact();

    AddPluginCheck(c.plugin);
    fs::remove(dir_ / "results.json");
    CommandResult named = ScanWithPlugins();
    EXPECT_EQ(named.code, 2) << named.err;
    EXPECT_NE(named.err.find(c.warning), std::string::npos) << named.err;
    EXPECT_NE(named.err.find(std::string("check type '") + c.plugin +
                             ".value' is a plugin check, but no installed plugin provides it"),
              std::string::npos)
        << named.err;
    EXPECT_FALSE(fs::exists(dir_ / "results.json"));
  }
}

// --allow-unsafe-plugins reaches the workers (through the environment): the group-writable plugin
// is loaded in the worker and its exception becomes an error result.
TEST_F(PluginIsolationTest, AllowUnsafePluginsReachesTheWorkers) {
  UsePlugin("throws.so", fs::perms::owner_all | fs::perms::group_all);
  AddPluginCheck("throws");
  CommandResult r = ScanWithPlugins("--allow-unsafe-plugins");
  EXPECT_EQ(r.code, 3) << r.err;
  const auto outcome = PluginOutcome("throws");
  EXPECT_EQ(outcome, std::make_pair(std::string("error"),
                                    std::string("plugin throws failed in check throws.value: "
                                                "boom from the throws plugin")));
}

}  // namespace
}  // namespace dqa
