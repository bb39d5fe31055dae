// Field comparators (core/checks/comparators.cc): Jaro-Winkler against published reference
// values, Levenshtein distances (bit-parallel and beyond 64 code points), and the agreement levels
// of names, dates and CCCD numbers.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "core/checks/comparators.h"

namespace dqa {
namespace {

std::u32string Cp(std::string_view utf8) {
  std::u32string out;
  ToCodePoints(utf8, out);
  return out;
}

// The textbook matrix, independent of the code under test.
size_t ReferenceDistance(const std::u32string& a, const std::u32string& b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1,
                          d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    }
  }
  return d[a.size()][b.size()];
}

TEST(ComparatorsTest, JaroWinklerMatchesReferenceValues) {
  EXPECT_NEAR(JaroWinkler(U"MARTHA", U"MARHTA"), 0.9611, 1e-4);
  EXPECT_NEAR(JaroWinkler(U"DWAYNE", U"DUANE"), 0.84, 1e-4);
  EXPECT_NEAR(JaroWinkler(U"DIXON", U"DICKSONX"), 0.8133, 1e-4);
  EXPECT_NEAR(JaroWinkler(U"JELLYFISH", U"SMELLYFISH"), 0.8963, 1e-4);  // no common prefix
  EXPECT_DOUBLE_EQ(JaroWinkler(U"ABC", U"ABC"), 1.0);
  EXPECT_DOUBLE_EQ(JaroWinkler(U"ABC", U"XYZ"), 0.0);
  EXPECT_DOUBLE_EQ(JaroWinkler(U"", U""), 1.0);
  EXPECT_DOUBLE_EQ(JaroWinkler(U"", U"A"), 0.0);
  // Code points, not bytes: ễ and ê are one character each and differ once.
  EXPECT_NEAR(JaroWinkler(Cp("nguy\u1EC5n"), Cp("nguy\u00EAn")), 0.9333, 1e-4);
}

TEST(ComparatorsTest, LevenshteinExactDistances) {
  EXPECT_EQ(LevenshteinDistance(U"kitten", U"sitting"), 3u);
  EXPECT_EQ(LevenshteinDistance(U"flaw", U"lawn"), 2u);
  EXPECT_EQ(LevenshteinDistance(U"", U"abc"), 3u);
  EXPECT_EQ(LevenshteinDistance(U"abc", U""), 3u);
  EXPECT_EQ(LevenshteinDistance(U"same", U"same"), 0u);
  EXPECT_EQ(LevenshteinDistance(Cp("Nguy\u1EC5n"), Cp("Nguyen")), 1u);
  EXPECT_EQ(LevenshteinDistance(Cp("Ho\u00E0ng"), Cp("Hu\u1EF3nh")), 3u);
  EXPECT_EQ(LevenshteinDistance(Cp("\u0111\u1EE9c"), Cp("duc")), 2u);
  EXPECT_DOUBLE_EQ(LevenshteinSimilarity(U"kitten", U"sitting"), 1.0 - 3.0 / 7.0);
  EXPECT_DOUBLE_EQ(LevenshteinSimilarity(U"", U""), 1.0);
}

TEST(ComparatorsTest, LevenshteinBeyondSixtyFourCodePoints) {
  std::u32string a(100, U'\u1EC5');
  std::u32string b = a;
  b[0] = U'a';
  b[50] = U'b';
  b.erase(99);
  EXPECT_EQ(LevenshteinDistance(a, b), 3u);
  // 64 is the last length of the bit-parallel path, 65 the first of the matrix.
  const std::u32string x64(64, U'x');
  EXPECT_EQ(LevenshteinDistance(x64, std::u32string(64, U'y')), 64u);
  EXPECT_EQ(LevenshteinDistance(x64 + U"z", std::u32string(65, U'x')), 1u);
}

TEST(ComparatorsTest, BitParallelAgreesWithTheMatrixOnRandomStrings) {
  std::mt19937 rng(12);
  const std::u32string alphabet = U"abc\u1EC5\u0111";
  std::uniform_int_distribution<size_t> pick(0, alphabet.size() - 1);
  std::uniform_int_distribution<size_t> length(0, 80);
  for (int round = 0; round < 400; ++round) {
    std::u32string a, b;
    for (size_t n = length(rng); n > 0; --n) a += alphabet[pick(rng)];
    for (size_t n = length(rng); n > 0; --n) b += alphabet[pick(rng)];
    ASSERT_EQ(LevenshteinDistance(a, b), ReferenceDistance(a, b)) << "round " << round;
  }
}

