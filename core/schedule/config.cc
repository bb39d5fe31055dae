#include "core/schedule/config.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <limits>

#include "core/rules/diagnostics.h"
#include "core/scoring/config.h"
#include "core/scoring/yaml_map.h"
#include "core/util/dates.h"

namespace dqa {
namespace {

// A risk weight is a ratio between components: 1000 is already extreme, and bounded weights keep
// the weighted mean finite (docs/schedule.md "Configuration").
constexpr double kMaxWeight = 1000;
constexpr std::array<std::string_view, 7> kWeekdays = {"mon", "tue", "wed", "thu",
                                                       "fri", "sat", "sun"};
// A holiday range longer than this is almost certainly a typo in a year or month.
constexpr int64_t kMaxHolidayRangeDays = 31;

Status ErrorAt(const std::string& name, const YAML::Node& node, const std::string& context,
               const std::string& message) {
  const YAML::Mark mark = node.Mark();
  const std::string where =
      mark.line < 0 ? name : fmt::format("{}:{}:{}", name, mark.line + 1, mark.column + 1);
  return InvalidArgument(fmt::format("{}: {}: {}", where, context, message));
}

std::string ScalarOf(const YAML::Node& node) { return node.IsScalar() ? node.Scalar() : ""; }

// A "YYYY-MM-DD" scalar at `node`.
Result<int64_t> DayAt(const std::string& name, const YAML::Node& node, const std::string& context,
                      std::string_view key) {
  const std::string text = ScalarOf(node);
  const std::optional<int64_t> day = ParseIsoDay(text);
  if (!day) {
    return ErrorAt(name, node, context,
                   fmt::format("'{}': expected a date YYYY-MM-DD, got '{}'", key, text));
  }
  return *day;
}

// One item of `holidays.<year>` or `make_up_days.<year>`: {date, name} or {from, to, name}
// (`allow_range`). Appends one (day, name) per day.
Status ParseDayItem(const std::string& name, const YAML::Node& item, const std::string& context,
                    int year, bool allow_range, std::vector<std::pair<int64_t, std::string>>& out) {
  std::vector<std::string_view> keys = {"date", "name"};
  if (allow_range) keys = {"date", "from", "to", "name"};
  DQA_ASSIGN_OR_RETURN(config::YamlMap map, config::YamlMap::Read(item, name, context, keys));
  const std::string label = ScalarOf(map.Get("name"));
  if (label.empty()) return map.Error("name", "'name': a non-empty name is required");
  int64_t first = 0;
  int64_t last = 0;
  if (map.Has("date")) {
    if (map.Has("from") || map.Has("to")) {
      return map.Error("date", "give either 'date' or 'from' and 'to', not both");
    }
    DQA_ASSIGN_OR_RETURN(first, DayAt(name, map.Get("date"), context, "date"));
    last = first;
  } else if (map.Has("from") && map.Has("to")) {
    DQA_ASSIGN_OR_RETURN(first, DayAt(name, map.Get("from"), context, "from"));
    DQA_ASSIGN_OR_RETURN(last, DayAt(name, map.Get("to"), context, "to"));
    if (last < first) return map.Error("to", "'to' is before 'from'");
    if (last - first >= kMaxHolidayRangeDays) {
      return map.Error("to",
                       fmt::format("a range may cover at most {} days", kMaxHolidayRangeDays));
    }
  } else {
    return map.Error("name",
                     allow_range ? "expected 'date' or 'from' and 'to'" : "expected 'date'");
  }
  for (int64_t day = first; day <= last; ++day) {
    if (CivilFromDays(day).year != year) {
      return map.Error(map.Has("date") ? "date" : "to",
                       fmt::format("{} is not in {}", FormatDay(day), year));
    }
    out.emplace_back(day, label);
  }
  return Status::Ok();
}

// `holidays:` or `make_up_days:`: a map year -> list of items.
Status ParseDaysByYear(const std::string& name, const YAML::Node& node, const std::string& key,
                       bool allow_range, std::vector<std::pair<int64_t, std::string>>& out,
                       std::vector<int>& years) {
  if (!node.IsMap()) return ErrorAt(name, node, key, "expected a map of years to lists of days");
  for (const auto& kv : node) {
    const std::string year_text = kv.first.Scalar();
    int year = 0;
    const auto [ptr, ec] =
        std::from_chars(year_text.data(), year_text.data() + year_text.size(), year);
    if (ec != std::errc() || ptr != year_text.data() + year_text.size() || year < 1970 ||
        year > 9999) {
      return ErrorAt(name, kv.first, key,
                     fmt::format("expected a year (1970..9999), got '{}'", year_text));
    }
    const std::string context = fmt::format("{}.{}", key, year);
    if (!kv.second.IsSequence()) return ErrorAt(name, kv.second, context, "expected a list");
    for (const auto& item : kv.second) {
      DQA_RETURN_IF_ERROR(ParseDayItem(name, item, context, year, allow_range, out));
    }
    years.push_back(year);
  }
  std::sort(years.begin(), years.end());
  return Status::Ok();
}

// A plain e-mail address: one '@' with text on both sides, nothing that would break out of a
// mailto: URI or an iCalendar line (spaces, quotes, ';', ':', ',', '<', '>', control characters).
bool IsEmail(std::string_view text) {
  const size_t at = text.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == text.size() ||
      text.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  return std::none_of(text.begin(), text.end(), [](char c) {
    return static_cast<unsigned char>(c) <= 0x20 || c == 0x7F ||
           std::string_view("\";:,<>").find(c) != std::string_view::npos;
  });
}

// `calendar.organizer` or one item of `calendar.attendees`: {name, email[, department]}.
Result<CalendarPerson> ParsePerson(const std::string& name, const YAML::Node& node,
                                   const std::string& context, bool attendee) {
  std::vector<std::string_view> keys = {"name", "email"};
  if (attendee) keys.push_back("department");
  DQA_ASSIGN_OR_RETURN(config::YamlMap map, config::YamlMap::Read(node, name, context, keys));
  CalendarPerson person;
  person.name = ScalarOf(map.Get("name"));
  person.email = ScalarOf(map.Get("email"));
  if (!IsEmail(person.email)) {
    return map.Error("email", fmt::format("'email': expected an address such as "
                                          "thanh.tra@tinh.gov.vn, got '{}'",
                                          person.email));
  }
  if (attendee && map.Has("department")) {
    person.department = ScalarOf(map.Get("department"));
    if (person.department.empty()) {
      return map.Error("department", "'department': a department name is required");
    }
  }
  return person;
}

Status ParseCalendar(const std::string& name, const YAML::Node& node, CalendarConfig& c) {
  DQA_ASSIGN_OR_RETURN(config::YamlMap map,
                       config::YamlMap::Read(node, name, "calendar",
                                             {"reminder", "organizer", "attendees"}));
  if (map.Has("reminder")) {
    const std::string text = ScalarOf(map.Get("reminder"));
    if (text != "true" && text != "false") {
      return map.Error("reminder", fmt::format("'reminder': expected true or false, got '{}'",
                                               text));
    }
    c.reminder = text == "true";
  }
  if (map.Has("organizer")) {
    DQA_ASSIGN_OR_RETURN(c.organizer,
                         ParsePerson(name, map.Get("organizer"), "calendar.organizer", false));
  }
  if (map.Has("attendees")) {
    const YAML::Node list = map.Get("attendees");
    if (!list.IsSequence()) {
      return map.Error("attendees", "'attendees': expected a list of {name, email, department}");
    }
    for (const auto& item : list) {
      DQA_ASSIGN_OR_RETURN(CalendarPerson person,
                           ParsePerson(name, item, "calendar.attendees", true));
      c.attendees.push_back(std::move(person));
    }
  }
  return Status::Ok();
}

Status ParseInto(const YAML::Node& root, const std::string& name, ScheduleConfig& c) {
  DQA_ASSIGN_OR_RETURN(
      config::YamlMap top,
      config::YamlMap::Read(root, name, "schedule configuration",
                            {"start", "horizon", "capacity", "working_days", "holidays",
                             "make_up_days", "min_gap_days", "critical", "risk", "calendar"}));
  if (top.Has("start")) {
    DQA_ASSIGN_OR_RETURN(c.start, DayAt(name, top.Get("start"), "schedule configuration", "start"));
  }
  if (top.Has("horizon")) {
    const std::string text = ScalarOf(top.Get("horizon"));
    const std::optional<Duration> d = Duration::Parse(text);
    if (!d || d->unit == Duration::Unit::kHours || d->amount < 1 ||
        (d->unit == Duration::Unit::kDays && d->amount > 3660) ||
        (d->unit == Duration::Unit::kWeeks && d->amount > 520) ||
        (d->unit == Duration::Unit::kMonths && d->amount > 120) ||
        (d->unit == Duration::Unit::kYears && d->amount > 10)) {
      return top.Error("horizon", fmt::format("'horizon': expected a duration such as 90d, 12w, "
                                              "3m or 1y (at most 10 years), got '{}'",
                                              text));
    }
    c.horizon = *d;
  }
  if (top.Has("capacity")) {
    DQA_ASSIGN_OR_RETURN(
        config::YamlMap capacity,
        config::YamlMap::Read(top.Get("capacity"), name, "capacity", {"per_week", "per_day"}));
    DQA_RETURN_IF_ERROR(capacity.Integer("per_week", 1, 100, c.per_week));
    DQA_RETURN_IF_ERROR(capacity.Integer("per_day", 1, 100, c.per_day));
  }
  if (top.Has("working_days")) {
    const YAML::Node days = top.Get("working_days");
    if (!days.IsSequence() || days.size() == 0) {
      return top.Error("working_days",
                       "'working_days': expected a non-empty list such as "
                       "[mon, tue, wed, thu, fri]");
    }
    c.working_days.fill(false);
    for (const auto& day : days) {
      const std::string text = ScalarOf(day);
      auto it = std::find(kWeekdays.begin(), kWeekdays.end(), text);
      if (it == kWeekdays.end()) {
        const std::vector<std::string_view> names(kWeekdays.begin(), kWeekdays.end());
        const std::string close = rules::ClosestMatch(text, names);
        return ErrorAt(name, day, "working_days",
                       fmt::format("unknown day '{}'{}; expected one of: {}", text,
                                   close.empty() ? "" : fmt::format(" (did you mean '{}'?)", close),
                                   rules::JoinNames(names)));
      }
      c.working_days[static_cast<size_t>(it - kWeekdays.begin())] = true;
    }
  }
  std::vector<std::pair<int64_t, std::string>> days;
  if (top.Has("holidays")) {
    DQA_RETURN_IF_ERROR(
        ParseDaysByYear(name, top.Get("holidays"), "holidays", true, days, c.holiday_years));
  }
  // One entry per day: a day listed twice keeps its first name (overlapping ranges are allowed).
  std::stable_sort(days.begin(), days.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [day, label] : days) {
    if (c.holidays.empty() || c.holidays.back().day != day) c.holidays.push_back({day, label});
  }
  if (top.Has("make_up_days")) {
    std::vector<std::pair<int64_t, std::string>> make_up;
    std::vector<int> years;
    DQA_RETURN_IF_ERROR(
        ParseDaysByYear(name, top.Get("make_up_days"), "make_up_days", false, make_up, years));
    std::stable_sort(make_up.begin(), make_up.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [day, label] : make_up) {
      const bool holiday = std::any_of(c.holidays.begin(), c.holidays.end(),
                                       [d = day](const Holiday& h) { return h.day == d; });
      if (holiday) {
        return top.Error(
            "make_up_days",
            fmt::format("{} is both a holiday and a make-up working day", FormatDay(day)));
      }
      if (c.make_up_days.empty() || c.make_up_days.back().day != day) {
        c.make_up_days.push_back({day, label});
      }
    }
  }
  DQA_RETURN_IF_ERROR(top.Integer("min_gap_days", 0, 3650, c.min_gap_days));
  if (top.Has("critical")) {
    DQA_ASSIGN_OR_RETURN(
        config::YamlMap critical,
        config::YamlMap::Read(top.Get("critical"), name, "critical", {"within_working_days"}));
    DQA_RETURN_IF_ERROR(
        critical.Integer("within_working_days", 1, 250, c.critical_within_working_days));
  }
  if (top.Has("risk")) {
    DQA_ASSIGN_OR_RETURN(config::YamlMap risk,
                         config::YamlMap::Read(top.Get("risk"), name, "risk",
                                               {"weights", "trend_full_drop", "new_failure_points",
                                                "inspection_full_days"}));
    if (risk.Has("weights")) {
      DQA_ASSIGN_OR_RETURN(config::YamlMap weights,
                           config::YamlMap::Read(risk.Get("weights"), name, "risk.weights",
                                                 {"quality", "trend", "critical", "inspection"}));
      DQA_RETURN_IF_ERROR(weights.Number("quality", 0, kMaxWeight, false, c.weights.quality));
      DQA_RETURN_IF_ERROR(weights.Number("trend", 0, kMaxWeight, false, c.weights.trend));
      DQA_RETURN_IF_ERROR(weights.Number("critical", 0, kMaxWeight, false, c.weights.critical));
      DQA_RETURN_IF_ERROR(weights.Number("inspection", 0, kMaxWeight, false, c.weights.inspection));
      const RiskWeights& w = c.weights;
      if (w.quality + w.trend + w.critical + w.inspection <= 0) {
        return risk.Error("weights", "at least one risk weight must be > 0");
      }
    }
    DQA_RETURN_IF_ERROR(risk.Number("trend_full_drop", 0, 100, true, c.trend_full_drop));
    DQA_RETURN_IF_ERROR(risk.Number("new_failure_points", 0, 100, false, c.new_failure_points));
    DQA_RETURN_IF_ERROR(risk.Integer("inspection_full_days", 1, 36500, c.inspection_full_days));
  }
  if (top.Has("calendar")) DQA_RETURN_IF_ERROR(ParseCalendar(name, top.Get("calendar"), c.calendar));
  return Status::Ok();
}

}  // namespace

Result<ScheduleConfig> ParseScheduleConfig(const std::string& yaml_text, const std::string& name) {
  DQA_ASSIGN_OR_RETURN(YAML::Node root, config::LoadRoot(yaml_text, name));
  ScheduleConfig c;
  try {
    DQA_RETURN_IF_ERROR(ParseInto(root, name, c));
  } catch (const YAML::Exception& e) {
    return InvalidArgument(fmt::format("{}: YAML error: {}", name, e.what()));
  }
  return c;
}

Result<ScheduleConfig> LoadScheduleConfig(const std::string& path) {
  DQA_ASSIGN_OR_RETURN(std::string text, ReadConfigFile(path));
  return ParseScheduleConfig(text, path);
}

}  // namespace dqa
