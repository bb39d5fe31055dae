// A 64-bit hash of a byte string built from 64 x 64 -> 128-bit multiplications (the construction of
// wyhash, written here): about four times MurmurHash3's speed, for hashing many short strings
// (the records of a range fingerprint, docs/sources.md "Range fingerprints"); and BulkHash128, the
// same block mix in four lanes side by side, for whole files (range states, memos, plugin
// libraries) at the speed of memory. The same in every build (little-endian loads, fixed
// constants), as stored hashes must be. Not cryptographic.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "core/util/murmur3.h"

namespace dqa {
namespace record_hash_internal {

constexpr uint64_t kP0 = 0xa0761d6478bd642full;
constexpr uint64_t kP1 = 0xe7037ed1a0b428dbull;
constexpr uint64_t kP2 = 0x8ebc6af09c88c6e3ull;

// GCC's and Clang's 128-bit integer (__extension__: not ISO C++, which -Wpedantic would say).
__extension__ typedef unsigned __int128 Uint128;

// The two halves of a * b folded together.
inline uint64_t Fold(uint64_t a, uint64_t b) {
  const Uint128 r = static_cast<Uint128>(a) * b;
  return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
}

inline uint64_t Load64(const unsigned char* p) {
  uint64_t v = 0;
  std::memcpy(&v, p, sizeof v);
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
  return v;
}

inline uint64_t Load32(const unsigned char* p) {
  uint32_t v = 0;
  std::memcpy(&v, p, sizeof v);
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap32(v);
  return v;
}

inline uint64_t Start(size_t size, uint64_t seed) {
  return seed ^ Fold(seed ^ kP0, static_cast<uint64_t>(size) ^ kP1);
}
inline uint64_t Block(const unsigned char* p, uint64_t h) {
  return Fold(Load64(p) ^ kP1, Load64(p + 8) ^ h);
}
// The last 1 to 16 bytes at `p` (`left` of them; overlapping loads read each at least once).
inline uint64_t End(const unsigned char* p, size_t left, size_t size, uint64_t h) {
  uint64_t a = 0, b = 0;
  if (left >= 8) {
    a = Load64(p);
    b = Load64(p + left - 8);
  } else if (left >= 4) {
    a = Load32(p);
    b = Load32(p + left - 4);
  } else if (left > 0) {
    a = (uint64_t{p[0]} << 16) | (uint64_t{p[left >> 1]} << 8) | p[left - 1];
  }
  return Fold(kP2 ^ static_cast<uint64_t>(size), Fold(a ^ kP1, b ^ h));
}

}  // namespace record_hash_internal

// The hash of the `size` bytes at `data`, from `seed` (any number that should make a difference:
// the record's size, say).
inline uint64_t RecordHash(const void* data, size_t size, uint64_t seed) {
  using namespace record_hash_internal;
  const auto* p = static_cast<const unsigned char*>(data);
  uint64_t h = Start(size, seed);
  size_t left = size;
  for (; left > 16; p += 16, left -= 16) h = Block(p, h);
  return End(p, left, size, h);
}

// RecordHash of `size` bytes fed in pieces (a record spread over overflow pages): the same hash
// however they are cut, in memory that does not grow with them.
class RecordHasher {
 public:
  RecordHasher(size_t size, uint64_t seed)
      : size_(size), left_(size), h_(record_hash_internal::Start(size, seed)) {}
  // At most `size` bytes in all.
  void Update(const void* data, size_t n) {
    if (n == 0) return;  // (`data` may then be null)
    const auto* p = static_cast<const unsigned char*>(data);
    while (n > 0) {
      const size_t take = std::min(n, sizeof buffer_ - buffered_);
      std::memcpy(buffer_ + buffered_, p, take);
      buffered_ += take;
      p += take;
      n -= take;
      // A full block is hashed as a block only when more than 16 bytes are still to come.
      if (buffered_ == sizeof buffer_ && left_ > 16) {
        h_ = record_hash_internal::Block(buffer_, h_);
        left_ -= 16;
        buffered_ = 0;
      }
    }
  }
  // After all `size` bytes.
  uint64_t Finish() const { return record_hash_internal::End(buffer_, left_, size_, h_); }

