// The command line as a user meets it (issue 15 "Command line"): did-you-mean for mistyped
// subcommands and options of every command, each command's --help listing exactly the exit codes
// README "Exit codes" gives it, `scores` ranked worst first, and rows per second with an ETA while
// a large table is scanned (stderr only, never with --quiet, never in the JSON).
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/integration/support.h"

namespace dqa {
namespace command_line_test {
namespace {

namespace fs = std::filesystem;
using test_support::CommandResult;
using test_support::FreshTestDir;
using test_support::MakeDemoProvince;
using test_support::Quote;
using test_support::ReadFile;
using test_support::RunDqaudit;
using test_support::RunShell;
using test_support::WriteFile;

// Every command a user runs, as typed after `dqaudit`.
const std::vector<std::string> kCommands = {"scan",
                                            "nightly",
                                            "rules",
                                            "rules check",
                                            "plugins",
                                            "plugins list",
                                            "plugins info",
                                            "checks",
                                            "checks list",
                                            "checks info",
                                            "profile",
                                            "scores",
                                            "report",
                                            "schedule",
                                            "inspections",
                                            "inspections add",
                                            "inspections list",
                                            "history",
                                            "history show",
                                            "history deliveries"};

// README "Exit codes": the table by command, as command -> codes.
std::map<std::string, std::set<int>> DocumentedExitCodes() {
  std::map<std::string, std::set<int>> out;
  std::istringstream readme(ReadFile(fs::path(DQA_SOURCE_DIR) / "README.md"));
  const std::regex row(R"(^\| (`[^|]+`) \| ([0-9, ]+) \|$)");
  const std::regex command("`([^`]+)`");
  for (std::string line; std::getline(readme, line);) {
    std::smatch m;
    if (!std::regex_match(line, m, row)) continue;
    std::set<int> codes;
    std::istringstream list(m[2].str());
    for (std::string code; std::getline(list, code, ',');) codes.insert(std::stoi(code));
    const std::string names = m[1].str();
    for (auto it = std::sregex_iterator(names.begin(), names.end(), command);
         it != std::sregex_iterator(); ++it) {
      out[(*it)[1].str()] = codes;
    }
  }
  return out;
}

// The codes of the "Exit codes: 0 ...; 2 ...; 3 ...." footer of a --help text.
std::set<int> FooterExitCodes(const std::string& help) {
  std::set<int> codes;
  const size_t at = help.find("Exit codes: ");
  if (at == std::string::npos) return codes;
  std::string footer = help.substr(at + 12);
  for (char& c : footer) c = c == '\n' ? ' ' : c;
  const std::regex item(R"((?:^|; )([0-9]+) )");
  for (auto it = std::sregex_iterator(footer.begin(), footer.end(), item);
       it != std::sregex_iterator(); ++it) {
    codes.insert(std::stoi((*it)[1].str()));
  }
  return codes;
}

TEST(CommandLineTest, EveryHelpFooterListsTheDocumentedExitCodes) {
  const fs::path dir = FreshTestDir("CommandLineTest");
  const std::map<std::string, std::set<int>> documented = DocumentedExitCodes();
  for (const std::string& command : kCommands) {
    SCOPED_TRACE(command);
    ASSERT_TRUE(documented.contains(command)) << "README has no exit codes for " << command;
    const CommandResult help = RunDqaudit(dir, command + " --help");
    ASSERT_EQ(help.code, 0) << help.err;
    EXPECT_EQ(FooterExitCodes(help.out), documented.at(command)) << help.out;
    // Every command can be misused: 2 is always there.
    EXPECT_TRUE(documented.at(command).contains(2));
  }
  EXPECT_EQ(documented.size(), kCommands.size());  // no row for a command that does not exist
  const CommandResult top = RunDqaudit(dir, "--help");
  EXPECT_EQ(FooterExitCodes(top.out), (std::set<int>{0, 1, 2, 3, 4}));
  // Only scan and nightly judge checks (1); only nightly takes a lock (4).
  EXPECT_EQ(documented.at("scan"), (std::set<int>{0, 1, 2, 3}));
  EXPECT_EQ(documented.at("history"), (std::set<int>{0, 2, 3}));
}

// libpq and libxlsxwriter, with the twenty libraries they pull in, are opened when a PostgreSQL
// source is read or an Excel report written (core/util/lazy_library.h), not at every start of
// dqaudit and of each of its workers: the binary does not name them (PostgresTest and the Excel
// report tests show that they load when needed).
TEST(CommandLineTest, LibpqAndLibxlsxwriterAreNotLoadedAtStart) {
  const fs::path dir = FreshTestDir("CommandLineTest");
  ASSERT_EQ(RunShell("readelf -d " + Quote(DQA_BINARY) + " > " + Quote((dir / "dynamic.txt").string())),
            0);
  const std::string dynamic = ReadFile(dir / "dynamic.txt");
  EXPECT_NE(dynamic.find("(NEEDED)             Shared library: [libstdc++.so.6]"), std::string::npos)
      << dynamic;
  std::vector<std::string> absent = {"libpq", "libxlsxwriter", "libboost_filesystem", "libssl",
                                     "libgssapi"};
  // Linked from their static archives (DQA_STATIC_LIBS, docs/architecture.md), or named.
  for (const char* library : {"libsqlite3", "libyaml-cpp", "libre2", "libicuuc", "libicui18n",
                              "libicudata"}) {
    if (DQA_STATIC_LINKED) {
      absent.emplace_back(library);
    } else {
      EXPECT_NE(dynamic.find(std::string("[") + library), std::string::npos) << library;
    }
  }
  for (const std::string& library : absent) {
    EXPECT_EQ(dynamic.find("[" + library), std::string::npos) << library;
  }
}

TEST(CommandLineTest, DidYouMeanForEveryCommand) {
  const fs::path dir = FreshTestDir("CommandLineTest");
  for (const std::string& command : kCommands) {
    SCOPED_TRACE(command);
    const CommandResult r = RunDqaudit(dir, command + " --hepl");
    EXPECT_EQ(r.code, 2);
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err, "dqaudit " + command +
                         ": unknown option '--hepl'; did you mean --help?\n"
                         "Run with --help for more information.\n");
  }
}

TEST(CommandLineTest, DidYouMeanNamesTheNearestOptionOrSubcommand) {
  const fs::path dir = FreshTestDir("CommandLineTest");
  WriteFile(dir / "rules.yaml", "source: s\ndepartment: D\ndatabase: sqlite:none.db\ntables: {}\n");
  struct Case {
    std::string args;
    std::string err;
  };
  const std::vector<Case> cases = {
      {"scan rules.yaml --jsn out.json",
       "dqaudit scan: unknown option '--jsn'; did you mean --json?\n"},
      {"scan rules.yaml --jsn=out.json",
       "dqaudit scan: unknown option '--jsn'; did you mean --json?\n"},
      {"scna rules.yaml", "dqaudit: unknown subcommand 'scna'; did you mean scan?\n"},
      {"frobnicate", "dqaudit: unknown subcommand 'frobnicate'\n"},
      {"inspections ad --department D --date 2026-01-01",
       "dqaudit inspections: unknown subcommand 'ad'; did you mean add?\n"},
      {"history --limt 3", "dqaudit history: unknown option '--limt'; did you mean --limit?\n"},
      {"history shwo 1", "dqaudit history: unknown subcommand 'shwo'; did you mean show?\n"},
      // Options of a parent fall through: the nearest may be the parent's.
      {"history show 1 --histroy a.db",
       "dqaudit history show: unknown option '--histroy'; did you mean --history?\n"},
      {"report --latest --formt html --out r",
       "dqaudit report: unknown option '--formt'; did you mean --format?\n"},
      {"scores --log-levle debug",
       "dqaudit scores: unknown option '--log-levle'; did you mean --log-level?\n"},
      {"scores --zzzzzzzz", "dqaudit scores: unknown option '--zzzzzzzz'\n"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.args);
    const CommandResult r = RunDqaudit(dir, c.args);
    EXPECT_EQ(r.code, 2);
    EXPECT_EQ(r.err, c.err + "Run with --help for more information.\n");
  }
  EXPECT_FALSE(fs::exists(dir / "out.json"));
  EXPECT_FALSE(fs::exists(dir / "audit.db"));
}

// The department rows of `dqaudit scores`: rank, name and overall score, in printed order.
struct RankedRow {
  int rank = 0;
  std::string department;
  double overall = 0;
};
std::vector<RankedRow> DepartmentRows(const std::string& out) {
  std::vector<RankedRow> rows;
  std::istringstream in(out);
  bool in_table = false;
  // " 1  Sở Tư pháp   <4 dimension scores>  <overall>  <grade> ..."
  const std::regex row(
      R"(^ *([0-9]+)  (.+?) +(?:[0-9.]+|-) +(?:[0-9.]+|-) +(?:[0-9.]+|-) +(?:[0-9.]+|-) +([0-9.]+)  .*$)");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(" #  DEPARTMENT", 0) == 0) {
      in_table = true;
      continue;
    }
    if (!in_table) continue;
    if (line.empty()) break;
    std::smatch m;
    if (!std::regex_match(line, m, row)) {
      ADD_FAILURE() << "not a department row: " << line;
      continue;
    }
    rows.push_back({std::stoi(m[1].str()), m[2].str(), std::stod(m[3].str())});
  }
  return rows;
}

