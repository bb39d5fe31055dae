// The SDK's UTF-8 helpers (dqaudit/utf8.h), shared by the sector plugins, the core and the reports.
#include "dqaudit/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace dqa::sdk {
namespace {

TEST(SdkUtf8Test, DecodeUtf8ReadsOneToFourByteSequences) {
  const std::string text = "a\xC3\xA9\xE1\xBB\xAF\xF0\x9F\x98\x80";  // a é ữ 😀
  size_t pos = 0;
  EXPECT_EQ(DecodeUtf8(text, pos), U'a');
  EXPECT_EQ(pos, 1u);
  EXPECT_EQ(DecodeUtf8(text, pos), U'\u00E9');
  EXPECT_EQ(pos, 3u);
  EXPECT_EQ(DecodeUtf8(text, pos), U'\u1EEF');
  EXPECT_EQ(pos, 6u);
  EXPECT_EQ(DecodeUtf8(text, pos), U'\U0001F600');
  EXPECT_EQ(pos, 10u);
  EXPECT_EQ(DecodeUtf8(text, pos), std::nullopt);  // at the end
  EXPECT_EQ(pos, 10u);
}

TEST(SdkUtf8Test, DecodeUtf8RefusesInvalidSequencesWithoutMoving) {
  for (const std::string bad : {"\x80", "\xBF", "\xC0\x80", "\xC1\xBF", "\xE0\x80\x80",
                                "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xF8\x88\x80\x80\x80",
                                "\xFF", "\xC3", "\xE1\xBB", "\xC3\x41"}) {
    size_t pos = 0;
    EXPECT_EQ(DecodeUtf8(bad, pos), std::nullopt) << testing::PrintToString(bad);
    EXPECT_EQ(pos, 0u);
  }
  // The largest code point and the last before the surrogates are fine.
  size_t pos = 0;
  EXPECT_EQ(DecodeUtf8("\xF4\x8F\xBF\xBF", pos), U'\U0010FFFF');
  pos = 0;
  EXPECT_EQ(DecodeUtf8("\xED\x9F\xBF", pos), U'\uD7FF');
}

TEST(SdkUtf8Test, IsValidUtf8AndIsAscii) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("Nguy\xE1\xBB\x85n"));
  EXPECT_FALSE(IsValidUtf8("Nguy\xE1\xBB"));     // truncated at the end
  EXPECT_FALSE(IsValidUtf8("ab\xFF" "cd"));
  EXPECT_TRUE(IsAscii(""));
  EXPECT_TRUE(IsAscii("plain\x7F"));
  EXPECT_FALSE(IsAscii("caf\xC3\xA9"));
}

TEST(SdkUtf8Test, AppendUtf8EncodesEachLengthAndRoundTrips) {
  std::string out;
  AppendUtf8(out, U'A');
  AppendUtf8(out, U'\u00E9');
  AppendUtf8(out, U'\u1EEF');
  AppendUtf8(out, U'\U0001F600');
  EXPECT_EQ(out, "A\xC3\xA9\xE1\xBB\xAF\xF0\x9F\x98\x80");
  for (char32_t cp : {U'\u007F', U'\u0080', U'\u07FF', U'\u0800', U'\uFFFF', U'\U00010000',
                      U'\U0010FFFF'}) {
    std::string one;
    AppendUtf8(one, cp);
    size_t pos = 0;
    EXPECT_EQ(DecodeUtf8(one, pos), cp);
    EXPECT_EQ(pos, one.size());
  }
}

TEST(SdkUtf8Test, CountCodePointsSkipsContinuationBytes) {
  EXPECT_EQ(CountCodePoints(""), 0u);
  EXPECT_EQ(CountCodePoints("abc"), 3u);
  EXPECT_EQ(CountCodePoints("Nguy\xE1\xBB\x85n V\xC4\x83n"), 10u);  // Nguyễn Văn
  EXPECT_EQ(CountCodePoints("N\x75\xCC\x9B\xCC\x83"), 4u);  // "Nữ" in NFD: marks count
  EXPECT_EQ(CountCodePoints("\xF0\x9F\x98\x80"), 1u);
  EXPECT_EQ(CountCodePoints("\xFF\xFE"), 2u);  // stray lead bytes count one each
  EXPECT_EQ(CountCodePoints("\x80\x80"), 0u);  // lone continuation bytes do not
}

TEST(SdkUtf8Test, Utf8PrefixLengthNeverCutsACharacter) {
  const std::string text = "ab\xE1\xBB\xAF" "cd";  // a b ữ c d: ữ takes bytes 2..4
  EXPECT_EQ(Utf8PrefixLength(text, 100), text.size());
  EXPECT_EQ(Utf8PrefixLength(text, text.size()), text.size());
  EXPECT_EQ(Utf8PrefixLength(text, 2), 2u);
  EXPECT_EQ(Utf8PrefixLength(text, 3), 2u);  // inside ữ: back to its start
  EXPECT_EQ(Utf8PrefixLength(text, 4), 2u);
  EXPECT_EQ(Utf8PrefixLength(text, 5), 5u);
  EXPECT_EQ(Utf8PrefixLength(text, 0), 0u);
  EXPECT_EQ(Utf8PrefixLength("", 0), 0u);
  // Not UTF-8: at most 3 continuation bytes are stepped over, then the text is cut anyway.
  EXPECT_EQ(Utf8PrefixLength("a\x80\x80\x80\x80\x80", 5), 2u);
}

}  // namespace
}  // namespace dqa::sdk
