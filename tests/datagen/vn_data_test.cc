// The demo province's administrative units (scripts/datagen/vn_data.cc): the real 11 districts and
// 172 communes of Tiền Giang with their national codes, consistent and in NFC
// (docs/demo-province.md "Administrative units").
#include <map>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "core/util/text.h"
#include "scripts/datagen/vn_data.h"

namespace dqa::datagen {
namespace {

TEST(DemoCommunesTest, ListsTheRealCommunesOfTheElevenDistricts) {
  const auto& communes = DemoCommunes();
  ASSERT_EQ(communes.size(), 172U);
  std::map<std::string, int> per_district;
  std::map<std::string, std::string> district_names;
  std::set<std::string> codes;
  std::string previous;
  for (const Commune& c : communes) {
    EXPECT_EQ(c.code.size(), 5U) << c.code;
    EXPECT_GT(c.code, previous) << "not in code order at " << c.code;
    previous = c.code;
    EXPECT_TRUE(codes.insert(c.code).second) << "duplicate code " << c.code;
    EXPECT_TRUE(IsNfc(c.name)) << c.code;
    EXPECT_TRUE(IsNfc(c.district_name)) << c.district_code;
    // One name per district code.
    const auto [it, inserted] = district_names.emplace(c.district_code, c.district_name);
    EXPECT_EQ(it->second, c.district_name) << c.code;
    ++per_district[c.district_code];
  }
  const std::map<std::string, int> expected = {
      {"815", 17}, {"816", 12}, {"817", 16}, {"818", 12}, {"819", 25}, {"820", 16},
      {"821", 23}, {"822", 19}, {"823", 13}, {"824", 13}, {"825", 6}};
  EXPECT_EQ(per_district, expected);
  EXPECT_EQ(district_names.at("815"), "Thành phố Mỹ Tho");
  EXPECT_EQ(district_names.at("817"), "Thị xã Cai Lậy");
  EXPECT_EQ(district_names.at("820"), "Huyện Cai Lậy");
  EXPECT_EQ(district_names.at("825"), "Huyện Tân Phú Đông");
}

TEST(DemoCommunesTest, KeepsTheNationalCodesOfMovedCommunes) {
  // Communes moved to another district keep their first code: the codes of a district are not a
  // contiguous range (the reason the list is a table, not a counter).
  std::map<std::string, const Commune*> by_code;
  for (const Commune& c : DemoCommunes()) by_code[c.code] = &c;
  EXPECT_EQ(by_code.at("28249")->name, "Phường 5");
  EXPECT_EQ(by_code.at("28249")->district_name, "Thành phố Mỹ Tho");
  EXPECT_EQ(by_code.at("28567")->name, "Xã Phước Thạnh");
  EXPECT_EQ(by_code.at("28567")->district_code, "815");
  EXPECT_EQ(by_code.at("28708")->name, "Xã Bình Đông");
  EXPECT_EQ(by_code.at("28708")->district_code, "816");
  EXPECT_EQ(by_code.at("28438")->name, "Xã Thạnh Lộc");
  EXPECT_EQ(by_code.at("28438")->district_code, "820");
  EXPECT_EQ(by_code.at("28753")->name, "Xã Phú Tân");
  EXPECT_EQ(by_code.at("28753")->district_name, "Huyện Tân Phú Đông");
}

TEST(DemoCommunesTest, TheProvinceIsTienGiang) {
  EXPECT_STREQ(kDemoProvinceCode, "082");
  EXPECT_STREQ(kDemoProvinceName, "Tiền Giang");
  bool listed = false;
  for (const Province& p : Provinces()) listed |= p.code == "082" && p.name == "Tiền Giang";
  EXPECT_TRUE(listed);
}

}  // namespace
}  // namespace dqa::datagen
