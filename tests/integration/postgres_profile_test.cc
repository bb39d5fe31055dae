// `dqaudit profile` on a PostgreSQL source, with the real binaries and the throwaway server of the
// tests (tests/pg_test_support.h): a SQLite file copied into PostgreSQL with dqa_pgload profiles to
// the same figures as the file itself; the draft names the URI without its password and passes
// `rules check`; a server that cannot be reached, an unknown schema, database or table are errors
// with their exit codes, and no password is ever shown.
#include <filesystem>
#include <fstream>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/integration/support.h"
#include "tests/pg_test_support.h"

namespace postgres_profile_test {
namespace {

namespace fs = std::filesystem;
using dqa::test_support::FreshTestDir;
using dqa::test_support::Quote;
using dqa::test_support::ReadFile;
using dqa::test_support::RunDqaudit;
using dqa::test_support::RunShell;
using dqa::test_support::Sha256;
using dqa::testing::PgTestDatabase;
using dqa::testing::TestPg;
using nlohmann::json;

constexpr const char* kToday = "2026-11-01";

json ReadJson(const fs::path& file) {
  std::ifstream in(file);
  return json::parse(in, nullptr, /*allow_exceptions=*/false);
}

// A profile without what names the engine: the database and each column's declared type.
json EngineNeutral(json profile) {
  profile.erase("database");
  for (json& t : profile["tables"]) {
    for (json& c : t["columns"]) c.erase("declared_type");
  }
  return profile;
}

// A small department database with every kind of value the profile tells apart: keys, NULLs and
// blanks, Vietnamese text in two normal forms, ISO and DD/MM/YYYY dates, timestamps, integers,
// reals, a boolean-like flag, a blob, and a table without a primary key.
constexpr const char* kSqliteSetup = R"sql(
CREATE TABLE cong_dan (id INTEGER PRIMARY KEY, so_cccd TEXT, ho_ten TEXT, gioi_tinh TEXT,
  ngay_sinh TEXT, ngay_dk TEXT, cap_nhat TEXT, so_con INTEGER, thu_nhap REAL, da_mat INTEGER,
  anh BLOB);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60)
INSERT INTO cong_dan
SELECT i,
  CASE WHEN i = 7 THEN NULL WHEN i = 8 THEN '' WHEN i = 9 THEN '12345' ELSE printf('0%011d', 79000000000 + i * 37) END,
  CASE WHEN i % 11 = 0 THEN NULL WHEN i % 13 = 0 THEN '   ' WHEN i % 2 = 0 THEN 'Nguyễn Văn ' || i
       ELSE 'Trần Thị Ánh ' || i END,
  CASE WHEN i = 5 THEN 'NỮ' WHEN i % 3 = 0 THEN 'Nư' || char(771) WHEN i % 2 = 0 THEN 'Nam' ELSE 'Nữ' END,
  date('1950-01-01', '+' || (i * 397) || ' days'),
  CASE WHEN i = 10 THEN '31/02/2020' ELSE strftime('%d/%m/%Y', date('2020-01-01', '+' || (i * 5) || ' days')) END,
  datetime('2026-10-01 08:00:00', '+' || (i * 7) || ' hours'),
  CASE WHEN i % 17 = 0 THEN NULL ELSE i % 4 END,
  CASE WHEN i % 19 = 0 THEN NULL ELSE i * 1234.5 END,
  i % 2,
  CASE WHEN i % 10 = 0 THEN x'00ff10' ELSE NULL END
FROM n;
CREATE TABLE ho (ma_ho TEXT, dia_chi TEXT, so_nguoi INTEGER);
INSERT INTO ho VALUES ('H001', 'Thôn 1', 4), ('H002', 'Thôn 2', NULL), ('H003', '', 2),
  ('H004', 'Thôn 1', 7);
)sql";

