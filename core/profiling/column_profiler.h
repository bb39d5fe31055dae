// ColumnProfiler: the statistics of one column, computed in one pass in bounded memory.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/sources/value.h"
#include "core/profiling/sketches.h"

namespace dqa::profiling {

// Limits of a profile; every field states its default.
struct ProfileSettings {
  size_t distinct_exact_cap = 100000;  // exact distinct counts up to this many, then HyperLogLog
  size_t top_values_capacity = 1000;   // heavy-hitter counters per column for values
  size_t pattern_capacity = 256;       // heavy-hitter counters per column for shapes
  size_t top_n = 20;                   // top values / patterns kept per column
  int64_t today_day = 0;               // reference date (days since epoch) for future/old dates
};

// Dates found in a column (docs/checks.md "Dates"). A text value counts as `iso` when it parses
// as an ISO date, else as `dmy` when it parses as DD/MM/YYYY; an INTEGER counts as
// `unix_seconds` when it lies in [1990-01-01, 2100-01-01) (a plausible timestamp, not an amount).
struct DateStats {
  int64_t iso = 0;
  int64_t dmy = 0;
  int64_t unix_seconds = 0;
  std::optional<int64_t> min_day, max_day;  // days since epoch, over every date counted above
  int64_t future = 0;                       // dates after today
  int64_t over_120y = 0;                    // dates more than 120 years before today
  int64_t parsed() const { return iso + dmy + unix_seconds; }
};

// Storage classes of the values (SQLite's typeof()).
struct TypeCounts {
  int64_t null = 0, integer = 0, real = 0, text = 0, blob = 0;
};

struct ColumnProfile {
  std::string name;
  std::string declared_type;
  bool primary_key = false;

  int64_t rows = 0;
  TypeCounts types;
  int64_t blank = 0;  // TEXT values that are empty or whitespace only (IsBlank)

  // Distinct non-NULL values by storage class and bytes (INTEGER 1 and TEXT '1' differ).
  int64_t distinct = 0;
  bool distinct_exact = true;

  std::optional<double> numeric_min, numeric_max;  // over INTEGER and REAL values
  int64_t numeric_text = 0;                        // TEXT values that read as a number
  std::optional<std::string> text_min, text_max;   // over TEXT values, byte order (BINARY)
  std::optional<int64_t> min_length, max_length;   // TEXT values, in code points

  // Top values by NFC text form (what `allowed` compares) and top shapes of the NFC text form.
  std::vector<HeavyHitter> top_values;
  bool top_values_exact = true;  // counts exact and every distinct value tracked
  std::vector<HeavyHitter> patterns;
  bool patterns_exact = true;

  DateStats dates;

  int64_t non_null() const { return rows - types.null; }
  // 100 * part / whole, 0 when whole is 0.
  static double Percent(int64_t part, int64_t whole) {
    return whole == 0 ? 0.0 : 100.0 * static_cast<double>(part) / static_cast<double>(whole);
  }
};

// Accumulates one column's values. Memory is bounded by the settings, whatever the row count.
class ColumnProfiler {
 public:
  ColumnProfiler(std::string name, std::string declared_type, bool primary_key,
                 const ProfileSettings& settings);

  // Adds one value (its bytes need only live during the call).
  void Observe(const Value& value);
  // The profile of everything observed so far.
  ColumnProfile Finish() const;

 private:
  void ObserveText(std::string_view text);
  void ObserveDate(int64_t unix_seconds, int64_t* format_count);

  ColumnProfile profile_;
  ProfileSettings settings_;
  DistinctCounter distinct_;
  HeavyHitters values_;
  HeavyHitters shapes_;
  int64_t old_day_;  // today - 120 years
  std::string scratch_;
  std::string nfc_scratch_;
};

}  // namespace dqa::profiling
