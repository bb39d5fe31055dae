// RecordHash (core/util/record_hash.h): stable, sensitive to every byte and to the seed, and the
// same fed in pieces (RecordHasher) as whole; BulkHash128 stable and sensitive to every byte, its
// place and the length.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>

#include "core/util/record_hash.h"

namespace dqa {
namespace {

TEST(RecordHashTest, StableAcrossBuildsAndSensitiveToEveryByteAndTheSeed) {
  // Fixed values: a stored fingerprint must read the same in every build.
  const std::string name = "Nguyễn Văn An";  // 16 bytes
  EXPECT_EQ(RecordHash("", 0, 0), 0xc96f21ebf6290549ull) << std::hex << RecordHash("", 0, 0);
  EXPECT_EQ(RecordHash(name.data(), name.size(), 16), 0x6eab18cee97bb9d1ull)
      << std::hex << RecordHash(name.data(), name.size(), 16);
  std::string text(300, 'x');
  for (size_t i = 0; i < text.size(); ++i) text[i] = static_cast<char>('a' + i % 23);
  std::set<uint64_t> seen;
  for (size_t size : {0, 1, 3, 4, 7, 8, 15, 16, 17, 31, 32, 33, 300}) {
    const uint64_t base = RecordHash(text.data(), size, 7);
    EXPECT_TRUE(seen.insert(base).second) << size;
    EXPECT_NE(RecordHash(text.data(), size, 8), base) << size;
    for (size_t at = 0; at < size; ++at) {
      std::string changed = text;
      changed[at] = static_cast<char>(changed[at] ^ 1);
      EXPECT_NE(RecordHash(changed.data(), size, 7), base) << size << " " << at;
    }
  }
}

// A row's part of a range fingerprint: stable across builds, each lane changes with any bit of the
// rowid or the record hash, and parts of distinct rows do not repeat (a sum over a range must
// tell which rows are there).
TEST(RecordHashTest, RowPartsDifferInBothLanesForEveryBitOfTheRow) {
  // Fixed values: the range fingerprints an index keeps must read the same in every build.
  EXPECT_EQ(RowPart(0, 0).high, 0x9a5177c020a3dfc0ull);
  EXPECT_EQ(RowPart(0, 0).low, 0x519f7575b992af34ull);
  EXPECT_EQ(RowPart(1402520, 0x0123456789abcdefull).high, 0xde55db5ccf8aa765ull);
  EXPECT_EQ(RowPart(1402520, 0x0123456789abcdefull).low, 0x79e128a16c0246c6ull);
  const Hash128 base = RowPart(12345, 0x0123456789abcdefull);
  std::set<uint64_t> highs = {base.high}, lows = {base.low};
  for (int bit = 0; bit < 64; ++bit) {
    const Hash128 rowid = RowPart(12345 ^ (uint64_t{1} << bit), 0x0123456789abcdefull);
    const Hash128 record = RowPart(12345, 0x0123456789abcdefull ^ (uint64_t{1} << bit));
    for (const Hash128& h : {rowid, record}) {
      EXPECT_TRUE(highs.insert(h.high).second) << bit;
      EXPECT_TRUE(lows.insert(h.low).second) << bit;
    }
  }
  // Swapping rowid and record hash is another row; zero in either is no fixed point.
  EXPECT_NE(RowPart(1, 2).high, RowPart(2, 1).high);
  EXPECT_NE(RowPart(1, 2).low, RowPart(2, 1).low);
  EXPECT_NE(RowPart(0, 0).high, 0u);
  EXPECT_NE(RowPart(0, 0).low, 0u);
  // Consecutive rowids with one record hash (a column of equal rows): distinct parts.
  std::set<uint64_t> parts;
  for (uint64_t rowid = 1; rowid <= 100000; ++rowid) parts.insert(RowPart(rowid, 42).high);
  EXPECT_EQ(parts.size(), 100000u);
}

TEST(RecordHashTest, PiecesHashAsTheWhole) {
  std::string text(1000, ' ');
  for (size_t i = 0; i < text.size(); ++i) text[i] = static_cast<char>(i * 131 % 251);
  for (size_t size : {1, 15, 16, 17, 32, 33, 500, 1000}) {
    for (size_t cut : {size_t{1}, size_t{5}, size_t{16}, size_t{17}, size_t{100}}) {
      RecordHasher hasher(size, size);
      for (size_t at = 0; at < size; at += cut) hasher.Update(text.data() + at, std::min(cut, size - at));
      EXPECT_EQ(hasher.Finish(), RecordHash(text.data(), size, size)) << size << " " << cut;
    }
  }
}

TEST(RecordHashTest, BulkHashIsStableAndSensitiveToEveryByteAndTheLength) {
  // Fixed values: range state and memo files are named by this hash.
  EXPECT_EQ(BulkHash128("", 0).ToHex(), "c5502f5054ed918799f3ed08c05330cb");
  std::string text(1000, ' ');
  for (size_t i = 0; i < text.size(); ++i) text[i] = static_cast<char>(i * 131 % 251);
  EXPECT_EQ(BulkHash128(text.data(), text.size()).ToHex(), "cf75fafa4e0c31fa023ebf629213070f");
  std::set<std::string> seen;
  // Sizes around the 16-byte blocks and the 64-byte steps of the four lanes.
  for (size_t size : {0, 1, 8, 15, 16, 17, 48, 63, 64, 65, 80, 127, 128, 129, 200, 1000}) {
    const Hash128 base = BulkHash128(text.data(), size);
    EXPECT_TRUE(seen.insert(base.ToHex()).second) << size;
    EXPECT_NE(base.high, base.low) << size;
    for (size_t at = 0; at < size; ++at) {
      std::string changed = text;
      changed[at] = static_cast<char>(changed[at] ^ 0x80);
      const Hash128 other = BulkHash128(changed.data(), size);
      // Both halves move with any byte.
      EXPECT_NE(other.high, base.high) << size << " " << at;
      EXPECT_NE(other.low, base.low) << size << " " << at;
    }
  }
  // Two lanes' words swapped: the lanes are not interchangeable.
  std::string swapped = text.substr(0, 128);
  std::swap_ranges(swapped.begin(), swapped.begin() + 16, swapped.begin() + 32);
  EXPECT_NE(BulkHash128(swapped.data(), 128), BulkHash128(text.data(), 128));
  // Zeros of different lengths differ.
  const std::string zeros(256, '\0');
  EXPECT_NE(BulkHash128(zeros.data(), 128), BulkHash128(zeros.data(), 129));
  EXPECT_NE(BulkHash128(zeros.data(), 192), BulkHash128(zeros.data(), 256));
}

TEST(RecordHashTest, BulkHashFedInPiecesIsTheHashOfTheWhole) {
  std::string text(3000, ' ');
  for (size_t i = 0; i < text.size(); ++i) text[i] = static_cast<char>(i * 131 % 251);
  for (size_t size : {0, 1, 16, 63, 64, 65, 127, 128, 129, 191, 192, 193, 1000, 3000}) {
    const Hash128 whole = BulkHash128(text.data(), size);
    // Pieces of every length from 1 to 130 (across the 64-byte steps and the last 64 bytes),
    // and one piece then the rest.
    for (size_t piece = 1; piece <= 130; ++piece) {
      BulkHasher128 hasher(size);
      for (size_t at = 0; at < size; at += piece) {
        hasher.Update(text.data() + at, std::min(piece, size - at));
        hasher.Update(nullptr, 0);  // empty pieces change nothing
      }
      EXPECT_EQ(hasher.Finish(), whole) << size << " " << piece;
    }
    for (size_t first = 0; first <= size; first += std::max<size_t>(1, size / 37)) {
      BulkHasher128 hasher(size);
      hasher.Update(text.data(), first);
      hasher.Update(text.data() + first, size - first);
      EXPECT_EQ(hasher.Finish(), whole) << size << " " << first;
    }
  }
}

}  // namespace
}  // namespace dqa
