// Golden files for the JSON and CSV reports (run and month, Vietnamese and English), built from the
// synthetic history of tests/report/synthetic_history.h with fixed timestamps. A difference fails;
// DQA_UPDATE_GOLDEN=1 rewrites the files (then review `git diff tests/reports/golden`).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "core/i18n/catalog.h"
#include "core/report/report_data.h"
#include "reports/csv/csv_report.h"
#include "reports/json/json_report.h"
#include "tests/report/synthetic_history.h"
#include "tests/schema_validator.h"

namespace dqa::reports {
namespace {

using i18n::Catalog;
using i18n::Language;

namespace fs = std::filesystem;
using testing::SchemaValidator;
using testing::SyntheticHistory;

const fs::path kGoldenDir = fs::path(DQA_SOURCE_DIR) / "tests" / "reports" / "golden";

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> SchemaErrors(const nlohmann::json& doc) {
  const auto schema =
      nlohmann::json::parse(ReadFile(fs::path(DQA_SOURCE_DIR) / "docs" / "report.schema.json"));
  std::vector<std::string> errors;
  SchemaValidator(schema).Validate(doc, schema, "$", errors);
  return errors;
}

// Compares `actual` with the golden file `name`, or rewrites it under DQA_UPDATE_GOLDEN=1.
void ExpectGolden(const std::string& name, const std::string& actual) {
  const fs::path golden = kGoldenDir / name;
  const char* update = std::getenv("DQA_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream(golden, std::ios::binary | std::ios::trunc) << actual;
    return;
  }
  ASSERT_TRUE(fs::exists(golden)) << golden << " is missing; run with DQA_UPDATE_GOLDEN=1";
  const std::string expected = ReadFile(golden);
  if (expected == actual) return;
  const fs::path out = fs::temp_directory_path() / ("dqa_golden_actual_" + name);
  std::ofstream(out, std::ios::binary | std::ios::trunc) << actual;
  // The first line that differs, to point at the problem without a diff tool.
  std::istringstream e(expected);
  std::istringstream a(actual);
  std::string el;
  std::string al;
  int line = 0;
  while (true) {
    ++line;
    const bool more_e = static_cast<bool>(std::getline(e, el));
    const bool more_a = static_cast<bool>(std::getline(a, al));
    if (!more_e && !more_a) break;
    if (el != al || more_e != more_a) break;
  }
  ADD_FAILURE() << name << " differs from the golden file at line " << line << ":\n  golden: " << el
                << "\n  actual: " << al << "\nSee: diff -u " << golden << " " << out
                << "\nIf the change is intended: DQA_UPDATE_GOLDEN=1 and review git diff.";
}

class ReportGoldenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    history_ = std::make_unique<SyntheticHistory>(
        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    history_->RecordAll();
  }
  RunReport Run() {
    auto r = BuildRunReport(history_->store(), 5, ReportOptions{});
    EXPECT_TRUE(r.ok()) << r.status().message();
    r->generated_unix_ms = testing::kGeneratedMs;
    return std::move(r).value();
  }
  PeriodReport Month() {
    auto r = BuildPeriodReport(history_->store(), "2026-10", ReportOptions{});
    EXPECT_TRUE(r.ok()) << r.status().message();
    r->generated_unix_ms = testing::kGeneratedMs;
    return std::move(r).value();
  }
  std::unique_ptr<SyntheticHistory> history_;
};

TEST_F(ReportGoldenTest, RunJson) {
  const RunReport report = Run();
  ExpectGolden("run-5-vi.json", RenderRunReportJson(report, Catalog::BuiltIn(Language::kVi)));
  ExpectGolden("run-5-en.json", RenderRunReportJson(report, Catalog::BuiltIn(Language::kEn)));
}

TEST_F(ReportGoldenTest, RunCsv) {
  const RunReport report = Run();
  ExpectGolden("run-5-vi.csv", RenderRunReportCsv(report, Catalog::BuiltIn(Language::kVi)));
  ExpectGolden("run-5-en.csv", RenderRunReportCsv(report, Catalog::BuiltIn(Language::kEn)));
}

TEST_F(ReportGoldenTest, PeriodJson) {
  const PeriodReport report = Month();
  ExpectGolden("2026-10-vi.json", RenderPeriodReportJson(report, Catalog::BuiltIn(Language::kVi)));
  ExpectGolden("2026-10-en.json", RenderPeriodReportJson(report, Catalog::BuiltIn(Language::kEn)));
}

TEST_F(ReportGoldenTest, PeriodCsv) {
  const PeriodReport report = Month();
  ExpectGolden("2026-10-vi.csv", RenderPeriodReportCsv(report, Catalog::BuiltIn(Language::kVi)));
  ExpectGolden("2026-10-en.csv", RenderPeriodReportCsv(report, Catalog::BuiltIn(Language::kEn)));
}

// What the golden files hold, checked by meaning too (a golden file regenerated blindly would
// otherwise accept anything): numbers are numbers, labels follow the language.
TEST_F(ReportGoldenTest, JsonNumbersAndLabels) {
  const RunReport report = Run();
  const auto vi =
      nlohmann::json::parse(RenderRunReportJson(report, Catalog::BuiltIn(Language::kVi)));
  const auto en =
      nlohmann::json::parse(RenderRunReportJson(report, Catalog::BuiltIn(Language::kEn)));
  EXPECT_EQ(vi["report"], "run");
  EXPECT_EQ(vi["language"], "vi");
  EXPECT_EQ(vi["generated_at"], "2026-11-02T12:00:00Z");
  EXPECT_EQ(vi["title"], "Báo cáo chất lượng dữ liệu, lần quét 5 ngày 02/11/2026");
  EXPECT_EQ(en["title"], "Data-quality report, run 5 of 2026-11-02");
  EXPECT_EQ(vi["province"]["overall"].get<double>(), 68.75);
  EXPECT_EQ(vi["province"]["grade"], "average");
  EXPECT_EQ(vi["province"]["grade_label"], "Trung bình");
  EXPECT_EQ(en["province"]["grade_label"], "Average");
  EXPECT_EQ(vi["departments"][0]["department"], "Sở Tư pháp");
  EXPECT_TRUE(vi["departments"][1]["scores"]["dimensions"]["freshness"]["score"].is_null());
  const auto& pattern = vi["sources"][0]["checks"][0];
  EXPECT_TRUE(pattern["violations"].is_number_integer());
  EXPECT_EQ(pattern["violations"], 20);
  EXPECT_EQ(pattern["percent"].get<double>(), 2.0);
  EXPECT_EQ(pattern["outcome"], "fail");
  EXPECT_EQ(pattern["outcome_label"], "Không đạt");
  EXPECT_EQ(pattern["change"], "new_failure");
  EXPECT_EQ(pattern["change_label"], "Mới không đạt");
  EXPECT_EQ(pattern["anomaly"]["method"], "jump");
  EXPECT_EQ(pattern["samples"][0]["id"], "100");
  EXPECT_EQ(pattern["history"].size(), 5u);
  EXPECT_EQ(vi["worst_checks"][0]["check_id"], "duplicate:cong_dan.so_cccd");
  EXPECT_EQ(vi["worst_checks"][0]["score_loss"].get<double>(), 2.25);
  EXPECT_EQ(vi["previous_run"]["id"], 4);
  EXPECT_EQ(vi["run"]["finished_at"], "2026-09-26T14:14:20Z");
  // Indicators: the population one met, the civil one 5 points short of 95 (warn within 5).
  ASSERT_EQ(vi["indicators"].size(), 2u);
  EXPECT_EQ(vi["indicators"][0]["check_id"], "missing:cong_dan.ho_ten");
  EXPECT_EQ(vi["indicators"][0]["id"], "ho_ten_day_du");
  EXPECT_EQ(vi["indicators"][0]["numerator"], 997);
  EXPECT_EQ(vi["indicators"][0]["outcome"], "pass");
  EXPECT_EQ(vi["indicators"][0]["direction_label"], "Tối thiểu bằng chỉ tiêu");
  EXPECT_EQ(en["indicators"][0]["direction_label"], "At least the target");
  EXPECT_EQ(vi["indicators"][1]["id"], "cap_nhat_kip_thoi");
  EXPECT_EQ(vi["indicators"][1]["value"].get<double>(), 90.0);
  EXPECT_EQ(vi["indicators"][1]["outcome"], "warn");
  EXPECT_EQ(vi["indicators"][1]["outcome_label"], "Cảnh báo");

  const PeriodReport month = Month();
  const auto p =
      nlohmann::json::parse(RenderPeriodReportJson(month, Catalog::BuiltIn(Language::kVi)));
  EXPECT_EQ(p["report"], "period");
  EXPECT_EQ(p["title"], "Báo cáo chất lượng dữ liệu tháng 10/2026");
  EXPECT_EQ(p["runs"].size(), 3u);
  EXPECT_EQ(p["province"]["average"]["overall"].get<double>(), 89.0625);
  EXPECT_EQ(p["province"]["slope"].get<double>(), -9.375);
  EXPECT_EQ(p["province"]["worst_day"]["today"], "2026-10-19");
  EXPECT_EQ(p["departments"][0]["rank"], 1);
  EXPECT_EQ(p["checks"][2]["max_violations"], 5);
  EXPECT_EQ(p["checks"][4]["last_outcome_label"], "Lỗi");
  ASSERT_EQ(p["indicators"].size(), 2u);
  EXPECT_EQ(p["indicators"][0]["runs"], 3);
  EXPECT_EQ(p["indicators"][0]["met"], 3);
  EXPECT_EQ(p["indicators"][1]["id"], "cap_nhat_kip_thoi");
  EXPECT_EQ(p["indicators"][1]["runs"], 2);  // civil could not be scanned in run 3
  EXPECT_EQ(p["indicators"][1]["mean_value"].get<double>(), 100.0);
}

// docs/report.schema.json describes both documents exactly (every key, no other key), in both
// languages; a key added to the writer without the schema fails here.
TEST_F(ReportGoldenTest, JsonMatchesTheSchema) {
  const RunReport run = Run();
  const PeriodReport month = Month();
  for (Language lang : {Language::kVi, Language::kEn}) {
    const Catalog& catalog = Catalog::BuiltIn(lang);
    for (const std::string& text :
         {RenderRunReportJson(run, catalog), RenderPeriodReportJson(month, catalog)}) {
      const std::vector<std::string> errors = SchemaErrors(nlohmann::json::parse(text));
      EXPECT_TRUE(errors.empty()) << errors.size() << " problems, first: " << errors.front();
    }
  }
  // The validator does see problems.
  const auto good =
      nlohmann::json::parse(RenderRunReportJson(run, Catalog::BuiltIn(Language::kVi)));
  auto extra = good;
  extra["sources"][0]["checks"][0]["bogus"] = 1;
  auto grade = good;
  grade["province"]["grade"] = "excellent";
  auto day = good;
  day["run"]["today"] = "02/11/2026";
  auto missing = good;
  missing["departments"][0].erase("rank");
  for (const auto& bad : {extra, grade, day, missing}) EXPECT_FALSE(SchemaErrors(bad).empty());
}

TEST_F(ReportGoldenTest, CsvShape) {
  // Vietnamese: the excel-vi style by default (';', decimal comma, dd/mm/yyyy).
  const std::string vi = RenderRunReportCsv(Run(), Catalog::BuiltIn(Language::kVi));
  ASSERT_TRUE(vi.starts_with("\xEF\xBB\xBF")) << "UTF-8 byte-order mark";
  // Header + one row per check result (3 population + 2 civil), CRLF line ends.
  size_t rows = 0;
  for (size_t at = vi.find("\r\n"); at != std::string::npos; at = vi.find("\r\n", at + 2)) ++rows;
  EXPECT_EQ(rows, 6u);
  EXPECT_NE(vi.find("\xEF\xBB\xBFLần quét;Ngày;Sở, ngành;"), std::string::npos)
      << "';' separates; a comma needs no quotes";
  EXPECT_NE(vi.find("\r\n5;02/11/2026;Công an tỉnh;population;"), std::string::npos);
  EXPECT_NE(vi.find(";20;1000;2;"), std::string::npos) << "2% of the rows: an integer percent";
  EXPECT_NE(vi.find(";1,5;"), std::string::npos) << "score loss 1.5 with a decimal comma";
  // The message holds quotes: doubled quotes inside a quoted field.
  EXPECT_NE(vi.find("\"20 of 1000 rows violate \"\"pattern:cong_dan.so_dien_thoai\"\", see "
                    "samples\""),
            std::string::npos);
  // English: RFC 4180 by default, and either language can be asked for the other style.
  const std::string en = RenderRunReportCsv(Run(), Catalog::BuiltIn(Language::kEn));
  EXPECT_NE(en.find("\xEF\xBB\xBFRun,Day,Department,Source,Table,Check id"), std::string::npos);
  EXPECT_NE(en.find("\r\n5,2026-11-02,Công an tỉnh,population,"), std::string::npos);
  EXPECT_NE(en.find(",1.5,"), std::string::npos);
  EXPECT_NE(RenderRunReportCsv(Run(), Catalog::BuiltIn(Language::kEn), CsvStyle::kExcelVi)
                .find("\xEF\xBB\xBFRun;Day;Department;Source;Table;Check id"),
            std::string::npos);
  const std::string vi_rfc =
      RenderRunReportCsv(Run(), Catalog::BuiltIn(Language::kVi), CsvStyle::kRfc4180);
  EXPECT_NE(vi_rfc.find("\xEF\xBB\xBFLần quét,Ngày,\"Sở, ngành\","), std::string::npos);
  EXPECT_NE(vi_rfc.find("\r\n5,2026-11-02,"), std::string::npos);
}

}  // namespace
}  // namespace dqa::reports
