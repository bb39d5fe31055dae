// Profile output: a readable per-table/column text for the terminal, and the JSON document.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>

#include "core/profiling/profiler.h"

namespace dqa::profiling {

// Writes, per table, a header "<table>: N rows, C columns (T s)" and per column a block of lines:
// types, missing (NULL/blank), distinct (exact or estimated), numbers, text, length, dates, top
// values and patterns (each at most 5, with counts and shares of the non-NULL values).
void WriteProfileText(std::ostream& out, const DatabaseProfile& profile);

// The whole profile as JSON; the shape is documented in docs/profiling.md. Deterministic for
// the same data and settings (no timings).
nlohmann::json ProfileToJson(const DatabaseProfile& profile);

}  // namespace dqa::profiling
