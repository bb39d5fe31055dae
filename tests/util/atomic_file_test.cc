#include "core/util/atomic_file.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/unit_support.h"

namespace dqa {
namespace {

namespace fs = std::filesystem;

std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class AtomicFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = FreshTempDir("dqa_atomic_");
    target_ = (dir_ / "out.json").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Names in the folder, sorted.
  std::vector<std::string> Listing() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir_)) names.push_back(e.path().filename());
    std::sort(names.begin(), names.end());
    return names;
  }

  void WriteOld(const std::string& text) const { std::ofstream(target_) << text; }

  fs::path dir_;
  std::string target_;
};

TEST_F(AtomicFileTest, WritesContentAndLeavesNoTemporary) {
  WriteOld("old");
  ASSERT_TRUE(WriteFileAtomically(target_, "new content\n").ok());
  EXPECT_EQ(Slurp(target_), "new content\n");
  EXPECT_EQ(Listing(), std::vector<std::string>{"out.json"});
}

TEST_F(AtomicFileTest, TemporaryIsHiddenBesideTheTargetUntilCommit) {
  WriteOld("old");
  auto file = AtomicFile::Create(target_);
  ASSERT_TRUE(file.ok()) << file.status().message();
  const fs::path temp = (*file)->temp_path();
  EXPECT_EQ(temp.parent_path(), dir_);
  EXPECT_EQ(temp.filename().string().rfind(".out.json.tmp-" + std::to_string(getpid()) + "-", 0),
            0u)
      << temp;
  ASSERT_TRUE((*file)->Write("new").ok());
  EXPECT_EQ(Slurp(target_), "old");  // nothing visible before the commit
  ASSERT_TRUE((*file)->Commit().ok());
  EXPECT_EQ(Slurp(target_), "new");
  EXPECT_FALSE(fs::exists(temp));
}

TEST_F(AtomicFileTest, AbandonedWriteKeepsOldFileAndRemovesTemporary) {
  WriteOld("old");
  {
    auto file = AtomicFile::Create(target_);
    ASSERT_TRUE(file.ok());
    ASSERT_TRUE((*file)->Write("half a ").ok());
  }
  EXPECT_EQ(Slurp(target_), "old");
  EXPECT_EQ(Listing(), std::vector<std::string>{"out.json"});
}

// A full disk, as RLIMIT_FSIZE makes it (write() fails with EFBIG once SIGXFSZ is ignored), in a
// child so the limit does not reach the test process.
TEST_F(AtomicFileTest, FullDiskKeepsOldFileAndSaysWhy) {
  WriteOld("old");
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    close(pipe_fds[0]);
    signal(SIGXFSZ, SIG_IGN);
    const rlimit limit{1000, 1000};
    setrlimit(RLIMIT_FSIZE, &limit);
    const Status s = WriteFileAtomically(target_, std::string(5000, 'x'));
    const std::string message = s.message();
    (void)!write(pipe_fds[1], message.data(), message.size());
    _exit(s.ok() ? 0 : 1);
  }
  close(pipe_fds[1]);
  std::string message;
  char buf[256];
  for (ssize_t n; (n = read(pipe_fds[0], buf, sizeof buf)) > 0;) message.append(buf, n);
  close(pipe_fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1);
  EXPECT_EQ(message, "cannot write " + target_ + ": File too large");
  EXPECT_EQ(Slurp(target_), "old");
  EXPECT_EQ(Listing(), std::vector<std::string>{"out.json"});
}

TEST_F(AtomicFileTest, MissingFolderIsAnErrorNamingTheFile) {
  const std::string target = (dir_ / "no" / "such" / "out.json").string();
  const Status s = WriteFileAtomically(target, "x");
  EXPECT_EQ(s.code(), StatusCode::kIoError);
  EXPECT_EQ(s.message(), "cannot write " + target + ": cannot create a temporary file in " +
                             (dir_ / "no" / "such").string() + ": No such file or directory");
  EXPECT_EQ(CheckWritable(target).message(), s.message());
}

TEST_F(AtomicFileTest, FolderAsTargetFailsAndLeavesNoTemporary) {
  fs::create_directories(target_);
  EXPECT_EQ(CheckWritable(target_).message(), "cannot write " + target_ + ": Is a directory");
  const Status s = WriteFileAtomically(target_, "x");
  EXPECT_EQ(s.code(), StatusCode::kIoError);
  EXPECT_NE(s.message().find("cannot write " + target_ + ": rename: "), std::string::npos)
      << s.message();
  EXPECT_EQ(Listing(), std::vector<std::string>{"out.json"});
  EXPECT_TRUE(fs::is_directory(target_));
}

TEST_F(AtomicFileTest, CheckWritableWritesNothing) {
  ASSERT_TRUE(CheckWritable(target_).ok());
  EXPECT_TRUE(Listing().empty());
}

TEST_F(AtomicFileTest, LibraryWritingByPathIsCommitted) {
  WriteOld("old");
  auto file = AtomicFile::Create(target_);
  ASSERT_TRUE(file.ok());
  {
    // As libxlsxwriter does: its own file handle on the temporary's path.
    std::ofstream library((*file)->temp_path(), std::ios::binary | std::ios::trunc);
    library << "workbook";
  }
  ASSERT_TRUE((*file)->Commit().ok());
  EXPECT_EQ(Slurp(target_), "workbook");
  EXPECT_EQ(Listing(), std::vector<std::string>{"out.json"});
}

TEST_F(AtomicFileTest, ReplacesTheFileBehindASymbolicLink) {
  fs::create_directories(dir_ / "real");
  std::ofstream(dir_ / "real" / "r.json") << "old";
  fs::create_symlink(dir_ / "real" / "r.json", target_);
  ASSERT_TRUE(WriteFileAtomically(target_, "new").ok());
  EXPECT_TRUE(fs::is_symlink(target_));
  EXPECT_EQ(Slurp(dir_ / "real" / "r.json"), "new");
}

TEST_F(AtomicFileTest, KeepsThePermissionBitsOfTheOldFile) {
  WriteOld("old");
  ASSERT_EQ(chmod(target_.c_str(), 0640), 0);
  ASSERT_TRUE(WriteFileAtomically(target_, "new").ok());
  struct stat st {};
  ASSERT_EQ(stat(target_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0640u);
}

TEST_F(AtomicFileTest, RemovesTemporariesOfKilledProcesses) {
  // A pid that is certainly gone: a child that has exited and been reaped.
  const pid_t gone = fork();
  if (gone == 0) _exit(0);
  waitpid(gone, nullptr, 0);
  const std::string stale = ".out.json.tmp-" + std::to_string(gone) + "-0badf00d";
  const std::string alive = ".out.json.tmp-" + std::to_string(getpid()) + "-00000001";
  std::ofstream(dir_ / stale) << "half";
  std::ofstream(dir_ / alive) << "being written";
  std::ofstream(dir_ / ".other.json.tmp-1-1") << "not ours";
  ASSERT_TRUE(WriteFileAtomically(target_, "new").ok());
  EXPECT_EQ(Listing(), (std::vector<std::string>{".other.json.tmp-1-1", alive, "out.json"}));
}

}  // namespace
}  // namespace dqa
