// PostgreSQL sources end to end, with the real binaries and the throwaway server of the tests
// (tests/pg_test_support.h): the demo province copied into PostgreSQL gives the same counts as its
// SQLite files with the same rules; a source that cannot be reached is an error of that source
// alone, with its password never shown.
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <chrono>
#include <ctime>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/sources/sqlite_db.h"
#include "tests/integration/support.h"
#include "tests/pg_test_support.h"

namespace postgres_test {
namespace {

namespace fs = std::filesystem;
using dqa::test_support::FreshTestDir;
using dqa::test_support::MakeDemoProvince;
using dqa::test_support::Quote;
using dqa::test_support::ReadFile;
using dqa::test_support::RunDqaudit;
using dqa::test_support::RunShell;
using dqa::test_support::WriteFile;
using dqa::testing::PgTestDatabase;
using nlohmann::json;

constexpr const char* kToday = "2026-11-01";

json ReadJson(const fs::path& file) {
  std::ifstream in(file);
  return json::parse(in, nullptr, /*allow_exceptions=*/false);
}

// The scan's results JSON in `dir`/out.json by `field` ("id" or "source"); empty (and the test
// failing) when it is not valid JSON.
std::map<std::string, json> ResultsBy(const fs::path& dir, const std::string& field) {
  const json out = ReadJson(dir / "out.json");
  EXPECT_FALSE(out.is_discarded());
  std::map<std::string, json> results;
  if (out.is_discarded()) return results;
  for (const json& x : out["results"]) results[x[field]] = x;
  return results;
}

// The server counts a write once the writing session has ended: waits (at most 10 s) until it
// has counted `rows` inserted rows into table t.
void WaitUntilInsertsCounted(const PgTestDatabase& pg, int rows) {
  EXPECT_EQ(dqa::testing::PgAdminExec(
                pg.conninfo(),
                fmt::format("DO $$ BEGIN FOR i IN 1..100 LOOP PERFORM pg_stat_clear_snapshot(); "
                            "IF (SELECT n_tup_ins FROM pg_stat_all_tables WHERE relname = 't') >= "
                            "{} THEN RETURN; END IF; PERFORM pg_sleep(0.1); END LOOP; "
                            "RAISE 'write not counted'; END $$",
                            rows)),
            "");
}

// Copies the rule files of `from` to `to` with every `database: sqlite:.../<name>.db` replaced by
// the PostgreSQL database `uri`, schema <name> (where dqa_pgload put that file).
void RewriteRulesForPostgres(const fs::path& from, const fs::path& to, const std::string& uri) {
  fs::create_directories(to);
  const std::regex sqlite(R"(database:\s*sqlite:\S*/([A-Za-z_]+)\.db)");
  for (const auto& entry : fs::directory_iterator(from)) {
    if (entry.path().extension() != ".yaml") continue;
    const std::string text = ReadFile(entry.path());
    WriteFile(to / entry.path().filename(),
              std::regex_replace(text, sqlite, "database: \"" + uri + "&schema=$1\""));
  }
}

TEST(PostgresParityTest, DemoProvinceGivesTheSameCountsOnPostgresAndSqlite) {
  const fs::path dir = FreshTestDir("PostgresParityTest");
  ASSERT_TRUE(MakeDemoProvince(dir, kToday));
  PgTestDatabase pg;
  ASSERT_FALSE(pg.conninfo().empty());

  // Dates and times that are all valid become date/timestamp columns (a department's PostgreSQL
  // schema would type them), the rest stay text: both kinds are read.
  const fs::path data = dir / "data" / "demo";
  std::string files;
  for (const char* f : {"catalog", "population", "civil", "social", "services"}) {
    files += " " + Quote((data / (std::string(f) + ".db")).string());
  }
  const fs::path load_log = dir / "pgload.txt";
  ASSERT_EQ(RunShell(std::string(DQA_PGLOAD) + " --typed-times --dsn " + Quote(pg.conninfo()) +
                     files + " > " + Quote(load_log.string()) + " 2>&1"),
            0)
      << ReadFile(load_log);
  // Columns SQLite holds in several types at once have no PostgreSQL equivalent (an INTEGER column
  // with a text date in it): their checks cannot agree, and are the only ones left out.
  std::set<std::string> widened;  // source.table.column
  {
    std::istringstream lines(ReadFile(load_log));
    const std::regex re(R"(^widened: (\S+) )");
    std::smatch m;
    for (std::string line; std::getline(lines, line);) {
      if (std::regex_search(line, m, re)) widened.insert(m[1]);
    }
  }
  EXPECT_EQ(widened, (std::set<std::string>{"services.ho_so.ngay_cap_nhat",
                                            "social.doi_tuong.muc_huong"}));
  const std::string typed = dqa::testing::PgAdminExec(
      pg.conninfo(),
      "DO $$ BEGIN IF (SELECT count(*) FROM information_schema.columns WHERE data_type IN "
      "('date', 'timestamp without time zone')) < 3 THEN RAISE 'no typed date columns'; END IF; "
      "END $$");
  EXPECT_EQ(typed, "");

  RewriteRulesForPostgres(dir / "rules" / "demo", dir / "rules" / "pg", pg.Uri());
  const auto sqlite = RunDqaudit(dir, "scan rules/demo --no-history --today " + std::string(kToday) +
                                          " --json sqlite.json");
  const auto postgres = RunDqaudit(dir, "scan rules/pg --no-history --today " + std::string(kToday) +
                                            " --json pg.json");
  EXPECT_EQ(sqlite.code, 1) << sqlite.err;
  EXPECT_EQ(postgres.code, 1) << postgres.err << postgres.out;
  const json a = ReadJson(dir / "sqlite.json");
  const json b = ReadJson(dir / "pg.json");
  ASSERT_FALSE(a.is_discarded());
  ASSERT_FALSE(b.is_discarded());
  for (const json& s : b["sources"]) EXPECT_EQ(s.value("status", ""), "ok") << s.dump();

  std::map<std::pair<std::string, std::string>, json> pg_results;
  for (const json& r : b["results"]) pg_results[{r["source"], r["id"]}] = r;
  ASSERT_EQ(pg_results.size(), a["results"].size());
  int compared = 0;
  std::set<std::string> left_out;
  for (const json& r : a["results"]) {
    const std::string source = r["source"];
    const std::string id = r["id"];
    SCOPED_TRACE(source + " / " + id);
    const auto it = pg_results.find({source, id});
    ASSERT_NE(it, pg_results.end()) << "no PostgreSQL result";
    const json& p = it->second;
    EXPECT_NE(p.value("outcome", ""), "error") << p.value("message", "");
    // Delivery is judged from the file's time on SQLite and from when the audit saw the data on
    // PostgreSQL: not a count of the data.
    if (r.value("type", "") == "delivery") continue;
    bool reads_widened = false;
    for (const json& c : r.value("columns", json::array())) {
      reads_widened = reads_widened ||
                      widened.contains(source + "." + r.value("table", "") + "." + c.get<std::string>());
    }
    if (reads_widened) {
      left_out.insert(id);
      continue;
    }
    ++compared;
    EXPECT_EQ(p.value("outcome", ""), r.value("outcome", "")) << p.value("message", "");
    EXPECT_EQ(p.value("violations", -1), r.value("violations", -1)) << p.value("message", "");
    EXPECT_EQ(p.value("rows_checked", -1), r.value("rows_checked", -1)) << p.value("message", "");
    EXPECT_EQ(p.value("groups", -1), r.value("groups", -1));
    EXPECT_EQ(p.value("unparseable", -1), r.value("unparseable", -1));
  }
  EXPECT_EQ(left_out, (std::set<std::string>{"freshness:ho_so.ngay_cap_nhat", "ho_so_treo",
                                             "cho_xu_ly_khong_cap_nhat", "muc_huong_p95",
                                             "range:doi_tuong.muc_huong"}));
  EXPECT_EQ(compared, 82);
}

// A PostgreSQL source that cannot be reached is an error of that source: the other sources are
// scanned, the exit code says a source failed, and the password of its URI appears nowhere.
TEST(PostgresFaultTest, UnreachableServerIsAnErrorOfThatSourceAndItsPasswordIsNeverShown) {
  const fs::path dir = FreshTestDir("PostgresFaultTest");
  ASSERT_EQ(RunShell("sqlite3 " + Quote((dir / "a.db").string()) +
                     " 'CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t VALUES "
                     "(1, NULL), (2, 2);'"),
            0);
  fs::create_directories(dir / "rules");
  WriteFile(dir / "rules" / "a.yaml", R"(source: a
department: x
database: sqlite:../a.db
tables:
  t:
    checks: [{missing: {columns: [v]}}]
)");
  WriteFile(dir / "rules" / "b.yaml", R"(source: b
department: y
database: "postgresql://dqa:${DQA_TEST_SECRET}@/nodb?host=/nonexistent-socket-dir&port=1"
tables:
  t:
    checks: [{row_count: {min: 1}}]
)");
  const auto r = RunDqaudit(dir, "scan rules --no-history --json out.json",
                            "DQA_TEST_SECRET=hunter2secret");
  EXPECT_EQ(r.code, 3) << r.out << r.err;
  const std::string all = r.out + r.err + ReadFile(dir / "out.json");
  EXPECT_EQ(all.find("hunter2secret"), std::string::npos) << all;
  std::map<std::string, json> results = ResultsBy(dir, "source");
  EXPECT_EQ(results["a"].value("violations", -1), 1);
  EXPECT_EQ(results["a"].value("outcome", ""), "fail");
  EXPECT_EQ(results["b"].value("outcome", ""), "error");
  const std::string message = results["b"].value("message", "");
  EXPECT_NE(message.find("cannot connect to postgresql://dqa:***@/nodb"), std::string::npos)
      << message;
}

// A table or column missing on the server is the error of the checks that need it, in words.
TEST(PostgresFaultTest, MissingTableAndColumnAreErrorsOfTheirChecksOnly) {
  const fs::path dir = FreshTestDir("PostgresFaultTest");
  PgTestDatabase pg("CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t VALUES (1, NULL), "
                    "(2, 'x'), (3, '')");
  ASSERT_FALSE(pg.conninfo().empty());
  fs::create_directories(dir / "rules");
  WriteFile(dir / "rules" / "b.yaml", "source: b\ndepartment: y\ndatabase: \"" + pg.Uri() +
                                          "\"\ntables:\n  t:\n    checks:\n"
                                          "      - missing: {columns: [v]}\n"
                                          "      - missing: {columns: [nope]}\n"
                                          "  gone:\n    checks: [{row_count: {min: 1}}]\n");
  const auto r = RunDqaudit(dir, "scan rules --no-history --json out.json");
  EXPECT_EQ(r.code, 3) << r.out << r.err;
  std::map<std::string, json> results = ResultsBy(dir, "id");
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results["missing:t.v"].value("violations", -1), 2);  // NULL and the empty text
  EXPECT_EQ(results["missing:t.v"].value("rows_checked", -1), 3);
  EXPECT_EQ(results["missing:t.nope"].value("outcome", ""), "error");
  EXPECT_EQ(results["missing:t.nope"].value("message", ""),
            "schema drift: column 'nope' is no longer in table t (columns: id, v)");
  EXPECT_EQ(results["row_count:gone"].value("outcome", ""), "error");
  EXPECT_EQ(results["row_count:gone"].value("message", ""),
            "schema drift: table 'gone' is no longer in the database of source 'b' (tables: t)");
}

// `rules check` compiles every fragment on the server without running it: a missing column and a
// SQLite-only function are rule problems at their place; a portable rule file passes.
TEST(PostgresRulesCheckTest, FragmentsCompileOnTheServer) {
  const fs::path dir = FreshTestDir("PostgresRulesCheckTest");
  PgTestDatabase pg("CREATE TABLE t (id int PRIMARY KEY, v text, d date)");
  ASSERT_FALSE(pg.conninfo().empty());
  fs::create_directories(dir / "rules");
  const std::string head =
      "source: b\ndepartment: y\ndatabase: \"" + pg.Uri() + "\"\ntables:\n  t:\n    checks:\n";
  WriteFile(dir / "rules" / "b.yaml",
            head + "      - missing: {columns: [v], where: \"d >= '2024-01-01' AND lower(v) <> 'x'\"}\n"
                   "      - condition: {id: c, invalid_when: \"COALESCE(v, '') = '' AND rowid IS NOT NULL\"}\n");
  auto r = RunDqaudit(dir, "rules check rules");
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("OK: 1 source, 2 checks"), std::string::npos) << r.out;

