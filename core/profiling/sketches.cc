#include "core/profiling/sketches.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace dqa::profiling {
namespace {

// SplitMix64 finalizer: spreads std::hash's bits, which HyperLogLog needs uniform.
uint64_t Mix(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

}  // namespace

uint64_t HashValue(int type_tag, std::string_view bytes) {
  const uint64_t h = std::hash<std::string_view>{}(bytes);
  return Mix(h + 0x9e3779b97f4a7c15ULL * static_cast<uint64_t>(type_tag + 1));
}

void DistinctCounter::Add(uint64_t hash) {
  const size_t index = static_cast<size_t>(hash >> (64 - kPrecision));
  // Rank of the first 1 bit in the remaining 50 bits (1-based); a sentinel bit bounds it.
  const uint64_t rest = (hash << kPrecision) | (uint64_t{1} << (kPrecision - 1));
  const auto rank = static_cast<uint8_t>(std::countl_zero(rest) + 1);
  if (rank > registers_[index]) registers_[index] = rank;
  if (!exact_) return;
  seen_.insert(hash);
  if (seen_.size() > exact_cap_) {
    exact_ = false;
    std::unordered_set<uint64_t>().swap(seen_);  // free the memory, not just the elements
  }
}

int64_t DistinctCounter::Count() const {
  if (exact_) return static_cast<int64_t>(seen_.size());
  constexpr double m = static_cast<double>(size_t{1} << kPrecision);
  const double alpha = 0.7213 / (1.0 + 1.079 / m);
  double sum = 0;
  int zeros = 0;
  for (uint8_t r : registers_) {
    sum += std::ldexp(1.0, -r);
    if (r == 0) ++zeros;
  }
  double estimate = alpha * m * m / sum;
  // Small-range correction (linear counting) while empty registers remain.
  if (estimate <= 2.5 * m && zeros > 0) estimate = m * std::log(m / zeros);
  return std::llround(estimate);
}

void HeavyHitters::Add(std::string_view value) {
  if (auto it = index_.find(value); it != index_.end()) {
    HeavyHitter& e = entries_[it->second];
    if (saturated_) {
      by_count_.erase({e.count, it->second});
      by_count_.insert({e.count + 1, it->second});
    }
    ++e.count;
    return;
  }
  if (entries_.size() < capacity_) {
    index_.emplace(std::string(value), entries_.size());
    entries_.push_back({std::string(value), 1, 0});
    return;
  }
  if (capacity_ == 0) return;
  if (!saturated_) {
    saturated_ = true;
    for (size_t i = 0; i < entries_.size(); ++i) by_count_.insert({entries_[i].count, i});
  }
  // Replace the least counted value; the newcomer inherits its count as possible error.
  const auto [min_count, slot] = *by_count_.begin();
  by_count_.erase(by_count_.begin());
  HeavyHitter& e = entries_[slot];
  index_.erase(index_.find(std::string_view(e.value)));
  e.value.assign(value);
  e.error = min_count;
  e.count = min_count + 1;
  index_.emplace(e.value, slot);
  by_count_.insert({e.count, slot});
}

std::vector<HeavyHitter> HeavyHitters::Top(size_t n) const {
  std::vector<HeavyHitter> out = entries_;
  std::sort(out.begin(), out.end(), [](const HeavyHitter& a, const HeavyHitter& b) {
    return a.count != b.count ? a.count > b.count : a.value < b.value;
  });
  if (out.size() > n) out.resize(n);
  return out;
}

}  // namespace dqa::profiling
