// Where dqaudit writes: never over one of the run's inputs (rule files, databases, the history
// store), never into a SQLite file that is not its store, and every output whole or not at all
// (a full disk, simulated with RLIMIT_FSIZE, or a kill leaves the old file and no temporary).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "core/sources/sqlite_db.h"
#include "tests/integration/support.h"

namespace dqa {
namespace output_safety_test {
namespace {

using test_support::ReadFile;
using test_support::Sha256;

namespace fs = std::filesystem;

struct CommandResult {
  int code = -1;
  std::string err;
};

// One source, one failing check (ho_ten is missing once): a scan exits 1.
constexpr const char* kPeopleRules =
    "source: people\ndepartment: \"Công an tỉnh\"\ndatabase: sqlite:people.db\n"
    "today: 2026-11-01\ntables:\n  cong_dan:\n    key: [id]\n    checks:\n"
    "      - missing: {columns: [ho_ten]}\n";

// Starts `sh -c "exec dqaudit <args>"` in `dir` with stdout to /dev/null and stderr to a pipe;
// with `max_file_bytes` > 0 under RLIMIT_FSIZE with SIGXFSZ ignored, so that a write past the
// limit fails with EFBIG as on a full disk. Returns the pid and the pipe's read end.
std::pair<pid_t, int> Start(const fs::path& dir, const std::string& args, rlim_t max_file_bytes) {
  int fds[2];
  if (pipe(fds) != 0) return {-1, -1};
  const std::string command = "exec '" DQA_BINARY "' " + args;
  const pid_t pid = fork();
  if (pid == 0) {
    if (chdir(dir.c_str()) != 0) _exit(126);
    dup2(fds[1], STDERR_FILENO);
    close(fds[0]);
    close(fds[1]);
    if (freopen("/dev/null", "w", stdout) == nullptr) _exit(126);
    if (max_file_bytes > 0) {
      signal(SIGXFSZ, SIG_IGN);
      const rlimit limit{max_file_bytes, max_file_bytes};
      setrlimit(RLIMIT_FSIZE, &limit);
    }
    setenv("NO_COLOR", "1", 1);
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(fds[1]);
  return {pid, fds[0]};
}

// Reads the pipe to its end, then waits for the process.
CommandResult Finish(pid_t pid, int err_fd) {
  CommandResult r;
  char buf[4096];
  for (ssize_t n; (n = read(err_fd, buf, sizeof buf)) > 0;) r.err.append(buf, n);
  close(err_fd);
  int status = 0;
  waitpid(pid, &status, 0);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

class OutputSafetyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::path(DQA_WORK_DIR) / "output_safety" / info->name();
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "rules");
    MakeDatabase("rules/people.db", R"sql(
CREATE TABLE cong_dan (id INTEGER PRIMARY KEY, ho_ten TEXT);
INSERT INTO cong_dan VALUES (1, 'Nguyễn Văn An'), (2, 'Trần Thị Bình'), (3, NULL), (4, 'Lê Dung');
)sql");
    std::ofstream(dir_ / "rules" / "people.yaml") << kPeopleRules;
    db_sha_ = Sha256(dir_ / "rules" / "people.db");
    rules_sha_ = Sha256(dir_ / "rules" / "people.yaml");
  }

  void MakeDatabase(const std::string& name, const std::string& sql) const {
    auto db = SqliteDb::OpenReadWrite((dir_ / name).string(), true);
    ASSERT_TRUE(db.ok()) << db.status().message();
    ASSERT_TRUE((*db)->Exec(sql).ok()) << sql;
  }

  CommandResult Run(const std::string& args, rlim_t max_file_bytes = 0) const {
    auto [pid, fd] = Start(dir_, args, max_file_bytes);
    return Finish(pid, fd);
  }

  // The inputs are byte for byte as before and no SQLite companion file appeared beside them.
  void ExpectInputsUntouched() const {
    EXPECT_EQ(Sha256(dir_ / "rules" / "people.db"), db_sha_);
    EXPECT_EQ(Sha256(dir_ / "rules" / "people.yaml"), rules_sha_);
    for (const char* suffix : {"-wal", "-shm", "-journal"}) {
      EXPECT_FALSE(fs::exists(dir_ / "rules" / ("people.db" + std::string(suffix)))) << suffix;
    }
  }

