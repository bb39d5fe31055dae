#include "reports/html/svg_charts.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "reports/html/escape.h"

namespace dqa::reports::svg {
namespace {

// The opening tag of a chart with its accessible name; the caller closes it with "</svg>".
std::string Open(std::string_view css_class, double width, double height, std::string_view title) {
  std::string out = fmt::format(
      "<svg class=\"{}\" width=\"{}\" height=\"{}\" "
      "viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"{}\">",
      css_class, Coord(width), Coord(height), Coord(width), Coord(height), EscapeHtml(title));
  if (!title.empty()) out += "<title>" + EscapeHtml(title) + "</title>";
  return out;
}

// "x,y x,y ..." for a polyline.
std::string PointList(const std::vector<std::pair<double, double>>& xy) {
  std::string out;
  for (const auto& [x, y] : xy) {
    if (!out.empty()) out += ' ';
    out += Coord(x) + "," + Coord(y);
  }
  return out;
}

// A text label; `anchor` is start, middle or end.
std::string Label(double x, double y, std::string_view anchor, std::string_view text) {
  if (text.empty()) return "";
  return fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"{}\">{}</text>", Coord(x), Coord(y),
                     anchor, EscapeHtml(text));
}

std::string_view OutcomeClass(Outcome outcome) {
  switch (outcome) {
    case Outcome::kPass:
      return "o-pass";
    case Outcome::kWarn:
      return "o-warn";
    case Outcome::kFail:
      return "o-fail";
    case Outcome::kError:
      return "o-error";
  }
  return "o-error";
}

}  // namespace

std::string Coord(double value) {
  if (!std::isfinite(value)) return "0";
  const double rounded = std::round(value * 10) / 10;
  if (rounded == 0) return "0";  // also turns -0 into 0
  std::string text = fmt::format("{:.1f}", rounded);
  if (text.ends_with(".0")) text.resize(text.size() - 2);
  return text;
}

std::string Marker(Outcome outcome, double x, double y, double r) {
  const std::string_view cls = OutcomeClass(outcome);
  switch (outcome) {
    case Outcome::kPass:
      return fmt::format("<circle class=\"{}\" cx=\"{}\" cy=\"{}\" r=\"{}\"/>", cls, Coord(x),
                         Coord(y), Coord(r));
    case Outcome::kWarn:
      // An upward triangle with the same area feel as the circle.
      return fmt::format("<path class=\"{}\" d=\"M{} {}L{} {}L{} {}Z\"/>", cls, Coord(x),
                         Coord(y - r * 1.2), Coord(x + r * 1.15), Coord(y + r * 0.9),
                         Coord(x - r * 1.15), Coord(y + r * 0.9));
    case Outcome::kFail:
      return fmt::format("<rect class=\"{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>", cls,
                         Coord(x - r), Coord(y - r), Coord(2 * r), Coord(2 * r));
    case Outcome::kError:
      return fmt::format("<path class=\"{}\" d=\"M{} {}L{} {}M{} {}L{} {}\"/>", cls, Coord(x - r),
                         Coord(y - r), Coord(x + r), Coord(y + r), Coord(x - r), Coord(y + r),
                         Coord(x + r), Coord(y - r));
  }
  return "";
}

std::string Sparkline(const std::vector<double>& values, std::string_view title,
                      const SparklineStyle& style) {
  std::vector<double> v;
  for (double x : values) {
    if (std::isfinite(x)) v.push_back(std::clamp(x, style.floor, style.ceiling));
  }
  std::string out = Open("spark", style.width, style.height, title);
  if (!v.empty()) {
    // The scale: the values' own range, widened to min_span around its middle, kept inside
    // [floor, ceiling] so a flat series of 100 stays at the top.
    double lo = *std::min_element(v.begin(), v.end());
    double hi = *std::max_element(v.begin(), v.end());
    const double span = std::min(std::max(hi - lo, style.min_span), style.ceiling - style.floor);
    const double mid = (lo + hi) / 2;
    lo = std::clamp(mid - span / 2, style.floor, style.ceiling - span);
    hi = lo + span;
    const double pad = 3;  // room for the end dot
    const double inner_w = style.width - 2 * pad;
    const double inner_h = style.height - 2 * pad;
    std::vector<std::pair<double, double>> xy;
    for (size_t i = 0; i < v.size(); ++i) {
      const double x = v.size() == 1 ? style.width / 2
                                     : pad + inner_w * static_cast<double>(i) /
                                                 static_cast<double>(v.size() - 1);
      const double y = span > 0 ? pad + inner_h * (hi - v[i]) / span : style.height / 2;
      xy.emplace_back(x, y);
    }
    if (xy.size() > 1) out += "<polyline class=\"line\" points=\"" + PointList(xy) + "\"/>";
    out += fmt::format("<circle class=\"end\" cx=\"{}\" cy=\"{}\" r=\"2.5\"/>",
                       Coord(xy.back().first), Coord(xy.back().second));
  }
  out += "</svg>";
  return out;
}

