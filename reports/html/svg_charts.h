// Small inline SVG charts for the HTML reports: a sparkline, a check's history and a daily score
// chart. Pure functions of their inputs: numbers are written locale-free with at most one decimal,
// non-finite values never reach the output, and every text passed in is escaped here. Colours come
// from the report's stylesheet through classes (o-pass, o-warn, o-fail, o-error); outcomes also
// have their own marker shape, so a chart reads without colour.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/types.h"

namespace dqa::reports::svg {

// A coordinate: at most one decimal, no trailing ".0", no "-0"; NaN and infinities give "0".
std::string Coord(double value);

// The marker of one point of `outcome` centred on (x, y) with radius `r`: pass a circle, warn a
// triangle, fail a square, error a cross; class "o-<outcome>".
std::string Marker(Outcome outcome, double x, double y, double r);

struct SparklineStyle {
  double width = 90;  // pixels
  double height = 22;
  double min_span =
      10;            // the vertical scale spans at least this many points (flat lines stay flat)
  double floor = 0;  // the scale never goes outside [floor, ceiling] (scores: 0..100)
  double ceiling = 100;
};

// A line through `values` (oldest first) with the last one marked, scaled to their own range.
// Non-finite values are left out. No value: an empty frame of the same size; one value: a dot.
// `title` becomes the chart's accessible name and tooltip.
std::string Sparkline(const std::vector<double>& values, std::string_view title,
                      const SparklineStyle& style = {});

// One result of a check in its history chart.
struct HistoryPoint {
  double value = 0;  // violations (>= 0)
  Outcome outcome = Outcome::kPass;
  std::string tooltip;  // e.g. "21/11/2026: 12 vi phạm (Không đạt)"
};

struct HistoryChartText {
  std::string title;        // accessible name of the chart
  std::string max_label;    // the value at the top of the scale, already formatted
  std::string first_label;  // under the first point (its day)
  std::string last_label;   // under the last point; not drawn when there is one point
  std::string limit_label;  // tooltip of the limit line
};

struct HistoryChartStyle {
  double width = 170;
  double height = 50;
};

// Violations over the runs, oldest first, evenly spaced, on a scale from 0 to the largest of the
// values and `limit` (1 when everything is 0). `limit` (the fail count limit), when given and >= 0,
// is a dashed line. Points carry their outcome's marker and tooltip. Empty: the frame only.
std::string HistoryChart(const std::vector<HistoryPoint>& points, std::optional<double> limit,
                         const HistoryChartText& text, const HistoryChartStyle& style = {});

// One day of a score chart.
struct DayPoint {
  std::optional<double> value;  // 0..100; nullopt: not measured that day (a gap in the line)
  std::string label;            // the day as the report writes it
  std::string tooltip;
};

struct ScoreChartStyle {
  double width = 680;
  double height = 190;
  int max_x_labels = 8;  // day labels under the axis, spread evenly, first and last always
};

// Scores 0..100 day by day on a fixed scale with gridlines at 0, 25, 50, 75 and 100 labelled with
// `y_labels` (five texts, bottom to top; missing ones are left blank). Empty: axes only.
std::string ScoreChart(const std::vector<DayPoint>& points,
                       const std::vector<std::string>& y_labels, std::string_view title,
                       const ScoreChartStyle& style = {});

// One unit of a breakdown as a tile: its share of violations, and what hovering it says.
struct UnitTile {
  double percent = 0;  // 0..100
  bool violating = false;
  std::string tooltip;  // "819 Huyện Cái Bè: 2,5%"
};

struct UnitTilesStyle {
  double tile = 16;   // side of a tile
  double gap = 2;
  int per_row = 30;
  size_t max_tiles = 600;  // units beyond are left out (the table says how many there are)
};

// Every unit of a breakdown as a square, in the given order (worst first), coloured by its
// percent: green without violations, then yellow to red up to the largest percent. `low_label`
// and `high_label` name the ends of the scale in the legend under the tiles. No network, no
// script: a map-like view of which units to visit. Empty: "".
std::string UnitTiles(const std::vector<UnitTile>& tiles, std::string_view title,
                      std::string_view low_label, std::string_view high_label,
                      const UnitTilesStyle& style = {});

}  // namespace dqa::reports::svg
