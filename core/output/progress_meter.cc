// ScanProgressMeter: rates from the first sight of each table scan (the worker publishes counts,
// not times, so the supervisor's clock is the one that measures them).
#include "core/output/progress_meter.h"

#include <fmt/format.h>

namespace dqa {

std::string GroupedInteger(int64_t value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return value < 0 ? "-" + out : out;
}

std::string DurationText(int64_t seconds) {
  if (seconds < 60) return fmt::format("{} s", seconds);
  if (seconds < 3600) return fmt::format("{} min {:02} s", seconds / 60, seconds % 60);
  return fmt::format("{} h {:02} min", seconds / 3600, (seconds % 3600) / 60);
}

std::optional<std::string> ScanProgressMeter::Update(const std::string& source,
                                                     const TableScanProgress& progress,
                                                     Clock::time_point now) {
  auto [it, inserted] = sources_.try_emplace(source);
  Seen& seen = it->second;
  // A new table, or a new scan of it (a retry counts from 0 again): its clock starts now.
  if (inserted || seen.table != progress.table || progress.rows < seen.last_rows) {
    seen = Seen{progress.table, progress.rows, progress.rows, now, now};
    return std::nullopt;
  }
  seen.last_rows = progress.rows;
  if (now - seen.printed < interval_) return std::nullopt;
  seen.printed = now;
  const double seconds = std::chrono::duration<double>(now - seen.first).count();
  const double rate =
      seconds > 0 ? static_cast<double>(progress.rows - seen.first_rows) / seconds : 0.0;
  std::string line =
      fmt::format("{}: {} {}", source, progress.table, GroupedInteger(progress.rows));
  const bool estimated = progress.estimate >= 0 && progress.estimate > progress.rows;
  if (estimated) line += fmt::format(" of ~{}", GroupedInteger(progress.estimate));
  line += fmt::format(" rows, {} rows/s", GroupedInteger(static_cast<int64_t>(rate)));
  if (estimated && rate >= 1) {
    const double left = static_cast<double>(progress.estimate - progress.rows) / rate;
    line += fmt::format(", ETA ~{}", DurationText(static_cast<int64_t>(left + 0.5)));
  }
  return line;
}

}  // namespace dqa
