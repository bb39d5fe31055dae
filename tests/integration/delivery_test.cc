// Delivery cadences end to end (docs/checks.md "delivery"): `dqaudit nightly` and `dqaudit scan`
// run day after day over one department database whose file time and content change between
// runs; the delivery finding, its samples, the deliveries table and `dqaudit history deliveries`.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/sources/sqlite_db.h"
#include "tests/integration/support.h"

namespace dqa {
namespace delivery_test {
namespace {

using test_support::Quote;
using test_support::ReadFile;
using test_support::RunShell;
using test_support::Sha256;

namespace fs = std::filesystem;

// The next row of `stmt`; false at the end or on an error.
bool Next(Statement& stmt) {
  Result<bool> row = stmt.Step();
  return row.ok() && *row;
}

// The delivery finding of the newest run, as recorded in the history store.
struct Finding {
  std::string outcome;
  int64_t violations = -1;
  int64_t rows_checked = -1;
  std::string message;
  std::vector<std::string> samples;
  bool carried = false;  // the source was carried over from an earlier run
};

class DeliveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::path(DQA_WORK_DIR) / "delivery" / info->name();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto db = SqliteDb::OpenReadWrite((dir_ / "dept.db").string(), true);
    ASSERT_TRUE(db.ok()) << db.status().message();
    ASSERT_TRUE((*db)->Exec("CREATE TABLE ho_so (id INTEGER PRIMARY KEY, ngay TEXT);"
                            "INSERT INTO ho_so (ngay) VALUES ('2026-10-30'), ('2026-10-31');")
                    .ok());
    WriteRules("delivery: {every: 1d, by: \"07:00\"}\n");
    std::ofstream(dir_ / "nightly.yaml") << "rules: rules.yaml\nhistory: audit.db\njobs: 1\n"
                                            "log: {file: nightly.log}\nkeep: 400d\n"
                                            "rescan_after: 7d\n";
  }

  void WriteRules(const std::string& delivery) {
    std::ofstream(dir_ / "rules.yaml") << "source: dept\ndepartment: \"Sở Thử\"\n"
                                          "database: sqlite:dept.db\n"
                                       << delivery
                                       << "tables:\n  ho_so:\n    checks:\n"
                                          "      - row_count: {min: 1}\n";
  }

  // Sets the database's modification time ("2026-11-03 09:12" at +07:00).
  void Touch(const std::string& local) {
    ASSERT_EQ(RunShell("touch -d " + Quote(local + " +0700") + " " +
                       Quote((dir_ / "dept.db").string())),
              0);
  }

  int Run(const std::string& command) {
    return RunShell("cd " + Quote(dir_.string()) + " && " + Quote(DQA_BINARY) + " " + command +
                    " >out.txt 2>err.txt");
  }
  int Nightly(const std::string& today) {
    return Run("nightly --config nightly.yaml --today " + today);
  }
  std::string Out() const { return ReadFile(dir_ / "out.txt"); }

  Finding Last() {
    Finding f;
    auto db = SqliteDb::OpenReadOnly((dir_ / "audit.db").string());
    EXPECT_TRUE(db.ok());
    if (!db.ok()) return f;
    auto stmt = (*db)->Prepare(
        "SELECT c.outcome, c.violations, c.rows_checked, c.message, c.id, "
        "s.carried_from_run IS NOT NULL FROM check_results c JOIN sources s ON s.id = c.source_id "
        "WHERE c.check_id = 'delivery:dept' ORDER BY c.run_id DESC LIMIT 1");
    EXPECT_TRUE(stmt.ok());
    if (!stmt.ok() || !Next(*stmt)) return f;
    f.outcome = stmt->ColumnText(0);
    f.violations = stmt->ColumnInt(1);
    f.rows_checked = stmt->ColumnInt(2);
    f.message = stmt->ColumnText(3);
    const int64_t result_id = stmt->ColumnInt(4);
    f.carried = stmt->ColumnInt(5) != 0;
    auto samples = (*db)->Prepare("SELECT key FROM samples WHERE result_id = " +
                                  std::to_string(result_id) + " ORDER BY ordinal");
    while (samples.ok() && Next(*samples)) {
      f.samples.emplace_back(samples->ColumnText(0));
    }
    return f;
  }

