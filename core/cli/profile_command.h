// `dqaudit profile`: per-column statistics of a SQLite or PostgreSQL database and a draft rule file.
#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace dqa::cli {

struct ProfileOptions {
  // SQLite file (a path or sqlite:PATH) or PostgreSQL URI (postgresql://...?schema=S), read-only
  std::string database;
  std::vector<std::string> tables;  // --table (repeatable); empty = every table
  std::string out_path;             // --out: draft rule file; "" = none
  std::string json_path;            // --json: full profile as JSON; "" = none
  std::string today;                // --today YYYY-MM-DD; "" = current UTC date
};

// Adds the `profile` subcommand bound to `options` (which must outlive the app) and returns it.
CLI::App* AddProfileCommand(CLI::App& app, ProfileOptions& options);

// Profiles the database and writes the text profile to stdout, the draft rule file and the JSON.
// Returns 0 on success, 2 for a usage error (bad --today, unknown table, --out naming the
// database; on PostgreSQL an unknown database or schema), 3 when the database cannot be read (a
// server that cannot be reached, a failed read) or a file cannot be written. No password of a
// PostgreSQL URI is printed or written (RedactDsn in messages, DsnWithoutPassword in the draft).
int RunProfile(const ProfileOptions& options);

}  // namespace dqa::cli
