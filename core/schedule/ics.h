// The plan as an iCalendar file (RFC 5545) that calendar programs import: one all-day VEVENT per
// inspection. docs/schedule.md "iCalendar".
#pragma once

#include <string>
#include <string_view>

#include "core/i18n/catalog.h"
#include "core/schedule/planner.h"

namespace dqa {

// RFC 5545 3.3.11 TEXT escaping: backslash, semicolon, comma and newline become \\ \; \, \n
// (a CR is dropped).
std::string EscapeIcsText(std::string_view text);

// RFC 5545 3.1 folding of one content line (without its CRLF): lines longer than 75 octets are
// split with CRLF + one space so that no physical line exceeds 75 octets, never inside a UTF-8
// sequence. Returns the folded line ending in CRLF.
std::string FoldIcsLine(std::string_view line);

// The whole calendar: VCALENDAR with PRODID, VERSION:2.0, CALSCALE:GREGORIAN, METHOD:PUBLISH and
// X-WR-CALNAME; per entry a VEVENT with a UID that holds no date, so a rescheduled inspection
// keeps it ("<16 hex of FNV-1a(department)>-<8 hex of its last logged inspection day or
// 'never'>-<occurrence>@dqaudit"), DTSTAMP = the run's start time (UTC), DTSTART/DTEND as
// VALUE=DATE, SUMMARY, DESCRIPTION (priority, risk, reasons one per line), TRANSP:TRANSPARENT,
// ORGANIZER and ATTENDEE (mailto:) as plan.calendar configures them, and unless
// plan.calendar.reminder is false a VALARM (DISPLAY, TRIGGER:-P1D, the summary). CRLF line ends,
// folded at 75 octets. Deterministic.
std::string ScheduleIcs(const SchedulePlan& plan, const i18n::Catalog& catalog);

}  // namespace dqa