TEST(CommandLineTest, ScoresRanksDepartmentsWorstFirst) {
  const fs::path dir = FreshTestDir("CommandLineTest");
  ASSERT_TRUE(MakeDemoProvince(dir, "2026-11-01"));
  const CommandResult scan = RunDqaudit(dir, "scan rules/demo --quiet --today 2026-11-01");
  ASSERT_EQ(scan.code, 1) << scan.err;  // the demo has failing checks
  const CommandResult scores = RunDqaudit(dir, "scores");
  ASSERT_EQ(scores.code, 0) << scores.err;
  const std::vector<RankedRow> rows = DepartmentRows(scores.out);
  // The demo province at seed 42, scale 0.005, scored by hand in the schedule test (justice 60.4,
  // labour 64.0, one-stop centre 65.4, police 71.3, home affairs 100): worst first.
  ASSERT_EQ(rows.size(), 5u) << scores.out;
  const std::vector<std::string> expected = {"Sở Tư pháp", "Sở Lao động - Thương binh và Xã hội",
                                             "Trung tâm Phục vụ hành chính công", "Công an tỉnh",
                                             "Sở Nội vụ"};
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].rank, static_cast<int>(i + 1));
    EXPECT_EQ(rows[i].department, expected[i]);
    if (i > 0) {
      EXPECT_LE(rows[i - 1].overall, rows[i].overall);
    }
  }
}

