// What metric and drift measure over one column in the fused scan: the values counted compactly
// (a 64-bit hash per distinct non-NULL value, each distinct number or date, with their counts) so
// that exact distinct counts, value frequencies and quantiles stream over a large table in memory
// that grows with the distinct values (docs/checks.md "metric", "Memory").
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/model/types.h"
#include "core/sources/value.h"

namespace dqa {

// How a column's values are read as figures: numbers (INTEGER, REAL, numeric text) or dates
// (read as DateSeconds, kept as day numbers since 1970-01-01).
enum class StatsKind { kNumbers, kDates };

// Pairs of 8-byte numbers as one binary JSON value, and back: the large arrays of a scan state
// (counted values, duplicate key hashes) read back fast, without a JSON number per element.
template <typename A, typename B>
nlohmann::json PackPairs(const std::vector<std::pair<A, B>>& pairs) {
  static_assert(sizeof(A) == 8 && sizeof(B) == 8);
  std::vector<uint8_t> bytes(pairs.size() * 16);
  for (size_t i = 0; i < pairs.size(); ++i) {
    std::memcpy(bytes.data() + 16 * i, &pairs[i].first, 8);
    std::memcpy(bytes.data() + 16 * i + 8, &pairs[i].second, 8);
  }
  return nlohmann::json::binary(std::move(bytes));
}
template <typename A, typename B>
std::vector<std::pair<A, B>> UnpackPairs(const nlohmann::json& packed) {
  const auto& bytes = packed.get_binary();  // throws type_error on anything else
  if (bytes.size() % 16 != 0) throw std::invalid_argument("packed pairs of a wrong size");
  std::vector<std::pair<A, B>> out(bytes.size() / 16);
  for (size_t i = 0; i < out.size(); ++i) {
    std::memcpy(&out[i].first, bytes.data() + 16 * i, 8);
    std::memcpy(&out[i].second, bytes.data() + 16 * i + 8, 8);
  }
  return out;
}

// Values counted compactly: (value, count) runs, sorted and distinct, plus a batch of values not
// yet counted. Memory grows with the distinct values, not the rows (a column of dates or codes
// holds a few thousand runs whatever the table's size); the result does not depend on the order
// the values came in, so a split scan merges exactly.
template <typename K>
class CountedValues {
 public:
  void Add(K value) {
    pending_.push_back(value);
    if (pending_.size() >= std::max<size_t>(kBatch, runs_.size())) Compact();
  }
  // Takes `later`'s values; the runs are merged at the next Compact, all at once (pairwise, so k
  // merged ranges cost n log k, not n k).
  void Merge(CountedValues& later) {
    later.Compact();
    parts_.push_back(std::move(later.runs_));
    later.runs_.clear();
  }
  // The runs as one binary JSON value (value and count, 16 bytes a run, in this machine's byte
  // order: a state is read back by the same build), and back (replacing these).
  nlohmann::json Save() {
    Compact();
    return PackPairs(runs_);
  }
  void Load(const nlohmann::json& packed) {
    pending_.clear();
    parts_.clear();
    runs_ = UnpackPairs<K, int64_t>(packed);
  }
  // Adds sorted, distinct runs (a saved state's) as Merge adds another's.
  void AddRuns(std::vector<std::pair<K, int64_t>> runs) { parts_.push_back(std::move(runs)); }
  // The runs, sorted by value (after Compact).
  const std::vector<std::pair<K, int64_t>>& runs() const { return runs_; }
  // `a` less `b` (both sorted and distinct): nullopt when `b` counts a value more often than `a`.
  static std::optional<std::vector<std::pair<K, int64_t>>> SubtractRuns(
      const std::vector<std::pair<K, int64_t>>& a, const std::vector<std::pair<K, int64_t>>& b) {
    std::vector<std::pair<K, int64_t>> out;
    out.reserve(a.size());
    size_t i = 0;
    for (const auto& [value, count] : b) {
      while (i < a.size() && a[i].first < value) out.push_back(a[i++]);
      if (i == a.size() || value < a[i].first || a[i].second < count) return std::nullopt;
      if (a[i].second > count) out.emplace_back(value, a[i].second - count);
      ++i;
    }
    out.insert(out.end(), a.begin() + static_cast<std::ptrdiff_t>(i), a.end());
    return out;
  }
  void Compact() {
    if (!parts_.empty()) {
      parts_.push_back(std::move(runs_));
      while (parts_.size() > 1) {
        std::vector<std::vector<std::pair<K, int64_t>>> next;
        for (size_t i = 0; i + 1 < parts_.size(); i += 2) {
          next.push_back(MergeRuns(std::move(parts_[i]), std::move(parts_[i + 1])));
        }
        if (parts_.size() % 2 == 1) next.push_back(std::move(parts_.back()));
        parts_ = std::move(next);
      }
      runs_ = std::move(parts_.front());
      parts_.clear();
    }
    if (pending_.empty()) return;
    std::sort(pending_.begin(), pending_.end());
    std::vector<std::pair<K, int64_t>> batch;
    for (size_t i = 0; i < pending_.size();) {
      size_t j = i + 1;
      while (j < pending_.size() && pending_[j] == pending_[i]) ++j;
      batch.emplace_back(pending_[i], static_cast<int64_t>(j - i));
      i = j;
    }
    pending_.clear();
    runs_ = MergeRuns(std::move(runs_), std::move(batch));
  }

