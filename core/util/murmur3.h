// MurmurHash3 x64_128 (Austin Appleby, public domain), fed piece by piece: a 128-bit hash of a byte
// stream that is the same however the stream is cut into Update calls. Not cryptographic: it tells
// changed data from unchanged data (range fingerprints, docs/sources.md), not a forgery from data.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace dqa {

struct Hash128 {
  uint64_t high = 0;
  uint64_t low = 0;

  // 32 lowercase hex digits, high half first.
  std::string ToHex() const;
  bool operator==(const Hash128&) const = default;
};

class Murmur3Hasher {
 public:
  explicit Murmur3Hasher(uint64_t seed = 0) : h1_(seed), h2_(seed) {}

  void Update(const void* data, size_t size);
  // The 8 little-endian bytes of `value`.
  void UpdateU64(uint64_t value);
  // The 16 bytes of `k1` then `k2` (little-endian), as one block when nothing is pending (inline:
  // a range fingerprint feeds one per row).
  void UpdateBlock(uint64_t k1, uint64_t k2) {
    if (tail_size_ == 0) {
      length_ += 16;
      Block(k1, k2);
      return;
    }
    UpdateU64(k1);
    UpdateU64(k2);
  }
  // The hash of everything fed so far (the hasher can be fed on afterwards).
  Hash128 Finish() const;

 private:
  static constexpr uint64_t kC1 = 0x87c37b91114253d5ULL;
  static constexpr uint64_t kC2 = 0x4cf5ad432745937fULL;
  static uint64_t Rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }
  // The two lanes' block mixes of the reference.
  static uint64_t MixK1(uint64_t k) { return Rotl(k * kC1, 31) * kC2; }
  static uint64_t MixK2(uint64_t k) { return Rotl(k * kC2, 33) * kC1; }
  // The reference's block: each lane's mix of its word, then the two lanes' rounds.
  void Block(uint64_t k1, uint64_t k2) {
    h1_ = (Rotl(h1_ ^ MixK1(k1), 27) + h2_) * 5 + 0x52dce729;
    h2_ = (Rotl(h2_ ^ MixK2(k2), 31) + h1_) * 5 + 0x38495ab5;
  }

  uint64_t h1_;
  uint64_t h2_;
  unsigned char tail_[16] = {};
  size_t tail_size_ = 0;
  uint64_t length_ = 0;
};

// 64 bits of the hash of `bytes`: the same in every build and library version (std::hash is not
// promised to be), for hashes that are stored (range states).
inline uint64_t StableHash64(std::string_view bytes) {
  Murmur3Hasher hasher;
  hasher.Update(bytes.data(), bytes.size());
  return hasher.Finish().low;
}

}  // namespace dqa
