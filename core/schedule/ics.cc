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

// The inspection's identity, which a change of date leaves alone: the department, the cycle it
// belongs to (the department's last logged inspection: logging one starts a new cycle, so a new
// plan's inspection is a new event rather than a move of the one that took place) and its
// occurrence in the cycle's plan.
std::string Uid(const DepartmentRisk& r, const PlannedInspection& e) {
  const std::string cycle = r.last_inspected ? FormatDay(*r.last_inspected) : "never";
  return fmt::format("{:016x}-{:08x}-{}@dqaudit", Fnv1a(r.department),
                     static_cast<uint32_t>(Fnv1a(cycle)), e.occurrence);
}

// A CN parameter value (RFC 5545 3.2): always quoted; DQUOTE and control characters are not
// allowed inside, so they become ' and a space.
std::string CommonName(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') {
      out += '\'';
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// "ORGANIZER;CN=\"...\":mailto:..." (the CN only when the person has a name).
std::string PersonLine(std::string_view property, std::string_view params,
                       const CalendarPerson& p) {
  std::string line(property);
  if (!p.name.empty()) line += ";CN=" + CommonName(p.name);
  line += params;
  return line + ":mailto:" + p.email;
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
    line("UID:" + Uid(r, e));
    line("DTSTAMP:" + stamp);
    line("DTSTART;VALUE=DATE:" + CompactDay(e.day));
    line("DTEND;VALUE=DATE:" + CompactDay(e.day + 1));
    const std::string summary = EscapeIcsText(catalog.Format(
        e.critical ? "schedule.event_summary_critical" : "schedule.event_summary",
        {{"department", r.department}}));
    line("SUMMARY:" + summary);
    line("DESCRIPTION:" + EscapeIcsText(description));
    line("TRANSP:TRANSPARENT");
    if (plan.calendar.organizer) line(PersonLine("ORGANIZER", "", *plan.calendar.organizer));
    for (const CalendarPerson& p : plan.calendar.attendees) {
      if (!p.department.empty() && p.department != r.department) continue;
      line(PersonLine("ATTENDEE", ";ROLE=REQ-PARTICIPANT", p));
    }
    if (plan.calendar.reminder) {
      line("BEGIN:VALARM");
      line("ACTION:DISPLAY");
      line("TRIGGER:-P1D");
      line("DESCRIPTION:" + summary);
      line("END:VALARM");
    }
    line("END:VEVENT");
  }
  line("END:VCALENDAR");
  return out;
}

}  // namespace dqa