// A SQLite database of `rows` people at `path`.
void MakeLargeDatabase(const fs::path& path, int64_t rows) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  const std::string sql =
      "CREATE TABLE people(id INTEGER PRIMARY KEY, name TEXT, code TEXT, born TEXT);"
      "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < " +
      std::to_string(rows) +
      ") INSERT INTO people SELECT x, 'Nguyễn Văn ' || x, printf('%012d', x * 7), "
      "date('2000-01-01', '+' || (x % 9000) || ' days') FROM n;";
  char* error = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK)
      << (error != nullptr ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
}

// The results JSON without what depends on the clock (times and durations).
nlohmann::json WithoutClock(nlohmann::json doc) {
  if (doc.is_object()) {
    for (auto it = doc.begin(); it != doc.end();) {
      const std::string& key = it.key();
      if (key.ends_with("_ms") || key.ends_with("_at") || key == "duration_seconds") {
        it = doc.erase(it);
      } else {
        *it = WithoutClock(*it);
        ++it;
      }
    }
  } else if (doc.is_array()) {
    for (auto& item : doc) item = WithoutClock(item);
  }
  return doc;
}

// Rules of the large database at `database` (relative to the rule file): checks that cost a
// little per row, so its scan lasts long enough for progress lines (at most one a second).
std::string LargeRules(const std::string& database) {
  return fmt::format(R"yaml(source: large
department: "Sở Tư pháp"
database: sqlite:{}
today: 2026-11-01
tables:
  people:
    key: [id]
    checks:
      - missing: {{columns: [name, code, born]}}
      - pattern: {{column: code, regex: '^[0-9]{{12}}$'}}
      - pattern: {{column: name, regex: '^Nguyễn Văn [0-9]+$'}}
      - standard_text: {{column: name}}
      - duplicate: {{columns: [code]}}
)yaml",
                     database);
}