  // Names in `folder` (relative to the test's folder), sorted.
  std::vector<std::string> Listing(const std::string& folder) const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir_ / folder)) {
      names.push_back(e.path().filename());
    }
    std::sort(names.begin(), names.end());
    return names;
  }

  fs::path dir_;
  std::string db_sha_;
  std::string rules_sha_;
};

constexpr const char* kRefusal = "; refusing to overwrite an input\n";

TEST_F(OutputSafetyTest, ScanRefusesJsonThatIsASourceDatabaseBeforeScanning) {
  const CommandResult r = Run("scan rules --json rules/people.db");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, std::string("--json rules/people.db is the database of source people "
                               "(rules/people.db)") +
                       kRefusal);
  ExpectInputsUntouched();
  EXPECT_FALSE(fs::exists(dir_ / "audit.db"));  // refused before the store was opened
}

TEST_F(OutputSafetyTest, ScanRefusesOutputsThatAreInputsUnderAnyName) {
  fs::create_symlink("rules/people.db", dir_ / "link.db");
  fs::create_hard_link(dir_ / "rules" / "people.db", dir_ / "hard.yaml");
  fs::create_hard_link(dir_ / "rules" / "people.yaml", dir_ / "hard-rules.json");
  const struct {
    const char* args;
    const char* message;
  } cases[] = {
      {"--history rules/people.yaml",
       "--history rules/people.yaml is the rule file of source people (rules/people.yaml)"},
      {"--history rules/people.db",
       "--history rules/people.db is the database of source people (rules/people.db)"},
      {"--json link.db", "--json link.db is the database of source people (rules/people.db)"},
      {"--json hard.yaml", "--json hard.yaml is the database of source people (rules/people.db)"},
      {"--json hard-rules.json",
       "--json hard-rules.json is the rule file of source people (rules/people.yaml)"},
      {"--json rules/people.db-wal",
       "--json rules/people.db-wal is the -wal file of the database of source people "
       "(rules/people.db-wal)"},
      {"--json rules/./people.db-journal",
       "--json rules/./people.db-journal is the -journal file of the database of source people "
       "(rules/people.db-journal)"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.args);
    const CommandResult r = Run(std::string("scan rules ") + c.args);
    EXPECT_EQ(r.code, 2);
    EXPECT_EQ(r.err, std::string(c.message) + kRefusal);
    ExpectInputsUntouched();
    EXPECT_FALSE(fs::exists(dir_ / "audit.db"));
  }
}

TEST_F(OutputSafetyTest, ScanRefusesJsonThatIsTheHistoryStore) {
  ASSERT_EQ(Run("scan rules -q").code, 1);  // ho_ten is missing once
  const std::string store_sha = Sha256(dir_ / "audit.db");
  CommandResult r = Run("scan rules --json audit.db");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, std::string("--json audit.db is the history store (audit.db)") + kRefusal);
  EXPECT_EQ(Sha256(dir_ / "audit.db"), store_sha);
  // A store that does not exist yet is recognised by its path, and neither file is created.
  r = Run("scan rules --history new/store.db --json new/../new/store.db");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--json new/../new/store.db is the history store"), std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "new" / "store.db"));
}

