// MurmurHash3 x64_128 fed piece by piece (core/util/murmur3.h): the reference's output, whatever
// the cuts of the stream.
#include "core/util/murmur3.h"

#include <gtest/gtest.h>

#include <string>

namespace dqa {
namespace {

TEST(Murmur3Test, MatchesTheReferenceAndIgnoresHowTheStreamIsCut) {
  EXPECT_EQ(Murmur3Hasher().Finish().ToHex(), std::string(32, '0'));
  const std::string fox = "The quick brown fox jumps over the lazy dog";
  Murmur3Hasher whole;
  whole.Update(fox.data(), fox.size());
  // The reference's 16 output bytes 6c1b07bc7bbc4be347939ac4a93c437a, read as two little-endian
  // 64-bit words.
  EXPECT_EQ(whole.Finish(), (Hash128{0xe34bbc7bbc071b6cULL, 0x7a433ca9c49a9347ULL}));
  for (size_t cut = 0; cut <= fox.size(); ++cut) {
    Murmur3Hasher pieces;
    pieces.Update(fox.data(), cut);
    pieces.Update(fox.data() + cut, fox.size() - cut);
    EXPECT_EQ(pieces.Finish(), whole.Finish()) << cut;
  }
}

}  // namespace
}  // namespace dqa
