// Value shapes and the regexes drawn from them.
#include "core/profiling/shape.h"

#include <gtest/gtest.h>
#include <re2/re2.h>

namespace dqa::profiling {
namespace {

TEST(ValueShapeTest, MapsDigitsLettersAndKeepsPunctuation) {
  struct Case {
    const char* text;
    const char* shape;
  };
  const Case cases[] = {
      {"082059450296", "999999999999"},
      {"Nguyễn Văn Ánh", "Aaaaaa Aaa Aaa"},
      {"ĐẶNG thị ư", "AAAA aaa a"},
      {"H58.22-251101-0001", "A99.99-999999-9999"},
      {"15/08/1975", "99/99/9999"},
      {"2026-11-01 08:30:00", "9999-99-99 99:99:99"},
      {"+84 912", "+99 999"},
      {"", ""},
      {"a\x01"
       "b",
       "a?a"},
      {"\xFF"
       "1",
       "?9"},
      {"Ω東京", "Aaa"},
      {"\xE3\x80\x80", "\xE3\x80\x80"},  // U+3000 stays whitespace
  };
  for (const Case& c : cases) EXPECT_EQ(ValueShape(c.text), c.shape) << c.text;
}

TEST(ValueShapeTest, CutsLongValues) {
  const std::string shape = ValueShape(std::string(100, 'x'));
  EXPECT_EQ(shape, std::string(kMaxShapeLength, 'a') + "…");
  EXPECT_EQ(ShapeRegex(shape), "");
}

TEST(ShapeRegexTest, RunsBecomeCountedClassesAndMatchTheValues) {
  struct Case {
    const char* shape;
    const char* regex;
    const char* matches;
    const char* does_not_match;
  };
  const Case cases[] = {
      {"999999999999", "^[0-9]{12}$", "082059450296", "08205945029"},
      {"A99.99-9", "^[\\p{Lu}\\p{Lt}][0-9]{2}\\.[0-9]{2}\\-[0-9]$", "H58.22-1", "H58x22-1"},
      {"Aaaaaa Aaa",
       "^[\\p{Lu}\\p{Lt}][\\p{Ll}\\p{Lm}\\p{Lo}]{5}\\ [\\p{Lu}\\p{Lt}][\\p{Ll}\\p{Lm}\\p{Lo}]{2}$",
       "Nguyễn Văn", "nguyễn Văn"},
      {"9/9999", "^[0-9]\\/[0-9]{4}$", "5/2025", "15/2025"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(ShapeRegex(c.shape), c.regex) << c.shape;
    RE2 re(ShapeRegex(c.shape));
    ASSERT_TRUE(re.ok()) << re.error();
    EXPECT_TRUE(RE2::PartialMatch(c.matches, re)) << c.matches;
    EXPECT_FALSE(RE2::PartialMatch(c.does_not_match, re)) << c.does_not_match;
  }
  EXPECT_EQ(ShapeRegex("a?a"), "");
  EXPECT_EQ(ShapeRegex("a\ta"), "^[\\p{Ll}\\p{Lm}\\p{Lo}]\\t[\\p{Ll}\\p{Lm}\\p{Lo}]$");
}

}  // namespace
}  // namespace dqa::profiling
