// `dqaudit profile`: per-column statistics of a SQLite database and a draft rule file.
#include "core/cli/profile_command.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "core/cli/commands.h"
#include "core/profiling/draft_rules.h"
#include "core/profiling/profile_output.h"
#include "core/profiling/profiler.h"
#include "core/util/clock.h"
#include "core/util/dates.h"

namespace dqa::cli {
namespace {

namespace fs = std::filesystem;

void PrintProfileError(const std::string& message) { fmt::print(stderr, "dqaudit: {}\n", message); }

// A source id from the database file name: letters, digits, '_' and '-' only.
std::string SourceIdFor(const std::string& database) {
  std::string id;
  for (char c : fs::path(database).stem().string()) {
    id += std::isalnum(static_cast<unsigned char>(c)) || c == '-' ? c : '_';
  }
  return id.empty() ? "source" : id;
}

Status WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return IoError(fmt::format("cannot write {}", path));
  out << text;
  out.close();
  if (!out) return IoError(fmt::format("cannot write {}", path));
  return Status::Ok();
}

}  // namespace

CLI::App* AddProfileCommand(CLI::App& app, ProfileOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "profile",
      "Profile a SQLite database read-only (types, missing, distinct, top values, patterns, "
      "dates per column) and draft a rule file from it");
  cmd->fallthrough();
  cmd->add_option("database", o.database, "SQLite database file")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--table", o.tables, "Profile only this table (repeatable)");
  cmd->add_option("--out", o.out_path,
                  "Write a draft rule file (YAML) here, to review and edit before use");
  cmd->add_option("--json", o.json_path, "Write the full profile as JSON here");
  cmd->add_option("--today", o.today,
                  "Reference date YYYY-MM-DD for future dates and freshness (default: today, UTC)");
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
  std::error_code ec;
  if (!o.out_path.empty() && fs::equivalent(o.out_path, o.database, ec)) {
    PrintProfileError("--out names the database itself; choose another file");
    return kExitUsage;
  }

  auto db = SqliteDb::OpenReadOnly(o.database);
  if (!db.ok()) {
    PrintProfileError(db.status().message());
    return kExitRuntime;
  }
  auto profile = profiling::ProfileDatabase(**db, o.tables, settings);
  if (!profile.ok()) {
    PrintProfileError(profile.status().message());
    return profile.status().code() == StatusCode::kNotFound ? kExitUsage : kExitRuntime;
  }
  profile->database = o.database;
  profiling::WriteProfileText(std::cout, *profile);
  std::cout.flush();

  if (!o.json_path.empty()) {
    if (Status s = WriteFile(o.json_path, profiling::ProfileToJson(*profile).dump(2) + "\n");
        !s.ok()) {
      PrintProfileError(s.message());
      return kExitRuntime;
    }
    fmt::print(stderr, "profile: {}\n", o.json_path);
  }
  if (!o.out_path.empty()) {
    // `database:` is relative to the rule file's folder (docs/rules.md).
    const fs::path folder = fs::absolute(o.out_path).parent_path();
    const fs::path db_abs = fs::weakly_canonical(fs::absolute(o.database));
    fs::path ref = db_abs.lexically_relative(fs::weakly_canonical(folder));
    if (ref.empty()) ref = db_abs;
    profiling::DraftOptions draft{.source_id = SourceIdFor(o.database),
                                  .database_ref = ref.generic_string()};
    if (Status s = WriteFile(o.out_path, profiling::DraftRules(*profile, draft)); !s.ok()) {
      PrintProfileError(s.message());
      return kExitRuntime;
    }
    fmt::print(stderr, "draft rules: {} (review and edit it, then `dqaudit rules check {}`)\n",
               o.out_path, o.out_path);
  }
  return kExitOk;
}

}  // namespace dqa::cli
