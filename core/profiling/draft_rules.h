// Draft rule file from a profile: suggested checks a user reviews and edits (rule language v1).
#pragma once

#include <string>

#include "core/profiling/profiler.h"

namespace dqa::profiling {

struct DraftOptions {
  std::string source_id;     // value of `source:`; marked for editing in the file
  std::string database_ref;  // path after `sqlite:`, relative to the rule file's folder
  // A PostgreSQL source: its DSN without any password (written as `database:` instead of
  // `sqlite:<database_ref>`), and whether the DSN given to the profile held one (the draft then
  // says where to give it: PGPASSWORD, ~/.pgpass, a service file, or ${VAR}).
  std::string connection;
  bool password_left_out = false;
};

// The options of a draft of the database at `database` written to `rule_file`. A SQLite file (a
// path, or `sqlite:<path>`): the source id from the database's file name (letters, digits, '_' and
// '-'; "source" when nothing is left) and the database's path relative to the rule file's folder
// (absolute when no relative path exists), as the loader resolves `database:` (docs/rules.md). A
// PostgreSQL URI (postgresql:// or postgres://): the source id from its schema (`schema=`, else
// "public") and the URI as given without its password (DsnWithoutPassword).
DraftOptions DraftOptionsFor(const std::string& database, const std::string& rule_file);

// A YAML rule file (docs/rules.md) with one entry per profiled table: `key` (the primary key, else
// a column named like a key that is unique and never NULL), then suggested checks, each after a
// comment with the observed numbers that led to it (docs/profiling.md "Draft rules" lists every
// heuristic). `department` is a "TODO" placeholder. Thresholds leave headroom over what the data
// shows today, so a fresh draft describes the data as it is; a check with no threshold fails on
// any violation. The result loads with LoadRules and passes ValidateAgainstDatabases on the
// profiled database.
std::string DraftRules(const DatabaseProfile& profile, const DraftOptions& options);

// The threshold suggested for a violation share of `percent` (0-100): 1.5 x the share plus 0.1,
// rounded up to a step of 0.1 (below 1), 0.5 (below 5), 1 (below 20) or 5, at most 100; 0 for 0.
double SuggestedMaxPercent(double percent);

}  // namespace dqa::profiling