TEST_F(OutputSafetyTest, ScanRefusesAForeignHistoryFileWithoutTouchingIt) {
  MakeDatabase("patients.db", "CREATE TABLE patients (id INTEGER PRIMARY KEY, name TEXT);"
                              "INSERT INTO patients VALUES (1, 'An');");
  MakeDatabase("wal.db", "PRAGMA journal_mode=WAL; CREATE TABLE t (x); INSERT INTO t VALUES (1);");
  std::ofstream(dir_ / "notes.txt") << "not a database\n";
  const struct {
    const char* file;
    const char* why;
  } cases[] = {{"patients.db", "a SQLite database without dqaudit's tables"},
               {"wal.db", "a SQLite database without dqaudit's tables"},
               {"notes.txt", "not a SQLite database"}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.file);
    const std::string before = Sha256(dir_ / c.file);
    const CommandResult r = Run(std::string("scan rules --history ") + c.file);
    EXPECT_EQ(r.code, 2);
    EXPECT_EQ(r.err, std::string("history store: ") + c.file +
                         " is not a dqaudit history store (" + c.why +
                         "); it was left untouched: name another file\n");
    EXPECT_EQ(Sha256(dir_ / c.file), before);
    for (const char* suffix : {"-wal", "-shm", "-journal"}) {
      EXPECT_FALSE(fs::exists(dir_ / (std::string(c.file) + suffix))) << suffix;
    }
  }
  ExpectInputsUntouched();
}

TEST_F(OutputSafetyTest, NightlyRefusesAHistoryOrLogThatIsAnInput) {
  const std::string db = (dir_ / "rules" / "people.db").string();
  const std::string rules = (dir_ / "rules" / "people.yaml").string();
  std::ofstream(dir_ / "nightly.yaml") << "rules: rules\nhistory: rules/people.db\n";
  CommandResult r = Run("nightly --config nightly.yaml");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("history: " + db + " is the database of source people (rules/people.db)" +
                       kRefusal),
            std::string::npos)
      << r.err;
  std::ofstream(dir_ / "nightly.yaml") << "rules: rules\nlog: {file: rules/people.yaml}\n";
  r = Run("nightly --config nightly.yaml");
  EXPECT_EQ(r.code, 2);
  // Refused before the log is opened: the rule file has not a line of log in it.
  EXPECT_NE(r.err.find("log: file: " + rules + " is a rule file (rules/people.yaml)" + kRefusal),
            std::string::npos)
      << r.err;
  // A source database as the log: refused before the log is opened, so not a byte is appended.
  std::ofstream(dir_ / "nightly.yaml") << "rules: rules\nlog: {file: rules/people.db}\n";
  r = Run("nightly --config nightly.yaml");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("log: file: " + db + " is the database of source people (rules/people.db)" +
                       kRefusal),
            std::string::npos)
      << r.err;
  std::ofstream(dir_ / "nightly.yaml") << "rules: rules\nhistory: nightly.yaml\n";
  r = Run("nightly --config nightly.yaml");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("is the nightly configuration (nightly.yaml)"), std::string::npos) << r.err;
  ExpectInputsUntouched();
  EXPECT_FALSE(fs::exists(dir_ / "audit.db"));
}

TEST_F(OutputSafetyTest, ReportScheduleAndProfileRefuseOutputsThatAreInputs) {
  ASSERT_EQ(Run("scan rules -q").code, 1);
  const std::string store_sha = Sha256(dir_ / "audit.db");
  fs::create_directories(dir_ / "out");
  fs::create_symlink("../audit.db", dir_ / "out" / "schedule.ics");
  fs::create_hard_link(dir_ / "audit.db", dir_ / "out" / "dqaudit-run-1-vi.html");
  CommandResult r = Run("schedule --out out --format ics");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, std::string("dqaudit: --out out/schedule.ics is the history store (audit.db)") +
                       kRefusal);
  r = Run("report --format html --out out");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, std::string("dqaudit report: --out out/dqaudit-run-1-vi.html is the history "
                               "store (audit.db)") +
                       kRefusal);
  EXPECT_EQ(Sha256(dir_ / "audit.db"), store_sha);
  r = Run("profile rules/people.db --json rules/people.db");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, std::string("dqaudit: --json rules/people.db is the database being profiled "
                               "(rules/people.db)") +
                       kRefusal);
  ExpectInputsUntouched();
}

// --- Whole or nothing -----------------------------------------------------------------------

TEST_F(OutputSafetyTest, ScanJsonOnAFullDiskKeepsTheOldFile) {
  std::ofstream(dir_ / "out.json") << "OLD RESULTS";
  const CommandResult r = Run("scan rules --no-history --json out.json", 200);
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.err.find("--json: cannot write out.json: File too large\n"), std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("results:"), std::string::npos) << r.err;
  EXPECT_EQ(ReadFile(dir_ / "out.json"), "OLD RESULTS");
  EXPECT_EQ(Listing("."), (std::vector<std::string>{"out.json", "rules"}));
  ExpectInputsUntouched();
}

