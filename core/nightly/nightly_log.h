// Logging of unattended nightly runs: a rotating log file plus stderr in the form the reader
// needs (journald, a terminal, or cron mail), and a progress line with ETA on a terminal.
#pragma once

#include <spdlog/common.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "core/util/status.h"

namespace dqa::nightly {

// How stderr is written.
enum class StderrMode {
  kJournal,   // stderr is the systemd journal (JOURNAL_STREAM names it): "<N>message", N the
              // syslog priority (journald stores it as PRIORITY and strips the prefix)
  kTerminal,  // a TTY: "dqaudit: level: message", level coloured, above the progress line
  kPlain,     // anything else (cron mail, a file): "YYYY-MM-DDTHH:MM:SSZ dqaudit[pid]: level: message"
};

// kJournal when $JOURNAL_STREAM is "<device>:<inode>" of fd 2, else kTerminal when fd 2 is a TTY
// (and TERM is not "dumb"), else kPlain.
StderrMode DetectStderrMode();

// The syslog priority of an spdlog level (debug 7, info 6, warn 4, error 3, critical 2).
int SyslogPriority(spdlog::level::level_enum level);

// The progress line of a terminal: redrawn in place, cleared before each log line.
class ProgressLine {
 public:
  virtual ~ProgressLine() = default;
  virtual void Update(const std::string& text) = 0;  // replaces the line
  virtual void Finish() = 0;                         // clears it for good
};

struct LogSetup {
  std::string file;                           // "" = no log file
  int64_t max_bytes = int64_t{10} << 20;      // rotation size
  int files = 5;                              // rotated files kept
  spdlog::level::level_enum stderr_level = spdlog::level::info;
  StderrMode mode = StderrMode::kPlain;
};

// Replaces spdlog's default logger with one that writes to the rotating file (every message at
// info or above, debug too when stderr_level is debug or trace; times in UTC with milliseconds
// and the pid) and to stderr in `mode`. Returns the terminal's progress line in kTerminal mode,
// nullptr otherwise. IoError when the log file (or its folder) cannot be created.
Result<std::shared_ptr<ProgressLine>> SetUpNightlyLogging(const LogSetup& setup);

// "[====>     ] 3/5 sources, 2 carried over  ETA 1m 05s  population" for a terminal of `width`
// columns. `eta` < 0: unknown.
std::string ProgressText(size_t done, size_t total, size_t carried, double eta_seconds,
                         const std::string& current, int width);

// "1h 02m", "3m 05s", "12s".
std::string FormatSeconds(double seconds);

}  // namespace dqa::nightly
