#include "core/util/trash.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "tests/unit_support.h"

namespace dqa {
namespace {

namespace fs = std::filesystem;

void Write(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::set<std::string> Names(const fs::path& folder) {
  std::set<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(folder, ec)) out.insert(e.path().filename().string());
  return out;
}

class TrashTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = FreshTempDir("dqa_trash_"); }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(TrashTest, MoveIntoTrashMovesTheFileUnderItsNameAndReplacesAnOlderOne) {
  const fs::path trash = dir_ / "t.trash";
  Write(dir_ / "a.range", "first");
  MoveIntoTrash(dir_ / "a.range", trash);  // the trash is made
  EXPECT_FALSE(fs::exists(dir_ / "a.range"));
  EXPECT_EQ(Slurp(trash / "a.range"), "first");
  Write(dir_ / "a.range", "second");
  MoveIntoTrash(dir_ / "a.range", trash);
  EXPECT_FALSE(fs::exists(dir_ / "a.range"));
  EXPECT_EQ(Slurp(trash / "a.range"), "second");
  EXPECT_EQ(Names(trash), (std::set<std::string>{"a.range"}));
}

TEST_F(TrashTest, MoveIntoTrashRemovesTheFileWhenTheTrashIsNoFolder) {
  Write(dir_ / "t.trash", "not a folder");
  fs::create_directory(dir_ / "elsewhere");
  fs::create_directory_symlink(dir_ / "elsewhere", dir_ / "u.trash");
  Write(dir_ / "a.memo", "x");
  Write(dir_ / "b.memo", "y");
  MoveIntoTrash(dir_ / "a.memo", dir_ / "t.trash");
  MoveIntoTrash(dir_ / "b.memo", dir_ / "u.trash");  // a link to a folder is not followed
  EXPECT_FALSE(fs::exists(dir_ / "a.memo"));
  EXPECT_FALSE(fs::exists(dir_ / "b.memo"));
  EXPECT_EQ(Slurp(dir_ / "t.trash"), "not a folder");
  EXPECT_TRUE(Names(dir_ / "elsewhere").empty());
}

TEST_F(TrashTest, LinkIntoTrashGivesTheFileASecondNameThatOutlivesIt) {
  const fs::path trash = dir_ / "h.trash";
  Write(dir_ / "audit.db-wal", "frames");
  ASSERT_TRUE(LinkIntoTrash(dir_ / "audit.db-wal", trash, "wal"));
  struct stat st {};
  ASSERT_EQ(::stat((dir_ / "audit.db-wal").c_str(), &st), 0);
  EXPECT_EQ(st.st_nlink, 2u);  // one file, two names: removing one frees nothing
  const std::set<std::string> names = Names(trash);
  ASSERT_EQ(names.size(), 1u);
  const std::string name = *names.begin();
  EXPECT_EQ(name.rfind("wal." + std::to_string(::getpid()) + ".", 0), 0u) << name;
  fs::remove(dir_ / "audit.db-wal");
  EXPECT_EQ(Slurp(trash / name), "frames");
  // Nothing to link: a missing file, a folder, a trash that is a file or a link to a folder.
  EXPECT_FALSE(LinkIntoTrash(dir_ / "audit.db-wal", trash, "wal"));
  EXPECT_FALSE(LinkIntoTrash(dir_, trash, "wal"));
  Write(dir_ / "f", "x");
  Write(dir_ / "file.trash", "");
  EXPECT_FALSE(LinkIntoTrash(dir_ / "f", dir_ / "file.trash", "wal"));
  fs::create_directory(dir_ / "elsewhere");
  fs::create_directory_symlink(dir_ / "elsewhere", dir_ / "link.trash");
  EXPECT_FALSE(LinkIntoTrash(dir_ / "f", dir_ / "link.trash", "wal"));
  EXPECT_TRUE(Names(dir_ / "elsewhere").empty());
  EXPECT_EQ(Names(trash).size(), 1u);
}

TEST_F(TrashTest, AnEmptierWithAPrefixDeletesOnlyTheLinksItNamed) {
  const fs::path trash = dir_ / "h.trash";
  Write(dir_ / "audit.db-wal", "frames");
  ASSERT_TRUE(LinkIntoTrash(dir_ / "audit.db-wal", trash, "wal"));
  for (const char* other : {"wal.1", "wal.1.2.3", "wal.a.2", "wal..2", "wal.12.", "wal-1.2",
                            "notes.txt", "index.1.2"}) {
    Write(trash / other, "keep");
  }
  Write(trash / "wal.123.4567", "goes");
  const std::set<std::string> before = Names(trash);
  { TrashEmptier emptier(trash, "wal"); }  // (joined when destroyed)
  std::set<std::string> left = Names(trash);
  EXPECT_EQ(left, (std::set<std::string>{"wal.1", "wal.1.2.3", "wal.a.2", "wal..2", "wal.12.",
                                         "wal-1.2", "notes.txt", "index.1.2"}));
  EXPECT_EQ(before.size(), left.size() + 2);
  EXPECT_EQ(Slurp(dir_ / "audit.db-wal"), "frames");  // its other name is untouched
}

TEST_F(TrashTest, AnEmptierWithoutAPrefixDeletesEveryFileAndNeverFollowsALink) {
  const fs::path trash = dir_ / "t.trash";
  fs::create_directory(trash);
  for (const char* name : {"a.range", "b.memo", "index.9.9"}) Write(trash / name, "x");
  TrashEmptier emptier(trash);
  emptier.Join();
  EXPECT_TRUE(fs::is_directory(trash));
  EXPECT_TRUE(Names(trash).empty());

  fs::create_directory(dir_ / "elsewhere");
  Write(dir_ / "elsewhere" / "kept", "x");
  fs::create_directory_symlink(dir_ / "elsewhere", dir_ / "link.trash");
  { TrashEmptier through_link(dir_ / "link.trash"); }
  EXPECT_EQ(Names(dir_ / "elsewhere"), (std::set<std::string>{"kept"}));
  { TrashEmptier missing(dir_ / "none.trash"); }  // nothing to do
  EXPECT_FALSE(fs::exists(dir_ / "none.trash"));
}

}  // namespace
}  // namespace dqa
