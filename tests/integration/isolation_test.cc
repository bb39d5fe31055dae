// Worker isolation: the real dqaudit binary scanning each source in a worker process, with workers
// that crash, hang, exit early or send garbage (a test-only fault hook) and misbehaving plugins.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "core/audit/pipeline.h"
#include "core/sources/sqlite_db.h"
#include "core/worker/supervisor.h"
#include "tests/integration/support.h"

extern char** environ;

namespace dqa {
namespace isolation_test {
namespace {

using dqa::test_support::CommandResult;
using dqa::test_support::Count;
using dqa::test_support::ReadFile;
using dqa::test_support::WriteFile;

namespace fs = std::filesystem;
using nlohmann::json;

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

// `text` with the number after each "at byte " replaced by N (stream offsets depend on the
// length of the worker's pid and version in its hello).
std::string WithoutOffsets(std::string text) {
  const std::string mark = "at byte ";
  for (size_t at = text.find(mark); at != std::string::npos; at = text.find(mark, at + 1)) {
    size_t end = at + mark.size();
    while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end]))) ++end;
    text.replace(at + mark.size(), end - at - mark.size(), "N");
  }
  return text;
}

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
    return Run("scan rules --no-history --json results.json " + args, env);
  }

  // Runs `dqaudit <args>` in the test's folder with `env` set; killed after 120 s (exit 137).
  CommandResult Run(const std::string& args, const std::string& env = "") const {
    return test_support::RunDqaudit(dir_, args, env);
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
       "corrupt result stream: bad magic 0x74686973 (expected \"DQAW\") at byte N while "
       "running the built-in checks"},
      {"hang", "timed out after 2 s while running the built-in checks"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.fault);
    CommandResult r = Scan("--timeout 2 --jobs 2",
                           std::string("DQA_WORKER_TEST_FAULT=") + c.fault + "@row_count:cong_dan");
    EXPECT_EQ(r.code, 3) << r.err;
    EXPECT_LT(r.seconds, 15);
    const auto outcomes = Outcomes();
    const auto& people = outcomes.at("people");
    ASSERT_EQ(people.size(), 3u);
    EXPECT_EQ(people.at("row_count:cong_dan").first, "pass");
    for (const char* id : {"missing:cong_dan.ho_ten", "duplicate:cong_dan.so_cccd"}) {
      EXPECT_EQ(people.at(id).first, "error") << id;
      EXPECT_EQ(WithoutOffsets(people.at(id).second), c.cause) << id;
    }
    ExpectCivilIntact();
    EXPECT_NE(WithoutOffsets(r.err).find(std::string("source people: ") + c.cause),
              std::string::npos)
        << r.err;
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
    errors[source.at("source").get<std::string>()] =
        error.is_null() ? "" : error.get<std::string>();
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
      EXPECT_EQ(outcome,
                std::make_pair(std::string("error"), std::string("worker killed by SIGABRT")))
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
  // The fault reserves 512 MiB after row_count:cong_dan: fine under the default 4G, fatal under
  // 256M.
  const std::string fault = "DQA_WORKER_TEST_FAULT=alloc@row_count:cong_dan";
  CommandResult roomy = Scan("", fault);
  EXPECT_EQ(roomy.code, 0) << roomy.err;
  CommandResult tight = Scan("--worker-memory 256M", fault);
  EXPECT_EQ(tight.code, 3) << tight.err;
  const auto people = Outcomes().at("people");
  EXPECT_EQ(people.at("row_count:cong_dan").first, "pass");
  EXPECT_EQ(
      people.at("missing:cong_dan.ho_ten"),
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
  const std::string command =
      "'" DQA_BINARY "' worker </dev/null 3>&- 2>'" + (dir_ / "stderr.txt").string() + "'";
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

// Workers started ahead of their plans (docs/isolation.md "Workers started ahead"): a scan starts
// one per source, up to --jobs, before it reads the rules, and hands each source to one.
TEST_F(IsolationTest, ScanHandsItsSourcesToWorkersStartedAhead) {
  CommandResult r = Scan("--jobs 2 --log-level debug");
  ASSERT_EQ(r.code, 0) << r.err;
  // Two sources, two slots, one core left to the orchestrator: both on 3 cores or more, one on 2.
  const size_t cores = std::max(1u, std::thread::hardware_concurrency());
  EXPECT_EQ(Count(r.err, "started ahead of its plan"),
            std::min<size_t>(2, std::max<size_t>(cores - 1, 1)))
      << r.err;
  const auto outcomes = Outcomes();
  ASSERT_EQ(outcomes.at("people").size(), 3u);
  for (const auto& [id, outcome] : outcomes.at("people")) EXPECT_EQ(outcome.first, "pass") << id;
  ExpectCivilIntact();
  // One slot: one worker started ahead, the other source's started in its turn.
  r = Scan("--jobs 1 --log-level debug");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(Count(r.err, "started ahead of its plan"), 1u) << r.err;
  ExpectCivilIntact();
}

// Small sources wait, then yield the CPU (docs/isolation.md): a source whose database is at most
// 1/64 of one scanned at the same time starts only once that one has sent its first results, and
// then runs at nice 19; scanned alone (--jobs 1), it neither waits nor yields.
TEST_F(IsolationTest, ASmallSourceScannedBesideALargeOneWaitsThenYieldsTheCpu) {
  {
    auto people = SqliteDb::OpenReadWrite((dir_ / "rules" / "people.db").string(), false);
    ASSERT_TRUE(people.ok()) << people.status().message();
    // 20 MB of photos: people.db outgrows civil.db (two pages) 64 times and more, and the scan of
    // ho_so, after cong_dan's results are sent, keeps people's worker busy while civil starts.
    ASSERT_TRUE((*people)
                    ->Exec("CREATE TABLE ho_so (anh BLOB); WITH RECURSIVE n(i) AS (SELECT 1 "
                           "UNION ALL SELECT i + 1 FROM n WHERE i < 10000) INSERT INTO ho_so "
                           "SELECT zeroblob(2000) FROM n")
                    .ok());
  }
  WriteFile(dir_ / "rules" / "people.yaml",
            std::string(kPeopleRules) + "  ho_so:\n    checks:\n      - missing: {columns: [anh]}\n");
  ASSERT_GE(fs::file_size(dir_ / "rules" / "people.db"),
            worker::kYieldRatio * fs::file_size(dir_ / "rules" / "civil.db"));
  CommandResult r = Scan("--jobs 2 --log-level debug");
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string waits =
      "source civil: waits for source people to send its first results before it starts";
  EXPECT_EQ(Count(r.err, waits), 1u) << r.err;
  EXPECT_EQ(Count(r.err, "source civil: starts"), 1u) << r.err;
  EXPECT_EQ(Count(r.err, "yields the CPU"), 1u) << r.err;
  // In that order: it waited, started, and yielded to people, still scanning ho_so (a worker that
  // sent its last result is yielded to no more: civil started before people's end).
  const size_t waited = r.err.find(waits);
  const size_t started = r.err.find("source civil: starts");
  const size_t yielded = r.err.find(" yields the CPU to source people (nice 19)");
  ASSERT_NE(waited, std::string::npos) << r.err;
  ASSERT_NE(yielded, std::string::npos) << r.err;
  EXPECT_LT(waited, started) << r.err;
  EXPECT_LT(started, yielded) << r.err;
  EXPECT_NE(r.err.find("source civil: worker "), std::string::npos) << r.err;
  ExpectCivilIntact();
  EXPECT_EQ(Outcomes().at("people").at("duplicate:cong_dan.so_cccd").first, "pass");
  EXPECT_EQ(Outcomes().at("people").at("missing:ho_so.anh").first, "pass");
  // One at a time: the largest first, the small one alone after it.
  r = Scan("--jobs 1 --log-level debug");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(Count(r.err, "yields the CPU"), 0u) << r.err;
  EXPECT_EQ(Count(r.err, "waits for source"), 0u) << r.err;
  ExpectCivilIntact();
}

TEST(YieldsCpuToTest, OnlyAKnownSizeAtMostOneSixtyFourthOfTheOther) {
  EXPECT_TRUE(worker::YieldsCpuTo(8192, 64 * 8192));
  EXPECT_TRUE(worker::YieldsCpuTo(1, 64));
  EXPECT_FALSE(worker::YieldsCpuTo(8193, 64 * 8192));
  EXPECT_FALSE(worker::YieldsCpuTo(100, 100));
  EXPECT_FALSE(worker::YieldsCpuTo(0, 1 << 20));  // a PostgreSQL source: no file to measure
  EXPECT_FALSE(worker::YieldsCpuTo(8192, 0));
  EXPECT_FALSE(worker::YieldsCpuTo(1 << 20, 8192));
}

TEST_F(IsolationTest, StandbyWorkersNotGivenAPlanExitZeroAndAreReaped) {
  worker::SupervisorOptions options;
  options.executable = DQA_BINARY;
  options.jobs = 3;
  EXPECT_EQ(worker::StandbyWorkersWorthStarting(options, 1), 1);
  EXPECT_LE(worker::StandbyWorkersWorthStarting(options, 5), 3);
  worker::StandbyWorkers standby;
  standby.Start(options, 5);
  EXPECT_EQ(standby.size(), 3u);  // no more than the workers run at once
  const std::vector<int> statuses = standby.Release();
  ASSERT_EQ(statuses.size(), 3u);
  for (const int status : statuses) {
    // Exited by themselves at the end of their stdin (a worker started for a plan that never
    // came exits 1; one that had to be killed shows SIGKILL).
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  }
  EXPECT_EQ(standby.size(), 0u);
  EXPECT_TRUE(standby.Release().empty());
}

// A standby worker inherited the environment of its start: when it changed since (plugin loading
// sets DQAUDIT_ALLOW_UNSAFE_PLUGINS), the sources get workers started then, with the same results.
TEST_F(IsolationTest, StandbyWorkersServeOnlyTheEnvironmentTheyInherited) {
  PrepareOptions prepare;
  prepare.rule_paths = {(dir_ / "rules").string()};
  Result<PreparedAudit> audit = PrepareAudit(prepare);
  ASSERT_TRUE(audit.ok()) << audit.status().message();
  ASSERT_EQ(audit->plans.size(), 2u);
  struct Observer : AuditObserver {
    void OnSourceFinished(const SourceResult&) override {}
  } observer;
  auto outcomes = [](const std::vector<SourceResult>& results) {
    std::map<std::string, std::string> out;
    for (const SourceResult& s : results) {
      EXPECT_EQ(s.error, "") << s.source;
      for (const CheckResult& c : s.results) out[s.source + "/" + c.id] = std::string(ToString(c.outcome));
    }
    return out;
  };
  worker::SupervisorOptions options;
  options.executable = DQA_BINARY;
  options.jobs = 2;
  std::map<std::string, std::string> first;
  {
    worker::StandbyWorkers standby;
    standby.Start(options, 2);
    ASSERT_EQ(standby.size(), 2u);
    options.standby = &standby;
    first = outcomes(worker::RunAuditInWorkers(audit->plans, options, observer));
    EXPECT_EQ(standby.size(), 0u);  // both handed a plan
  }
  EXPECT_EQ(first.size(), 5u);
  EXPECT_EQ(first.at("people/duplicate:cong_dan.so_cccd"), "pass");
  {
    worker::StandbyWorkers standby;
    standby.Start(options, 2);
    options.standby = &standby;
    ASSERT_EQ(::setenv("DQA_STANDBY_TEST", "1", 1), 0);
    const auto second = outcomes(worker::RunAuditInWorkers(audit->plans, options, observer));
    ::unsetenv("DQA_STANDBY_TEST");
    EXPECT_EQ(standby.size(), 2u);  // none used
    EXPECT_EQ(second, first);
    for (const int status : standby.Release()) EXPECT_EQ(status, 0);
  }
}

// Misbehaving plugins (tests/plugins/misbehaving), copied into the test's plugin folder, next to
// the template plugin (found in the build's plugins folder) whose check must survive them.
class PluginIsolationTest : public IsolationTest {
 protected:
  void UsePlugin(const std::string& file,
                 fs::perms perms = fs::perms::owner_all | fs::perms::group_read |
                                   fs::perms::group_exec | fs::perms::others_read |
                                   fs::perms::others_exec) const {
    test_support::InstallPlugin(fs::path(DQA_MISBEHAVING_PLUGIN_DIR) / file, dir_ / "plugins",
                                perms);
  }

  // people.yaml with one more check of `plugin` after the built-in ones, then a template check.
  void AddPluginCheck(const std::string& plugin) const {
    WriteFile(dir_ / "rules" / "people.yaml",
              std::string(kPeopleRules) + "      - " + plugin +
                  ".value: {column: ho_ten}\n"
                  "      - template.not_empty_trimmed: {column: ho_ten}\n");
  }

  CommandResult ScanWithPlugins(const std::string& args = "", const std::string& env = "") const {
    return Scan("--plugin-dir plugins --plugin-dir '" DQA_PLUGIN_BUILD_DIR "' --jobs 2 " + args,
                env);
  }

  // Built-in and template checks of people passed; returns the plugin check's {outcome, message}.
  std::pair<std::string, std::string> PluginOutcome(const std::string& plugin) const {
    const auto outcomes = Outcomes();
    const auto& people = outcomes.at("people");
    EXPECT_EQ(people.size(), 5u);
    for (const char* id :
         {"row_count:cong_dan", "missing:cong_dan.ho_ten", "duplicate:cong_dan.so_cccd",
          "template.not_empty_trimmed:cong_dan.ho_ten"}) {
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
    // --worker-cpu far above --timeout: the spinning plugin meets the wall clock first, always.
    CommandResult r = ScanWithPlugins("--timeout 2 --worker-cpu 600");
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
    for (const json& source : doc.at("sources"))
      EXPECT_TRUE(source.at("error").is_null()) << source;
  }
}

TEST_F(PluginIsolationTest, ThrowingPluginIsAnErrorResultNotACrash) {
  UsePlugin("throws.so");
  AddPluginCheck("throws");
  CommandResult r = ScanWithPlugins();
  EXPECT_EQ(r.code, 3) << r.err;
  const auto outcome = PluginOutcome("throws");
  EXPECT_EQ(outcome.first, "error");
  EXPECT_EQ(outcome.second,
            "plugin throws failed in check throws.value: boom from the throws plugin");
  EXPECT_EQ(r.err.find("retrying"), std::string::npos) << r.err;  // the worker did not die
  ExpectCivilIntact();
}

// A library the host refuses to load never reaches a worker. Unused, it costs nothing but a warning
// naming the cause. Named by a rule, it does not stop the audit: its checks end in error naming the
// library and the cause (exit 3), every other check runs.
TEST_F(PluginIsolationTest, RefusedPluginLibrariesErrorTheirChecksOnly) {
  const struct {
    const char* file;
    const char* plugin;  // the name its checks would have
    fs::perms perms;
    const char* cause;
    bool world_writable_dir = false;
  } cases[] = {
      {"wrong_abi.so", "wrong_abi", fs::perms::owner_all,
       "wrong_abi.so was built for plugin ABI 2.0, this dqaudit speaks ABI 1.4"},
      {"no_entry.so", "no_entry", fs::perms::owner_all,
       "no_entry.so is not a dqaudit plugin: it does not export the entry point dqa_plugin_entry"},
      {"throws.so", "throws", fs::perms::owner_all | fs::perms::group_all,
       "throws.so: it is group-writable (mode 0770)"},
      // A safe file in an unsafe folder; loaded, it would crash the worker on the first row.
      {"crash_abort.so", "crash_abort", fs::perms::owner_all,
       "/plugins is world-writable (mode 0777)", true},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.file);
    fs::remove_all(dir_ / "plugins");
    fs::create_directories(dir_ / "plugins");
    UsePlugin(c.file, c.perms);
    if (c.world_writable_dir) fs::permissions(dir_ / "plugins", fs::perms::all);
    WriteFile(dir_ / "rules" / "people.yaml",
              std::string(kPeopleRules) + "      - template.not_empty_trimmed: {column: ho_ten}\n");
    CommandResult unused = ScanWithPlugins();
    EXPECT_EQ(unused.code, 0) << unused.err;
    EXPECT_NE(unused.err.find(c.cause), std::string::npos) << unused.err;
    EXPECT_EQ(Outcomes().at("people").size(), 4u);
    ExpectCivilIntact();

    AddPluginCheck(c.plugin);
    fs::remove(dir_ / "results.json");
    for (const char* mode : {"", "--in-process"}) {
      SCOPED_TRACE(mode);
      CommandResult named = ScanWithPlugins(mode);
      EXPECT_EQ(named.code, 3) << named.err;
      const std::string library = fs::canonical(dir_ / "plugins" / c.file).string();
      const auto outcome = PluginOutcome(c.plugin);  // the other four checks passed
      EXPECT_EQ(outcome.first, "error");
      EXPECT_EQ(outcome.second.rfind("plugin " + std::string(c.plugin) + " unavailable: ", 0), 0u)
          << outcome.second;
      EXPECT_NE(outcome.second.find(library), std::string::npos) << outcome.second;
      EXPECT_NE(outcome.second.find(c.cause), std::string::npos) << outcome.second;
      ExpectCivilIntact();
      // A rule warning says so before the scan, and the worker never retried anything.
      EXPECT_NE(named.err.find("check '" + std::string(c.plugin) +
                               ".value:cong_dan.ho_ten' will end in error: plugin " + c.plugin +
                               " unavailable: "),
                std::string::npos)
          << named.err;
      EXPECT_EQ(named.err.find("retrying"), std::string::npos) << named.err;
      const json doc = json::parse(ReadFile(dir_ / "results.json"));
      for (const json& source : doc.at("sources")) EXPECT_TRUE(source.at("error").is_null());
    }
  }
}

// No plugin code runs in the orchestrator: a library whose static initialiser crashes or hangs is
// probed in a helper process, reported once (file and cause) and skipped for the run. Unused, it
// costs a warning; named by a rule, its checks end in error (exit 3) and everything else runs, in
// workers and in process. `rules check` and `plugins list` report it and finish. A hang costs one
// probe timeout, once.
TEST_F(PluginIsolationTest, PluginThatMisbehavesWhileLoadingIsQuarantinedForTheRun) {
  constexpr int kProbeTimeout = 4;  // slack for a slow, busy CI machine: the bound is 2 timeouts
  const struct {
    const char* plugin;
    std::string cause;
    bool hangs;
  } cases[] = {
      {"init_segv", "killed by SIGSEGV while loading", false},
      {"init_hang", "did not answer within 4 s while loading (killed)", true},
  };
  const std::string probe = " --plugin-probe-timeout " + std::to_string(kProbeTimeout);
  for (const auto& c : cases) {
    SCOPED_TRACE(c.plugin);
    fs::remove_all(dir_ / "plugins");
    fs::create_directories(dir_ / "plugins");
    UsePlugin(std::string(c.plugin) + ".so");
    const std::string library =
        fs::canonical(dir_ / "plugins" / (std::string(c.plugin) + ".so")).string();
    const std::string report = "plugin " + library + ": " + c.cause;
    // Paid once per command, never per source or per worker: less than two probe timeouts.
    auto expect_bounded = [&](const CommandResult& r) {
      EXPECT_LT(r.seconds, 2 * kProbeTimeout) << r.err;
      if (c.hangs) {
        EXPECT_GE(r.seconds, kProbeTimeout);
      }
      EXPECT_EQ(Count(r.err, "dqaudit: warning: " + report + "\n"), 1u) << r.err;
    };

    WriteFile(dir_ / "rules" / "people.yaml",
              std::string(kPeopleRules) + "      - template.not_empty_trimmed: {column: ho_ten}\n");
    CommandResult unused = ScanWithPlugins(probe);
    EXPECT_EQ(unused.code, 0) << unused.err;
    expect_bounded(unused);
    const auto outcomes = Outcomes();
    EXPECT_EQ(outcomes.at("people").size(), 4u);
    for (const auto& [id, outcome] : outcomes.at("people")) EXPECT_EQ(outcome.first, "pass") << id;
    ExpectCivilIntact();

    AddPluginCheck(c.plugin);
    for (const char* mode : {"", " --in-process"}) {
      SCOPED_TRACE(mode);
      fs::remove(dir_ / "results.json");
      CommandResult named = ScanWithPlugins(probe + mode);
      EXPECT_EQ(named.code, 3) << named.err;
      expect_bounded(named);
      const auto outcome = PluginOutcome(c.plugin);  // the other four checks passed
      EXPECT_EQ(outcome.first, "error");
      EXPECT_EQ(outcome.second, "plugin " + std::string(c.plugin) + " unavailable: " + report);
      ExpectCivilIntact();
      EXPECT_EQ(named.err.find("retrying"), std::string::npos) << named.err;
    }

    CommandResult check = Run("rules check rules --plugin-dir plugins --plugin-dir '" DQA_PLUGIN_BUILD_DIR
                              "'" + probe);
    EXPECT_EQ(check.code, 0) << check.err;
    EXPECT_EQ(check.out, "OK: 2 sources, 7 checks\n");
    expect_bounded(check);
    EXPECT_NE(check.err.find("check '" + std::string(c.plugin) +
                             ".value:cong_dan.ho_ten' will end in error: plugin " + c.plugin +
                             " unavailable: " + report),
              std::string::npos)
        << check.err;

    CommandResult list = Run("plugins list --plugin-dir plugins" + probe);
    EXPECT_EQ(list.code, 0) << list.err;
    expect_bounded(list);
    EXPECT_NE(list.out.find("Not loaded:\n  " + library + "\n    " + report + "\n"),
              std::string::npos)
        << list.out;
    EXPECT_NE(list.out.find("template "), std::string::npos) << list.out;  // the others are listed
  }
}

// A plugin that prints from its static initialiser: the text goes to stderr (the probe's and the
// worker's stdout are dqaudit's stderr), never into dqaudit's stdout; the plugin works.
TEST_F(PluginIsolationTest, NoisyPluginInitialiserNeverWritesToStdout) {
  const std::string noise = "NOISY PLUGIN TEXT ON STDOUT";
  UsePlugin("init_noisy.so");
  AddPluginCheck("init_noisy");
  CommandResult scan = ScanWithPlugins();
  EXPECT_EQ(scan.code, 0) << scan.err;
  EXPECT_EQ(PluginOutcome("init_noisy").first, "pass");
  ExpectCivilIntact();
  EXPECT_EQ(scan.out.find(noise), std::string::npos) << scan.out;
  EXPECT_NE(scan.err.find(noise), std::string::npos) << scan.err;  // it did run, in the helpers

  CommandResult list = Run("plugins list --plugin-dir plugins");
  EXPECT_EQ(list.code, 0) << list.err;
  EXPECT_EQ(list.out.find(noise), std::string::npos) << list.out;
  EXPECT_EQ(list.out.rfind("init_noisy 1.0.0\n", 0), 0u) << list.out;
  CommandResult info = Run("plugins info init_noisy --plugin-dir plugins");
  EXPECT_EQ(info.code, 0) << info.err;
  EXPECT_EQ(info.out.rfind("init_noisy 1.0.0: Test plugin that misbehaves: init_noisy\n", 0), 0u)
      << info.out;
  CommandResult check = Run("rules check rules --plugin-dir plugins");
  EXPECT_EQ(check.code, 0) << check.err;
  EXPECT_EQ(check.out, "OK: 2 sources, 7 checks\n");
}

// plugins.allow beside the plugin libraries: an allowlisted library loads; a modified one (its
// hash differs) and any library when the allowlist is malformed are refused before any of their
// code runs (the noisy initialiser never prints), and their checks end in error.
TEST_F(PluginIsolationTest, PluginAllowlistAdmitsOnlyListedLibraries) {
  const std::string noise = "NOISY PLUGIN TEXT ON STDOUT";
  UsePlugin("init_noisy.so");
  AddPluginCheck("init_noisy");
  const fs::path library = fs::canonical(dir_ / "plugins" / "init_noisy.so");
  const fs::path allow = fs::canonical(dir_ / "plugins") / "plugins.allow";
  const std::string hash = test_support::Sha256(library);
  ASSERT_EQ(hash.size(), 64u);
  WriteFile(allow, "# plugins trusted by the committee\n" + hash + "  init_noisy.so\n");
  fs::permissions(allow, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                             fs::perms::others_read);

  CommandResult allowed = ScanWithPlugins();
  EXPECT_EQ(allowed.code, 0) << allowed.err;
  EXPECT_EQ(PluginOutcome("init_noisy").first, "pass");

  {  // One byte more: still a loadable library, but not the one the allowlist names.
    std::ofstream out(library, std::ios::app | std::ios::binary);
    out << '\0';
  }
  const std::string modified = test_support::Sha256(library);
  ASSERT_NE(modified, hash);
  const struct {
    std::string allowlist;
    std::string cause;
  } cases[] = {
      {hash + "  init_noisy.so\n",
       "refusing to load plugin " + library.string() + ": its SHA-256 " + modified +
           " is not listed in " + allow.string() + " (if you trust this library, add the line '" +
           modified + "  init_noisy.so')"},
      {modified + " init_noisy.so\n",
       "refusing to load plugin " + library.string() + ": its allowlist is malformed: " +
           allow.string() +
           ":1: expected '<SHA-256 as 64 hex digits>  <file name>' (the output of sha256sum), got '" +
           modified + " init_noisy.so'"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.allowlist);
    WriteFile(allow, c.allowlist);
    CommandResult refused = ScanWithPlugins();
    EXPECT_EQ(refused.code, 3) << refused.err;
    const auto outcome = PluginOutcome("init_noisy");
    EXPECT_EQ(outcome.first, "error");
    EXPECT_EQ(outcome.second, "plugin init_noisy unavailable: " + c.cause);
    EXPECT_EQ(Count(refused.err, c.cause), 2u) << refused.err;  // the warning and the rule warning
    EXPECT_EQ(refused.err.find(noise), std::string::npos) << refused.err;  // never probed
    ExpectCivilIntact();
  }
}

// What stays a rule error (exit 2, nothing scanned): a plugin that is not installed at all, and
// wrong parameters of a loaded plugin. Both name what is installed.
TEST_F(PluginIsolationTest, MissingPluginsAndWrongParametersStayRuleErrors) {
  UsePlugin("wrong_abi.so");  // refused, but it is not the plugin the rule names
  const struct {
    const char* check;
    const char* message;
  } cases[] = {
      {"      - not_installed.value: {column: ho_ten}\n",
       "check type 'not_installed.value' is a plugin check, but no installed plugin provides it "
       "(installed plugin checks: "},
      {"      - template.not_empty_trimmed: {colum: ho_ten}\n",
       "unknown key 'colum' in check 'template.not_empty_trimmed'; did you mean 'column'?"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.check);
    WriteFile(dir_ / "rules" / "people.yaml", std::string(kPeopleRules) + c.check);
    fs::remove(dir_ / "results.json");
    CommandResult r = ScanWithPlugins();
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir_ / "results.json"));
  }
  // The list names the installed plugins' checks, e.g. the template's.
  WriteFile(dir_ / "rules" / "people.yaml", std::string(kPeopleRules) + cases[0].check);
  CommandResult r = ScanWithPlugins();
  EXPECT_NE(r.err.find("template.not_empty_trimmed"), std::string::npos) << r.err;
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

