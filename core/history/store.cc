#include "core/history/store.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <signal.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string_view>

#include "core/history/indicators.h"
#include "core/history/breakdowns.h"
#include "core/output/results_json.h"
#include "core/util/crash_point.h"
#include "core/util/json_text.h"

namespace dqa {
namespace {

using nlohmann::json;

// Forward migrations: kMigrations[i] takes the schema from version i to i + 1. Never edit a shipped
// migration; append a new one and bump kHistorySchemaVersion.
// Timestamps are Unix milliseconds (UTC). JSON columns hold UTF-8 JSON text.
constexpr std::array<const char*, kHistorySchemaVersion> kMigrations = {
    R"sql(
CREATE TABLE runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  started_at INTEGER NOT NULL,
  finished_at INTEGER,
  status TEXT NOT NULL
    CHECK (status IN ('running', 'complete', 'partial', 'failed', 'interrupted')),
  today TEXT NOT NULL,
  exit_code INTEGER,
  version TEXT NOT NULL,
  command_line TEXT NOT NULL,
  pid INTEGER NOT NULL,
  host TEXT NOT NULL,
  sources_planned INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX runs_by_status ON runs(status);

CREATE TABLE sources (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  source TEXT NOT NULL,
  department TEXT NOT NULL,
  "database" TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('ok', 'error')),
  error TEXT,
  started_at INTEGER NOT NULL,
  finished_at INTEGER NOT NULL,
  UNIQUE (run_id, source)
);

CREATE TABLE check_results (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL,
  check_id TEXT NOT NULL,
  type TEXT NOT NULL,
  source TEXT NOT NULL,
  table_name TEXT NOT NULL,
  columns TEXT NOT NULL,
  dimension TEXT NOT NULL,
  severity TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('pass', 'warn', 'fail', 'error')),
  violations INTEGER NOT NULL,
  rows_checked INTEGER NOT NULL,
  percent REAL NOT NULL,
  "groups" INTEGER,
  unparseable INTEGER,
  value REAL,
  thresholds TEXT NOT NULL,
  key_columns TEXT NOT NULL,
  message TEXT NOT NULL,
  duration_ms REAL NOT NULL
);
CREATE INDEX check_results_by_run ON check_results(run_id, source_id, ordinal);
CREATE INDEX check_results_by_source ON check_results(source_id);
CREATE INDEX check_results_by_check ON check_results(source, check_id, run_id);

CREATE TABLE samples (
  result_id INTEGER NOT NULL REFERENCES check_results(id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL,
  "key" TEXT NOT NULL,
  PRIMARY KEY (result_id, ordinal)
) WITHOUT ROWID;

CREATE TABLE metrics (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  source TEXT NOT NULL,
  name TEXT NOT NULL,
  value REAL NOT NULL,
  PRIMARY KEY (run_id, source, name)
);
CREATE INDEX metrics_by_name ON metrics(source, name, run_id);
)sql",
    // 2: nightly runs (kind, resumed_from), incremental scans (fingerprint, carried_from_run),
    // metrics tied to their check result, and the log of inspections.
    R"sql(
ALTER TABLE runs ADD COLUMN kind TEXT NOT NULL DEFAULT 'scan';
ALTER TABLE runs ADD COLUMN resumed_from INTEGER;
ALTER TABLE sources ADD COLUMN fingerprint TEXT;
ALTER TABLE sources ADD COLUMN carried_from_run INTEGER;
ALTER TABLE metrics ADD COLUMN result_id INTEGER REFERENCES check_results(id) ON DELETE CASCADE;
CREATE INDEX sources_by_source ON sources(source, run_id);

CREATE TABLE inspections (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  department TEXT NOT NULL,
  inspected_on TEXT NOT NULL,
  team TEXT NOT NULL DEFAULT '',
  notes TEXT NOT NULL DEFAULT '',
  recorded_at INTEGER NOT NULL
);
CREATE INDEX inspections_by_department ON inspections(department, inspected_on);
)sql",
    // 3: the rows a check lists for `dqaudit report --failing` (CheckResult::failing_rows): one
    // JSON array of rows per result, in the columns of check_results.key_columns.
    R"sql(
CREATE TABLE failing_rows (
  result_id INTEGER PRIMARY KEY REFERENCES check_results(id) ON DELETE CASCADE,
  total INTEGER NOT NULL,
  "rows" TEXT NOT NULL
);
)sql",
    // 4: what each run saw of the database of every source with a delivery cadence
    // (core/history/deliveries.h): its content fingerprint, file time and newest record time, and
    // whether the content changed since the source's previous row (a delivery); each scanned
    // source's schema per run (core/history/schema_history.h): its tables, columns and declared
    // types as JSON, and the first run that saw that same schema; what a check records for later
    // runs to compare with (CheckResult::profile: drift's column profile), one JSON object per
    // result; the indicators a check reports (CheckResult::indicators), in reported order; a
    // result's figures per unit (CheckResult::breakdowns, checks with `by`): one row per unit of
    // each `by` entry, in rank order (worst first).
    R"sql(
CREATE TABLE deliveries (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  source TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  file_time INTEGER,
  newest_record INTEGER,
  changed INTEGER NOT NULL CHECK (changed IN (0, 1)),
  due_at INTEGER,
  verdict TEXT NOT NULL,
  utc_offset INTEGER NOT NULL,
  PRIMARY KEY (run_id, source)
);
CREATE INDEX deliveries_by_source ON deliveries(source, run_id);

CREATE TABLE source_schemas (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  source TEXT NOT NULL,
  since_run INTEGER NOT NULL,
  schema TEXT NOT NULL,
  PRIMARY KEY (run_id, source)
);
CREATE INDEX source_schemas_by_source ON source_schemas(source, run_id);

CREATE TABLE check_profiles (
  result_id INTEGER PRIMARY KEY REFERENCES check_results(id) ON DELETE CASCADE,
  profile TEXT NOT NULL
);