// The report and schedule commands read the store: a connection held here (an ordinary WAL
// connection: a read-only one reads a closed WAL store without creating them) keeps its -wal and
// -shm files in place, so that under the file size limit only the outputs can fail.
class FullDiskAfterScanTest : public OutputSafetyTest {
 protected:
  void SetUp() override {
    OutputSafetyTest::SetUp();
    ASSERT_EQ(Run("scan rules -q").code, 1);
    auto db = SqliteDb::OpenReadWrite((dir_ / "audit.db").string(), /*create=*/false);
    ASSERT_TRUE(db.ok()) << db.status().message();
    ASSERT_TRUE((*db)->QueryNumber("SELECT COUNT(*) FROM runs").ok());
    reader_ = std::move(db).value();
    fs::create_directories(dir_ / "out");
  }
  std::unique_ptr<SqliteDb> reader_;
};

TEST_F(FullDiskAfterScanTest, ReportHtmlAndXlsxKeepTheOldFiles) {
  for (const char* format : {"html", "xlsx"}) {
    SCOPED_TRACE(format);
    const std::string name = std::string("dqaudit-run-1-vi.") + format;
    std::ofstream(dir_ / "out" / name) << "OLD REPORT";
    const CommandResult r = Run(std::string("report --format ") + format + " --out out", 1000);
    EXPECT_EQ(r.code, 3);
    if (std::string(format) == "html") {
      EXPECT_EQ(r.err, "dqaudit report: cannot write out/" + name + ": File too large\n");
    } else {
      // libxlsxwriter's own words, then the cause (it also logs an [ERROR] line of its own).
      EXPECT_NE(r.err.find("dqaudit report: cannot write out/" + name +
                           ": Zip generic error ZIP_ERRNO while creating the xlsx file.: File "
                           "too large\n"),
                std::string::npos)
          << r.err;
    }
    EXPECT_EQ(ReadFile(dir_ / "out" / name), "OLD REPORT");
  }
  // The list of failing rows, small, is written before the reports (it fits under the limit).
  EXPECT_EQ(Listing("out"),
            (std::vector<std::string>{"dqaudit-run-1-vi.html", "dqaudit-run-1-vi.xlsx",
                                      "failing-run-1-people-missing_cong_dan.ho_ten.csv"}));
  // Without the limit both are written.
  EXPECT_EQ(Run("report --format html,xlsx --out out").code, 0);
  EXPECT_NE(ReadFile(dir_ / "out" / "dqaudit-run-1-vi.html").find("<html"), std::string::npos);
  EXPECT_EQ(ReadFile(dir_ / "out" / "dqaudit-run-1-vi.xlsx").substr(0, 2), "PK");
  // The index page comes after the reports, so only a run whose reports were all written has it.
  EXPECT_EQ(Listing("out"), (std::vector<std::string>{
                                "dqaudit-run-1-vi.html", "dqaudit-run-1-vi.xlsx",
                                "failing-run-1-people-missing_cong_dan.ho_ten.csv", "index-vi.html"}));
}

TEST_F(FullDiskAfterScanTest, ScheduleIcsKeepsTheOldFile) {
  std::ofstream(dir_ / "out" / "schedule.ics") << "OLD PLAN";
  const CommandResult r = Run("schedule --out out --format ics", 100);
  EXPECT_EQ(r.code, 3);
  EXPECT_EQ(r.err, "dqaudit: cannot write out/schedule.ics: File too large\n");
  EXPECT_EQ(ReadFile(dir_ / "out" / "schedule.ics"), "OLD PLAN");
  EXPECT_EQ(Listing("out"), std::vector<std::string>{"schedule.ics"});
}