  // "changed" of every deliveries row, oldest run first ("1,1,0").
  std::string Changes() {
    auto db = SqliteDb::OpenReadOnly((dir_ / "audit.db").string());
    std::string out;
    auto stmt = (*db)->Prepare("SELECT changed FROM deliveries ORDER BY run_id");
    while (stmt.ok() && Next(*stmt)) {
      out += (out.empty() ? "" : ",") + std::string(stmt->ColumnText(0));
    }
    return out;
  }

  fs::path dir_;
};

TEST_F(DeliveryTest, NightlyJudgesEachDayFromTheRecordedDeliveries) {
  // Day 1, first run: judged on the file time alone.
  Touch("2026-11-01 06:30");
  const std::string before = Sha256(dir_ / "dept.db");
  ASSERT_EQ(Nightly("2026-11-01"), 0) << ReadFile(dir_ / "err.txt");
  Finding f = Last();
  EXPECT_EQ(f.outcome, "pass");
  EXPECT_EQ(f.violations, 0);
  EXPECT_EQ(f.rows_checked, 1);
  EXPECT_EQ(f.message,
            "Delivery every 1d by 07:00 (Asia/Ho_Chi_Minh): the delivery due 2026-11-01 07:00 was "
            "on time (2026-11-01 06:30); 0 of 1 due deliveries late or missed; file time "
            "2026-11-01 06:30");
  EXPECT_EQ(Sha256(dir_ / "dept.db"), before);  // read, never written

  // Day 2: a new file one minute before the due time.
  Touch("2026-11-02 06:59");
  ASSERT_EQ(Nightly("2026-11-02"), 0);
  f = Last();
  EXPECT_EQ(f.outcome, "pass");
  EXPECT_EQ(f.rows_checked, 2);

  // Day 3: delivered at 09:12, late.
  Touch("2026-11-03 09:12");
  ASSERT_EQ(Nightly("2026-11-03"), 0);  // warn: exit 0
  f = Last();
  EXPECT_EQ(f.outcome, "warn");
  EXPECT_EQ(f.violations, 1);
  EXPECT_EQ(f.samples, (std::vector<std::string>{R"({"due":"2026-11-03 late 09:12"})"}));

  // Day 4: nothing changed.
  ASSERT_EQ(Nightly("2026-11-04"), 0);
  f = Last();
  EXPECT_EQ(f.outcome, "warn");
  EXPECT_EQ(f.violations, 2);
  EXPECT_EQ(f.rows_checked, 4);
  EXPECT_EQ(f.samples, (std::vector<std::string>{R"({"due":"2026-11-04 missed"})",
                                                 R"({"due":"2026-11-03 late 09:12"})"}));

  // Day 5: new content delivered exactly at 07:00.
  {
    auto db = SqliteDb::OpenReadWrite((dir_ / "dept.db").string(), false);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Exec("INSERT INTO ho_so (ngay) VALUES ('2026-11-04')").ok());
  }
  Touch("2026-11-05 07:00");
  ASSERT_EQ(Nightly("2026-11-05"), 0);
  f = Last();
  EXPECT_EQ(f.outcome, "pass");
  EXPECT_EQ(f.violations, 2);
  EXPECT_EQ(f.rows_checked, 5);
  EXPECT_EQ(Changes(), "1,1,1,0,1");

  // The committee moves the deadline to 06:00. The plan of the scanned checks is unchanged, so
  // the same day's run carries the source over; its delivery finding is judged again.
  WriteRules("delivery: {every: 1d, by: \"06:00\", severity: fail}\n");
  ASSERT_EQ(Nightly("2026-11-05"), 1);
  f = Last();
  EXPECT_TRUE(f.carried);
  EXPECT_EQ(f.outcome, "fail");
  EXPECT_EQ(f.violations, 5);
  EXPECT_EQ(f.samples[0], R"({"due":"2026-11-05 late 07:00"})");
  EXPECT_EQ(f.samples[4], R"({"due":"2026-11-01 late 06:30"})");
  EXPECT_EQ(Changes(), "1,1,1,0,1,0");