CREATE TABLE indicators (
  result_id INTEGER NOT NULL REFERENCES check_results(id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL,
  indicator_id TEXT NOT NULL,
  title TEXT NOT NULL,
  value REAL,
  target REAL,
  direction TEXT NOT NULL CHECK (direction IN ('higher', 'lower')),
  warn_within REAL NOT NULL,
  unit TEXT NOT NULL,
  numerator INTEGER NOT NULL,
  denominator INTEGER NOT NULL,
  PRIMARY KEY (result_id, ordinal)
);

CREATE TABLE breakdowns (
  result_id INTEGER NOT NULL REFERENCES check_results(id) ON DELETE CASCADE,
  entry INTEGER NOT NULL,
  by_name TEXT NOT NULL,
  ordinal INTEGER NOT NULL,
  unit TEXT NOT NULL,
  violations INTEGER NOT NULL,
  rows_checked INTEGER NOT NULL,
  percent REAL NOT NULL,
  value REAL,
  PRIMARY KEY (result_id, entry, ordinal)
);
CREATE INDEX breakdowns_by_unit ON breakdowns(by_name, unit);
)sql",
    // 4 -> 5: a result's message in words (CheckResult::message_key and message_args as a JSON
    // array of [name, value] pairs), so reports render it in their language.
    R"sql(
ALTER TABLE check_results ADD COLUMN message_key TEXT;
ALTER TABLE check_results ADD COLUMN message_args TEXT;
)sql",
    // 5 -> 6: a check's title per language (CheckResult::title as a JSON object {"vi": ..., "en":
    // ...}); NULL for results without one (recorded before titles, or findings without a rule).
    // A unit's name (UnitFigures::label, from the `by` entry's `labels`); NULL for none.
    R"sql(
ALTER TABLE check_results ADD COLUMN title TEXT;
ALTER TABLE breakdowns ADD COLUMN label TEXT;
)sql",
};

Status BindOptional(Statement& stmt, int index, const std::optional<int64_t>& v) {
  return v ? stmt.Bind(index, *v) : stmt.BindNull(index);
}
Status BindOptional(Statement& stmt, int index, const std::optional<double>& v) {
  return v ? stmt.Bind(index, *v) : stmt.BindNull(index);
}

// The values of a stored sample (a JSON object of key column -> value, in column order).
Result<std::vector<std::string>> ParseSample(std::string_view text, int64_t result_id) {
  // ordered_json keeps the key columns in the order they were written.
  nlohmann::ordered_json key = nlohmann::ordered_json::parse(text, nullptr, false);
  if (key.is_discarded() || !key.is_object()) {
    return Internal(fmt::format("corrupt sample of check result {}", result_id));
  }
  std::vector<std::string> values;
  for (const auto& [name, value] : key.items()) {
    values.push_back(value.is_string() ? value.get<std::string>() : value.dump());
  }
  return values;
}

Status StepDone(Statement& stmt) {
  DQA_ASSIGN_OR_RETURN(bool row, stmt.Step());
  (void)row;
  return Status::Ok();
}

std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

Result<json> ParseJson(std::string_view text, std::string_view what) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Internal(fmt::format("corrupt {} in history store: {}", what, text));
  return j;
}

Result<std::vector<std::string>> ParseStringArray(std::string_view text, std::string_view what) {
  DQA_ASSIGN_OR_RETURN(json j, ParseJson(text, what));
  std::vector<std::string> out;
  if (!j.is_array()) return Internal(fmt::format("corrupt {} in history store: {}", what, text));
  for (const json& e : j) {
    if (!e.is_string()) return Internal(fmt::format("corrupt {} in history store: {}", what, text));
    out.push_back(e.get<std::string>());
  }
  return out;
}

Result<RunRecord> ReadRun(Statement& stmt) {
  RunRecord r;
  r.id = stmt.ColumnInt(0);
  r.started_unix_ms = stmt.ColumnInt(1);
  if (!stmt.IsNull(2)) r.finished_unix_ms = stmt.ColumnInt(2);
  r.status = stmt.ColumnText(3);
  r.today = stmt.ColumnText(4);
  if (!stmt.IsNull(5)) r.exit_code = static_cast<int>(stmt.ColumnInt(5));
  r.version = stmt.ColumnText(6);
  r.command_line = stmt.ColumnText(7);
  r.pid = stmt.ColumnInt(8);
  r.host = stmt.ColumnText(9);
  r.sources_planned = stmt.ColumnInt(10);
  r.sources_recorded = stmt.ColumnInt(11);
  r.source_errors = stmt.ColumnInt(12);
  r.checks = stmt.ColumnInt(13);
  r.failed_checks = stmt.ColumnInt(14);
  r.kind = stmt.ColumnText(15);
  if (!stmt.IsNull(16)) r.resumed_from = stmt.ColumnInt(16);
  return r;
}

constexpr const char* kRunSelect = R"sql(
SELECT r.id, r.started_at, r.finished_at, r.status, r.today, r.exit_code, r.version,
       r.command_line, r.pid, r.host, r.sources_planned,
       (SELECT COUNT(*) FROM sources s WHERE s.run_id = r.id),
       (SELECT COUNT(*) FROM sources s WHERE s.run_id = r.id AND s.status = 'error'),
       (SELECT COUNT(*) FROM check_results c WHERE c.run_id = r.id),
       (SELECT COUNT(*) FROM check_results c WHERE c.run_id = r.id AND c.outcome = 'fail'),
       r.kind, r.resumed_from
FROM runs r)sql";

// What the file at a store path is, found before anything is written to it.
enum class StoreFile {
  kNew,          // missing or 0 bytes: created as a new store
  kStore,        // a dqaudit store (our application_id)
  kLegacyStore,  // application_id 0 with dqaudit's tables: written by an earlier dqaudit
};

Status NotAStore(const std::string& path, const std::string& why) {
  return InvalidArgument(fmt::format(
      "{} is not a dqaudit history store ({}); it was left untouched: name another file", path,
      why));
}

// The columns of `runs` that every dqaudit schema has had since the first one.
constexpr std::array<std::string_view, 10> kRunsColumns = {
    "id",        "started_at", "finished_at",  "status", "today",
    "exit_code", "version",    "command_line", "pid",    "host"};

