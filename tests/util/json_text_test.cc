// JsonStringRows and AppendJsonString: byte for byte the text nlohmann::json writes for the same
// rows (dump(-1, ' ', false, replace)), which the history store kept before and reads back.
#include "core/util/json_text.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace dqa {
namespace {

using Rows = std::vector<std::vector<std::string>>;

std::string Nlohmann(const Rows& rows) {
  return nlohmann::json(rows).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

TEST(JsonTextTest, EveryByteAloneIsWrittenAsNlohmannWritesIt) {
  Rows rows;
  for (int b = 0; b < 256; ++b) rows.push_back({std::string(1, static_cast<char>(b))});
  EXPECT_EQ(JsonStringRows(rows), Nlohmann(rows));
  // Each byte between others: the plain runs before and after an escape are kept.
  Rows between;
  for (int b = 0; b < 256; ++b) between.push_back({"ab" + std::string(1, static_cast<char>(b)) + "cd"});
  EXPECT_EQ(JsonStringRows(between), Nlohmann(between));
}

TEST(JsonTextTest, EscapesByNameAndByNumber) {
  std::string out;
  AppendJsonString(out, "a\"b\\c\b\t\n\f\r\x01\x1f\x7f");
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\b\\t\\n\\f\\r\\u0001\\u001f\x7f\"");
}

TEST(JsonTextTest, ValidUtf8IsKeptAndInvalidReplacedAsNlohmannDoes) {
  const Rows rows = {
      {"Nguyễn Văn Ánh", "Đường 3/2, phường Xuân Khánh", "", "😀 ngoài BMP"},
      {"\xC3\x28"},                  // a lead byte without its continuation
      {"ab\xE1\x80", "\xE1\x80"},    // cut short, inside and at the end
      {"\xC0\xAF", "\xE0\x80\xAF"},  // overlong forms of '/'
      {"\xED\xA0\x80"},              // a UTF-16 surrogate
      {"\xF4\x90\x80\x80"},          // above U+10FFFF
      {"\xFF\xFE", "x\x80y\"\n"},    // bytes that never begin a code point, with escapes after
      {},
  };
  EXPECT_EQ(JsonStringRows(rows), Nlohmann(rows));
  // The replaced text reads back (nlohmann's own parser) as U+FFFD where the bad bytes were.
  const auto parsed = nlohmann::json::parse(JsonStringRows({{"a\xC3\x28"}}));
  EXPECT_EQ(parsed[0][0].get<std::string>(), "a\xEF\xBF\xBD(");
}

TEST(JsonTextTest, EmptyListsAndEmptyRows) {
  EXPECT_EQ(JsonStringRows({}), "[]");
  EXPECT_EQ(JsonStringRows({{}, {}}), "[[],[]]");
  EXPECT_EQ(JsonStringRows({{"a", "b"}, {"c"}}), R"([["a","b"],["c"]])");
}

}  // namespace
}  // namespace dqa