std::string HistoryChart(const std::vector<HistoryPoint>& points, std::optional<double> limit,
                         const HistoryChartText& text, const HistoryChartStyle& style) {
  // Frame: the top value label on the left, day labels below, the plot in between.
  const double left = 34;
  const double right = 6;
  const double top = 6;
  const double bottom = 13;
  const double plot_w = style.width - left - right;
  const double plot_h = style.height - top - bottom;
  const double base = top + plot_h;

  double max = 0;
  for (const HistoryPoint& p : points) {
    if (std::isfinite(p.value)) max = std::max(max, p.value);
  }
  const bool draw_limit = limit && std::isfinite(*limit) && *limit >= 0;
  if (draw_limit) max = std::max(max, *limit);
  if (max <= 0) max = 1;
  const auto y_of = [&](double v) {
    return base - plot_h * std::clamp(std::isfinite(v) ? v : 0.0, 0.0, max) / max;
  };
  const auto x_of = [&](size_t i) {
    return points.size() == 1
               ? left + plot_w / 2
               : left + plot_w * static_cast<double>(i) / static_cast<double>(points.size() - 1);
  };

  std::string out = Open("hist", style.width, style.height, text.title);
  out += fmt::format("<path class=\"axis\" d=\"M{} {}V{}H{}\"/>", Coord(left), Coord(top),
                     Coord(base), Coord(left + plot_w));
  out += Label(left - 3, top + 7, "end", text.max_label);
  out += Label(left - 3, base, "end", "0");
  if (draw_limit) {
    out +=
        fmt::format("<path class=\"limit\" d=\"M{} {}H{}\"><title>{}</title></path>", Coord(left),
                    Coord(y_of(*limit)), Coord(left + plot_w), EscapeHtml(text.limit_label));
  }
  if (!points.empty()) {
    std::vector<std::pair<double, double>> xy;
    for (size_t i = 0; i < points.size(); ++i) xy.emplace_back(x_of(i), y_of(points[i].value));
    if (xy.size() > 1) out += "<polyline class=\"line\" points=\"" + PointList(xy) + "\"/>";
    for (size_t i = 0; i < points.size(); ++i) {
      out += "<g>";
      if (!points[i].tooltip.empty()) out += "<title>" + EscapeHtml(points[i].tooltip) + "</title>";
      out += Marker(points[i].outcome, xy[i].first, xy[i].second, 3);
      out += "</g>";
    }
    const double label_y = style.height - 2;
    if (points.size() == 1) {
      out += Label(x_of(0), label_y, "middle", text.first_label);
    } else {
      out += Label(left, label_y, "start", text.first_label);
      out += Label(left + plot_w, label_y, "end", text.last_label);
    }
  }
  out += "</svg>";
  return out;
}