TEST(CommandLineTest, ProgressShowsRowsPerSecondOnStderrOnly) {
  const fs::path dir = FreshTestDir("CommandLineTest");
  // Long enough to be seen (progress lines come at most once a second): 3 million rows, and checks
  // that cost a little per row.
  MakeLargeDatabase(dir / "large.db", 3'000'000);
  WriteFile(dir / "rules.yaml", LargeRules("large.db"));
  const std::string sha = test_support::Sha256(dir / "large.db");

  const CommandResult shown =
      RunDqaudit(dir, "scan rules.yaml --no-history --progress --jobs 1 --json with.json");
  ASSERT_EQ(shown.code, 0) << shown.err;
  // "large: people 1,234,567 of ~3,000,000 rows, 456,789 rows/s, ETA ~4 s"
  const std::regex line(
      R"(large: people [0-9,]+ (of ~3,000,000 )?rows, [0-9,]+ rows/s(, ETA ~[0-9]+ (s|min [0-9]+ s))?)");
  EXPECT_TRUE(std::regex_search(shown.err, line)) << shown.err << " (" << shown.seconds << " s)";
  // (" of ~3,000,000" shows while the scan is short of the estimate; a fast machine may have read
  // every row by the first line: the estimate itself is ScanProgressTest's.)
  EXPECT_EQ(shown.out.find("rows/s"), std::string::npos);

  const CommandResult quiet =
      RunDqaudit(dir, "scan rules.yaml --no-history --progress --quiet --json quiet.json");
  ASSERT_EQ(quiet.code, 0) << quiet.err;
  EXPECT_EQ(quiet.err, "");
  const CommandResult plain = RunDqaudit(dir, "scan rules.yaml --no-history --json plain.json");
  ASSERT_EQ(plain.code, 0) << plain.err;
  EXPECT_EQ(plain.err.find("rows/s"), std::string::npos) << plain.err;  // stderr is not a terminal

  const std::string with = ReadFile(dir / "with.json");
  EXPECT_EQ(with.find("rows/s"), std::string::npos);
  EXPECT_EQ(WithoutClock(nlohmann::json::parse(with)),
            WithoutClock(nlohmann::json::parse(ReadFile(dir / "plain.json"))));
  EXPECT_EQ(WithoutClock(nlohmann::json::parse(with)),
            WithoutClock(nlohmann::json::parse(ReadFile(dir / "quiet.json"))));
  EXPECT_EQ(test_support::Sha256(dir / "large.db"), sha);
}

// nightly --progress logs the same rows/s lines as scan --progress (stderr not a terminal: the log
// form); without it an unattended run's stderr has none.
TEST(CommandLineTest, NightlyProgressLogsRowsPerSecond) {
  const fs::path dir = FreshTestDir("CommandLineTest");
  MakeLargeDatabase(dir / "large.db", 3'000'000);
  fs::create_directories(dir / "rules");
  WriteFile(dir / "rules" / "large.yaml", LargeRules("../large.db"));
  // One thread: the table's scan lasts long enough (a few seconds) for the progress to be logged.
  WriteFile(dir / "nightly.yaml", "rules: rules\nhistory: state/audit.db\njobs: 1\n");
  const std::string sha = test_support::Sha256(dir / "large.db");

  const CommandResult shown = RunDqaudit(dir, "nightly --config nightly.yaml --progress");
  ASSERT_EQ(shown.code, 0) << shown.err;
  const std::regex line(R"(large: people [0-9,]+ (of ~3,000,000 )?rows, [0-9,]+ rows/s)");
  EXPECT_TRUE(std::regex_search(shown.err, line)) << shown.err << " (" << shown.seconds << " s)";
  EXPECT_EQ(shown.out.find("rows/s"), std::string::npos);

  const CommandResult plain = RunDqaudit(dir, "nightly --config nightly.yaml --full");
  ASSERT_EQ(plain.code, 0) << plain.err;
  EXPECT_EQ(plain.err.find("rows/s"), std::string::npos) << plain.err;
  EXPECT_NE(plain.err.find("large: "), std::string::npos) << plain.err;  // it did scan
  EXPECT_EQ(test_support::Sha256(dir / "large.db"), sha);
}

// Every check result of run `run` in the history store at `history`, as text, in check order.
std::vector<std::string> RecordedResults(const fs::path& history, int run) {
  std::vector<std::string> out;
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(history.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db,
                               "SELECT check_id || '|' || outcome || '|' || violations || '|' || "
                               "rows_checked || '|' || ifnull(\"groups\", '') || '|' || "
                               "ifnull(value, '') || '|' || message FROM check_results WHERE run_id "
                               "= ? ORDER BY ordinal",
                               -1, &stmt, nullptr),
            SQLITE_OK);
  sqlite3_bind_int(stmt, 1, run);
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return out;
}

