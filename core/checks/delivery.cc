#include "core/checks/delivery.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/checks/evaluator.h"
#include "core/util/dates.h"

namespace dqa {
namespace {

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// The local day (days since epoch) period `index` falls due on.
int64_t DueDay(const Duration& every, int64_t index) {
  const int64_t n = std::max<int64_t>(every.amount, 1);
  switch (every.unit) {
    case Duration::Unit::kWeeks:
      return 4 + index * 7 * n;  // 1970-01-05 is a Monday
    case Duration::Unit::kMonths:
    case Duration::Unit::kYears: {
      const int64_t month = index * n * (every.unit == Duration::Unit::kYears ? 12 : 1);
      const int64_t year = 1970 + FloorDiv(month, 12);
      const int mon = static_cast<int>(month - FloorDiv(month, 12) * 12) + 1;
      return DaysFromCivil(year, mon, 1).value_or(0);
    }
    case Duration::Unit::kHours:  // refused by the rule parser; taken as days
    case Duration::Unit::kDays:
      break;
  }
  return index * n;
}

// About one period in seconds: the first guess of LatestDueIndex, corrected by stepping.
int64_t ApproxPeriod(const Duration& every) {
  const int64_t n = std::max<int64_t>(every.amount, 1);
  switch (every.unit) {
    case Duration::Unit::kWeeks:
      return n * 7 * kSecondsPerDay;
    case Duration::Unit::kMonths:
      return n * 2629746;
    case Duration::Unit::kYears:
      return n * 31556952;
    case Duration::Unit::kHours:
    case Duration::Unit::kDays:
      break;
  }
  return n * kSecondsPerDay;
}

// "late 09:12" (same local day as the due time) or "late 2026-11-04 09:12"; "missed".
std::string DueSampleText(const DeliverySpec& spec, const DueVerdict& v) {
  const std::string due = FormatLocalMinute(v.due, spec.utc_offset_minutes).substr(0, 10);
  if (v.kind != DueKind::kLate || !v.delivered_at) return fmt::format("{} missed", due);
  const std::string at = FormatLocalMinute(*v.delivered_at, spec.utc_offset_minutes);
  return fmt::format("{} late {}", due, at.starts_with(due) ? at.substr(11) : at);
}

}  // namespace

std::string_view ToString(DueKind kind) {
  switch (kind) {
    case DueKind::kOnTime:
      return "on time";
    case DueKind::kLate:
      return "late";
    case DueKind::kMissed:
      return "missed";
  }
  return "missed";
}

std::optional<int> DeliveryTimeZoneOffset(std::string_view name) {
  if (name == "Asia/Ho_Chi_Minh" || name == "Asia/Saigon" || name == "Asia/Bangkok" ||
      name == "Asia/Jakarta") {
    return 7 * 60;
  }
  if (name == "UTC" || name == "Etc/UTC") return 0;
  return ParseUtcOffset(name);
}

std::optional<int> ParseTimeOfDay(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  for (size_t i : {0u, 1u, 3u, 4u}) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  }
  const int hours = (text[0] - '0') * 10 + (text[1] - '0');
  const int minutes = (text[3] - '0') * 10 + (text[4] - '0');
  if (hours > 23 || minutes > 59) return std::nullopt;
  return hours * 60 + minutes;
}

int64_t PeriodStart(const DeliverySpec& spec, int64_t index) {
  return DueDay(spec.every, index) * kSecondsPerDay - int64_t{spec.utc_offset_minutes} * 60;
}

int64_t DueTime(const DeliverySpec& spec, int64_t index) {
  return PeriodStart(spec, index) + int64_t{spec.by_minutes} * 60;
}

int64_t LatestDueIndex(const DeliverySpec& spec, int64_t at) {
  int64_t k = FloorDiv(at - DueTime(spec, 0), ApproxPeriod(spec.every));
  while (DueTime(spec, k) > at) --k;
  while (DueTime(spec, k + 1) <= at) ++k;
  return k;
}

int64_t PeriodIndex(const DeliverySpec& spec, int64_t at) {
  int64_t k = FloorDiv(at - PeriodStart(spec, 0), ApproxPeriod(spec.every));
  while (PeriodStart(spec, k) > at) --k;
  while (PeriodStart(spec, k + 1) <= at) ++k;
  return k;
}

std::string FormatLocalMinute(int64_t unix_seconds, int utc_offset_minutes) {
  // FormatTimestamp gives "YYYY-MM-DDTHH:MM:SSZ" of the local wall clock.
  const std::string text = FormatTimestamp(unix_seconds + int64_t{utc_offset_minutes} * 60);
  return text.substr(0, 10) + " " + text.substr(11, 5);
}