// A second table, lien_lac, for the one-pass tests: two untrimmed names, one bad phone number.
class OnePassTest : public PluginIsolationTest {
 protected:
  void SetUp() override {
    PluginIsolationTest::SetUp();
    auto people = SqliteDb::OpenReadWrite((dir_ / "rules" / "people.db").string(), false);
    ASSERT_TRUE(people.ok()) << people.status().message();
    ASSERT_TRUE((*people)
                    ->Exec(R"sql(
CREATE TABLE lien_lac (id INTEGER PRIMARY KEY, ten TEXT, so_dt TEXT);
INSERT INTO lien_lac VALUES (1, 'An', '0912345678'), (2, ' Bình', '12345'),
  (3, 'Cường ', '0987654321');
)sql")
                    .ok());
  }

  // Two plugins (template, population) and built-in checks on both tables; `extra` is added to
  // lien_lac's checks.
  void WriteRules(const std::string& extra = "") const {
    WriteFile(dir_ / "rules" / "people.yaml",
              std::string(kPeopleRules) +
                  "      - template.not_empty_trimmed: {column: ho_ten}\n"
                  "  lien_lac:\n"
                  "    key: [id]\n"
                  "    checks:\n"
                  "      - template.not_empty_trimmed: {column: ten}\n"
                  "      - missing: {columns: [so_dt]}\n"
                  "      - population.phone: {column: so_dt}\n" +
                  extra);
  }

