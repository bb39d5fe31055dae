#include "registration.h"

#include "dqaudit/text.h"

namespace dqa::civil_registration {

std::optional<EventKind> ParseEventKind(std::string_view text) {
  if (text == "birth") return EventKind::kBirth;
  if (text == "death") return EventKind::kDeath;
  return std::nullopt;
}

int64_t LegalDeadlineDays(EventKind kind) { return kind == EventKind::kBirth ? 60 : 15; }

TimelinessVerdict JudgeRegistration(std::optional<int64_t> event_day,
                                    std::optional<int64_t> registered_day, int64_t deadline_days) {
  if (!event_day || !registered_day) return TimelinessVerdict::kUnjudged;
  if (*registered_day < *event_day) return TimelinessVerdict::kBeforeEvent;
  if (*registered_day - *event_day > deadline_days) return TimelinessVerdict::kLate;
  return TimelinessVerdict::kOnTime;
}

bool IsIdentityNumber(std::string_view value) {
  value = sdk::TrimAscii(value, " ");
  return (value.size() == 9 || value.size() == 12) && sdk::IsAsciiDigits(value);
}

}  // namespace dqa::civil_registration
