#include "core/util/text.h"

#include <gtest/gtest.h>

namespace dqa {
namespace {

struct BlankCase {
  const char* name;
  std::string text;
  bool blank;
};

TEST(TextTest, IsBlankTable) {
  const BlankCase cases[] = {
      {"empty", "", true},
      {"space", " ", true},
      {"tabs and newlines", "\t\r\n\v\f", true},
      {"nbsp", "\u00A0", true},
      {"ideographic space", "\u3000", true},
      {"zero-width space", "\u200B", true},
      {"bom", "\uFEFF", true},
      {"next line", "\u0085", true},
      {"ogham and en quad", "\u1680\u2000\u200A", true},
      {"line/para separators", "\u2028\u2029\u202F\u205F", true},
      {"mixed", " \u00A0\u3000\u200B ", true},
      {"letter", "a", false},
      {"letter among spaces", " \u00A0a\u3000", false},
      {"zero-width joiner is not whitespace", "\u200D", false},
      {"invalid utf8", "\xff", false},
      {"truncated utf8 after space", " \xC2", false},
      {"overlong space", "\xC0\xA0", false},
      {"nul byte", std::string(1, '\0'), false},
  };
  for (const BlankCase& c : cases) EXPECT_EQ(IsBlank(c.text), c.blank) << c.name;
}

TEST(TextTest, TrimWhitespaceTable) {
  const std::pair<std::string, std::string> cases[] = {
      {"", ""},
      {"  ", ""},
      {" a ", "a"},
      {"\u00A0N/A\u3000", "N/A"},
      {"\u200Bx y\uFEFF", "x y"},
      {"Nữ", "Nữ"},
      {" \xff ", "\xff"},  // an invalid byte stops the trim but is kept
      {"\xC2", "\xC2"},    // truncated sequence is not whitespace
      {"a\u3000\u3000", "a"},
      {"\u00A0\u00A0", ""},
  };
  for (const auto& [in, out] : cases) EXPECT_EQ(TrimWhitespace(in), out) << in;
}

TEST(TextTest, DecodeUtf8RejectsSurrogatesAndOverlongs) {
  size_t pos = 0;
  EXPECT_EQ(DecodeUtf8("\xED\xA0\x80", pos), std::nullopt);  // U+D800
  EXPECT_EQ(pos, 0u);
  EXPECT_EQ(DecodeUtf8("\xE0\x80\xA0", pos), std::nullopt);      // overlong
  EXPECT_EQ(DecodeUtf8("\xF4\x90\x80\x80", pos), std::nullopt);  // > U+10FFFF
  std::string_view s = "\xF0\x9F\x98\x80";
  EXPECT_EQ(DecodeUtf8(s, pos), U'\U0001F600');
  EXPECT_EQ(pos, 4u);
}

TEST(TextTest, ToNfcTable) {
  const std::string nfd = "Nu\u031B\u0303";  // N u + horn + tilde
  const std::string nfc = "N\u1EEF";         // Nữ precomposed
  EXPECT_NE(nfd, nfc);
  EXPECT_EQ(ToNfc(nfd), nfc);
  EXPECT_EQ(ToNfc(nfc), nfc);
  EXPECT_EQ(ToNfc("plain ascii"), "plain ascii");
  EXPECT_EQ(ToNfc(""), "");
  EXPECT_EQ(ToNfc("Nguye\u0302\u0303n"), "Nguy\u1EC5n");
  EXPECT_EQ(ToNfc("\xff\x41"), "\xff\x41");  // invalid UTF-8 is returned unchanged
}

TEST(TextTest, IsNfcTable) {
  EXPECT_TRUE(IsNfc(""));
  EXPECT_TRUE(IsNfc("Nguyen Van An"));
  EXPECT_TRUE(IsNfc("Nguy\u1EC5n V\u0103n An"));
  EXPECT_TRUE(IsNfc("Nguy\u00D4n V\u00A8n An"));  // TCVN3 mojibake is NFC
  EXPECT_FALSE(IsNfc("Nguye\u0302\u0303n"));      // NFD
  EXPECT_FALSE(IsNfc("Nu\u0303\u031B"));          // marks in a non-canonical order
  EXPECT_FALSE(IsNfc("\u0344"));                   // a singleton that NFC replaces
}

TEST(TextTest, NfcViewAvoidsCopiesWhenAlreadyNormalized) {
  std::string scratch;
  const std::string nfc = "Vi\u1EC7t Nam";
  const std::string_view same = NfcView(nfc, scratch);
  EXPECT_EQ(same.data(), nfc.data());
  const std::string nfd = "Nu\u031B\u0303";
  const std::string_view changed = NfcView(nfd, scratch);
  EXPECT_EQ(changed.data(), scratch.data());
  EXPECT_EQ(changed, "N\u1EEF");
}

TEST(TextTest, FoldViewTable) {
  struct Case {
    std::string in, out;
  };
  const Case cases[] = {
      {"plain", "plain"},
      {"Le  Thi\tB ", "le thi b"},
      {"\t\n", ""},
      {"NGUY\u1EC4N V\u0102N", "nguy\u1EC5n v\u0103n"},
      {"Nguye\u0302\u0303n", "nguy\u1EC5n"},                     // NFD in, NFC out
      {"\u3000An\u00A0\u2003 B\u200B", "an b"},                   // Unicode whitespace
      {"Stra\u00DFe", "strasse"},                                   // full case folding
      {"\u0390", "\u0390"},                                         // folding decomposes; NFC again
      {"\xff A", "\xff A"},                                         // invalid UTF-8: unchanged
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.in);
    std::string scratch;
    EXPECT_EQ(FoldView(c.in, scratch), c.out);
  }
  std::string scratch;
  const std::string folded = "nguy\u1EC5n v\u0103n";
  EXPECT_EQ(FoldView(folded, scratch).data(), folded.data());  // already folded: no copy
  const std::string ascii = "le thi b";
  EXPECT_EQ(FoldView(ascii, scratch).data(), ascii.data());
}

TEST(TextTest, TextFormsOfNumbers) {
  EXPECT_EQ(IntegerText(42), "42");
  EXPECT_EQ(IntegerText(-7), "-7");
  EXPECT_EQ(RealText(2.5), "2.5");
  EXPECT_EQ(RealText(0.1), "0.1");
  EXPECT_EQ(RealText(3.0), "3");
  EXPECT_EQ(RealText(-1.25), "-1.25");
}

TEST(TextTest, ParseNumberTable) {
  const std::pair<const char*, std::optional<double>> cases[] = {
      {"12", 12.0},           {" -3.5 ", -3.5},      {"+1e3", 1000.0},      {".5", 0.5},
      {"\u00A07\u3000", 7.0}, {"", std::nullopt},    {"abc", std::nullopt}, {"12a", std::nullopt},
      {"inf", std::nullopt},  {"nan", std::nullopt}, {"1,5", std::nullopt}, {"++1", std::nullopt},
  };
  for (const auto& [text, expected] : cases) EXPECT_EQ(ParseNumber(text), expected) << text;
}

TEST(TextTest, TruncateForDisplayTable) {
  const std::string big(100'000'000, 'x');
  const struct {
    const char* name;
    std::string text;
    size_t max_bytes;
    std::string expected;
  } cases[] = {
      {"short stays", "abc", 256, "abc"},
      {"exactly at the limit stays", std::string(256, 'a'), 256, std::string(256, 'a')},
      {"one over", std::string(257, 'a'), 256, std::string(256, 'a') + "…(257 bytes)"},
      // "ễ" is 3 bytes: a cut after 4 bytes would split the second one.
      {"utf-8 boundary", "ễễễ", 4, "ễ…(9 bytes)"},
      {"utf-8 exact boundary", "ễễễ", 6, "ễễ…(9 bytes)"},
      {"not utf-8 is cut anyway", std::string(10, '\x80'), 4, std::string(1, '\x80') +
                                                                   "…(10 bytes)"},
      {"zero", "abc", 0, "…(3 bytes)"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(TruncateForDisplay(c.text, c.max_bytes), c.expected);
  }
  const std::string cut = TruncateForDisplay(big);
  EXPECT_EQ(cut, std::string(kMaxSampleValueBytes, 'x') + "…(100000000 bytes)");
}

}  // namespace
}  // namespace dqa
