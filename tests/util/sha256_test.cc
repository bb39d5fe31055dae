#include "core/util/sha256.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace dqa {
namespace {

// The examples of FIPS 180-4 (NIST's "SHA256.pdf" example values) and the empty message.
TEST(Sha256Test, FipsExamples) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

// Split updates and every padding boundary (55, 56, 63, 64 bytes) give the one-shot digest.
TEST(Sha256Test, IncrementalUpdatesMatchOneShot) {
  const std::string fips = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  const std::string text = fips + fips + "x";  // 113 bytes: two blocks and a tail
  Sha256 split;
  split.Update(text.substr(0, 3));
  split.Update(text.substr(3, 60));
  split.Update(text.substr(63));
  EXPECT_EQ(split.HexDigest(), Sha256Hex(text));
  // sha256sum of 55, 56, 63 and 64 'x' bytes.
  const struct {
    size_t length;
    const char* digest;
  } cases[] = {
      {55, "d5e285683cd4efc02d021a5c62014694958901005d6f71e89e0989fac77e4072"},
      {56, "04c26261370ee7541549d16dee320c723e3fd14671e66a099afe0a377c16888e"},
      {63, "75220b47218278e656f2013bb8f0c455a25eaf01e86c64924e9d48d89776d6f2"},
      {64, "7ce100971f64e7001e8fe5a51973ecdfe1ced42befe7ee8d5fd6219506b5393c"},
  };
  for (const auto& c : cases) EXPECT_EQ(Sha256Hex(std::string(c.length, 'x')), c.digest) << c.length;
}

TEST(Sha256Test, FileDigestAndUnreadableFile) {
  const std::filesystem::path file =
      std::filesystem::temp_directory_path() / ("dqa_sha256_" + std::to_string(getpid()));
  {
    std::ofstream out(file, std::ios::binary);
    out << std::string(200000, 'a');
  }
  const Result<std::string> digest = Sha256File(file.string());
  ASSERT_TRUE(digest.ok()) << digest.status().message();
  EXPECT_EQ(*digest, Sha256Hex(std::string(200000, 'a')));
  std::filesystem::remove(file);
  const Result<std::string> missing = Sha256File(file.string());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kIoError);
  EXPECT_NE(missing.status().message().find(file.string()), std::string::npos);
}

}  // namespace
}  // namespace dqa