// The SQLite file `dir`/dan.db, copied with dqa_pgload into schema `dan` of `pg`.
void MakeSourceInBothEngines(const fs::path& dir, const PgTestDatabase& pg) {
  const fs::path db = dir / "dan.db";
  {
    std::ofstream(dir / "setup.sql") << kSqliteSetup;
  }
  ASSERT_EQ(RunShell("sqlite3 " + Quote(db.string()) + " < " + Quote((dir / "setup.sql").string())),
            0);
  const fs::path log = dir / "pgload.txt";
  ASSERT_EQ(RunShell(std::string(DQA_PGLOAD) + " --typed-times --dsn " + Quote(pg.conninfo()) +
                     " " + Quote(db.string()) + " > " + Quote(log.string()) + " 2>&1"),
            0)
      << ReadFile(log);
}

TEST(PostgresProfileTest, SameFiguresAsTheSqliteFileAndTheDraftPassesRulesCheck) {
  const fs::path dir = FreshTestDir("PostgresProfileTest");
  PgTestDatabase pg;
  ASSERT_FALSE(pg.conninfo().empty());
  MakeSourceInBothEngines(dir, pg);
  // Typed columns on the server, so that the figures come through PostgreSQL's own types.
  EXPECT_EQ(dqa::testing::PgAdminExec(
                pg.conninfo(),
                "DO $$ BEGIN IF (SELECT string_agg(column_name || ' ' || data_type, ', ' ORDER BY "
                "column_name) FROM information_schema.columns WHERE table_schema = 'dan' AND "
                "table_name = 'cong_dan' AND column_name IN ('ngay_sinh', 'cap_nhat', 'thu_nhap', "
                "'anh')) <> 'anh bytea, cap_nhat timestamp without time zone, ngay_sinh date, "
                "thu_nhap double precision' THEN RAISE 'untyped'; END IF; END $$"),
            "");
  const std::string before = Sha256(dir / "dan.db");

  const std::string uri = pg.Uri() + "&schema=dan";
  const auto sqlite = RunDqaudit(dir, "profile dan.db --json sqlite.json --today " +
                                          std::string(kToday));
  ASSERT_EQ(sqlite.code, 0) << sqlite.err;
  const auto sqlite_uri = RunDqaudit(dir, "profile sqlite:dan.db --json sqlite2.json --today " +
                                              std::string(kToday));
  ASSERT_EQ(sqlite_uri.code, 0) << sqlite_uri.err;
  fs::create_directories(dir / "rules");
  const auto postgres = RunDqaudit(dir, "profile " + Quote(uri) +
                                            " --json pg.json --out rules/pg.yaml --today " +
                                            std::string(kToday));
  ASSERT_EQ(postgres.code, 0) << postgres.err;
  EXPECT_EQ(Sha256(dir / "dan.db"), before);

  const json a = ReadJson(dir / "sqlite.json");
  const json b = ReadJson(dir / "pg.json");
  ASSERT_FALSE(a.is_discarded());
  ASSERT_FALSE(b.is_discarded());
  EXPECT_EQ(a["database"], "dan.db");
  EXPECT_EQ(b["database"], uri);
  EXPECT_EQ(EngineNeutral(ReadJson(dir / "sqlite2.json")), EngineNeutral(a));
  ASSERT_EQ(b["tables"].size(), 2u);
  EXPECT_EQ(b["tables"][0]["name"], "cong_dan");
  EXPECT_EQ(b["tables"][0]["rows"], 60);
  EXPECT_EQ(b["tables"][1]["name"], "ho");
  // Every figure of every column, exactly: types, NULL and blank, distinct, min/max, lengths,
  // top values, patterns, dates.
  for (size_t t = 0; t < a["tables"].size(); ++t) {
    for (size_t c = 0; c < a["tables"][t]["columns"].size(); ++c) {
      const json& x = a["tables"][t]["columns"][c];
      const json& y = b["tables"][t]["columns"][c];
      SCOPED_TRACE(x.value("name", "?"));
      EXPECT_EQ(EngineNeutral(json{{"tables", {{{"columns", {x}}}}}}),
                EngineNeutral(json{{"tables", {{{"columns", {y}}}}}}));
    }
  }
  EXPECT_EQ(EngineNeutral(a), EngineNeutral(b));
  // Spot checks that the comparison compares something.
  const json& ngay_sinh = b["tables"][0]["columns"][4];
  EXPECT_EQ(ngay_sinh["declared_type"], "date");
  EXPECT_EQ(ngay_sinh["dates"]["iso"], 60);
  const json& gioi_tinh = b["tables"][0]["columns"][3];
  EXPECT_EQ(gioi_tinh["top_values"]["values"][0]["value"], "Nữ");
  EXPECT_EQ(gioi_tinh["top_values"]["values"][0]["count"], 39);  // NFC: "Nư" + U+0303 is "Nữ"
  EXPECT_EQ(b["tables"][0]["columns"][10]["types"]["blob"], 6);

  // The text profile is the same too, but for the database's name and the declared types.
  EXPECT_NE(postgres.out.find("Profile of " + uri + " (today 2026-11-01)"), std::string::npos)
      << postgres.out;

  // The draft names the source by its URI, as given; it is a valid rule file for the server.
  const std::string draft = ReadFile(dir / "rules" / "pg.yaml");
  EXPECT_NE(draft.find("\nsource: dan   # TODO"), std::string::npos) << draft;
  EXPECT_NE(draft.find("\ndatabase: \"" + uri + "\"\n"), std::string::npos) << draft;
  const auto check = RunDqaudit(dir, "rules check rules/pg.yaml");
  EXPECT_EQ(check.code, 0) << check.out << check.err;
  EXPECT_NE(check.out.find("OK: 1 source"), std::string::npos) << check.out;
  // ... and scans the data it was drafted from: the schema contracts hold.
  const auto scan = RunDqaudit(dir, "scan rules/pg.yaml --no-history --today " +
                                        std::string(kToday) + " --json scan.json");
  EXPECT_TRUE(scan.code == 0 || scan.code == 1) << scan.err;
  const json scanned = ReadJson(dir / "scan.json");
  int contracts = 0;
  for (const json& r : scanned["results"]) {
    EXPECT_NE(r.value("outcome", ""), "error") << r.dump();
    if (r.value("type", "") != "schema") continue;
    ++contracts;
    EXPECT_EQ(r.value("outcome", ""), "pass") << r.dump();
  }
  EXPECT_EQ(contracts, 2);
}

