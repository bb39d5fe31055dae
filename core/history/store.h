// HistoryStore: the audit history database (audit.db, SQLite in WAL mode). See docs/history.md.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/result.h"
#include "core/sources/sqlite_db.h"
#include "core/util/clock.h"
#include "core/util/status.h"

namespace dqa {

// Schema version written to PRAGMA user_version by the newest migration.
constexpr int kHistorySchemaVersion = 6;
// PRAGMA application_id of every store ("DQA1"): how dqaudit tells its store from another SQLite
// database before it writes anything to the file.
constexpr int32_t kHistoryApplicationId = 0x44514131;

// What is known about a run when it starts.
struct RunStart {
  int64_t started_unix_ms = 0;
  std::string today;            // "YYYY-MM-DD": the reference day of the run
  std::string version;          // dqaudit version
  std::string command_line;     // argv joined by spaces
  int64_t pid = 0;              // process that runs the audit
  std::string host;             // hostname of that process
  int64_t sources_planned = 0;  // sources the run will scan (decides complete/partial/failed)
  std::string kind = "scan";    // "scan" (dqaudit scan) or "nightly" (dqaudit nightly)
  std::optional<int64_t> resumed_from;  // nightly: the interrupted run this one finishes
};

// One row of `runs`, with counts from `sources` and `check_results`.
struct RunRecord {
  int64_t id = 0;
  int64_t started_unix_ms = 0;
  std::optional<int64_t> finished_unix_ms;  // unset while running or when interrupted
  std::string status;  // "running" | "complete" | "partial" | "failed" | "interrupted"
  std::string today;
  std::optional<int> exit_code;
  std::string version;
  std::string command_line;
  int64_t pid = 0;
  std::string host;
  int64_t sources_planned = 0;
  std::string kind = "scan";             // "scan" | "nightly"
  std::optional<int64_t> resumed_from;   // the interrupted run this one finished
  int64_t sources_recorded = 0;
  int64_t source_errors = 0;
  int64_t checks = 0;
  int64_t failed_checks = 0;  // outcome fail
};

// What `dqaudit report --failing` prints: the rows a check listed, in `columns`.
struct FailingRowList {
  int64_t run_id = 0;  // the run that scanned them (an earlier one for a carried-over source)
  std::string source;
  std::string table;
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
  int64_t total = 0;           // rows there were; more than rows.size() when the list was cut
  int64_t violations = 0;      // the check's violations
  bool complete_list = false;  // false: the check keeps samples only, and rows are its samples
};

class HistoryStore {
 public:
  HistoryStore(const HistoryStore&) = delete;
  HistoryStore& operator=(const HistoryStore&) = delete;

  // Opens the store at `path`, creating the file when `create` (else NotFound if it is missing),
  // sets WAL, synchronous=FULL and foreign keys, and migrates the schema forward to
  // kHistorySchemaVersion. A file that exists is first looked at without writing to it: one that
  // is not a dqaudit store (not SQLite, another application_id, or application_id 0 without
  // dqaudit's `runs` table) is refused with InvalidArgument "<path> is not a dqaudit history store
  // (...)" and left byte for byte as it was, with no -wal/-shm beside it. A 0-byte file is taken
  // as a new store; a store of an earlier dqaudit (application_id 0 with dqaudit's tables) is
  // adopted (its application_id set). InvalidArgument if the file was written by a newer schema;
  // IoError when SQLite refuses (permissions, corruption).
  static Result<std::unique_ptr<HistoryStore>> Open(const std::string& path, bool create = true);
  // Opens an existing store read-only, for the commands that only read (report, scores, schedule,
  // history, inspections list, nightly --dry-run): SQLITE_OPEN_READONLY with query_only, no
  // pragma set, no migration, no application_id adopted, and no -wal/-shm created beside a store
  // that has no -wal (SqliteDb::OpenReadOnly): the file keeps its bytes and its mtime. Its
  // statements have no time budget. Errors: NotFound "history store not found: <path>" when the
  // file is missing (it is not created) or "history store is empty: <path>" for a 0-byte file;
  // InvalidArgument when it is not a dqaudit store (as Open), when its schema is older than
  // kHistorySchemaVersion (the message names the commands that migrate it) or newer; IoError when
  // SQLite cannot read it. The store's write methods fail on a read-only store.
  static Result<std::unique_ptr<HistoryStore>> OpenReadOnly(const std::string& path);

  // Starts a run (status "running") and returns its id. First marks every older "running" run of
  // this host whose process is gone as "interrupted".
  Result<int64_t> BeginRun(const RunStart& start);

  // Records one scanned source with all its check results and samples in ONE transaction
  // (BEGIN IMMEDIATE ... COMMIT; rolled back on any error, so a source is stored whole or not at
  // all). InvalidArgument if the source is already recorded for this run or the run does not exist.
  // `also` (when given) writes what goes with the source (its delivery, its schema) in the same
  // transaction, after the source's rows: one commit, one sync of the log. When it fails, what it
  // wrote is rolled back (to a savepoint), the source is committed all the same, and its error is
  // returned.
  Status RecordSource(int64_t run_id, const SourceResult& source,
                      const std::function<Status()>& also = {});

  // Ends a run: sets finished_at (now), exit_code and the status: "complete" when every planned
  // source was recorded without error, "failed" when sources were planned and none was scanned
  // without error, "partial" otherwise. NotFound for an unknown run.
  Status FinishRun(int64_t run_id, int exit_code);

  // The most recent `limit` runs, newest first.
  Result<std::vector<RunRecord>> ListRuns(int limit);
  // The most recent `limit` runs with an id below `run_id`, newest first (the history a run is
  // compared with; core/trends).
  Result<std::vector<RunRecord>> ListRunsBefore(int64_t run_id, int limit);
  // One run; NotFound if there is none with that id.
  Result<RunRecord> GetRun(int64_t run_id);
  // Every source of a run in the order they were recorded, with every field as it was recorded.
  // NotFound for an unknown run.
  Result<std::vector<SourceResult>> LoadRun(int64_t run_id);

  // The rows check `check_id` listed in run `run_id` (`dqaudit report --failing`), on `source`
  // ("" = the only source that ran it; InvalidArgument naming them when several did). A source
  // carried over from an earlier run is read from that run. A check that keeps only samples gives
  // its samples with complete_list false. NotFound for an unknown run or check.
  Result<FailingRowList> FailingRows(int64_t run_id, const std::string& check_id,
                                     const std::string& source);

  // The underlying connection (tests, diagnostics).
  SqliteDb& db() { return *db_; }

 private:
  explicit HistoryStore(std::unique_ptr<SqliteDb> db) : db_(std::move(db)) {}
  Status Migrate();
  Status MarkInterruptedRuns(const std::string& host);
  Status InsertSource(int64_t run_id, const SourceResult& source);

  std::unique_ptr<SqliteDb> db_;
};

// The SQL that takes a store from schema version `version` - 1 to `version` (1 ..
// kHistorySchemaVersion; "" otherwise): the migrations Open applies, for tests that build the store
// of an earlier dqaudit.
std::string_view HistoryMigration(int version);

// True if a process with this pid exists on this machine.
bool ProcessAlive(int64_t pid);
// This machine's host name ("" if unknown).
std::string HostName();

}  // namespace dqa