TEST(ComparatorsTest, NameLevels) {
  const auto compare = [](const char* a, const char* b) {
    return CompareNames(NormalizeName(a), NormalizeName(b));
  };
  EXPECT_EQ(compare("Nguy\u1EC5n V\u0103n An", "NGUY\u1EC4N  V\u0102N AN").level,
            Agreement::kExact);
  EXPECT_EQ(compare("Nguy\u1EC5n Th\u1ECB Ho\u00E0", "Nguy\u1EC5n Th\u1ECB H\u00F2a").level,
            Agreement::kExact);
  const Comparison no_marks = compare("Nguy\u1EC5n V\u0103n An", "Nguyen Van An");
  EXPECT_EQ(no_marks.level, Agreement::kClose);
  EXPECT_DOUBLE_EQ(no_marks.similarity, 1.0);
  const Comparison reordered = compare("Nguy\u1EC5n V\u0103n An", "An Nguy\u1EC5n V\u0103n");
  EXPECT_EQ(reordered.level, Agreement::kClose);
  EXPECT_DOUBLE_EQ(reordered.similarity, 1.0);
  const Comparison typo = compare("Nguy\u1EC5n V\u0103n An", "Nguy\u1EC5n V\u0103n Anh");
  EXPECT_EQ(typo.level, Agreement::kClose);
  EXPECT_LT(typo.similarity, 1.0);
  const Comparison dropped = compare("Nguy\u1EC5n V\u0103n An", "Nguy\u1EC5n An");
  EXPECT_EQ(dropped.level, Agreement::kWeak);
  EXPECT_DOUBLE_EQ(dropped.similarity, 0.8);
  EXPECT_EQ(compare("Nguy\u1EC5n V\u0103n An", "Tr\u1EA7n Th\u1ECB B\u00ECnh").level,
            Agreement::kDisagree);
  EXPECT_EQ(compare("", "Nguyen").level, Agreement::kUnknown);
}

TEST(ComparatorsTest, DateLevels) {
  const CivilDate d{1985, 3, 4};
  EXPECT_EQ(CompareDates(d, CivilDate{1985, 3, 4}).level, Agreement::kExact);
  const Comparison swapped = CompareDates(d, CivilDate{1985, 4, 3});
  EXPECT_EQ(swapped.level, Agreement::kClose);
  EXPECT_DOUBLE_EQ(swapped.similarity, kDateSwapSimilarity);
  const Comparison year = CompareDates(d, CivilDate{1986, 3, 4});
  EXPECT_EQ(year.level, Agreement::kWeak);
  EXPECT_DOUBLE_EQ(year.similarity, kDateDigitSimilarity);
  EXPECT_EQ(CompareDates(CivilDate{1985, 3, 12}, CivilDate{1985, 3, 13}).level, Agreement::kWeak);
  EXPECT_EQ(CompareDates(d, CivilDate{1958, 3, 4}).level, Agreement::kDisagree);  // two digits
  EXPECT_EQ(CompareDates(d, CivilDate{1985, 5, 6}).level, Agreement::kDisagree);
  EXPECT_EQ(CompareDates(d, CivilDate{1984, 4, 3}).level, Agreement::kDisagree);  // swap, other year
  EXPECT_EQ(CompareDates(d, std::nullopt).level, Agreement::kUnknown);
  EXPECT_DOUBLE_EQ(CompareDates(std::nullopt, d).similarity, 0.0);
}

TEST(ComparatorsTest, CccdLevels) {
  const std::string id = "001085012345";
  EXPECT_EQ(CompareCccd(id, "001 085 012 345").level, Agreement::kExact);
  const Comparison transposed = CompareCccd(id, "001085021345");
  EXPECT_EQ(transposed.level, Agreement::kClose);
  EXPECT_DOUBLE_EQ(transposed.similarity, kCccdTranspositionSimilarity);
  const Comparison substituted = CompareCccd(id, "001085012346");
  EXPECT_EQ(substituted.level, Agreement::kWeak);
  EXPECT_DOUBLE_EQ(substituted.similarity, kCccdSubstitutionSimilarity);
  EXPECT_EQ(CompareCccd(id, "001085210345").level, Agreement::kDisagree);  // a swap at distance 2
  EXPECT_EQ(CompareCccd(id, "001085012399").level, Agreement::kDisagree);
  EXPECT_EQ(CompareCccd(id, "00108501234").level, Agreement::kDisagree);   // 11 digits
  EXPECT_EQ(CompareCccd(id, "").level, Agreement::kUnknown);
  EXPECT_EQ(CompareCccd(id, "  ").level, Agreement::kUnknown);
  EXPECT_EQ(CompareCccd(id, "000000000000").level, Agreement::kUnknown);
  EXPECT_EQ(CompareCccd("n/a", id).level, Agreement::kUnknown);
  EXPECT_EQ(AgreementName(Agreement::kClose), "close");
}

}  // namespace
}  // namespace dqa
