// The process exit codes of dqaudit (README "Exit codes"); when several apply the highest wins.
#pragma once

namespace dqa {

constexpr int kExitOk = 0;        // every check passed or warned
constexpr int kExitFindings = 1;  // some check failed
// Usage, rule or configuration error, or an output refused before any work (it is an input, or
// the history file is not a dqaudit store): nothing was scanned or written.
constexpr int kExitUsage = 2;
// A source could not be scanned, a check ended in error, or an output could not be written.
constexpr int kExitRuntime = 3;
constexpr int kExitLocked = 4;  // nightly: another run holds the lock, nothing was run

}  // namespace dqa
