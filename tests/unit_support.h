// Small helpers shared by the unit tests. Defined once here rather than in each test file, so that
// a unity build (scripts/test.sh builds that way) sees no duplicate definitions.
#pragma once

#include <cstdint>

#include "core/util/dates.h"

namespace dqa {

// Tolerance for comparing computed scores and risks with hand-computed values.
inline constexpr double kEps = 1e-9;

// A day number from "YYYY-MM-DD" (the test's own literal, always valid).
inline int64_t D(const char* iso) { return *ParseIsoDay(iso); }

}  // namespace dqa