  // source people's check id -> {outcome, violations, rows_checked}.
  std::map<std::string, std::tuple<std::string, int64_t, int64_t>> PeopleCounts() const {
    std::map<std::string, std::tuple<std::string, int64_t, int64_t>> out;
    const json doc = json::parse(ReadFile(dir_ / "results.json"));
    for (const json& r : doc.at("results")) {
      if (r.at("source") != "people") continue;
      out[r.at("id").get<std::string>()] = {r.at("outcome").get<std::string>(),
                                            r.at("violations").get<int64_t>(),
                                            r.at("rows_checked").get<int64_t>()};
    }
    return out;
  }

  // `plugin`, whose check on lien_lac.ten killed people's first worker with `cause`, was blamed:
  // cong_dan's results were kept, the retry scanned lien_lac alone without it, and every other
  // check has its exact result.
  void ExpectRetriedWithout(const CommandResult& r, const std::string& plugin,
                            const std::string& cause) const {
    EXPECT_NE(r.err.find("source people: " + cause), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("source people: retrying without plugin " + plugin), std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("source people: worker attempt 2 used 1 snapshot(s) and 1 fused table "
                         "pass(es)"),
              std::string::npos)
        << r.err;
    auto expected = Expected();
    expected[plugin + ".value:lien_lac.ten"] = {"error", 0, 0};
    EXPECT_EQ(PeopleCounts(), expected);
    EXPECT_EQ(Outcomes().at("people").at(plugin + ".value:lien_lac.ten").second,
              "plugin " + plugin + " disabled for this source: " + cause);
    ExpectCivilIntact();
    const json doc = json::parse(ReadFile(dir_ / "results.json"));
    for (const json& source : doc.at("sources")) {
      EXPECT_TRUE(source.at("error").is_null()) << source;
    }
  }