// A password in the URI is never printed nor written: the draft leaves it out and says where
// libpq takes it from, and with PGPASSWORD the draft checks against the server.
TEST(PostgresProfileTest, PasswordOfTheUriIsNeverShownNorWritten) {
  const fs::path dir = FreshTestDir("PostgresProfileTest");
  PgTestDatabase pg;
  ASSERT_FALSE(pg.conninfo().empty());
  MakeSourceInBothEngines(dir, pg);
  const auto& server = TestPg();
  pg.Exec(fmt::format("GRANT USAGE ON SCHEMA dan TO {0}; GRANT SELECT ON ALL TABLES IN SCHEMA "
                      "dan TO {0}",
                      server.password_role));
  const std::string uri =
      fmt::format("postgresql://{}:{}@/{}?host={}&port={}&schema=dan", server.password_role,
                  server.password, pg.name(), server.socket_dir, server.port);
  const std::string without = fmt::format("postgresql://{}@/{}?host={}&port={}&schema=dan",
                                          server.password_role, pg.name(), server.socket_dir,
                                          server.port);
  const auto r = RunDqaudit(dir, "profile " + Quote(uri) +
                                     " --table ho --json pg.json --out pg.yaml --today " + kToday);
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string draft = ReadFile(dir / "pg.yaml");
  const std::string all = r.out + r.err + ReadFile(dir / "pg.json") + draft;
  EXPECT_EQ(all.find(server.password), std::string::npos) << all;
  EXPECT_NE(r.out.find(fmt::format("Profile of postgresql://{}:***@/", server.password_role)),
            std::string::npos)
      << r.out;
  EXPECT_NE(draft.find("\ndatabase: \"" + without + "\"\n"), std::string::npos) << draft;
  EXPECT_NE(draft.find("# give it with PGPASSWORD, ~/.pgpass or a service file"), std::string::npos);

  // Without the password the server cannot be asked (rules check only warns); with it, it can.
  const std::string cannot_open = "source dan: its database cannot be opened";
  const auto no_password = RunDqaudit(dir, "rules check pg.yaml", "PGPASSFILE=/nonexistent");
  EXPECT_EQ(no_password.code, 0) << no_password.out << no_password.err;
  EXPECT_NE(no_password.err.find(cannot_open), std::string::npos) << no_password.err;
  const auto with_password = RunDqaudit(dir, "rules check pg.yaml",
                                        "PGPASSFILE=/nonexistent PGPASSWORD=" + server.password);
  EXPECT_EQ(with_password.code, 0) << with_password.out << with_password.err;
  EXPECT_EQ(with_password.err.find(cannot_open), std::string::npos) << with_password.err;
  EXPECT_NE(with_password.out.find("OK: 1 source"), std::string::npos) << with_password.out;
}

