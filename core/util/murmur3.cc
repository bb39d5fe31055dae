#include "core/util/murmur3.h"

#include <fmt/format.h>

#include <bit>
#include <cstring>

namespace dqa {
namespace {

inline uint64_t Fmix(uint64_t k) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdULL;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ULL;
  k ^= k >> 33;
  return k;
}

// Little-endian load whatever the host order (the reference reads native words on x86); one
// unaligned load on a little-endian host.
inline uint64_t Load64(const unsigned char* p) {
  uint64_t v = 0;
  std::memcpy(&v, p, sizeof v);
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
  return v;
}

}  // namespace

std::string Hash128::ToHex() const { return fmt::format("{:016x}{:016x}", high, low); }

void Murmur3Hasher::Update(const void* data, size_t size) {
  const auto* p = static_cast<const unsigned char*>(data);
  length_ += size;
  if (tail_size_ > 0) {
    const size_t take = std::min(size, sizeof tail_ - tail_size_);
    std::memcpy(tail_ + tail_size_, p, take);
    tail_size_ += take;
    p += take;
    size -= take;
    if (tail_size_ < sizeof tail_) return;
    Block(Load64(tail_), Load64(tail_ + 8));
    tail_size_ = 0;
  }
  for (; size >= 16; p += 16, size -= 16) Block(Load64(p), Load64(p + 8));
  std::memcpy(tail_, p, size);
  tail_size_ = size;
}

void Murmur3Hasher::UpdateU64(uint64_t value) {
  unsigned char bytes[8];
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<unsigned char>(value >> (8 * i));
  Update(bytes, sizeof bytes);
}

Hash128 Murmur3Hasher::Finish() const {
  uint64_t h1 = h1_;
  uint64_t h2 = h2_;
  uint64_t k1 = 0;
  uint64_t k2 = 0;
  // The reference's switch on the tail length, as loops: bytes 8..15 into k2, 0..7 into k1.
  for (size_t i = tail_size_; i > 8; --i) k2 = (k2 << 8) | tail_[i - 1];
  if (tail_size_ > 8) h2 ^= MixK2(k2);
  for (size_t i = std::min<size_t>(tail_size_, 8); i > 0; --i) k1 = (k1 << 8) | tail_[i - 1];
  if (tail_size_ > 0) h1 ^= MixK1(k1);
  h1 ^= length_;
  h2 ^= length_;
  h1 += h2;
  h2 += h1;
  h1 = Fmix(h1);
  h2 = Fmix(h2);
  h1 += h2;
  h2 += h1;
  return {h1, h2};
}

}  // namespace dqa