  // The exact results of every check but crash_segv's.
  static std::map<std::string, std::tuple<std::string, int64_t, int64_t>> Expected() {
    return {
        {"row_count:cong_dan", {"pass", 0, 3}},
        {"missing:cong_dan.ho_ten", {"pass", 0, 3}},
        {"duplicate:cong_dan.so_cccd", {"pass", 0, 3}},
        {"template.not_empty_trimmed:cong_dan.ho_ten", {"pass", 0, 3}},
        {"template.not_empty_trimmed:lien_lac.ten", {"fail", 2, 3}},
        {"missing:lien_lac.so_dt", {"pass", 0, 3}},
        {"population.phone:lien_lac.so_dt", {"fail", 1, 3}},
    };
  }
};

// The worker scans the whole source in one ScanSource: one snapshot, one fused pass per table,
// whatever the number of plugins (the supervisor reads the counters from the activity page).
TEST_F(OnePassTest, TwoPluginsAndBuiltinsShareOneSnapshotAndOnePassPerTable) {
  WriteRules();
  CommandResult r = ScanWithPlugins("--log-level debug");
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("source people: worker attempt 1 used 1 snapshot(s) and 2 fused table "
                       "pass(es)"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("source civil: worker attempt 1 used 1 snapshot(s) and 1 fused table "
                       "pass(es)"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(PeopleCounts(), Expected());
  const auto via_workers = Outcomes();
  CommandResult in_process = ScanWithPlugins("--in-process");
  EXPECT_EQ(in_process.code, 1) << in_process.err;
  EXPECT_EQ(Outcomes(), via_workers);
}

// crash_segv is the third plugin library of the source (after template and population) and its
// check runs in lien_lac's fused pass next to the other two plugins' checks: the page, not the
// order of checks, names it. cong_dan's results were sent before the crash and are kept; the retry
// scans lien_lac alone without crash_segv and every other check gets its exact result.
TEST_F(OnePassTest, ActivityPageBlamesTheRunningPluginAndTheRetryIsExact) {
  UsePlugin("crash_segv.so");
  WriteRules("      - crash_segv.value: {column: ten}\n");
  CommandResult r = ScanWithPlugins("--log-level debug");
  EXPECT_EQ(r.code, 3) << r.err;
  const std::string cause =
      "worker killed by SIGSEGV while running check crash_segv.value:lien_lac.ten of plugin "
      "crash_segv";
  EXPECT_NE(r.err.find("source people: worker attempt 1 used 1 snapshot(s) and 2 fused table "
                       "pass(es)"),
            std::string::npos)
      << r.err;
  ExpectRetriedWithout(r, "crash_segv", cause);
}

// A death in core code with plugins in the plan: no plugin to blame, so no retry; the checks
// without a result get the cause.
TEST_F(OnePassTest, DeathInCoreCodeIsNotRetriedEvenWithPlugins) {
  WriteRules();
  CommandResult r = ScanWithPlugins("", "DQA_WORKER_TEST_FAULT=abort@row_count:cong_dan");
  EXPECT_EQ(r.code, 3) << r.err;
  EXPECT_EQ(r.err.find("retrying"), std::string::npos) << r.err;
  const auto people = Outcomes().at("people");
  ASSERT_EQ(people.size(), 7u);
  EXPECT_EQ(people.at("row_count:cong_dan").first, "pass");
  for (const auto& [id, outcome] : people) {
    if (id == "row_count:cong_dan") continue;
    EXPECT_EQ(outcome, std::make_pair(std::string("error"),
                                      std::string("worker killed by SIGABRT while running the "
                                                  "built-in checks")))
        << id;
  }
  ExpectCivilIntact();
}

// A plugin that writes to fd 3, where a worker's result stream would be (garbage, or the start of
// a frame that looks valid), writes into the worker's stream trap: the worker ends at the boundary
// of that plugin's call, the page names the plugin and its check although two other plugins'
// checks run in the same fused pass, cong_dan's results (sent before) are kept, and the retry
// scans lien_lac alone without the plugin: every other check gets its exact result.
TEST_F(OnePassTest, WritesOnTheResultStreamAreBlamedOnThePluginThatWroteThem) {
  const struct {
    const char* plugin;
    int bytes;  // what the plugin writes
  } cases[] = {{"garbage_fd3", 36}, {"partial_frame", 30}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.plugin);
    const std::string plugin = c.plugin;
    UsePlugin(plugin + ".so");
    WriteRules("      - " + plugin + ".value: {column: ten}\n");
    CommandResult r = ScanWithPlugins("--log-level debug");
    EXPECT_EQ(r.code, 3) << r.err;
    const std::string cause = fmt::format(
        "corrupt result stream: {} bytes written to fd 3 by plugin code while running check "
        "{}.value:lien_lac.ten of plugin {}",
        c.bytes, plugin, plugin);
    ExpectRetriedWithout(r, plugin, cause);
  }
}

// Eight tiny sources that all use one plugin check next to two built-in ones.
class QuarantineTest : public PluginIsolationTest {
 protected:
  static constexpr int kSources = 8;

  void WriteSources(const std::string& plugin) const {
    fs::remove(dir_ / "rules" / "people.yaml");
    fs::remove(dir_ / "rules" / "civil.yaml");
    for (int i = 0; i < kSources; ++i) {
      const std::string id = "s" + std::to_string(i);
      auto db = SqliteDb::OpenReadWrite((dir_ / "rules" / (id + ".db")).string(), true);
      ASSERT_TRUE(db.ok()) << db.status().message();
      ASSERT_TRUE((*db)->Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);"
                              "INSERT INTO t VALUES (1, 'a'), (2, NULL), (3, 'c');")
                      .ok());
      WriteFile(dir_ / "rules" / (id + ".yaml"),
                "source: " + id + "\ndepartment: \"Sở " + std::to_string(i) +
                    "\"\ndatabase: sqlite:" + id +
                    ".db\ntoday: 2026-11-01\ntables:\n  t:\n    key: [id]\n    checks:\n"
                    "      - row_count: {min: 2}\n      - missing: {columns: [v]}\n      - " +
                    plugin + ".value: {column: v}\n");
    }
  }

  CommandResult ScanMany(const std::string& args) const {
    return Scan("--plugin-dir plugins --log-level debug " + args);
  }

  // Every source's built-in checks got their exact results; returns source -> the plugin
  // check's message (its outcome must be error).
  std::map<std::string, std::string> PluginMessages(const std::string& plugin) const {
    std::map<std::string, std::string> messages;
    const json doc = json::parse(ReadFile(dir_ / "results.json"));
    std::map<std::string, int> checks;
    for (const json& r : doc.at("results")) {
      const std::string source = r.at("source").get<std::string>();
      const std::string id = r.at("id").get<std::string>();
      const auto counts = std::make_tuple(r.at("outcome").get<std::string>(),
                                          r.at("violations").get<int64_t>(),
                                          r.at("rows_checked").get<int64_t>());
      ++checks[source];
      if (id == "row_count:t") {
        EXPECT_EQ(counts, std::make_tuple(std::string("pass"), int64_t{0}, int64_t{3})) << source;
      } else if (id == "missing:t.v") {
        EXPECT_EQ(counts, std::make_tuple(std::string("fail"), int64_t{1}, int64_t{3})) << source;
      } else {
        EXPECT_EQ(id, plugin + ".value:t.v") << source;
        EXPECT_EQ(std::get<0>(counts), "error") << source;
        messages[source] = r.at("message").get<std::string>();
      }
    }
    EXPECT_EQ(checks.size(), static_cast<size_t>(kSources));
    for (const auto& [source, n] : checks) EXPECT_EQ(n, 3) << source;
    return messages;
  }
};

