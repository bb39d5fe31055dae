// FileBytes (core/util/file_bytes.h): a file's bytes mapped or read, the same bytes either way
// whatever the size (empty, small, past the 2 MB where Read backs them with huge pages), nothing
// for what is not a readable regular file, and a moved-from object empty.
#include "core/util/file_bytes.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

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

}  // namespace
}  // namespace dqa
