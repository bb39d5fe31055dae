#include "reports/html/drift_profile.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdlib>

#include "core/util/dates.h"
#include "reports/html/escape.h"

namespace dqa::reports {
namespace {

using nlohmann::json;

// A count, or a median of two counts (x.5).
std::string DriftCountText(const i18n::Catalog& c, double x) {
  if (x == std::trunc(x) && std::fabs(x) < 1e15) return c.Integer(static_cast<int64_t>(x));
  return c.Number(x, 1);
}

// The figure's name in the report's language (the metric_stat words).
std::string DriftFigureName(const i18n::Catalog& c, const std::string& figure) {
  if (figure == "null_rate") return std::string(c.Text("metric_stat.null_ratio"));
  if (figure == "distinct") return std::string(c.Text("metric_stat.distinct_count"));
  if (figure == "top1") return std::string(c.Text("metric_stat.top_share"));
  if (figure == "top5") return c.Format("metric_stat.top_shares", {{"n", c.Integer(5)}});
  if (figure == "p5") return c.Format("metric_stat.quantile", {{"q", c.Number(0.05, 2)}});
  if (figure == "p50") return c.Format("metric_stat.quantile", {{"q", c.Number(0.5, 1)}});
  if (figure == "p95") return c.Format("metric_stat.quantile", {{"q", c.Number(0.95, 2)}});
  return figure;
}

// A value of the figure: shares as percentages, counts, quantiles as dates or numbers.
std::string DriftValueText(const i18n::Catalog& c, const std::string& figure, double x,
                      const std::string& kind) {
  if (figure == "null_rate" || figure == "top1" || figure == "top5") return c.Percent(x, 1);
  if (figure == "distinct") return DriftCountText(c, x);
  if (kind == "date") return c.Date(FormatDay(static_cast<int64_t>(std::floor(x))));
  return x == std::trunc(x) && std::fabs(x) < 1e15 ? DriftCountText(c, x) : c.Number(x, 2);
}

// The change in the stat's own measure (docs/checks.md "drift"): percentage points of a share,
// percent of a count, percent of the baseline's p5–p95 spread for a quantile.
std::string DriftChangeText(const i18n::Catalog& c, const std::string& figure, double change) {
  if (figure == "null_rate" || figure == "top1" || figure == "top5") {
    return c.Format("html.drift_points", {{"value", c.Number(change, 1)}});
  }
  if (figure == "distinct") return c.Percent(change, 1);
  return c.Format("html.drift_of_spread", {{"percent", c.Percent(change, 1)}});
}

double DriftNumber(const json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<double>() : 0;
}

}  // namespace

std::string DriftProfileHtml(const i18n::Catalog& c, const CheckResult& result) {
  if (result.type != "drift" || result.profile.empty()) return "";
  const json profile = json::parse(result.profile, nullptr, false);
  if (!profile.is_object()) return "";
  const auto figures = profile.find("compared");
  if (figures == profile.end() || !figures->is_array() || figures->empty()) return "";
  const std::string kind = profile.value("kind", "");
  // The earlier runs and the limit are the message's (check.drift.changed).
  std::string runs = "?";
  double max_change = 20;
  for (const auto& [name, value] : result.message_args) {
    if (name == "n_runs") runs = value;
    if (name == "p_max_change") max_change = std::strtod(value.c_str(), nullptr);
  }
  const long long run_count = std::strtoll(runs.c_str(), nullptr, 10);
  std::string columns;
  for (const std::string& col : result.columns) columns += (columns.empty() ? "" : ", ") + col;
  std::string out =
      "<tr class=\"units drift\"><td colspan=\"6\"><div class=\"msg\"><b>" +
      EscapeHtml(c.Format(
          "html.drift_heading",
          {{"columns", columns},
           {"runs", run_count > 0 ? c.Integer(run_count) : runs},
           {"max", c.Percent(max_change, max_change == std::trunc(max_change) ? 0 : 1)}})) +
      "</b></div><table class=\"units\"><thead><tr><th>" +
      EscapeHtml(c.Text("html.drift_column.figure")) + "</th><th class=\"n\">" +
      EscapeHtml(c.Text("html.drift_column.baseline")) + "</th><th class=\"n\">" +
      EscapeHtml(c.Text("html.drift_column.now")) + "</th><th class=\"n\">" +
      EscapeHtml(c.Text("html.drift_column.change")) + "</th><th></th></tr></thead><tbody>\n";
  for (const json& f : *figures) {
    if (!f.is_object()) continue;
    const std::string figure = f.value("figure", "");
    const bool over = f.value("over", false);
    const std::string baseline = DriftValueText(c, figure, DriftNumber(f, "baseline"), kind);
    const std::string now = DriftValueText(c, figure, DriftNumber(f, "now"), kind);
    const std::string change = DriftChangeText(c, figure, DriftNumber(f, "change"));
    out += "<tr" + std::string(over ? " class=\"over\"" : "") + "><td>" +
           EscapeHtml(DriftFigureName(c, figure)) + "</td><td class=\"n\">" +
           EscapeHtml(baseline) + "</td><td class=\"n\">" + EscapeHtml(now) +
           "</td><td class=\"n\">" + EscapeHtml(change) +
           "</td><td>" + (over ? "<b>" + EscapeHtml(c.Text("html.drift_over")) + "</b>" : "") +
           "</td></tr>\n";
  }
  return out + "</tbody></table></td></tr>\n";
}

}  // namespace dqa::reports