  WriteFile(dir / "rules" / "b.yaml",
            head + "      - missing: {columns: [v], where: \"nope > 1\"}\n"
                   "      - condition: {id: c, invalid_when: \"ifnull(v, '') = ''\"}\n");
  r = RunDqaudit(dir, "rules check rules");
  EXPECT_EQ(r.code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("'where' of check missing:t.v does not compile: no such column: nope"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("function ifnull(text, unknown) does not exist"), std::string::npos) << r.err;
}

// `dqaudit nightly` carries a PostgreSQL source over while its content fingerprint (tables' storage
// and write counts) is unchanged, and rescans it after a write.
TEST(PostgresNightlyTest, UnchangedSourceIsCarriedAndAWriteMakesItRescanned) {
  const fs::path dir = FreshTestDir("PostgresNightlyTest");
  PgTestDatabase pg("CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t VALUES (1, NULL), "
                    "(2, 'x')");
  ASSERT_FALSE(pg.conninfo().empty());
  fs::create_directories(dir / "rules");
  WriteFile(dir / "rules" / "b.yaml", "source: b\ndepartment: y\ndatabase: \"" + pg.Uri() +
                                          "\"\ntables:\n  t:\n    checks: [{missing: {columns: [v]}}]\n");
  WriteFile(dir / "nightly.yaml", "rules: rules\nhistory: state/audit.db\nrescan_after: 7d\n");
  const std::string nightly = "nightly --config nightly.yaml --today " + std::string(kToday);
  auto r = RunDqaudit(dir, nightly);
  ASSERT_EQ(r.code, 1) << r.err;
  r = RunDqaudit(dir, nightly);
  ASSERT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("b: unchanged since run 1"), std::string::npos) << r.err;