// SIGKILL while the results JSON is being written: the target is always the old document or the
// whole new one, never a truncated one.
TEST_F(OutputSafetyTest, KillDuringTheJsonWriteNeverLeavesATruncatedFile) {
  // 8 columns missing in every one of 20000 rows, 10000 samples each: a JSON of megabytes.
  MakeDatabase("rules/big.db", R"sql(
CREATE TABLE t (id INTEGER PRIMARY KEY, a, b, c, d, e, f, g, h);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
INSERT INTO t (id) SELECT i FROM n;
)sql");
  fs::remove(dir_ / "rules" / "people.yaml");
  std::ofstream(dir_ / "rules" / "big.yaml") << "source: big\ndepartment: D\n"
                                                "database: sqlite:big.db\ntables:\n  t:\n"
                                                "    key: [id]\n    checks:\n"
                                                "      - missing: {columns: [a, b, c, d, e, f, g, h]}\n";
  const std::string args = "scan rules --in-process --no-history -q --samples 10000 --json big.json";
  ASSERT_EQ(Run(args).code, 1);
  const std::string old_text = ReadFile(dir_ / "big.json");
  ASSERT_GT(old_text.size(), 1000000u);
  struct stat old_stat {};
  ASSERT_EQ(stat((dir_ / "big.json").c_str(), &old_stat), 0);

  // Killed for certain while the temporary is half written, then once it is whole but not yet
  // renamed (crash points, docs/history.md): the old document stays, the temporary is left.
  for (const char* point : {"output.write", "output.rename"}) {
    SCOPED_TRACE(point);
    setenv("DQA_TEST_CRASH_AT", point, 1);
    auto [pid, fd] = Start(dir_, args, 0);
    unsetenv("DQA_TEST_CRASH_AT");
    Finish(pid, fd);
    EXPECT_EQ(ReadFile(dir_ / "big.json"), old_text);
    bool temp_left = false;
    for (const auto& e : fs::directory_iterator(dir_)) {
      const std::string name = e.path().filename().string();
      temp_left = temp_left || name.rfind(".big.json.tmp-" + std::to_string(pid) + "-", 0) == 0;
    }
    EXPECT_TRUE(temp_left) << "the crash point was not reached";
  }

  // Then killed at timed moments: whatever the moment, old or whole new, never truncated.
  std::string previous = old_text;
  for (int attempt = 0; attempt < 6; ++attempt) {
    SCOPED_TRACE(attempt);
    auto [pid, fd] = Start(dir_, args, 0);
    // `sh -c exec` keeps the pid: the temporary of this run is named after it.
    const std::string temp_prefix = ".big.json.tmp-" + std::to_string(pid) + "-";
    auto temp_exists = [&] {
      for (const auto& e : fs::directory_iterator(dir_)) {
        if (e.path().filename().string().rfind(temp_prefix, 0) == 0) return true;
      }
      return false;
    };
    bool seen = false;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!seen && std::chrono::steady_clock::now() < deadline) {
      struct stat now {};
      seen = temp_exists() ||
             (stat((dir_ / "big.json").c_str(), &now) == 0 &&
              (now.st_ino != old_stat.st_ino || now.st_size != old_stat.st_size ||
               now.st_mtim.tv_nsec != old_stat.st_mtim.tv_nsec));
      if (!seen) std::this_thread::sleep_for(std::chrono::microseconds(100));
    }
    // Later attempts kill a little later into the write.
    std::this_thread::sleep_for(std::chrono::milliseconds(attempt));
    kill(pid, SIGKILL);
    Finish(pid, fd);
    const std::string text = ReadFile(dir_ / "big.json");
    if (text != previous) {
      const auto doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
      ASSERT_FALSE(doc.is_discarded()) << "truncated: " << text.size() << " bytes";
      EXPECT_EQ(doc["results"].size(), 8u);
    }
    previous = text;
    ASSERT_EQ(stat((dir_ / "big.json").c_str(), &old_stat), 0);
  }
  // The next run replaces the file and removes the temporaries the killed runs left.
  EXPECT_EQ(Run(args).code, 1);
  EXPECT_EQ(Listing("."), (std::vector<std::string>{"big.json", "rules"}));
}

}  // namespace
}  // namespace output_safety_test
}  // namespace dqa
