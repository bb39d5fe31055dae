// The SDK's SQL quoting (dqaudit/sql.h), used by the sector plugins and by the core's SqliteDb.
#include "dqaudit/sql.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>

namespace dqa::sdk {
namespace {

TEST(SdkSqlTest, QuoteIdentifierWrapsAndDoublesQuotes) {
  EXPECT_EQ(QuoteIdentifier("ho_ten"), "\"ho_ten\"");
  EXPECT_EQ(QuoteIdentifier(""), "\"\"");
  EXPECT_EQ(QuoteIdentifier("a\"b"), "\"a\"\"b\"");
  EXPECT_EQ(QuoteIdentifier("\""), "\"\"\"\"");
  EXPECT_EQ(QuoteIdentifier("it's"), "\"it's\"");  // single quotes are not special
  EXPECT_EQ(QuoteIdentifier("a.b"), "\"a.b\"");    // a dot belongs to the name
  EXPECT_EQ(QuoteIdentifier("h\xE1\xBB\x8D t\xC3\xAAn"), "\"h\xE1\xBB\x8D t\xC3\xAAn\"");
}

TEST(SdkSqlTest, QuoteQualifiedNameQuotesEachPart) {
  EXPECT_EQ(QuoteQualifiedName("khai_tu"), "\"khai_tu\"");
  EXPECT_EQ(QuoteQualifiedName("civil.khai_tu"), "\"civil\".\"khai_tu\"");
  EXPECT_EQ(QuoteQualifiedName("a.b.c"), "\"a\".\"b\".\"c\"");
  EXPECT_EQ(QuoteQualifiedName("x\"y.z"), "\"x\"\"y\".\"z\"");
  EXPECT_EQ(QuoteQualifiedName(""), "\"\"");
  EXPECT_EQ(QuoteQualifiedName("."), "\"\".\"\"");
}

TEST(SdkSqlTest, QuoteSqlLiteralWrapsAndDoublesSingleQuotes) {
  EXPECT_EQ(QuoteSqlLiteral("song"), "'song'");
  EXPECT_EQ(QuoteSqlLiteral(""), "''");
  EXPECT_EQ(QuoteSqlLiteral("it's"), "'it''s'");
  EXPECT_EQ(QuoteSqlLiteral("''"), "''''''");
  EXPECT_EQ(QuoteSqlLiteral("a\"b"), "'a\"b'");
}

// SQLite itself reads the quoted forms back as the original names and text.
TEST(SdkSqlTest, SqliteReadsTheQuotedFormsBack) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(":memory:", &db), SQLITE_OK);
  const std::string dotted = "t\"1.x";  // a dot inside the table's own name
  const std::string column = "c\"\"d";
  const std::string sql = "CREATE TABLE " + QuoteIdentifier(dotted) + " (" +
                          QuoteIdentifier(column) + "); INSERT INTO " + QuoteIdentifier(dotted) +
                          " VALUES (" + QuoteSqlLiteral("it's \"x\"") + ");" +
                          "CREATE TABLE plain (v); INSERT INTO plain VALUES ('p');";
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
      << sqlite3_errmsg(db);
  const std::string select = "SELECT " + QuoteIdentifier(column) + ", (SELECT v FROM " +
                             QuoteQualifiedName("main.plain") + ") FROM main." +
                             QuoteIdentifier(dotted);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, select.c_str(), -1, &stmt, nullptr), SQLITE_OK)
      << sqlite3_errmsg(db);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0))),
            "it's \"x\"");
  EXPECT_EQ(std::string(sqlite3_column_name(stmt, 0)), column);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 1))), "p");
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

}  // namespace
}  // namespace dqa::sdk
