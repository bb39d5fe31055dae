// The row loop's shortcuts (docs/engine.md "Row loop"): each one does less work per row and must
// answer exactly what the long way answers.
#include <gtest/gtest.h>

#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "core/checks/check_support.h"
#include "core/checks/column_stats.h"
#include "core/util/dates.h"
#include "core/util/text.h"

namespace dqa {
namespace {

TEST(RowLoopTest, DateSecondsParsesACellOncePerFormat) {
  const Value v = Value::Text("2026-11-01");
  const int64_t day = *DaysFromCivil(2026, 11, 1) * kSecondsPerDay;
  EXPECT_EQ(DateSeconds(v, DateFormat::kIso), day);
  // The second check on the column reads the memo, not the text: a planted memo proves it.
  v.date_memo_seconds = 42;
  EXPECT_EQ(DateSeconds(v, DateFormat::kIso), 42);
  // Another format parses again (and is remembered in its turn).
  EXPECT_EQ(DateSeconds(v, DateFormat::kDmy), std::nullopt);
  EXPECT_EQ(DateSeconds(v, DateFormat::kIso), day);

  const Value dmy = Value::Text(" 01/11/2026 ");
  EXPECT_EQ(DateSeconds(dmy, DateFormat::kIso), std::nullopt);
  EXPECT_EQ(DateSeconds(dmy, DateFormat::kIso), std::nullopt);
  EXPECT_EQ(DateSeconds(dmy, DateFormat::kDmy), day);
  // A fresh Value (every cell of the next row) starts without a memo.
  EXPECT_EQ(Value::Text("2026-11-02").date_memo_format, -1);
  EXPECT_EQ(DateSeconds(Value::Text("2026-11-02"), DateFormat::kIso), day + kSecondsPerDay);
}

// Every "YYYY-MM-DD" and "YYYY-MM-DD HH:MM:SS" of the fast path is read as the general path reads
// the same day followed by a midnight time, or the same time followed by "Z" (UTC): both take the
// general path.
TEST(RowLoopTest, PlainIsoDatesAgreeWithTheGeneralParser) {
  std::vector<std::string> texts = {"0000-01-01", "9999-12-31", "2024-02-29", "2023-02-29",
                                    "2026-02-30", "2026-13-01", "2026-00-10", "2026-11-00",
                                    "2026-11-32", "2026/11/01", "2026-1x-01", "202a-11-01",
                                    "2026-11-0 ", "+026-11-01", "2026--1-01", "2026-11-1T"};
  for (int y : {1899, 1900, 1970, 2000, 2026}) {
    for (int m = 1; m <= 12; ++m) {
      for (int d = 27; d <= 31; ++d) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
        texts.emplace_back(buf);
      }
    }
  }
  int parsed = 0;
  for (const std::string& t : texts) {
    const auto fast = ParseDateText(t, DateFormat::kIso);
    EXPECT_EQ(fast, ParseDateText(t + "T00:00", DateFormat::kIso)) << t;
    parsed += fast.has_value();
    for (const char* time : {" 10:15:00", "T23:59:60", " 24:00:00", "T12:60:00", " 12:00:61",
                             " 1a:00:00", "_10:15:00", " 10-15-00", "T00:00:00"}) {
      const std::string datetime = t + time;
      const auto fast_time = ParseDateText(datetime, DateFormat::kIso);
      EXPECT_EQ(fast_time, ParseDateText(datetime + "Z", DateFormat::kIso)) << datetime;
    }
  }
  EXPECT_EQ(ParseDateText("2026-11-01 10:15:00", DateFormat::kIso),
            *DaysFromCivil(2026, 11, 1) * kSecondsPerDay + 10 * 3600 + 15 * 60);
  // 0000-01-01, 9999-12-31 and 2024-02-29 of the list; of the 300 generated days, each year loses
  // 31 April/June/September/November and 29-31 February (2000, a leap year, keeps the 29th).
  EXPECT_EQ(parsed, 3 + 300 - 4 * (4 + 3) - (4 + 2));
}

// A number's text form is written into the caller's scratch, whose buffer is kept: the row loop
// does not allocate for it. The text is IntegerText / RealText's.
TEST(RowLoopTest, NumberTextFormsReuseTheScratch) {
  std::string scratch;
  scratch.reserve(64);
  const char* buffer = scratch.data();
  for (const double x : {-2.2250738585072014e-308, 0.1 + 0.2, 1e300, -0.0, 2.5}) {
    EXPECT_EQ(TextForm(Value::Real(x), scratch), RealText(x));
    EXPECT_EQ(scratch.data(), buffer);
  }
  for (const int64_t i : {std::numeric_limits<int64_t>::min(), int64_t{0}, int64_t{-7},
                          std::numeric_limits<int64_t>::max()}) {
    EXPECT_EQ(TextForm(Value::Integer(i), scratch), IntegerText(i));
    EXPECT_EQ(scratch.data(), buffer);
  }
  EXPECT_EQ(TextForm(Value::Null(), scratch), "NULL");
  EXPECT_EQ(TextForm(Value::Text("Nữ"), scratch).data(), Value::Text("Nữ").bytes.data());
}

// What a metric does not read is not kept: a ratio keeps no hash and no figure, yet counts the
// values that are not numbers.
TEST(RowLoopTest, ColumnStatsKeepOnlyWhatIsRead) {
  ColumnStats counts(StatsKind::kNumbers, DateFormat::kIso, false,
                     {.hashes = false, .figures = false});
  ColumnStats all(StatsKind::kNumbers, DateFormat::kIso, false);
  for (const Value& v : {Value::Integer(3), Value::Text("4.5"), Value::Text("x"), Value::Null(),
                         Value::Integer(3)}) {
    counts.Add(v);
    all.Add(v);
  }
  counts.Finish();
  all.Finish();
  for (const ColumnStats* s : {&counts, &all}) {
    EXPECT_EQ(s->rows(), 5);
    EXPECT_EQ(s->nulls(), 1);
    EXPECT_EQ(s->unparseable(), 1);
    EXPECT_EQ(s->stored_numbers(), 2);
  }
  EXPECT_EQ(counts.figure_count(), 0);
  EXPECT_EQ(counts.DistinctCount(), 0);
  EXPECT_EQ(all.figure_count(), 3);
  EXPECT_EQ(all.Min(), 3);
  EXPECT_EQ(all.Max(), 4.5);
  EXPECT_EQ(all.Quantile(0.5), 3);
  EXPECT_EQ(all.DistinctCount(), 3);
  EXPECT_DOUBLE_EQ(all.sum(), 10.5);
}

}  // namespace
}  // namespace dqa
