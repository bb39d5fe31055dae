// Reports render a plugin's words (plugin ABI 1.4: message key, arguments and the plugin's texts
// carried with the result) and its metrics' names in their own language, with the language's
// numbers; an old plugin's plain text as written.
#include <gtest/gtest.h>

#include "core/i18n/catalog.h"
#include "reports/labels.h"

namespace dqa::reports {
namespace {

// A result as the host records a population.cccd check that used its words and a metric.
CheckResult CccdResult() {
  CheckResult r;
  r.type = "population.cccd";
  r.outcome = Outcome::kFail;
  r.violations = 212;
  r.rows_checked = 1000;
  r.thresholds.fail.max_count = 0;
  r.message = "not 12 digits: 142; unknown province code: 70; fail limit 0";
  r.message_key = "population.cccd.not_twelve_digits";
  r.message_args = {{"n_count", "142"},
                    {"n_count_1", "70"},
                    {"@vi:population.cccd.not_twelve_digits",
                     "không đủ 12 chữ số: {count}; mã tỉnh không tồn tại: {count_1}"},
                    {"@en:population.cccd.not_twelve_digits",
                     "not 12 digits: {count}; unknown province code: {count_1}"},
                    {"@vi:metric.amount_paid_after_death", "Số tiền chi trả sau khi mất (đồng)"},
                    {"@en:metric.amount_paid_after_death", "Amount paid after death (VND)"}};
  r.metrics = {{"amount_paid_after_death", 45360000}, {"cashless_coverage_percent", 85.2557},
               {"mobile", 1234.5}};
  return r;
}

TEST(PluginWordsTest, ReportsRenderAPluginsWordsInTheirLanguage) {
  const CheckResult r = CccdResult();
  const auto& vi = i18n::Catalog::BuiltIn(i18n::Language::kVi);
  const auto& en = i18n::Catalog::BuiltIn(i18n::Language::kEn);
  EXPECT_EQ(CheckMessage(vi, r),
            "không đủ 12 chữ số: 142; mã tỉnh không tồn tại: 70; " +
                vi.Format("threshold.max_count", {{"limit", "0"}, {"actual", "212"}}));
  EXPECT_EQ(CheckMessage(en, r),
            "not 12 digits: 142; unknown province code: 70; " +
                en.Format("threshold.max_count", {{"limit", "0"}, {"actual", "212"}}));
}

TEST(PluginWordsTest, MetricsHaveTheirNamesAndTheLanguagesNumbers) {
  const CheckResult r = CccdResult();
  EXPECT_EQ(MetricsText(i18n::Catalog::BuiltIn(i18n::Language::kVi), r),
            "Số tiền chi trả sau khi mất (đồng): 45.360.000; cashless_coverage_percent: " +
                i18n::Catalog::BuiltIn(i18n::Language::kVi).Percent(85.2557, 1) +
                "; mobile: 1.234,50");
  EXPECT_EQ(MetricsText(i18n::Catalog::BuiltIn(i18n::Language::kEn), r),
            "Amount paid after death (VND): 45,360,000; cashless_coverage_percent: 85.3%; "
            "mobile: 1,234.50");
}

TEST(PluginWordsTest, BuiltInMeasurementsAreNamedByTheCatalog) {
  CheckResult r;
  r.type = "reconcile";
  r.metrics = {{"left_total", 1710}, {"right_total", 1714}, {"unknown_thing", 2}};
  EXPECT_EQ(MetricsText(i18n::Catalog::BuiltIn(i18n::Language::kVi), r),
            "Tổng bên trái: 1.710; Tổng bên phải: 1.714; unknown_thing: 2");
  EXPECT_EQ(MetricsText(i18n::Catalog::BuiltIn(i18n::Language::kEn), r),
            "Left total: 1,710; Right total: 1,714; unknown_thing: 2");
}

TEST(PluginWordsTest, AnOldPluginsPlainMessageIsShownAsWritten) {
  CheckResult r;
  r.type = "legacy.check";
  r.outcome = Outcome::kWarn;
  r.message = "giá trị lạ: 3";
  for (const auto lang : {i18n::Language::kVi, i18n::Language::kEn}) {
    EXPECT_EQ(CheckMessage(i18n::Catalog::BuiltIn(lang), r), "giá trị lạ: 3");
  }
}

TEST(PluginWordsTest, IndicatorTitlesComeFromThePluginElseTheRecordedTitle) {
  Indicator cashless;
  cashless.id = "cashless";
  cashless.title = "Chi trả không dùng tiền mặt";
  const std::vector<std::pair<std::string, std::string>> texts = {
      {"@vi:indicator.cashless", "Chi trả không dùng tiền mặt"},
      {"@en:indicator.cashless", "Welfare paid cashless"}};
  const auto& vi = i18n::Catalog::BuiltIn(i18n::Language::kVi);
  const auto& en = i18n::Catalog::BuiltIn(i18n::Language::kEn);
  // Published by a plugin check (its own id differs from the indicator's).
  const CheckNaming plugin_check{.type = "social_protection.no_bank_account", .table = "doi_tuong"};
  EXPECT_EQ(IndicatorTitle(en, cashless, "tai_khoan", plugin_check, texts), "Welfare paid cashless");
  EXPECT_EQ(IndicatorTitle(vi, cashless, "tai_khoan", plugin_check, texts),
            "Chi trả không dùng tiền mặt");
  EXPECT_EQ(IndicatorTitle(en, cashless, "tai_khoan", plugin_check, {}),
            "Chi trả không dùng tiền mặt");  // the recorded title
  cashless.title.clear();
  EXPECT_EQ(IndicatorTitle(en, cashless, "tai_khoan", plugin_check, {}), "cashless");
  // An `indicator` check's own indicator is named by the check's title in the language.
  const CheckNaming indicator_check{
      .type = "indicator",
      .table = "chi_tra",
      .title = {{"vi", "Chi trả không dùng tiền mặt"}, {"en", "Cashless payments"}}};
  EXPECT_EQ(IndicatorTitle(en, cashless, "cashless", indicator_check, {}), "Cashless payments");
  EXPECT_EQ(IndicatorTitle(vi, cashless, "cashless", indicator_check, {}),
            "Chi trả không dùng tiền mặt");
}

}  // namespace
}  // namespace dqa::reports