// A hanging plugin used by every source costs one timeout per parallel job, not one per source:
// the two sources that ran it at once time out and are retried without it; after that it is
// quarantined and the six others never start it.
TEST_F(QuarantineTest, HangingPluginIsPaidForOncePerJobNotOncePerSource) {
  UsePlugin("hang_loop.so");
  WriteSources("hang_loop");
  CommandResult r = ScanMany("--timeout 4 --worker-cpu 600 --jobs 2");
  EXPECT_EQ(r.code, 3) << r.err;
  EXPECT_LT(r.seconds, 10) << r.err;  // 8 timeouts in 2 jobs would take 16 s
  EXPECT_EQ(Count(r.err, "timed out after 4 s"), 2u) << r.err;
  EXPECT_EQ(Count(r.err, "retrying without plugin hang_loop"), 2u) << r.err;
  EXPECT_EQ(Count(r.err, "plugin hang_loop quarantined after"), 1u) << r.err;
  const auto messages = PluginMessages("hang_loop");
  ASSERT_EQ(messages.size(), static_cast<size_t>(kSources));
  // s0 and s1 ran it; the quarantine names the one whose failure was handled first.
  std::string first;
  for (const char* s : {"s0", "s1"}) {
    EXPECT_EQ(messages.at(s), "plugin hang_loop disabled for this source: timed out after 4 s "
                              "while running check hang_loop.value:t.v of plugin hang_loop");
    if (r.err.find(std::string("hang_loop quarantined after it timed out (4 s) on source ") + s) !=
        std::string::npos) {
      first = s;
    }
  }
  ASSERT_FALSE(first.empty()) << r.err;
  for (int i = 2; i < kSources; ++i) {
    EXPECT_EQ(messages.at("s" + std::to_string(i)),
              "plugin hang_loop disabled for this source: quarantined after it timed out (4 s) on "
              "source " + first + " in check hang_loop.value:t.v");
  }
  const json doc = json::parse(ReadFile(dir_ / "results.json"));
  for (const json& source : doc.at("sources")) EXPECT_TRUE(source.at("error").is_null()) << source;
}

