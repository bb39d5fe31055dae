#include "core/util/input_file.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "tests/unit_support.h"

namespace dqa {
namespace {

namespace fs = std::filesystem;


TEST(InputFileTest, ReadsARegularFileWhole) {
  const ScopedTempDir temp("dqa_input_");
  const fs::path& dir = temp.path();
  std::ofstream(dir / "a.yaml", std::ios::binary) << "source: x\n";
  Result<std::string> text = ReadInputFile((dir / "a.yaml").string());
  ASSERT_TRUE(text.ok()) << text.status().message();
  EXPECT_EQ(*text, "source: x\n");
}

TEST(InputFileTest, RefusesAFifoWithoutBlocking) {
  HangGuard guard(10);
  const ScopedTempDir temp("dqa_input_");
  const fs::path fifo = temp.path() / "rules.yaml";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  Result<std::string> text = ReadInputFile(fifo.string());
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(text.status().message(), fifo.string() + ": not a regular file (a FIFO)");
}

TEST(InputFileTest, RefusesDevZeroWithoutReadingIt) {
  HangGuard guard(10);
  Result<std::string> text = ReadInputFile("/dev/zero");
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(text.status().message(), "/dev/zero: not a regular file (a character device)");
}

TEST(InputFileTest, RefusesADirectoryAndASocket) {
  HangGuard guard(10);
  const ScopedTempDir temp("dqa_input_");
  const fs::path& dir = temp.path();
  Result<std::string> d = ReadInputFile(dir.string());
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().message(), dir.string() + ": not a regular file (a directory)");

  const fs::path socket_path = dir / "s.yaml";
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  ASSERT_LT(socket_path.string().size(), sizeof addr.sun_path);
  socket_path.string().copy(addr.sun_path, sizeof addr.sun_path - 1);
  ASSERT_EQ(::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr), 0);
  Result<std::string> s = ReadInputFile(socket_path.string());
  ::close(fd);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.status().message(), socket_path.string() + ": not a regular file (a socket)");
}

TEST(InputFileTest, FollowsASymlinkToARegularFileButNotToAFifo) {
  HangGuard guard(10);
  const ScopedTempDir temp("dqa_input_");
  const fs::path& dir = temp.path();
  std::ofstream(dir / "real.yaml", std::ios::binary) << "a: 1\n";
  fs::create_symlink(dir / "real.yaml", dir / "link.yaml");
  Result<std::string> ok = ReadInputFile((dir / "link.yaml").string());
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(*ok, "a: 1\n");
  ASSERT_EQ(mkfifo((dir / "pipe").c_str(), 0600), 0);
  fs::create_symlink(dir / "pipe", dir / "pipe.yaml");
  Result<std::string> fifo = ReadInputFile((dir / "pipe.yaml").string());
  ASSERT_FALSE(fifo.ok());
  EXPECT_EQ(fifo.status().message(), (dir / "pipe.yaml").string() + ": not a regular file (a FIFO)");
}

TEST(InputFileTest, RefusesAFileOverTheLimit) {
  const ScopedTempDir temp("dqa_input_");
  const fs::path big = temp.path() / "big.yaml";
  std::ofstream(big, std::ios::binary) << std::string(5 << 20, 'a');
  Result<std::string> text = ReadInputFile(big.string());
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(text.status().message(),
            big.string() + ": 5242880 bytes, over the limit of 4 MiB for this file");
  // Exactly at the limit is read.
  std::ofstream(big, std::ios::binary | std::ios::trunc) << std::string(kMaxInputFileBytes, 'a');
  EXPECT_TRUE(ReadInputFile(big.string()).ok());
}

TEST(InputFileTest, MissingFileIsNotFound) {
  Result<std::string> text = ReadInputFile("/nonexistent/dqa/rules.yaml");
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(text.status().message(), "/nonexistent/dqa/rules.yaml: no such file");
}

struct TextProblemCase {
  const char* name;
  std::string text;
  int line;  // 0: no problem
  int column;
  const char* message;
};

TEST(InputFileTest, FindTextProblemTable) {
  const TextProblemCase cases[] = {
      {"ascii", "a: 1\nb: 2\n", 0, 0, ""},
      {"vietnamese", "ten: \"Nguyễn Văn An\"\n", 0, 0, ""},
      {"bom", "\xEF\xBB\xBF" "a: 1\n", 0, 0, ""},
      {"nul on line 2", std::string("a: 1\nb: x\0y\n", 12), 2, 5, "NUL byte (0x00)"},
      {"invalid byte", "a: 1\nbb: \xFF\n", 2, 5, "invalid UTF-8 (byte 0xFF)"},
      {"overlong", "k: \xC0\xAF", 1, 4, "invalid UTF-8 (byte 0xC0)"},
      {"surrogate", "k: \xED\xA0\x80", 1, 4, "invalid UTF-8 (byte 0xED)"},
      {"truncated at end", "k: \xE1\xBA", 1, 4, "invalid UTF-8 (byte 0xE1)"},
      {"after multibyte", "ễ\xFE", 1, 4, "invalid UTF-8 (byte 0xFE)"},
  };
  for (const TextProblemCase& c : cases) {
    SCOPED_TRACE(c.name);
    const std::optional<TextProblem> p = FindTextProblem(c.text);
    if (c.line == 0) {
      EXPECT_FALSE(p.has_value()) << p->message;
      continue;
    }
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ(p->line, c.line);
    EXPECT_EQ(p->column, c.column);
    EXPECT_EQ(p->message, c.message);
  }
}

}  // namespace
}  // namespace dqa
