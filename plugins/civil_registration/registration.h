// Timeliness of civil registrations under the Law on Civil Status (Luật Hộ tịch 2014).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace dqa::civil_registration {

enum class EventKind { kBirth, kDeath };

// "birth" | "death"; nullopt for anything else.
std::optional<EventKind> ParseEventKind(std::string_view text);

// Legal registration deadline in days after the event: birth 60 days (Art. 15: "trong thời hạn 60
// ngày kể từ ngày sinh con"), death 15 days (Art. 33: "trong thời hạn 15 ngày kể từ ngày có người
// chết").
int64_t LegalDeadlineDays(EventKind kind);

enum class TimelinessVerdict {
  kUnjudged,     // a date is missing or unparseable (the range / missing checks report those)
  kOnTime,       // event <= registered <= event + deadline
  kBeforeEvent,  // registered strictly before the event happened
  kLate,         // registered more than `deadline_days` days after the event
};

// Judges one registration: days since 1970-01-01 of the event and of the registration.
TimelinessVerdict JudgeRegistration(std::optional<int64_t> event_day,
                                    std::optional<int64_t> registered_day, int64_t deadline_days);

// True when `value` is an identity number: 12 digits (CCCD) or 9 digits (old CMND), after
// trimming ASCII spaces. NULL is handled by the caller.
bool IsIdentityNumber(std::string_view value);

}  // namespace dqa::civil_registration