 private:
  static constexpr size_t kBatch = 65'536;
  static std::vector<std::pair<K, int64_t>> MergeRuns(std::vector<std::pair<K, int64_t>> a,
                                                      std::vector<std::pair<K, int64_t>> b) {
    if (a.empty()) return b;
    if (b.empty()) return a;
    std::vector<std::pair<K, int64_t>> out;
    out.reserve(a.size() + b.size());
    size_t i = 0, j = 0;
    while (i < a.size() || j < b.size()) {
      if (j == b.size() || (i < a.size() && a[i].first < b[j].first)) {
        out.push_back(a[i++]);
      } else if (i == a.size() || b[j].first < a[i].first) {
        out.push_back(b[j++]);
      } else {
        out.emplace_back(a[i].first, a[i].second + b[j].second);
        ++i;
        ++j;
      }
    }
    return out;
  }
  std::vector<std::pair<K, int64_t>> runs_;
  std::vector<std::vector<std::pair<K, int64_t>>> parts_;  // merged in, not yet put together
  std::vector<K> pending_;
};

// The accumulator. Memory: the distinct values (a 64-bit hash each) and distinct figures
// (numbers or dates) with their counts (CountedValues), plus the texts of at most kHeavyHitters
// frequent values when `keep_top_texts`.
class ColumnStats {
 public:
  static constexpr size_t kHeavyHitters = 100;

  // What is kept beyond the counts of rows, NULLs, stored numbers and unparseable values: the
  // values' hashes (distinct counts, the most frequent values) and the figures (numbers or dates:
  // min, max, sum, deviation, quantiles). A check keeps only what its statistics read.
  struct Keep {
    bool hashes = true;
    bool figures = true;
    // With figures: every figure with its count (quantiles, sums), or only how many there are and
    // the smallest and largest (a min or max metric).
    bool every_figure = true;
  };
  ColumnStats(StatsKind kind, DateFormat format, bool keep_top_texts, Keep keep)
      : kind_(kind), format_(format), keep_top_texts_(keep_top_texts), keep_(keep) {}
  ColumnStats(StatsKind kind, DateFormat format, bool keep_top_texts)
      : ColumnStats(kind, format, keep_top_texts, Keep{}) {}

