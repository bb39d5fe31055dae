// `dqaudit profile`: per-column statistics of a SQLite database and a draft rule file.
#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace dqa::cli {

struct ProfileOptions {
  std::string database;             // SQLite file, opened read-only
  std::vector<std::string> tables;  // --table (repeatable); empty = every table
  std::string out_path;             // --out: draft rule file; "" = none
  std::string json_path;            // --json: full profile as JSON; "" = none
  std::string today;                // --today YYYY-MM-DD; "" = current UTC date
};

// Adds the `profile` subcommand bound to `options` (which must outlive the app) and returns it.
CLI::App* AddProfileCommand(CLI::App& app, ProfileOptions& options);

// Profiles the database and writes the text profile to stdout, the draft rule file and the JSON.
// Returns 0 on success, 2 for a usage error (bad --today, unknown table, --out naming the
// database), 3 when the database cannot be read or a file cannot be written.
int RunProfile(const ProfileOptions& options);

}  // namespace dqa::cli
