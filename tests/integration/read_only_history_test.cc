// The commands that only read the history store (history, history show, scores, report, schedule,
// inspections list, nightly --dry-run) open it read-only: the real binary on a real store leaves
// its bytes, its mtime and its schema version as they were, never migrates an older store, works
// on a read-only file in a read-only folder, and never creates a missing store.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>
#include <vector>

#include "core/history/store.h"
#include "tests/integration/support.h"

namespace dqa {
namespace read_only_history_test {
namespace {

namespace fs = std::filesystem;
using test_support::CommandResult;
using test_support::MakeDemoProvince;
using test_support::RunDqaudit;
using test_support::Sha256;
using test_support::WriteFile;

// Every read-only command, with the exit code it gives on a store holding one complete run.
struct ReadCommand {
  std::string args;
  int code;
};
const std::vector<ReadCommand> kReadCommands = {
    {"history --history audit.db", 0},
    {"history show 1 --history audit.db", 0},
    {"scores --history audit.db --sources", 0},
    {"report --history audit.db --format html,json,csv --out rep", 0},
    {"schedule --history audit.db --out sched", 0},
    {"inspections list --history audit.db", 0},
    {"nightly --config n.yaml --dry-run", 0},
};

// What must not change: the store's bytes, its mtime and its schema version, and no -wal, -shm or
// -journal may be left beside it.
struct StoreState {
  std::string sha256;
  fs::file_time_type mtime;
  int user_version = -1;
  bool operator==(const StoreState&) const = default;
};

StoreState StateOf(const fs::path& store) {
  StoreState s;
  s.sha256 = Sha256(store);
  s.mtime = fs::last_write_time(store);
  // Read through SqliteDb's read-only open, which creates nothing beside the file.
  auto db = SqliteDb::OpenReadOnly(store.string());
  EXPECT_TRUE(db.ok()) << db.status().message();
  if (db.ok()) s.user_version = static_cast<int>((*db)->QueryNumber("PRAGMA user_version")->value());
  return s;
}

void ExpectNothingBeside(const fs::path& store) {
  for (const char* suffix : {"-wal", "-shm", "-journal"}) {
    EXPECT_FALSE(fs::exists(store.string() + suffix)) << store << suffix;
  }
}

class ReadOnlyHistoryTest : public ::testing::Test {
 protected:
  // The demo province scanned once into dir_/audit.db, and a nightly configuration on it.
  void SetUp() override {
    dir_ = test_support::FreshTestDir("read_only_history");
    ASSERT_TRUE(MakeDemoProvince(dir_, "2026-11-01"));
    WriteFile(dir_ / "n.yaml", "rules: [rules/demo]\nhistory: audit.db\n");
  }
  void TearDown() override {
    fs::permissions(dir_, fs::perms::owner_all, fs::perm_options::add);
    fs::remove_all(dir_);
  }

  void Scan() {
    const CommandResult scan =
        RunDqaudit(dir_, "scan rules/demo --history audit.db --today 2026-11-01 --quiet");
    ASSERT_EQ(scan.code, 1) << scan.err;  // the demo has failing checks
  }

  fs::path Store() const { return dir_ / "audit.db"; }

  // Runs every read-only command and checks the store did not change.
  void ExpectEveryReadLeavesTheStore() {
    const StoreState before = StateOf(Store());
    ASSERT_EQ(before.user_version, kHistorySchemaVersion);
    for (const ReadCommand& c : kReadCommands) {
      SCOPED_TRACE(c.args);
      const CommandResult r = RunDqaudit(dir_, c.args);
      EXPECT_EQ(r.code, c.code) << r.err;
      EXPECT_TRUE(StateOf(Store()) == before);
      ExpectNothingBeside(Store());
    }
  }