  pg.Exec("INSERT INTO t VALUES (3, NULL)");
  WaitUntilInsertsCounted(pg, 3);
  r = RunDqaudit(dir, nightly);
  ASSERT_EQ(r.code, 1) << r.err;
  EXPECT_EQ(r.err.find("b: unchanged since run"), std::string::npos) << r.err;
  auto history = dqa::SqliteDb::OpenReadOnly((dir / "state" / "audit.db").string());
  ASSERT_TRUE(history.ok()) << history.status().message();
  auto last = (*history)->Prepare(
      "SELECT run_id, violations, rows_checked FROM check_results WHERE check_id = 'missing:t.v' "
      "ORDER BY run_id");
  ASSERT_TRUE(last.ok());
  std::vector<std::string> runs;
  while (*last->Step()) {
    runs.push_back(fmt::format("{}:{}/{}", last->ColumnInt(0), last->ColumnInt(1),
                               last->ColumnInt(2)));
  }
  EXPECT_EQ(runs, (std::vector<std::string>{"1:1/2", "2:1/2", "3:2/3"}));
}

// A statement over its time budget and a connection lost mid-scan (the server ends the session,
// as in a restart) are errors of the checks they hit, in words; nothing is retried, and the other
// source is scanned in full.
TEST(PostgresFaultTest, StatementTimeoutAndLostConnectionStopOnlyWhatTheyHit) {
  const fs::path dir = FreshTestDir("PostgresFaultTest");
  PgTestDatabase pg("CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t VALUES (1, NULL), "
                    "(2, 'x')");
  ASSERT_FALSE(pg.conninfo().empty());
  fs::create_directories(dir / "rules");
  WriteFile(dir / "rules" / "slow.yaml",
            "source: slow\ndepartment: y\ndatabase: \"" + pg.Uri() +
                "\"\ntables:\n  t:\n    checks:\n"
                "      - sql: {id: cham, query: \"SELECT count(*) FROM t, pg_sleep(5)\", max: 0}\n"
                "      - missing: {columns: [v]}\n");
  WriteFile(dir / "rules" / "lost.yaml",
            "source: lost\ndepartment: z\ndatabase: \"" + pg.Uri() +
                "\"\ntables:\n  t:\n    checks:\n"
                "      - sql: {id: ngat, query: \"SELECT count(*) FROM t WHERE "
                "pg_terminate_backend(pg_backend_pid())\", max: 0}\n"
                "      - sql: {id: sau, query: \"SELECT count(*) FROM t\", max: 0}\n");
  const auto r = RunDqaudit(dir, "scan rules --no-history --sql-timeout 1 --json out.json");
  EXPECT_EQ(r.code, 3) << r.out << r.err;
  EXPECT_LT(r.seconds, 30);
  std::map<std::string, json> results = ResultsBy(dir, "id");
  EXPECT_EQ(results["cham"].value("outcome", ""), "error");
  EXPECT_NE(results["cham"].value("message", "").find("statement exceeded its time budget of 1 s"),
            std::string::npos)
      << results["cham"].value("message", "");
  EXPECT_EQ(results["missing:t.v"].value("violations", -1), 1);
  EXPECT_EQ(results["ngat"].value("outcome", ""), "error");
  EXPECT_NE(results["ngat"].value("message", "").find("connection to the server lost"),
            std::string::npos)
      << results["ngat"].value("message", "");
  EXPECT_EQ(results["sau"].value("outcome", ""), "error");
  EXPECT_NE(results["sau"].value("message", "").find("connection"), std::string::npos)
      << results["sau"].value("message", "");
}

