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
  fs::remove_all(dir);
}

}  // namespace
}  // namespace dqa::profiling
