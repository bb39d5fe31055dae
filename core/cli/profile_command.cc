// `dqaudit profile`: per-column statistics of a SQLite or PostgreSQL database and a draft rule file.
#include "core/cli/profile_command.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <utility>

#include "core/cli/commands.h"
#include "core/cli/help_footer.h"
#include "core/profiling/draft_rules.h"
#include "core/profiling/profile_output.h"
#include "core/profiling/profiler.h"
#include "core/sources/open_source.h"
#include "core/sources/pg_db.h"
#include "core/util/atomic_file.h"
#include "core/util/clock.h"
#include "core/util/dates.h"
#include "core/util/file_identity.h"

namespace dqa::cli {
namespace {

void PrintProfileError(const std::string& message) { fmt::print(stderr, "dqaudit: {}\n", message); }

bool IsPostgresUri(const std::string& database) {
  return database.starts_with("postgresql://") || database.starts_with("postgres://");
}

// The SQLite file of a DATABASE argument: the path itself, or what follows `sqlite:`.
std::string SqlitePath(const std::string& database) {
  return database.starts_with("sqlite:") ? database.substr(7) : database;
}

}  // namespace

CLI::App* AddProfileCommand(CLI::App& app, ProfileOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "profile",
      "Profile a SQLite or PostgreSQL database read-only (types, missing, distinct, top values, "
      "patterns, dates per column) and draft a rule file from it");
  cmd->fallthrough();
  cmd->add_option("database", o.database,
                  "SQLite database file (a path or sqlite:PATH), or postgresql://...?schema=S")
      ->required()
      ->check(CLI::Validator(
          [](std::string& database) -> std::string {
            if (IsPostgresUri(database)) return "";
            std::string path = SqlitePath(database);
            return CLI::ExistingFile(path);
          },
          "DATABASE"));
  cmd->add_option("--table", o.tables, "Profile only this table (repeatable)");
  cmd->add_option("--out", o.out_path,
                  "Write a draft rule file (YAML) here, to review and edit before use");
  cmd->add_option("--json", o.json_path, "Write the full profile as JSON here");
  cmd->add_option("--today", o.today,
                  "Reference date YYYY-MM-DD for future dates and freshness (default: today, UTC)");
  cmd->footer(ExitCodesFooter(
      {{0, "profiled (and the files written)"},
       {2, "bad option, a database or table that is not there, or an output that is an input"},
       {3, "the database cannot be read or a file cannot be written"}}));
  return cmd;
}

int RunProfile(const ProfileOptions& o) {
  profiling::ProfileSettings settings;
  if (o.today.empty()) {
    // Today on this machine's clock, as a scan without utc_offset takes it (docs/checks.md).
    settings.today_day = DayOf(WallClock(NowUnixMs() / 1000, std::nullopt));
  } else if (auto day = ParseIsoDay(o.today)) {
    settings.today_day = *day;
  } else {
    PrintProfileError(fmt::format("invalid --today '{}': expected a date YYYY-MM-DD", o.today));
    return kExitUsage;
  }
  // Neither output may be the database (or its -wal/-journal); both must be writable.
  const bool postgres = IsPostgresUri(o.database);
  InputFiles inputs;
  if (!postgres) inputs.Add(SqlitePath(o.database), "the database being profiled");
  for (const auto& [option, path] :
       {std::pair<const char*, const std::string&>{"--out", o.out_path}, {"--json", o.json_path}}) {
    if (path.empty()) continue;
    Status s = inputs.CheckOutput(option, path);
    if (s.ok()) s = CheckWritable(path).WithContext(option);
    if (!s.ok()) {
      PrintProfileError(s.message());
      return kExitUsage;
    }
  }

  SourceSpec source;
  if (postgres) {
    source.connection = o.database;
  } else {
    source.db_path = SqlitePath(o.database);
  }
  OpenSourceOptions open;
  open.snapshot = false;  // ProfileDatabase takes its own
  open.statement_budget_ms = kDefaultStatementBudgetMs;
  auto db = OpenSourceDb(source, open);
  if (!db.ok()) {
    // Errors name a PostgreSQL source by its redacted DSN. An unknown database is a usage error,
    // like an unknown file; a server that cannot be reached, a runtime one.
    PrintProfileError(db.status().message());
    return db.status().code() == StatusCode::kNotFound && postgres ? kExitUsage : kExitRuntime;
  }
  auto profile = profiling::ProfileDatabase(**db, o.tables, settings);
  if (!profile.ok()) {
    PrintProfileError(profile.status().message());
    return profile.status().code() == StatusCode::kNotFound ? kExitUsage : kExitRuntime;
  }
  // As the user gave it, never with a password.
  profile->database = postgres ? RedactDsn(o.database) : o.database;
  profiling::WriteProfileText(std::cout, *profile);
  std::cout.flush();

  if (!o.json_path.empty()) {
    if (Status s =
            WriteFileAtomically(o.json_path, profiling::ProfileToJson(*profile).dump(2) + "\n");
        !s.ok()) {
      PrintProfileError(s.message());
      return kExitRuntime;
    }
    fmt::print(stderr, "profile: {}\n", o.json_path);
  }
  if (!o.out_path.empty()) {
    const profiling::DraftOptions draft = profiling::DraftOptionsFor(o.database, o.out_path);
    if (Status s = WriteFileAtomically(o.out_path, profiling::DraftRules(*profile, draft));
        !s.ok()) {
      PrintProfileError(s.message());
      return kExitRuntime;
    }
    fmt::print(stderr, "draft rules: {} (review and edit it, then `dqaudit rules check {}`)\n",
               o.out_path, o.out_path);
  }
  return kExitOk;
}

}  // namespace dqa::cli
