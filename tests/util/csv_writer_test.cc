// CsvWriter: the two CSV styles (separator, decimal mark, dates), quoting and the formula guard.
#include "core/util/csv_writer.h"

#include <gtest/gtest.h>

#include "core/util/dates.h"

namespace dqa {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// One row written with `style`, without the byte-order mark and the CRLF.
template <typename Fill>
std::string Row(CsvStyle style, Fill fill) {
  CsvWriter csv(style);
  fill(csv);
  csv.EndRow();
  const std::string& out = csv.str();
  EXPECT_TRUE(out.starts_with(kBom));
  EXPECT_TRUE(out.ends_with("\r\n"));
  return out.substr(kBom.size(), out.size() - kBom.size() - 2);
}

// The same fields in both styles: rfc4180 with ',', '.' and ISO days; excel-vi with ';', a
// decimal comma and dd/mm/yyyy (a field with the style's separator is quoted, the other is not).
TEST(CsvWriterTest, EachStyleHasItsSeparatorDecimalMarkAndDays) {
  const int64_t day = *DaysFromCivil(2026, 11, 2);
  for (const auto& [style, expected] :
       {std::pair{CsvStyle::kRfc4180, "-12,2.5,100,42.2,2026-11-02,2026-01-31,,,0.125,a;b,\"a,b\""},
        std::pair{CsvStyle::kExcelVi,
                  "-12;2,5;100;42,2;02/11/2026;31/01/2026;;;0,125;\"a;b\";a,b"}}) {
    EXPECT_EQ(Row(style,
                  [&](CsvWriter& c) {
                    c.Int(-12).Num(2.5).Num(100).Fixed(42.25, 1).Day(day).IsoDay("2026-01-31");
                    c.Empty().OptInt(std::nullopt).OptNum(0.125).Text("a;b").Text("a,b");
                  }),
              expected);
  }
}

TEST(CsvWriterTest, DecimalsInTextAndDaysThatAreNotDays) {
  CsvWriter csv(CsvStyle::kExcelVi);
  EXPECT_EQ(csv.Decimal(2.5, 2), "2,50");
  // Text that is not an ISO day stays as it is (as text).
  EXPECT_EQ(Row(CsvStyle::kExcelVi, [](CsvWriter& c) { c.IsoDay("2026-13-01").IsoDay(""); }),
            "2026-13-01;");
}

TEST(CsvWriterTest, QuotingAndFormulaGuard) {
  for (CsvStyle style : {CsvStyle::kRfc4180, CsvStyle::kExcelVi}) {
    auto one = [style](std::string_view text) {
      return Row(style, [&](CsvWriter& c) { c.Text(text); });
    };
    EXPECT_EQ(one("plain"), "plain");
    EXPECT_EQ(one("say \"hi\""), "\"say \"\"hi\"\"\"");
    EXPECT_EQ(one("two\nlines"), "\"two\nlines\"");
    EXPECT_EQ(one("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
    EXPECT_EQ(one("-5"), "'-5");
    EXPECT_EQ(one("+1"), "'+1");
    EXPECT_EQ(one("@cmd"), "'@cmd");
    EXPECT_EQ(one("\tx"), "'\tx");
    EXPECT_EQ(one(""), "");
    EXPECT_EQ(one("Sở Tư pháp"), "Sở Tư pháp");
  }
  // Rows: fields restart after EndRow.
  CsvWriter csv(CsvStyle::kRfc4180);
  csv.Text("a").Text("b");
  csv.EndRow();
  csv.Int(1);
  csv.EndRow();
  EXPECT_EQ(csv.str(), std::string(kBom) + "a,b\r\n1\r\n");
}

// Values of unknown type (row keys, failing rows' figures): plain numbers as numbers in the style,
// identifiers with leading zeros and everything else as text.
TEST(CsvWriterTest, ValueWritesPlainNumbersAsNumbersAndKeepsIdentifiersAsText) {
  for (CsvStyle style : {CsvStyle::kExcelVi, CsvStyle::kRfc4180}) {
    CsvWriter csv(style);
    for (const char* v : {"1.000", "-11.5", "0", "0.953", "1000", "001089000123", "0912345678",
                          "1e5", "1.", ".5", "-", "1,5", "Nguyễn Văn A", "-x"}) {
      csv.Value(v);
    }
    csv.EndRow();
    EXPECT_EQ(csv.str(),
              std::string(kBom) +
                  (style == CsvStyle::kExcelVi
                       ? "1,000;-11,5;0;0,953;1000;001089000123;0912345678;1e5;1.;.5;'-;1,5;"
                         "Nguyễn Văn A;'-x\r\n"
                       : "1.000,-11.5,0,0.953,1000,001089000123,0912345678,1e5,1.,.5,'-,\"1,5\","
                         "Nguyễn Văn A,'-x\r\n"));
  }
}

TEST(CsvWriterTest, StyleNamesAndDefaults) {
  EXPECT_EQ(*ParseCsvStyle("excel-vi"), CsvStyle::kExcelVi);
  EXPECT_EQ(*ParseCsvStyle("rfc4180"), CsvStyle::kRfc4180);
  const auto bad = ParseCsvStyle("excel");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().message(), "unknown CSV style 'excel': expected excel-vi or rfc4180");
  EXPECT_EQ(ToString(CsvStyle::kExcelVi), "excel-vi");
  EXPECT_EQ(ToString(CsvStyle::kRfc4180), "rfc4180");
  EXPECT_EQ(DefaultCsvStyle("vi"), CsvStyle::kExcelVi);
  EXPECT_EQ(DefaultCsvStyle("en"), CsvStyle::kRfc4180);
}

}  // namespace
}  // namespace dqa