 private:
  size_t size_;
  size_t left_;  // bytes not yet hashed as a block
  uint64_t h_;
  unsigned char buffer_[16] = {};
  size_t buffered_ = 0;
};

// A 128-bit hash of the `size` bytes at `data`, for long strings: four lanes of RecordHash's block
// mix over 64 bytes a step (independent multiplications, so the loop runs at the speed of memory,
// several times MurmurHash3's), the last 1 to 64 bytes mixed into the first lane as RecordHash
// does, the lanes folded into two halves. Every byte, its place and the length make a difference.
// BulkHash128 of `size` bytes fed in pieces of any length (a file read a piece at a time): the
// same hash as BulkHash128 of them whole. The size is known first (it starts the lanes).
class BulkHasher128 {
 public:
  explicit BulkHasher128(size_t size)
      : size_(size),
        left_(size),
        a_(record_hash_internal::Start(size, 1)),
        b_(record_hash_internal::Start(size, 2)),
        c_(record_hash_internal::Start(size, 3)),
        d_(record_hash_internal::Start(size, 4)) {}

  // The next `n` bytes; all of them together are `size` bytes.
  void Update(const void* data, size_t n) {
    if (n == 0) return;  // (`data` may then be null)
    const auto* p = static_cast<const unsigned char*>(data);
    if (carried_ > 0) {
      const size_t take = std::min(n, 64 - carried_);
      std::memcpy(carry_ + carried_, p, take);
      carried_ += take;
      p += take;
      n -= take;
      if (carried_ < 64 || left_ <= 64) return;  // a block not whole yet, or the last bytes
      Steps(carry_, 64);
      carried_ = 0;
    }
    const size_t whole = std::min(n / 64, (left_ - 1) / 64) * 64;  // leaving the last 1 to 64
    Steps(p, whole);
    p += whole;
    n -= whole;
    std::memcpy(carry_ + carried_, p, n);  // fewer than 64, or the last 64 at most
    carried_ += n;
  }

  Hash128 Finish() const {
    using namespace record_hash_internal;
    const unsigned char* p = carry_;
    uint64_t a = a_;
    size_t left = left_;
    for (; left > 16; p += 16, left -= 16) a = Block(p, a);
    a = End(p, left, size_, a);
    const uint64_t x = Fold(a ^ kP0, b_ ^ kP1);
    const uint64_t y = Fold(c_ ^ kP2, d_ ^ kP0);
    return Hash128{Fold(x ^ kP1, y ^ kP2), Fold(y ^ kP1, x ^ kP0 ^ static_cast<uint64_t>(size_))};
  }

 private:
  // The 64-byte steps of the four lanes over `n` bytes (a multiple of 64, leaving at least one
  // byte): in locals, which the loads through `p` cannot alias.
  void Steps(const unsigned char* p, size_t n) {
    using namespace record_hash_internal;
    uint64_t a = a_, b = b_, c = c_, d = d_;
    for (const unsigned char* end = p + n; p != end; p += 64) {
      a = Fold(Load64(p) ^ kP1, Load64(p + 8) ^ a);
      b = Fold(Load64(p + 16) ^ kP2, Load64(p + 24) ^ b);
      c = Fold(Load64(p + 32) ^ kP1, Load64(p + 40) ^ c);
      d = Fold(Load64(p + 48) ^ kP2, Load64(p + 56) ^ d);
    }
    a_ = a;
    b_ = b;
    c_ = c;
    d_ = d;
    left_ -= n;
  }

  size_t size_;
  size_t left_;  // the bytes not stepped over yet (those carried included)
  uint64_t a_, b_, c_, d_;
  unsigned char carry_[64] = {};
  size_t carried_ = 0;
};

// A row's part of a range fingerprint (docs/sources.md "Range fingerprints"): two 64-bit hashes of
// (rowid, record hash), each two rounds of RecordHash's mix with its own constants. A range's
// fingerprint is the sum of its rows' parts, lane by lane (mod 2^64): it does not depend on the
// order rows are met in, so a leaf page's part can be kept and added again whole.
inline Hash128 RowPart(uint64_t rowid, uint64_t record) {
  using namespace record_hash_internal;
  const uint64_t a = Fold(rowid ^ kP0, record ^ kP1);
  const uint64_t b = Fold(rowid ^ kP1, record ^ kP2);
  return {Fold(a ^ kP2, (rowid + record) ^ kP0), Fold(b ^ kP0, (rowid - record) ^ kP2)};
}

inline Hash128 BulkHash128(const void* data, size_t size) {
  BulkHasher128 hasher(size);
  hasher.Update(data, size);
  return hasher.Finish();
}

}  // namespace dqa
