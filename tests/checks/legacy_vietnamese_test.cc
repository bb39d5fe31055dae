// Legacy Vietnamese encodings (core/checks/legacy_vietnamese.cc): the TCVN3 and VNI tables checked
// letter by letter against known pairs, whole samples decoded exactly, and a detector that leaves
// ASCII, English, European and real Vietnamese text alone.
#include <gtest/gtest.h>

#include <string>

#include "core/checks/legacy_vietnamese.h"

namespace dqa {
namespace {

// `bytes` (Latin-1, as a legacy application wrote them) as the UTF-8 mojibake a database holds.
std::string Mojibake(std::string_view bytes) {
  std::string out;
  for (const char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x80) {
      out += c;
    } else {
      out += static_cast<char>(0xC0 | (b >> 6));
      out += static_cast<char>(0x80 | (b & 0x3F));
    }
  }
  return out;
}

TEST(LegacyVietnameseTest, Tcvn3LettersMatchKnownPairs) {
  const std::pair<const char*, const char*> pairs[] = {
      {"\xA1", "\u0102"}, {"\xA2", "\u00C2"}, {"\xA7", "\u0110"}, {"\xA8", "\u0103"},
      {"\xA9", "\u00E2"}, {"\xAA", "\u00EA"}, {"\xAB", "\u00F4"}, {"\xAC", "\u01A1"},
      {"\xAD", "\u01B0"}, {"\xAE", "\u0111"}, {"\xB5", "\u00E0"}, {"\xB8", "\u00E1"},
      {"\xB9", "\u1EA1"}, {"\xBD", "\u1EB5"}, {"\xCB", "\u1EAD"}, {"\xD4", "\u1EC5"},
      {"\xD6", "\u1EC7"}, {"\xDD", "\u00ED"}, {"\xE5", "\u1ED3"}, {"\xE8", "\u1ED1"},
      {"\xE9", "\u1ED9"}, {"\xEA", "\u1EDD"}, {"\xF1", "\u1EE7"}, {"\xF3", "\u00FA"},
      {"\xF9", "\u1EF1"}, {"\xFD", "\u00FD"}, {"\xFE", "\u1EF5"},
  };
  for (const auto& [byte, letter] : pairs) {
    SCOPED_TRACE(letter);
    EXPECT_EQ(DecodeTcvn3(Mojibake(byte)), std::optional<std::string>(letter));
  }
  EXPECT_EQ(DecodeTcvn3(Mojibake("\xB0")), std::nullopt);  // not a VN3 letter
  EXPECT_EQ(DecodeTcvn3("\u1EC5"), std::nullopt);          // above U+00FF
}

TEST(LegacyVietnameseTest, VniLettersMatchKnownPairs) {
  const std::pair<const char*, const char*> pairs[] = {
      {"a\xF8", "\u00E0"},  {"a\xF9", "\u00E1"},  {"a\xFB", "\u1EA3"},  {"a\xF5", "\u00E3"},
      {"a\xEF", "\u1EA1"},  {"a\xE2", "\u00E2"},  {"a\xE0", "\u1EA7"},  {"e\xE3", "\u1EC5"},
      {"e\xE4", "\u1EC7"},  {"o\xE1", "\u1ED1"},  {"a\xEA", "\u0103"},  {"a\xFC", "\u1EB5"},
      {"a\xEB", "\u1EB7"},  {"\xF4", "\u01A1"},   {"\xF4\xF8", "\u1EDD"}, {"\xF6\xEF", "\u1EF1"},
      {"\xF1", "\u0111"},   {"\xD1", "\u0110"},   {"\xF2", "\u1ECB"},   {"\xF3", "\u0129"},
      {"\xE6", "\u1EC9"},   {"\xEE", "\u1EF5"},   {"y\xF9", "\u00FD"},  {"A\xD9", "\u00C1"},
      {"E\xC3", "\u1EC4"},
  };
  for (const auto& [bytes, letter] : pairs) {
    SCOPED_TRACE(letter);
    EXPECT_EQ(DecodeVni(Mojibake(bytes)), std::optional<std::string>(letter));
  }
  EXPECT_EQ(DecodeVni(Mojibake("s\xE9")), std::nullopt);  // a breve mark after s
  EXPECT_EQ(DecodeVni(Mojibake("\xF8")), std::nullopt);   // a mark with no letter
}

struct LegacyCase {
  const char* what;
  std::string bytes;  // the legacy bytes, stored as mojibake
  LegacyEncoding encoding;
  std::string decoded;
};

// Each case is detected as its encoding and decoded to exactly its text.
template <size_t N>
void ExpectDetected(const LegacyCase (&cases)[N]) {
  for (const LegacyCase& c : cases) {
    SCOPED_TRACE(c.what);
    const auto found = DetectLegacyVietnamese(Mojibake(c.bytes));
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->encoding, c.encoding);
    EXPECT_EQ(found->text, c.decoded);
  }
}

