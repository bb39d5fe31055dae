// Bounded-memory sketches of the profiler: distinct counting (exact, then HyperLogLog) and heavy
// hitters (exact, then Space-Saving).
#pragma once

#include <array>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace dqa::profiling {

// A 64-bit hash of `bytes` tagged with `type_tag`, so that equal bytes of different storage types
// hash differently. Deterministic within one build.
uint64_t HashValue(int type_tag, std::string_view bytes);

// Counts distinct 64-bit hashes. Exact (a hash set) until more than `exact_cap` distinct hashes
// were seen; then the set is freed and the count is a HyperLogLog estimate (2^14 registers, about
// 0.8 % standard error) that has seen every value. Memory: O(exact_cap) then 16 KiB.
class DistinctCounter {
 public:
  explicit DistinctCounter(size_t exact_cap = 100000) : exact_cap_(exact_cap) {}

  void Add(uint64_t hash);
  // Exact count while exact(), else the HyperLogLog estimate (rounded).
  int64_t Count() const;
  bool exact() const { return exact_; }

 private:
  static constexpr int kPrecision = 14;
  size_t exact_cap_;
  bool exact_ = true;
  std::unordered_set<uint64_t> seen_;
  std::array<uint8_t, size_t{1} << kPrecision> registers_{};
};

// One entry of HeavyHitters::Top. `count` overestimates the true count by at most `error`.
struct HeavyHitter {
  std::string value;
  int64_t count = 0;
  int64_t error = 0;
};

// Frequent values of a stream in bounded memory. Counts are exact while at most `capacity`
// distinct values were seen; after that it is Space-Saving (Metwally et al.): `capacity`
// counters, a new value replaces the least counted one, and every value that occurs more than
// N / capacity times is kept with `count - error <= true count <= count`.
class HeavyHitters {
 public:
  explicit HeavyHitters(size_t capacity) : capacity_(capacity) {}

  void Add(std::string_view value);
  // True while no value was ever evicted: counts are exact and complete.
  bool exact() const { return !saturated_; }
  // Number of values tracked (all distinct values while exact()).
  size_t size() const { return entries_.size(); }
  // Up to `n` entries by count (descending), then value (ascending).
  std::vector<HeavyHitter> Top(size_t n) const;

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  size_t capacity_;
  bool saturated_ = false;
  std::vector<HeavyHitter> entries_;
  std::unordered_map<std::string, size_t, Hash, std::equal_to<>> index_;
  std::set<std::pair<int64_t, size_t>> by_count_;  // only once saturated
};

}  // namespace dqa::profiling