// One job: exactly one crash is paid, in the first source; every later source has the plugin
// disabled from its first attempt on (one attempt each, no retry).
TEST_F(QuarantineTest, CrashingPluginCrashesOnlyOnce) {
  UsePlugin("crash_segv.so");
  WriteSources("crash_segv");
  CommandResult r = ScanMany("--jobs 1");
  EXPECT_EQ(r.code, 3) << r.err;
  EXPECT_EQ(Count(r.err, "worker killed by SIGSEGV"), 1u) << r.err;
  EXPECT_EQ(Count(r.err, "retrying without plugin"), 1u) << r.err;
  EXPECT_EQ(Count(r.err, "worker attempt 2 used"), 1u) << r.err;
  EXPECT_NE(r.err.find("source s0: worker attempt 2 used"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("plugin crash_segv quarantined after it crashed (SIGSEGV) on source s0 in "
                       "check crash_segv.value:t.v: not run again in this run"),
            std::string::npos)
      << r.err;
  const auto messages = PluginMessages("crash_segv");
  ASSERT_EQ(messages.size(), static_cast<size_t>(kSources));
  EXPECT_EQ(messages.at("s0"),
            "plugin crash_segv disabled for this source: worker killed by SIGSEGV while running "
            "check crash_segv.value:t.v of plugin crash_segv");
  for (int i = 1; i < kSources; ++i) {
    EXPECT_EQ(messages.at("s" + std::to_string(i)),
              "plugin crash_segv disabled for this source: quarantined after it crashed (SIGSEGV) "
              "on source s0 in check crash_segv.value:t.v");
  }
}

// RLIMIT_CPU is its own limit (--worker-cpu): a plugin that burns CPU is killed by SIGXCPU long
// before the wall-clock timeout, and the outcome names the limit and the plugin.
TEST_F(PluginIsolationTest, CpuLimitKillsABusyPlugin) {
  UsePlugin("hang_loop.so");
  AddPluginCheck("hang_loop");
  CommandResult r = ScanWithPlugins("--timeout 600 --worker-cpu 1");
  EXPECT_EQ(r.code, 3) << r.err;
  const std::string cause =
      "worker killed by SIGXCPU (CPU time limit of 1 s exceeded) while running check "
      "hang_loop.value:cong_dan.ho_ten of plugin hang_loop";
  const auto outcome = PluginOutcome("hang_loop");
  EXPECT_EQ(outcome, std::make_pair(std::string("error"),
                                    "plugin hang_loop disabled for this source: " + cause));
  EXPECT_NE(r.err.find("source people: " + cause), std::string::npos) << r.err;
  ExpectCivilIntact();
}

// pids of the processes whose parent is `parent` (from /proc/<pid>/stat).
std::vector<pid_t> ChildrenOf(pid_t parent) {
  std::vector<pid_t> out;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || !std::isdigit(static_cast<unsigned char>(name[0]))) continue;
    const std::string stat = ReadFile(entry.path() / "stat");
    const size_t paren = stat.rfind(')');
    if (paren == std::string::npos) continue;
    std::istringstream rest(stat.substr(paren + 2));
    char state = 0;
    pid_t ppid = 0;
    rest >> state >> ppid;
    if (ppid == parent) out.push_back(static_cast<pid_t>(std::stoi(name)));
  }
  return out;
}

