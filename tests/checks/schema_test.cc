// The schema check (core/checks/schema.cc) and the contract types (core/checks/schema_contract.h):
// which declared types each contract type accepts, and the breaches of a table's contract.
#include "core/checks/schema_contract.h"

#include <gtest/gtest.h>

#include "tests/checks/shared_cases.h"

namespace dqa {
namespace {

using testing::ExecSql;
using testing::MakeCheck;
using testing::MakePlan;
using testing::MakeTable;
using testing::Scan;
using testing::TempDir;

std::vector<ColumnInfo> Columns(std::vector<std::pair<std::string, std::string>> columns) {
  std::vector<ColumnInfo> out;
  for (auto& [name, type] : columns) out.push_back({name, type, false});
  return out;
}

TEST(SchemaContractTest, AffinityFollowsSqliteRules) {
  EXPECT_EQ(SqliteAffinity("INTEGER"), "INTEGER");
  EXPECT_EQ(SqliteAffinity("bigint"), "INTEGER");
  EXPECT_EQ(SqliteAffinity("VARCHAR(20)"), "TEXT");
  EXPECT_EQ(SqliteAffinity("CLOB"), "TEXT");
  EXPECT_EQ(SqliteAffinity(""), "BLOB");
  EXPECT_EQ(SqliteAffinity("BLOB"), "BLOB");
  EXPECT_EQ(SqliteAffinity("DOUBLE PRECISION"), "REAL");
  EXPECT_EQ(SqliteAffinity("DECIMAL(10,2)"), "NUMERIC");
  EXPECT_EQ(SqliteAffinity("DATETIME"), "NUMERIC");
  EXPECT_EQ(SqliteAffinity("POINT"), "INTEGER");  // the "INT" of "POINT": SQLite's rule 1 first
}

TEST(SchemaContractTest, WhatEachContractTypeAccepts) {
  struct Case {
    std::string contract, declared;
    bool accepted;
  };
  const Case cases[] = {
      {"text", "TEXT", true},         {"text", "VARCHAR(12)", true},  {"text", "INTEGER", false},
      {"text", "", false},            {"integer", "INTEGER", true},   {"integer", "BIGINT", true},
      {"integer", "REAL", false},     {"integer", "TEXT", false},     {"real", "REAL", true},
      {"real", "DOUBLE", true},       {"real", "NUMERIC", true},      {"real", "INTEGER", true},
      {"real", "DATE", false},        {"real", "TEXT", false},        {"number", "DECIMAL", true},
      {"number", "BOOLEAN", false},   {"date", "TEXT", true},         {"date", "DATE", true},
      {"date", "DATETIME", true},     {"date", "TIMESTAMP", true},    {"date", "INTEGER", false},
      {"date", "REAL", false},        {"boolean", "BOOLEAN", true},   {"boolean", "INTEGER", true},
      {"boolean", "TEXT", false},     {"any", "", true},              {"any", "BLOB", true},
      {"texts", "TEXT", false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(ContractAccepts(c.contract, c.declared), c.accepted)
        << c.contract << " / " << c.declared;
  }
}

TEST(SchemaContractTest, ContractTypeForIsTheNarrowestThatAccepts) {
  for (const char* declared : {"INTEGER", "TEXT", "REAL", "NUMERIC", "DATE", "BOOLEAN", ""}) {
    EXPECT_TRUE(ContractAccepts(ContractTypeFor(declared), declared)) << declared;
  }
  EXPECT_EQ(ContractTypeFor("INTEGER"), "integer");
  EXPECT_EQ(ContractTypeFor("TEXT"), "text");
  EXPECT_EQ(ContractTypeFor("DATETIME"), "date");
  EXPECT_EQ(ContractTypeFor("BOOLEAN"), "boolean");
  EXPECT_EQ(ContractTypeFor("DECIMAL(5,2)"), "number");
  EXPECT_EQ(ContractTypeFor(""), "any");
}

TEST(SchemaContractTest, BreachesNameEachMissingRetypedAndExtraColumn) {
  const auto actual = Columns({{"id", "INTEGER"}, {"so_cccd", "INTEGER"}, {"ghi_chu", "TEXT"}});
  const nlohmann::json contract = {{"id", "integer"}, {"so_cccd", "text"}, {"ngay_sinh", "date"}};
  EXPECT_EQ(ContractBreaches(contract, /*allow_extra=*/true, actual),
            (std::vector<std::string>{"so_cccd: declared INTEGER, contract text",
                                      "missing column ngay_sinh"}));
  EXPECT_EQ(ContractBreaches(contract, /*allow_extra=*/false, actual),
            (std::vector<std::string>{"so_cccd: declared INTEGER, contract text",
                                      "extra column ghi_chu", "missing column ngay_sinh"}));
  // Names compare without case, as SQLite's own do.
  EXPECT_TRUE(ContractBreaches({{"ID", "integer"}}, true, Columns({{"id", "int"}})).empty());
  EXPECT_EQ(ContractBreaches({{"x", "text"}}, true, Columns({{"x", ""}})),
            (std::vector<std::string>{"x: declared without a type, contract text"}));
}

TEST(SchemaCheckTest, ScansTheTablesDeclaredColumns) {
  TempDir dir;
  const std::string db = dir.File("s.db");
  ExecSql(db,
          "CREATE TABLE cong_dan (id INTEGER PRIMARY KEY, so_cccd INTEGER, ho_ten TEXT, "
          "ghi_chu TEXT); INSERT INTO cong_dan VALUES (1, 1, 'An', NULL);");
  const nlohmann::json columns = {
      {"id", "integer"}, {"so_cccd", "text"}, {"ho_ten", "text"}, {"ngay_sinh", "date"}};
  struct Case {
    bool allow_extra;
    Outcome outcome;
    std::vector<std::vector<std::string>> samples;
  };
  const Case cases[] = {
      {true, Outcome::kFail, {{"so_cccd: declared INTEGER, contract text"},
                              {"missing column ngay_sinh"}}},
      {false, Outcome::kFail, {{"so_cccd: declared INTEGER, contract text"},
                               {"extra column ghi_chu"},
                               {"missing column ngay_sinh"}}},
  };
  for (const Case& c : cases) {
    CheckSpec spec =
        MakeCheck("schema", {{"columns", columns}, {"allow_extra", c.allow_extra}}, {}, "cong_dan");
    spec.id = "schema:cong_dan";
    const SourceResult s = Scan(MakePlan(db, {MakeTable("cong_dan", {spec})}));
    ASSERT_EQ(s.results.size(), 1u);
    const CheckResult& r = s.results[0];
    EXPECT_EQ(r.outcome, c.outcome);
    EXPECT_EQ(r.violations, static_cast<int64_t>(c.samples.size()));
    EXPECT_EQ(r.rows_checked, 5);  // id, so_cccd, ho_ten, ghi_chu, ngay_sinh
    EXPECT_EQ(r.samples, c.samples);
    EXPECT_EQ(r.key_columns, (std::vector<std::string>{"breach"}));
    EXPECT_EQ(r.dimension, Dimension::kValidity);
    EXPECT_NE(r.message.find("Table cong_dan breaks its schema contract"), std::string::npos)
        << r.message;
  }
  CheckSpec kept = MakeCheck(
      "schema", {{"columns", {{"id", "integer"}, {"ho_ten", "text"}, {"so_cccd", "number"}}}}, {},
      "cong_dan");
  const SourceResult s = Scan(MakePlan(db, {MakeTable("cong_dan", {kept})}));
  ASSERT_EQ(s.results.size(), 1u);
  EXPECT_EQ(s.results[0].outcome, Outcome::kPass);
  EXPECT_EQ(s.results[0].violations, 0);
  EXPECT_EQ(s.results[0].message, "Table cong_dan keeps its schema contract (3 columns)");
}

}  // namespace
}  // namespace dqa