std::string ScoreChart(const std::vector<DayPoint>& points,
                       const std::vector<std::string>& y_labels, std::string_view title,
                       const ScoreChartStyle& style) {
  const double left = 38;
  const double right = 14;
  const double top = 10;
  const double bottom = 22;
  const double plot_w = style.width - left - right;
  const double plot_h = style.height - top - bottom;
  const double base = top + plot_h;
  const auto y_of = [&](double v) { return base - plot_h * std::clamp(v, 0.0, 100.0) / 100; };
  const auto x_of = [&](size_t i) {
    return points.size() == 1
               ? left + plot_w / 2
               : left + plot_w * static_cast<double>(i) / static_cast<double>(points.size() - 1);
  };

  std::string out = Open("score", style.width, style.height, title);
  for (int g = 0; g <= 4; ++g) {
    const double y = y_of(25.0 * g);
    out += fmt::format("<path class=\"{}\" d=\"M{} {}H{}\"/>", g == 0 ? "axis" : "grid",
                       Coord(left), Coord(y), Coord(left + plot_w));
    if (static_cast<size_t>(g) < y_labels.size()) {
      out += Label(left - 5, y + 3.5, "end", y_labels[static_cast<size_t>(g)]);
    }
  }
  // The line, broken where a day was not measured.
  std::vector<std::pair<double, double>> run;
  const auto flush = [&] {
    if (run.size() > 1) out += "<polyline class=\"line\" points=\"" + PointList(run) + "\"/>";
    run.clear();
  };
  for (size_t i = 0; i < points.size(); ++i) {
    if (points[i].value && std::isfinite(*points[i].value)) {
      run.emplace_back(x_of(i), y_of(*points[i].value));
    } else {
      flush();
    }
  }
  flush();
  for (size_t i = 0; i < points.size(); ++i) {
    if (!points[i].value || !std::isfinite(*points[i].value)) continue;
    out += "<g>";
    if (!points[i].tooltip.empty()) out += "<title>" + EscapeHtml(points[i].tooltip) + "</title>";
    out += fmt::format("<circle class=\"dot\" cx=\"{}\" cy=\"{}\" r=\"3\"/>", Coord(x_of(i)),
                       Coord(y_of(*points[i].value)));
    out += "</g>";
  }
  // Day labels: first, last and evenly spread ones in between (at most max_x_labels).
  const size_t n = points.size();
  const size_t wanted = static_cast<size_t>(std::max(style.max_x_labels, 2));
  size_t previous = n;  // none yet
  for (size_t k = 0; k < std::min(n, wanted); ++k) {
    const size_t i = n <= wanted
                         ? k
                         : static_cast<size_t>(std::lround(static_cast<double>(k * (n - 1)) /
                                                           static_cast<double>(wanted - 1)));
    if (i == previous) continue;
    previous = i;
    const std::string_view anchor = n == 1       ? "middle"
                                    : i == 0     ? "start"
                                    : i == n - 1 ? "end"
                                                 : "middle";
    out += Label(x_of(i), style.height - 6, anchor, points[i].label);
  }
  out += "</svg>";
  return out;
}

namespace {

// Yellow (#fdd835) at t = 0 to red (#c62828) at t = 1.
std::string HeatColour(double t) {
  t = std::clamp(t, 0.0, 1.0);
  auto mix = [t](int a, int b) {
    return static_cast<int>(std::lround(static_cast<double>(a) + (b - a) * t));
  };
  return fmt::format("#{:02x}{:02x}{:02x}", mix(0xfd, 0xc6), mix(0xd8, 0x28), mix(0x35, 0x28));
}

}  // namespace

std::string UnitTiles(const std::vector<UnitTile>& tiles, std::string_view title,
                      std::string_view low_label, std::string_view high_label,
                      const UnitTilesStyle& style) {
  if (tiles.empty()) return "";
  const size_t n = std::min(tiles.size(), style.max_tiles);
  const size_t per_row = static_cast<size_t>(std::max(1, style.per_row));
  const size_t rows = (n + per_row - 1) / per_row;
  const size_t cols = std::min(n, per_row);
  const double step = style.tile + style.gap;
  const double legend_y = static_cast<double>(rows) * step + 4;
  const double width = std::max(static_cast<double>(cols) * step, 220.0);
  const double height = legend_y + 22;
  double top = 0;
  for (size_t i = 0; i < n; ++i) top = std::max(top, tiles[i].percent);
  std::string out = Open("tiles", width, height, title);
  for (size_t i = 0; i < n; ++i) {
    const UnitTile& u = tiles[i];
    const double x = static_cast<double>(i % per_row) * step;
    const double y = static_cast<double>(i / per_row) * step;
    const std::string fill = u.violating ? HeatColour(top > 0 ? u.percent / top : 1) : "#43a047";
    out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>{}"
                       "</title></rect>",
                       Coord(x), Coord(y), Coord(style.tile), Coord(style.tile), fill,
                       EscapeHtml(u.tooltip));
  }
  // The legend: no violations, then the scale from the smallest to the largest share.
  out += fmt::format("<rect x=\"0\" y=\"{}\" width=\"10\" height=\"10\" fill=\"#43a047\"/>",
                     Coord(legend_y));
  out += Label(14, legend_y + 9, "start", low_label);
  for (int k = 0; k <= 4; ++k) {
    out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"10\" height=\"10\" fill=\"{}\"/>",
                       Coord(110 + 11.0 * k), Coord(legend_y), HeatColour(k / 4.0));
  }
  out += Label(168, legend_y + 9, "start", high_label);
  return out + "</svg>";
}

}  // namespace dqa::reports::svg