// A delivery cadence on a PostgreSQL source (docs/rules.md "Delivery"): a delivery is a change of
// the content fingerprint, made when the audit first saw it. The first run sees one; an unchanged
// second run none (the same delivery, the same file time); a write is a new delivery at the time
// of the run that sees it. Due at 00:00 UTC every day, a delivery seen later that day is late.
TEST(PostgresDeliveryTest, UnchangedContentIsNoDeliveryAndAWriteIsOne) {
  const fs::path dir = FreshTestDir("PostgresDeliveryTest");
  PgTestDatabase pg("CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t VALUES (1, 'x'), "
                    "(2, 'y')");
  ASSERT_FALSE(pg.conninfo().empty());
  WriteFile(dir / "rules.yaml", "source: b\ndepartment: y\ndatabase: \"" + pg.Uri() +
                                    "\"\ndelivery: {every: 1d, by: \"00:00\", timezone: UTC}\n"
                                    "tables:\n  t:\n    checks: [{row_count: {min: 1}}]\n");
  struct Seen {
    std::string outcome, message, samples;
    int64_t violations = -1, rows_checked = -1, file_time = -1, changed = -1;
    std::string fingerprint;
  };
  // The delivery finding and deliveries row of the newest run.
  const auto last = [&]() {
    Seen seen;
    auto history = dqa::SqliteDb::OpenReadOnly((dir / "audit.db").string());
    EXPECT_TRUE(history.ok());
    if (!history.ok()) return seen;
    auto row = (*history)->Prepare(
        "SELECT c.outcome, c.message, c.violations, c.rows_checked, d.file_time, d.changed, "
        "d.fingerprint, (SELECT group_concat(key, ' | ') FROM samples WHERE result_id = c.id) "
        "FROM check_results c JOIN deliveries d ON d.run_id = c.run_id "
        "WHERE c.check_id = 'delivery:b' ORDER BY c.run_id DESC LIMIT 1");
    EXPECT_TRUE(row.ok());
    if (!row.ok() || !*row->Step()) return seen;
    seen = {std::string(row->ColumnText(0)), std::string(row->ColumnText(1)),
            std::string(row->ColumnText(7)), row->ColumnInt(2), row->ColumnInt(3),
            row->ColumnInt(4), row->ColumnInt(5), std::string(row->ColumnText(6))};
    return seen;
  };
  const auto utc = [](int64_t t, const char* format) {
    const std::time_t time = static_cast<std::time_t>(t);
    std::tm tm{};
    gmtime_r(&time, &tm);
    char text[32];
    std::strftime(text, sizeof text, format, &tm);
    return std::string(text);
  };
  // The finding of a day whose one delivery came at `delivered`, with the newest at `newest`.
  const auto expected = [&](int64_t delivered, int64_t newest) {
    return fmt::format(
        "Delivery every 1d by 00:00 (UTC): the delivery due {} 00:00 was late ({}); 1 of 1 due "
        "deliveries late or missed; file time {}",
        utc(delivered, "%Y-%m-%d"), utc(delivered, "%Y-%m-%d %H:%M"),
        utc(newest, "%Y-%m-%d %H:%M"));
  };

  const int64_t start = static_cast<int64_t>(std::time(nullptr));
  auto r = RunDqaudit(dir, "scan rules.yaml --history audit.db");
  ASSERT_EQ(r.code, 0) << r.err;  // late is a warning
  const Seen first = last();
  EXPECT_GE(first.file_time, start);  // when this run saw the data
  EXPECT_LE(first.file_time, static_cast<int64_t>(std::time(nullptr)));
  EXPECT_EQ(first.changed, 1);
  EXPECT_TRUE(first.fingerprint.starts_with("pg public t:")) << first.fingerprint;
  EXPECT_EQ(first.outcome, "warn");
  EXPECT_EQ(first.violations, 1);
  EXPECT_EQ(first.rows_checked, 1);
  EXPECT_EQ(first.message, expected(first.file_time, first.file_time));
  EXPECT_EQ(first.samples,
            R"({"due":")" + utc(first.file_time, "%Y-%m-%d late %H:%M") + R"("})");

  // A later run, in a later second than the one before.
  const auto next_run = [&]() {
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    const auto run = RunDqaudit(dir, "scan rules.yaml --history audit.db");
    EXPECT_EQ(run.code, 0) << run.err;
    return last();
  };

  // Nothing written: no delivery; the one of the first run keeps its time.
  const Seen second = next_run();
  EXPECT_EQ(second.changed, 0);
  EXPECT_EQ(second.fingerprint, first.fingerprint);
  EXPECT_EQ(second.file_time, first.file_time);
  EXPECT_EQ(second.outcome, "warn");
  EXPECT_EQ(second.message, first.message);

  // A write: a new delivery, at the time the third run saw it.
  pg.Exec("INSERT INTO t VALUES (3, 'z')");
  WaitUntilInsertsCounted(pg, 3);
  const Seen third = next_run();
  EXPECT_EQ(third.changed, 1);
  EXPECT_NE(third.fingerprint, first.fingerprint);
  EXPECT_GT(third.file_time, first.file_time);
  // The day's first delivery decides the verdict; the message shows the newest one.
  EXPECT_EQ(third.message, expected(first.file_time, third.file_time));
  EXPECT_EQ(third.violations, 1);

  r = RunDqaudit(dir, "history deliveries");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(dqa::test_support::Count(r.out, " delivered "), 2u) << r.out;
  EXPECT_EQ(dqa::test_support::Count(r.out, " unchanged "), 1u) << r.out;
}

}  // namespace
}  // namespace postgres_test