TEST(LegacyVietnameseTest, SamplesAreDetectedAndDecodedExactly) {
  const LegacyCase cases[] = {
      {"TCVN3 name", "Nguy\xD4n V\xA8n An", LegacyEncoding::kTcvn3,
       "Nguy\u1EC5n V\u0103n An"},
      {"TCVN3 place", "Th\xB5nh ph\xE8 H\xE5 Ch\xDD Minh", LegacyEncoding::kTcvn3,
       "Th\u00E0nh ph\u1ED1 H\u1ED3 Ch\u00ED Minh"},
      {"TCVN3 with \u0111 and \u01B0", "\xA7\xE6 Tr\xAD\xEAng \xAE\xF8" "c", LegacyEncoding::kTcvn3,
       "\u0110\u1ED5 Tr\u01B0\u1EDDng \u0111\u1EE9c"},
      {"TCVN3 with digits and punctuation", "S\xE8 12, H\xB5 N\xE9i", LegacyEncoding::kTcvn3,
       "S\u1ED1 12, H\u00E0 N\u1ED9i"},
      {"VNI name", "Nguye\xE3n Va\xEAn An", LegacyEncoding::kVni, "Nguy\u1EC5n V\u0103n An"},
      {"VNI place", "Tha\xF8nh pho\xE1 Ho\xE0 Ch\xED Minh", LegacyEncoding::kVni,
       "Th\u00E0nh ph\u1ED1 H\u1ED3 Ch\u00ED Minh"},
      // A typing slip made before the encoding leaves one word that is not a syllable; the others
      // decide.
      {"TCVN3 with a slip", "Nguyn\xD4 Th\xDE Nhi", LegacyEncoding::kTcvn3,
       "Nguyn\u1EC5 Th\u1ECB Nhi"},
      {"VNI with a slip", "Tra\xE0n Ngo\xEF" "c Na\xE2gn", LegacyEncoding::kVni,
       "Tr\u1EA7n Ng\u1ECDc N\u00E2gn"},
      {"TCVN3 \u0110inh", "\xA7inh Xu\xA9n H\xEFng", LegacyEncoding::kTcvn3,
       "\u0110inh Xu\u00E2n H\u00F9ng"},
      {"VNI with \u0111, \u0103, \u01B0\u01A1 and \u1ECB", "\xD1" "a\xEBng Th\xF2 H\xF6\xF4\xF8ng",
       LegacyEncoding::kVni, "\u0110\u1EB7ng Th\u1ECB H\u01B0\u1EDDng"},
  };
  ExpectDetected(cases);
  EXPECT_EQ(LegacyEncodingName(LegacyEncoding::kTcvn3), "TCVN3");
  EXPECT_EQ(LegacyEncodingName(LegacyEncoding::kVni), "VNI");
}

