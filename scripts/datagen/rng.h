// Rng: the generator's only source of randomness, reproducible across platforms and libstdc++ versions.
#pragma once

#include <cstdint>
#include <random>
#include <utility>
#include <vector>

namespace dqa::datagen {

// Wraps std::mt19937_64 (whose output sequence is fixed by the C++ standard) and implements every
// distribution itself, so the same seed gives the same data on every compiler and library version.
class Rng {
 public:
  explicit Rng(uint64_t seed) : engine_(seed) {}

  uint64_t Next() { return engine_(); }

  // Uniform integer in [lo, hi] (inclusive), unbiased (rejection sampling). Requires lo <= hi.
  int64_t Uniform(int64_t lo, int64_t hi) {
    const uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo) + 1;
    if (span == 0) return static_cast<int64_t>(Next());  // the whole 64-bit range
    const uint64_t limit = UINT64_MAX - (UINT64_MAX % span);
    uint64_t x = Next();
    while (x >= limit) x = Next();
    return static_cast<int64_t>(static_cast<uint64_t>(lo) + x % span);
  }

  // Uniform double in [0, 1) with 53 random bits.
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

  // True with probability p.
  bool Chance(double p) { return Unit() < p; }

  // Index into a list of `n` items (n > 0).
  size_t Index(size_t n) { return static_cast<size_t>(Uniform(0, static_cast<int64_t>(n) - 1)); }

  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[Index(items.size())];
  }

  // Index chosen with probability proportional to weights[i] (non-negative, not all zero).
  size_t Weighted(const std::vector<int64_t>& weights) {
    int64_t total = 0;
    for (int64_t w : weights) total += w;
    int64_t r = Uniform(0, total - 1);
    for (size_t i = 0; i < weights.size(); ++i) {
      if (r < weights[i]) return i;
      r -= weights[i];
    }
    return weights.size() - 1;
  }

  // Fisher-Yates shuffle.
  template <typename T>
  void Shuffle(std::vector<T>& items) {
    for (size_t i = items.size(); i > 1; --i) std::swap(items[i - 1], items[Index(i)]);
  }

 private:
  std::mt19937_64 engine_;
};

}  // namespace dqa::datagen