// User CPU time of a process in clock ticks (/proc/<pid>/stat field 14); -1 when it is gone.
long UserTicks(pid_t pid) {
  const std::string stat = ReadFile(fs::path("/proc") / std::to_string(pid) / "stat");
  const size_t paren = stat.rfind(')');
  if (paren == std::string::npos) return -1;
  std::istringstream rest(stat.substr(paren + 2));
  std::string field;
  for (int i = 0; i < 11; ++i) rest >> field;  // state .. cmajflt
  long utime = -1;
  rest >> utime;
  return utime;
}

// The worker dies with dqaudit: SIGKILL the orchestrator while its worker spins in a plugin, and
// the worker (re-parented to this test, a child subreaper) is killed by PR_SET_PDEATHSIG.
TEST_F(PluginIsolationTest, WorkerDiesWithItsParent) {
  UsePlugin("hang_loop.so");
  AddPluginCheck("hang_loop");
  ASSERT_EQ(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
  const std::string command = "cd '" + dir_.string() +
                              "' && exec '" DQA_BINARY
                              "' scan rules --no-history --timeout 600 --jobs 1 --plugin-dir "
                              "plugins --plugin-dir '" DQA_PLUGIN_BUILD_DIR
                              "' >stdout.txt 2>stderr.txt";
  const char* argv[] = {"sh", "-c", command.c_str(), nullptr};
  pid_t dqaudit = -1;
  ASSERT_EQ(posix_spawn(&dqaudit, "/bin/sh", nullptr, nullptr, const_cast<char**>(argv), environ),
            0);
  // Wait (bounded) for the worker of `people` (jobs 1: one source at a time; people's worker
  // spins forever, before or after civil's finished).
  pid_t worker = -1;
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (worker < 0 && std::chrono::steady_clock::now() < give_up) {
    for (pid_t child : ChildrenOf(dqaudit)) {
      // A worker names itself after its source once it has its plan (it may have been started
      // ahead of it, without --source on its command line).
      const std::string comm = ReadFile(fs::path("/proc") / std::to_string(child) / "comm");
      if (comm == "dqa people\n") worker = child;
    }
    if (worker < 0) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_GT(worker, 0) << ReadFile(dir_ / "stderr.txt");
  // Then until it has spent CPU time, i.e. spins in the plugin: long past PR_SET_PDEATHSIG (killed
  // before that, the worker would see a foreign parent and exit 1 instead, by design).
  while (UserTicks(worker) < 10 && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_GE(UserTicks(worker), 10);
  ASSERT_EQ(kill(dqaudit, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(waitpid(dqaudit, &status, 0), dqaudit);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  // The orphaned worker is now our child: reap it, or give up after a bounded wait and kill it.
  pid_t reaped = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (reaped == 0 && std::chrono::steady_clock::now() < deadline) {
    reaped = waitpid(worker, &status, WNOHANG);
    if (reaped == 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (reaped == 0) {
    kill(worker, SIGKILL);
    waitpid(worker, &status, 0);
  }
  prctl(PR_SET_CHILD_SUBREAPER, 0);
  ASSERT_EQ(reaped, worker) << "the worker outlived dqaudit";
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
}

// `history show` prints the plugin metrics recorded with a run (schema v2 reads them back).
TEST_F(PluginIsolationTest, HistoryShowPrintsPluginMetrics) {
  WriteFile(
      dir_ / "rules" / "people.yaml",
      std::string(kPeopleRules) +
          "      - template.distinct_at_least: {id: ten_khac_nhau, column: ho_ten, min: 2}\n");
  const std::string run = "cd '" + dir_.string() + "' && NO_COLOR=1 '" DQA_BINARY "' ";
  ASSERT_EQ(std::system((run + "scan rules --history audit.db --plugin-dir '" DQA_PLUGIN_BUILD_DIR
                               "' >scan.txt 2>scan_err.txt")
                            .c_str()),
            0)
      << ReadFile(dir_ / "scan_err.txt");
  ASSERT_EQ(
      std::system((run + "history show 1 --history audit.db >show.txt 2>show_err.txt").c_str()), 0)
      << ReadFile(dir_ / "show_err.txt");
  const std::string show = ReadFile(dir_ / "show.txt");
  const size_t check = show.find("ten_khac_nhau");
  ASSERT_NE(check, std::string::npos) << show;
  const size_t next_line = show.find('\n', check) + 1;
  EXPECT_EQ(show.substr(next_line, show.find('\n', next_line) - next_line),
            "          metrics: distinct_values=3")
      << show;
  // Only plugin checks carry metrics.
  EXPECT_EQ(show.find("metrics:"), show.rfind("metrics:")) << show;
  // The scan's own summary shows the same line.
  EXPECT_NE(ReadFile(dir_ / "scan.txt").find("          metrics: distinct_values=3\n"),
            std::string::npos);
}

// A plugin check whose sector differs from the source's `sector:` is a warning, not an error.
TEST_F(PluginIsolationTest, SectorMismatchIsARuleWarning) {
  std::string rules = kPeopleRules;
  rules.replace(rules.find("database:"), 0, "sector: population\n");
  WriteFile(dir_ / "rules" / "people.yaml",
            rules +
                "      - template.not_empty_trimmed: {column: ho_ten}\n"
                "      - population.phone: {column: so_cccd, severity: warn}\n");
  const std::string warning =
      "people.yaml:13:9: check 'template.not_empty_trimmed:cong_dan.ho_ten' comes from a plugin "
      "of sector 'template', but source 'people' belongs to sector 'population'";
  const std::string command = "cd '" + dir_.string() +
                              "' && NO_COLOR=1 '" DQA_BINARY
                              "' rules check rules --plugin-dir '" DQA_PLUGIN_BUILD_DIR
                              "' >stdout.txt 2>stderr.txt";
  const int status = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  const std::string err = ReadFile(dir_ / "stderr.txt");
  EXPECT_NE(err.find(warning), std::string::npos) << err;
  EXPECT_EQ(err.find("population.phone:cong_dan.so_cccd' comes from"), std::string::npos) << err;
  CommandResult scan = ScanWithPlugins();
  EXPECT_NE(scan.err.find(warning), std::string::npos) << scan.err;
  EXPECT_EQ(Outcomes().at("people").at("template.not_empty_trimmed:cong_dan.ho_ten").first, "pass");
}

}  // namespace
}  // namespace isolation_test
}  // namespace dqa
