#include "core/util/file_identity.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/unit_support.h"

namespace dqa {
namespace {

namespace fs = std::filesystem;

class InputFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = FreshTempDir("dqa_identity_");
    fs::create_directories(dir_ / "data");
    db_ = (dir_ / "data" / "population.db").string();
    std::ofstream(db_) << "db";
    inputs_.Add(db_, "the database of source population");
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Refusal(const std::string& output) const {
    const Status s = inputs_.CheckOutput("--json", output);
    EXPECT_EQ(s.code(), s.ok() ? StatusCode::kOk : StatusCode::kInvalidArgument);
    return s.message();
  }

  fs::path dir_;
  std::string db_;
  InputFiles inputs_;
};

TEST_F(InputFilesTest, RefusesTheInputItselfNamingOptionOutputAndInput) {
  EXPECT_EQ(Refusal(db_), "--json " + db_ + " is the database of source population (" + db_ +
                              "); refusing to overwrite an input");
}

TEST_F(InputFilesTest, RefusesAnotherSpellingAHardLinkAndASymbolicLink) {
  const std::string spelled = (dir_ / "data" / ".." / "data" / "population.db").string();
  EXPECT_NE(Refusal(spelled), "");
  fs::create_hard_link(db_, dir_ / "hard.db");
  EXPECT_NE(Refusal((dir_ / "hard.db").string()).find("is the database of source population"),
            std::string::npos);
  fs::create_symlink(db_, dir_ / "link.db");
  EXPECT_NE(Refusal((dir_ / "link.db").string()).find("is the database of source population"),
            std::string::npos);
}

TEST_F(InputFilesTest, RefusesTheInputsCompanionFilesWhetherOrNotTheyExist) {
  std::ofstream(db_ + "-wal") << "";
  InputFiles inputs;
  inputs.Add(db_, "the database of source population");
  EXPECT_EQ(inputs.CheckOutput("--json", db_ + "-wal").message(),
            "--json " + db_ + "-wal is the -wal file of the database of source population (" + db_ +
                "-wal); refusing to overwrite an input");
  // -journal does not exist: recognised by its path.
  EXPECT_NE(inputs.CheckOutput("--json", db_ + "-journal").message().find("the -journal file of"),
            std::string::npos);
}

TEST_F(InputFilesTest, RefusesAnInputThatDoesNotExistYetByItsPath) {
  InputFiles inputs;
  const std::string store = (dir_ / "audit.db").string();
  inputs.Add(store, "the history store");
  EXPECT_EQ(inputs.CheckOutput("--json", (dir_ / "." / "audit.db").string()).code(),
            StatusCode::kInvalidArgument);
  EXPECT_FALSE(fs::exists(store));
}

TEST_F(InputFilesTest, RefusesANewFileWhoseCompanionIsAnInputFile) {
  // out.db does not exist, but out.db-wal is a hard link of the source's -wal file: a database
  // written at out.db would take it as its own.
  std::ofstream(db_ + "-wal") << "";
  InputFiles inputs;
  inputs.Add(db_, "the database of source population");
  fs::create_hard_link(db_ + "-wal", dir_ / "out.db-wal");
  const std::string out = (dir_ / "out.db").string();
  EXPECT_EQ(inputs.CheckOutput("--history", out).message(),
            "--history " + out + ": its -wal file " + out +
                "-wal is the -wal file of the "
                "database of source population (" +
                db_ + "-wal); refusing to overwrite an input");
}

TEST_F(InputFilesTest, AcceptsOtherFiles) {
  std::ofstream(dir_ / "other.json") << "{}";
  EXPECT_TRUE(inputs_.CheckOutput("--json", (dir_ / "other.json").string()).ok());
  EXPECT_TRUE(inputs_.CheckOutput("--json", (dir_ / "new.json").string()).ok());
  EXPECT_TRUE(inputs_.CheckOutput("--json", (dir_ / "data" / "population.json").string()).ok());
}

TEST(DisplayPathTest, RelativeBelowTheWorkingDirectoryElseAsGiven) {
  const fs::path cwd = fs::current_path();
  EXPECT_EQ(DisplayPath((cwd / "data" / "x.db").string()), "data/x.db");
  EXPECT_EQ(DisplayPath("/elsewhere/x.db"), "/elsewhere/x.db");
  EXPECT_EQ(DisplayPath("data/x.db"), "data/x.db");
}

}  // namespace
}  // namespace dqa
