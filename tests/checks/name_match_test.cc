// Vietnamese name normalisation (core/checks/name_match.cc, core/checks/vietnamese_syllable.cc):
// each case of docs/checks.md "Vietnamese name matching" by name.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "core/checks/name_match.h"
#include "core/checks/vietnamese_syllable.h"

namespace dqa {
namespace {

using Tokens = std::vector<std::string>;

struct NameCase {
  const char* what;
  std::string input;
  std::string accented;
  std::string folded;
};

TEST(NameMatchTest, NormalisesEachCaseByName) {
  const NameCase cases[] = {
      {"NFC input", "Nguy\u1EC5n V\u0103n An", "nguy\u1EC5n v\u0103n an", "nguyen van an"},
      // ễ = e + circumflex + tilde; ă = a + breve.
      {"NFD input", "Nguye\u0302\u0303n Va\u0306n An", "nguy\u1EC5n v\u0103n an", "nguyen van an"},
      {"NFD marks in the other order (tilde before circumflex)", "Nguye\u0303\u0302n",
       "nguy\u1EC5n", "nguyen"},
      {"no diacritics", "Nguyen Van An", "nguyen van an", "nguyen van an"},
      {"upper case", "NGUY\u1EC4N V\u0102N AN", "nguy\u1EC5n v\u0103n an", "nguyen van an"},
      {"extra spaces, tabs and a no-break space", "  Nguy\u1EC5n \t V\u0103n\u00A0\u00A0An  ",
       "nguy\u1EC5n v\u0103n an", "nguyen van an"},
      {"ASCII extra spaces", "  Nguyen   Van\tAn ", "nguyen van an", "nguyen van an"},
      {"\u0111 to d", "\u0110\u1ED7 \u0110\u1EE9c", "\u0111\u1ED7 \u0111\u1EE9c", "do duc"},
      {"ơ ư horn letters", "Tr\u01B0\u01A1ng Th\u1ECB H\u01B0\u1EDDng",
       "tr\u01B0\u01A1ng th\u1ECB h\u01B0\u1EDDng", "truong thi huong"},
      // Tone placement: new style (hoà) and classic (hòa) both give the classic placement.
      {"tone placement ho\u00E0 (new style)", "Ho\u00E0", "h\u00F2a", "hoa"},
      {"tone placement h\u00F2a (classic)", "H\u00F2a", "h\u00F2a", "hoa"},
      {"tone placement thu\u00FD (new style)", "Thu\u00FD", "th\u00FAy", "thuy"},
      {"tone placement th\u00FAy (classic)", "Th\u00FAy", "th\u00FAy", "thuy"},
      {"tone placement kho\u1EBB (new style)", "Kho\u1EBB", "kh\u1ECFe", "khoe"},
      {"tone placement kh\u1ECFe (classic)", "Kh\u1ECFe", "kh\u1ECFe", "khoe"},
      {"tone placement u\u1EF7 (new style)", "u\u1EF7 ban", "\u1EE7y ban", "uy ban"},
      {"tone placement \u1EE7y (classic)", "\u1EE7y ban", "\u1EE7y ban", "uy ban"},
      {"closed syllable keeps the tone on the last vowel", "Ho\u00E0ng Hu\u1EF3nh",
       "ho\u00E0ng hu\u1EF3nh", "hoang huynh"},
      {"misplaced tone on a closed syllable is moved", "H\u00F2ang", "ho\u00E0ng", "hoang"},
      {"tone on the modified vowel of \u01B0\u01A1", "ng\u01B0\u1EDDi", "ng\u01B0\u1EDDi",
       "nguoi"},
      {"qu and gi onsets", "Qu\u00FD Gi\u00E0ng", "qu\u00FD gi\u00E0ng", "quy giang"},
      {"three vowels: tone in the middle", "Ngoa\u0300i", "ngo\u00E0i", "ngoai"},
      {"foreign word keeps its marks", "Jos\u00E9 M\u00FCller", "jos\u00E9 m\u00FCller",
       "jose muller"},
      {"blank", " \t ", "", ""},
  };
  for (const NameCase& c : cases) {
    SCOPED_TRACE(c.what);
    const NormalizedName name = NormalizeName(c.input);
    EXPECT_EQ(name.accented, c.accented);
    EXPECT_EQ(name.folded, c.folded);
  }
}

TEST(NameMatchTest, TonePlacementPairsNormaliseEqual) {
  const std::pair<const char*, const char*> pairs[] = {
      {"Nguy\u1EC5n Th\u1ECB Ho\u00E0", "NGUY\u1EC4N TH\u1ECA H\u00D2A"},
      {"L\u00EA Th\u1ECB Thu\u00FD", "L\u00EA Th\u1ECB Th\u00FAy"},
      {"Kho\u1EBB", "Kh\u1ECFe"},
      {"U\u1EF7", "\u1EE6y"},
  };
  for (const auto& [a, b] : pairs) {
    SCOPED_TRACE(a);
    EXPECT_EQ(NormalizeName(a).accented, NormalizeName(b).accented);
  }
}

TEST(NameMatchTest, TokensFollowTheForms) {
  const NormalizedName name = NormalizeName("  \u0110\u1EB7ng   V\u0103n  \u0110\u1EE9c ");
  EXPECT_EQ(name.tokens_accented, (Tokens{"\u0111\u1EB7ng", "v\u0103n", "\u0111\u1EE9c"}));
  EXPECT_EQ(name.tokens_folded, (Tokens{"dang", "van", "duc"}));
  const NormalizedName blank = NormalizeName("");
  EXPECT_TRUE(blank.tokens_accented.empty());
  EXPECT_TRUE(blank.tokens_folded.empty());
}

TEST(NameMatchTest, IntoReusesTheOutputAndDropsOldTokens) {
  NormalizedName name;
  NormalizeNameInto("Nguy\u1EC5n V\u0103n An B\u00ECnh", name);
  ASSERT_EQ(name.tokens_folded.size(), 4u);
  NormalizeNameInto("Le Ha", name);
  EXPECT_EQ(name.accented, "le ha");
  EXPECT_EQ(name.tokens_accented, (Tokens{"le", "ha"}));
  EXPECT_EQ(name.tokens_folded, (Tokens{"le", "ha"}));
}

TEST(NameMatchTest, InvalidUtf8BecomesReplacementCharacters) {
  const NormalizedName name = NormalizeName("An\xFF B\u00ECnh");
  EXPECT_EQ(name.accented, "an\uFFFD b\u00ECnh");
  EXPECT_EQ(name.folded, "an\uFFFD binh");
}

TEST(VietnameseSyllableTest, StrictSyllablesOfTheOrthography) {
  EXPECT_TRUE(IsVietnameseSyllable(U"Nguy\u1EC5n"));
  EXPECT_TRUE(IsVietnameseSyllable(U"vi\u1EC7t"));
  EXPECT_TRUE(IsVietnameseSyllable(U"gi\u1EEFa"));
  EXPECT_TRUE(IsVietnameseSyllable(U"Xu\u00E2n"));  // the onset x
  EXPECT_TRUE(IsVietnameseSyllable(U"x\u00E3"));
  EXPECT_TRUE(IsVietnameseSyllable(U"khu\u1EF7u"));
  EXPECT_FALSE(IsVietnameseSyllable(U"nguy\u00F4n"));  // uyô is no nucleus
  EXPECT_FALSE(IsVietnameseSyllable(U"viet"));         // stop coda with the level tone
  EXPECT_FALSE(IsVietnameseSyllable(U"v\u00E0t"));     // stop coda with the grave tone
  EXPECT_FALSE(IsVietnameseSyllable(U"jos\u00E9"));    // two vowel groups, j
  EXPECT_FALSE(IsVietnameseSyllable(U"n\u00F3o"));     // oo needs a coda
  EXPECT_FALSE(IsVietnameseSyllable(U"V\u00A8n"));     // a symbol
}

// Not an assertion of speed (the build is -O0 in the helpers' runs): prints the throughput that
// docs/checks.md quotes, measured in a Release -O2 build.
TEST(NameMatchTest, ThroughputIsPrinted) {
  const std::string names[] = {"Nguy\u1EC5n V\u0103n An", "NGUYEN THI HOA",
                               "Tr\u1EA7n Th\u1ECB Thu\u00FD", "L\u00EA  Ho\u00E0ng Long",
                               "Nguye\u0302\u0303n Va\u0306n B\u00ECnh"};
  NormalizedName out;
  constexpr int kRounds = 20000;
  const auto start = std::chrono::steady_clock::now();
  size_t bytes = 0;
  for (int i = 0; i < kRounds; ++i) {
    for (const std::string& n : names) {
      NormalizeNameInto(n, out);
      bytes += out.folded.size();
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_GT(bytes, 0u);
  std::printf("NormalizeNameInto: %.0f names/s\n", kRounds * 5 / seconds);
}

}  // namespace
}  // namespace dqa