  fs::path dir_;
};

TEST_F(ReadOnlyHistoryTest, ReadCommandsLeaveTheStoreByteForByte) {
  Scan();
  ExpectNothingBeside(Store());
  ExpectEveryReadLeavesTheStore();
  // The commands read what is there (not an empty store).
  const CommandResult history = RunDqaudit(dir_, "history --history audit.db");
  EXPECT_NE(history.out.find("complete"), std::string::npos) << history.out;
  EXPECT_TRUE(fs::exists(dir_ / "rep" / "dqaudit-run-1-vi.json"));
  EXPECT_TRUE(fs::exists(dir_ / "sched" / "schedule.csv"));
}

TEST_F(ReadOnlyHistoryTest, ReadCommandsWorkOnAReadOnlyStoreInAReadOnlyFolder) {
  Scan();
  fs::create_directories(dir_ / "rep");
  fs::create_directories(dir_ / "sched");
  fs::permissions(Store(), fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
  // The folder too: no -wal, -shm or -journal could be created beside the store. (Tests run as
  // root, whom permissions do not stop: the checksums and the schema version are the proof.)
  fs::permissions(dir_, fs::perms::owner_write | fs::perms::group_write | fs::perms::others_write,
                  fs::perm_options::remove);
  ExpectEveryReadLeavesTheStore();
}

// A store as the dqaudit of schema version 1 left it: WAL mode, its application_id, one run.
void MakeVersionOneStore(const fs::path& path) {
  auto db = SqliteDb::OpenReadWrite(path.string(), /*create=*/true);
  ASSERT_TRUE(db.ok()) << db.status().message();
  ASSERT_TRUE((*db)->Exec("PRAGMA application_id=" + std::to_string(kHistoryApplicationId)).ok());
  ASSERT_TRUE((*db)->Exec("PRAGMA journal_mode=WAL").ok());
  ASSERT_TRUE((*db)->Exec(std::string(HistoryMigration(1))).ok());
  ASSERT_TRUE((*db)->Exec("PRAGMA user_version=1").ok());
  ASSERT_TRUE((*db)->Exec("INSERT INTO runs (started_at, finished_at, status, today, exit_code, "
                          "version, command_line, pid, host, sources_planned) VALUES "
                          "(1793500000000, 1793500001000, 'complete', '2026-11-01', 0, '0.0.9', "
                          "'dqaudit scan rules', 1, 'h', 0)")
                  .ok());
}

TEST_F(ReadOnlyHistoryTest, AnOlderSchemaIsNeverMigratedByAReadCommand) {
  MakeVersionOneStore(Store());
  ExpectNothingBeside(Store());
  const StoreState before = StateOf(Store());
  ASSERT_EQ(before.user_version, 1);
  for (const ReadCommand& c : kReadCommands) {
    SCOPED_TRACE(c.args);
    const CommandResult r = RunDqaudit(dir_, c.args);
    // The dry run reports a store it cannot read as a runtime error (docs/nightly.md).
    EXPECT_EQ(r.code, c.args.starts_with("nightly") ? 3 : 2) << r.err;
    EXPECT_NE(r.err.find("audit.db: history schema version 1 was written by an earlier dqaudit"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("`dqaudit scan`"), std::string::npos) << r.err;
    EXPECT_TRUE(StateOf(Store()) == before);
    ExpectNothingBeside(Store());
  }
  // What the message says is true: a command that records migrates it, then reads work.
  Scan();
  EXPECT_EQ(StateOf(Store()).user_version, kHistorySchemaVersion);
  const CommandResult history = RunDqaudit(dir_, "history --history audit.db");
  EXPECT_EQ(history.code, 0) << history.err;
  EXPECT_NE(history.out.find("0/0"), std::string::npos) << history.out;  // the old run is kept
}

TEST_F(ReadOnlyHistoryTest, AMissingStoreIsAnErrorAndIsNotCreated) {
  for (const ReadCommand& c : kReadCommands) {
    if (c.args.starts_with("nightly")) continue;  // below
    SCOPED_TRACE(c.args);
    const CommandResult r = RunDqaudit(dir_, c.args);
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_NE(r.err.find("history store not found: audit.db"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(Store()));
    ExpectNothingBeside(Store());
  }
  // A dry run before the first nightly run is not an error: it says the first run creates it.
  const CommandResult dry = RunDqaudit(dir_, "nightly --config n.yaml --dry-run");
  EXPECT_EQ(dry.code, 0) << dry.err;
  EXPECT_NE(dry.out.find("none yet; the first run creates it"), std::string::npos) << dry.out;
  EXPECT_FALSE(fs::exists(Store()));
}

}  // namespace
}  // namespace read_only_history_test
}  // namespace dqa
