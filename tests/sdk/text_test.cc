// The SDK's ASCII text helpers (dqaudit/text.h), used by the sector plugins and by the core.
#include "dqaudit/text.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace dqa::sdk {
namespace {

TEST(SdkTextTest, TrimAsciiRemovesTheSixCLocaleSpacesByDefault) {
  EXPECT_EQ(TrimAscii(" \t\n\v\f\rabc \t\n\v\f\r"), "abc");
  EXPECT_EQ(TrimAscii("a b"), "a b");  // inner spaces stay
  EXPECT_EQ(TrimAscii(""), "");
  EXPECT_EQ(TrimAscii(" \t\r\n "), "");
  EXPECT_EQ(TrimAscii("x"), "x");
}

TEST(SdkTextTest, TrimAsciiReturnsAViewIntoItsArgument) {
  const std::string text = "  key  ";
  const std::string_view trimmed = TrimAscii(text);
  EXPECT_EQ(trimmed.data(), text.data() + 2);
  EXPECT_EQ(trimmed.size(), 3u);
}

TEST(SdkTextTest, TrimAsciiTakesTheSetToTrim) {
  // Spaces only: a tab is data (the date and identity parsers of the sector plugins).
  EXPECT_EQ(TrimAscii(" \t2024-01-02\t ", " "), "\t2024-01-02\t");
  // Line whitespace: a form feed is not removed.
  EXPECT_EQ(TrimAscii("\r\n \t\f", " \t\n\r"), "\f");
  EXPECT_TRUE(TrimAscii(" \t\n\r", " \t\n\r").empty());
}

TEST(SdkTextTest, TrimAsciiLeavesUnicodeWhitespaceAndNonAsciiBytes) {
  EXPECT_EQ(TrimAscii("\u00A0a\u00A0"), "\u00A0a\u00A0");  // NBSP is for the core's TrimWhitespace
  EXPECT_EQ(TrimAscii(" \u3000 "), "\u3000");
  EXPECT_EQ(TrimAscii(" \xff "), "\xff");
}

TEST(SdkTextTest, IsAsciiSpaceIsTheCLocaleSet) {
  for (char c : std::string(" \t\n\v\f\r")) EXPECT_TRUE(IsAsciiSpace(c)) << int{c};
  for (char c : std::string("a0_\0\x1f\x7f\x85\xa0", 8)) EXPECT_FALSE(IsAsciiSpace(c)) << int{c};
}

TEST(SdkTextTest, ToLowerAsciiChangesOnlyAsciiCapitals) {
  EXPECT_EQ(ToLowerAscii("SELECT Ho_Ten 09"), "select ho_ten 09");
  EXPECT_EQ(ToLowerAscii(""), "");
  EXPECT_EQ(ToLowerAscii("@[`{"), "@[`{");  // the neighbours of 'A'..'Z' and 'a'..'z'
  // "ĐẶNG Văn" in UTF-8: the Vietnamese capitals' bytes are untouched, only N, G and V change.
  EXPECT_EQ(ToLowerAscii("\xC4\x90\xE1\xBA\xB6NG V\xC4\x83n"), "\xC4\x90\xE1\xBA\xB6ng v\xC4\x83n");
  // Latin-1 bytes that a locale-aware tolower might fold are copied as they are.
  EXPECT_EQ(ToLowerAscii("\xC0\xC9\xDE"), "\xC0\xC9\xDE");
}

TEST(SdkTextTest, IsAsciiDigits) {
  EXPECT_TRUE(IsAsciiDigits("0"));
  EXPECT_TRUE(IsAsciiDigits("001090000123"));
  EXPECT_FALSE(IsAsciiDigits(""));
  EXPECT_FALSE(IsAsciiDigits("-1"));
  EXPECT_FALSE(IsAsciiDigits("+84"));
  EXPECT_FALSE(IsAsciiDigits(" 12"));
  EXPECT_FALSE(IsAsciiDigits("12 "));
  EXPECT_FALSE(IsAsciiDigits("1.5"));
  EXPECT_FALSE(IsAsciiDigits("\xD9\xA3"));  // ARABIC-INDIC DIGIT THREE is not an ASCII digit
}

TEST(SdkTextTest, EnquoteWrapsAndDoublesTheQuoteCharacterOnly) {
  EXPECT_EQ(Enquote("", '"'), "\"\"");
  EXPECT_EQ(Enquote("abc", '\''), "'abc'");
  EXPECT_EQ(Enquote("it's", '\''), "'it''s'");
  EXPECT_EQ(Enquote("it's", '"'), "\"it's\"");
  EXPECT_EQ(Enquote("\"\"", '"'), "\"\"\"\"\"\"");
  EXPECT_EQ(Enquote("a\nb\xC3\xA9", '|'), "|a\nb\xC3\xA9|");
}

TEST(SdkTextTest, JoinPutsTheSeparatorBetweenEveryTwoItems) {
  EXPECT_EQ(Join({}, ", "), "");
  EXPECT_EQ(Join({"a"}, ", "), "a");
  EXPECT_EQ(Join({"a", "b", "c"}, ", "), "a, b, c");
  EXPECT_EQ(Join({"a", "b"}, ""), "ab");
  // Empty items keep their separators: a leading empty item is not skipped.
  EXPECT_EQ(Join({"", "b"}, ","), ",b");
  EXPECT_EQ(Join({"a", "", "b"}, ","), "a,,b");
  EXPECT_EQ(Join({"", ""}, "|"), "|");
}

}  // namespace
}  // namespace dqa::sdk
