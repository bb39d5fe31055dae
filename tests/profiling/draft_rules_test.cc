#include "core/profiling/draft_rules.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "tests/unit_support.h"

namespace dqa::profiling {
namespace {

namespace fs = std::filesystem;

TEST(DraftOptionsTest, SourceIdAndDatabaseRelativeToTheRuleFile) {
  const fs::path dir = FreshTempDir("dqa_draft_options_");
  fs::create_directories(dir / "data");
  fs::create_directories(dir / "rules");
  const DraftOptions options = DraftOptionsFor((dir / "data" / "hộ tịch.v2.db").string(),
                                               (dir / "rules" / "civil.yaml").string());
  // "hộ tịch.v2": the stem; every byte that is not an ASCII letter, digit or '-' becomes '_'.
  EXPECT_EQ(options.source_id, "h____t___ch_v2");
  EXPECT_EQ(options.database_ref, "../data/hộ tịch.v2.db");

  const DraftOptions beside =
      DraftOptionsFor((dir / "rules" / "x.db").string(), (dir / "rules" / "x.yaml").string());
  EXPECT_EQ(beside.source_id, "x");
  EXPECT_EQ(beside.database_ref, "x.db");
  // A dot file's stem is its whole name.
  EXPECT_EQ(DraftOptionsFor((dir / ".db").string(), (dir / "r.yaml").string()).source_id, "_db");
  // `sqlite:` in front of the path, as a rule file writes it.
  EXPECT_EQ(DraftOptionsFor("sqlite:" + (dir / "data" / "x.db").string(),
                            (dir / "rules" / "x.yaml").string())
                .database_ref,
            "../data/x.db");
  fs::remove_all(dir);
}

// A PostgreSQL URI is kept as given, never with its password; the source id is its schema.
TEST(DraftOptionsTest, PostgresUriKeepsItsFormWithoutThePassword) {
  const DraftOptions options =
      DraftOptionsFor("postgresql://auditor:s3cret@db.tinh/pop?schema=ho-tich.v2&sslmode=require",
                      "rules/x.yaml");
  EXPECT_EQ(options.connection, "postgresql://auditor@db.tinh/pop?schema=ho-tich.v2&sslmode=require");
  EXPECT_TRUE(options.password_left_out);
  EXPECT_EQ(options.source_id, "ho-tich_v2");
  EXPECT_TRUE(options.database_ref.empty());

  const DraftOptions plain = DraftOptionsFor("postgres://auditor@db.tinh/pop", "x.yaml");
  EXPECT_EQ(plain.connection, "postgres://auditor@db.tinh/pop");
  EXPECT_FALSE(plain.password_left_out);
  EXPECT_EQ(plain.source_id, "public");
}

TEST(DraftRulesTest, PostgresDraftNamesTheUriAndWhereThePasswordGoes) {
  DatabaseProfile profile;
  profile.database = "postgresql://auditor:***@db.tinh/pop?schema=census";
  profile.today = "2026-11-01";
  const std::string draft = DraftRules(
      profile, DraftOptionsFor("postgresql://auditor:s3cret@db.tinh/pop?schema=census", "x.yaml"));
  EXPECT_NE(draft.find("\nsource: census   # TODO"), std::string::npos) << draft;
  EXPECT_NE(draft.find("\ndatabase: \"postgresql://auditor@db.tinh/pop?schema=census\"\n"),
            std::string::npos)
      << draft;
  EXPECT_NE(draft.find("# give it with PGPASSWORD, ~/.pgpass or a service file"), std::string::npos)
      << draft;
  EXPECT_EQ(draft.find("s3cret"), std::string::npos) << draft;
  EXPECT_EQ(draft.find("relative to this file"), std::string::npos) << draft;
}

}  // namespace
}  // namespace dqa::profiling