  // What the committee reads.
  ASSERT_EQ(Run("history deliveries"), 0);
  const std::string listing = Out();
  EXPECT_NE(listing.find("    1  2026-11-01  dept                  delivered  2026-11-01 06:30  -"
                         "                 2026-11-01 07:00  on time"),
            std::string::npos)
      << listing;
  EXPECT_NE(listing.find("    3  2026-11-03  dept                  delivered  2026-11-03 09:12  -"
                         "                 2026-11-03 07:00  late"),
            std::string::npos)
      << listing;
  EXPECT_NE(listing.find("    4  2026-11-04  dept                  unchanged  2026-11-03 09:12  -"
                         "                 2026-11-04 07:00  missed"),
            std::string::npos)
      << listing;
  EXPECT_EQ(test_support::Count(listing, "\n"), 7u);  // header and six runs
  ASSERT_EQ(Run("history deliveries --days 2"), 0);
  EXPECT_EQ(test_support::Count(Out(), "\n"), 4u);  // 2026-11-04 and the two of 2026-11-05
  ASSERT_EQ(Run("history deliveries --source other"), 0);
  EXPECT_EQ(Out(), "no deliveries recorded for source other in audit.db\n");

  // The finding, with the days it names, in every report format.
  ASSERT_EQ(Run("report --history audit.db --format html,json,csv,xlsx --out reports"), 0)
      << ReadFile(dir_ / "err.txt");
  // The reports people read say the days in Vietnamese; JSON keeps the recorded text.
  for (const char* ext : {"html", "json", "csv"}) {
    const std::string text = ReadFile(dir_ / "reports" / (std::string("dqaudit-run-6-vi.") + ext));
    EXPECT_NE(text.find("delivery:dept"), std::string::npos) << ext;
    const bool words = std::string(ext) != "json";
    EXPECT_EQ(text.find("hạn 04/11/2026: không nộp") != std::string::npos, words) << ext;
    EXPECT_EQ(text.find("2026-11-04 missed") != std::string::npos, !words) << ext;
  }
  ASSERT_EQ(RunShell("unzip -p " + Quote((dir_ / "reports" / "dqaudit-run-6-vi.xlsx").string()) +
                     " xl/sharedStrings.xml > " + Quote((dir_ / "strings.xml").string())),
            0);
  const std::string strings = ReadFile(dir_ / "strings.xml");
  EXPECT_NE(strings.find("delivery:dept"), std::string::npos);
  EXPECT_NE(strings.find("hạn 04/11/2026: không nộp"), std::string::npos);
}

TEST_F(DeliveryTest, ScanWithTodayRecordsDeliveriesAndFailsWithSeverityFail) {
  WriteRules("delivery:\n  every: 1w\n  by: \"07:00\"\n  severity: fail\n"
             "  record_time: {table: ho_so, column: ngay}\n");
  // Wednesday 2026-11-04: due Monday 2026-11-02 07:00; the file came on Tuesday.
  Touch("2026-11-03 10:00");
  ASSERT_EQ(Run("scan rules.yaml --history audit.db --today 2026-11-04 --json out.json"), 1);
  Finding f = Last();
  EXPECT_EQ(f.outcome, "fail");
  EXPECT_EQ(f.samples, (std::vector<std::string>{R"({"due":"2026-11-02 late 2026-11-03 10:00"})"}));
  EXPECT_TRUE(f.message.ends_with("; file time 2026-11-03 10:00; newest record 2026-10-31 00:00"))
      << f.message;
  const std::string json = ReadFile(dir_ / "out.json");
  EXPECT_NE(json.find("\"id\": \"delivery:dept\""), std::string::npos);
  // The next week's file, on time: a pass, and the earlier week still counts as late.
  Touch("2026-11-09 06:00");
  ASSERT_EQ(Run("scan rules.yaml --history audit.db --today 2026-11-10"), 0);
  f = Last();
  EXPECT_EQ(f.outcome, "pass");
  EXPECT_EQ(f.violations, 1);
  EXPECT_EQ(f.rows_checked, 2);
}

}  // namespace
}  // namespace delivery_test
}  // namespace dqa
