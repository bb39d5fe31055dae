#include "core/profiling/preview.h"

#include <gtest/gtest.h>

namespace dqa::profiling {
namespace {

TEST(QuotedPreviewTest, CommentStyleKeepsOneLine) {
  EXPECT_EQ(QuotedPreview("Nguy\u1EC5n V\u0103n An", PreviewStyle::kComment),
            "\"Nguy\u1EC5n V\u0103n An\"");
  EXPECT_EQ(QuotedPreview("a\nb\tc\u2028d", PreviewStyle::kComment), "\"a b c d\"");
  EXPECT_EQ(QuotedPreview(std::string("x\xFFy"), PreviewStyle::kComment), "\"x?y\"");
  EXPECT_EQ(QuotedPreview("a\u00A0b", PreviewStyle::kComment), "\"a\u00A0b\"");
}

TEST(QuotedPreviewTest, VisibleStyleShowsWhatHides) {
  EXPECT_EQ(QuotedPreview("a\nb", PreviewStyle::kVisible), "\"a\\x0Ab\"");
  EXPECT_EQ(QuotedPreview(std::string("x\xFFy"), PreviewStyle::kVisible), "\"x\\xFFy\"");
  EXPECT_EQ(QuotedPreview("a\u00A0b c", PreviewStyle::kVisible), "\"a\\u00A0b c\"");
}

TEST(QuotedPreviewTest, AtMostFortyCodePoints) {
  const std::string forty(40, 'x');
  EXPECT_EQ(QuotedPreview(forty, PreviewStyle::kVisible), "\"" + forty + "\"");
  EXPECT_EQ(QuotedPreview(forty + "\u1EC5", PreviewStyle::kComment), "\"" + forty + "…\"");
  std::string accented;
  for (int i = 0; i < 41; ++i) accented += "\u1EC5";
  const std::string shown = QuotedPreview(accented, PreviewStyle::kVisible);
  EXPECT_EQ(shown, "\"" + accented.substr(0, 40 * 3) + "…\"");
}

}  // namespace
}  // namespace dqa::profiling
