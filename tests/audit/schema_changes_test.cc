// The schema_change finding (core/audit/schema_changes.h): the baseline, an unchanged schema, and
// a change reported with the run that first saw it, at the source's severity.
#include "core/audit/schema_changes.h"

#include <gtest/gtest.h>

namespace dqa {
namespace {

const SourceSchema kBefore = {{{"cong_dan", {{"id", "INTEGER"}, {"ho_ten", "TEXT"}}}}};
const SourceSchema kAfter = {
    {{"cong_dan", {{"id", "INTEGER"}, {"ho_va_ten", "TEXT"}, {"so_cccd", "TEXT"}}}}};

TEST(SchemaChangeResultTest, FirstRunRecordsTheBaselineAndPasses) {
  const CheckResult r = SchemaChangeResult("population", 1, std::nullopt, kBefore, Severity::kWarn);
  EXPECT_EQ(r.id, "schema_change:population");
  EXPECT_EQ(r.type, "schema_change");
  EXPECT_EQ(r.source, "population");
  EXPECT_EQ(r.dimension, Dimension::kValidity);
  EXPECT_EQ(r.outcome, Outcome::kPass);
  EXPECT_EQ(r.violations, 0);
  EXPECT_EQ(r.message, "Schema baseline recorded in run 1: 1 table; later runs are compared with it");
  EXPECT_EQ(SchemaSinceRun(1, std::nullopt, kBefore), 1);
}

TEST(SchemaChangeResultTest, AChangeWarnsOrFailsNamingEachChangeAndItsRun) {
  const RecordedSchema earlier{4, 2, kBefore};
  for (Severity severity : {Severity::kWarn, Severity::kFail}) {
    const CheckResult r = SchemaChangeResult("population", 5, earlier, kAfter, severity);
    EXPECT_EQ(r.outcome, severity == Severity::kWarn ? Outcome::kWarn : Outcome::kFail);
    EXPECT_EQ(r.violations, 2);
    EXPECT_EQ(r.samples, (std::vector<std::vector<std::string>>{
                             {"column cong_dan.ho_ten renamed to ho_va_ten in run 5"},
                             {"column cong_dan.so_cccd added in run 5"}}));
    EXPECT_EQ(r.key_columns, (std::vector<std::string>{"change"}));
    EXPECT_EQ(r.message,
              "Schema changed in run 5 since run 4: column cong_dan.ho_ten renamed to ho_va_ten; "
              "column cong_dan.so_cccd added");
  }
  EXPECT_EQ(SchemaSinceRun(5, earlier, kAfter), 5);
}

TEST(SchemaChangeResultTest, AnUnchangedSchemaPassesNamingTheRunThatFirstSawIt) {
  const RecordedSchema earlier{7, 5, kAfter};
  const CheckResult r = SchemaChangeResult("population", 8, earlier, kAfter, Severity::kFail);
  EXPECT_EQ(r.outcome, Outcome::kPass);
  EXPECT_EQ(r.violations, 0);
  EXPECT_TRUE(r.samples.empty());
  EXPECT_EQ(r.message, "Schema unchanged since run 5");
  EXPECT_EQ(SchemaSinceRun(8, earlier, kAfter), 5);
}

}  // namespace
}  // namespace dqa
