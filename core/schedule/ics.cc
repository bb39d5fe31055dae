#include "core/schedule/ics.h"

#include <fmt/format.h>

#include <cctype>

#include "core/schedule/reasons.h"
#include "core/util/dates.h"

namespace dqa {
namespace {

constexpr size_t kMaxOctets = 75;

// FNV-1a, 64 bits: a stable hash whatever the platform (std::hash is not).
uint64_t Fnv1a(std::string_view text) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::string CompactDay(int64_t day) {
  std::string iso = FormatDay(day);
  return iso.substr(0, 4) + iso.substr(5, 2) + iso.substr(8, 2);
}

std::string Stamp(const SchedulePlan& plan) {
  if (plan.run_started_unix_ms > 0) {
    std::string t = FormatTimestamp(plan.run_started_unix_ms / 1000);  // YYYY-MM-DDTHH:MM:SSZ
    std::string out;
    for (char c : t) {
      if (c != '-' && c != ':') out += c;
    }
    return out;
  }
  const std::optional<int64_t> today = ParseIsoDay(plan.run_today);
  return CompactDay(today.value_or(plan.start)) + "T000000Z";
}

}  // namespace

std::string EscapeIcsText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case ';':
        out += "\\;";
        break;
      case ',':
        out += "\\,";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string FoldIcsLine(std::string_view line) {
  std::string out;
  size_t pos = 0;
  size_t limit = kMaxOctets;  // continuation lines: one octet goes to the leading space
  while (line.size() - pos > limit) {
    size_t cut = pos + limit;
    // Never split a UTF-8 sequence: back up while the next octet is a continuation octet.
    while (cut > pos && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
    out.append(line.substr(pos, cut - pos));
    out += "\r\n ";
    pos = cut;
    limit = kMaxOctets - 1;
  }
  out.append(line.substr(pos));
  out += "\r\n";
  return out;
}

std::string ScheduleIcs(const SchedulePlan& plan, const i18n::Catalog& catalog) {
  std::string lang(ToString(catalog.language()));
  for (char& c : lang) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::string out;
  auto line = [&out](std::string_view text) { out += FoldIcsLine(text); };
  line("BEGIN:VCALENDAR");
  line(fmt::format("PRODID:-//dqaudit//Inspection schedule {}//{}", DQA_VERSION, lang));
  line("VERSION:2.0");
  line("CALSCALE:GREGORIAN");
  line("METHOD:PUBLISH");
  line("X-WR-CALNAME:" + EscapeIcsText(catalog.Text("schedule.calendar_name")));
  const std::string stamp = Stamp(plan);
  for (const PlannedInspection& e : plan.entries) {
    const DepartmentRisk& r = plan.ranking[e.department];
    std::string description = catalog.Format(
        "schedule.event_description", {{"priority", catalog.Integer(plan.priority[e.department])},
                                       {"risk", ScoreText(r.risk, catalog)}});
    for (const std::string& reason : InspectionReasons(plan, e, catalog)) {
      description += "\n- " + reason;
    }
    line("BEGIN:VEVENT");
    line(fmt::format("UID:{}-{:016x}@dqaudit", CompactDay(e.day), Fnv1a(r.department)));
    line("DTSTAMP:" + stamp);
    line("DTSTART;VALUE=DATE:" + CompactDay(e.day));
    line("DTEND;VALUE=DATE:" + CompactDay(e.day + 1));
    line("SUMMARY:" + EscapeIcsText(catalog.Format(
                          e.critical ? "schedule.event_summary_critical" : "schedule.event_summary",
                          {{"department", r.department}})));
    line("DESCRIPTION:" + EscapeIcsText(description));
    line("TRANSP:TRANSPARENT");
    line("END:VEVENT");
  }
  line("END:VCALENDAR");
  return out;
}

}  // namespace dqa