  void Add(const Value& value);
  // Adds the values `later` was given (a split scan's other rowid range): the same statistics as
  // one ColumnStats given both. Before Finish.
  void Merge(ColumnStats& later);
  // Table totals (docs/engine.md "Table totals"): whether what is kept is a sum over the values
  // that can be taken apart again (counts, every figure with its count; not a min or max alone).
  bool KeepsTotal() const {
    return (keep_.hashes || keep_.figures) && !(keep_.figures && !keep_.every_figure) &&
           (!keep_top_texts_ || keep_.hashes);
  }
  // With KeepsTotal: adds `total` (the Save of a whole table's merged statistics) less the merged
  // `earlier` ones (Saves of some of its ranges), so that these statistics, of the ranges read
  // again, become the table's. False, and nothing changed, when `earlier` is not part of `total`
  // (a count would go below zero) or `total` does not add up; throws on a malformed state.
  bool AddTotal(const nlohmann::json& total, const std::vector<const nlohmann::json*>& earlier);
  // Merge of a Save (another range's statistics); throws on a malformed state.
  void MergeSaved(const nlohmann::json& state);
  // The state as JSON (a split scan's stored range, docs/engine.md "Incremental scans"), and back.
  nlohmann::json Save() const;
  void Load(const nlohmann::json& state);
  // Counts what was kept and sums the figures (in value order: the same whatever order the rows
  // came in); call once, after the last Add.
  void Finish();

  StatsKind kind() const { return kind_; }
  int64_t rows() const { return rows_; }    // values added, NULLs included
  int64_t nulls() const { return nulls_; }
  int64_t non_null() const { return rows_ - nulls_; }
  int64_t unparseable() const { return unparseable_; }  // non-NULL values that are not figures
  int64_t stored_numbers() const { return stored_numbers_; }  // INTEGER and REAL values
  int64_t figure_count() const { return figure_count_; }     // numbers or dates read
  // After Finish, with figure_count() > 0: the smallest and largest figure, and the exact
  // q-quantile, linearly interpolated between the closest ranks (h = (n - 1) q, as
  // PERCENTILE_CONT and numpy's default).
  double Min() const { return min_; }
  double Max() const { return max_; }
  double Quantile(double q) const;
  double sum() const { return sum_; }
  // Population standard deviation of the figures (two passes over the distinct figures); 0 for one.
  double PopulationStddev() const;
  // Distinct non-NULL values (equal when of the same storage class and bytes, as SQL DISTINCT).
  int64_t DistinctCount() const { return static_cast<int64_t>(hashes_.runs().size()); }
  // The `k` most frequent non-NULL values: (text, exact count), most frequent first. A value's
  // text is known when it is more than 1/(kHeavyHitters + 1) of the non-NULL values (the
  // heavy-hitter summary keeps every such value whatever the order of the rows, so the text does
  // not depend on how the scan was split); else nullopt.
  std::vector<std::pair<std::optional<std::string>, int64_t>> Top(size_t k) const;

 private:
  // The figure of rank `rank` (0-based) in value order.
  double FigureAt(int64_t rank) const;
  // Add's hash of a non-NULL value: into hashes_ and the heavy hitters.
  void AddHash(const Value& value);

  StatsKind kind_;
  DateFormat format_;
  bool keep_top_texts_;
  Keep keep_;
  int64_t rows_ = 0, nulls_ = 0, unparseable_ = 0, stored_numbers_ = 0, figure_count_ = 0;
  // mutable: Save compacts the pending batch first (the counted values stay the same).
  mutable CountedValues<uint64_t> hashes_;
  mutable CountedValues<double> figures_;
  double sum_ = 0, variance_ = 0;
  double min_ = 0, max_ = 0;  // of the figures, when figure_count_ > 0
  std::string scratch_;  // AddHash's text form of a number
  // The texts of frequent values: hash -> (text, count). While values are added, a Misra-Gries
  // summary (count: its counter); once summaries are merged, their union (count: how many of the
  // summaries hold the value, so that one can be taken out again: AddTotal). Either holds every
  // value over 1/(kHeavyHitters + 1) of the values added: such a value is over that share in at
  // least one of the merged ranges, whose summary kept it.
  std::unordered_map<uint64_t, std::pair<std::string, int64_t>> heavy_;
  bool heavy_union_ = false;
  // The union form of heavy_ (each entry held by one summary, this one).
  void HeavyToUnion();
  // A ColumnStats of the same kind, keeping the same, with nothing added.
  ColumnStats EmptyLike() const { return ColumnStats(kind_, format_, keep_top_texts_, keep_); }
};

// A figure as text: a number (RealText), or for dates the day (the whole part) as YYYY-MM-DD.
std::string FigureText(double figure, StatsKind kind);

}  // namespace dqa
