// SqlGuard: what SQL from rule files and plugins may do on a read-only source connection.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>

namespace dqa {

// Default time budget of one statement on a source connection (docs/sources.md "the guard").
inline constexpr int64_t kDefaultStatementBudgetMs = 60'000;

// Settings and limits installed on one connection, plus the state its callbacks share with the
// statements of that connection. Owned by the SqliteDb (the callbacks point at it, so it must not
// move: always held by unique_ptr). Not thread-safe, like the connection.
//
// Install() applies, for the whole life of the connection:
// - sqlite3_db_config: DEFENSIVE on, LOAD_EXTENSION off, FTS3_TOKENIZER off, TRUSTED_SCHEMA off;
// - sqlite3_limit: SQL length 1,000,000 bytes, expression depth 250, 50 compound SELECT terms,
//   LIKE/GLOB patterns of 1,000 bytes, 32 function arguments, 256 variables, 1,000,000 VM
//   instructions per program, no attached database (the host raises it for its own ATTACHes);
// - an authorizer that allows SELECT, reading tables and views, recursive CTEs, functions except
//   load_extension() and fts3_tokenizer(), and the read-only pragmas of kAllowedPragmas; it
//   refuses everything else (ATTACH, DETACH, BEGIN/COMMIT/SAVEPOINT, other pragmas, writes, DDL)
//   unless the host's own statement runs inside a HostScope;
// - a progress handler that interrupts a statement past the deadline set by Arm().
class SqlGuard {
 public:
  // `budget_ms` <= 0: no time budget.
  SqlGuard(sqlite3* db, int64_t budget_ms);
  SqlGuard(const SqlGuard&) = delete;
  SqlGuard& operator=(const SqlGuard&) = delete;

  void Install();

  // While a HostScope lives, the authorizer allows everything: the host's own ATTACH of
  // `attach:` sources and the BEGIN/COMMIT of the snapshot. Rule SQL never runs in one.
  class HostScope {
   public:
    explicit HostScope(SqlGuard* guard) : guard_(guard) {
      if (guard_ != nullptr) ++guard_->host_depth_;
    }
    ~HostScope() {
      if (guard_ != nullptr) --guard_->host_depth_;
    }
    HostScope(const HostScope&) = delete;
    HostScope& operator=(const HostScope&) = delete;

   private:
    SqlGuard* guard_;
  };

  // The reason of the last refusal ("not allowed in rule SQL: ATTACH"); SqliteDb clears it
  // before each prepare, so with SQLITE_AUTH it names what that prepare was refused.
  const std::string& denial() const { return denial_; }
  void ClearDenial() { denial_.clear(); }

  int64_t budget_ms() const { return budget_ms_; }
  // Sets the deadline (steady clock, ns) checked by the progress handler; returns the previous
  // one so that nested steps can restore it. 0 = none.
  int64_t Arm(int64_t deadline_ns);
  void Restore(int64_t previous_deadline_ns) { deadline_ns_ = previous_deadline_ns; }
  // True when the progress handler interrupted a statement since the last Arm().
  bool fired() const { return fired_; }

  static int64_t NowNs();

 private:
  static int Authorize(void* self, int action, const char* a1, const char* a2, const char* schema,
                       const char* inner);
  static int Progress(void* self);
  int Deny(std::string what);

  sqlite3* db_;
  int64_t budget_ms_;
  int host_depth_ = 0;
  std::string denial_;
  int64_t deadline_ns_ = 0;
  bool fired_ = false;
};

}  // namespace dqa
