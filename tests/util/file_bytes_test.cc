// FileBytes (core/util/file_bytes.h): a file's bytes mapped or read, the same bytes either way
// whatever the size (empty, small, past the 2 MB where Read backs them with huge pages), nothing
// for what is not a readable regular file, and a moved-from object empty; a file or bytes given in
// two parts (ReadInParts, FeedSplit).
#include "core/util/file_bytes.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "core/util/record_hash.h"
#include "tests/checks/scan_fixture.h"

namespace dqa {
namespace {

TEST(FileBytesTest, MapAndReadGiveTheFileBytesWhateverTheSize) {
  testing::TempDir dir;
  for (size_t size : {size_t{0}, size_t{1}, size_t{4097}, (size_t{2} << 20) - 1, size_t{2} << 20,
                      (size_t{5} << 20) + 123}) {
    std::string bytes(size, '\0');
    for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<char>((i * 7919) % 251);
    const std::string path = dir.File("f" + std::to_string(size));
    std::ofstream(path, std::ios::binary) << bytes;
    for (const auto& bytes_of : {&FileBytes::Map, &FileBytes::Read}) {
      std::optional<FileBytes> got = bytes_of(path);
      ASSERT_TRUE(got.has_value()) << size;
      EXPECT_EQ(got->view().size(), size);
      EXPECT_TRUE(got->view() == bytes) << size;
      // Moved: the new owner has the bytes, the old one none.
      FileBytes moved = std::move(*got);
      EXPECT_TRUE(moved.view() == bytes) << size;
      EXPECT_TRUE(got->view().empty());
      FileBytes assigned;
      assigned = std::move(moved);
      EXPECT_TRUE(assigned.view() == bytes) << size;
    }
  }
}

TEST(FileBytesTest, NothingForAMissingFileOrAFolder) {
  testing::TempDir dir;
  for (const auto& bytes_of : {&FileBytes::Map, &FileBytes::Read}) {
    EXPECT_FALSE(bytes_of(dir.File("missing")).has_value());
    EXPECT_FALSE(bytes_of(dir.File("")).has_value());
  }
}

// What StreamSplit and StreamMemoSplit give, from bytes (FeedSplit) and from a file (ReadInParts,
// the second part on a thread of its own): the first `align` bytes of the second part first, then
// each part whole and in order, cut at half the size down to a multiple of 4096 bytes; a file's
// hash is its bytes' MemoHash: the BulkHash128 of each part, joined, so that each thread hashes
// the part it reads (a hash of the whole file would differ).
TEST(FileBytesTest, TwoPartsReadAtOnceGiveEachPartWholeAndTheHashOfTheFile) {
  testing::TempDir dir;
  for (size_t size : {size_t{0}, size_t{16}, size_t{8192}, size_t{8192 + 16},
                      (size_t{1} << 20) + 4096 * 3 + 48}) {
    std::string bytes(size, '\0');
    for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<char>((i * 7919) % 251);
    const std::string path = dir.File("p" + std::to_string(size));
    std::ofstream(path, std::ios::binary) << bytes;
    const size_t split = SplitPoint(size);
    EXPECT_EQ(split % 4096, 0u);
    EXPECT_LE(split, size / 2);
    EXPECT_GT(split + 4096, size / 2);
    for (bool file : {false, true}) {
      std::string head, first, second;
      std::thread::id second_on;
      bool second_in_order = true;  // each piece after the whole of `start`
      const auto start = [&](std::string_view h) {
        head = h;
        return true;
      };
      const auto take_first = [&](std::string_view p) {
        EXPECT_EQ(p.size() % 16, 0u);
        first += p;
        return true;
      };
      const auto take_second = [&](std::string_view p) {
        second_on = std::this_thread::get_id();
        second_in_order = second_in_order && head.size() == std::min<size_t>(16, size - split);
        second += p;
        return true;
      };
      Hash128 hash;
      if (file) {
        ASSERT_EQ(ReadInParts(path, 16, 4096, start, take_first, take_second, &hash),
                  PartsRead::kWhole);
        EXPECT_EQ(hash, MemoHash(bytes)) << size;
        if (size > 0) EXPECT_NE(hash, BulkHash128(bytes.data(), bytes.size())) << size;
      } else {
        ASSERT_TRUE(FeedSplit(bytes, 16, 97 * 16, start, take_first, take_second));
      }
      EXPECT_EQ(head, bytes.substr(split, 16)) << size;
      EXPECT_TRUE(first == bytes.substr(0, split)) << size;
      EXPECT_TRUE(second == bytes.substr(split)) << size;
      EXPECT_TRUE(second_in_order);
      // From a file, a second part is read on another thread.
      if (file && split < size) {
        EXPECT_NE(second_on, std::this_thread::get_id()) << size;
      }
    }
  }
}

TEST(FileBytesTest, APartThatStopsStopsTheRead) {
  testing::TempDir dir;
  const std::string bytes(size_t{1} << 20, 'x');
  const std::string path = dir.File("stop");
  std::ofstream(path, std::ios::binary) << bytes;
  const auto yes = [](std::string_view) { return true; };
  const auto no = [](std::string_view) { return false; };
  Hash128 hash;
  EXPECT_EQ(ReadInParts(path, 16, 4096, yes, yes, no, &hash), PartsRead::kStopped);
  EXPECT_EQ(ReadInParts(path, 16, 4096, yes, no, yes, &hash), PartsRead::kStopped);
  EXPECT_EQ(ReadInParts(path, 16, 4096, no, yes, yes, &hash), PartsRead::kStopped);
  EXPECT_FALSE(FeedSplit(bytes, 16, 4096, yes, yes, no));
  // Whole pairs and pages only: an `align` that does not divide 4096 is refused.
  EXPECT_EQ(ReadInParts(path, 24, 4800, yes, yes, yes, &hash), PartsRead::kStopped);
  EXPECT_FALSE(FeedSplit(bytes, 24, 4800, yes, yes, yes));
  EXPECT_EQ(ReadInParts(dir.File("missing"), 16, 4096, yes, yes, yes, &hash),
            PartsRead::kStopped);
  // One part (no `second`): every piece to `first`, `start` not called, and the same MemoHash,
  // whether a piece ends where its second part starts (4096) or runs across it (4800).
  std::string varied = bytes;
  for (size_t i = 0; i < varied.size(); ++i) varied[i] = static_cast<char>((i * 131) % 253);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << varied;
  for (size_t piece : {size_t{4096}, size_t{4800}}) {
    std::string all;
    ASSERT_EQ(ReadInParts(path, 16, piece, nullptr,
                          [&](std::string_view p) {
                            all += p;
                            return true;
                          },
                          nullptr, &hash),
              PartsRead::kWhole);
    EXPECT_TRUE(all == varied);
    EXPECT_EQ(hash, MemoHash(varied)) << piece;
  }
}

}  // namespace
}  // namespace dqa
