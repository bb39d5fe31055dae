// What `dqaudit report` leaves in its folder besides the reports: the list of every failing row
// of a check (numbers as numbers in both CSV styles), the period reports of quarters and years
// (and their exit codes), and the index page that links exactly the files that are there.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "core/cli/report_command.h"
#include "core/model/exit_codes.h"
#include "tests/report/synthetic_history.h"

namespace dqa {
namespace {

namespace fs = std::filesystem;
using testing::Civil;
using testing::Population;
using testing::SyntheticHistory;

constexpr int kListed = 1237;  // failing rows of the reconcile check, ground truth

std::string Read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Population with a reconcile-like check that lists its failing rows: the key (a CCCD with its
// leading zeros), then left, right and difference as the check writes them.
SourceResult WithListedRows() {
  SourceResult s = Population(0, 5);
  CheckResult r = testing::SyntheticCheck("doi_chieu_ho", "reconcile", "cong_dan", {"ma_xa"},
                                          Dimension::kValidity, Severity::kFail,
                                          Thresholds{{}, {int64_t{0}, std::nullopt}},
                                          Outcome::kFail, kListed, 5000);
  r.source = s.source;
  r.key_columns = {"so_cccd", "left", "right", "difference"};
  for (int i = 0; i < kListed; ++i) {
    r.failing_rows.push_back({fmt::format("0010890{:05}", i), "1.000", "12.5",
                              i % 2 == 0 ? "-11.5" : "1000"});
  }
  r.failing_rows_total = kListed;
  s.results.push_back(std::move(r));
  return s;
}

class ReportFilesTest : public ::testing::Test {
 protected:
  ReportFilesTest() : h_(::testing::UnitTest::GetInstance()->current_test_info()->name()) {
    h_.Record("2025-12-10", {Population(0, 5), Civil(0)});
    h_.Record("2026-02-20", {Population(0, 0), Civil(0)});
    h_.Record("2026-04-05", {WithListedRows(), Civil(0)});
    o_.history_path = h_.path();
    o_.out_dir = (h_.dir() / "reports").string();
  }

  int Run(std::string* out = nullptr, std::string* err = nullptr) {
    ::testing::internal::CaptureStdout();
    ::testing::internal::CaptureStderr();
    const int rc = cli::RunReportCommand(o_);
    const std::string o = ::testing::internal::GetCapturedStdout();
    const std::string e = ::testing::internal::GetCapturedStderr();
    if (out) *out = o;
    if (err) *err = e;
    return rc;
  }

  fs::path Out(const std::string& name) const { return fs::path(o_.out_dir) / name; }

  std::set<std::string> FilesInFolder() const {
    std::set<std::string> files;
    for (const auto& e : fs::directory_iterator(o_.out_dir)) {
      files.insert(e.path().filename().string());
    }
    return files;
  }

  SyntheticHistory h_;
  cli::ReportCommandOptions o_;
};

TEST_F(ReportFilesTest, FailingListBesideTheRunReportHasEveryKeyWithNumbersAsNumbers) {
  o_.formats = {"html"};
  std::string out, err;
  ASSERT_EQ(Run(&out, &err), kExitOk) << err;
  const std::string name = "failing-run-3-population-doi_chieu_ho.csv";
  EXPECT_NE(out.find(Out(name).string() + "\n"), std::string::npos) << out;
  const std::string vi = Read(Out(name));
  ASSERT_TRUE(vi.starts_with("\xEF\xBB\xBF" "so_cccd;left;right;difference\r\n")) << vi.substr(0, 80);
  size_t rows = 0;
  for (size_t at = vi.find("\r\n"); at != std::string::npos; at = vi.find("\r\n", at + 2)) ++rows;
  EXPECT_EQ(rows, kListed + 1u);  // the header and every failing row, not the 3 samples
  // excel-vi: decimal comma, the negative number not prefixed as a formula, the CCCD kept as text
  // with its leading zeros; "1.000" (one) is written "1,000", never read as a thousand.
  EXPECT_NE(vi.find("\r\n001089000000;1,000;12,5;-11,5\r\n"), std::string::npos);
  EXPECT_NE(vi.find("\r\n001089000001;1,000;12,5;1000\r\n"), std::string::npos);
  EXPECT_EQ(vi.find("'-"), std::string::npos);
  // The HTML report links the list, and says it has every row.
  const std::string html = Read(Out("dqaudit-run-3-vi.html"));
  EXPECT_NE(html.find("href=\"./" + name + "\">Tất cả 1.237 dòng lỗi (CSV)</a>"),
            std::string::npos);
  // The checks that keep only samples (the duplicates) get no list.
  EXPECT_FALSE(fs::exists(Out("failing-run-3-population-duplicate:cong_dan.so_cccd.csv")));

  o_.csv_style = "rfc4180";
  ASSERT_EQ(Run(), kExitOk);
  const std::string rfc = Read(Out(name));
  EXPECT_NE(rfc.find("\r\n001089000000,1.000,12.5,-11.5\r\n"), std::string::npos);
  EXPECT_EQ(rfc.find("'-"), std::string::npos);

  // `--failing` prints the same list.
  o_.formats.clear();
  o_.failing_check = "doi_chieu_ho";
  o_.out_dir.clear();
  ASSERT_EQ(Run(&out, &err), kExitOk) << err;
  EXPECT_EQ(out, rfc);
}

TEST_F(ReportFilesTest, QuarterAndYearReportsAndBadPeriods) {
  o_.formats = {"html", "json"};
  o_.period = "2026-Q2";
  std::string out, err;
  ASSERT_EQ(Run(&out, &err), kExitOk) << err;
  EXPECT_TRUE(fs::exists(Out("dqaudit-2026-Q2-vi.html")));
  const std::string html = Read(Out("dqaudit-2026-Q2-vi.html"));
  EXPECT_NE(html.find("<title>Báo cáo chất lượng dữ liệu quý 2/2026</title>"), std::string::npos);
  EXPECT_NE(html.find("So với quý 1/2026"), std::string::npos);
  const std::string json = Read(Out("dqaudit-2026-Q2-vi.json"));
  EXPECT_NE(json.find("\"period_kind\": \"quarter\""), std::string::npos);
  EXPECT_NE(json.find("\"previous_period\": \"2026-Q1\""), std::string::npos);
  EXPECT_NE(json.find("\"previous_runs\": 1"), std::string::npos);
  // 2025-Q4 is the store's first quarter: the report says there is nothing to compare with.
  o_.period = "2025-Q4";
  ASSERT_EQ(Run(&out, &err), kExitOk) << err;
  EXPECT_NE(Read(Out("dqaudit-2025-Q4-vi.html"))
                .find("Không có kỳ trước (quý 3/2025) trong kho lịch sử"),
            std::string::npos);

  o_.period = "2026";
  o_.lang = "en";
  ASSERT_EQ(Run(&out, &err), kExitOk) << err;
  const std::string year = Read(Out("dqaudit-2026-en.html"));
  EXPECT_NE(year.find("<title>Data-quality report for 2026</title>"), std::string::npos);
  EXPECT_NE(year.find("Against 2025"), std::string::npos);

  for (const char* bad : {"2026-Q5", "2026-13", "26"}) {
    o_.period = bad;
    ASSERT_EQ(Run(&out, &err), kExitUsage) << bad;
    EXPECT_NE(err.find(std::string("bad period '") + bad +
                       "': expected a month YYYY-MM (2026-10), a quarter YYYY-Qn"),
              std::string::npos)
        << err;
  }
  o_.period = "2026-Q3";
  ASSERT_EQ(Run(&out, &err), kExitUsage);
  EXPECT_NE(err.find("no complete or partial run in 2026-Q3"), std::string::npos) << err;
}

// The index page links every report file of the folder and nothing else.
TEST_F(ReportFilesTest, IndexPageLinksExactlyTheFilesThatAreThere) {
  o_.formats = {"html", "csv"};
  ASSERT_EQ(Run(), kExitOk);  // run 3, its failing list, index-vi.html
  o_.run_id = 1;
  ASSERT_EQ(Run(), kExitOk);
  o_.run_id = 0;
  o_.period = "2026-Q1";
  ASSERT_EQ(Run(), kExitOk);
  o_.period = "2026";
  o_.formats = {"json"};
  ASSERT_EQ(Run(), kExitOk);
  // A file that is not a report, and a report removed after the last index was written: the
  // next report rewrites the index.
  std::ofstream(Out("notes.txt")) << "x";
  fs::remove(Out("dqaudit-run-1-vi.csv"));
  o_.period = "2025-12";
  ASSERT_EQ(Run(), kExitOk);

  const std::string index = Read(Out("index-vi.html"));
  std::set<std::string> linked;
  const std::regex href("href=\"\\./([^\"]+)\"");
  for (auto it = std::sregex_iterator(index.begin(), index.end(), href);
       it != std::sregex_iterator(); ++it) {
    std::string name = (*it)[1].str();
    EXPECT_TRUE(fs::exists(Out(name))) << name;
    linked.insert(name);
  }
  std::set<std::string> expected = FilesInFolder();
  expected.erase("notes.txt");
  expected.erase("index-vi.html");
  EXPECT_EQ(linked, expected);
  // Run 3: html, csv and its failing list; run 1: html (its csv removed); 2026-Q1: html, csv;
  // 2026 and 2025-12: json.
  EXPECT_EQ(linked.size(), 8u);
  EXPECT_TRUE(linked.count("failing-run-3-population-doi_chieu_ho.csv"));
  // Every run of the store is listed, those without a file too, and the periods of its runs.
  EXPECT_NE(index.find("<tr><td>2</td><td>20/02/2026</td>"), std::string::npos);
  EXPECT_NE(index.find("quý 2/2026"), std::string::npos);
  EXPECT_NE(index.find("năm 2025"), std::string::npos);
}

}  // namespace
}  // namespace dqa