// A department corrects, adds and deletes a few citizens: the next night reads only the rowid
// ranges they are in, merges the stored state of the others, and records exactly what a full
// rescan records (docs/nightly.md "Incremental scans of a table").
// The names of the files in `folder` (none when it does not exist).
std::set<std::string> FileNames(const fs::path& folder) {
  std::set<std::string> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    out.insert(entry.path().filename().string());
  }
  return out;
}

TEST(CommandLineTest, NightlyReadsOnlyTheRangesADepartmentChanged) {
  const fs::path dir = FreshTestDir("CommandLineTest");
  MakeLargeDatabase(dir / "large.db", 200'000);
  fs::create_directories(dir / "rules");
  WriteFile(dir / "rules" / "large.yaml", fmt::format(R"yaml(source: large
department: "Sở Tư pháp"
database: sqlite:../large.db
today: 2026-11-01
tables:
  people:
    key: [id]
    checks:
      - missing: {{columns: [name, code, born]}}
      - pattern: {{column: code, regex: '^[0-9]{{12}}$'}}
      - duplicate: {{columns: [code]}}
      - range: {{column: born, min: 2000-01-01, max: today}}
      - metric: {{id: born_median, column: born, stat: median, date_format: iso}}
      - row_count: {{min: 10}}
      - stale: {{column: born, older_than: 8000d, fail: {{max_percent: 90}}}}
)yaml"));
  WriteFile(dir / "nightly.yaml", "rules: rules\nhistory: state/audit.db\njobs: 2\n");

  const CommandResult first = RunDqaudit(dir, "nightly --config nightly.yaml");
  ASSERT_EQ(first.code, 0) << first.err;
  EXPECT_NE(first.err.find("large table people: 20 range(s) read, 0 unchanged"), std::string::npos)
      << first.err;
  EXPECT_TRUE(fs::exists(dir / "state" / "audit.db.ranges"));

  // Ranges of 10,000 rowids: ids 5,000 (range 0) and 123,456 (range 12) change, a citizen is
  // appended (the last range).
  // A department's writes, through the sqlite3 shell.
  const auto change = [&](const std::string& sql) {
    return test_support::RunShell(fmt::format("sqlite3 {} \"{}\"",
                                              test_support::Quote((dir / "large.db").string()), sql));
  };
  ASSERT_EQ(change("UPDATE people SET name = '', code = '000000000035' WHERE id = 123456; "
                   "DELETE FROM people WHERE id = 5000; INSERT INTO people VALUES (200001, "
                   "'Lê Văn Mới', '12345', '2030-01-01');"),
            0);
  const std::string sha = test_support::Sha256(dir / "large.db");
  // Exit code 1 from now on: the new rows fail checks.
  const CommandResult second = RunDqaudit(dir, "nightly --config nightly.yaml");
  ASSERT_EQ(second.code, 1) << second.err;
  EXPECT_NE(second.err.find("large table people: 3 range(s) read, 17 unchanged"),
            std::string::npos)
      << second.err;
  const CommandResult full = RunDqaudit(dir, "nightly --config nightly.yaml --full");
  ASSERT_EQ(full.code, 1) << full.err;
  // A fresh layout over the rowids of now (1..200,001): 21 ranges, none reused.
  EXPECT_NE(full.err.find("large table people: 21 range(s) read, 0 unchanged"), std::string::npos)
      << full.err;
  const std::vector<std::string> incremental = RecordedResults(dir / "state" / "audit.db", 2);
  ASSERT_EQ(incremental.size(), 10u);  // missing is one check per column
  EXPECT_EQ(incremental, RecordedResults(dir / "state" / "audit.db", 3));
  EXPECT_NE(incremental, RecordedResults(dir / "state" / "audit.db", 1));
  EXPECT_EQ(test_support::Sha256(dir / "large.db"), sha);

  // The range files: two per range beside the index (its states, and apart from them the median's
  // own state, as born_median keeps a table total), named by their hash. A crash of the machine
  // may leave one empty or torn: only those ranges are read again, and the results stay exact.
  const fs::path folder = dir / "state" / "audit.db.ranges" / "6c61726765.70656f706c65";
  std::vector<fs::path> range_files;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.path().extension() == ".range") range_files.push_back(entry.path());
  }
  ASSERT_EQ(range_files.size(), 42u);
  ASSERT_TRUE(fs::exists(folder / "index"));
  // The files of ranges 3 and 8 (rowids 30,000 to 39,999 and 80,000 to 89,999), which the next
  // change does not touch, named by the index.
  const std::string index_bytes = ReadFile(folder / "index");
  const nlohmann::json index = nlohmann::json::from_cbor(index_bytes);
  ASSERT_EQ(index.at("ranges").size(), 21u);
  const fs::path emptied = folder / index["ranges"][3].at("file").get<std::string>();
  const fs::path flipped = folder / index["ranges"][8].at("file").get<std::string>();
  ASSERT_TRUE(fs::exists(emptied));
  ASSERT_TRUE(fs::exists(flipped));
  fs::resize_file(emptied, 0);
  {
    std::fstream torn(flipped, std::ios::in | std::ios::out | std::ios::binary);
    torn.seekg(100);
    const char byte = static_cast<char>(torn.get());
    torn.seekp(100);
    torn.put(static_cast<char>(~byte));
  }
  ASSERT_EQ(change("UPDATE people SET name = 'Trần Thị Sửa' WHERE id = 50000;"), 0);
  const std::set<std::string> before_fourth = FileNames(folder);
  const CommandResult fourth = RunDqaudit(dir, "nightly --config nightly.yaml");
  ASSERT_EQ(fourth.code, 1) << fourth.err;
  EXPECT_NE(fourth.err.find("large table people: 3 range(s) read, 18 unchanged"),
            std::string::npos)
      << fourth.err;
  size_t rereads = 0;
  for (size_t at = 0; (at = fourth.err.find("cannot be read back; reading them again", at)) !=
                      std::string::npos;
       ++at) {
    ++rereads;
  }
  EXPECT_EQ(rereads, 2u) << fourth.err;
  // What the new index no longer names went to the table's trash beside the folder, with a second
  // name of the index it replaced (core/util/trash.h); nothing else is there.
  const fs::path trash = folder.string() + ".trash";
  const std::set<std::string> after_fourth = FileNames(folder);
  std::set<std::string> superseded;
  for (const std::string& name : before_fourth) {
    if (!after_fourth.contains(name)) superseded.insert(name);
  }
  EXPECT_FALSE(superseded.empty());
  std::set<std::string> trash_fourth = FileNames(trash);
  size_t index_links = 0;
  for (auto it = trash_fourth.begin(); it != trash_fourth.end();) {
    if (it->rfind("index.", 0) == 0) {
      ++index_links;
      it = trash_fourth.erase(it);
    } else {
      ++it;
    }
  }
  EXPECT_EQ(index_links, 1u);
  EXPECT_EQ(trash_fourth, superseded);
  // The store's -wal file, deleted as the store closed, has its second name in the store's trash.
  const std::set<std::string> store_trash = FileNames(dir / "state" / "audit.db.trash");
  ASSERT_EQ(store_trash.size(), 1u);
  EXPECT_EQ(store_trash.begin()->rfind("wal.", 0), 0u) << *store_trash.begin();
  const CommandResult fifth = RunDqaudit(dir, "nightly --config nightly.yaml --full");
  ASSERT_EQ(fifth.code, 1) << fifth.err;
  EXPECT_EQ(RecordedResults(dir / "state" / "audit.db", 4),
            RecordedResults(dir / "state" / "audit.db", 5));
  size_t files = 0;
  for (const auto& entry : fs::directory_iterator(folder)) {
    (void)entry;
    ++files;
  }
  // the index, 21 range files and 21 parts, the duplicate check's three memos (key hashes, the
  // changes since, verdicts), born_median's table total and the leaves of the range fingerprints:
  // nothing left over
  EXPECT_EQ(files, 48u);
  // The next run emptied both trashes and left its own in them: none of the fourth's is there.
  for (const std::string& name : FileNames(trash)) {
    EXPECT_FALSE(trash_fourth.contains(name)) << name;
  }
  const std::set<std::string> store_trash_fifth = FileNames(dir / "state" / "audit.db.trash");
  ASSERT_EQ(store_trash_fifth.size(), 1u);
  EXPECT_NE(*store_trash_fifth.begin(), *store_trash.begin());
  // The re-read ranges came out as before, under the same names: their files were written again
  // whole, so the next night reads only what changed.
  ASSERT_EQ(change("UPDATE people SET name = 'Đỗ Văn Mới' WHERE id = 150000;"), 0);
  const std::string last_write = test_support::Sha256(dir / "large.db");
  const CommandResult sixth = RunDqaudit(dir, "nightly --config nightly.yaml");
  ASSERT_EQ(sixth.code, 1) << sixth.err;
  EXPECT_NE(sixth.err.find("large table people: 1 range(s) read, 20 unchanged"), std::string::npos)
      << sixth.err;
  EXPECT_EQ(sixth.err.find("cannot be read back"), std::string::npos) << sixth.err;

  // The next day, nothing changed: stale's cutoff and range's `today` move. Every range holds a
  // birth date that turns stale (one a day every 9,000 rows), and no range is read: the stored
  // states follow the clock, and the results are a full rescan's of that day.
  const CommandResult seventh = RunDqaudit(dir, "nightly --config nightly.yaml --today 2026-11-02");
  ASSERT_EQ(seventh.code, 1) << seventh.err;
  EXPECT_NE(seventh.err.find("large table people: 0 range(s) read, 21 unchanged"),
            std::string::npos)
      << seventh.err;
  const CommandResult eighth =
      RunDqaudit(dir, "nightly --config nightly.yaml --today 2026-11-02 --full");
  ASSERT_EQ(eighth.code, 1) << eighth.err;
  const std::vector<std::string> next_day = RecordedResults(dir / "state" / "audit.db", 7);
  EXPECT_EQ(next_day, RecordedResults(dir / "state" / "audit.db", 8));
  const auto stale_of = [](const std::vector<std::string>& results) {
    for (const std::string& r : results) {
      if (r.starts_with("stale:")) return r;
    }
    return std::string();
  };
  EXPECT_NE(stale_of(next_day), "");
  EXPECT_NE(stale_of(next_day), stale_of(RecordedResults(dir / "state" / "audit.db", 6)));
  EXPECT_EQ(test_support::Sha256(dir / "large.db"), last_write);

  // The duplicate check's memo of key hashes (16 bytes per row: 3.2 MB, read a piece of 256 KB at
  // a time) torn in its last piece: found once every piece was read, the file removed, and the
  // night's duplicates found the slow exact way; a code copied from another row makes a group.
  const nlohmann::json memos = nlohmann::json::from_cbor(ReadFile(folder / "index")).at("memos");
  fs::path key_hashes;
  for (const auto& [name, file] : memos.items()) {
    if (name.starts_with("duplicate key hashes:")) key_hashes = folder / file.get<std::string>();
  }
  ASSERT_TRUE(fs::exists(key_hashes));
  ASSERT_GT(fs::file_size(key_hashes), 3'000'000u);
  {
    std::fstream torn(key_hashes, std::ios::in | std::ios::out | std::ios::binary);
    const auto at = static_cast<std::streamoff>(fs::file_size(key_hashes) - 100);
    torn.seekg(at);
    const char byte = static_cast<char>(torn.get());
    torn.seekp(at);
    torn.put(static_cast<char>(~byte));
  }
  ASSERT_EQ(change("UPDATE people SET code = (SELECT code FROM people WHERE id = 7) "
                   "WHERE id = 60000;"),
            0);
  const CommandResult ninth = RunDqaudit(dir, "nightly --config nightly.yaml --today 2026-11-02");
  ASSERT_EQ(ninth.code, 1) << ninth.err;
  EXPECT_NE(ninth.err.find("large table people: 1 range(s) read, 20 unchanged"), std::string::npos)
      << ninth.err;
  EXPECT_FALSE(fs::exists(key_hashes));
  const CommandResult tenth =
      RunDqaudit(dir, "nightly --config nightly.yaml --today 2026-11-02 --full");
  ASSERT_EQ(tenth.code, 1) << tenth.err;
  const std::vector<std::string> after_tear = RecordedResults(dir / "state" / "audit.db", 9);
  EXPECT_EQ(after_tear, RecordedResults(dir / "state" / "audit.db", 10));
  EXPECT_NE(after_tear, next_day);  // the copied code is one more duplicate
}

}  // namespace
}  // namespace command_line_test
}  // namespace dqa
