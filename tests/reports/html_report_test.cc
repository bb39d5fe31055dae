#include "core/i18n/catalog.h"
#include "reports/html/html_report.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>
#include <vector>

namespace dqa::reports {
namespace {

using i18n::Catalog;
using i18n::Language;

int Count(const std::string& text, const std::string& needle) {
  int n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

bool Has(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

// Every element that is opened is closed, in order (void elements and self-closed SVG shapes
// aside); the text between <style> tags is skipped.
void ExpectBalanced(const std::string& html) {
  static const std::set<std::string> kVoid = {"meta", "br", "img", "link", "input", "hr"};
  const std::regex tag(R"(<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:[^>"']|"[^"]*"|'[^']*')*?)(/?)>)");
  std::vector<std::string> stack;
  const size_t style_end = html.find("</style>");
  const size_t body = style_end == std::string::npos ? 0 : style_end + 8;
  auto begin =
      std::sregex_iterator(html.begin() + static_cast<std::ptrdiff_t>(body), html.end(), tag);
  stack.push_back("html");
  stack.push_back("head");
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    const std::string name = (*it)[2];
    if ((*it)[1] == "/") {
      ASSERT_FALSE(stack.empty()) << "</" << name << "> closes nothing";
      ASSERT_EQ(stack.back(), name)
          << "</" << name << "> closes <" << stack.back() << "> at " << it->position();
      stack.pop_back();
    } else if ((*it)[4] != "/" && !kVoid.count(name)) {
      stack.push_back(name);
    }
  }
  EXPECT_TRUE(stack.empty()) << "unclosed: <" << (stack.empty() ? "" : stack.back()) << ">";
}

CheckResult Check(std::string source, std::string id, Dimension dim, Outcome outcome,
                  int64_t violations, int64_t rows) {
  CheckResult r;
  r.id = std::move(id);
  r.type = r.id.substr(0, r.id.find(':'));
  r.source = std::move(source);
  r.table = "cong_dan";
  r.columns = {"so_cccd"};
  r.dimension = dim;
  r.outcome = outcome;
  r.violations = violations;
  r.rows_checked = rows;
  r.percent = rows > 0 ? 100.0 * static_cast<double>(violations) / static_cast<double>(rows) : 0;
  r.thresholds.fail.max_count = 0;
  if (outcome != Outcome::kPass) r.message = "found " + std::to_string(violations);
  return r;
}

ScoreSet Scores(double validity, double completeness, double uniqueness, double freshness,
                double overall, Grade grade) {
  ScoreSet s;
  const double v[4] = {validity, completeness, uniqueness, freshness};
  for (size_t i = 0; i < 4; ++i) {
    s.dimensions[i].score = v[i];
    s.dimensions[i].checks = 2;
    s.dimensions[i].passed = 1;
    s.dimensions[i].failed = 1;
  }
  s.overall = overall;
  s.grade = grade;
  return s;
}

ScoreTrend Trend(std::string name, std::vector<double> overall_history,
                 std::optional<double> delta) {
  ScoreTrend t;
  t.name = std::move(name);
  int64_t run = 5;
  int day = 30;
  for (double v : overall_history) {
    ScorePoint p;
    p.run_id = run++;
    p.today = "2026-10-" + std::to_string(day++);
    if (day > 31) day = 1;
    p.scores.overall = v;
    t.history.push_back(p);
  }
  t.overall.delta = delta;
  t.dimensions[0].delta = delta;
  return t;
}

std::vector<CheckPoint> History(std::vector<std::pair<int64_t, Outcome>> points) {
  std::vector<CheckPoint> out;
  int64_t run = 5;
  int day = 29;
  for (const auto& [violations, outcome] : points) {
    CheckPoint p;
    p.run_id = run++;
    p.today = "2026-10-" + std::to_string(day++);
    p.violations = violations;
    p.outcome = outcome;
    out.push_back(p);
  }
  return out;
}

// Three departments, three sources (one carried over, one that could not be scanned), hostile
// text where department databases can put it.
RunReport SampleRun() {
  RunReport r;
  r.run.id = 7;
  r.run.today = "2026-11-01";
  r.run.status = "partial";
  r.run.started_unix_ms = 1793502000000;  // 2026-11-01T03:00:00Z
  r.run.finished_unix_ms = 1793502065000;
  r.run.sources_planned = 3;
  r.run.sources_recorded = 3;
  r.run.source_errors = 1;
  r.run.checks = 5;
  r.run.failed_checks = 1;
  RunRecord previous;
  previous.id = 6;
  previous.today = "2026-10-31";
  r.previous = previous;
  r.province = Scores(80, 90, 55.56, 100, 71.26, Grade::kAverage);
  r.generated_unix_ms = 1793502070000;

  ReportSource population;
  population.source = "population";
  population.department = "Công an tỉnh";
  population.database = "sqlite:population.db";
  population.scores = Scores(70, 100, 40, 100, 64.5, Grade::kPoor);
  ReportCheck dup;
  dup.result = Check("population", "duplicate:cong_dan.so_cccd", Dimension::kUniqueness,
                     Outcome::kFail, 1234, 50000);
  dup.result.key_columns = {"id"};
  dup.result.samples = {{"<script>alert(1)</script>"}, {"a\"b&c'd"}, {"<img src=http://x/y.png>"}};
  dup.result.message = "<b>3 groups</b>";
  dup.change = CheckChange::Kind::kNewFailure;
  dup.history = History({{0, Outcome::kPass}, {10, Outcome::kFail}, {1234, Outcome::kFail}});
  dup.score_loss = 2.5;
  population.checks.push_back(dup);
  ReportCheck missing;
  missing.result = Check("population", "missing:cong_dan.ho_ten", Dimension::kCompleteness,
                         Outcome::kPass, 0, 50000);
  missing.result.title = {{"vi", "Họ tên bị bỏ trống"}, {"en", "Full name left empty"}};
  missing.history = History({{0, Outcome::kPass}});
  population.checks.push_back(missing);
  r.sources.push_back(population);

  ReportSource civil;
  civil.source = "civil";
  civil.department = "Sở Tư pháp";
  civil.database = "sqlite:civil.db";
  civil.carried_from_run = 6;
  civil.scores = Scores(95, 100, 100, 100, 98.75, Grade::kGood);
  ReportCheck pattern;
  pattern.result = Check("civil", "pattern:khai_sinh.so_dien_thoai", Dimension::kValidity,
                         Outcome::kWarn, 17, 800);
  pattern.result.thresholds = Thresholds{};
  pattern.result.thresholds.warn.max_percent = 0.5;
  pattern.result.thresholds.fail.max_percent = 5;
  pattern.score_loss = 0.4;
  Anomaly anomaly;
  anomaly.source = "civil";
  anomaly.department = "Sở Tư pháp";
  anomaly.check_id = "pattern:khai_sinh.so_dien_thoai";
  anomaly.outcome = Outcome::kWarn;
  anomaly.metric = "violations";
  anomaly.current = 17;
  anomaly.method = Anomaly::Method::kBand;
  anomaly.points = 6;
  anomaly.mean = 3;
  anomaly.stddev = 1;
  anomaly.low = 0;
  anomaly.high = 6;
  anomaly.direction = 1;
  pattern.anomaly = anomaly;
  pattern.history = History({{2, Outcome::kWarn}, {3, Outcome::kWarn}, {17, Outcome::kWarn}});
  civil.checks.push_back(pattern);
  r.sources.push_back(civil);

  ReportSource social;
  social.source = "social";
  social.department = "Sở Lao động <TB&XH>";
  social.database = "sqlite:social.db";
  social.error = "database is locked <\"x\"> & gone";
  ReportCheck broken;
  broken.result =
      Check("social", "row_count:ho_ngheo", Dimension::kCompleteness, Outcome::kError, 0, 0);
  broken.result.message = "source not scanned";
  broken.history = History({{0, Outcome::kPass}, {0, Outcome::kError}});
  social.checks.push_back(broken);
  r.sources.push_back(social);

  ReportDepartment justice{
      "Sở Tư pháp", 1, civil.scores, Trend("Sở Tư pháp", {97, 98.75}, 1.75), {1}};
  ReportDepartment police{
      "Công an tỉnh", 2, population.scores, Trend("Công an tỉnh", {80, 70.5, 64.5}, -6), {0}};
  ReportDepartment labour{"Sở Lao động <TB&XH>", 3, ScoreSet{}, Trend("x", {}, std::nullopt), {2}};
  r.departments = {justice, police, labour};
  r.worst = {{0, 0}, {1, 0}, {2, 0}};

  CheckChange new_failure;
  new_failure.kind = CheckChange::Kind::kNewFailure;
  new_failure.source = "population";
  new_failure.department = "Công an tỉnh";
  new_failure.check_id = "duplicate:cong_dan.so_cccd";
  new_failure.dimension = Dimension::kUniqueness;
  new_failure.previous_outcome = Outcome::kPass;
  new_failure.current_outcome = Outcome::kFail;
  new_failure.previous_run_id = 6;
  new_failure.previous_violations = 0;
  new_failure.current_violations = 1234;
  CheckChange resolved = new_failure;
  resolved.kind = CheckChange::Kind::kResolved;
  resolved.source = "civil";
  resolved.department = "Sở Tư pháp";
  resolved.check_id = "reference:khai_sinh.ma_xa";
  resolved.previous_outcome = Outcome::kFail;
  resolved.current_outcome = Outcome::kPass;
  resolved.previous_violations = 9;
  resolved.current_violations = 0;
  r.changes = {new_failure, resolved};
  r.anomalies = {anomaly};
  return r;
}

const Catalog& Vi() { return Catalog::BuiltIn(Language::kVi); }
const Catalog& En() { return Catalog::BuiltIn(Language::kEn); }

TEST(HtmlReportTest, HostileTextIsEscapedEverywhere) {
  const std::string html = RenderRunReportHtml(SampleRun(), Vi());
  EXPECT_EQ(Count(html, "<script"), 0);
  EXPECT_EQ(Count(html, "<img"), 0);
  EXPECT_EQ(Count(html, "<b>3 groups"), 0);
  EXPECT_TRUE(Has(html, "id=&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_TRUE(Has(html, "id=a&quot;b&amp;c&#39;d"));
  EXPECT_TRUE(Has(html, "id=&lt;img src=http://x/y.png&gt;"));
  EXPECT_TRUE(Has(html, "&lt;b&gt;3 groups&lt;/b&gt;"));
  EXPECT_TRUE(Has(html, "Sở Lao động &lt;TB&amp;XH&gt;"));
  EXPECT_FALSE(Has(html, "Sở Lao động <TB"));
  EXPECT_TRUE(Has(html, "database is locked &lt;&quot;x&quot;&gt; &amp; gone"));
  ExpectBalanced(html);
}

TEST(HtmlReportTest, LoadsNothingFromOutsideAndRunsNoScript) {
  for (const Catalog* c : {&Vi(), &En()}) {
    RunReport run = SampleRun();
    run.sources[0].checks[0].result.samples.clear();  // the one hostile URL, checked above
    const std::string html = RenderRunReportHtml(run, *c);
    for (const std::string bad :
         {"http:", "https:", "//", "src=", "url(", "@import", "<link", "<script", "<iframe",
          "<object", "<embed", "javascript:", " on"}) {
      if (bad == " on") {
        // No event handler attribute (onload=, onclick=...).
        EXPECT_FALSE(std::regex_search(html, std::regex(R"(<[^>]*\son[a-z]+=)"))) << bad;
        continue;
      }
      EXPECT_FALSE(Has(html, bad)) << bad;
    }
    // Links only point inside the document, each to an element that exists.
    const std::regex href("href=\"([^\"]*)\"");
    for (auto it = std::sregex_iterator(html.begin(), html.end(), href);
         it != std::sregex_iterator(); ++it) {
      const std::string target = (*it)[1];
      ASSERT_TRUE(target.starts_with("#")) << target;
      EXPECT_TRUE(Has(html, "id=\"" + target.substr(1) + "\"")) << target;
    }
    EXPECT_TRUE(Has(html, "<meta charset=\"utf-8\">"));
    EXPECT_TRUE(html.starts_with("<!DOCTYPE html>\n<html lang=\"" +
                                 std::string(ToString(c->language())) + "\">"));
  }
}

TEST(HtmlReportTest, OneSectionPerDepartmentInRankOrderWithEveryCheckRow) {
  const RunReport run = SampleRun();
  const std::string html = RenderRunReportHtml(run, Vi());
  EXPECT_EQ(Count(html, "<section class=\"dept\""), 3);
  const size_t d1 = html.find("<section class=\"dept\" id=\"d1\">\n<h2><span>Sở Tư pháp</span>");
  const size_t d2 = html.find("<section class=\"dept\" id=\"d2\">\n<h2><span>Công an tỉnh</span>");
  const size_t d3 =
      html.find("<section class=\"dept\" id=\"d3\">\n<h2><span>Sở Lao động &lt;TB&amp;XH&gt;");
  ASSERT_NE(d1, std::string::npos);
  ASSERT_NE(d2, std::string::npos);
  ASSERT_NE(d3, std::string::npos);
  EXPECT_LT(d1, d2);
  EXPECT_LT(d2, d3);
  // Every check has its row (anchor c<source>-<check>) inside its department's section.
  EXPECT_EQ(Count(html, "<tr id=\"c"), 4);
  // A passing check's row is marked so that printing leaves it out (and says how many).
  EXPECT_EQ(Count(html, "class=\"c-pass\""), 1);
  EXPECT_TRUE(Has(html, "<p class=\"print-only muted small\">1 kiểm tra đạt không in ra"));
  // Each row names its check by its title (here the default sentence of the type), id under it.
  const size_t dup = html.find(
      "<tr id=\"c1-1\"><td><b>so_cccd trùng</b><div class=\"id\">duplicate:cong_dan.so_cccd</div>");
  const size_t miss = html.find(
      "<tr id=\"c1-2\" class=\"c-pass\"><td><b>Họ tên bị bỏ trống</b><div "
      "class=\"id\">missing:cong_dan.ho_ten</div>");
  const size_t pat = html.find("<tr id=\"c2-1\"><td><b>so_cccd sai định dạng</b><div "
                               "class=\"id\">pattern:khai_sinh.so_dien_thoai</div>");
  const size_t err = html.find(
      "<tr id=\"c3-1\"><td><b>Số dòng của bảng ho_ngheo</b><div class=\"id\">row_count:ho_ngheo</div>");
  EXPECT_GT(dup, d2);
  EXPECT_LT(dup, d3);
  EXPECT_GT(miss, dup);
  EXPECT_LT(miss, d3);
  EXPECT_GT(pat, d1);
  EXPECT_LT(pat, d2);
  EXPECT_GT(err, d3);
  // One history chart per check row; sparklines only for departments with history.
  EXPECT_EQ(Count(html, "<svg class=\"hist\""), 4);
  EXPECT_EQ(Count(html, "<svg class=\"spark\""), 3);
  EXPECT_EQ(Count(html, "<polyline class=\"line\""), 2 + 3);  // sparklines 2 + histories 3
  // The source that could not be scanned shows its error, the carried-over one its run.
  EXPECT_TRUE(Has(html, "<div class=\"alert\"><b>Không quét được:</b>"));
  EXPECT_TRUE(Has(html, "<div class=\"note\">Dùng lại kết quả của lần quét 6</div>"));
  ExpectBalanced(html);
}

// A check with `by` gets a row under its own: its units ranked worst first, with a bar each.
TEST(HtmlReportTest, BreakdownUnitsAreRankedWorstFirstWithBars) {
  RunReport run = SampleRun();
  CheckResult& dup = run.sources[0].checks[0].result;
  dup.breakdowns = {{"ma_huyen",
                     {{"815", 900, 20000, 4.5, std::nullopt, "Thành phố Mỹ Tho"},
                      {"<b>816</b>", 334, 20000, 1.67, std::nullopt},
                      {"(không xác định)", 0, 10000, 0, std::nullopt}}}};
  const std::string html = RenderRunReportHtml(run, Vi());
  EXPECT_EQ(Count(html, "<tr class=\"units\">"), 1);
  EXPECT_TRUE(Has(html, "so_cccd trùng theo ma_huyen, đơn vị kém nhất trước"));
  const size_t first = html.find("<td class=\"unit\">815 Thành phố Mỹ Tho</td>");
  const size_t second = html.find("<td class=\"unit\">&lt;b&gt;816&lt;/b&gt;</td>");
  const size_t third = html.find("<td class=\"unit\">(không xác định)</td>");
  ASSERT_NE(first, std::string::npos);
  ASSERT_NE(second, std::string::npos);
  ASSERT_NE(third, std::string::npos);
  EXPECT_LT(first, second);
  EXPECT_LT(second, third);
  EXPECT_FALSE(Has(html, "<b>816</b>"));
  // Bars scaled to the worst unit: 120 px for 4.5 %, none for a unit without violations.
  EXPECT_EQ(Count(html, "<svg class=\"unitbar\""), 3);
  EXPECT_TRUE(Has(html, "<rect class=\"o-fail\" x=\"0\" y=\"1\" width=\"120.0\""));
  EXPECT_TRUE(Has(html, "<rect class=\"o-pass\" x=\"0\" y=\"1\" width=\"0.0\""));
  ExpectBalanced(html);
  // Without breakdowns no units row at all.
  EXPECT_EQ(Count(RenderRunReportHtml(SampleRun(), Vi()), "<tr class=\"units\">"), 0);
  // Three units fit the table: no tiles.
  EXPECT_EQ(Count(html, "<svg class=\"tiles\""), 0);
}

// Many units: every one of them as a tile coloured by its share, worst red, clean ones green,
// each saying its figures when hovered, under a title naming how many there are.
TEST(HtmlReportTest, ManyUnitsAreShownAsColouredTiles) {
  RunReport run = SampleRun();
  CheckResult& dup = run.sources[0].checks[0].result;
  Breakdown b{"ma_xa", {}};
  for (int i = 0; i < 30; ++i) {
    const int64_t bad = i < 10 ? 10 - i : 0;
    b.units.push_back({std::to_string(28200 + i), bad, 100, static_cast<double>(bad),
                       std::nullopt, i == 0 ? "Phường 5" : ""});
  }
  dup.breakdowns = {b};
  const std::string html = RenderRunReportHtml(run, Vi());
  EXPECT_EQ(Count(html, "<svg class=\"tiles\""), 1);
  EXPECT_TRUE(Has(html, "aria-label=\"30 đơn vị theo ma_xa, kém nhất trước\""));
  EXPECT_TRUE(Has(html, "fill=\"#c62828\"><title>28200 Phường 5: 10/100 (10,0%)</title>"));
  EXPECT_EQ(Count(html, "fill=\"#43a047\"><title>"), 20);  // the units without violations
  EXPECT_TRUE(Has(html, ">đến 10,0%</text>"));
  // The table lists the 20 worst; the tiles show all 30.
  EXPECT_EQ(Count(html, "<td class=\"unit\">"), 20);
  ExpectBalanced(html);
}

TEST(HtmlReportTest, SummaryNumbersWorstChecksChangesAndAnomaliesInVietnamese) {
  const std::string html = RenderRunReportHtml(SampleRun(), Vi());
  EXPECT_TRUE(Has(html, "<title>Báo cáo chất lượng dữ liệu, lần quét 7 ngày 01/11/2026</title>"));
  EXPECT_TRUE(Has(html, "<html lang=\"vi\">"));
  // Province: overall 71,3 (Trung bình) and the four dimensions.
  EXPECT_TRUE(Has(html, "<div class=\"k\">Tổng hợp</div><div class=\"v\">71,3</div>"));
  EXPECT_TRUE(Has(html, "<div class=\"v\">55,6</div>"));
  EXPECT_TRUE(Has(html, "Sạch (không trùng lặp)"));
  EXPECT_TRUE(Has(html, "<span class=\"badge g-average\">Trung bình</span>"));
  // Ranking rows: rank, name, four dimensions, overall, grade, delta.
  EXPECT_TRUE(Has(html, "<tr><td class=\"n\">1</td><td><a href=\"#d1\">Sở Tư pháp</a></td>"));
  EXPECT_TRUE(
      Has(html, "<td class=\"n\"><b>98,8</b></td><td><span class=\"badge g-good\">Tốt</span>"));
  EXPECT_TRUE(Has(html, "<span class=\"up\">▲ +1,8</span>"));
  EXPECT_TRUE(Has(html, "<span class=\"down\">▼ -6,0</span>"));
  EXPECT_TRUE(Has(html, "<td class=\"n muted\">Chưa đo</td>"));  // the unmeasured department
  // Worst checks in the given order with their cost.
  const size_t w1 =
      html.find("<td class=\"n\">1.234</td><td class=\"n\">2,5%</td><td class=\"n\">2,50</td>");
  const size_t w2 =
      html.find("<td class=\"n\">17</td><td class=\"n\">2,1%</td><td class=\"n\">0,40</td>");
  ASSERT_NE(w1, std::string::npos);
  ASSERT_NE(w2, std::string::npos);
  EXPECT_LT(w1, w2);
  // Changes: one new failure, one resolved, with outcomes before and after.
  EXPECT_TRUE(Has(html, "<h4>Mới không đạt (1)</h4>"));
  EXPECT_TRUE(Has(html, "<h4>Đã khắc phục (1)</h4>"));
  EXPECT_TRUE(Has(html,
                  "<span class=\"badge b-pass\">✓ Đạt</span> → <span class=\"badge b-fail\">✗ "
                  "Không đạt</span>"));
  EXPECT_TRUE(Has(html, "<td class=\"n\">0 → 1.234</td>"));
  EXPECT_TRUE(Has(html, "So sánh với lần quét 6 ngày 31/10/2026."));
  // Anomaly: band 0..6 around a mean of 3 over 6 runs, upward.
  EXPECT_TRUE(Has(html, "Từ 0 đến 6 (trung bình 3,0 của 6 lần quét trước)"));
  EXPECT_TRUE(Has(html, "▲ Tăng bất thường"));
  // Check row: violations, rate, rows, thresholds, samples and the history tooltip.
  EXPECT_TRUE(Has(
      html, "<b>1.234</b><div class=\"msg\">2,5%</div><div class=\"msg\">trên 50.000 dòng</div>"));
  EXPECT_TRUE(Has(html, "Ngưỡng cảnh báo: ≤ 0,5%"));
  EXPECT_TRUE(Has(html, "Ngưỡng không đạt: ≤ 5%"));
  EXPECT_TRUE(Has(html, "3 trong 1.234 dòng vi phạm"));
  EXPECT_TRUE(Has(html, "<title>31/10/2026: 1.234 vi phạm (Không đạt)</title>"));
  EXPECT_TRUE(Has(html, "Mới không đạt"));
  // Header facts.
  EXPECT_TRUE(Has(html, "Hoàn tất một phần"));
  EXPECT_TRUE(Has(html, "01/11/2026 lúc 10:00"));  // 03:00 UTC on the committee's clock (UTC+7)
  EXPECT_FALSE(Has(html, "⟦"));  // every catalog key exists
  EXPECT_FALSE(Has(html, "Departments ranked"));
}

TEST(HtmlReportTest, EnglishUsesEnglishWordsAndNumberFormat) {
  const std::string html = RenderRunReportHtml(SampleRun(), En());
  EXPECT_TRUE(Has(html, "<html lang=\"en\">"));
  EXPECT_TRUE(Has(html, "<title>Data-quality report, run 7 of 2026-11-01</title>"));
  EXPECT_TRUE(Has(html, "<h3>Departments ranked</h3>"));
  EXPECT_TRUE(Has(html, "<div class=\"k\">Overall</div><div class=\"v\">71.3</div>"));
  EXPECT_TRUE(Has(
      html, "<b>1,234</b><div class=\"msg\">2.5%</div><div class=\"msg\">of 50,000 rows</div>"));
  EXPECT_TRUE(Has(html, "<span class=\"badge b-fail\">✗ Fail</span>"));
  EXPECT_TRUE(Has(html, "<h4>New failures (1)</h4>"));
  EXPECT_TRUE(Has(html, "Not scanned"));
  EXPECT_FALSE(Has(html, "⟦"));
  for (const std::string vi : {"Xếp hạng", "Không đạt", "Tổng hợp", "lần quét", "Sở, ngành"}) {
    EXPECT_FALSE(Has(html, vi)) << vi;
  }
  ExpectBalanced(html);
}

TEST(HtmlReportTest, ScheduleSectionOnlyWhenAttached) {
  RunReport run = SampleRun();
  const std::string without = RenderRunReportHtml(run, Vi());
  EXPECT_FALSE(Has(without, "id=\"schedule\""));
  EXPECT_FALSE(Has(without, "Kế hoạch kiểm tra"));
  run.schedule = {
      {"2026-11-09", "Công an tỉnh", 1, 87.5, {"Điểm giảm 6,0", "<2 lỗi nghiêm trọng>"}},
      {"2026-11-16", "Sở Tư pháp", 2, 12.26, {}}};
  const std::string with = RenderRunReportHtml(run, Vi());
  EXPECT_EQ(Count(with, "<h3 id=\"schedule\">Kế hoạch kiểm tra</h3>"), 1);
  EXPECT_TRUE(Has(with,
                  "<tr><td class=\"n\">1</td><td class=\"n\">09/11/2026</td><td><a "
                  "href=\"#d2\">Công an tỉnh</a></td><td class=\"n\">87,5</td>"));
  EXPECT_TRUE(Has(with, "<li>&lt;2 lỗi nghiêm trọng&gt;</li>"));
  EXPECT_TRUE(Has(with, "<td class=\"n\">12,3</td>"));
  const std::string en = RenderRunReportHtml(run, En());
  EXPECT_TRUE(Has(en, "<h3 id=\"schedule\">Inspection plan</h3>"));
  ExpectBalanced(with);
}

TEST(HtmlReportTest, FirstRunAndEmptyRunStillRender) {
  RunReport run = SampleRun();
  run.previous.reset();
  run.changes.clear();
  const std::string first = RenderRunReportHtml(run, Vi());
  // Header, key findings and changes.
  EXPECT_EQ(Count(first, "Chưa có lần quét trước để so sánh."), 3);
  EXPECT_FALSE(Has(first, "Mới không đạt ("));
  RunReport empty;
  empty.run.id = 1;
  empty.run.today = "2026-11-01";
  empty.run.status = "failed";
  const std::string html = RenderRunReportHtml(empty, En());
  EXPECT_TRUE(Has(html, "This run has no results of any department."));
  EXPECT_TRUE(Has(html, "Every check passed."));
  EXPECT_EQ(Count(html, "<section class=\"dept\""), 0);
  EXPECT_FALSE(Has(html, "⟦"));
  ExpectBalanced(html);
}

TEST(HtmlReportTest, PrintsADepartmentPerPageWithRepeatedHeaders) {
  const std::string html = RenderRunReportHtml(SampleRun(), Vi());
  EXPECT_TRUE(Has(html, "@media print"));
  EXPECT_TRUE(Has(html, "@page{size:A4"));
  EXPECT_TRUE(Has(html, "section.dept,section.period-dept{break-before:page"));
  EXPECT_TRUE(Has(html, "thead{display:table-header-group}"));
  EXPECT_EQ(Count(html, "<thead>"), Count(html, "<table"));  // every table has a header row
}

TEST(HtmlReportTest, SizeStaysSensibleWithManyChecks) {
  // The demo's shape: 5 sources, 72 checks, ten runs of history, five samples each.
  RunReport run = SampleRun();
  run.sources.resize(2);
  run.sources[0].checks.clear();
  for (int i = 0; i < 72; ++i) {
    ReportCheck c;
    c.result =
        Check("population", "pattern:bang_" + std::to_string(i) + ".cot", Dimension::kValidity,
              i % 3 == 0 ? Outcome::kFail : Outcome::kPass, i % 3 == 0 ? 4321 : 0, 100000);
    if (i % 3 == 0) {
      c.result.key_columns = {"id"};
      for (int k = 0; k < 5; ++k) c.result.samples.push_back({std::to_string(100000 + k)});
    }
    for (int h = 0; h < 10; ++h) {
      c.history.push_back({h + 1, "2026-10-" + std::to_string(20 + h), c.result.outcome,
                           c.result.violations + h, 0, std::nullopt});
    }
    run.sources[0].checks.push_back(c);
  }
  const std::string html = RenderRunReportHtml(run, Vi());
  EXPECT_EQ(Count(html, "<tr id=\"c1-"), 72);
  EXPECT_LT(html.size(), 350u * 1024) << html.size();
  ExpectBalanced(html);
}

PeriodScores PeriodSeries(std::string name, int rank, std::vector<double> overall) {
  PeriodScores p;
  p.name = std::move(name);
  p.rank = rank;
  double sum = 0;
  for (size_t i = 0; i < overall.size(); ++i) {
    PeriodPoint point;
    point.run_id = static_cast<int64_t>(i + 1);
    point.today = "2026-10-0" + std::to_string(i + 1);
    point.scores.overall = overall[i];
    p.points.push_back(point);
    sum += overall[i];
    if (!p.worst_day || overall[i] < *p.worst_day->scores.overall) p.worst_day = point;
    if (!p.best_day || overall[i] > *p.best_day->scores.overall) p.best_day = point;
  }
  p.average = {80.0, 90.0, std::nullopt, 60.0};
  p.average_overall = sum / static_cast<double>(overall.size());
  p.grade = Grade::kFair;
  p.first_overall = overall.front();
  p.last_overall = overall.back();
  p.slope = overall.size() > 1 ? std::optional<double>(1.5) : std::nullopt;
  return p;
}

PeriodReport SamplePeriod() {
  PeriodReport r;
  r.period = "2026-10";
  for (int i = 1; i <= 3; ++i) {
    RunRecord run;
    run.id = i;
    run.today = "2026-10-0" + std::to_string(i);
    r.runs.push_back(run);
  }
  r.province = PeriodSeries("", 0, {70, 74, 78.26});
  r.departments = {PeriodSeries("Sở Tư pháp", 1, {90, 91, 95}),
                   PeriodSeries("Công an <tỉnh>", 2, {60, 50, 65})};
  PeriodCheck a;
  a.source = "population";
  a.department = "Công an <tỉnh>";
  a.check_id = "duplicate:cong_dan.so_cccd";
  a.dimension = Dimension::kUniqueness;
  a.runs = 3;
  a.passed = 1;
  a.failed = 2;
  a.mean_violations = 412.5;
  a.max_violations = 1200;
  a.worst_day = "2026-10-02";
  a.last_outcome = Outcome::kFail;
  a.points = History({{0, Outcome::kPass}, {1200, Outcome::kFail}, {37, Outcome::kFail}});
  PeriodCheck b = a;
  b.source = "civil";
  b.department = "Sở Tư pháp";
  b.check_id = "missing:khai_sinh.<ten>";
  b.passed = 3;
  b.failed = 0;
  b.mean_violations = 0;
  b.max_violations = 0;
  b.worst_day = "2026-10-01";
  b.last_outcome = Outcome::kPass;
  b.points = History({{0, Outcome::kPass}, {0, Outcome::kPass}, {0, Outcome::kPass}});
  PeriodCheck orphan = b;
  orphan.department = "Sở Y tế";
  orphan.check_id = "row_count:kham_benh";
  r.checks = {a, b, orphan};
  r.generated_unix_ms = 1793502070000;
  return r;
}

TEST(HtmlReportTest, MonthlyReportScoresChartsAndChecks) {
  const std::string html = RenderPeriodReportHtml(SamplePeriod(), Vi());
  EXPECT_TRUE(Has(html, "<title>Báo cáo chất lượng dữ liệu tháng 10/2026</title>"));
  EXPECT_TRUE(Has(html, "3 lần quét, từ ngày 01/10/2026 đến ngày 03/10/2026"));
  // Province average 74,1, worst and best days, first -> last with the change.
  EXPECT_TRUE(Has(html, "<div class=\"k\">Tổng hợp</div><div class=\"v\">74,1</div>"));
  EXPECT_TRUE(Has(html, "Ngày kém nhất: <b>01/10/2026 (70,0)</b>"));
  EXPECT_TRUE(Has(html, "Ngày tốt nhất: <b>03/10/2026 (78,3)</b>"));
  EXPECT_TRUE(Has(html, "70,0 → 78,3 <span class=\"up\">▲ +8,3</span>"));
  // Daily charts: the province and each ranked department; sparklines in the ranking.
  EXPECT_EQ(Count(html, "<svg class=\"score\""), 3);
  EXPECT_EQ(Count(html, "<svg class=\"spark\""), 2);
  // Department sections in rank order, then the department without scores.
  const size_t p1 = html.find("id=\"p1\">\n<h2><span>Sở Tư pháp</span>");
  const size_t p2 = html.find("id=\"p2\">\n<h2><span>Công an &lt;tỉnh&gt;</span>");
  const size_t p3 = html.find("id=\"p3\">\n<h2><span>Sở Y tế</span>");
  ASSERT_NE(p1, std::string::npos);
  ASSERT_NE(p2, std::string::npos);
  ASSERT_NE(p3, std::string::npos);
  EXPECT_LT(p1, p2);
  EXPECT_LT(p2, p3);
  // Per-check counts under the right department.
  const size_t dup = html.find("<div class=\"id\">duplicate:cong_dan.so_cccd</div>");
  EXPECT_GT(dup, p2);
  EXPECT_LT(dup, p3);
  EXPECT_TRUE(Has(html, "<div>✓ Đạt: 1</div><div>✗ Không đạt: 2</div>"));
  EXPECT_TRUE(Has(
      html, "<td class=\"n\">412,5</td><td class=\"n\">1.200</td><td class=\"n\">02/10/2026</td>"));
  EXPECT_TRUE(Has(html, "missing:khai_sinh.&lt;ten&gt;"));
  EXPECT_EQ(Count(html, "<svg class=\"hist\""), 3);
  EXPECT_FALSE(Has(html, "Công an <tỉnh>"));
  EXPECT_FALSE(Has(html, "⟦"));
  EXPECT_FALSE(Has(html, "http"));
  EXPECT_FALSE(Has(html, "//"));
  ExpectBalanced(html);

  const std::string en = RenderPeriodReportHtml(SamplePeriod(), En());
  EXPECT_TRUE(Has(en, "<html lang=\"en\">"));
  EXPECT_TRUE(Has(en, "<title>Data-quality report for 2026-10</title>"));
  EXPECT_TRUE(Has(
      en, "<td class=\"n\">412.5</td><td class=\"n\">1,200</td><td class=\"n\">2026-10-02</td>"));
  EXPECT_FALSE(Has(en, "⟦"));
  EXPECT_FALSE(Has(en, "Không đạt"));
  ExpectBalanced(en);
}

// A drift check's row is followed by its profile: each figure this run, its baseline (the median
// of the earlier runs), the change in the stat's own measure and which went over the limit.
TEST(HtmlReportTest, ADriftCheckShowsItsProfileAgainstTheBaseline) {
  RunReport run = SampleRun();
  ReportCheck drift;
  drift.result = Check("population", "drift:cong_dan.ngay_sinh", Dimension::kValidity,
                       Outcome::kFail, 3, 4);
  drift.result.type = "drift";
  drift.result.columns = {"ngay_sinh"};
  drift.result.profile =
      R"({"rows":10,"nulls":0,"distinct":7,"kind":"date",)"
      R"("compared":[)"
      R"({"stat":"null_rate","figure":"null_rate","baseline":0,"now":0,"change":0,"over":false},)"
      R"({"stat":"distinct_count","figure":"distinct","baseline":10.5,"now":7,)"
      R"("change":33.333,"over":true},)"
      R"({"stat":"top_values","figure":"top5","baseline":12,"now":20,"change":8,"over":false},)"
      R"({"stat":"quantiles","figure":"p5","baseline":-2860,"now":-25567,"change":3287.44,)"
      R"("over":true}]})";
  drift.result.message_key = "check.drift.changed";
  drift.result.message_args = {{"n_violations", "2"}, {"n_rows", "4"}, {"columns", "ngay_sinh"},
                               {"p_max_change", "20"}, {"n_runs", "3"}};
  run.sources[0].checks.push_back(drift);
  const std::string vi = RenderRunReportHtml(run, Vi());
  EXPECT_EQ(Count(vi, "<tr class=\"units drift\">"), 1);
  EXPECT_TRUE(Has(vi, "Hồ sơ của ngay_sinh: lần quét này so với trung vị của 3 lần quét trước "
                      "(thay đổi quá 20% là bất thường)"));
  EXPECT_TRUE(Has(vi, "<tr><td>Tỷ lệ giá trị rỗng (NULL)</td><td class=\"n\">0,0%</td>"
                      "<td class=\"n\">0,0%</td><td class=\"n\">0,0 điểm phần trăm</td>"
                      "<td></td></tr>"));
  EXPECT_TRUE(Has(vi, "<tr class=\"over\"><td>Số giá trị khác nhau</td><td class=\"n\">10,5</td>"
                      "<td class=\"n\">7</td><td class=\"n\">33,3%</td>"
                      "<td><b>vượt giới hạn</b></td></tr>"));
  EXPECT_TRUE(Has(vi, "<tr><td>Tỷ lệ của 5 giá trị phổ biến nhất</td><td class=\"n\">12,0%</td>"
                      "<td class=\"n\">20,0%</td><td class=\"n\">8,0 điểm phần trăm</td>"
                      "<td></td></tr>"));
  EXPECT_TRUE(Has(vi, "<tr class=\"over\"><td>Phân vị 0,05</td><td class=\"n\">04/03/1962</td>"
                      "<td class=\"n\">01/01/1900</td>"
                      "<td class=\"n\">3.287,4% của khoảng p5–p95</td>"
                      "<td><b>vượt giới hạn</b></td></tr>"));
  ExpectBalanced(vi);
  const std::string en = RenderRunReportHtml(run, Catalog::BuiltIn(Language::kEn));
  EXPECT_TRUE(Has(en, "Profile of ngay_sinh: this run against the median of 3 earlier runs (a "
                      "change over 20% is a drift)"));
  EXPECT_TRUE(Has(en, "<tr class=\"over\"><td>The 0.05 quantile</td>"
                      "<td class=\"n\">1962-03-04</td><td class=\"n\">1900-01-01</td>"
                      "<td class=\"n\">3,287.4% of the p5–p95 spread</td>"
                      "<td><b>over the limit</b></td></tr>"));
  // A first run (the profile without a comparison) and a run without drift: no profile table.
  run.sources[0].checks.back().result.profile = R"({"rows":10,"nulls":0,"distinct":7})";
  EXPECT_EQ(Count(RenderRunReportHtml(run, Vi()), "drift\">"), 0);
  EXPECT_EQ(Count(RenderRunReportHtml(SampleRun(), Vi()), "drift\">"), 0);
}

}  // namespace
}  // namespace dqa::reports

namespace dqa::reports {
namespace {

// A yes/no check (sql, row_count...) shows the number it measured, not its 0/1 violation and 100%.
TEST(HtmlReportTest, AnSqlCheckShowsItsNumberAsItsFigure) {
  RunReport run = SampleRun();
  ReportCheck sql;
  sql.result = Check("population", "sql:song_nhung_da_khai_tu", Dimension::kValidity,
                     Outcome::kFail, 1, 1);
  sql.result.value = 1837;
  sql.score_loss = 9;
  run.sources[0].checks.push_back(sql);
  run.worst.insert(run.worst.begin(), CheckRef{0, run.sources[0].checks.size() - 1});
  const std::string html = RenderRunReportHtml(run, i18n::Catalog::BuiltIn(i18n::Language::kVi));
  EXPECT_NE(html.find("<td class=\"n\">1.837</td><td class=\"n\">–</td><td class=\"n\">9,00</td>"),
            std::string::npos);
  EXPECT_EQ(html.find("<td class=\"n\">1</td><td class=\"n\">100%</td>"), std::string::npos);
  EXPECT_NE(html.find("<b>1.837</b>"), std::string::npos);  // its row among the checks
}

// Over a month too: a yes/no check shows the mean and the largest number it measured (and the
// day of the largest), never its 0/1 violations.
TEST(HtmlReportTest, AnSqlCheckShowsItsNumbersInTheMonthlyReport) {
  PeriodReport period = SamplePeriod();
  PeriodCheck sql = period.checks.at(0);
  sql.check_id = "song_nhung_da_khai_tu";
  sql.naming = {.type = "sql", .title = {{"vi", "Còn sống nhưng đã khai tử"}}};
  sql.mean_violations = 1;
  sql.max_violations = 1;
  sql.points = History({{1, Outcome::kFail}, {1, Outcome::kFail}, {1, Outcome::kFail}});
  sql.points[0].value = 12;
  sql.points[1].value = 30;
  sql.points[2].value = 7.5;
  period.checks.push_back(sql);
  const std::string html =
      RenderPeriodReportHtml(period, i18n::Catalog::BuiltIn(i18n::Language::kVi));
  const size_t row = html.find("<b>Còn sống nhưng đã khai tử</b>");
  ASSERT_NE(row, std::string::npos);
  // Mean (12 + 30 + 7.5) / 3 = 16.5, largest 30 on the second day, 30/10/2026.
  EXPECT_NE(html.find("<td class=\"n\">16,50</td><td class=\"n\">30</td><td "
                      "class=\"n\">30/10/2026</td>",
                      row),
            std::string::npos);
}

}  // namespace
}  // namespace dqa::reports
