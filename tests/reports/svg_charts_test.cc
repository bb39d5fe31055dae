#include "reports/html/svg_charts.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <regex>
#include <string>
#include <vector>

#include "reports/html/escape.h"

namespace dqa::reports::svg {
namespace {

int Count(const std::string& text, const std::string& needle) {
  int n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// Every number in attribute values is finite: no "nan", "inf" anywhere.
void ExpectFinite(const std::string& svg) {
  EXPECT_EQ(svg.find("nan"), std::string::npos) << svg;
  EXPECT_EQ(svg.find("inf"), std::string::npos) << svg;
  EXPECT_EQ(svg.find("NaN"), std::string::npos) << svg;
}

// The value of attribute `name` of the first element `tag` (e.g. "polyline", "points").
std::string Attr(const std::string& svg, const std::string& tag, const std::string& name) {
  const std::regex re("<" + tag + "[^>]* " + name + "=\"([^\"]*)\"");
  std::smatch m;
  return std::regex_search(svg, m, re) ? m[1].str() : "";
}

TEST(SvgChartsTest, CoordRoundsToOneDecimalWithoutNegativeZeroOrNonFinite) {
  EXPECT_EQ(Coord(12.0), "12");
  EXPECT_EQ(Coord(12.34), "12.3");
  EXPECT_EQ(Coord(12.35), "12.4");
  EXPECT_EQ(Coord(-0.04), "0");
  EXPECT_EQ(Coord(-3.25), "-3.3");
  EXPECT_EQ(Coord(std::numeric_limits<double>::quiet_NaN()), "0");
  EXPECT_EQ(Coord(std::numeric_limits<double>::infinity()), "0");
  EXPECT_EQ(Coord(-std::numeric_limits<double>::infinity()), "0");
  EXPECT_EQ(Coord(1234567.0), "1234567");  // never grouped or localised
}

TEST(SvgChartsTest, EscapeHtmlNeutralisesMarkupAndBadBytes) {
  EXPECT_EQ(EscapeHtml("<script>alert(\"x\")</script>"),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
  EXPECT_EQ(EscapeHtml("a & b 'c'"), "a &amp; b &#39;c&#39;");
  EXPECT_EQ(EscapeHtml("Nguyễn Văn Ánh"), "Nguyễn Văn Ánh");  // valid UTF-8 kept as is
  EXPECT_EQ(EscapeHtml("tab\tnl\n"), "tab\tnl\n");
  EXPECT_EQ(EscapeHtml(std::string("a\0b", 3)),
            "a\xEF\xBF\xBD"
            "b");  // NUL
  EXPECT_EQ(EscapeHtml("\x1b[31m"), "\xEF\xBF\xBD[31m");
  EXPECT_EQ(EscapeHtml("x\xC3"), "x\xEF\xBF\xBD");                // truncated sequence
  EXPECT_EQ(EscapeHtml("\xC0\xBC"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong '<'
  EXPECT_EQ(EscapeHtml("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
}

TEST(SvgChartsTest, SparklineScalesToItsRangeWithTheLastPointMarked) {
  // 90 x 22 with a 3 px pad: x from 3 to 87, y from 3 (top of the scale) to 19 (bottom).
  const std::string svg = Sparkline({60, 70, 80}, "Điểm");
  EXPECT_TRUE(
      svg.starts_with("<svg class=\"spark\" width=\"90\" height=\"22\" viewBox=\"0 0 90 22\""))
      << svg;
  EXPECT_TRUE(svg.ends_with("</svg>"));
  EXPECT_EQ(Attr(svg, "polyline", "points"), "3,19 45,11 87,3");
  EXPECT_NE(svg.find("<circle class=\"end\" cx=\"87\" cy=\"3\" r=\"2.5\"/>"), std::string::npos)
      << svg;
  EXPECT_NE(svg.find("<title>Điểm</title>"), std::string::npos);
  EXPECT_NE(svg.find("aria-label=\"Điểm\""), std::string::npos);
  ExpectFinite(svg);
}

TEST(SvgChartsTest, SparklineWidensAFlatSeriesAndKeepsItInsideZeroToHundred) {
  // Flat at 100: the 10-point span is [90, 100], so the line sits on the top edge.
  EXPECT_EQ(Attr(Sparkline({100, 100}, ""), "polyline", "points"), "3,3 87,3");
  // 50 and 52: span widened to 10 around 51 -> [46, 56]; y = 3 + 16 * (56 - v) / 10.
  EXPECT_EQ(Attr(Sparkline({50, 52}, ""), "polyline", "points"), "3,12.6 87,9.4");
  // Flat at 0: the span is [0, 10], the line on the bottom edge.
  EXPECT_EQ(Attr(Sparkline({0, 0, 0}, ""), "polyline", "points"), "3,19 45,19 87,19");
}

TEST(SvgChartsTest, SparklineEmptyOneAndNonFiniteValues) {
  const std::string empty = Sparkline({}, "");
  EXPECT_EQ(empty,
            "<svg class=\"spark\" width=\"90\" height=\"22\" viewBox=\"0 0 90 22\" role=\"img\" "
            "aria-label=\"\"></svg>");
  const std::string one = Sparkline({73.5}, "t");
  EXPECT_EQ(Count(one, "<polyline"), 0);
  EXPECT_EQ(Count(one, "<circle"), 1);
  EXPECT_NE(one.find("cx=\"45\""), std::string::npos) << one;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::string holes = Sparkline({nan, 40, std::numeric_limits<double>::infinity(), 60}, "");
  EXPECT_EQ(Attr(holes, "polyline", "points"), "3,19 87,3");
  ExpectFinite(holes);
  ExpectFinite(Sparkline({nan}, ""));
  EXPECT_EQ(Count(Sparkline({nan}, ""), "<circle"), 0);
}

TEST(SvgChartsTest, MarkersHaveAShapePerOutcome) {
  EXPECT_EQ(Marker(Outcome::kPass, 10, 20, 3),
            "<circle class=\"o-pass\" cx=\"10\" cy=\"20\" r=\"3\"/>");
  EXPECT_EQ(Marker(Outcome::kWarn, 10, 20, 3),
            "<path class=\"o-warn\" d=\"M10 16.4L13.5 22.7L6.6 22.7Z\"/>");
  EXPECT_EQ(Marker(Outcome::kFail, 10, 20, 3),
            "<rect class=\"o-fail\" x=\"7\" y=\"17\" width=\"6\" height=\"6\"/>");
  EXPECT_EQ(Marker(Outcome::kError, 10, 20, 3),
            "<path class=\"o-error\" d=\"M7 17L13 23M7 23L13 17\"/>");
}

TEST(SvgChartsTest, HistoryChartCoordinatesLimitAndLabels) {
  // 170 x 50: plot from x 34 to 164, y 6 (top) to 37 (zero line); scale 0..max(8, limit 4) = 8.
  std::vector<HistoryPoint> points = {{0, Outcome::kPass, "01/11: 0"},
                                      {4, Outcome::kWarn, "02/11: 4"},
                                      {8, Outcome::kFail, "03/11: 8"}};
  HistoryChartText text{"Số vi phạm", "8", "01/11", "03/11", "Ngưỡng ≤ 4"};
  const std::string svg = HistoryChart(points, 4.0, text);
  EXPECT_EQ(Attr(svg, "polyline", "points"), "34,37 99,21.5 164,6");
  EXPECT_NE(svg.find("<circle class=\"o-pass\" cx=\"34\" cy=\"37\""), std::string::npos) << svg;
  EXPECT_NE(svg.find("class=\"o-warn\" d=\"M99 17.9"), std::string::npos) << svg;
  EXPECT_NE(svg.find("<rect class=\"o-fail\" x=\"161\" y=\"3\""), std::string::npos) << svg;
  EXPECT_NE(svg.find("<path class=\"limit\" d=\"M34 21.5H164\"><title>Ngưỡng ≤ 4</title>"),
            std::string::npos)
      << svg;
  EXPECT_NE(svg.find("<title>02/11: 4</title>"), std::string::npos);
  EXPECT_NE(svg.find(">01/11</text>"), std::string::npos);
  EXPECT_NE(svg.find(">03/11</text>"), std::string::npos);
  EXPECT_NE(svg.find(">8</text>"), std::string::npos);
  EXPECT_EQ(Count(svg, "<g>"), 3);
  ExpectFinite(svg);
}

TEST(SvgChartsTest, HistoryChartLimitAboveTheValuesSetsTheScale) {
  // Values 0 and 1 under a limit of 10: the limit line at the top, the points low.
  const std::string svg =
      HistoryChart({{0, Outcome::kPass, ""}, {1, Outcome::kPass, ""}}, 10.0, HistoryChartText{});
  EXPECT_EQ(Attr(svg, "polyline", "points"), "34,37 164,33.9");
  EXPECT_NE(svg.find("d=\"M34 6H164\""), std::string::npos) << svg;
}

TEST(SvgChartsTest, HistoryChartEmptyOnePointAllZeroAndHostileText) {
  const std::string empty = HistoryChart({}, std::nullopt, HistoryChartText{"t", "1", "", "", ""});
  EXPECT_EQ(Count(empty, "<polyline"), 0);
  EXPECT_EQ(Count(empty, "<g>"), 0);
  EXPECT_NE(empty.find("class=\"axis\""), std::string::npos);
  ExpectFinite(empty);

  const std::string one = HistoryChart({{5, Outcome::kFail, "x"}}, std::nullopt,
                                       HistoryChartText{"t", "5", "21/11", "21/11", ""});
  EXPECT_EQ(Count(one, "<polyline"), 0);
  EXPECT_NE(one.find("<rect class=\"o-fail\" x=\"96\" y=\"3\""), std::string::npos) << one;
  EXPECT_EQ(Count(one, ">21/11</text>"), 1);  // one day label, centred
  EXPECT_NE(one.find("text-anchor=\"middle\">21/11"), std::string::npos);

  // All zero, no limit: the scale is 0..1 and every point sits on the zero line.
  const std::string zero = HistoryChart({{0, Outcome::kPass, ""}, {0, Outcome::kPass, ""}},
                                        std::nullopt, HistoryChartText{});
  EXPECT_EQ(Attr(zero, "polyline", "points"), "34,37 164,37");
  EXPECT_EQ(Count(zero, "class=\"limit\""), 0);
  // A negative or non-finite limit is not drawn.
  EXPECT_EQ(Count(HistoryChart({}, -1.0, HistoryChartText{}), "class=\"limit\""), 0);
  EXPECT_EQ(Count(HistoryChart({}, std::numeric_limits<double>::quiet_NaN(), HistoryChartText{}),
                  "class=\"limit\""),
            0);

  const std::string hostile =
      HistoryChart({{1, Outcome::kFail, "<script>x</script>"}}, std::nullopt,
                   HistoryChartText{"\"><img src=x>", "1", "&", "", ""});
  EXPECT_EQ(hostile.find("<script"), std::string::npos);
  EXPECT_EQ(hostile.find("<img"), std::string::npos);
  EXPECT_NE(hostile.find("&lt;script&gt;"), std::string::npos);
  EXPECT_NE(hostile.find("aria-label=\"&quot;&gt;&lt;img src=x&gt;\""), std::string::npos);
}

TEST(SvgChartsTest, ScoreChartGridGapsAndDayLabels) {
  // 680 x 190: plot x 38..666, y 10 (100) .. 168 (0).
  std::vector<DayPoint> days = {{50.0, "01/10", "a"},
                                {std::nullopt, "02/10", ""},
                                {75.0, "03/10", ""},
                                {100.0, "04/10", ""},
                                {0.0, "05/10", ""}};
  const std::string svg = ScoreChart(days, {"0", "25", "50", "75", "100"}, "Điểm theo ngày");
  // Gridlines at 0 (axis), 25, 50, 75, 100.
  EXPECT_NE(svg.find("<path class=\"axis\" d=\"M38 168H666\"/>"), std::string::npos) << svg;
  EXPECT_NE(svg.find("<path class=\"grid\" d=\"M38 10H666\"/>"), std::string::npos);
  EXPECT_EQ(Count(svg, "class=\"grid\""), 4);
  EXPECT_NE(svg.find(">100</text>"), std::string::npos);
  // The unmeasured day breaks the line: one polyline through days 3..5, day 1 alone.
  EXPECT_EQ(Count(svg, "<polyline"), 1);
  EXPECT_EQ(Attr(svg, "polyline", "points"), "352,49.5 509,10 666,168");
  EXPECT_EQ(Count(svg, "<circle class=\"dot\""), 4);
  EXPECT_NE(svg.find("<circle class=\"dot\" cx=\"38\" cy=\"89\" r=\"3\"/>"), std::string::npos);
  // Five days fit under the eight labels allowed: all drawn, first left-aligned, last
  // right-aligned.
  EXPECT_EQ(Count(svg, "</text>"), 5 + 5);
  EXPECT_NE(svg.find("text-anchor=\"start\">01/10"), std::string::npos);
  EXPECT_NE(svg.find("text-anchor=\"end\">05/10"), std::string::npos);
  ExpectFinite(svg);
}

TEST(SvgChartsTest, ScoreChartThinsDayLabelsAndHandlesEmptyAndOneDay) {
  std::vector<DayPoint> month;
  for (int d = 1; d <= 31; ++d) month.push_back({80.0, "d" + std::to_string(d), ""});
  const std::string svg = ScoreChart(month, {}, "");
  // At most eight day labels, the first and the last among them.
  EXPECT_EQ(Count(svg, "</text>"), 8);
  EXPECT_NE(svg.find(">d1</text>"), std::string::npos);
  EXPECT_NE(svg.find(">d31</text>"), std::string::npos);

  const std::string empty = ScoreChart({}, {"0", "25", "50", "75", "100"}, "");
  EXPECT_EQ(Count(empty, "<polyline"), 0);
  EXPECT_EQ(Count(empty, "<circle"), 0);
  EXPECT_EQ(Count(empty, "</text>"), 5);

  const std::string one = ScoreChart({{42.0, "01/10", ""}}, {}, "");
  EXPECT_EQ(Count(one, "<polyline"), 0);
  EXPECT_NE(one.find("cx=\"352\""), std::string::npos) << one;
  EXPECT_NE(one.find("text-anchor=\"middle\">01/10"), std::string::npos);
  ExpectFinite(one);

  const std::string nan =
      ScoreChart({{std::numeric_limits<double>::quiet_NaN(), "x", ""}, {50.0, "y", ""}}, {}, "");
  ExpectFinite(nan);
  EXPECT_EQ(Count(nan, "<circle"), 1);
}

}  // namespace
}  // namespace dqa::reports::svg
