#include "core/nightly/nightly_log.h"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/spdlog.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>

namespace dqa::nightly {
namespace {

std::string_view LevelName(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace: return "trace";
    case spdlog::level::debug: return "debug";
    case spdlog::level::info: return "info";
    case spdlog::level::warn: return "warning";
    case spdlog::level::err: return "error";
    case spdlog::level::critical: return "critical";
    default: return "";
  }
}

// stderr, one line per event, in the reader's form; in kTerminal mode it shares stderr with the
// progress line, which it clears before and redraws after each message.
class StderrSink final : public spdlog::sinks::base_sink<std::mutex>, public ProgressLine {
 public:
  explicit StderrSink(StderrMode mode) : mode_(mode) {}

  void Update(const std::string& text) override {
    std::lock_guard<std::mutex> lock(mutex_);
    line_ = text;
    std::fprintf(stderr, "\r\033[K%s", line_.c_str());
    std::fflush(stderr);
  }

  void Finish() override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!line_.empty()) std::fputs("\r\033[K", stderr);
    line_.clear();
    std::fflush(stderr);
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    const std::string_view payload(msg.payload.data(), msg.payload.size());
    std::string text;
    switch (mode_) {
      case StderrMode::kJournal:
        text = fmt::format("<{}>{}\n", SyslogPriority(msg.level), payload);
        break;
      case StderrMode::kTerminal: {
        const char* colour = msg.level >= spdlog::level::err ? "\033[1;31m"
                             : msg.level == spdlog::level::warn ? "\033[33m"
                                                                : "\033[2m";
        text = fmt::format("\r\033[Kdqaudit: {}{}\033[0m: {}\n", colour, LevelName(msg.level),
                           payload);
        break;
      }
      case StderrMode::kPlain: {
        // gmtime explicitly: fmt 9 formats a time_point in local time.
        const std::tm utc = fmt::gmtime(std::chrono::system_clock::to_time_t(msg.time));
        text = fmt::format("{:%Y-%m-%dT%H:%M:%SZ} dqaudit[{}]: {}: {}\n", utc, getpid(),
                           LevelName(msg.level), payload);
        break;
      }
    }
    std::fwrite(text.data(), 1, text.size(), stderr);
    if (!line_.empty()) std::fputs(line_.c_str(), stderr);
    std::fflush(stderr);
  }
  void flush_() override { std::fflush(stderr); }

 private:
  StderrMode mode_;
  std::string line_;  // the progress line currently shown (kTerminal)
};

}  // namespace

StderrMode DetectStderrMode() {
  if (const char* stream = std::getenv("JOURNAL_STREAM"); stream != nullptr) {
    struct stat st {};
    unsigned long long device = 0;
    unsigned long long inode = 0;
    if (std::sscanf(stream, "%llu:%llu", &device, &inode) == 2 && ::fstat(STDERR_FILENO, &st) == 0 &&
        static_cast<unsigned long long>(st.st_dev) == device &&
        static_cast<unsigned long long>(st.st_ino) == inode) {
      return StderrMode::kJournal;
    }
  }
  const char* term = std::getenv("TERM");
  if (::isatty(STDERR_FILENO) && !(term != nullptr && std::string_view(term) == "dumb")) {
    return StderrMode::kTerminal;
  }
  return StderrMode::kPlain;
}

int SyslogPriority(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
    case spdlog::level::debug: return 7;
    case spdlog::level::info: return 6;
    case spdlog::level::warn: return 4;
    case spdlog::level::err: return 3;
    case spdlog::level::critical: return 2;
    default: return 6;
  }
}

std::string FormatSeconds(double seconds) {
  const auto s = static_cast<int64_t>(std::llround(std::max(0.0, seconds)));
  if (s >= 3600) return fmt::format("{}h {:02}m", s / 3600, (s % 3600) / 60);
  if (s >= 60) return fmt::format("{}m {:02}s", s / 60, s % 60);
  return fmt::format("{}s", s);
}

std::string ProgressText(size_t done, size_t total, size_t carried, double eta_seconds,
                         const std::string& current, int width) {
  constexpr size_t kBar = 24;
  const size_t filled = total == 0 ? kBar : done * kBar / total;
  std::string bar(filled, '=');
  if (filled < kBar) bar += '>' + std::string(kBar - filled - 1, ' ');
  std::string text = fmt::format("[{}] {}/{} sources", bar, done, total);
  if (carried > 0) text += fmt::format(", {} carried over", carried);
  if (done < total) text += "  ETA " + (eta_seconds < 0 ? std::string("?") : FormatSeconds(eta_seconds));
  if (!current.empty()) text += "  " + current;
  // Never wrap: a wrapped line cannot be redrawn in place. Counted in bytes; source ids are ASCII
  // in practice, and cutting inside a UTF-8 sequence only shortens the visible text.
  if (width > 0 && text.size() >= static_cast<size_t>(width)) {
    text.resize(static_cast<size_t>(width - 1));
  }
  return text;
}

Result<std::shared_ptr<ProgressLine>> SetUpNightlyLogging(const LogSetup& setup) {
  auto stderr_sink = std::make_shared<StderrSink>(setup.mode);
  stderr_sink->set_level(setup.stderr_level);
  std::vector<spdlog::sink_ptr> sinks = {stderr_sink};
  spdlog::level::level_enum logger_level = setup.stderr_level;
  if (!setup.file.empty()) {
    std::error_code ec;
    const std::filesystem::path parent = std::filesystem::path(setup.file).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    try {
      auto file = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
          setup.file, static_cast<size_t>(setup.max_bytes), static_cast<size_t>(setup.files));
      const spdlog::level::level_enum file_level =
          setup.stderr_level <= spdlog::level::debug ? setup.stderr_level : spdlog::level::info;
      file->set_level(file_level);
      file->set_formatter(std::make_unique<spdlog::pattern_formatter>(
          "%Y-%m-%dT%H:%M:%S.%eZ [%P] %l: %v", spdlog::pattern_time_type::utc));
      sinks.push_back(file);
      logger_level = std::min(logger_level, file_level);
    } catch (const spdlog::spdlog_ex& e) {
      return IoError(fmt::format("cannot open the log file {}: {}", setup.file, e.what()));
    }
  }
  auto logger = std::make_shared<spdlog::logger>("dqaudit", sinks.begin(), sinks.end());
  logger->set_level(logger_level);
  logger->flush_on(spdlog::level::info);  // an operator tailing the file sees each source
  spdlog::set_default_logger(logger);
  if (setup.mode != StderrMode::kTerminal) return std::shared_ptr<ProgressLine>();
  return std::shared_ptr<ProgressLine>(stderr_sink);
}

}  // namespace dqa::nightly
