// The ways a re-entered citizen's record differs from the first one (FEBRL-style corruption with
// Vietnamese variants): the corruption kinds and the functions that write a name in each of them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "scripts/datagen/rng.h"

namespace dqa::datagen {

// One kind of corruption; CorruptionName() is its name in ground_truth.json.
enum class Corruption {
  // ho_ten
  kNfd, kNoDiacritics, kTonePlacement, kDStroke, kUpperCase, kExtraSpaces,
  kTypoInsertion, kTypoDeletion, kTypoSubstitution, kTypoTransposition, kSurnameSwap, kTcvn3, kVni,
  // other columns
  kBirthDayMonthSwap, kCccdTransposition, kCccdSubstitution, kCccdMissing, kOtherCommune,
  kCount,
};
const char* CorruptionName(Corruption kind);

// Name forms. All take and (except ToNfd) return NFC text.
std::string ToNfd(std::string_view nfc);
// Without diacritics, đ/Đ written d/D ("Đỗ Thị Thủy" -> "Do Thi Thuy").
std::string StripDiacritics(std::string_view nfc);
// Only đ/Đ written d/D, other diacritics kept ("Đặng" -> "Dặng").
std::string DStrokeToD(std::string_view nfc);
// Upper case with the Vietnamese rules of ICU ("Nguyễn Văn Đức" -> "NGUYỄN VĂN ĐỨC").
std::string UpperCase(std::string_view nfc);
// The other tone placement of the open syllables oa, oe, uy ("Thủy" <-> "Thuỷ", "Hòa" <-> "Hoà");
// nullopt when no word has one.
std::optional<std::string> OtherTonePlacement(std::string_view nfc);
// The surname Hoàng <-> Huỳnh or Vũ <-> Võ (regional spellings of one name); nullopt otherwise.
std::optional<std::string> SwappedSurname(std::string_view nfc);
// One inner space doubled, sometimes also a trailing space.
std::string WithExtraSpaces(std::string_view nfc, Rng& rng);
// One typing error of `kind` (kTypoInsertion ... kTypoTransposition) on a letter that does not
// start a word (an ASCII letter inserted or substituted); nullopt when the name has no place for it.
std::optional<std::string> WithTypo(std::string_view nfc, Corruption kind, Rng& rng);

}  // namespace dqa::datagen
