// CheckMessage: a check result's message in the report's language (docs/reports.md "Messages in
// the report's language"), and every message key the engine writes has words in every language.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "core/checks/catalog.h"
#include "core/i18n/catalog.h"
#include "reports/labels.h"
#include "tests/unit_support.h"

namespace dqa::reports {
namespace {

const i18n::Catalog& ViWords() { return i18n::Catalog::BuiltIn(i18n::Language::kVi); }
const i18n::Catalog& EnWords() { return i18n::Catalog::BuiltIn(i18n::Language::kEn); }

CheckResult MissingResult() {
  CheckResult r;
  r.id = "missing:cong_dan.ho_ten";
  r.type = "missing";
  r.outcome = Outcome::kFail;
  r.violations = 37;
  r.rows_checked = 7012;
  r.percent = 100.0 * 37 / 7012;
  r.thresholds.fail.max_percent = 0.5;
  r.message = "37 of 7012 rows (0.53%) are missing ho_ten; fail limit 0.5%";
  r.message_key = "check.missing";
  r.message_args = {{"n_violations", "37"}, {"n_rows", "7012"},
                    {"p_percent", "0.52766685681688535"}, {"columns", "ho_ten"}};
  return r;
}

TEST(CheckMessageTest, WordsInEachLanguageWithItsNumbersAndTheLimitInWords) {
  const CheckResult r = MissingResult();
  EXPECT_EQ(CheckMessage(ViWords(), r),
            "37/7.012 dòng (0,53%) thiếu ho_ten; tối đa 0,50% — thực tế 0,53%");
  EXPECT_EQ(CheckMessage(EnWords(), r),
            "37 of 7,012 rows (0.53%) are missing ho_ten; at most 0.50% — actual 0.53%");
}

TEST(CheckMessageTest, DatesDurationsAndWordArgumentsAreWrittenInTheLanguage) {
  CheckResult r;
  r.type = "stale";
  r.outcome = Outcome::kPass;
  r.message_key = "check.stale";
  r.message_args = {{"n_violations", "2"}, {"n_rows", "10"}, {"p_percent", "20"},
                    {"columns", "ngay_cap_nhat"}, {"t_older_than", "5y"},
                    {"d_before", "2021-11-01"}, {"n_unparseable", "3"}};
  EXPECT_EQ(CheckMessage(ViWords(), r),
            "2/10 giá trị (20%) của ngay_cap_nhat đã cũ hơn 5 năm (trước ngày 01/11/2021) (3 giá "
            "trị không đọc được thành ngày hoặc số)");
  CheckResult m;
  m.type = "metric";
  m.message_key = "check.metric.value";
  m.message_args = {{"w_stat", "metric_stat.quantile"}, {"x_q", "0.95"}, {"columns", "muc_huong"},
                    {"n_values", "2835"}, {"x_value", "2055000"}, {"n_unparseable", "0"}};
  EXPECT_EQ(CheckMessage(ViWords(), m), "Phân vị 0,95 của muc_huong là 2.055.000 (trên 2.835 giá trị)");
  EXPECT_EQ(CheckMessage(EnWords(), m), "The 0.95 quantile of muc_huong is 2,055,000 (over 2,835 values)");
}

TEST(CheckMessageTest, EnglishDurationsOfOneUnitAreSingular) {
  const std::pair<std::string, std::string> expected[] = {
      {"1h", "1 hour"}, {"1d", "1 day"}, {"1w", "1 week"}, {"1m", "1 month"}, {"1y", "1 year"},
      {"2h", "2 hours"}, {"30d", "30 days"}, {"0w", "0 weeks"}, {"11m", "11 months"},
      {"5y", "5 years"}};
  for (const auto& [rule, words] : expected) {
    EXPECT_EQ(WordsArg(EnWords(), "t_older_than", rule).second, words) << rule;
  }
  // Vietnamese has no plural: one word for every number.
  EXPECT_EQ(WordsArg(ViWords(), "t_older_than", "1d").second, "1 ngày");
  EXPECT_EQ(WordsArg(ViWords(), "t_older_than", "30d").second, "30 ngày");
  EXPECT_EQ(WordsArg(ViWords(), "t_older_than", "1y").second, "1 năm");
}

TEST(CheckMessageTest, DeliveryDueTimeIsWrittenInTheLanguageInTheDeliverysLocalTime) {
  CheckResult r;
  r.type = "delivery";
  r.outcome = Outcome::kFail;
  r.message_key = "check.delivery.missed";
  r.message_args = {{"t_every", "1d"}, {"by", "09:00"}, {"timezone", "Asia/Ho_Chi_Minh"},
                    {"m_due", "2026-11-04 09:00"}, {"n_violations", "2"}, {"n_rows", "7"}};
  EXPECT_EQ(CheckMessage(ViWords(), r),
            "Nộp dữ liệu mỗi 1 ngày trước 09:00 (Asia/Ho_Chi_Minh): lần nộp hạn 09:00 ngày "
            "04/11/2026 bị bỏ lỡ; 2/7 lần nộp đến hạn bị trễ hoặc bỏ lỡ");
  EXPECT_EQ(CheckMessage(EnWords(), r),
            "Delivery every 1 day by 09:00 (Asia/Ho_Chi_Minh): the delivery due 2026-11-04 at "
            "09:00 was missed; 2 of 7 due deliveries late or missed");
  // A result recorded before the kind (plain "due") keeps its text as written.
  r.message_args[3] = {"due", "2026-11-04 09:00"};
  EXPECT_NE(CheckMessage(EnWords(), r).find("due 2026-11-04 09:00 was missed"), std::string::npos);
}

TEST(CheckMessageTest, DeliverySamplesAreSaidInTheLanguage) {
  CheckResult r;
  r.type = "delivery";
  r.key_columns = {"due"};
  EXPECT_EQ(SampleText(ViWords(), r, {"2026-11-04 missed"}), "hạn 04/11/2026: không nộp");
  EXPECT_EQ(SampleText(EnWords(), r, {"2026-11-04 missed"}), "due 2026-11-04: missed");
  EXPECT_EQ(SampleText(ViWords(), r, {"2026-11-03 late 09:12"}),
            "hạn 03/11/2026: nộp trễ, lúc 09:12");
  EXPECT_EQ(SampleText(EnWords(), r, {"2026-11-03 late 09:12"}),
            "due 2026-11-03: late, delivered 09:12");
  EXPECT_EQ(SampleText(ViWords(), r, {"2026-11-02 late 2026-11-03 10:00"}),
            "hạn 02/11/2026: nộp trễ, lúc 10:00 ngày 03/11/2026");
  EXPECT_EQ(SampleText(EnWords(), r, {"2026-11-02 late 2026-11-03 10:00"}),
            "due 2026-11-02: late, delivered 2026-11-03 at 10:00");
  // Text of another form, and any other check's samples, stay "column=value".
  EXPECT_EQ(SampleText(ViWords(), r, {"2026-11-04 lost"}), "due=2026-11-04 lost");
  CheckResult other;
  other.type = "missing";
  other.key_columns = {"id"};
  EXPECT_EQ(SampleText(ViWords(), other, {"2026-11-04 missed"}), "id=2026-11-04 missed");
}

TEST(CheckMessageTest, YesNoChecksSayNoCountLimitAndTextOnlyMessagesGetTheLimitInWords) {
  CheckResult sql;
  sql.type = "sql";
  sql.outcome = Outcome::kFail;
  sql.violations = 1;
  sql.rows_checked = 1;
  sql.percent = 100;
  sql.message_key = "check.sql.at_most";
  sql.message_args = {{"x_value", "45"}, {"x_max", "0"}};
  EXPECT_EQ(CheckMessage(ViWords(), sql), "Truy vấn đếm được 45; yêu cầu nhiều nhất 0");

  // A plugin's own words stay as written; the English limit after them is said in Vietnamese.
  CheckResult plugin;
  plugin.type = "population.cccd";
  plugin.outcome = Outcome::kFail;
  plugin.violations = 142;
  plugin.rows_checked = 1000;
  plugin.percent = 14.2;
  plugin.message = "không đủ 12 chữ số: 142; fail limit 0";
  EXPECT_EQ(CheckMessage(ViWords(), plugin), "không đủ 12 chữ số: 142; tối đa 0 — thực tế 142");
  // A result recorded before messages had words, passing: as recorded.
  CheckResult old = MissingResult();
  old.message_key.clear();
  old.outcome = Outcome::kPass;
  EXPECT_EQ(CheckMessage(ViWords(), old), old.message);
}

// Every "check.*" key written by core/ exists in every language and leaves no placeholder empty
// of meaning ("⟦key⟧" is what a missing key renders).
TEST(CheckMessageTest, EveryMessageKeyOfTheEngineHasWordsInEveryLanguage) {
  const std::set<std::string> keys =
      KeyLiteralsIn("core", std::regex("\"(check\\.[a-z_]+(\\.[a-z_]+)*)\""));
  EXPECT_GE(keys.size(), 40u);
  for (const std::string& key : keys) {
    EXPECT_TRUE(ViWords().Has(key)) << key;
    EXPECT_TRUE(EnWords().Has(key)) << key;
  }
  // The statistics of metric, named by their parameter's choices.
  for (const auto& p : dqa::Catalog().Find("metric")->info().params) {
    if (p.name != "stat") continue;
    for (const std::string& stat : p.choices) {
      EXPECT_TRUE(ViWords().Has("metric_stat." + stat)) << stat;
      EXPECT_TRUE(EnWords().Has("metric_stat." + stat)) << stat;
    }
  }
}

}  // namespace
}  // namespace dqa::reports
