// ColumnStats' table totals (docs/engine.md "Table totals"): a table's statistics, less those of
// the ranges read again, plus what they hold now, are exactly the statistics of the table as it is.
#include <gtest/gtest.h>

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/checks/column_stats.h"

namespace dqa {
namespace {

// A text value whose bytes live as long as the test (Value holds a view).
Value Text(std::string text) {
  static std::deque<std::string> texts;
  texts.push_back(std::move(text));
  return Value::Text(texts.back());
}

// Rows of one range: `rows` values, from a generator of seed `seed`. Numbers stored as INTEGER,
// REAL and text, NULLs, words; value 7 is frequent everywhere, and `heavy` (when given) is every
// third row.
std::vector<Value> RangeValues(uint64_t seed, int rows, const std::string& heavy = "") {
  std::vector<Value> out;
  uint64_t x = seed * 2654435761u + 1;
  auto next = [&x](uint64_t n) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x % n;
  };
  for (int i = 0; i < rows; ++i) {
    if (!heavy.empty() && i % 3 == 0) {
      out.push_back(Text(heavy));
      continue;
    }
    switch (next(6)) {
      case 0: out.push_back(Value::Null()); break;
      case 1: out.push_back(Value::Integer(7)); break;
      case 2: out.push_back(Value::Integer(static_cast<int64_t>(next(500)))); break;
      case 3: out.push_back(Value::Real(static_cast<double>(next(300)) / 4)); break;
      case 4: out.push_back(Text(std::to_string(next(200)))); break;
      default: out.push_back(Text("w" + std::to_string(next(900)))); break;
    }
  }
  return out;
}

ColumnStats Fresh() { return ColumnStats(StatsKind::kNumbers, DateFormat::kIso, true); }

ColumnStats Of(const std::vector<Value>& values) {
  ColumnStats s = Fresh();
  for (const Value& v : values) s.Add(v);
  return s;
}

// Every figure a check reads, after Finish.
nlohmann::json Figures(ColumnStats s) {
  s.Finish();
  nlohmann::json top = nlohmann::json::array();
  for (const auto& [text, count] : s.Top(12)) {
    top.push_back({text ? nlohmann::json(*text) : nlohmann::json(), count});
  }
  return {{"rows", s.rows()},          {"nulls", s.nulls()},
          {"unparseable", s.unparseable()}, {"stored", s.stored_numbers()},
          {"figures", s.figure_count()},    {"min", s.Min()},
          {"max", s.Max()},                 {"q", {s.Quantile(0.05), s.Quantile(0.5), s.Quantile(0.95)}},
          {"sum", s.sum()},                 {"stddev", s.PopulationStddev()},
          {"distinct", s.DistinctCount()},  {"top", std::move(top)}};
}

// The statistics of `ranges` merged, as a split scan merges them.
ColumnStats Merged(const std::vector<std::vector<Value>>& ranges) {
  ColumnStats all = Fresh();
  for (const auto& r : ranges) {
    ColumnStats part = Of(r);
    all.Merge(part);
  }
  return all;
}

TEST(ColumnStatsTest, ATotalLessTheRangesReadAgainPlusTheirValuesIsTheWholeTable) {
  std::vector<std::vector<Value>> ranges;
  for (uint64_t r = 0; r < 8; ++r) ranges.push_back(RangeValues(r + 1, 900));
  nlohmann::json total = Merged(ranges).Save();

  // Three nights, each changing some ranges; the next night builds on the total this one keeps.
  // Night 1: range 2 becomes mostly "bão" (a value over 1/101 of the table that only the new rows
  // hold); night 2: range 2 changes again and range 5 shrinks; night 3: range 0 goes empty.
  const std::vector<std::vector<std::pair<size_t, std::vector<Value>>>> nights = {
      {{2, RangeValues(100, 900, "bão")}},
      {{2, RangeValues(200, 700)}, {5, RangeValues(201, 90)}},
      {{0, {}}},
  };
  for (size_t n = 0; n < nights.size(); ++n) {
    std::vector<ColumnStats> earlier;
    std::vector<nlohmann::json> earlier_saved;
    ColumnStats read = Fresh();
    for (const auto& [index, values] : nights[n]) {
      earlier_saved.push_back(Of(ranges[index]).Save());
      ColumnStats now = Of(values);
      read.Merge(now);
      ranges[index] = values;
    }
    std::vector<const nlohmann::json*> pointers;
    for (const nlohmann::json& e : earlier_saved) pointers.push_back(&e);
    ASSERT_TRUE(read.AddTotal(total, pointers)) << "night " << n;
    total = read.Save();
    const nlohmann::json figures = Figures(std::move(read));
    EXPECT_EQ(figures, Figures(Merged(ranges))) << "night " << n;
    // "bão" is listed with its text while it is frequent.
    EXPECT_EQ(figures.at("top").dump().find("bão") != std::string::npos, n == 0) << n;
  }
}

// The text of a value that becomes frequent when other ranges shrink is known although no range
// read again holds it: the total keeps every range's summary of frequent values, not one merged
// summary, which keeps only the values frequent in the whole table (and "mưa" was not).
TEST(ColumnStatsTest, ATotalKeepsTheTextsOfValuesFrequentInUnchangedRanges) {
  std::vector<std::vector<Value>> ranges;
  // "mưa" every third row of ranges 0..3 (800 rows): 0.7% of the table, a third of those ranges.
  for (uint64_t r = 0; r < 4; ++r) ranges.push_back(RangeValues(r + 1, 600, "mưa"));
  for (uint64_t r = 4; r < 40; ++r) ranges.push_back(RangeValues(r + 1, 3000));
  ASSERT_EQ(Figures(Merged(ranges)).at("top").dump().find("mưa"), std::string::npos);
  const nlohmann::json total = Merged(ranges).Save();
  // Ranges 4..30 are emptied: "mưa" is now 2.7% of the table.
  std::vector<nlohmann::json> earlier;
  for (size_t r = 4; r <= 30; ++r) {
    earlier.push_back(Of(ranges[r]).Save());
    ranges[r].clear();
  }
  std::vector<const nlohmann::json*> pointers;
  for (const nlohmann::json& e : earlier) pointers.push_back(&e);
  ColumnStats read = Fresh();
  ASSERT_TRUE(read.AddTotal(total, pointers));
  const nlohmann::json figures = Figures(std::move(read));
  EXPECT_EQ(figures, Figures(Merged(ranges)));
  EXPECT_NE(figures.at("top").dump().find("mưa"), std::string::npos) << figures.at("top").dump();
}

TEST(ColumnStatsTest, ATotalThatDoesNotHoldTheRangesIsRefused) {
  const std::vector<Value> a = RangeValues(1, 500), b = RangeValues(2, 500);
  const nlohmann::json total = Of(a).Save();
  const nlohmann::json not_in_it = Of(b).Save();
  ColumnStats read = Of(b);
  const nlohmann::json before = read.Save();
  EXPECT_FALSE(read.AddTotal(total, {&not_in_it}));
  EXPECT_EQ(read.Save(), before);
  // A total that does not add up to its own counts.
  nlohmann::json broken = total;
  broken["counts"][0] = broken["counts"][0].get<int64_t>() + 1;
  EXPECT_FALSE(read.AddTotal(broken, {}));
  EXPECT_EQ(read.Save(), before);
  // What keeps a min or max alone cannot be taken apart.
  EXPECT_FALSE(ColumnStats(StatsKind::kNumbers, DateFormat::kIso, false,
                           {.hashes = false, .figures = true, .every_figure = false})
                   .KeepsTotal());
  EXPECT_TRUE(Fresh().KeepsTotal());
}

}  // namespace
}  // namespace dqa
