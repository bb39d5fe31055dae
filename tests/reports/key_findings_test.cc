// The first screen of the reports (docs/reports.md "First screen"): the key findings in words,
// the departments worst first with "not measured", the grade legend, the issuer and local times.
#include "reports/key_findings.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "core/report/key_findings.h"
#include "core/util/local_time.h"
#include "reports/html/html_report.h"
#include "tests/report/synthetic_history.h"
#include "tests/unit_support.h"

namespace dqa::reports {
namespace {

using i18n::Catalog;
using i18n::Language;
using testing::SyntheticHistory;

const Catalog& ViCatalog() { return Catalog::BuiltIn(Language::kVi); }
const Catalog& EnCatalog() { return Catalog::BuiltIn(Language::kEn); }

// Run 5 of the synthetic history (numbers in tests/report/report_data_test.cc): Công an tỉnh
// 56.25 (pattern 20 violations costs 1.5, duplicate 5 costs 2.25; no freshness check), Sở Tư pháp
// 84.375 (stale warns, 0.3125; no completeness or uniqueness check). Compared with run 4, whose
// sources were not scanned.
class KeyFindingsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    history_ = std::make_unique<SyntheticHistory>(
        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    history_->RecordAll();
  }
  RunReport Run(int64_t id) {
    auto report = BuildRunReport(history_->store(), id, ReportOptions{});
    EXPECT_TRUE(report.ok()) << report.status().message();
    return std::move(report).value();
  }
  std::unique_ptr<SyntheticHistory> history_;
};

TEST_F(KeyFindingsTest, DepartmentsWorstFirstWithNotMeasuredDimensions) {
  const KeyFindings f = FindKeyFindings(Run(5));
  ASSERT_EQ(f.ranking.size(), 2u);
  EXPECT_EQ(f.ranking[0].department, "Công an tỉnh");  // 56.25 before 84.375
  EXPECT_EQ(f.ranking[0].rank, 2);                      // the report's rank (1 = best) is kept
  EXPECT_EQ(f.ranking[1].department, "Sở Tư pháp");
  const auto& police = f.ranking[0].dimensions;
  EXPECT_DOUBLE_EQ(*police[static_cast<size_t>(Dimension::kValidity)], 25);
  EXPECT_FALSE(police[static_cast<size_t>(Dimension::kFreshness)].has_value());
  const auto& justice = f.ranking[1].dimensions;
  EXPECT_FALSE(justice[static_cast<size_t>(Dimension::kCompleteness)].has_value());
  EXPECT_FALSE(justice[static_cast<size_t>(Dimension::kUniqueness)].has_value());
  // The costliest checks first, only those that cost something.
  ASSERT_EQ(f.ranking[0].costly.size(), 2u);
  EXPECT_EQ(f.ranking[0].costly[0].check_id, "duplicate:cong_dan.so_cccd");
  EXPECT_EQ(f.ranking[0].costly[1].check_id, "pattern:cong_dan.so_dien_thoai");
  EXPECT_EQ(f.worst, (std::vector<size_t>{0, 1}));
}

TEST_F(KeyFindingsTest, RunSentencesInVietnameseAndEnglish) {
  RunReport run = Run(5);
  run.schedule = {{"2026-11-16", "Sở Tư pháp", 2, 12.3, {}},
                  {"2026-11-09", "Công an tỉnh", 1, 87.5, {}}};
  const KeyFindings f = FindKeyFindings(run);
  EXPECT_EQ(
      KeyFindingSentences(ViCatalog(), f),
      (std::vector<std::string>{
          "Công an tỉnh (hạng 2/2, điểm chung 56,2, Yếu) bị trừ điểm nhiều nhất ở: "
          "“so_cccd trùng” (5 vi phạm, 0,50%); “so_dien_thoai sai định dạng” (20 vi "
          "phạm, 2,0%).",
          "Sở Tư pháp (hạng 1/2, điểm chung 84,4, Khá) bị trừ điểm nhiều nhất ở: "
          "“ngay_cap_nhat đã quá cũ” (50 vi phạm, 10,0%).",
          "Tốt lên so với lần quét 4 ngày 26/10/2026: điểm chung của Sở Tư pháp tăng 34,4; điểm "
          "chung của Công an tỉnh tăng 6,2.",
          "Xấu đi so với lần quét 4 ngày 26/10/2026: 2 kiểm tra mới không đạt: "
          "“so_dien_thoai sai định dạng” (Công an tỉnh), “so_cccd trùng” (Công an "
          "tỉnh).",
          "Kế hoạch kiểm tra: 2 cuộc kiểm tra từ 09/11/2026 đến 16/11/2026; sắp tới: Công an tỉnh "
          "ngày 09/11/2026, Sở Tư pháp ngày 16/11/2026.",
          "Chỉ tiêu: 1/2 đạt mục tiêu; chưa đạt: cap_nhat_kip_thoi của Sở Tư pháp 90,00% (≥ 95%)."}));
  EXPECT_EQ(KeyFindingSentences(EnCatalog(), f),
            (std::vector<std::string>{
                "Công an tỉnh (rank 2 of 2, overall 56.2, Poor) lost most on: "
                "“Duplicate so_cccd” (violations: 5, 0.50%); “so_dien_thoai in the wrong format” "
                "(violations: 20, 2.0%).",
                "Sở Tư pháp (rank 1 of 2, overall 84.4, Fair) lost most on: "
                "“ngay_cap_nhat: values too old” (violations: 50, 10.0%).",
                "Better since run 4 of 2026-10-26: Sở Tư pháp overall up 34.4; Công an tỉnh overall "
                "up 6.2.",
                "Worse since run 4 of 2026-10-26: 2 checks newly failing: "
                "“so_dien_thoai in the wrong format” (Công an tỉnh), “Duplicate so_cccd” (Công an "
                "tỉnh).",
                "Inspection plan: 2 inspections from 2026-11-09 to 2026-11-16; next: Công an tỉnh "
                "on 2026-11-09, Sở Tư pháp on 2026-11-16.",
                "Indicators: 1 of 2 meet their target; not met: cap_nhat_kip_thoi of Sở Tư pháp "
                "90.00% (≥ 95%)."}));
}

TEST_F(KeyFindingsTest, AnIndicatorPublishedTwiceIsSaidOnce) {
  const RunReport run = Run(5);  // the findings point into it
  KeyFindings f = FindKeyFindings(run);
  ASSERT_EQ(f.indicators.size(), 2u);
  const std::string once = KeyFindingSentences(EnCatalog(), f).back();
  EXPECT_EQ(once,
            "Indicators: 1 of 2 meet their target; not met: cap_nhat_kip_thoi of Sở Tư pháp "
            "90.00% (≥ 95%).");
  // The same figures from a second check (a sector plugin's and a rule's, say), both indicators.
  const std::vector<ReportIndicator> both = f.indicators;
  f.indicators.insert(f.indicators.end(), both.begin(), both.end());
  EXPECT_EQ(KeyFindingSentences(EnCatalog(), f).back(), once);
  // Another department's same indicator is another finding.
  ReportIndicator other = both[0].outcome == Outcome::kPass ? both[1] : both[0];
  other.department = "Công an tỉnh";
  f.indicators.push_back(other);
  EXPECT_EQ(KeyFindingSentences(EnCatalog(), f).back(),
            "Indicators: 1 of 3 meet their target; not met: cap_nhat_kip_thoi of Sở Tư pháp "
            "90.00% (≥ 95%); cap_nhat_kip_thoi of Công an tỉnh 90.00% (≥ 95%).");
}

TEST_F(KeyFindingsTest, FirstRunAndNoScheduleSaySo) {
  const KeyFindings f = FindKeyFindings(Run(1));  // everything passes, nothing before it
  EXPECT_EQ(KeyFindingSentences(ViCatalog(), f),
            (std::vector<std::string>{
                "Không sở, ngành nào bị trừ điểm: mọi kiểm tra đều đạt.",
                "Chưa có lần quét trước để so sánh.",
                "Chưa có kế hoạch kiểm tra cho báo cáo này (chưa cấu hình lịch kiểm tra).",
                "Chỉ tiêu: 2/2 đạt mục tiêu."}));
  EXPECT_EQ(KeyFindingSentences(EnCatalog(), f),
            (std::vector<std::string>{
                "No department lost points: every check passed.",
                "No earlier run to compare with.",
                "No inspection plan for this report (no schedule configuration).",
                "Indicators: 2 of 2 meet their target."}));
}

TEST_F(KeyFindingsTest, PeriodComparesTheFirstRunWithTheLast) {
  auto report = BuildPeriodReport(history_->store(), "2026-10", ReportOptions{});
  ASSERT_TRUE(report.ok()) << report.status().message();
  const KeyFindings f = FindKeyFindings(*report);
  ASSERT_EQ(f.ranking.size(), 2u);
  // Runs 1-3 (run 4 failed): Sở Tư pháp 100, 100, then not scanned (50): average 83.3, down 50;
  // Công an tỉnh 100, 81.25 (5 duplicates), 100: average 93.8, first and last alike.
  EXPECT_EQ(f.ranking[0].department, "Sở Tư pháp");
  EXPECT_EQ(f.ranking[1].department, "Công an tỉnh");
  EXPECT_EQ(KeyFindingSentences(ViCatalog(), f),
            (std::vector<std::string>{
                "Sở Tư pháp (hạng 2/2, điểm chung 83,3, Khá) bị trừ điểm nhiều nhất ở: "
                "“ngay_sinh ngoài khoảng cho phép” (chưa đạt 1/3 lần quét); “ngay_cap_nhat đã quá cũ” "
                "(chưa đạt 1/3 lần quét).",
                "Công an tỉnh (hạng 1/2, điểm chung 93,8, Tốt) bị trừ điểm nhiều nhất ở: "
                "“so_cccd trùng” (chưa đạt 1/3 lần quét).",
                "Không có gì tốt lên từ lần quét đầu đến lần quét cuối của kỳ.",
                "Xấu đi từ lần quét đầu đến lần quét cuối của kỳ: điểm chung của Sở Tư pháp giảm "
                "50,0.",
                "Chưa có kế hoạch kiểm tra cho báo cáo này (chưa cấu hình lịch kiểm tra).",
                "Chỉ tiêu: 2/2 đạt mục tiêu."}));
  EXPECT_EQ(KeyFindingSentences(EnCatalog(), f),
            (std::vector<std::string>{
                "Sở Tư pháp (rank 2 of 2, overall 83.3, Fair) lost most on: "
                "“ngay_sinh out of range” (did not pass 1 of 3 runs); "
                "“ngay_cap_nhat: values too old” (did not pass 1 of 3 runs).",
                "Công an tỉnh (rank 1 of 2, overall 93.8, Good) lost most on: "
                "“Duplicate so_cccd” (did not pass 1 of 3 runs).",
                "Nothing got better from the first to the last run of the period.",
                "Worse from the first to the last run of the period: Sở Tư pháp overall down 50.0.",
                "No inspection plan for this report (no schedule configuration).",
                "Indicators: 2 of 2 meet their target."}));
}

TEST(GradeLegendTest, BoundsFromTheScoringConfiguration) {
  EXPECT_EQ(GradeLegend(ViCatalog(), GradeCuts{}),
            (std::vector<std::string>{"Tốt: từ 90", "Khá: từ 75 đến dưới 90",
                                      "Trung bình: từ 60 đến dưới 75", "Yếu: từ 40 đến dưới 60",
                                      "Kém: dưới 40"}));
  const GradeCuts strict{.good = 95, .fair = 82.5, .average = 70, .poor = 50};
  EXPECT_EQ(GradeLegend(EnCatalog(), strict),
            (std::vector<std::string>{"Good: 95 and above", "Fair: 82.5 to under 95",
                                      "Average: 70 to under 82.5", "Poor: 50 to under 70",
                                      "Bad: under 50"}));
}

TEST(LocalTimeTest, EveningInUtcIsTheNextMorningInHoChiMinhCity) {
  const int64_t ms = 1796502600000;  // 2026-12-05T20:30:00Z
  const LocalTime t = ToLocalTime(ms, "Asia/Ho_Chi_Minh");
  EXPECT_EQ(t.day, "2026-12-06");
  EXPECT_EQ(t.time, "03:30");
  EXPECT_EQ(t.offset_minutes, 420);
  EXPECT_EQ(OffsetText(t.offset_minutes), "+07:00");
  EXPECT_EQ(ToLocalTime(ms, "UTC").day, "2026-12-05");
  EXPECT_EQ(ToLocalTime(ms, "America/Sao_Paulo").time, "17:30");
  EXPECT_EQ(OffsetText(-210), "-03:30");
  EXPECT_TRUE(ValidateTimeZone("Asia/Ho_Chi_Minh").ok());
  const Status bad = ValidateTimeZone("Asia/Hanoi_City");
  EXPECT_EQ(bad.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.message(),
            "unknown time zone 'Asia/Hanoi_City' (expected an IANA name such as Asia/Ho_Chi_Minh)");
  ReportIssuer who;
  EXPECT_EQ(LocalTimeText(ViCatalog(), ms, who), "06/12/2026 lúc 03:30");
  EXPECT_EQ(LocalTimeText(EnCatalog(), ms, who), "2026-12-06 at 03:30");
}

// The HTML report of a run recorded at 20:30 UTC gives its times on the committee's clock, says
// who issued it for where, and never writes UTC.
TEST_F(KeyFindingsTest, HtmlFirstScreenLocalTimesIssuerAndWorstFirst) {
  RunReport run = Run(5);
  run.run.started_unix_ms = 1796502600000;  // 2026-12-05T20:30:00Z
  run.run.finished_unix_ms = 1796502660000;
  run.generated_unix_ms = 1796502720000;
  run.issuer = {"Ban Chỉ đạo chuyển đổi số tỉnh", "Tỉnh Bình Minh", "Asia/Ho_Chi_Minh"};
  const std::string html = RenderRunReportHtml(run, ViCatalog());
  EXPECT_EQ(html.find("UTC"), std::string::npos);
  EXPECT_NE(html.find("Bắt đầu: <b>06/12/2026 lúc 03:30</b>"), std::string::npos);
  EXPECT_NE(html.find("Kết thúc: <b>06/12/2026 lúc 03:31</b>"), std::string::npos);
  EXPECT_NE(html.find("Lập lúc 06/12/2026 lúc 03:32"), std::string::npos);
  EXPECT_NE(html.find("Cơ quan ban hành: <b>Ban Chỉ đạo chuyển đổi số tỉnh</b>"),
            std::string::npos);
  EXPECT_NE(html.find("Địa bàn: <b>Tỉnh Bình Minh</b>"), std::string::npos);
  EXPECT_NE(html.find("Giờ: <b>giờ địa phương (Asia/Ho_Chi_Minh, GMT+07:00)</b>"),
            std::string::npos);
  // The findings box comes before the province's scores; the ranking lists the worst first,
  // with "Chưa đo" where a department has no check, then the grade legend.
  const size_t box = html.find("<h2>Điểm chính</h2>");
  const size_t summary = html.find("<section class=\"summary\">");
  ASSERT_NE(box, std::string::npos);
  EXPECT_LT(box, summary);
  const size_t ranking = html.find("<table class=\"ranking\">");
  const size_t police = html.find("<a href=\"#d2\">Công an tỉnh</a>", ranking);
  const size_t justice = html.find("<a href=\"#d1\">Sở Tư pháp</a>", ranking);
  EXPECT_LT(police, justice);
  const size_t police_row_end = html.find("</tr>", police);
  EXPECT_NE(html.substr(police, police_row_end - police).find("<td class=\"n muted\">Chưa đo</td>"),
            std::string::npos);
  EXPECT_NE(html.find("<span class=\"badge g-good\">Tốt: từ 90</span>"), std::string::npos);
  const std::string en = RenderRunReportHtml(run, EnCatalog());
  EXPECT_EQ(en.find("UTC"), std::string::npos);
  EXPECT_NE(en.find("Started: <b>2026-12-06 at 03:30</b>"), std::string::npos);
  EXPECT_NE(en.find("<h2>Key findings</h2>"), std::string::npos);
}

// Every key the first screen asks for exists in both languages (a missing one would show as
// ⟦key⟧ in a report).
TEST(KeyFindingsCatalogTest, EveryFindingsKeyHasWordsInEveryLanguage) {
  const std::set<std::string> keys =
      KeyLiteralsIn("reports", std::regex("\"(findings\\.[a-z_]+)\""));
  EXPECT_GE(keys.size(), 40u);
  for (const std::string& key : keys) {
    EXPECT_TRUE(ViCatalog().Has(key)) << key;
    EXPECT_TRUE(EnCatalog().Has(key)) << key;
  }
}

}  // namespace
}  // namespace dqa::reports