// True when the SQLite file at `path` has dqaudit's tables (runs with its columns, sources,
// check_results). Opened read-only; `immutable` when no -wal file exists, so that SQLite creates
// no -wal/-shm beside a WAL-mode file that is not ours (there is no WAL content to miss, and only
// the schema is read).
Result<bool> HasHistoryTables(const std::string& path, bool immutable) {
  sqlite3* raw = nullptr;
  const std::string uri = FileUri(path, immutable ? "mode=ro&immutable=1" : "mode=ro");
  const int rc =
      sqlite3_open_v2(uri.c_str(), &raw, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr);
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> db(raw, sqlite3_close);
  if (rc != SQLITE_OK) {
    return IoError(fmt::format("cannot open {}: {}", path, raw ? sqlite3_errmsg(raw) : "?"));
  }
  std::set<std::string> seen;
  auto collect = [](void* out, int n, char** values, char**) {
    if (n > 0 && values[0] != nullptr) static_cast<std::set<std::string>*>(out)->insert(values[0]);
    return 0;
  };
  const char* sql =
      "SELECT 'table:' || name FROM sqlite_master WHERE type = 'table' "
      "UNION ALL SELECT name FROM pragma_table_info('runs')";
  char* error = nullptr;
  if (sqlite3_exec(db.get(), sql, collect, &seen, &error) != SQLITE_OK) {
    const std::string message = error ? error : "?";
    sqlite3_free(error);
    return IoError(fmt::format("cannot read {}: {}", path, message));
  }
  for (const char* table : {"table:runs", "table:sources", "table:check_results"}) {
    if (!seen.count(table)) return false;
  }
  for (std::string_view column : kRunsColumns) {
    if (!seen.count(std::string(column))) return false;
  }
  return true;
}

// Reads the 100-byte SQLite header (application_id at offset 68, big-endian) and, for
// application_id 0, the schema: never writes, and never lets SQLite write, to a file that is not
// a dqaudit store.
Result<StoreFile> InspectStoreFile(const std::string& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (!std::filesystem::exists(status)) return StoreFile::kNew;
  if (!std::filesystem::is_regular_file(status)) return NotAStore(path, "not a regular file");
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError(fmt::format("cannot read {}: {}", path, std::strerror(errno)));
  std::array<unsigned char, 100> header{};
  in.read(reinterpret_cast<char*>(header.data()), header.size());
  const std::streamsize got = in.gcount();
  if (got == 0) return StoreFile::kNew;
  constexpr std::string_view kMagic("SQLite format 3\0", 16);
  if (got < static_cast<std::streamsize>(header.size()) ||
      std::string_view(reinterpret_cast<const char*>(header.data()), kMagic.size()) != kMagic) {
    return NotAStore(path, "not a SQLite database");
  }
  const uint32_t application_id = uint32_t{header[68]} << 24 | uint32_t{header[69]} << 16 |
                                  uint32_t{header[70]} << 8 | uint32_t{header[71]};
  if (application_id == static_cast<uint32_t>(kHistoryApplicationId)) return StoreFile::kStore;
  if (application_id != 0) {
    return NotAStore(path,
                     fmt::format("a SQLite database of another program: application_id 0x{:08X}",
                                 application_id));
  }
  const bool has_wal = std::filesystem::exists(path + "-wal", ec);
  DQA_ASSIGN_OR_RETURN(bool ours, HasHistoryTables(path, /*immutable=*/!has_wal));
  if (!ours) return NotAStore(path, "a SQLite database without dqaudit's tables");
  return StoreFile::kLegacyStore;
}

// A store written by a newer dqaudit: neither read nor written. `path` "" when the caller adds it.
Status NewerSchema(const std::string& path, int version) {
  return InvalidArgument(fmt::format(
      "{}history schema version {} is newer than this dqaudit supports ({}); use a newer dqaudit",
      path.empty() ? "" : path + ": ", version, kHistorySchemaVersion));
}

}  // namespace

std::string_view HistoryMigration(int version) {
  if (version < 1 || version > kHistorySchemaVersion) return {};
  return kMigrations[static_cast<size_t>(version - 1)];
}

bool ProcessAlive(int64_t pid) {
  if (pid <= 0) return false;
  // EPERM means the process exists but belongs to someone else.
  return kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

std::string HostName() {
  std::array<char, 256> buf{};
  if (gethostname(buf.data(), buf.size() - 1) != 0) return "";
  return buf.data();
}

Result<std::unique_ptr<HistoryStore>> HistoryStore::Open(const std::string& path, bool create) {
  std::error_code ec;
  if (!create && !std::filesystem::exists(path, ec)) {
    return NotFound(fmt::format("history store not found: {}", path));
  }
  DQA_ASSIGN_OR_RETURN(const StoreFile file, InspectStoreFile(path));
  DQA_ASSIGN_OR_RETURN(std::unique_ptr<SqliteDb> db, SqliteDb::OpenReadWrite(path, create));
  // The id goes in first, before WAL: a store is recognisable from its main file from the start.
  if (file != StoreFile::kStore) {
    DQA_RETURN_IF_ERROR(
        db->Exec(fmt::format("PRAGMA application_id={}", kHistoryApplicationId)).WithContext(path));
  }
  // WAL + synchronous=FULL: a committed source survives a crash or power loss, and a reader
  // (dqaudit history) never blocks the running scan.
  DQA_RETURN_IF_ERROR(db->Exec("PRAGMA journal_mode=WAL").WithContext(path));
  DQA_RETURN_IF_ERROR(db->Exec("PRAGMA synchronous=FULL").WithContext(path));
  DQA_RETURN_IF_ERROR(db->Exec("PRAGMA foreign_keys=ON").WithContext(path));
  std::unique_ptr<HistoryStore> store(new HistoryStore(std::move(db)));
  DQA_RETURN_IF_ERROR(store->Migrate().WithContext(path));
  return store;
}

Result<std::unique_ptr<HistoryStore>> HistoryStore::OpenReadOnly(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return NotFound(fmt::format("history store not found: {}", path));
  }
  DQA_ASSIGN_OR_RETURN(const StoreFile file, InspectStoreFile(path));
  if (file == StoreFile::kNew) return NotFound(fmt::format("history store is empty: {}", path));
  // The store is the host's own database, not rule SQL: no time budget on its statements (a
  // report over a long history may take a while), the same wait for a writer as Open.
  SqliteDb::OpenOptions options;
  options.statement_budget_ms = 0;
  DQA_ASSIGN_OR_RETURN(std::unique_ptr<SqliteDb> db, SqliteDb::OpenReadOnly(path, options));
  DQA_ASSIGN_OR_RETURN(std::optional<double> version, db->QueryNumber("PRAGMA user_version"));
  const int current = static_cast<int>(version.value_or(0));
  if (current > kHistorySchemaVersion) return NewerSchema(path, current);
  if (current < kHistorySchemaVersion) {
    return InvalidArgument(fmt::format(
        "{}: history schema version {} was written by an earlier dqaudit; this dqaudit ({}) reads "
        "version {} and commands that only read never migrate a store: run `dqaudit scan`, "
        "`dqaudit nightly` (not --dry-run) or `dqaudit inspections add` with this dqaudit on it "
        "once (they migrate it), then read it",
        path, current, DQA_VERSION, kHistorySchemaVersion));
  }
  return std::unique_ptr<HistoryStore>(new HistoryStore(std::move(db)));
}

