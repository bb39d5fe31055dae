// One-stop dossier rules: return dates, overdue and stuck dossiers, service indicators (plain C++).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dqa::public_services {

// Unix seconds of a timestamp written "YYYY-MM-DD", "YYYY-MM-DD HH:MM" or "YYYY-MM-DD HH:MM:SS"
// ('T' also separates; a ".fraction" and a final 'Z' are accepted and ignored), read as UTC.
// nullopt when malformed or not a real date/time.
std::optional<int64_t> ParseTimestamp(std::string_view text);

// True when the dossier is still pending: no return date (NULL or blank) and its status is not
// one of `returned_statuses` (a NULL status counts as not returned).
bool IsPending(std::optional<std::string_view> returned_date,
               std::optional<std::string_view> status,
               const std::vector<std::string>& returned_statuses);

// Overdue: pending and the due date's day is before today (due on today is not yet overdue).
bool IsOverdue(int64_t due_unix, int64_t today_day);

// No update for `days` days: last update strictly before now - days * 86400.
bool IsStuck(int64_t updated_unix, int64_t now_unix, int64_t days);

// Returned late: the return date's day is after the due date's day.
bool ReturnedLate(int64_t returned_unix, int64_t due_unix);

// 100 * part / whole, 0 when whole is 0.
double Percent(int64_t part, int64_t whole);

}  // namespace dqa::public_services
