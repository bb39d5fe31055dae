// What metric and drift measure over one column in the fused scan: the values kept compactly
// (a 64-bit hash per non-NULL value, a double per number or date) so that exact distinct counts,
// value frequencies and quantiles stream over a large table in bounded memory (docs/checks.md
// "metric", "Memory").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/model/types.h"
#include "core/sources/value.h"

namespace dqa {

// How a column's values are read as figures: numbers (INTEGER, REAL, numeric text) or dates
// (read as DateSeconds, kept as day numbers since 1970-01-01).
enum class StatsKind { kNumbers, kDates };

// What a ColumnStats' reader reads besides the counts: the value hashes (DistinctCount; Top also
// needs them) and the figures (figures(), sum(), PopulationStddev()). What is not kept is not
// computed per row either; the unparseable count is always kept.
struct StatsKeep {
  bool hashes = true;
  bool figures = true;
};

// The accumulator. Memory: 8 bytes per non-NULL value (its hash) plus 8 per number/date, plus
// the texts of at most kHeavyHitters frequent values when `keep_top_texts`.
class ColumnStats {
 public:
  static constexpr size_t kHeavyHitters = 100;

  ColumnStats(StatsKind kind, DateFormat format, bool keep_top_texts, StatsKeep keep = {})
      : kind_(kind), format_(format), keep_top_texts_(keep_top_texts), keep_(keep) {}

  void Add(const Value& value);
  // Sorts what was kept; call once, after the last Add.
  void Finish();

  StatsKind kind() const { return kind_; }
  int64_t rows() const { return rows_; }    // values added, NULLs included
  int64_t nulls() const { return nulls_; }
  int64_t non_null() const { return rows_ - nulls_; }
  int64_t unparseable() const { return unparseable_; }  // non-NULL values that are not figures
  int64_t stored_numbers() const { return stored_numbers_; }  // INTEGER and REAL values
  const std::vector<double>& figures() const { return figures_; }  // sorted after Finish
  double sum() const { return sum_; }
  // Population standard deviation of the figures (Welford); 0 for one figure.
  double PopulationStddev() const;
  // Distinct non-NULL values (equal when of the same storage class and bytes, as SQL DISTINCT).
  int64_t DistinctCount() const;
  // The `k` most frequent non-NULL values: (text, exact count), most frequent first. A value's
  // text is known when it is among the heavy hitters kept (any value over 1% of the rows is);
  // else nullopt.
  std::vector<std::pair<std::optional<std::string>, int64_t>> Top(size_t k) const;

 private:
  // Add's hash of a non-NULL value: into hashes_ and the heavy hitters.
  void AddHash(const Value& value);

  StatsKind kind_;
  DateFormat format_;
  bool keep_top_texts_;
  StatsKeep keep_;
  std::string scratch_;  // the text form of a number, reused from row to row
  int64_t rows_ = 0, nulls_ = 0, unparseable_ = 0, stored_numbers_ = 0;
  std::vector<uint64_t> hashes_;
  std::vector<double> figures_;
  double sum_ = 0, mean_ = 0, m2_ = 0;
  // Misra-Gries summary of the values' texts: hash -> (text, count).
  std::unordered_map<uint64_t, std::pair<std::string, int64_t>> heavy_;
};

// The exact q-quantile of sorted `x` (not empty), linearly interpolated between the closest ranks
// (h = (n - 1) q, as PERCENTILE_CONT and numpy's default).
double QuantileOf(const std::vector<double>& sorted, double q);

// A figure as text: a number (RealText), or for dates the day (the whole part) as YYYY-MM-DD.
std::string FigureText(double figure, StatsKind kind);

}  // namespace dqa
