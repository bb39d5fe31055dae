// The plugin SDK's date parameters and date cells (Params::GetDateFormat, Row::DateDay with a
// format), which replaced a copy in each sector plugin.
#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "dqaudit/plugin.h"

namespace dqa::sdk {
namespace {

Params ParamsWith(std::map<std::string, std::string> strings) {
  std::map<std::string, detail::JsonValue> values;
  for (const auto& [name, text] : strings) {
    detail::JsonValue v;
    v.kind = detail::JsonValue::Kind::kString;
    v.text = text;
    values[name] = v;
  }
  return Params(std::move(values), Context{});
}

TEST(SdkParamsTest, GetDateFormatReadsAutoIsoAndDmyAndDefaultsToAuto) {
  EXPECT_EQ(ParamsWith({}).GetDateFormat("date_format"), DateFormat::kAuto);
  EXPECT_EQ(ParamsWith({{"date_format", "iso"}}).GetDateFormat("date_format"), DateFormat::kIso);
  EXPECT_EQ(ParamsWith({{"paid", "dmy"}}).GetDateFormat("paid"), DateFormat::kDmy);
  EXPECT_EQ(ParamsWith({{"paid", "dmy"}}).GetDateFormat("date_format"), DateFormat::kAuto);
}

TEST(SdkParamsTest, GetDateFormatNamesTheParameterAndTheBadValue) {
  try {
    ParamsWith({{"death_date_format", "ymd"}}).GetDateFormat("death_date_format");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "death_date_format must be auto, iso or dmy, got 'ymd'");
  }
}

// One row of cells: [INTEGER 86400 * 3, TEXT " 5/3/2025 ", TEXT "2025-03-05", REAL 1.5, NULL].
struct Cells {
  static int Count(const void*) { return 5; }
  static int Find(const void*, const char* name) {
    const char* names[] = {"unix", "dmy", "iso", "real", "null"};
    for (int i = 0; i < 5; ++i) {
      if (std::strcmp(names[i], name) == 0) return i;
    }
    return -1;
  }
  static int Type(const void*, int i) {
    const int types[] = {DQA_VALUE_INTEGER, DQA_VALUE_TEXT, DQA_VALUE_TEXT, DQA_VALUE_REAL,
                         DQA_VALUE_NULL};
    return i >= 0 && i < 5 ? types[i] : DQA_VALUE_NULL;
  }
  static int64_t Int(const void*, int) { return 86400 * 3; }
  static double Double(const void*, int) { return 1.5; }
  static const char* Text(const void*, int i, size_t* len) {
    const char* text = i == 1 ? " 5/3/2025 " : i == 2 ? "2025-03-05" : "";
    *len = std::strlen(text);
    return text;
  }
};

TEST(SdkRowTest, DateDayWithAFormatReadsUnixSecondsAndTextInThatFormat) {
  const dqa_row raw{nullptr, Cells::Count, Cells::Find, Cells::Type, Cells::Int, Cells::Double,
                    Cells::Text};
  const Row row(raw);
  const int64_t march5 = DaysFromCivil(2025, 3, 5);
  EXPECT_EQ(row.DateDay("unix", DateFormat::kDmy), 3);  // INTEGER: Unix seconds, any format
  EXPECT_EQ(row.DateDay("dmy", DateFormat::kDmy), march5);
  EXPECT_EQ(row.DateDay("dmy", DateFormat::kAuto), march5);
  EXPECT_EQ(row.DateDay("dmy", DateFormat::kIso), std::nullopt);
  EXPECT_EQ(row.DateDay("iso", DateFormat::kIso), march5);
  EXPECT_EQ(row.DateDay("iso", DateFormat::kDmy), std::nullopt);
  EXPECT_EQ(row.DateDay("real", DateFormat::kAuto), std::nullopt);
  EXPECT_EQ(row.DateDay("null", DateFormat::kAuto), std::nullopt);
  EXPECT_EQ(row.DateDay("absent", DateFormat::kAuto), std::nullopt);
  EXPECT_EQ(row.DateDayAt(1, DateFormat::kDmy), march5);
  // Without a format, DateDay keeps its own stricter reading: DD/MM/YYYY padded, no spaces.
  EXPECT_EQ(row.DateDay("dmy"), std::nullopt);
  EXPECT_EQ(row.DateDay("iso"), march5);
}

}  // namespace
}  // namespace dqa::sdk