Status HistoryStore::Migrate() {
  // Fast path without the write lock: `dqaudit history` must not wait for a running scan.
  DQA_ASSIGN_OR_RETURN(std::optional<double> seen, db_->QueryNumber("PRAGMA user_version"));
  if (static_cast<int>(seen.value_or(0)) == kHistorySchemaVersion) return Status::Ok();
  WriteTransaction tx(*db_);
  DQA_RETURN_IF_ERROR(tx.Begin());
  DQA_ASSIGN_OR_RETURN(std::optional<double> version, db_->QueryNumber("PRAGMA user_version"));
  const int current = static_cast<int>(version.value_or(0));
  if (current > kHistorySchemaVersion) return NewerSchema("", current);
  if (current == kHistorySchemaVersion) return Status::Ok();
  for (int v = current; v < kHistorySchemaVersion; ++v) {
    DQA_RETURN_IF_ERROR(db_->Exec(kMigrations[static_cast<size_t>(v)])
                            .WithContext(fmt::format("migration to schema {}", v + 1)));
  }
  DQA_RETURN_IF_ERROR(db_->Exec(fmt::format("PRAGMA user_version={}", kHistorySchemaVersion)));
  return tx.Commit();
}

Status HistoryStore::MarkInterruptedRuns(const std::string& host) {
  DQA_ASSIGN_OR_RETURN(
      Statement select,
      db_->Prepare("SELECT id, pid FROM runs WHERE status = 'running' AND host = ?"));
  DQA_RETURN_IF_ERROR(select.Bind(1, std::string_view(host)));
  std::vector<int64_t> dead;
  while (true) {
    DQA_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) break;
    if (!ProcessAlive(select.ColumnInt(1))) dead.push_back(select.ColumnInt(0));
  }
  DQA_ASSIGN_OR_RETURN(Statement update,
                       db_->Prepare("UPDATE runs SET status = 'interrupted' WHERE id = ?"));
  for (int64_t id : dead) {
    DQA_RETURN_IF_ERROR(update.Reset());
    DQA_RETURN_IF_ERROR(update.Bind(1, id));
    DQA_RETURN_IF_ERROR(StepDone(update));
  }
  return Status::Ok();
}

