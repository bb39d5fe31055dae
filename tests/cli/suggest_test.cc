// Did-you-mean: department names compared without accents or case (Vietnamese tone and vowel
// marks, đ), nearest first and never an unrelated name; the exit-code footer of --help.
#include "core/cli/suggest.h"

#include <gtest/gtest.h>

#include "core/cli/help_footer.h"

namespace dqa::cli {
namespace {

const std::vector<std::string> kDepartments = {"Sở Tư pháp", "Sở Y tế",
                                               "Sở Lao động - Thương binh và Xã hội",
                                               "Sở Giáo dục và Đào tạo", "Công an tỉnh"};

TEST(SuggestTest, FoldsVietnameseAccentsCaseAndSpaces) {
  EXPECT_EQ(FoldForMatching("Sở Tư  pháp"), "so tu phap");
  EXPECT_EQ(FoldForMatching("SỞ TƯ PHÁP"), "so tu phap");
  EXPECT_EQ(FoldForMatching("Sở Giáo dục và Đào tạo"), "so giao duc va dao tao");
  // Decomposed input (NFD) folds the same.
  EXPECT_EQ(FoldForMatching("So\u031B\u0309 Tu\u031B pha\u0301p"), "so tu phap");
}

TEST(SuggestTest, NearestDepartmentsWithoutAccents) {
  EXPECT_EQ(NearestNames("so tu phap", kDepartments, 3), (std::vector<std::string>{"Sở Tư pháp"}));
  // Nearest first: "so y phap" is 2 edits from "so tu phap" and 4 from "so y te".
  EXPECT_EQ(NearestNames("Sở Y pháp", kDepartments, 3),
            (std::vector<std::string>{"Sở Tư pháp", "Sở Y tế"}));
  EXPECT_EQ(NearestNames("Sở Y pháp", kDepartments, 1), (std::vector<std::string>{"Sở Tư pháp"}));
  EXPECT_EQ(NearestNames("Sở Tư Pháp", kDepartments, 1), (std::vector<std::string>{"Sở Tư pháp"}));
  EXPECT_EQ(NearestNames("so giao duc", kDepartments, 3),
            (std::vector<std::string>{"Sở Giáo dục và Đào tạo"}));
  EXPECT_EQ(NearestNames("cong an", kDepartments, 3), (std::vector<std::string>{"Công an tỉnh"}));
  EXPECT_TRUE(NearestNames("Bệnh viện Đa khoa", kDepartments, 3).empty());
}

TEST(SuggestTest, ExitCodesFooterListsEachCodeOnce) {
  EXPECT_EQ(ExitCodesFooter({{0, "written"}, {2, "bad option"}, {3, "cannot write"}}),
            "Exit codes: 0 written; 2 bad option; 3 cannot write.");
  EXPECT_EQ(ExitCodesFooter({{0, "ok"}, {2, "bad"}}, "Before.\n"),
            "Before.\nExit codes: 0 ok; 2 bad.");
  const std::string wrapped = ExitCodesFooter(
      {{0,
        "a meaning long enough to need more than one line of a terminal that is a hundred "
        "columns wide"},
       {2, "bad"}});
  EXPECT_EQ(wrapped,
            "Exit codes: 0 a meaning long enough to need more than one line of a terminal that is "
            "a hundred\ncolumns wide; 2 bad.");
}

}  // namespace
}  // namespace dqa::cli
