// The SDK's CSV field quoting (dqaudit/csv.h), used by the schedule and the CSV report.
#include "dqaudit/csv.h"

#include <gtest/gtest.h>

namespace dqa::sdk {
namespace {

TEST(SdkCsvTest, PlainFieldsAreWrittenAsTheyAre) {
  EXPECT_EQ(QuoteCsvField(""), "");
  EXPECT_EQ(QuoteCsvField("abc"), "abc");
  EXPECT_EQ(QuoteCsvField(" padded "), " padded ");  // spaces are data: not trimmed, not quoted
  EXPECT_EQ(QuoteCsvField("a;b\tc"), "a;b\tc");
  EXPECT_EQ(QuoteCsvField("=SUM(A1)"), "=SUM(A1)");  // no formula guard here
  EXPECT_EQ(QuoteCsvField("S\xE1\xBB\x9F T\xC6\xB0 ph\xC3\xA1p"), "S\xE1\xBB\x9F T\xC6\xB0 ph\xC3\xA1p");
  EXPECT_EQ(QuoteCsvField("it's"), "it's");
}

TEST(SdkCsvTest, CommasQuotesAndLineBreaksAreQuoted) {
  EXPECT_EQ(QuoteCsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(QuoteCsvField(","), "\",\"");
  EXPECT_EQ(QuoteCsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(QuoteCsvField("\""), "\"\"\"\"");
  EXPECT_EQ(QuoteCsvField("line1\nline2"), "\"line1\nline2\"");
  EXPECT_EQ(QuoteCsvField("cr\r"), "\"cr\r\"");
  EXPECT_EQ(QuoteCsvField("a,\"b\"\r\nc"), "\"a,\"\"b\"\"\r\nc\"");
}

}  // namespace
}  // namespace dqa::sdk