Result<int64_t> HistoryStore::BeginRun(const RunStart& start) {
  // The run's start is committed without waiting for the disk: the first source recorded after it
  // (synchronous=FULL, which syncs the write-ahead log in order) makes it durable, and a power loss
  // before that loses a run that had recorded nothing (docs/history.md "Guarantees").
  DQA_RETURN_IF_ERROR(db_->Exec("PRAGMA synchronous=NORMAL"));
  struct FullAgain {
    SqliteDb& db;
    ~FullAgain() { (void)db.Exec("PRAGMA synchronous=FULL"); }
  } full_again{*db_};
  WriteTransaction tx(*db_);
  DQA_RETURN_IF_ERROR(tx.Begin());
  DQA_RETURN_IF_ERROR(MarkInterruptedRuns(start.host));
  DQA_ASSIGN_OR_RETURN(Statement insert, db_->Prepare(R"sql(
INSERT INTO runs (started_at, status, today, version, command_line, pid, host, sources_planned,
                  kind, resumed_from)
VALUES (?, 'running', ?, ?, ?, ?, ?, ?, ?, ?))sql"));
  DQA_RETURN_IF_ERROR(insert.Bind(1, start.started_unix_ms));
  DQA_RETURN_IF_ERROR(insert.Bind(2, std::string_view(start.today)));
  DQA_RETURN_IF_ERROR(insert.Bind(3, std::string_view(start.version)));
  DQA_RETURN_IF_ERROR(insert.Bind(4, std::string_view(start.command_line)));
  DQA_RETURN_IF_ERROR(insert.Bind(5, start.pid));
  DQA_RETURN_IF_ERROR(insert.Bind(6, std::string_view(start.host)));
  DQA_RETURN_IF_ERROR(insert.Bind(7, start.sources_planned));
  DQA_RETURN_IF_ERROR(insert.Bind(8, std::string_view(start.kind)));
  DQA_RETURN_IF_ERROR(BindOptional(insert, 9, start.resumed_from));
  DQA_RETURN_IF_ERROR(StepDone(insert));
  const int64_t id = sqlite3_last_insert_rowid(db_->raw());
  CrashPoint("history.begin_run");  // inside the transaction: the run must vanish
  DQA_RETURN_IF_ERROR(tx.Commit());
  return id;
}

Status HistoryStore::RecordSource(int64_t run_id, const SourceResult& source,
                                  const std::function<Status()>& also) {
  const std::string context = fmt::format("recording source {} of run {}", source.source, run_id);
  WriteTransaction tx(*db_);
  DQA_RETURN_IF_ERROR(tx.Begin().WithContext(context));
  DQA_RETURN_IF_ERROR(InsertSource(run_id, source).WithContext(context));
  Status also_status = Status::Ok();
  if (also) {
    DQA_RETURN_IF_ERROR(db_->Exec("SAVEPOINT record_also").WithContext(context));
    also_status = also();
    if (!also_status.ok()) {
      DQA_RETURN_IF_ERROR(db_->Exec("ROLLBACK TO record_also").WithContext(context));
    }
    DQA_RETURN_IF_ERROR(db_->Exec("RELEASE record_also").WithContext(context));
  }
  CrashPoint("history.record_source");  // every row written, not committed: none may remain
  DQA_RETURN_IF_ERROR(tx.Commit().WithContext(context));
  CrashPoint("history.source_recorded");
  return also_status;
}

Status HistoryStore::InsertSource(int64_t run_id, const SourceResult& source) {
  {
    DQA_ASSIGN_OR_RETURN(Statement check, db_->Prepare("SELECT status FROM runs WHERE id = ?"));
    DQA_RETURN_IF_ERROR(check.Bind(1, run_id));
    DQA_ASSIGN_OR_RETURN(bool found, check.Step());
    if (!found) return InvalidArgument(fmt::format("no run {}", run_id));
  }
  DQA_ASSIGN_OR_RETURN(Statement insert_source, db_->Prepare(R"sql(
INSERT INTO sources (run_id, source, department, "database", status, error, started_at, finished_at,
                     fingerprint, carried_from_run)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?))sql"));
  DQA_RETURN_IF_ERROR(insert_source.Bind(1, run_id));
  DQA_RETURN_IF_ERROR(insert_source.Bind(2, std::string_view(source.source)));
  DQA_RETURN_IF_ERROR(insert_source.Bind(3, std::string_view(source.department)));
  DQA_RETURN_IF_ERROR(insert_source.Bind(4, std::string_view(source.database)));
  DQA_RETURN_IF_ERROR(
      insert_source.Bind(5, std::string_view(source.error.empty() ? "ok" : "error")));
  if (source.error.empty()) {
    DQA_RETURN_IF_ERROR(insert_source.BindNull(6));
  } else {
    DQA_RETURN_IF_ERROR(insert_source.Bind(6, std::string_view(source.error)));
  }
  DQA_RETURN_IF_ERROR(insert_source.Bind(7, source.started_unix_ms));
  DQA_RETURN_IF_ERROR(insert_source.Bind(8, source.finished_unix_ms));
  if (source.fingerprint.empty()) {
    DQA_RETURN_IF_ERROR(insert_source.BindNull(9));
  } else {
    DQA_RETURN_IF_ERROR(insert_source.Bind(9, std::string_view(source.fingerprint)));
  }
  DQA_RETURN_IF_ERROR(BindOptional(insert_source, 10, source.carried_from_run));
  if (Status s = StepDone(insert_source); !s.ok()) {
    if (sqlite3_extended_errcode(db_->raw()) == SQLITE_CONSTRAINT_UNIQUE) {
      return InvalidArgument(fmt::format("source {} is already recorded", source.source));
    }
    return s;
  }
  const int64_t source_id = sqlite3_last_insert_rowid(db_->raw());

  DQA_ASSIGN_OR_RETURN(Statement insert_result, db_->Prepare(R"sql(
INSERT INTO check_results (run_id, source_id, ordinal, check_id, type, source, table_name, columns,
  dimension, severity, outcome, violations, rows_checked, percent, "groups", unparseable, value,
  thresholds, key_columns, message, duration_ms, message_key, message_args, title)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?))sql"));
  DQA_ASSIGN_OR_RETURN(
      Statement insert_sample,
      db_->Prepare(R"sql(INSERT INTO samples (result_id, ordinal, "key") VALUES (?, ?, ?))sql"));
  DQA_ASSIGN_OR_RETURN(Statement insert_failing, db_->Prepare(R"sql(
INSERT INTO failing_rows (result_id, total, "rows") VALUES (?, ?, ?))sql"));
  // Plugin metrics, named "<check id>.<metric>" so that one source's metrics never collide.
  DQA_ASSIGN_OR_RETURN(Statement insert_metric, db_->Prepare(R"sql(
INSERT OR REPLACE INTO metrics (run_id, source, name, value, result_id) VALUES (?, ?, ?, ?, ?))sql"));
  DQA_ASSIGN_OR_RETURN(Statement insert_profile, db_->Prepare(R"sql(
INSERT INTO check_profiles (result_id, profile) VALUES (?, ?))sql"));
  DQA_ASSIGN_OR_RETURN(BreakdownRows breakdowns, BreakdownRows::ForWriting(*db_));
  int64_t ordinal = 0;
  for (const CheckResult& r : source.results) {
    Statement& s = insert_result;
    DQA_RETURN_IF_ERROR(s.Reset());
    DQA_RETURN_IF_ERROR(s.Bind(1, run_id));
    DQA_RETURN_IF_ERROR(s.Bind(2, source_id));
    DQA_RETURN_IF_ERROR(s.Bind(3, ordinal++));
    DQA_RETURN_IF_ERROR(s.Bind(4, std::string_view(r.id)));
    DQA_RETURN_IF_ERROR(s.Bind(5, std::string_view(r.type)));
    DQA_RETURN_IF_ERROR(s.Bind(6, std::string_view(r.source)));
    DQA_RETURN_IF_ERROR(s.Bind(7, std::string_view(r.table)));
    DQA_RETURN_IF_ERROR(s.Bind(8, std::string_view(Dump(json(r.columns)))));
    DQA_RETURN_IF_ERROR(s.Bind(9, ToString(r.dimension)));
    DQA_RETURN_IF_ERROR(s.Bind(10, ToString(r.severity)));
    DQA_RETURN_IF_ERROR(s.Bind(11, ToString(r.outcome)));
    DQA_RETURN_IF_ERROR(s.Bind(12, r.violations));
    DQA_RETURN_IF_ERROR(s.Bind(13, r.rows_checked));
    DQA_RETURN_IF_ERROR(s.Bind(14, r.percent));
    DQA_RETURN_IF_ERROR(BindOptional(s, 15, r.groups));
    DQA_RETURN_IF_ERROR(BindOptional(s, 16, r.unparseable));
    DQA_RETURN_IF_ERROR(BindOptional(s, 17, r.value));
    DQA_RETURN_IF_ERROR(s.Bind(18, std::string_view(ThresholdsToJson(r.thresholds).dump())));
    DQA_RETURN_IF_ERROR(s.Bind(19, std::string_view(Dump(json(r.key_columns)))));
    DQA_RETURN_IF_ERROR(s.Bind(20, std::string_view(r.message)));
    DQA_RETURN_IF_ERROR(s.Bind(21, r.duration_ms));
    if (r.message_key.empty()) {
      DQA_RETURN_IF_ERROR(s.BindNull(22));
      DQA_RETURN_IF_ERROR(s.BindNull(23));
    } else {
      DQA_RETURN_IF_ERROR(s.Bind(22, std::string_view(r.message_key)));
      DQA_RETURN_IF_ERROR(s.Bind(23, std::string_view(Dump(json(r.message_args)))));
    }
    if (r.title.empty()) {
      DQA_RETURN_IF_ERROR(s.BindNull(24));
    } else {
      DQA_RETURN_IF_ERROR(s.Bind(24, std::string_view(Dump(json(r.title)))));
    }
    DQA_RETURN_IF_ERROR(StepDone(s));
    const int64_t result_id = sqlite3_last_insert_rowid(db_->raw());
    int64_t sample_ordinal = 0;
    for (const auto& sample : r.samples) {
      DQA_RETURN_IF_ERROR(insert_sample.Reset());
      DQA_RETURN_IF_ERROR(insert_sample.Bind(1, result_id));
      DQA_RETURN_IF_ERROR(insert_sample.Bind(2, sample_ordinal++));
      const std::string key =
          SampleToJson(r.key_columns, sample).dump(-1, ' ', false, json::error_handler_t::replace);
      DQA_RETURN_IF_ERROR(insert_sample.Bind(3, std::string_view(key)));
      DQA_RETURN_IF_ERROR(StepDone(insert_sample));
    }
    if (!r.failing_rows.empty() || r.failing_rows_total > 0) {
      DQA_RETURN_IF_ERROR(insert_failing.Reset());
      DQA_RETURN_IF_ERROR(insert_failing.Bind(1, result_id));
      DQA_RETURN_IF_ERROR(insert_failing.Bind(2, r.failing_rows_total));
      const std::string rows = JsonStringRows(r.failing_rows);
      DQA_RETURN_IF_ERROR(insert_failing.Bind(3, std::string_view(rows)));
      DQA_RETURN_IF_ERROR(StepDone(insert_failing));
    }
    if (!r.profile.empty()) {
      DQA_RETURN_IF_ERROR(insert_profile.Reset());
      DQA_RETURN_IF_ERROR(insert_profile.Bind(1, result_id));
      DQA_RETURN_IF_ERROR(insert_profile.Bind(2, std::string_view(r.profile)));
      DQA_RETURN_IF_ERROR(StepDone(insert_profile));
    }
    DQA_RETURN_IF_ERROR(WriteIndicators(*db_, result_id, r.indicators));
    DQA_RETURN_IF_ERROR(breakdowns.Write(result_id, r));
    for (const auto& [name, value] : r.metrics) {
      DQA_RETURN_IF_ERROR(insert_metric.Reset());
      DQA_RETURN_IF_ERROR(insert_metric.Bind(1, run_id));
      DQA_RETURN_IF_ERROR(insert_metric.Bind(2, std::string_view(source.source)));
      DQA_RETURN_IF_ERROR(insert_metric.Bind(3, std::string_view(r.id + "." + name)));
      DQA_RETURN_IF_ERROR(insert_metric.Bind(4, value));
      DQA_RETURN_IF_ERROR(insert_metric.Bind(5, result_id));
      DQA_RETURN_IF_ERROR(StepDone(insert_metric));
    }
  }
  return Status::Ok();
}

Status HistoryStore::FinishRun(int64_t run_id, int exit_code) {
  WriteTransaction tx(*db_);
  DQA_RETURN_IF_ERROR(tx.Begin());
  DQA_ASSIGN_OR_RETURN(RunRecord run, GetRun(run_id));
  const int64_t scanned = run.sources_recorded - run.source_errors;
  std::string status = "partial";
  if (run.source_errors == 0 && run.sources_recorded >= run.sources_planned) {
    status = "complete";
  } else if (run.sources_planned > 0 && scanned == 0) {
    status = "failed";
  }
  DQA_ASSIGN_OR_RETURN(
      Statement update,
      db_->Prepare("UPDATE runs SET status = ?, finished_at = ?, exit_code = ? WHERE id = ?"));
  DQA_RETURN_IF_ERROR(update.Bind(1, std::string_view(status)));
  DQA_RETURN_IF_ERROR(update.Bind(2, NowUnixMs()));
  DQA_RETURN_IF_ERROR(update.Bind(3, static_cast<int64_t>(exit_code)));
  DQA_RETURN_IF_ERROR(update.Bind(4, run_id));
  DQA_RETURN_IF_ERROR(StepDone(update));
  CrashPoint("history.finish_run");
  return tx.Commit();
}

Result<std::vector<RunRecord>> HistoryStore::ListRuns(int limit) {
  DQA_ASSIGN_OR_RETURN(Statement stmt,
                       db_->Prepare(std::string(kRunSelect) + " ORDER BY r.id DESC LIMIT ?"));
  DQA_RETURN_IF_ERROR(stmt.Bind(1, static_cast<int64_t>(limit)));
  std::vector<RunRecord> runs;
  while (true) {
    DQA_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    DQA_ASSIGN_OR_RETURN(RunRecord run, ReadRun(stmt));
    runs.push_back(std::move(run));
  }
  return runs;
}

Result<std::vector<RunRecord>> HistoryStore::ListRunsBefore(int64_t run_id, int limit) {
  DQA_ASSIGN_OR_RETURN(
      Statement stmt,
      db_->Prepare(std::string(kRunSelect) + " WHERE r.id < ? ORDER BY r.id DESC LIMIT ?"));
  DQA_RETURN_IF_ERROR(stmt.Bind(1, run_id));
  DQA_RETURN_IF_ERROR(stmt.Bind(2, static_cast<int64_t>(limit)));
  std::vector<RunRecord> runs;
  while (true) {
    DQA_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    DQA_ASSIGN_OR_RETURN(RunRecord run, ReadRun(stmt));
    runs.push_back(std::move(run));
  }
  return runs;
}

Result<RunRecord> HistoryStore::GetRun(int64_t run_id) {
  DQA_ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(std::string(kRunSelect) + " WHERE r.id = ?"));
  DQA_RETURN_IF_ERROR(stmt.Bind(1, run_id));
  DQA_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return NotFound(fmt::format("no run {} in the history store", run_id));
  return ReadRun(stmt);
}

Result<std::vector<SourceResult>> HistoryStore::LoadRun(int64_t run_id) {
  DQA_RETURN_IF_ERROR(GetRun(run_id).status());
  // One read transaction: a concurrent writer cannot show us half of the run.
  DQA_RETURN_IF_ERROR(db_->Exec("BEGIN DEFERRED"));
  struct EndRead {
    SqliteDb& db;
    ~EndRead() { (void)db.Exec("COMMIT"); }
  } end_read{*db_};

  DQA_ASSIGN_OR_RETURN(Statement sources, db_->Prepare(R"sql(
SELECT id, source, department, "database", error, started_at, finished_at, fingerprint,
       carried_from_run
FROM sources WHERE run_id = ? ORDER BY id)sql"));
  DQA_ASSIGN_OR_RETURN(Statement results, db_->Prepare(R"sql(
SELECT id, check_id, type, source, table_name, columns, dimension, severity, outcome, violations,
       rows_checked, percent, "groups", unparseable, value, thresholds, key_columns, message,
       duration_ms, message_key, message_args, title
FROM check_results WHERE source_id = ? ORDER BY ordinal)sql"));
  DQA_ASSIGN_OR_RETURN(
      Statement samples,
      db_->Prepare(R"sql(SELECT "key" FROM samples WHERE result_id = ? ORDER BY ordinal)sql"));
  // Metrics are stored as "<check id>.<metric>"; the prefix is cut off again here.
  DQA_ASSIGN_OR_RETURN(
      Statement metrics,
      db_->Prepare(R"sql(SELECT name, value FROM metrics WHERE result_id = ? ORDER BY rowid)sql"));
  DQA_ASSIGN_OR_RETURN(
      Statement profile,
      db_->Prepare(R"sql(SELECT profile FROM check_profiles WHERE result_id = ?)sql"));
  DQA_ASSIGN_OR_RETURN(BreakdownRows breakdowns, BreakdownRows::ForReading(*db_));
  DQA_RETURN_IF_ERROR(sources.Bind(1, run_id));
  DQA_ASSIGN_OR_RETURN(IndicatorsByResult indicators, LoadIndicators(*db_, run_id));
  std::vector<SourceResult> out;
  while (true) {
    DQA_ASSIGN_OR_RETURN(bool row, sources.Step());
    if (!row) break;
    SourceResult s;
    const int64_t source_id = sources.ColumnInt(0);
    s.source = sources.ColumnText(1);
    s.department = sources.ColumnText(2);
    s.database = sources.ColumnText(3);
    if (!sources.IsNull(4)) s.error = sources.ColumnText(4);
    s.started_unix_ms = sources.ColumnInt(5);
    s.finished_unix_ms = sources.ColumnInt(6);
    if (!sources.IsNull(7)) s.fingerprint = sources.ColumnText(7);
    if (!sources.IsNull(8)) s.carried_from_run = sources.ColumnInt(8);

    DQA_RETURN_IF_ERROR(results.Reset());
    DQA_RETURN_IF_ERROR(results.Bind(1, source_id));
    while (true) {
      DQA_ASSIGN_OR_RETURN(bool result_row, results.Step());
      if (!result_row) break;
      CheckResult r;
      const int64_t result_id = results.ColumnInt(0);
      r.id = results.ColumnText(1);
      r.type = results.ColumnText(2);
      r.source = results.ColumnText(3);
      r.table = results.ColumnText(4);
      DQA_ASSIGN_OR_RETURN(r.columns, ParseStringArray(results.ColumnText(5), "columns"));
      const auto dimension = ParseDimension(results.ColumnText(6));
      const auto severity = ParseSeverity(results.ColumnText(7));
      const auto outcome = ParseOutcome(results.ColumnText(8));
      if (!dimension || !severity || !outcome) {
        return Internal(fmt::format("corrupt check result {} in history store", result_id));
      }
      r.dimension = *dimension;
      r.severity = *severity;
      r.outcome = *outcome;
      r.violations = results.ColumnInt(9);
      r.rows_checked = results.ColumnInt(10);
      r.percent = results.ColumnDouble(11);
      if (!results.IsNull(12)) r.groups = results.ColumnInt(12);
      if (!results.IsNull(13)) r.unparseable = results.ColumnInt(13);
      if (!results.IsNull(14)) r.value = results.ColumnDouble(14);
      DQA_ASSIGN_OR_RETURN(json thresholds, ParseJson(results.ColumnText(15), "thresholds"));
      DQA_ASSIGN_OR_RETURN(r.thresholds, ThresholdsFromJson(thresholds));
      DQA_ASSIGN_OR_RETURN(r.key_columns, ParseStringArray(results.ColumnText(16), "key_columns"));
      r.message = results.ColumnText(17);
      r.duration_ms = results.ColumnDouble(18);
      if (!results.IsNull(19)) {
        r.message_key = results.ColumnText(19);
        DQA_ASSIGN_OR_RETURN(json args, ParseJson(results.ColumnText(20), "message_args"));
        if (!args.is_array()) {
          return Internal(fmt::format("corrupt message_args of result {} in history store", result_id));
        }
        for (const json& a : args) {
          if (!a.is_array() || a.size() != 2 || !a[0].is_string() || !a[1].is_string()) {
            return Internal(
                fmt::format("corrupt message_args of result {} in history store", result_id));
          }
          r.message_args.emplace_back(a[0].get<std::string>(), a[1].get<std::string>());
        }
      }
      if (!results.IsNull(21)) {
        DQA_ASSIGN_OR_RETURN(json title, ParseJson(results.ColumnText(21), "title"));
        if (!title.is_object()) {
          return Internal(fmt::format("corrupt title of result {} in history store", result_id));
        }
        for (const auto& [lang, text] : title.items()) {
          if (!text.is_string()) {
            return Internal(fmt::format("corrupt title of result {} in history store", result_id));
          }
          r.title[lang] = text.get<std::string>();
        }
      }

      DQA_RETURN_IF_ERROR(samples.Reset());
      DQA_RETURN_IF_ERROR(samples.Bind(1, result_id));
      while (true) {
        DQA_ASSIGN_OR_RETURN(bool sample_row, samples.Step());
        if (!sample_row) break;
        DQA_ASSIGN_OR_RETURN(std::vector<std::string> values,
                             ParseSample(samples.ColumnText(0), result_id));
        r.samples.push_back(std::move(values));
      }
      DQA_RETURN_IF_ERROR(metrics.Reset());
      DQA_RETURN_IF_ERROR(metrics.Bind(1, result_id));
      const std::string prefix = r.id + ".";
      while (true) {
        DQA_ASSIGN_OR_RETURN(bool metric_row, metrics.Step());
        if (!metric_row) break;
        std::string name(metrics.ColumnText(0));
        if (name.starts_with(prefix)) name.erase(0, prefix.size());
        r.metrics.emplace_back(std::move(name), metrics.ColumnDouble(1));
      }
      DQA_RETURN_IF_ERROR(profile.Reset());
      DQA_RETURN_IF_ERROR(profile.Bind(1, result_id));
      DQA_ASSIGN_OR_RETURN(bool has_profile, profile.Step());
      if (has_profile) r.profile = profile.ColumnText(0);
      if (auto it = indicators.find(result_id); it != indicators.end()) {
        r.indicators = std::move(it->second);
      }
      DQA_RETURN_IF_ERROR(breakdowns.Read(result_id, r));
      s.results.push_back(std::move(r));
    }
    out.push_back(std::move(s));
  }
  return out;
}

Result<FailingRowList> HistoryStore::FailingRows(int64_t run_id, const std::string& check_id,
                                                const std::string& source) {
  DQA_RETURN_IF_ERROR(GetRun(run_id).status());
  DQA_ASSIGN_OR_RETURN(Statement find, db_->Prepare(R"sql(
SELECT r.id, s.source, s.carried_from_run, r.table_name, r.key_columns, r.violations
FROM check_results r JOIN sources s ON s.id = r.source_id
WHERE r.run_id = ? AND r.check_id = ? AND (? = '' OR s.source = ?) ORDER BY s.id)sql"));
  DQA_ASSIGN_OR_RETURN(Statement failing, db_->Prepare(
      R"sql(SELECT total, "rows" FROM failing_rows WHERE result_id = ?)sql"));
  DQA_ASSIGN_OR_RETURN(Statement samples, db_->Prepare(
      R"sql(SELECT "key" FROM samples WHERE result_id = ? ORDER BY ordinal)sql"));
  // A source carried over from an earlier run (nightly: unchanged database) has its rows there.
  for (int hop = 0; hop < 64; ++hop) {
    DQA_RETURN_IF_ERROR(find.Reset());
    DQA_RETURN_IF_ERROR(find.Bind(1, run_id));
    DQA_RETURN_IF_ERROR(find.Bind(2, std::string_view(check_id)));
    DQA_RETURN_IF_ERROR(find.Bind(3, std::string_view(source)));
    DQA_RETURN_IF_ERROR(find.Bind(4, std::string_view(source)));
    std::vector<std::string> sources;
    FailingRowList out;
    int64_t result_id = 0;
    std::optional<int64_t> carried;
    while (true) {
      DQA_ASSIGN_OR_RETURN(bool row, find.Step());
      if (!row) break;
      sources.emplace_back(find.ColumnText(1));
      if (sources.size() > 1) continue;
      result_id = find.ColumnInt(0);
      out.source = find.ColumnText(1);
      if (!find.IsNull(2)) carried = find.ColumnInt(2);
      out.table = find.ColumnText(3);
      DQA_ASSIGN_OR_RETURN(out.columns, ParseStringArray(find.ColumnText(4), "key_columns"));
      out.violations = find.ColumnInt(5);
    }
    if (sources.empty()) {
      // Say which ids the run has: a default id is easy to mistype (docs/rules.md "Default ids").
      DQA_ASSIGN_OR_RETURN(Statement ids, db_->Prepare(R"sql(
SELECT DISTINCT r.check_id FROM check_results r JOIN sources s ON s.id = r.source_id
WHERE r.run_id = ? AND (? = '' OR s.source = ?) ORDER BY r.check_id)sql"));
      DQA_RETURN_IF_ERROR(ids.Bind(1, run_id));
      DQA_RETURN_IF_ERROR(ids.Bind(2, std::string_view(source)));
      DQA_RETURN_IF_ERROR(ids.Bind(3, std::string_view(source)));
      std::vector<std::string> known;
      int64_t more = 0;
      while (true) {
        DQA_ASSIGN_OR_RETURN(bool row, ids.Step());
        if (!row) break;
        if (known.size() < 10) {
          known.emplace_back(ids.ColumnText(0));
        } else {
          ++more;
        }
      }
      std::string listed = known.empty() ? "none" : fmt::format("{}", fmt::join(known, ", "));
      if (more > 0) listed += fmt::format(" and {} more", more);
      return NotFound(fmt::format("run {} has no check '{}'{}; its checks{}: {}", run_id, check_id,
                                  source.empty() ? "" : " on source '" + source + "'",
                                  source.empty() ? "" : " there", listed));
    }
    if (sources.size() > 1) {
      return InvalidArgument(fmt::format(
          "check '{}' ran on several sources in run {} ({}): name one with --source", check_id,
          run_id, fmt::join(sources, ", ")));
    }
    if (carried && *carried != run_id) {
      run_id = *carried;
      continue;
    }
    out.run_id = run_id;
    DQA_RETURN_IF_ERROR(failing.Bind(1, result_id));
    DQA_ASSIGN_OR_RETURN(bool listed, failing.Step());
    if (listed) {
      out.complete_list = true;
      out.total = failing.ColumnInt(0);
      DQA_ASSIGN_OR_RETURN(json rows, ParseJson(failing.ColumnText(1), "failing rows"));
      if (!rows.is_array()) return Internal(fmt::format("corrupt failing rows of result {}", result_id));
      for (const json& r : rows) {
        std::vector<std::string> values;
        for (const json& v : r) values.push_back(v.is_string() ? v.get<std::string>() : v.dump());
        out.rows.push_back(std::move(values));
      }
      return out;
    }
    // A check that keeps samples only: its samples, said as such.
    DQA_RETURN_IF_ERROR(samples.Bind(1, result_id));
    while (true) {
      DQA_ASSIGN_OR_RETURN(bool row, samples.Step());
      if (!row) break;
      DQA_ASSIGN_OR_RETURN(std::vector<std::string> values,
                           ParseSample(samples.ColumnText(0), result_id));
      out.rows.push_back(std::move(values));
    }
    out.total = out.violations;
    return out;
  }
  return Internal(fmt::format("run {} is carried over from runs that form a loop", run_id));
}

}  // namespace dqa
