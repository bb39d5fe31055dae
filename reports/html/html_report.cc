#include "reports/html/html_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "reports/html/drift_profile.h"
#include "reports/html/escape.h"
#include "core/report/key_findings.h"
#include "reports/html/svg_charts.h"
#include "reports/key_findings.h"
#include "reports/labels.h"

namespace dqa::reports {
namespace {

// The stylesheet of both reports. Screen: a readable column up to 1120 px. Print: A4 portrait,
// a page per department, table headers repeated, nothing that needs a background to be read
// (outcomes are words and shapes; colours only add). Palette: Okabe-Ito, safe for colour-blind
// readers.
constexpr std::string_view kStyle = R"css(
:root{--pass:#009e73;--warn:#e69f00;--fail:#d55e00;--error:#555;--ink:#1a1a1a;--muted:#5c5c5c;
--line:#d0d0d0;--soft:#f4f4f2;--accent:#0072b2}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:14px/1.45 "DejaVu Sans","Noto Sans","Segoe UI",Arial,sans-serif;color:var(--ink);
background:#fff}
main{max-width:1120px;margin:0 auto;padding:24px 28px 40px}
h1{font-size:24px;margin:0 0 6px;line-height:1.25}
h2{font-size:19px;margin:28px 0 10px;padding-bottom:4px;border-bottom:2px solid var(--ink)}
h3{font-size:16px;margin:22px 0 8px}
h4{font-size:14px;margin:16px 0 6px}
p{margin:6px 0}
a{color:var(--accent);text-decoration:none}
a:hover{text-decoration:underline}
code,.id{font-family:"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:12px;overflow-wrap:break-word}
div.id{font-size:11px;color:#666}
.tiles{margin:4px 0 6px}.tiles text{font-size:11px;fill:#555}
.muted{color:var(--muted)}
.small{font-size:12px}
.meta{display:flex;flex-wrap:wrap;gap:4px 22px;margin:6px 0 14px;color:var(--muted)}
.meta b{color:var(--ink);font-weight:600}
.cards{display:grid;grid-template-columns:repeat(5,1fr);gap:10px;margin:10px 0 6px}
.card{border:1px solid var(--line);border-radius:6px;padding:8px 10px;break-inside:avoid}
.card .k{font-size:12px;color:var(--muted)}
.card .v{font-size:26px;font-weight:700;line-height:1.2}
.card.total{border:2px solid var(--ink)}
.card .s{font-size:12px}
table{border-collapse:collapse;width:100%;margin:6px 0 14px}
th,td{border-bottom:1px solid var(--line);padding:5px 6px;text-align:left;vertical-align:top}
th{font-size:12px;font-weight:600;color:var(--muted);border-bottom:2px solid var(--ink);
background:#fff}
td.n,th.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
td.c,th.c{text-align:center}
tr{break-inside:avoid}
thead{display:table-header-group}
.badge{display:inline-block;border:1px solid currentColor;border-radius:10px;padding:0 7px;
font-size:12px;font-weight:600;white-space:nowrap;line-height:18px}
.b-pass{color:#00704f}.b-warn{color:#8a5a00}.b-fail{color:#b23b00}.b-error{color:#333}
.b-pass{background:#e6f5f0}.b-warn{background:#fdf3dd}.b-fail{background:#fbe9e0}.b-error{background:#ececec}
.g-good{color:#00704f}.g-fair{color:#005a8c}.g-average{color:#6b5a00}.g-poor{color:#8a4b00}
.g-bad{color:#b23b00}
.up{color:#00704f}.down{color:#b23b00}.flat{color:var(--muted)}
.bar{display:block;height:4px;background:var(--soft);margin-top:2px}
.bar i{display:block;height:4px;background:var(--accent)}
.note{border-left:4px solid var(--accent);background:var(--soft);padding:6px 10px;margin:8px 0}
.findings{border:2px solid var(--accent);border-radius:6px;padding:4px 14px 8px;margin:12px 0;
break-inside:avoid}
.findings h2{margin:6px 0 4px;border:0;padding:0}
.findings ul{margin:4px 0;padding-left:20px}
.findings li{margin:3px 0}
.alert{border-left:4px solid var(--fail);background:#fbe9e0;padding:6px 10px;margin:8px 0}
.alert code{white-space:pre-wrap}
ul.samples{margin:0;padding-left:16px;font-size:12px}
ul.samples li{overflow-wrap:break-word}
.kv{white-space:nowrap}
ul.plain{margin:4px 0;padding-left:18px}
.msg{font-size:12px;color:var(--muted);margin-top:2px;overflow-wrap:anywhere}
.legend{display:flex;flex-wrap:wrap;gap:4px 16px;font-size:12px;color:var(--muted);margin:4px 0 8px}
.legend svg{vertical-align:middle}
nav.toc ol{columns:2;margin:4px 0;padding-left:22px}
section.dept,section.period-dept{margin-top:28px}
section.dept>h2,section.period-dept>h2{display:flex;flex-wrap:wrap;gap:6px 12px;align-items:baseline}
svg{overflow:visible}
svg text{font-size:9px;fill:var(--muted);font-family:inherit}
svg .line{fill:none;stroke:#7a7a7a;stroke-width:1.3}
svg.spark .line{stroke:var(--accent);stroke-width:1.5}
svg .end,svg .dot{fill:var(--accent)}
svg .axis{fill:none;stroke:#9a9a9a;stroke-width:1}
svg .grid{fill:none;stroke:#e3e3e3;stroke-width:1}
svg .limit{fill:none;stroke:var(--fail);stroke-width:1;stroke-dasharray:3 2}
svg .o-pass{fill:var(--pass)}svg .o-warn{fill:var(--warn)}svg .o-fail{fill:var(--fail)}
svg .o-error{fill:none;stroke:var(--error);stroke-width:1.8}
svg.score .line{stroke:var(--accent);stroke-width:2}
svg.score text{font-size:11px}
footer{margin-top:30px;padding-top:8px;border-top:1px solid var(--line);font-size:12px;color:var(--muted)}
@media screen and (max-width:760px){.cards{grid-template-columns:repeat(2,1fr)}main{padding:14px}}
.print-only{display:none}
@media print{
.print-break{break-after:page}
.findings{margin:6px 0;padding:2px 10px 4px}.findings li{margin:1px 0;font-size:9pt}
.cards{gap:6px;margin:6px 0 4px}.card{padding:4px 8px}
table.ranking td,table.ranking th{padding:2px 3px;font-size:9pt}
table.ranking td:nth-child(2){min-width:32mm}
table.ranking .trend{display:none}
h1{font-size:16pt}.meta{margin:2px 0 6px}
h2{font-size:13pt;margin:8px 0 4px}h3{font-size:11pt;margin:6px 0 3px}
.findings li{font-size:8.5pt}.card .k,.card .s,.legend,p.small{font-size:8pt}
.print-only{display:block}
tr.c-pass,tr.u-more{display:none}
body{font-size:10pt}
main{max-width:none;padding:0}
a{color:inherit}
h2{break-after:avoid}
h3,h4{break-after:avoid}
section.dept,section.period-dept{break-before:page;margin-top:0}
section.dept>h2,section.period-dept>h2{margin-top:0}
.card .v{font-size:16px}
th,td{padding:3px 4px}
nav.toc{display:none}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
)css";

// ---- Small texts ----

std::string Esc(std::string_view text) { return EscapeHtml(text); }
std::string T(const i18n::Catalog& c, std::string_view key) { return Esc(c.Text(key)); }

std::string ScoreText(const i18n::Catalog& c, const std::optional<double>& score) {
  return score ? c.Number(*score, 1) : std::string(c.Text("not_measured"));
}

// A violation rate: two decimals under 1 % so that small rates do not read as 0.
std::string PercentText(const i18n::Catalog& c, double percent) {
  return c.Percent(percent, percent > 0 && percent < 1 ? 2 : 1);
}

// "+2,3" / "-1,0" / "0,0" with an arrow, so the direction reads without colour.
std::string DeltaHtml(const i18n::Catalog& c, const std::optional<double>& delta) {
  if (!delta) return "<span class=\"flat\">–</span>";
  const double rounded = std::round(*delta * 10) / 10;
  if (rounded > 0) return "<span class=\"up\">▲ +" + c.Number(*delta, 1) + "</span>";
  if (rounded < 0) return "<span class=\"down\">▼ " + c.Number(*delta, 1) + "</span>";
  return "<span class=\"flat\">= " + c.Number(0, 1) + "</span>";
}

std::string_view OutcomeIcon(Outcome o) {
  // Symbols, not words: the same in every language.
  switch (o) {
    case Outcome::kPass:
      return "✓";
    case Outcome::kWarn:
      return "▲";
    case Outcome::kFail:
      return "✗";
    case Outcome::kError:
      return "⊘";
  }
  return "";
}

// Printed, what comes after it starts on a new page (the summary is the first page).
constexpr const char* kPrintBreak = "<div class=\"print-break\"></div>\n";

// A check's id under its title: for machines and for finding the rule, so small and grey.
std::string IdLine(std::string_view id) { return "<div class=\"id\">" + Esc(id) + "</div>"; }

std::string OutcomeBadge(const i18n::Catalog& c, Outcome o) {
  return fmt::format("<span class=\"badge b-{}\">{} {}</span>", ToString(o), OutcomeIcon(o),
                     Esc(Label(c, o)));
}

std::string GradeHtml(const i18n::Catalog& c, const std::optional<Grade>& grade) {
  if (!grade) return "<span class=\"muted\">" + T(c, "not_measured") + "</span>";
  return fmt::format("<span class=\"badge g-{}\">{}</span>", ToString(*grade),
                     Esc(Label(c, *grade)));
}

// A score with a thin bar under it (the bar is decoration; the number is the information).
std::string ScoreCell(const i18n::Catalog& c, const std::optional<double>& score) {
  if (!score) return "<td class=\"n muted\">" + T(c, "not_measured") + "</td>";
  return fmt::format(
      "<td class=\"n\">{}<span class=\"bar\"><i style=\"width:{}%\"></i></span></td>",
      c.Number(*score, 1), svg::Coord(std::clamp(*score, 0.0, 100.0)));
}

// Unix milliseconds as "06/12/2026 lúc 03:30" on the committee's clock (never UTC).
std::string TimeText(const i18n::Catalog& c, int64_t unix_ms, const ReportIssuer& who) {
  return LocalTimeText(c, unix_ms, who);
}

std::string Th(const i18n::Catalog& c, std::string_view key, std::string_view cls = "") {
  if (cls.empty()) return "<th>" + T(c, key) + "</th>";
  return fmt::format("<th class=\"{}\">{}</th>", cls, T(c, key));
}

// The shape legend of the charts (one per page that has charts).
std::string Legend(const i18n::Catalog& c) {
  std::string out = "<div class=\"legend\"><span>" + T(c, "html.legend") + "</span>";
  for (Outcome o : {Outcome::kPass, Outcome::kWarn, Outcome::kFail, Outcome::kError}) {
    out += "<span><svg width=\"10\" height=\"10\" viewBox=\"0 0 10 10\" aria-hidden=\"true\">" +
           svg::Marker(o, 5, 5, 3.5) + "</svg> " + Esc(Label(c, o)) + "</span>";
  }
  out +=
      "<span><svg width=\"18\" height=\"10\" viewBox=\"0 0 18 10\" aria-hidden=\"true\">"
      "<path class=\"limit\" d=\"M0 5H18\"/></svg> " +
      T(c, "html.legend_limit") + "</span></div>\n";
  return out;
}

// `text` as a CSS string: quoted, with quotes, backslashes and line breaks escaped.
std::string CssString(std::string_view text) {
  std::string out = "\"";
  for (char ch : text) {
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += ch;
    } else if (ch == '\n' || ch == '\r') {
      out += ' ';
    } else if (ch == '<') {
      out += "\\3C ";  // never "</style>" inside the style element
    } else {
      out += ch;
    }
  }
  return out + "\"";
}

// A4 pages with the report's title at the foot of each and "Trang 3/12" / "Page 3 of 12"
// (docs/reports.md "Printing"): html.page_of with {page} and {pages} as CSS counters.
std::string PageRule(const i18n::Catalog& c, std::string_view title) {
  const std::string page_of(c.Text("html.page_of"));
  std::string content;
  size_t at = 0;
  while (at < page_of.size()) {
    const size_t open = page_of.find('{', at);
    const size_t close = open == std::string::npos ? open : page_of.find('}', open);
    if (open == std::string::npos || close == std::string::npos) {
      content += CssString(page_of.substr(at)) + " ";
      break;
    }
    if (open > at) content += CssString(page_of.substr(at, open - at)) + " ";
    content += "counter(" + page_of.substr(open + 1, close - open - 1) + ") ";
    at = close + 1;
  }
  return "@page{size:A4;margin:14mm 12mm 16mm 12mm;"
         "@bottom-left{content:" + CssString(title) + ";font-size:8pt;color:#666}"
         "@bottom-right{content:" + content + ";font-size:8pt;color:#666}}\n";
}

std::string Document(const i18n::Catalog& c, std::string_view title, const std::string& body) {
  std::string out;
  out.reserve(body.size() + kStyle.size() + 512);
  out += "<!DOCTYPE html>\n<html lang=\"";
  out += ToString(c.language());
  out +=
      "\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta name=\"generator\" content=\"dqaudit\">\n<title>";
  out += Esc(title);
  out += "</title>\n<style>";
  out += kStyle;
  out += PageRule(c, title);
  out += "</style>\n</head>\n<body>\n<main>\n";
  out += body;
  out += "</main>\n</body>\n</html>\n";
  return out;
}

std::string Footer(const i18n::Catalog& c, int64_t generated_unix_ms, const ReportIssuer& who) {
  return "<footer>" + T(c, "product") + " · " +
         Esc(c.Format("report.generated_at", {{"time", TimeText(c, generated_unix_ms, who)}})) +
         "</footer>\n";
}

// The issuing body, province, period and time zone as header facts.
std::string IssuerHtml(const i18n::Catalog& c, const ReportIssuer& who,
                       const std::string& period_text, int64_t at_unix_ms) {
  std::string out = "<div class=\"meta issuer\">";
  for (const auto& [label, value] : IssuerFacts(c, who, period_text, at_unix_ms)) {
    out += "<span>" + Esc(label) + ": <b>" + Esc(value) + "</b></span>";
  }
  return out + "</div>\n";
}

// The "Key findings" box: one sentence per line.
std::string KeyFindingsHtml(const i18n::Catalog& c, const KeyFindings& f) {
  std::string out = "<section class=\"findings\" id=\"findings\">\n<h2>" +
                    T(c, "findings.heading") + "</h2>\n<ul>";
  for (const std::string& sentence : KeyFindingSentences(c, f)) {
    out += "<li>" + Esc(sentence) + "</li>";
  }
  return out + "</ul>\n</section>\n";
}

// Under a ranking: how to read it, and the grade legend with the configured bounds.
std::string GradeLegendHtml(const i18n::Catalog& c, const GradeCuts& cuts) {
  std::string out = "<p class=\"muted small\">" + T(c, "findings.ranking_note") +
                    "</p>\n<div class=\"legend grades\"><span>" + T(c, "findings.grade_legend") +
                    ":</span>";
  const std::vector<std::string> legend = GradeLegend(c, cuts);
  const Grade grades[] = {Grade::kGood, Grade::kFair, Grade::kAverage, Grade::kPoor, Grade::kBad};
  for (size_t i = 0; i < legend.size() && i < std::size(grades); ++i) {
    out += fmt::format("<span class=\"badge g-{}\">{}</span>", ToString(grades[i]),
                       Esc(legend[i]));
  }
  return out + "</div>\n";
}

// A score card: the score in large type and a line under it (already HTML).
struct ScoreCard {
  std::optional<double> score;
  std::string note;
};

// The four dimension cards (đúng, đủ, sạch, sống) then the overall one, framed.
std::string CardsHtml(const i18n::Catalog& c, const std::array<ScoreCard, 4>& dimensions,
                      const ScoreCard& overall) {
  std::string out = "<div class=\"cards\">";
  for (size_t i = 0; i < kReportDimensions.size(); ++i) {
    out += "<div class=\"card\"><div class=\"k\">" +
           T(c, "dimension_long." + std::string(ToString(kReportDimensions[i]))) +
           "</div><div class=\"v\">" + Esc(ScoreText(c, dimensions[i].score)) +
           "</div><div class=\"s\">" + dimensions[i].note + "</div></div>";
  }
  out += "<div class=\"card total\"><div class=\"k\">" + T(c, "dimension.overall") +
         "</div><div class=\"v\">" + Esc(ScoreText(c, overall.score)) + "</div><div class=\"s\">" +
         overall.note + "</div></div></div>\n";
  return out;
}

// The day without its year ("21/11", "11-21"): chart labels are short.
std::string ShortDate(const i18n::Catalog& c, const std::string& iso_day) {
  if (iso_day.size() != 10) return iso_day;
  return c.Format("html.short_date",
                  {{"month", iso_day.substr(5, 2)}, {"day", iso_day.substr(8, 2)}});
}

// Header cells of the four dimensions then overall.
std::string DimensionHeaders(const i18n::Catalog& c) {
  std::string out;
  for (Dimension d : kReportDimensions) out += Th(c, "dimension." + std::string(ToString(d)), "n");
  return out + Th(c, "dimension.overall", "n");
}

// The y labels of a 0..100 score chart (0, 25, 50, 75, 100).
std::vector<std::string> ScoreAxis(const i18n::Catalog& c) {
  std::vector<std::string> labels;
  for (int v = 0; v <= 100; v += 25) labels.push_back(c.Integer(v));
  return labels;
}

// The chart of a check's violations over its runs; `fail` draws its count limit when it has one.
std::string CheckHistoryChart(const i18n::Catalog& c, const std::string& check_id,
                              const std::vector<CheckPoint>& history, const Limits* fail) {
  std::vector<svg::HistoryPoint> points;
  int64_t max = 0;
  for (const CheckPoint& p : history) {
    points.push_back(
        {static_cast<double>(p.violations), p.outcome,
         c.Format("html.history_point", {{"date", c.Date(p.today)},
                                         {"violations", c.Integer(p.violations)},
                                         {"outcome", std::string(Label(c, p.outcome))}})});
    max = std::max(max, p.violations);
  }
  std::optional<double> limit;
  svg::HistoryChartText text;
  if (fail && fail->max_count) {
    limit = static_cast<double>(*fail->max_count);
    max = std::max(max, *fail->max_count);
    text.limit_label = c.Format("html.limit_fail", {{"limits", LimitsText(c, *fail)}});
  }
  text.title =
      c.Format("html.history_title",
               {{"check", check_id}, {"runs", c.Integer(static_cast<int64_t>(history.size()))}});
  text.max_label = c.Integer(std::max<int64_t>(max, 1));
  if (!history.empty()) {
    text.first_label = ShortDate(c, history.front().today);
    text.last_label = ShortDate(c, history.back().today);
  }
  return svg::HistoryChart(points, limit, text);
}

// One row of an indicators table: the department and check cells already HTML, and for the
// monthly report the runs that met the target and the mean value.
struct IndicatorRow {
  std::string department_html;
  std::string check_html;
  const Indicator* indicator = nullptr;
  std::string title;  // IndicatorTitle
  Outcome outcome = Outcome::kPass;
  std::string period_html;  // "" on the run report
};

// The "Indicators" section (docs/reports.md): value against target, direction, counts, outcome;
// nothing when there is no indicator.
std::string IndicatorsHtml(const i18n::Catalog& c, const std::vector<IndicatorRow>& rows,
                           bool period) {
  if (rows.empty()) return "";
  std::string out = "<h3 id=\"indicators\">" + T(c, "report.indicators_heading") +
                    "</h3>\n<table class=\"indicators\"><thead><tr>" +
                    Th(c, "report.column.department") + Th(c, "report.column.check_id") +
                    Th(c, "report.column.indicator_title") +
                    Th(c, "report.column.indicator_value", "n") +
                    Th(c, "report.column.direction_label") + Th(c, "report.column.numerator", "n") +
                    Th(c, "report.column.denominator", "n") + Th(c, "report.column.outcome_label");
  if (period) out += Th(c, "report.column.indicator_met", "n") + Th(c, "report.column.mean_value", "n");
  out += "</tr></thead><tbody>\n";
  for (const IndicatorRow& row : rows) {
    const Indicator& i = *row.indicator;
    out += "<tr><td>" + row.department_html + "</td><td>" + row.check_html + "</td><td>" +
           Esc(row.title) + "</td><td class=\"n\">" +
           Esc(IndicatorText(c, i)) + "</td><td>" + Esc(Label(c, i.direction)) +
           "</td><td class=\"n\">" + c.Integer(i.numerator) + "</td><td class=\"n\">" +
           c.Integer(i.denominator) + "</td><td>" + OutcomeBadge(c, row.outcome) + "</td>" +
           row.period_html + "</tr>\n";
  }
  return out + "</tbody></table>\n";
}

// A plugin check's metrics under its message ("Metrics: Amount paid after death: 45,360,000");
// "" without metrics.
std::string MetricsDiv(const i18n::Catalog& c, const CheckResult& result) {
  if (result.metrics.empty()) return "";
  return "<div class=\"msg\">" + T(c, "report.column.metrics") + ": " +
         Esc(MetricsText(c, result)) + "</div>";
}

// Starts a ranking table: its heading, then the header cells every ranking shares (rank,
// department, the four dimensions, overall, grade) with `more` after them. Empty: a sentence
// instead, and false.
bool RankingStart(std::string& out, const i18n::Catalog& c, bool empty, const std::string& more) {
  out += "<h3>" + T(c, "html.ranking_heading") + "</h3>\n";
  if (empty) {
    out += "<p>" + T(c, "html.no_departments") + "</p>\n";
    return false;
  }
  out += "<table class=\"ranking\"><thead><tr>" + Th(c, "report.column.rank", "n") +
         Th(c, "report.column.department") + DimensionHeaders(c) + Th(c, "report.column.grade") +
         more + "</tr></thead><tbody>\n";
  return true;
}

// ---- Run report ----

class RunPage {
 public:
  RunPage(const RunReport& r, const i18n::Catalog& c) : r_(r), c_(c), f_(FindKeyFindings(r)) {
    for (size_t i = 0; i < r_.departments.size(); ++i) {
      dept_index_.emplace(r_.departments[i].department, i);
    }
  }

  std::string Render() {
    Header();
    ProvinceScores();
    Ranking();
    Indicators();
    WorstChecks();
    Changes();
    Anomalies();
    Schedule();
    out_ += "</section>\n";
    for (size_t i = 0; i < r_.departments.size(); ++i) Department(i);
    out_ += Footer(c_, r_.generated_unix_ms, r_.issuer);
    return Document(c_, RunTitle(c_, r_.run), out_);
  }

 private:
  std::string DeptAnchor(std::string_view department) const {
    auto it = dept_index_.find(std::string(department));
    return it == dept_index_.end() ? "" : fmt::format("d{}", it->second + 1);
  }
  static std::string CheckAnchor(size_t source, size_t check) {
    return fmt::format("c{}-{}", source + 1, check + 1);
  }
  std::string DeptLink(std::string_view department) const {
    const std::string anchor = DeptAnchor(department);
    if (anchor.empty()) return Esc(department);
    return "<a href=\"#" + anchor + "\">" + Esc(department) + "</a>";
  }
  // The index of a check in the run by source id and check id (for changes and anomalies).
  std::optional<CheckRef> Find(std::string_view source, std::string_view check_id) const {
    for (size_t s = 0; s < r_.sources.size(); ++s) {
      if (r_.sources[s].source != source) continue;
      for (size_t k = 0; k < r_.sources[s].checks.size(); ++k) {
        if (r_.sources[s].checks[k].result.id == check_id) return CheckRef{s, k};
      }
    }
    return std::nullopt;
  }
  // The check's title (linked to its row) with its id under it; the id alone for a check the run
  // does not have.
  std::string CheckLink(std::string_view source, std::string_view check_id) const {
    const std::optional<CheckRef> ref = Find(source, check_id);
    if (!ref) return "<span class=\"id\">" + Esc(check_id) + "</span>";
    const CheckResult& res = r_.sources[ref->source].checks[ref->check].result;
    return "<a href=\"#" + CheckAnchor(ref->source, ref->check) + "\">" +
           Esc(CheckTitle(c_, res)) + "</a>" + IdLine(res.id);
  }

  void Header() {
    const RunRecord& run = r_.run;
    out_ += "<header>\n<h1>" + Esc(RunTitle(c_, run)) + "</h1>\n" +
            IssuerHtml(c_, r_.issuer, RunPeriodText(c_, run), run.started_unix_ms) +
            "<div class=\"meta\">";
    out_ += Fact("report.column.status", Esc(RunStatusLabel(c_, run.status)));
    out_ += Fact("html.started", Esc(TimeText(c_, run.started_unix_ms, r_.issuer)));
    if (run.finished_unix_ms)
      out_ += Fact("html.finished", Esc(TimeText(c_, *run.finished_unix_ms, r_.issuer)));
    out_ +=
        Fact("report.column.source",
             Esc(c_.Format("html.sources_recorded", {{"recorded", c_.Integer(run.sources_recorded)},
                                                     {"planned", c_.Integer(run.sources_planned)},
                                                     {"errors", c_.Integer(run.source_errors)}})));
    out_ += Fact("html.checks",
                 Esc(c_.Format("html.checks_failed", {{"checks", c_.Integer(run.checks)},
                                                      {"failed", c_.Integer(run.failed_checks)}})));
    out_ += "</div>\n";
    if (r_.previous) {
      out_ += "<p class=\"muted\">" +
              Esc(c_.Format("html.compared_with", {{"run", c_.Integer(r_.previous->id)},
                                                   {"date", c_.Date(r_.previous->today)}})) +
              "</p>\n";
    } else {
      out_ += "<p class=\"muted\">" + T(c_, "html.no_previous") + "</p>\n";
    }
    out_ += "</header>\n" + KeyFindingsHtml(c_, f_);  // before the contents: the first screen
    if (!r_.departments.empty()) {
      out_ += "<nav class=\"toc\"><h4>" + T(c_, "html.contents") + "</h4><ol>";
      for (const ReportDepartment& d : r_.departments) {
        out_ += "<li>" + DeptLink(d.department) + "</li>";
      }
      out_ += "</ol></nav>\n";
    }
  }

  std::string Fact(std::string_view key, const std::string& value_html) const {
    return "<span>" + T(c_, key) + ": <b>" + value_html + "</b></span>";
  }

  // Outcome counts of a score set as "72 kiểm tra: 29 đạt, 23 cảnh báo, 20 không đạt, 0 lỗi".
  std::string Counts(const ScoreSet& s) const {
    int checks = 0, passed = 0, warned = 0, failed = 0, errors = 0;
    for (const DimensionScore& d : s.dimensions) {
      checks += d.checks;
      passed += d.passed;
      warned += d.warned;
      failed += d.failed;
      errors += d.errors;
    }
    return c_.Format("html.outcome_counts", {{"checks", c_.Integer(checks)},
                                             {"passed", c_.Integer(passed)},
                                             {"warned", c_.Integer(warned)},
                                             {"failed", c_.Integer(failed)},
                                             {"errors", c_.Integer(errors)}});
  }

  // Five cards: the four dimensions (passed checks, delta) then the overall score and grade.
  std::string Cards(const ScoreSet& s, const ScoreTrend* trend) const {
    std::array<ScoreCard, 4> dims;
    for (size_t i = 0; i < kReportDimensions.size(); ++i) {
      const DimensionScore& ds = s.dimension(kReportDimensions[i]);
      dims[i].score = ds.score;
      dims[i].note = Esc(c_.Format("html.dimension_counts", {{"passed", c_.Integer(ds.passed)},
                                                             {"checks", c_.Integer(ds.checks)}}));
      if (trend) dims[i].note += " " + DeltaHtml(c_, trend->dimensions[i].delta);
    }
    ScoreCard total{s.overall, GradeHtml(c_, s.grade)};
    if (trend) total.note += " " + DeltaHtml(c_, trend->overall.delta);
    return CardsHtml(c_, dims, total);
  }

  void ProvinceScores() {
    out_ += "<section class=\"summary\">\n<h2>" + T(c_, "html.province_heading") + "</h2>\n";
    out_ += Cards(r_.province, nullptr);
    out_ += "<p class=\"muted small\">" + Esc(Counts(r_.province)) + "</p>\n";
  }

  std::string Spark(const ScoreTrend& trend) const {
    std::vector<double> values;
    std::string first_day, last_day;
    for (const ScorePoint& p : trend.history) {
      if (!p.scores.overall) continue;
      if (values.empty()) first_day = p.today;
      last_day = p.today;
      values.push_back(*p.scores.overall);
    }
    std::string title;
    if (values.size() == 1) {
      title = c_.Format("html.spark_one",
                        {{"date", c_.Date(last_day)}, {"score", c_.Number(values.back(), 1)}});
    } else if (!values.empty()) {
      title = c_.Format("html.spark_title",
                        {{"first_date", c_.Date(first_day)},
                         {"first", c_.Number(values.front(), 1)},
                         {"last_date", c_.Date(last_day)},
                         {"last", c_.Number(values.back(), 1)},
                         {"runs", c_.Integer(static_cast<int64_t>(values.size()))}});
    }
    return svg::Sparkline(values, title);
  }

  void Ranking() {
    if (!RankingStart(out_, c_, r_.departments.empty(),
                      Th(c_, "html.delta", "n") + Th(c_, "html.trend", "trend"))) {
      return;
    }
    for (const FindingDepartment& f : f_.ranking) {  // worst first
      const ReportDepartment& d = r_.departments[dept_index_.at(f.department)];
      out_ += "<tr><td class=\"n\">" + c_.Integer(d.rank) + "</td><td>" + DeptLink(d.department) +
              "</td>";
      for (Dimension dim : kReportDimensions) out_ += ScoreCell(c_, d.scores.dimension(dim).score);
      out_ += "<td class=\"n\"><b>" + Esc(ScoreText(c_, d.scores.overall)) + "</b></td><td>" +
              GradeHtml(c_, d.scores.grade) + "</td><td class=\"n\">" +
              DeltaHtml(c_, d.trend.overall.delta) + "</td><td class=\"trend\">" + Spark(d.trend) +
              "</td></tr>\n";
    }
    // Printed, the first page is the summary: the head, the key findings and this ranking.
    out_ += "</tbody></table>\n" + GradeLegendHtml(c_, r_.grades) + kPrintBreak;
  }

  // A check's count of violations, or for a yes/no check the number it measured (an sql check's
  // count of citizens, a table's rows), which its 0/1 would hide.
  std::string CountOrFigure(const CheckResult& res) const {
    if (const auto figure = YesNoFigure(res)) {
      const bool whole = *figure == std::trunc(*figure) && std::fabs(*figure) < 1e15;
      return c_.Number(*figure, whole ? 0 : 2);
    }
    return c_.Integer(res.violations);
  }
  std::string PercentOrDash(const CheckResult& res) const {
    return YesNoFigure(res) ? "–" : PercentText(c_, res.percent);
  }

  void WorstChecks() {
    out_ += "<h3>" + T(c_, "html.worst_heading") + "</h3>\n";
    if (r_.worst.empty()) {
      out_ += "<p>" + T(c_, "html.worst_none") + "</p>\n";
      return;
    }
    out_ += "<table class=\"worst\"><thead><tr>" + Th(c_, "report.column.department") +
            Th(c_, "report.column.check_id") + Th(c_, "report.column.dimension_label") +
            Th(c_, "report.column.severity_label") + Th(c_, "report.column.outcome_label") +
            Th(c_, "report.column.violations", "n") + Th(c_, "report.column.percent", "n") +
            Th(c_, "report.column.score_loss", "n") + "</tr></thead><tbody>\n";
    for (const CheckRef& ref : r_.worst) {
      if (ref.source >= r_.sources.size() || ref.check >= r_.sources[ref.source].checks.size()) {
        continue;
      }
      const ReportSource& s = r_.sources[ref.source];
      const CheckResult& res = s.checks[ref.check].result;
      out_ += "<tr><td>" + DeptLink(s.department) + "<div class=\"msg\">" + Esc(s.source) +
              "</div></td><td>" + CheckLink(s.source, res.id) + "</td><td>" +
              Esc(Label(c_, res.dimension)) + "</td><td>" + Esc(Label(c_, res.severity)) +
              "</td><td>" + OutcomeBadge(c_, res.outcome) + "</td><td class=\"n\">" +
              CountOrFigure(res) + "</td><td class=\"n\">" + PercentOrDash(res) +
              "</td><td class=\"n\">" + c_.Number(s.checks[ref.check].score_loss, 2) +
              "</td></tr>\n";
    }
    out_ += "</tbody></table>\n";
  }

  void ChangeTable(CheckChange::Kind kind, std::string_view heading_key) {
    std::vector<const CheckChange*> rows;
    for (const CheckChange& ch : r_.changes) {
      if (ch.kind == kind) rows.push_back(&ch);
    }
    out_ +=
        "<h4>" +
        Esc(c_.Format(heading_key, {{"count", c_.Integer(static_cast<int64_t>(rows.size()))}})) +
        "</h4>\n";
    if (rows.empty()) {
      out_ += "<p class=\"muted\">" + T(c_, "html.none") + "</p>\n";
      return;
    }
    out_ += "<table><thead><tr>" + Th(c_, "report.column.department") +
            Th(c_, "report.column.check_id") + Th(c_, "report.column.dimension_label") +
            Th(c_, "html.outcome_before_after") + Th(c_, "html.violations_before_after", "n") +
            "</tr></thead><tbody>\n";
    for (const CheckChange* ch : rows) {
      out_ += "<tr><td>" + DeptLink(ch->department) + "<div class=\"msg\">" + Esc(ch->source) +
              "</div></td><td>" + CheckLink(ch->source, ch->check_id) + "</td><td>" +
              Esc(Label(c_, ch->dimension)) + "</td><td>" + OutcomeBadge(c_, ch->previous_outcome) +
              " → " + OutcomeBadge(c_, ch->current_outcome) + "</td><td class=\"n\">" +
              c_.Integer(ch->previous_violations) + " → " + c_.Integer(ch->current_violations) +
              "</td></tr>\n";
    }
    out_ += "</tbody></table>\n";
  }

  void Changes() {
    out_ += "<h3>" + T(c_, "html.changes_heading") + "</h3>\n";
    if (!r_.previous) {
      out_ += "<p class=\"muted\">" + T(c_, "html.no_previous") + "</p>\n";
      return;
    }
    ChangeTable(CheckChange::Kind::kNewFailure, "html.new_failures");
    ChangeTable(CheckChange::Kind::kResolved, "html.resolved");
    // Score deltas of every department, per dimension and overall.
    out_ += "<h4>" + T(c_, "html.score_changes") + "</h4>\n<table><thead><tr>" +
            Th(c_, "report.column.department") + DimensionHeaders(c_) + "</tr></thead><tbody>\n";
    for (const ReportDepartment& d : r_.departments) {
      out_ += "<tr><td>" + DeptLink(d.department) + "</td>";
      for (Dimension dim : kReportDimensions) {
        out_ += "<td class=\"n\">" +
                DeltaHtml(c_, d.trend.dimensions[static_cast<size_t>(dim)].delta) + "</td>";
      }
      out_ += "<td class=\"n\"><b>" + DeltaHtml(c_, d.trend.overall.delta) + "</b></td></tr>\n";
    }
    out_ += "</tbody></table>\n";
  }

  std::string MetricValue(const Anomaly& a, double v) const {
    return a.metric == "violations" ? c_.Integer(std::llround(v)) : c_.Number(v, 1);
  }

  std::string AnomalyExplanation(const Anomaly& a) const {
    if (a.method == Anomaly::Method::kBand) {
      return c_.Format("html.anomaly_band", {{"low", MetricValue(a, std::max(0.0, a.low))},
                                             {"high", MetricValue(a, a.high)},
                                             {"mean", c_.Number(a.mean, 1)},
                                             {"points", c_.Integer(a.points)}});
    }
    return c_.Format("html.anomaly_jump", {{"previous", MetricValue(a, a.mean)}});
  }

  void Anomalies() {
    out_ += "<h3>" + T(c_, "html.anomalies_heading") + "</h3>\n";
    if (r_.anomalies.empty()) {
      out_ += "<p class=\"muted\">" + T(c_, "html.anomalies_none") + "</p>\n";
      return;
    }
    out_ += "<table><thead><tr>" + Th(c_, "report.column.department") +
            Th(c_, "report.column.check_id") + Th(c_, "html.metric") + Th(c_, "html.current", "n") +
            Th(c_, "html.expected") + Th(c_, "report.column.anomaly") +
            Th(c_, "report.column.outcome_label") + "</tr></thead><tbody>\n";
    for (const Anomaly& a : r_.anomalies) {
      const std::string metric_key =
          "html.metric_" + std::string(a.metric == "violations" ? "violations" : "value");
      out_ += "<tr><td>" + DeptLink(a.department) + "<div class=\"msg\">" + Esc(a.source) +
              "</div></td><td>" + CheckLink(a.source, a.check_id) + "</td><td>" +
              T(c_, metric_key) + "</td><td class=\"n\">" + MetricValue(a, a.current) +
              "</td><td class=\"small\">" + Esc(AnomalyExplanation(a)) + "</td><td>" +
              (a.direction > 0 ? "▲ " : "▼ ") + Esc(AnomalyLabel(c_, a.direction)) + "</td><td>" +
              OutcomeBadge(c_, a.outcome) + "</td></tr>\n";
    }
    out_ += "</tbody></table>\n";
  }

  void Indicators() {
    std::vector<IndicatorRow> rows;
    for (const ReportIndicator& i : r_.indicators) {
      rows.push_back({DeptLink(i.department), CheckLink(i.source, i.check_id), &i.indicator,
                      IndicatorTitle(c_, i.indicator, i.check_id, i.check, i.texts), i.outcome,
                      ""});
    }
    out_ += IndicatorsHtml(c_, rows, false);
  }

  void Schedule() {
    if (r_.schedule.empty()) return;
    out_ += "<h3 id=\"schedule\">" + T(c_, "html.schedule_heading") +
            "</h3>\n<table class=\"schedule\"><thead><tr>" + Th(c_, "html.priority", "n") +
            Th(c_, "report.column.day") + Th(c_, "report.column.department") +
            Th(c_, "html.risk", "n") + Th(c_, "html.reasons") + "</tr></thead><tbody>\n";
    for (const ReportScheduleEntry& e : r_.schedule) {
      out_ += "<tr><td class=\"n\">" + c_.Integer(e.priority) + "</td><td class=\"n\">" +
              Esc(c_.Date(e.date)) + "</td><td>" + DeptLink(e.department) +
              "</td><td class=\"n\">" + c_.Number(e.risk, 1) + "</td><td>";
      if (!e.reasons.empty()) {
        out_ += "<ul class=\"plain\">";
        for (const std::string& reason : e.reasons) out_ += "<li>" + Esc(reason) + "</li>";
        out_ += "</ul>";
      }
      out_ += "</td></tr>\n";
    }
    out_ += "</tbody></table>\n";
  }

  void Department(size_t index) {
    const ReportDepartment& d = r_.departments[index];
    out_ += fmt::format("<section class=\"dept\" id=\"d{}\">\n<h2><span>", index + 1) +
            Esc(d.department) + "</span><span class=\"small muted\">" +
            Esc(c_.Format("html.rank_of",
                          {{"rank", c_.Integer(d.rank)},
                           {"total", c_.Integer(static_cast<int64_t>(r_.departments.size()))}})) +
            "</span></h2>\n";
    out_ += Cards(d.scores, &d.trend);
    out_ += "<p class=\"muted small\">" + Esc(Counts(d.scores)) + "</p>\n";
    out_ += Legend(c_);
    for (size_t s : d.sources) {
      if (s < r_.sources.size()) Source(s);
    }
    out_ += "</section>\n";
  }

  void Source(size_t index) {
    const ReportSource& s = r_.sources[index];
    out_ += "<h3>" + Esc(c_.Format("html.source_heading", {{"source", s.source}})) + "</h3>\n";
    out_ += "<p class=\"muted small\">" + T(c_, "report.column.database") + ": <code>" +
            Esc(s.database) + "</code> · " + Esc(Counts(s.scores)) + " · " +
            T(c_, "dimension.overall") + ": <b>" + Esc(ScoreText(c_, s.scores.overall)) + "</b> " +
            GradeHtml(c_, s.scores.grade) + "</p>\n";
    if (!s.error.empty()) {
      out_ += "<div class=\"alert\"><b>" + T(c_, "report.not_scanned") + ":</b> <code>" +
              Esc(s.error) + "</code></div>\n";
    }
    if (s.carried_from_run) {
      out_ += "<div class=\"note\">" +
              Esc(c_.Format("report.carried_over", {{"run", c_.Integer(*s.carried_from_run)}})) +
              "</div>\n";
    }
    if (s.checks.empty()) return;
    out_ += "<table class=\"checks\"><thead><tr>" + Th(c_, "html.check") +
            Th(c_, "report.column.outcome_label") + Th(c_, "report.column.violations", "n") +
            Th(c_, "report.column.threshold") + Th(c_, "report.column.samples") +
            Th(c_, "html.history") + "</tr></thead><tbody>\n";
    for (size_t k = 0; k < s.checks.size(); ++k) CheckRow(index, k);
    out_ += "</tbody></table>\n";
    // On paper only what needs work: passing checks are left out, and said so.
    int64_t passed = 0;
    for (const ReportCheck& c : s.checks) passed += c.result.outcome == Outcome::kPass ? 1 : 0;
    if (passed > 0) {
      out_ += "<p class=\"print-only muted small\">" +
              Esc(c_.Format("html.print_passed_left_out", {{"n", c_.Integer(passed)}})) + "</p>\n";
    }
  }

  std::string Thresholds(const CheckResult& res) const {
    std::string out;
    const std::string warn = LimitsText(c_, res.thresholds.warn);
    const std::string fail = LimitsText(c_, res.thresholds.fail);
    if (!warn.empty())
      out += "<div>" + Esc(c_.Format("html.limit_warn", {{"limits", warn}})) + "</div>";
    if (!fail.empty())
      out += "<div>" + Esc(c_.Format("html.limit_fail", {{"limits", fail}})) + "</div>";
    if (out.empty()) out = "<span class=\"muted\">" + T(c_, "html.limit_none") + "</span>";
    return out;
  }

  // The samples, and a link to the list of every failing row written beside the report.
  std::string Samples(const ReportCheck& check) const {
    const CheckResult& res = check.result;
    std::string link;
    if (!check.failing_csv.empty()) {
      const std::string text =
          check.failing_listed < check.failing_total
              ? c_.Format("html.failing_list_cut", {{"n", c_.Integer(check.failing_listed)},
                                                    {"total", c_.Integer(check.failing_total)}})
              : c_.Format("html.failing_list", {{"n", c_.Integer(check.failing_listed)}});
      link = "<div class=\"msg\"><a class=\"failing\" href=\"" +
             Esc(RelativeHref(check.failing_csv)) + "\">" + Esc(text) + "</a></div>";
    }
    if (res.samples.empty()) return link;
    std::string out = "<ul class=\"samples\">";
    for (const std::vector<std::string>& sample : res.samples) {
      if (res.type == "delivery") {
        out += "<li><code>" + Esc(SampleText(c_, res, sample)) + "</code></li>";
        continue;
      }
      // Each "column=value" unbroken: a CCCD or a phone number never splits across lines.
      std::string pairs;
      for (size_t i = 0; i < sample.size(); ++i) {
        const std::string column =
            i < res.key_columns.size() ? res.key_columns[i] : fmt::format("key{}", i + 1);
        if (i > 0) pairs += ", ";
        pairs += "<span class=\"kv\">" + Esc(SampleText({column}, {sample[i]})) + "</span>";
      }
      out += "<li><code>" + pairs + "</code></li>";
    }
    out += "</ul>";
    if (res.violations > static_cast<int64_t>(res.samples.size())) {
      out += "<div class=\"msg\">" +
             Esc(c_.Format("html.samples_of",
                           {{"shown", c_.Integer(static_cast<int64_t>(res.samples.size()))},
                            {"total", c_.Integer(res.violations)}})) +
             "</div>";
    }
    return out + link;
  }

  void CheckRow(size_t source, size_t index) {
    const ReportCheck& check = r_.sources[source].checks[index];
    const CheckResult& res = check.result;
    out_ += "<tr id=\"" + CheckAnchor(source, index) + "\"" +
            (res.outcome == Outcome::kPass ? " class=\"c-pass\"" : "") + "><td><b>" +
            Esc(CheckTitle(c_, res)) +
            "</b>" + IdLine(res.id) + "<div class=\"msg\">" + Esc(Label(c_, res.dimension)) + " · " +
            Esc(Label(c_, res.severity)) + " · " + Esc(res.type);
    if (!res.table.empty()) {
      out_ += " · " + Esc(res.table);
      if (!res.columns.empty()) {
        std::string cols;
        for (const std::string& col : res.columns) cols += (cols.empty() ? "" : ", ") + col;
        out_ += " (" + Esc(cols) + ")";
      }
    }
    out_ += "</div>";
    if (res.outcome != Outcome::kPass && !res.message.empty()) {
      out_ += "<div class=\"msg\">" + Esc(CheckMessage(c_, res)) + "</div>";
    }
    out_ += MetricsDiv(c_, res);
    out_ += "</td><td>" + OutcomeBadge(c_, res.outcome);
    if (check.change) {
      out_ += "<div class=\"msg\">" + Esc(Label(c_, *check.change)) + "</div>";
    }
    if (check.anomaly) {
      out_ += "<div class=\"msg\">" + std::string(check.anomaly->direction > 0 ? "▲ " : "▼ ") +
              Esc(AnomalyLabel(c_, check.anomaly->direction)) + "</div>";
    }
    out_ += "</td><td class=\"n\"><b>" + CountOrFigure(res) + "</b><div class=\"msg\">" +
            PercentOrDash(res) + "</div><div class=\"msg\">" +
            Esc(c_.Format("html.rows_checked", {{"rows", c_.Integer(res.rows_checked)}})) +
            "</div></td><td class=\"small\">" + Thresholds(res) + "</td><td>" + Samples(check) +
            "</td><td>" + CheckHistoryChart(c_, res.id, check.history, &res.thresholds.fail) +
            "</td></tr>\n";
    for (const Breakdown& b : res.breakdowns) UnitsRow(res, b);
    out_ += DriftProfileHtml(c_, res);
  }

  // Every unit of a breakdown as a coloured tile, worst first, when there are more units than the
  // table lists: the whole province at a glance (docs/reports.md "Breakdowns").
  std::string UnitTilesHtml(const Breakdown& b, double top_shown) const {
    constexpr size_t kTilesFrom = 8;
    if (b.units.size() < kTilesFrom) return "";
    std::vector<svg::UnitTile> tiles;
    double top = top_shown;
    for (const UnitFigures& u : b.units) {
      tiles.push_back({u.percent, u.violations > 0,
                       UnitName(u) + ": " + c_.Integer(u.violations) + "/" +
                           c_.Integer(u.rows_checked) + " (" + PercentText(c_, u.percent) + ")"});
      top = std::max(top, u.percent);
    }
    return "<div class=\"tiles\">" +
           svg::UnitTiles(tiles,
                          c_.Format("html.tiles_title", {{"by", b.by},
                                                         {"count", c_.Integer(static_cast<int64_t>(
                                                                       b.units.size()))}}),
                          c_.Text("html.tiles_none"),
                          c_.Format("html.tiles_max", {{"percent", PercentText(c_, top)}})) +
           "</div>";
  }

  // The check's units of one `by` entry, worst first: a bar per unit (its percent) and its figures.
  void UnitsRow(const CheckResult& res, const Breakdown& b) {
    constexpr size_t kShown = 20;
    const size_t shown = std::min(kShown, b.units.size());
    double top = 0;
    for (size_t i = 0; i < shown; ++i) top = std::max(top, b.units[i].percent);
    out_ += std::string("<tr class=\"units") + (res.outcome == Outcome::kPass ? " c-pass" : "") +
            "\"><td colspan=\"6\"><div class=\"msg\"><b>" +
            Esc(c_.Format("html.units_heading", {{"check", CheckTitle(c_, res)}, {"by", b.by}})) +
            "</b></div>" + UnitTilesHtml(b, top) + "<table class=\"units\"><thead><tr>" +
            Th(c_, "report.column.rank_in_breakdown", "n") + Th(c_, "report.column.unit") +
            Th(c_, "report.column.violations", "n") + Th(c_, "report.column.rows_checked", "n") +
            Th(c_, "report.column.percent", "n") + "<th></th></tr></thead><tbody>\n";
    for (size_t i = 0; i < shown; ++i) {
      const UnitFigures& u = b.units[i];
      const double width = top > 0 ? 120.0 * u.percent / top : 0;
      // On paper the 10 worst units; the screen lists up to 20.
      constexpr size_t kPrinted = 10;
      out_ += std::string(i < kPrinted ? "<tr>" : "<tr class=\"u-more\">") + "<td class=\"n\">" +
              c_.Integer(static_cast<int64_t>(i + 1)) +
              "</td><td class=\"unit\">" + Esc(UnitName(u)) + "</td><td class=\"n\">" +
              c_.Integer(u.violations) + "</td><td class=\"n\">" + c_.Integer(u.rows_checked) +
              "</td><td class=\"n\">" + PercentText(c_, u.percent) +
              "</td><td><svg class=\"unitbar\" width=\"122\" height=\"10\" role=\"img\" "
              "aria-label=\"" + Esc(UnitName(u)) + "\"><rect class=\"" +
              (u.violations > 0 ? "o-fail" : "o-pass") + "\" x=\"0\" y=\"1\" width=\"" +
              fmt::format("{:.1f}", std::max(width, u.violations > 0 ? 1.0 : 0.0)) +
              "\" height=\"8\"/></svg></td></tr>\n";
    }
    out_ += "</tbody></table>";
    if (shown < b.units.size()) {
      out_ += "<div class=\"msg\">" +
              Esc(c_.Format("html.units_more",
                            {{"shown", c_.Integer(static_cast<int64_t>(shown))},
                             {"total", c_.Integer(static_cast<int64_t>(b.units.size()))}})) +
              "</div>";
    }
    out_ += "</td></tr>\n";
  }

  const RunReport& r_;
  const i18n::Catalog& c_;
  const KeyFindings f_;
  std::map<std::string, size_t> dept_index_;
  std::string out_;
};

// ---- Period report (month, quarter, year) ----

class PeriodPage {
 public:
  PeriodPage(const PeriodReport& r, const i18n::Catalog& c)
      : r_(r), c_(c), f_(FindKeyFindings(r)) {}

  std::string Render() {
    Header();
    out_ += "<section class=\"summary\">\n<h2>" + T(c_, "html.period_province_heading") + "</h2>\n";
    // Cards, then the ranking and the indicators, then the chart: the ranking is on the first
    // screen.
    ScoreFacts(r_.province);
    Ranking();
    Indicators();
    DailyChart(r_.province);
    out_ += "</section>\n";
    // Checks grouped under their department, in the ranking's order; a check whose department is
    // not ranked (no measured run) gets a section of its own after them.
    std::vector<std::string> order;
    for (const PeriodScores& d : r_.departments) order.push_back(d.name);
    for (const PeriodCheck& ch : r_.checks) {
      if (std::find(order.begin(), order.end(), ch.department) == order.end()) {
        order.push_back(ch.department);
      }
    }
    for (size_t i = 0; i < order.size(); ++i) Department(i, order[i]);
    out_ += Footer(c_, r_.generated_unix_ms, r_.issuer);
    return Document(c_, PeriodTitle(c_, r_.period), out_);
  }

 private:
  void Header() {
    out_ += "<header>\n<h1>" + Esc(PeriodTitle(c_, r_.period)) + "</h1>\n" +
            IssuerHtml(c_, r_.issuer, MonthPeriodText(c_, r_.period),
                       r_.runs.empty() ? r_.generated_unix_ms : r_.runs.front().started_unix_ms) +
            "<p class=\"meta\">";
    if (r_.runs.empty()) {
      out_ += T(c_, "html.period_no_runs");
    } else {
      out_ += Esc(
          c_.Format("html.period_runs", {{"runs", c_.Integer(static_cast<int64_t>(r_.runs.size()))},
                                         {"first", c_.Date(r_.runs.front().today)},
                                         {"last", c_.Date(r_.runs.back().today)}}));
    }
    out_ += "</p>\n</header>\n" + KeyFindingsHtml(c_, f_);  // before the contents
    if (!r_.departments.empty()) {
      out_ += "<nav class=\"toc\"><h4>" + T(c_, "html.contents") + "</h4><ol>";
      for (size_t i = 0; i < r_.departments.size(); ++i) {
        out_ +=
            fmt::format("<li><a href=\"#p{}\">", i + 1) + Esc(r_.departments[i].name) + "</a></li>";
      }
      out_ += "</ol></nav>\n";
    }
  }

  // The day's score, or why there is no best or worst day (one day, or every day equal).
  std::string DayScore(const PeriodScores& s, const std::optional<PeriodPoint>& p) const {
    if (!p) {
      if (s.days == 0) return "–";
      return T(c_, s.days == 1 ? "html.one_day" : "html.days_equal");
    }
    return Esc(c_.Format("html.day_score", {{"date", c_.Date(p->today)},
                                            {"score", ScoreText(c_, p->scores.overall)}}));
  }

  std::string FirstLast(const PeriodScores& s) const {
    if (!s.first_overall || !s.last_overall) return "–";
    return c_.Number(*s.first_overall, 1) + " → " + c_.Number(*s.last_overall, 1) + " " +
           DeltaHtml(c_, *s.last_overall - *s.first_overall);
  }

  // The change of the average overall score against the previous period of the same kind.
  std::string VsPrevious(const PeriodScores& s) const {
    if (!s.average_overall || !s.previous_overall) return DeltaHtml(c_, std::nullopt);
    return DeltaHtml(c_, *s.average_overall - *s.previous_overall);
  }

  // Cards of the averages, the period's facts and the run-by-run chart of one series.
  void Scores(const PeriodScores& s) {
    ScoreFacts(s);
    DailyChart(s);
  }

  void ScoreFacts(const PeriodScores& s) {
    std::array<ScoreCard, 4> dims;
    for (size_t i = 0; i < dims.size(); ++i) {
      dims[i].score = s.average[static_cast<size_t>(kReportDimensions[i])];
      dims[i].note = T(c_, "html.average");
    }
    out_ += CardsHtml(c_, dims, ScoreCard{s.average_overall, GradeHtml(c_, s.grade)});
    out_ += "<div class=\"meta\"><span>" + T(c_, "report.column.worst_day") + ": <b>" +
            DayScore(s, s.worst_day) + "</b></span><span>" + T(c_, "report.column.best_day") +
            ": <b>" + DayScore(s, s.best_day) + "</b></span><span>" + T(c_, "html.first_last") +
            ": <b>" + FirstLast(s) + "</b></span>";
    const std::string previous = PeriodName(c_, r_.previous_period);
    if (r_.previous_runs == 0) {
      out_ += "<span class=\"previous\">" +
              Esc(c_.Format("html.no_previous_period", {{"period", previous}})) + "</span>";
    } else {
      out_ += "<span class=\"previous\">" +
              Esc(c_.Format("html.vs_previous", {{"period", previous}})) + ": <b>" +
              VsPrevious(s) + "</b></span>";
    }
    if (s.slope) {
      out_ += "<span>" + T(c_, "report.column.slope") + ": <b>" + DeltaHtml(c_, *s.slope) +
              "</b></span>";
    }
    out_ += "</div>\n";
  }

  void DailyChart(const PeriodScores& s) {
    std::vector<svg::DayPoint> days;
    for (const PeriodPoint& p : s.points) {
      days.push_back({p.scores.overall, ShortDate(c_, p.today),
                      c_.Format("html.day_score", {{"date", c_.Date(p.today)},
                                                   {"score", ScoreText(c_, p.scores.overall)}})});
    }
    const std::string name = s.name.empty() ? std::string(c_.Text("report.province")) : s.name;
    out_ += "<h4>" + T(c_, "html.daily_chart") + "</h4>\n" +
            svg::ScoreChart(days, ScoreAxis(c_),
                            c_.Format("html.daily_chart_title", {{"name", name}})) +
            "\n";
  }

  void Ranking() {
    if (!RankingStart(out_, c_, r_.departments.empty(),
                      Th(c_, "report.column.worst_day") + Th(c_, "report.column.best_day") +
                          Th(c_, "html.first_last", "n") + "<th class=\"n\">" +
                          Esc(c_.Format("html.vs_previous",
                                        {{"period", PeriodName(c_, r_.previous_period)}})) +
                          "</th>" + Th(c_, "html.trend"))) {
      return;
    }
    for (const FindingDepartment& f : f_.ranking) {  // worst first
      const size_t i = static_cast<size_t>(f.rank - 1);  // departments are in rank order
      const PeriodScores& d = r_.departments[i];
      out_ += "<tr><td class=\"n\">" + c_.Integer(d.rank) +
              fmt::format("</td><td><a href=\"#p{}\">", i + 1) + Esc(d.name) + "</a></td>";
      for (Dimension dim : kReportDimensions) {
        out_ += ScoreCell(c_, d.average[static_cast<size_t>(dim)]);
      }
      std::vector<double> values;
      for (const PeriodPoint& p : d.points) {
        if (p.scores.overall) values.push_back(*p.scores.overall);
      }
      out_ += "<td class=\"n\"><b>" + Esc(ScoreText(c_, d.average_overall)) + "</b></td><td>" +
              GradeHtml(c_, d.grade) + "</td><td class=\"small\">" + DayScore(d, d.worst_day) +
              "</td><td class=\"small\">" + DayScore(d, d.best_day) +
              "</td><td class=\"n small\">" + FirstLast(d) + "</td><td class=\"n\">" +
              VsPrevious(d) + "</td><td>" +
              svg::Sparkline(values, c_.Format("html.daily_chart_title", {{"name", d.name}})) +
              "</td></tr>\n";
    }
    out_ += "</tbody></table>\n" + GradeLegendHtml(c_, r_.grades) + kPrintBreak;
  }

  void Department(size_t index, const std::string& name) {
    const PeriodScores* scores = index < r_.departments.size() ? &r_.departments[index] : nullptr;
    out_ += fmt::format("<section class=\"period-dept\" id=\"p{}\">\n<h2><span>", index + 1) +
            Esc(name) + "</span>";
    if (scores) {
      out_ += "<span class=\"small muted\">" +
              Esc(c_.Format("html.rank_of",
                            {{"rank", c_.Integer(scores->rank)},
                             {"total", c_.Integer(static_cast<int64_t>(r_.departments.size()))}})) +
              "</span>";
    }
    out_ += "</h2>\n";
    if (scores) Scores(*scores);
    out_ += "<h3>" + T(c_, "html.period_checks_heading") + "</h3>\n" + Legend(c_);
    out_ += "<table class=\"checks\"><thead><tr>" + Th(c_, "html.check") +
            Th(c_, "report.column.runs", "n") + Th(c_, "html.outcome_tally") +
            Th(c_, "report.column.mean_violations", "n") +
            Th(c_, "report.column.max_violations", "n") + Th(c_, "report.column.worst_day") +
            Th(c_, "report.column.last_outcome_label") + Th(c_, "html.history") +
            "</tr></thead><tbody>\n";
    for (const PeriodCheck& ch : r_.checks) {
      if (ch.department == name) CheckRow(ch);
    }
    out_ += "</tbody></table>\n</section>\n";
  }

  // Mean and largest violations with the day of the largest; for a yes/no check (sql, row_count,
  // freshness, metric) the numbers it measured instead of its 0/1 violations.
  std::string PeriodFigures(const PeriodCheck& ch) const {
    if (const auto f = YesNoPeriodFigure(ch.naming.type, ch.points)) {
      const auto number = [this](double v) {
        return c_.Number(v, v == std::trunc(v) && std::fabs(v) < 1e15 ? 0 : 2);
      };
      return number(f->mean) + "</td><td class=\"n\">" + number(f->max) +
             "</td><td class=\"n\">" + Esc(c_.Date(f->max_day));
    }
    return c_.Number(ch.mean_violations, 1) + "</td><td class=\"n\">" +
           c_.Integer(ch.max_violations) + "</td><td class=\"n\">" +
           (ch.max_violations > 0 ? Esc(c_.Date(ch.worst_day)) : "–");
  }

  void CheckRow(const PeriodCheck& ch) {
    std::string tally;
    const std::pair<Outcome, int> counts[] = {{Outcome::kPass, ch.passed},
                                              {Outcome::kWarn, ch.warned},
                                              {Outcome::kFail, ch.failed},
                                              {Outcome::kError, ch.errors}};
    for (const auto& [outcome, n] : counts) {
      if (n == 0) continue;
      tally += "<div>" + std::string(OutcomeIcon(outcome)) + " " + Esc(Label(c_, outcome)) + ": " +
               c_.Integer(n) + "</div>";
    }
    out_ += "<tr><td><b>" + Esc(CheckTitle(c_, ch.check_id, ch.naming)) + "</b>" +
            IdLine(ch.check_id) + "<div class=\"msg\">" +
            Esc(ch.source) + " · " + Esc(Label(c_, ch.dimension)) + " · " +
            Esc(Label(c_, ch.severity)) + "</div>" + MetricsDiv(c_, ch.latest_metrics) +
            "</td><td class=\"n\">" + c_.Integer(ch.runs) +
            "</td><td class=\"small\">" + tally + "</td><td class=\"n\">" + PeriodFigures(ch) +
            "</td><td>" +
            OutcomeBadge(c_, ch.last_outcome) + "</td><td>" +
            CheckHistoryChart(c_, ch.check_id, ch.points, nullptr) + "</td></tr>\n";
  }

  void Indicators() {
    std::vector<IndicatorRow> rows;
    for (const PeriodIndicator& p : r_.indicators) {
      rows.push_back({Esc(p.department), IdLine(p.check_id), &p.last,
                      IndicatorTitle(c_, p.last, p.check_id, p.check, p.texts), p.last_outcome,
                      "<td class=\"n\">" + c_.Integer(p.met) + "/" + c_.Integer(p.runs) +
                          "</td><td class=\"n\">" +
                          (p.mean_value ? c_.Percent(*p.mean_value, 2) : std::string("—")) +
                          "</td>"});
    }
    out_ += IndicatorsHtml(c_, rows, true);
  }

  const PeriodReport& r_;
  const i18n::Catalog& c_;
  const KeyFindings f_;
  std::string out_;
};

}  // namespace

std::string RenderRunReportHtml(const RunReport& report, const i18n::Catalog& catalog) {
  return RunPage(report, catalog).Render();
}

std::string RenderPeriodReportHtml(const PeriodReport& report, const i18n::Catalog& catalog) {
  return PeriodPage(report, catalog).Render();
}

}  // namespace dqa::reports
