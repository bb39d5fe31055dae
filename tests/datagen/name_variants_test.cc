// The generator's Vietnamese name corruptions and legacy encoders (scripts/datagen): each writes
// exactly the form docs/demo-province.md promises, and the legacy encodings decode back.
#include <string>

#include <gtest/gtest.h>

#include "scripts/datagen/legacy_encoding.h"
#include "scripts/datagen/name_variants.h"

namespace dqa::datagen {
namespace {

TEST(LegacyEncodingTest, Tcvn3WritesTheAbcBytesAsLatin1Mojibake) {
  EXPECT_EQ(EncodeTcvn3("Nguyễn Văn An"), "Nguy\u00D4n V\u00A8n An");
  EXPECT_EQ(EncodeTcvn3("Đặng Thị Thủy"), "\u00A7\u00C6ng Th\u00DE Th\u00F1y");
  EXPECT_EQ(EncodeTcvn3("Trần Ngọc Ư"), "Tr\u00C7n Ng\u00E4c \u00A6");
  // No TCVN3 code for an upper-case letter with a tone mark, nor for NFD input.
  EXPECT_EQ(EncodeTcvn3("Lê Ánh"), std::nullopt);
  EXPECT_EQ(EncodeTcvn3(ToNfd("Lê")), std::nullopt);
}

TEST(LegacyEncodingTest, VniWritesBaseLetterAndToneBytes) {
  EXPECT_EQ(EncodeVni("Xin chào các bạn"), "Xin cha\u00F8o ca\u00F9c ba\u00EFn");
  EXPECT_EQ(EncodeVni("Nguyễn Văn Đức"), "Nguye\u00E3n Va\u00EAn \u00D1\u00F6\u00F9c");
  EXPECT_EQ(EncodeVni("Lê Ánh Ỵ ơ"), "Le\u00E2 A\u00D9nh \u00CE \u00F4");
}

TEST(LegacyEncodingTest, EveryVietnameseLetterRoundTripsThroughBothEncodings) {
  const std::string lower = "aáàảãạăắằẳẵặâấầẩẫậeéèẻẽẹêếềểễệiíìỉĩịoóòỏõọôốồổỗộơớờởỡợuúùủũụưứừửữựyýỳỷỹỵđ";
  const std::string upper = "AÁÀẢÃẠĂẮẰẲẴẶÂẤẦẨẪẬEÉÈẺẼẸÊẾỀỂỄỆIÍÌỈĨỊOÓÒỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢUÚÙỦŨỤƯỨỪỬỮỰYÝỲỶỸỴĐ";
  const auto tcvn3 = EncodeTcvn3(lower + " ĂÂÊÔƠƯĐ Nguyễn Hoàng Phước");
  ASSERT_TRUE(tcvn3.has_value());
  EXPECT_EQ(DecodeTcvn3(*tcvn3), lower + " ĂÂÊÔƠƯĐ Nguyễn Hoàng Phước");
  for (const std::string& text : {lower, upper, std::string("Huỳnh Thị Thuỷ Tiên, Quách Bảo Ngọc")}) {
    const auto vni = EncodeVni(text);
    ASSERT_TRUE(vni.has_value()) << text;
    EXPECT_NE(*vni, text);
    EXPECT_EQ(DecodeVni(*vni), text);
  }
  EXPECT_EQ(DecodeTcvn3("plain ASCII"), "plain ASCII");
  EXPECT_EQ(DecodeVni("plain ASCII"), "plain ASCII");
}

TEST(NameVariantsTest, EachCorruptionWritesItsForm) {
  EXPECT_EQ(ToNfd("Thủy"), "Thu\u0309y");
  EXPECT_EQ(StripDiacritics("Đỗ Thị Thủy"), "Do Thi Thuy");
  EXPECT_EQ(DStrokeToD("Đặng Văn Đức"), "Dặng Văn Dức");
  EXPECT_EQ(UpperCase("Nguyễn Văn Đức"), "NGUYỄN VĂN ĐỨC");
  EXPECT_EQ(OtherTonePlacement("Lê Thị Thủy"), "Lê Thị Thuỷ");
  EXPECT_EQ(OtherTonePlacement("Lê Thị Thuỷ"), "Lê Thị Thủy");
  EXPECT_EQ(OtherTonePlacement("Trần Hòa"), "Trần Hoà");
  EXPECT_EQ(OtherTonePlacement("Trần Thúy"), "Trần Thuý");
  EXPECT_EQ(OtherTonePlacement("Trần Quý"), std::nullopt);    // qu + y: the tone stays on y
  EXPECT_EQ(OtherTonePlacement("Trần Toàn"), std::nullopt);   // closed syllable
  EXPECT_EQ(SwappedSurname("Hoàng Văn An"), "Huỳnh Văn An");
  EXPECT_EQ(SwappedSurname("Võ Thị Lan"), "Vũ Thị Lan");
  EXPECT_EQ(SwappedSurname("Nguyễn Văn Hoàng"), std::nullopt);
}

TEST(NameVariantsTest, TyposAreOneEditOnANonInitialLetter) {
  Rng rng(7);
  for (int i = 0; i < 50; ++i) {
    const std::string name = "Lê Văn An";
    const auto ins = WithTypo(name, Corruption::kTypoInsertion, rng);
    const auto del = WithTypo(name, Corruption::kTypoDeletion, rng);
    const auto sub = WithTypo(name, Corruption::kTypoSubstitution, rng);
    const auto tra = WithTypo(name, Corruption::kTypoTransposition, rng);
    ASSERT_TRUE(ins && del && sub && tra);
    EXPECT_EQ(ins->size(), name.size() + 1);
    EXPECT_LT(del->size(), name.size());
    EXPECT_NE(*sub, name);
    EXPECT_NE(*tra, name);
    EXPECT_EQ(tra->size(), name.size());
    for (const std::string* s : {&*ins, &*del, &*sub, &*tra}) {
      EXPECT_EQ((*s)[0], 'L') << *s;  // initials are kept
    }
  }
  EXPECT_EQ(WithTypo("A B", Corruption::kTypoDeletion, rng), std::nullopt);
  const std::string spaced = WithExtraSpaces("Lê Văn An", rng);
  EXPECT_NE(spaced.find("  "), std::string::npos) << spaced;
}

}  // namespace
}  // namespace dqa::datagen
