#include "core/checks/column_stats.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <unordered_map>

#include "core/checks/check_support.h"
#include "core/util/dates.h"
#include "core/util/text.h"

namespace dqa {
namespace {

// SplitMix64 finalizer over std::hash: well-spread 64-bit hashes, so that two distinct values of
// 1.4 million collide with probability about n^2 / 2^65 (5e-8).
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
  if (keep_.hashes || keep_top_texts_) AddHash(value);
  stored_numbers_ += value.type == Value::Type::kInteger || value.type == Value::Type::kReal;
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
  // Without figures (a ratio or count metric) the sum and deviation are never read either.
  if (!keep_.figures) return;
  figures_.push_back(*figure);
  sum_ += *figure;
  const double delta = *figure - mean_;
  mean_ += delta / static_cast<double>(figures_.size());
  m2_ += delta * (*figure - mean_);
}

void ColumnStats::AddHash(const Value& value) {
  const std::string_view text = TextForm(value, scratch_);
  const uint64_t hash =
      MixStatsHash(std::hash<std::string_view>{}(text) ^ static_cast<uint64_t>(value.type));
  if (keep_.hashes) hashes_.push_back(hash);
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

void ColumnStats::Finish() {
  std::sort(hashes_.begin(), hashes_.end());
  std::sort(figures_.begin(), figures_.end());
}

double ColumnStats::PopulationStddev() const {
  if (figures_.empty()) return 0;
  return std::sqrt(m2_ / static_cast<double>(figures_.size()));
}

int64_t ColumnStats::DistinctCount() const {
  int64_t distinct = 0;
  for (size_t i = 0; i < hashes_.size(); ++i) {
    if (i == 0 || hashes_[i] != hashes_[i - 1]) ++distinct;
  }
  return distinct;
}

std::vector<std::pair<std::optional<std::string>, int64_t>> ColumnStats::Top(size_t k) const {
  std::vector<std::pair<int64_t, uint64_t>> runs;  // count, hash
  for (size_t i = 0; i < hashes_.size();) {
    size_t j = i;
    while (j < hashes_.size() && hashes_[j] == hashes_[i]) ++j;
    runs.push_back({static_cast<int64_t>(j - i), hashes_[i]});
    i = j;
  }
  // Most frequent first; ties in hash order (stable from run to run).
  const size_t n = std::min(k, runs.size());
  std::partial_sort(runs.begin(), runs.begin() + static_cast<std::ptrdiff_t>(n), runs.end(),
                    [](const auto& a, const auto& b) {
                      return a.first != b.first ? a.first > b.first : a.second < b.second;
                    });
  std::vector<std::pair<std::optional<std::string>, int64_t>> top;
  for (size_t i = 0; i < n; ++i) {
    const auto it = heavy_.find(runs[i].second);
    top.push_back({it != heavy_.end() ? std::optional(it->second.first) : std::nullopt,
                   runs[i].first});
  }
  return top;
}

double QuantileOf(const std::vector<double>& sorted, double q) {
  const double h = static_cast<double>(sorted.size() - 1) * q;
  const size_t lo = static_cast<size_t>(std::floor(h));
  const size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

std::string FigureText(double figure, StatsKind kind) {
  if (kind == StatsKind::kDates) return FormatDay(static_cast<int64_t>(std::floor(figure)));
  return RealText(figure);
}

}  // namespace dqa