TEST(LegacyVietnameseTest, OrdinaryTextIsNotDetected) {
  const char* texts[] = {
      "Nguyen Van An",                           // ASCII
      "The quick brown fox, 2024-01-02.",        // English
      "Nguy\u1EC5n V\u0103n An",                 // real Vietnamese
      "L\u00EA H\u00E0",                         // real Vietnamese within Latin-1
      "L\u00EA Xu\u00E2n Huy",                    // the same, with the onset x
      "T\u00F4 Ho\u00E0i",                       // real Vietnamese that VNI would also explain
      "Jos\u00E9 Garc\u00EDa",                   // Spanish
      "Fran\u00E7ois M\u00FCller",               // French, German
      "S\u00E3o Paulo n\u00E3o",                 // Portuguese
      "na\u00EFve caf\u00E9 r\u00E9sum\u00E9",   // English loans
      "25\u00B0C, 5\u00B5g, Microsoft\u00AE",    // symbols
      "H\u00E9l\u00E8ne Dupr\u00E9 \u00E0 No\u00EBl",  // French: one word, "\u00E0", is a syllable
      "Bj\u00F8rn \u00D8deg\u00E5rd",             // Norwegian
      "M\u00E4dchen f\u00FCr \u00D6l und Stra\u00DFe",  // German
      "\xFF\xFE",                                // not UTF-8
  };
  for (const char* text : texts) {
    SCOPED_TRACE(text);
    EXPECT_EQ(DetectLegacyVietnamese(text), std::nullopt);
  }
}

TEST(LegacyVietnameseTest, UnicodeNamesWithOneTypingSlipAreNotDetected) {
  // Unicode Vietnamese names with one mistyped word, all reported as TCVN3 or VNI before the
  // detector judged the words that are not syllables as written: "Tô" reads as TCVN3 "Tụ", "Bùi"
  // and "Bích" as TCVN3 "Bựi" "Bớch", "Baùi" as VNI "Bái", "Bùc" as TCVN3 "Bực".
  const char* names[] = {
      "T\u00F4 Thu Li\u00EAl",         // Liên, n typed l (the demo's false positive)
      "B\u00F9i B\u00EDch T\u00E2",      // Tâm, m left out
      "Ba\u00F9i Thanh Nhung",         // Bùi, an a typed in
      "Bo\u00F9i C\u00F4ng Long",        // Bùi, an o typed in
      "B\u00F9c Minh Nam",             // Bùi, i typed c
      "Cao B\u00EDch V\u00E2i",           // Vân, n typed i
      "B\u00F9i Th\u00F9u Anh",           // Thu, an extra ù
  };
  for (const char* name : names) {
    SCOPED_TRACE(name);
    EXPECT_EQ(DetectLegacyVietnamese(name), std::nullopt);
  }
}

TEST(LegacyVietnameseTest, MojibakeThatNoTypingSlipExplainsIsStillDetected) {
  const LegacyCase cases[] = {
      // Two words that are not syllables: no single slip explains both.
      {"VNI, two odd words", "Nguye\xE3n Va\xEAn Huy", LegacyEncoding::kVni,
       "Nguy\u1EC5n V\u0103n Huy"},
      // One odd word with characters Unicode Vietnamese never writes (\u00F8 \u00D1 \u00EB).
      {"VNI, \u0111 and \u1EB7", "\xD1" "a\xEBng Thu Nga", LegacyEncoding::kVni,
       "\u0110\u1EB7ng Thu Nga"},
      {"VNI, B\u00F9i", "Bu\xF8i Thanh Nhung", LegacyEncoding::kVni, "B\u00F9i Thanh Nhung"},
      // One odd word in Vietnamese letters that no slip makes a syllable.
      {"VNI, one odd word", "Nguye\xE3n Th\xF2 Lan", LegacyEncoding::kVni,
       "Nguy\u1EC5n Th\u1ECB Lan"},
      // TCVN3: \u00A8 \u00DE \u00AA are no Vietnamese letters.
      {"TCVN3, \u0103", "Cao V\xA8n Khang", LegacyEncoding::kTcvn3, "Cao V\u0103n Khang"},
      {"TCVN3, \u1ECB", "Tr\xC7n Th\xDE Mai", LegacyEncoding::kTcvn3,
       "Tr\u1EA7n Th\u1ECB Mai"},
  };
  ExpectDetected(cases);
}

}  // namespace
}  // namespace dqa
