#include "core/checks/column_stats.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "core/checks/check_support.h"
#include "core/util/dates.h"
#include "core/util/murmur3.h"
#include "core/util/text.h"

namespace dqa {
namespace {

// SplitMix64 finalizer over StableHash64 (kept in range states, so the same in every build):
// well-spread 64-bit hashes, so that two distinct values of 1.4 million collide with probability about n^2 / 2^65 (5e-8).
uint64_t MixStatsHash(uint64_t h) {
  h += 0x9e3779b97f4a7c15ull;
  h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ull;
  h = (h ^ (h >> 27)) * 0x94d049bb133111ebull;
  return h ^ (h >> 31);
}

}  // namespace

void ColumnStats::Add(const Value& value) {
  ++rows_;
  if (value.is_null()) {
    ++nulls_;
    return;
  }
  stored_numbers_ += value.type == Value::Type::kInteger || value.type == Value::Type::kReal;
  if (keep_.hashes || keep_top_texts_) AddHash(value);
  std::optional<double> figure;
  if (kind_ == StatsKind::kDates) {
    if (const auto t = DateSeconds(value, format_)) figure = static_cast<double>(DayOf(*t));
  } else if (value.type == Value::Type::kInteger) {
    figure = static_cast<double>(value.integer);
  } else if (value.type == Value::Type::kReal) {
    figure = value.real;
  } else if (value.type == Value::Type::kText) {
    figure = ParseNumber(value.bytes);
  }
  if (!figure || !std::isfinite(*figure)) {
    ++unparseable_;
    return;
  }
  // Without figures (a ratio or count metric) min, sum and quantiles are never read either.
  if (!keep_.figures) return;
  const double x = *figure + 0.0;  // -0.0 counts as 0
  min_ = figure_count_ == 0 ? x : std::min(min_, x);
  max_ = figure_count_ == 0 ? x : std::max(max_, x);
  ++figure_count_;
  if (keep_.every_figure) figures_.Add(x);
}

void ColumnStats::AddHash(const Value& value) {
  const std::string_view text = TextForm(value, scratch_);
  const uint64_t hash =
      MixStatsHash(StableHash64(text) ^ static_cast<uint64_t>(value.type));
  if (keep_.hashes) hashes_.Add(hash);
  if (keep_top_texts_) {
    auto it = heavy_.find(hash);
    if (it != heavy_.end()) {
      ++it->second.second;
    } else if (heavy_.size() < kHeavyHitters) {
      heavy_.emplace(hash, std::pair<std::string, int64_t>{TruncateForDisplay(text), 1});
    } else {
      // Misra-Gries: every kept count loses one; a value over n / (k + 1) is never dropped.
      for (auto& e : heavy_) --e.second.second;
      std::erase_if(heavy_, [](const auto& e) { return e.second.second <= 0; });
    }
  }
}

void ColumnStats::Merge(ColumnStats& later) {
  rows_ += later.rows_;
  nulls_ += later.nulls_;
  unparseable_ += later.unparseable_;
  stored_numbers_ += later.stored_numbers_;
  if (later.figure_count_ > 0) {
    min_ = figure_count_ == 0 ? later.min_ : std::min(min_, later.min_);
    max_ = figure_count_ == 0 ? later.max_ : std::max(max_, later.max_);
  }
  figure_count_ += later.figure_count_;
  hashes_.Merge(later.hashes_);
  figures_.Merge(later.figures_);
  if (!keep_top_texts_) return;
  // The union of the summaries, each entry counting the summaries that hold it: it keeps every
  // value over 1/(kHeavyHitters + 1) of all the values (one of the merged summaries holds it), and
  // a summary can be taken out of it again (AddTotal), which a merged Misra-Gries summary cannot.
  // It grows with the summaries merged: at most kHeavyHitters entries for each range of a split
  // scan.
  HeavyToUnion();
  later.HeavyToUnion();
  for (auto& [hash, entry] : later.heavy_) {
    auto [it, inserted] = heavy_.try_emplace(hash, std::move(entry));
    if (!inserted) it->second.second += entry.second;
  }
  later.heavy_.clear();
}

void ColumnStats::HeavyToUnion() {
  if (heavy_union_) return;
  for (auto& e : heavy_) e.second.second = 1;
  heavy_union_ = true;
}

void ColumnStats::MergeSaved(const nlohmann::json& state) {
  ColumnStats other = EmptyLike();
  other.Load(state);
  Merge(other);
}

bool ColumnStats::AddTotal(const nlohmann::json& total_state,
                           const std::vector<const nlohmann::json*>& earlier) {
  ColumnStats total = EmptyLike();
  total.Load(total_state);
  ColumnStats less = EmptyLike();
  for (const nlohmann::json* e : earlier) less.MergeSaved(*e);
  total.hashes_.Compact();
  total.figures_.Compact();
  less.hashes_.Compact();
  less.figures_.Compact();
  // The table's statistics but for the ranges read again.
  const int64_t rows = total.rows_ - less.rows_, nulls = total.nulls_ - less.nulls_,
                unparseable = total.unparseable_ - less.unparseable_,
                stored = total.stored_numbers_ - less.stored_numbers_,
                figures = total.figure_count_ - less.figure_count_;
  if (rows < 0 || nulls < 0 || unparseable < 0 || stored < 0 || figures < 0 || nulls > rows) {
    return false;
  }
  auto hash_runs = CountedValues<uint64_t>::SubtractRuns(total.hashes_.runs(), less.hashes_.runs());
  auto figure_runs =
      CountedValues<double>::SubtractRuns(total.figures_.runs(), less.figures_.runs());
  if (!hash_runs || !figure_runs) return false;
  // What is kept must add up to the counts: every non-NULL value's hash, every figure.
  const auto sum = [](const auto& runs) {
    int64_t n = 0;
    for (const auto& r : runs) n += r.second;
    return n;
  };
  if ((keep_.hashes && sum(*hash_runs) != rows - nulls) ||
      (keep_.figures && sum(*figure_runs) != figures)) {
    return false;
  }
  HeavyToUnion();
  total.HeavyToUnion();
  less.HeavyToUnion();
  for (const auto& [hash, entry] : less.heavy_) {
    const auto it = total.heavy_.find(hash);
    if (it == total.heavy_.end() || it->second.second < entry.second) return false;
    if ((it->second.second -= entry.second) == 0) total.heavy_.erase(it);
  }
  // It adds up: this plus the rest of the table.
  rows_ += rows;
  nulls_ += nulls;
  unparseable_ += unparseable;
  stored_numbers_ += stored;
  if (keep_.figures && !figure_runs->empty()) {
    min_ = figure_count_ == 0 ? figure_runs->front().first
                              : std::min(min_, figure_runs->front().first);
    max_ = figure_count_ == 0 ? figure_runs->back().first
                              : std::max(max_, figure_runs->back().first);
  }
  figure_count_ += figures;
  hashes_.AddRuns(std::move(*hash_runs));
  figures_.AddRuns(std::move(*figure_runs));
  for (auto& [hash, entry] : total.heavy_) {
    auto [it, inserted] = heavy_.try_emplace(hash, std::move(entry));
    if (!inserted) it->second.second += entry.second;
  }
  return true;
}

nlohmann::json ColumnStats::Save() const {
  nlohmann::json heavy = nlohmann::json::array();
  for (const auto& [hash, entry] : heavy_) heavy.push_back({hash, entry.first, entry.second});
  return {{"counts", {rows_, nulls_, unparseable_, stored_numbers_, figure_count_}},
          {"extremes", {min_, max_}},
          {"hashes", hashes_.Save()},
          {"figures", figures_.Save()},
          {"heavy", std::move(heavy)},
          {"heavy_union", heavy_union_}};
}

void ColumnStats::Load(const nlohmann::json& state) {
  const nlohmann::json& counts = state.at("counts");
  rows_ = counts.at(0).get<int64_t>();
  nulls_ = counts.at(1).get<int64_t>();
  unparseable_ = counts.at(2).get<int64_t>();
  stored_numbers_ = counts.at(3).get<int64_t>();
  figure_count_ = counts.at(4).get<int64_t>();
  min_ = state.at("extremes").at(0).get<double>();
  max_ = state.at("extremes").at(1).get<double>();
  hashes_.Load(state.at("hashes"));
  figures_.Load(state.at("figures"));
  heavy_.clear();
  heavy_union_ = state.at("heavy_union").get<bool>();
  for (const nlohmann::json& h : state.at("heavy")) {
    heavy_.emplace(h.at(0).get<uint64_t>(),
                   std::pair<std::string, int64_t>{h.at(1).get<std::string>(), h.at(2).get<int64_t>()});
  }
}

void ColumnStats::Finish() {
  hashes_.Compact();
  figures_.Compact();
  // Two passes over the distinct figures in value order: the sum, then the squared deviations.
  sum_ = 0;
  variance_ = 0;
  if (figure_count_ == 0) return;
  for (const auto& [x, count] : figures_.runs()) sum_ += x * static_cast<double>(count);
  const double mean = sum_ / static_cast<double>(figure_count_);
  for (const auto& [x, count] : figures_.runs()) {
    variance_ += (x - mean) * (x - mean) * static_cast<double>(count);
  }
  variance_ /= static_cast<double>(figure_count_);
}

double ColumnStats::PopulationStddev() const { return std::sqrt(variance_); }

double ColumnStats::FigureAt(int64_t rank) const {
  for (const auto& [x, count] : figures_.runs()) {
    if (rank < count) return x;
    rank -= count;
  }
  return figures_.runs().back().first;
}

double ColumnStats::Quantile(double q) const {
  const double h = static_cast<double>(figure_count_ - 1) * q;
  const auto lo = static_cast<int64_t>(std::floor(h));
  const int64_t hi = std::min(lo + 1, figure_count_ - 1);
  const double low = FigureAt(lo);
  const double high = hi == lo ? low : FigureAt(hi);
  return low + (h - static_cast<double>(lo)) * (high - low);
}

std::vector<std::pair<std::optional<std::string>, int64_t>> ColumnStats::Top(size_t k) const {
  std::vector<std::pair<int64_t, uint64_t>> runs;  // count, hash
  runs.reserve(hashes_.runs().size());
  for (const auto& [hash, count] : hashes_.runs()) runs.push_back({count, hash});
  // Most frequent first; ties in hash order (stable from run to run).
  const size_t n = std::min(k, runs.size());
  std::partial_sort(runs.begin(), runs.begin() + static_cast<std::ptrdiff_t>(n), runs.end(),
                    [](const auto& a, const auto& b) {
                      return a.first != b.first ? a.first > b.first : a.second < b.second;
                    });
  std::vector<std::pair<std::optional<std::string>, int64_t>> top;
  const int64_t values = non_null();
  for (size_t i = 0; i < n; ++i) {
    const auto it = heavy_.find(runs[i].second);
    const bool heavy = runs[i].first * static_cast<int64_t>(kHeavyHitters + 1) > values;
    top.push_back({heavy && it != heavy_.end() ? std::optional(it->second.first) : std::nullopt,
                   runs[i].first});
  }
  return top;
}

std::string FigureText(double figure, StatsKind kind) {
  if (kind == StatsKind::kDates) return FormatDay(static_cast<int64_t>(std::floor(figure)));
  return RealText(figure);
}

}  // namespace dqa