std::vector<DueVerdict> JudgeDueTimes(const DeliverySpec& spec, std::vector<int64_t> deliveries,
                                      int64_t reference) {
  std::sort(deliveries.begin(), deliveries.end());
  const int64_t latest = LatestDueIndex(spec, reference);
  int64_t first = latest - std::max(spec.lookback, 1) + 1;
  if (deliveries.empty()) {
    first = latest;
  } else {
    first = std::max(first, std::min(PeriodIndex(spec, deliveries.front()), latest));
  }
  // The earliest delivery in [lo, hi]; nullopt when none.
  auto earliest = [&](int64_t lo, int64_t hi) -> std::optional<int64_t> {
    const auto it = std::lower_bound(deliveries.begin(), deliveries.end(), lo);
    if (it == deliveries.end() || *it > hi) return std::nullopt;
    return *it;
  };
  std::vector<DueVerdict> verdicts;
  for (int64_t k = first; k <= latest; ++k) {
    DueVerdict v;
    v.due = DueTime(spec, k);
    const int64_t period_end = std::min(PeriodStart(spec, k + 1) - 1, reference);
    if (auto t = earliest(PeriodStart(spec, k), v.due)) {
      v.kind = DueKind::kOnTime;
      v.delivered_at = t;
    } else if (auto late = earliest(v.due + 1, period_end)) {
      v.kind = DueKind::kLate;
      v.delivered_at = late;
    }
    verdicts.push_back(v);
  }
  return verdicts;
}

CheckResult DeliveryResult(const DeliverySpec& spec, const DeliveryFacts& facts,
                           DueVerdict* latest_out) {
  CheckResult r;
  r.id = "delivery:" + facts.source;
  r.type = "delivery";
  r.source = facts.source;
  r.table = spec.record_table;
  if (!spec.record_column.empty()) r.columns = {spec.record_column};
  r.dimension = Dimension::kFreshness;
  r.severity = spec.severity;
  r.thresholds = spec.thresholds;
  r.key_columns = {"due"};

  std::vector<int64_t> deliveries = facts.deliveries;
  std::string note;
  const int64_t latest_index = LatestDueIndex(spec, facts.reference);
  if (facts.first_observation && facts.newest_record && deliveries.size() == 1 &&
      *facts.newest_record < PeriodStart(spec, latest_index - 1)) {
    // A database touched without new records is not a delivery (first run: nothing to compare).
    deliveries.clear();
    note = "; the file is newer but its newest record is not, so it is not taken as a delivery";
  }
  const std::vector<DueVerdict> verdicts = JudgeDueTimes(spec, deliveries, facts.reference);
  const DueVerdict& latest = verdicts.back();
  if (latest_out != nullptr) *latest_out = latest;
  for (const DueVerdict& v : verdicts) {
    if (v.kind != DueKind::kOnTime) ++r.violations;
  }
  r.rows_checked = static_cast<int64_t>(verdicts.size());
  r.percent = 100.0 * static_cast<double>(r.violations) / static_cast<double>(r.rows_checked);
  r.outcome = latest.kind == DueKind::kOnTime
                  ? Outcome::kPass
                  : DecideOutcome(r.violations, r.percent, r.thresholds, r.severity);
  for (auto it = verdicts.rbegin(); it != verdicts.rend(); ++it) {
    if (it->kind == DueKind::kOnTime) continue;
    if (static_cast<int>(r.samples.size()) >= facts.samples) break;
    r.samples.push_back({DueSampleText(spec, *it)});
  }
  if (!deliveries.empty()) {
    r.value = static_cast<double>(facts.reference - *std::max_element(deliveries.begin(),
                                                                       deliveries.end())) /
              static_cast<double>(kSecondsPerDay);
  }

  auto local = [&](int64_t t) { return FormatLocalMinute(t, spec.utc_offset_minutes); };
  std::string text = fmt::format(
      "Delivery every {} by {} ({}): the delivery due {} was {}",
      spec.every.ToString(), local(DueTime(spec, 0)).substr(11), spec.timezone,
      local(latest.due), ToString(latest.kind));
  if (latest.delivered_at) {
    text += fmt::format(" ({})", local(*latest.delivered_at));
  }
  text += fmt::format("; {} of {} due deliveries late or missed", r.violations, r.rows_checked);
  if (facts.file_time) text += fmt::format("; file time {}", local(*facts.file_time));
  if (facts.newest_record) {
    text += fmt::format("; newest record {}", local(*facts.newest_record));
  } else if (!facts.record_problem.empty()) {
    text += fmt::format("; newest record unknown ({})", facts.record_problem);
  }
  r.message = text + note;
  SetWords(r,
           latest.kind == DueKind::kMissed ? "check.delivery.missed"
           : latest.kind == DueKind::kLate ? "check.delivery.late"
                                           : "check.delivery.on_time",
           {{"t_every", spec.every.ToString()},
            {"by", local(DueTime(spec, 0)).substr(11)},
            {"timezone", spec.timezone},
            {"m_due", local(latest.due)},  // the delivery's local time
            {"n_violations", std::to_string(r.violations)},
            {"n_rows", std::to_string(r.rows_checked)}});
  return r;
}

}  // namespace dqa