// Each way the source can be wrong is one line on stderr that says what, with its exit code:
// 3 when the server cannot be reached, 2 for a database, schema or table that does not exist.
TEST(PostgresProfileTest, UnreachableServerAndMissingSchemaAreClearErrors) {
  const fs::path dir = FreshTestDir("PostgresProfileTest");
  PgTestDatabase pg("CREATE TABLE t (id int PRIMARY KEY, v text); CREATE SCHEMA khac");
  ASSERT_FALSE(pg.conninfo().empty());

  const std::string unreachable = "postgresql://dqa:hunter2secret@/nodb?host=/nonexistent-dir&port=1";
  auto r = RunDqaudit(dir, "profile " + Quote(unreachable) + " --out x.yaml");
  EXPECT_EQ(r.code, 3) << r.err;
  EXPECT_TRUE(r.err.starts_with(
      "dqaudit: cannot connect to postgresql://dqa:***@/nodb?host=/nonexistent-dir&port=1: "
      "connection refused"))
      << r.err;
  EXPECT_EQ((r.out + r.err).find("hunter2secret"), std::string::npos);
  EXPECT_EQ(r.out, "");
  EXPECT_FALSE(fs::exists(dir / "x.yaml"));

  r = RunDqaudit(dir, "profile " + Quote(pg.Uri() + "&schema=nope") + " --out x.yaml");
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_EQ(r.err, "dqaudit: no such schema: nope in " + pg.Uri() +
                       "&schema=nope (schemas: khac, public)\n");
  EXPECT_FALSE(fs::exists(dir / "x.yaml"));

  r = RunDqaudit(dir, "profile " + Quote(pg.Uri() + "&schema=public") + " --table gone");
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_EQ(r.err, "dqaudit: table 'gone' not found in " + pg.Uri() +
                       "&schema=public (tables: t)\n");

  const std::string no_db = fmt::format("postgresql://postgres@/no_such_db?host={}&port={}",
                                        TestPg().socket_dir, TestPg().port);
  r = RunDqaudit(dir, "profile " + Quote(no_db));
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("database \"no_such_db\" does not exist"), std::string::npos) << r.err;

  // An empty schema is not an error: a profile without tables.
  r = RunDqaudit(dir, "profile " + Quote(pg.Uri() + "&schema=khac") + " --json k.json");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(ReadJson(dir / "k.json")["tables"], json::array());
}

}  // namespace
}  // namespace postgres_profile_test
