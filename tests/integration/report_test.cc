// `dqaudit report` end to end: demo scans on three days into one store, then every format for the
// latest run and for the month, with the numbers compared to what the store holds.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "core/history/store.h"
#include "core/i18n/catalog.h"
#include "core/scoring/score.h"
#include "tests/integration/support.h"

namespace dqa {
namespace report_test {
namespace {

using dqa::test_support::ReadFile;
using dqa::test_support::Quote;
using dqa::test_support::RunShell;

namespace fs = std::filesystem;
using nlohmann::json;

struct CommandResult {
  int code = -1;
  std::string out;
  std::string err;
};

// Runs a headless Chromium command (`timeout -s KILL N /usr/bin/chromium ...`) once more when the
// timeout killed it (137): headless Chromium now and then hangs at start on a loaded machine (a
// fresh CI run saw a screenshot never finish), which says nothing about the report. Its exit code.
int RunChromium(const std::string& command) {
  int code = RunShell(command);
  if (code == 137) code = RunShell(command);
  return code;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

class ReportCommandTest : public ::testing::Test {
 protected:
  // The demo province scanned on 2026-10-01 (seed 42), 2026-10-02 (seed 43) and 2026-10-03 (seed
  // 42 again), once for the whole suite.
  static void SetUpTestSuite() {
    root_ = new fs::path(fs::path(DQA_WORK_DIR) / ("report-" + std::to_string(getpid())));
    fs::remove_all(*root_);
    const fs::path rules = *root_ / "rules" / "demo";
    fs::create_directories(rules);
    for (const auto& entry : fs::directory_iterator(DQA_RULES_DIR)) {
      if (entry.path().extension() == ".yaml") {
        fs::copy_file(entry.path(), rules / entry.path().filename());
      }
    }
    const fs::path data = *root_ / "data" / "demo";
    const std::vector<std::pair<std::string, std::string>> days = {
        {"2026-10-01", "42"}, {"2026-10-02", "43"}, {"2026-10-03", "42"}};
    for (const auto& [day, seed] : days) {
      fs::remove_all(data);
      ASSERT_EQ(Shell(std::string(DQA_DATAGEN) + " --out " + Quote(data.string()) +
                      " --scale 0.005 --seed " + seed + " --today " + day + " 2>/dev/null"),
                0);
      // Checks fail in the demo (exit 1); nothing else is acceptable.
      ASSERT_EQ(Shell(std::string(DQA_BINARY) + " scan " + Quote(rules.string()) + " --history " +
                      Quote(History().string()) + " --today " + day + " --quiet --json " +
                      Quote((*root_ / ("scan-" + day + ".json")).string()) + " 2>/dev/null"),
                1);
    }
  }
  static void TearDownTestSuite() {
    fs::remove_all(*root_);
    delete root_;
  }

  static int Shell(const std::string& command) {
    const int status = std::system(command.c_str());
    return status == -1 || !WIFEXITED(status) ? -1 : WEXITSTATUS(status);
  }
  static fs::path History() { return *root_ / "audit.db"; }

  CommandResult Report(const std::string& args) {
    const fs::path out = *root_ / "stdout.txt";
    const fs::path err = *root_ / "stderr.txt";
    CommandResult r;
    r.code = Shell(std::string(DQA_BINARY) + " report --history " + Quote(History().string()) +
                   " " + args + " > " + Quote(out.string()) + " 2> " + Quote(err.string()));
    r.out = ReadFile(out);
    r.err = ReadFile(err);
    return r;
  }

  fs::path Out(const std::string& name) {
    const fs::path dir = *root_ / name;
    fs::remove_all(dir);
    return dir;
  }

  static fs::path* root_;
};

fs::path* ReportCommandTest::root_ = nullptr;

// The demo checks with `by` (rules/demo/population.yaml): the scan (worker processes) wrote their
// units, the store kept them, and every report format shows them, ranked worst first.
void ExpectBreakdownsCarried(const std::map<std::pair<std::string, std::string>, json>& scanned,
                             const json& doc, const std::string& csv, const std::string& workbook,
                             const std::string& html) {
  const json& phone = scanned.at({"population", "so_dien_thoai_hop_le"});
  ASSERT_TRUE(phone.contains("breakdowns")) << phone.dump();
  ASSERT_EQ(phone["breakdowns"].size(), 2u);
  EXPECT_EQ(phone["breakdowns"][0]["by"], "ma_huyen");
  EXPECT_EQ(phone["breakdowns"][1]["by"], "ma_xa");
  const json& districts = phone["breakdowns"][0]["units"];
  // The 11 real districts of Tiền Giang (815 ... 825) and the unknown unit, worst first.
  std::set<std::string> codes;
  int64_t violations = 0, rows = 0;
  for (size_t i = 0; i < districts.size(); ++i) {
    codes.insert(districts[i]["unit"].get<std::string>());
    violations += districts[i]["violations"].get<int64_t>();
    rows += districts[i]["rows_checked"].get<int64_t>();
    if (i > 0) {
      EXPECT_GE(districts[i - 1]["violations"], districts[i]["violations"]);
    }
  }
  EXPECT_EQ(codes, (std::set<std::string>{"815", "816", "817", "818", "819", "820", "821", "822",
                                          "823", "824", "825", "(không xác định)"}));
  EXPECT_EQ(violations, phone["violations"].get<int64_t>());
  EXPECT_EQ(rows, phone["rows_checked"].get<int64_t>());
  // A duplicate group's later rows count in their own commune: the units add up to the total.
  const json& dup = scanned.at({"population", "duplicate:cong_dan.so_cccd"});
  int64_t dup_units = 0;
  for (const json& u : dup["breakdowns"][0]["units"]) dup_units += u["violations"].get<int64_t>();
  EXPECT_EQ(dup_units, dup["violations"].get<int64_t>());
  EXPECT_GT(dup_units, 0);
  // A sector plugin's row check gets its units through the same base class.
  const json& plugin = scanned.at({"population", "so_dien_thoai_dung_dau_so"});
  ASSERT_EQ(plugin["breakdowns"].size(), 1u) << plugin.dump();
  int64_t plugin_units = 0, plugin_rows = 0;
  for (const json& u : plugin["breakdowns"][0]["units"]) {
    plugin_units += u["violations"].get<int64_t>();
    plugin_rows += u["rows_checked"].get<int64_t>();
  }
  EXPECT_EQ(plugin_units, plugin["violations"].get<int64_t>());
  EXPECT_EQ(plugin_rows, plugin["rows_checked"].get<int64_t>());
  EXPECT_GT(plugin_units, 0);
  // Freshness per district: each district measured on its own rows.
  const json& fresh = scanned.at({"population", "freshness:cong_dan.ngay_cap_nhat"});
  ASSERT_EQ(fresh["breakdowns"].size(), 1u);
  EXPECT_EQ(fresh["breakdowns"][0]["units"].size(), 12u);
  size_t measured = 0;
  for (const json& u : fresh["breakdowns"][0]["units"]) measured += u.contains("value") ? 1 : 0;
  EXPECT_GE(measured, 11u);  // every district has dates: its newest date's age

  // Report JSON (from audit.db): the same units in the same order.
  bool found = false;
  for (const json& s : doc["sources"]) {
    for (const json& c : s["checks"]) {
      if (s["source"] != "population" || c["id"] != "so_dien_thoai_hop_le") continue;
      found = true;
      EXPECT_EQ(c["breakdowns"], phone["breakdowns"]);
    }
  }
  EXPECT_TRUE(found);
  // Each district is named from the catalogue (`labels`): code, then name.
  for (const json& u : districts) {
    if (u["unit"] != "(không xác định)") {
      EXPECT_TRUE(u.contains("label")) << u.dump();
    }
  }
  const std::string worst =
      districts[0]["unit"].get<std::string>() + " " + districts[0].value("label", "");
  const std::string second =
      districts[1]["unit"].get<std::string>() + " " + districts[1].value("label", "");
  // CSV: the units column lists the districts worst first, by code and name.
  EXPECT_NE(csv.find("ma_huyen " + worst + ": " + std::to_string(districts[0]["violations"].get<int64_t>()) + "/"),
            std::string::npos);
  // XLSX: the units sheet.
  EXPECT_NE(workbook.find("<sheet name=\"Đơn vị\""), std::string::npos) << workbook;
  // HTML: the ranked table of the check (named by its title), its worst district before the
  // second.
  const size_t table = html.find("Số điện thoại sai định dạng theo ma_huyen, đơn vị kém nhất trước");
  ASSERT_NE(table, std::string::npos);
  const size_t first_row = html.find("<td class=\"unit\">" + worst + "</td>", table);
  const size_t second_row = html.find("<td class=\"unit\">" + second + "</td>", table);
  ASSERT_NE(first_row, std::string::npos);
  ASSERT_NE(second_row, std::string::npos);
  EXPECT_LT(first_row, second_row);
}

TEST_F(ReportCommandTest, LatestRunInEveryFormat) {
  const fs::path out = Out("latest");
  const CommandResult r =
      Report("--format html,json --format csv,xlsx --out " + Quote(out.string()));
  ASSERT_EQ(r.code, 0) << r.err;
  const std::vector<std::string> paths = Lines(r.out);
  // The lists of failing rows first (one per non-passing check that found rows), the four
  // reports, then the index page.
  ASSERT_GT(paths.size(), 8u) << r.out;
  EXPECT_EQ(paths.back(), (out / "index-vi.html").string());
  for (size_t i = 0; i + 5 < paths.size(); ++i) {
    EXPECT_TRUE(fs::path(paths[i]).filename().string().starts_with("failing-run-3-")) << paths[i];
  }
  EXPECT_NE(std::find(paths.begin(), paths.end(),
                      (out / "failing-run-3-population-duplicate_cong_dan.so_cccd.csv").string()),
            paths.end());
  EXPECT_NE(std::find(paths.begin(), paths.end(),
                      (out / "failing-run-3-services-ho_so_khop_bao_cao.csv").string()),
            paths.end());
  for (const char* ext : {"html", "json", "csv", "xlsx"}) {
    const fs::path file = out / (std::string("dqaudit-run-3-vi.") + ext);
    EXPECT_NE(std::find(paths.begin(), paths.end(), file.string()), paths.end()) << file;
    ASSERT_TRUE(fs::exists(file)) << file;
    EXPECT_GT(fs::file_size(file), 1000u) << file;
  }

  // The store, scored the same way.
  auto store = HistoryStore::Open(History().string(), false);
  ASSERT_TRUE(store.ok());
  auto sources = (*store)->LoadRun(3);
  ASSERT_TRUE(sources.ok());
  const RunScores scores = ScoreRun(*sources, ScoringConfig{});
  std::vector<const CheckResult*> all;
  for (const SourceResult& s : *sources) {
    for (const CheckResult& c : s.results) all.push_back(&c);
  }
  const ScoreSet province = ScoreResults(all, ScoringConfig{});

  const json doc = json::parse(ReadFile(out / "dqaudit-run-3-vi.json"));
  EXPECT_EQ(doc["run"]["id"], 3);
  EXPECT_EQ(doc["run"]["today"], "2026-10-03");
  EXPECT_EQ(doc["previous_run"]["id"], 2);
  EXPECT_DOUBLE_EQ(doc["province"]["overall"].get<double>(), *province.overall);
  ASSERT_EQ(doc["departments"].size(), scores.departments.size());
  for (const json& d : doc["departments"]) {
    const DepartmentScore* expected = scores.FindDepartment(d["department"].get<std::string>());
    ASSERT_NE(expected, nullptr) << d["department"];
    EXPECT_DOUBLE_EQ(d["scores"]["overall"].get<double>(), *expected->scores.overall);
  }
  for (size_t i = 1; i < doc["departments"].size(); ++i) {
    EXPECT_GE(doc["departments"][i - 1]["scores"]["overall"].get<double>(),
              doc["departments"][i]["scores"]["overall"].get<double>());
  }
  // Every check result, with the violations the scan reported that day (the store keeps sources
  // in the order they finished, the scan's JSON in rule-file order: match by source and id).
  const json scan = json::parse(ReadFile(*root_ / "scan-2026-10-03.json"));
  std::map<std::pair<std::string, std::string>, json> scanned;
  for (const json& result : scan["results"]) scanned[{result["source"], result["id"]}] = result;
  size_t checks = 0;
  for (const json& s : doc["sources"]) {
    for (const json& c : s["checks"]) {
      auto it = scanned.find({s["source"], c["id"]});
      ASSERT_NE(it, scanned.end()) << s["source"] << " " << c["id"];
      EXPECT_EQ(c["violations"], it->second["violations"]) << c["id"];
      EXPECT_EQ(c["outcome"], it->second["outcome"]) << c["id"];
      EXPECT_EQ(c["rows_checked"], it->second["rows_checked"]) << c["id"];
      ++checks;
    }
  }
  EXPECT_EQ(checks, scan["results"].size());
  EXPECT_EQ(checks, 94u);  // 87 checks, 2 delivery and 5 schema_change findings
  // The demo has more than ten failing or warning checks: the ten costliest are listed.
  EXPECT_EQ(doc["worst_checks"].size(), 10u);

  // CSV: a byte-order mark, the header and one row per check result.
  const std::string csv = ReadFile(out / "dqaudit-run-3-vi.csv");
  EXPECT_TRUE(csv.starts_with("\xEF\xBB\xBF"));
  size_t rows = 0;
  for (size_t at = csv.find("\r\n"); at != std::string::npos; at = csv.find("\r\n", at + 2)) ++rows;
  EXPECT_EQ(rows, checks + 1);

  // XLSX: a zip with the three sheets.
  FILE* pipe = popen(
      ("unzip -p " + Quote((out / "dqaudit-run-3-vi.xlsx").string()) + " xl/workbook.xml").c_str(),
      "r");
  ASSERT_NE(pipe, nullptr);
  std::string workbook;
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) workbook.append(buf, n);
  pclose(pipe);
  EXPECT_NE(workbook.find("<sheet name=\"Tổng hợp\""), std::string::npos) << workbook;
  EXPECT_NE(workbook.find("<sheet name=\"Mẫu dữ liệu\""), std::string::npos);

  // HTML: one self-contained document with the province score.
  const std::string html = ReadFile(out / "dqaudit-run-3-vi.html");
  EXPECT_NE(html.find("<html"), std::string::npos);

  // A reconcile check (services' dossiers against the centre's own totals) in every format: its
  // message with both totals, and its disagreeing groups with both figures and the difference.
  const json* reconcile = nullptr;
  for (const json& s : doc["sources"]) {
    for (const json& c : s["checks"]) {
      if (c["id"] == "ho_so_khop_bao_cao") reconcile = &c;
    }
  }
  ASSERT_NE(reconcile, nullptr);
  const json& scanned_reconcile = scanned.at({"services", "ho_so_khop_bao_cao"});
  EXPECT_EQ((*reconcile)["type"], "reconcile");
  EXPECT_EQ((*reconcile)["metrics"], scanned_reconcile["metrics"]);
  EXPECT_EQ((*reconcile)["value"], scanned_reconcile["value"]);
  EXPECT_GT((*reconcile)["violations"].get<int>(), 0);
  ASSERT_FALSE((*reconcile)["samples"].empty());
  const json& first = (*reconcile)["samples"][0];
  for (const char* key : {"ma_xa", "left", "right", "difference"}) {
    EXPECT_TRUE(first.contains(key)) << first.dump();
  }
  const std::string message = (*reconcile)["message"];
  const int64_t left_total = scanned_reconcile["metrics"]["left_total"].get<int64_t>();
  const int64_t right_total = scanned_reconcile["metrics"]["right_total"].get<int64_t>();
  EXPECT_NE(message.find(fmt::format("({} and {}, tolerance 2)", left_total, right_total)),
            std::string::npos)
      << message;
  // The Vietnamese reports say it in words, with Vietnamese numbers.
  const i18n::Catalog& vi_words = i18n::Catalog::BuiltIn(i18n::Language::kVi);
  const std::string totals = fmt::format("(tổng {} và {}; sai lệch cho phép 2)",
                                         vi_words.Integer(left_total), vi_words.Integer(right_total));
  const std::string sample =
      fmt::format("ma_xa={}, left={}, right={}, difference={}", first["ma_xa"].get<std::string>(),
                  first["left"].get<std::string>(), first["right"].get<std::string>(),
                  first["difference"].get<std::string>());
  FILE* strings = popen(("unzip -p " + Quote((out / "dqaudit-run-3-vi.xlsx").string()) +
                         " xl/sharedStrings.xml")
                            .c_str(),
                        "r");
  ASSERT_NE(strings, nullptr);
  std::string xlsx;
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, strings)) > 0;) xlsx.append(buf, n);
  pclose(strings);
  // The HTML keeps each sample's column=value pair unbroken in a span of its own.
  std::string html_text = html;
  for (const std::string tag : {"<span class=\"kv\">", "</span>"}) {
    for (size_t at; (at = html_text.find(tag)) != std::string::npos;) html_text.erase(at, tag.size());
  }
  for (const std::string* text : std::vector<const std::string*>{&csv, &html_text, &xlsx}) {
    EXPECT_NE(text->find("ho_so_khop_bao_cao"), std::string::npos);
    EXPECT_NE(text->find(totals), std::string::npos);
    EXPECT_NE(text->find(sample), std::string::npos) << sample;
  }
  ExpectBreakdownsCarried(scanned, doc, csv, workbook, html);
}


// Width and height from a PNG's IHDR chunk; {0, 0} when `png` is not a PNG.
std::pair<uint32_t, uint32_t> PngSize(const std::string& png) {
  if (png.size() < 24 || png.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0 ||
      png.compare(12, 4, "IHDR") != 0) {
    return {0, 0};
  }
  auto be32 = [&](size_t at) {
    uint32_t v = 0;
    for (size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(png[at + i]);
    return v;
  };
  return {be32(16), be32(20)};
}

// The HTML report opened in a real browser (Debian's chromium, installed by scripts/setup.sh): it
// renders, takes a screenshot, shows the key numbers, logs no console error and loads nothing.
TEST_F(ReportCommandTest, HtmlRendersInHeadlessChromium) {
  ASSERT_TRUE(fs::exists("/usr/bin/chromium")) << "chromium is missing: run scripts/setup.sh";
  const fs::path out = Out("chromium");
  const CommandResult r = Report("--run 3 --format html,json --out " + Quote(out.string()) +
                                 " --issuer " + Quote("Ban Chỉ đạo chuyển đổi số tỉnh") +
                                 " --province " + Quote("Tỉnh Bình Minh"));
  ASSERT_EQ(r.code, 0) << r.err;
  const fs::path html = out / "dqaudit-run-3-vi.html";
  ASSERT_TRUE(fs::exists(html));

  // Offline and sandboxed the way a CI container allows: no network (every host resolves to
  // nothing), its own profile folder, killed after 60 s (and run once more: RunChromium) so a hang
  // fails here instead of stalling CI.
  const std::string chromium =
      "timeout -s KILL 60 /usr/bin/chromium --headless --no-sandbox --disable-gpu "
      "--disable-background-networking --no-first-run --disable-extensions --disable-sync "
      "--host-resolver-rules='MAP * ~NOTFOUND' --enable-logging=stderr --v=0 --user-data-dir=" +
      Quote((out / "profile").string()) + " ";
  const fs::path png = out / "report.png";
  const fs::path shot_log = out / "screenshot.log";
  ASSERT_EQ(RunChromium(chromium + "--window-size=1280,2000 --screenshot=" + Quote(png.string()) +
                     " " + Quote("file://" + html.string()) + " >/dev/null 2>" +
                     Quote(shot_log.string())),
            0)
      << ReadFile(shot_log);
  const std::string image = ReadFile(png);
  EXPECT_EQ(PngSize(image), (std::pair<uint32_t, uint32_t>{1280, 2000}));
  EXPECT_GT(image.size(), 50'000u);  // a rendered page, not a blank one (a blank PNG is ~10 KB)

  const fs::path dom = out / "dom.html";
  const fs::path dom_log = out / "dom.log";
  ASSERT_EQ(RunChromium(chromium + "--dump-dom " + Quote("file://" + html.string()) + " >" +
                     Quote(dom.string()) + " 2>" + Quote(dom_log.string())),
            0)
      << ReadFile(dom_log);
  const std::string text = ReadFile(dom);
  ASSERT_NE(text.find("</html>"), std::string::npos);
  // The first screen (docs/reports.md "First screen"): who, where, on the committee's clock.
  EXPECT_NE(text.find("Điểm chính"), std::string::npos);
  EXPECT_NE(text.find("Ban Chỉ đạo chuyển đổi số tỉnh"), std::string::npos);
  EXPECT_NE(text.find("Tỉnh Bình Minh"), std::string::npos);
  EXPECT_EQ(text.find("UTC"), std::string::npos);

  // The key numbers, formatted as the Vietnamese report writes them, from the JSON report.
  const i18n::Catalog& vi = i18n::Catalog::BuiltIn(i18n::Language::kVi);
  const json doc = json::parse(ReadFile(out / "dqaudit-run-3-vi.json"));
  const std::string province = vi.Number(doc["province"]["overall"].get<double>(), 1);
  EXPECT_NE(text.find(">" + province + "<"), std::string::npos) << province;
  for (const json& d : doc["departments"]) {
    const std::string name = d["department"].get<std::string>();
    EXPECT_NE(text.find(name), std::string::npos) << name;
    const std::string score = vi.Number(d["scores"]["overall"].get<double>(), 1);
    EXPECT_NE(text.find(">" + score + "<"), std::string::npos) << name << " " << score;
  }
  ASSERT_FALSE(doc["worst_checks"].empty());
  const std::string worst = doc["worst_checks"][0]["check_id"].get<std::string>();
  EXPECT_NE(text.find(worst), std::string::npos) << worst;

  // No console message (the report has no script, so any is an error) and no failed load.
  for (const fs::path& log : {shot_log, dom_log}) {
    const std::string logged = ReadFile(log);
    EXPECT_EQ(logged.find("CONSOLE"), std::string::npos) << logged;
    EXPECT_EQ(logged.find("net::ERR"), std::string::npos) << logged;
    EXPECT_EQ(logged.find("Failed to load resource"), std::string::npos) << logged;
  }
}

// Pages of a PDF that Chromium printed: its page objects.
int PdfPages(const std::string& pdf) {
  int pages = 0;
  for (size_t at = pdf.find("/Type"); at != std::string::npos; at = pdf.find("/Type", at + 5)) {
    size_t k = at + 5;
    while (k < pdf.size() && (pdf[k] == ' ' || pdf[k] == '\n' || pdf[k] == '\r')) ++k;
    if (pdf.compare(k, 5, "/Page") == 0 && (k + 5 >= pdf.size() || pdf[k + 5] != 's')) ++pages;
  }
  return pages;
}

// Printed (docs/reports.md "Printing"), the report is a one-page summary (the head, the key
// findings, the province's scores and the ranking) and then the details, in a compact layout;
// Chromium prints it offline. The first screen in each language is kept as a screenshot in
// <build>/test-artefacts for a reviewer to look at.
TEST_F(ReportCommandTest, PrintsAOnePageSummaryThenTheDetails) {
  ASSERT_TRUE(fs::exists("/usr/bin/chromium")) << "chromium is missing: run scripts/setup.sh";
  const fs::path out = Out("print");
  const fs::path artefacts = fs::path(DQA_BINARY).parent_path() / "test-artefacts";
  fs::create_directories(artefacts);
  const std::string chromium =
      "timeout -s KILL 60 /usr/bin/chromium --headless --no-sandbox --disable-gpu "
      "--disable-background-networking --no-first-run --disable-extensions --disable-sync "
      "--host-resolver-rules='MAP * ~NOTFOUND' --user-data-dir=" +
      Quote((out / "profile").string()) + " ";
  for (const char* lang : {"vi", "en"}) {
    const CommandResult r = Report(std::string("--run 3 --format html --lang ") + lang +
                                   " --out " + Quote(out.string()) + " --issuer " +
                                   Quote("Ban Chỉ đạo chuyển đổi số tỉnh"));
    ASSERT_EQ(r.code, 0) << r.err;
    const fs::path html = out / (std::string("dqaudit-run-3-") + lang + ".html");
    const std::string page = ReadFile(html);
    // Page numbers at the foot of every page, in the report's language.
    EXPECT_NE(page.find(std::string("@bottom-right{content:") +
                        (std::string(lang) == "vi" ? "\"Trang \" counter(page) \"/\" counter(pages)"
                                                   : "\"Page \" counter(page) \" of \" counter(pages)")),
              std::string::npos);
    // The summary alone (the page cut where printing breaks) fits on one page.
    const size_t cut = page.find("<div class=\"print-break\"></div>");
    ASSERT_NE(cut, std::string::npos);
    const fs::path summary = out / (std::string("summary-") + lang + ".html");
    {
      std::ofstream f(summary, std::ios::binary);
      f << page.substr(0, cut) << "</main></body></html>\n";
    }
    const fs::path summary_pdf = out / (std::string("summary-") + lang + ".pdf");
    const fs::path full_pdf = artefacts / (std::string("report-run-3-") + lang + ".pdf");
    for (const auto& [src, pdf] : {std::pair{summary, summary_pdf}, std::pair{html, full_pdf}}) {
      ASSERT_EQ(RunChromium(chromium + "--no-pdf-header-footer --print-to-pdf=" + Quote(pdf.string()) +
                         " " + Quote("file://" + src.string()) + " >/dev/null 2>&1"),
                0)
          << pdf;
    }
    EXPECT_EQ(PdfPages(ReadFile(summary_pdf)), 1) << lang;
    // Then the details from page 2, compact: passing checks and units past the 10 worst are left
    // off paper (the demo printed on 45 pages before).
    const int pages = PdfPages(ReadFile(full_pdf));
    EXPECT_GE(pages, 2) << lang;
    EXPECT_LE(pages, 20) << lang;
    // The first screen as an official sees it.
    const fs::path png = artefacts / (std::string("first-screen-") + lang + ".png");
    ASSERT_EQ(RunChromium(chromium + "--window-size=1280,900 --screenshot=" + Quote(png.string()) +
                       " " + Quote("file://" + html.string()) + " >/dev/null 2>&1"),
              0);
    EXPECT_EQ(PngSize(ReadFile(png)), (std::pair<uint32_t, uint32_t>{1280, 900}));
  }
}

TEST_F(ReportCommandTest, MonthInEnglish) {
  const fs::path out = Out("month");
  const CommandResult r =
      Report("--period 2026-10 --format json,csv,xlsx,html --lang en --out " + Quote(out.string()));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(Lines(r.out).size(), 5u);  // four reports and index-en.html
  EXPECT_TRUE(fs::exists(out / "index-en.html"));
  for (const char* ext : {"html", "json", "csv", "xlsx"}) {
    EXPECT_TRUE(fs::exists(out / (std::string("dqaudit-2026-10-en.") + ext))) << ext;
  }
  auto store = HistoryStore::Open(History().string(), false);
  ASSERT_TRUE(store.ok());
  double sum = 0;
  for (int64_t run = 1; run <= 3; ++run) {
    auto sources = (*store)->LoadRun(run);
    ASSERT_TRUE(sources.ok());
    std::vector<const CheckResult*> all;
    for (const SourceResult& s : *sources) {
      for (const CheckResult& c : s.results) all.push_back(&c);
    }
    sum += *ScoreResults(all, ScoringConfig{}).overall;
  }
  const json doc = json::parse(ReadFile(out / "dqaudit-2026-10-en.json"));
  EXPECT_EQ(doc["period"], "2026-10");
  EXPECT_EQ(doc["language"], "en");
  ASSERT_EQ(doc["runs"].size(), 3u);
  EXPECT_NEAR(doc["province"]["average"]["overall"].get<double>(), sum / 3, 1e-9);
  EXPECT_EQ(doc["checks"].size(), 94u);  // 87 checks and 7 findings
  for (const json& c : doc["checks"]) {
    EXPECT_EQ(c["runs"], 3) << c["check_id"];
    EXPECT_EQ(c["passed"].get<int>() + c["warned"].get<int>() + c["failed"].get<int>() +
                  c["errors"].get<int>(),
              3);
  }
  const std::string csv = ReadFile(out / "dqaudit-2026-10-en.csv");
  EXPECT_NE(csv.find("Period,Department,Source,Check id"), std::string::npos);
}

TEST_F(ReportCommandTest, UsageErrorsExitTwo) {
  const std::string out = " --out " + Quote(Out("errors").string());
  struct Case {
    std::string args;
    std::string message;
  };
  for (const Case& c : std::vector<Case>{
           {"--run 99 --format json" + out, "no run 99"},
           {"--period 2026-09 --format json" + out, "no complete or partial run in 2026-09"},
           {"--period 2026-13 --format json" + out, "bad period '2026-13'"},
           {"--format pdf" + out, "unknown report format 'pdf'"},
           {"--format json --lang fr" + out, "unknown language 'fr'"},
           {"--format csv --csv-style excel" + out,
            "unknown CSV style 'excel': expected excel-vi or rfc4180"},
           {"--failing trung --csv-style ,", "unknown CSV style ','"},
           {"--format json --timezone Asia/Hanoi" + out,
            "--timezone: unknown time zone 'Asia/Hanoi' (expected an IANA name such as "
            "Asia/Ho_Chi_Minh)"},
           {"--run 1 --period 2026-10 --format json" + out, "excludes"},
           {"--format json", "--out is required"},
       }) {
    SCOPED_TRACE(c.args);
    const CommandResult r = Report(c.args);
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
  }
  EXPECT_FALSE(fs::exists(*root_ / "errors"));
  // A store that does not exist is not created.
  const fs::path missing = *root_ / "missing.db";
  EXPECT_EQ(Shell(std::string(DQA_BINARY) + " report --history " + Quote(missing.string()) +
                  " --format json" + out + " 2>/dev/null"),
            2);
  EXPECT_FALSE(fs::exists(missing));
}

TEST_F(ReportCommandTest, ExplicitRunAndUnwritableFolder) {
  const fs::path out = Out("run1");
  const CommandResult r = Report("--run 1 --format csv --out " + Quote(out.string()));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(r.out.ends_with((out / "dqaudit-run-1-vi.csv").string() + "\n" +
                              (out / "index-vi.html").string() + "\n"))
      << r.out;
  EXPECT_NE(r.out.find((out / "failing-run-1-population-trung_cong_dan_gan_dung.csv").string()),
            std::string::npos);
  // Vietnamese: ';', dd/mm/yyyy by default; --csv-style rfc4180 for ',' and ISO days.
  const std::string vi = ReadFile(out / "dqaudit-run-1-vi.csv");
  EXPECT_TRUE(vi.starts_with("\xEF\xBB\xBFLần quét;Ngày;Sở, ngành;")) << vi.substr(0, 80);
  EXPECT_NE(vi.find("\r\n1;01/10/2026;"), std::string::npos) << vi.substr(0, 400);
  const CommandResult rfc =
      Report("--run 1 --format csv --csv-style rfc4180 --out " + Quote(out.string()));
  ASSERT_EQ(rfc.code, 0) << rfc.err;
  const std::string comma = ReadFile(out / "dqaudit-run-1-vi.csv");
  EXPECT_TRUE(comma.starts_with("\xEF\xBB\xBFLần quét,Ngày,\"Sở, ngành\",")) << comma.substr(0, 80);
  EXPECT_NE(comma.find("\r\n1,2026-10-01,"), std::string::npos) << comma.substr(0, 400);
  // A file where the folder should be: nothing can be written (exit 3).
  const fs::path blocked = *root_ / "blocked";
  std::ofstream(blocked) << "x";
  const CommandResult w = Report("--format json --out " + Quote((blocked / "sub").string()));
  EXPECT_EQ(w.code, 3) << w.err;
  EXPECT_NE(w.err.find("cannot create"), std::string::npos) << w.err;
}

}  // namespace
}  // namespace report_test
}  // namespace dqa

namespace dqa {
namespace report_test {
namespace {

// One language per report: the Vietnamese report says every engine message in Vietnamese, and the
// English one in English (docs/reports.md "Messages in the report's language").
TEST_F(ReportCommandTest, EachReportSaysTheEngineMessagesInItsLanguage) {
  const fs::path out = Out("words");
  for (const char* lang : {"vi", "en"}) {
    const CommandResult r =
        Report(std::string("--format html --lang ") + lang + " --out " + Quote(out.string()));
    ASSERT_EQ(r.code, 0) << r.err;
  }
  const std::string vi = ReadFile(out / "dqaudit-run-3-vi.html");
  const std::string en = ReadFile(out / "dqaudit-run-3-en.html");
  // The engine's English, as results.json keeps it, never reaches the Vietnamese report.
  for (const char* english : {" rows (", " values (", "are missing", "fail limit", "warn limit",
                              "Schema baseline", "Schema unchanged", "Delivery every",
                              "The query returned", "are not found in", "duplicate an earlier"}) {
    EXPECT_EQ(vi.find(english), std::string::npos) << english;
  }
  // (Passing checks show no message in the HTML report: schema_change's are not here.)
  for (const char* words : {"dòng (", "thiếu ", "tối đa ", "thực tế ", "Nộp dữ liệu mỗi"}) {
    EXPECT_NE(vi.find(words), std::string::npos) << words;
  }
  for (const char* words : {" rows (", "are missing", "at most ", "— actual ", "Delivery every"}) {
    EXPECT_NE(en.find(words), std::string::npos) << words;
  }
  EXPECT_EQ(en.find("thiếu "), std::string::npos);
  EXPECT_EQ(en.find("\xE2\x9F\xA6"), std::string::npos);  // "⟦": a key without words
  EXPECT_EQ(vi.find("\xE2\x9F\xA6"), std::string::npos);
}

// Checks are named by their titles in the report's language (rules/demo gives titles and column
// titles; docs/rules.md "Titles"), the id under each for machines; the CSV has both.
TEST_F(ReportCommandTest, ChecksAreNamedByTheirTitlesInTheReportsLanguage) {
  const fs::path out = Out("titles");
  for (const char* lang : {"vi", "en"}) {
    const CommandResult r = Report(std::string("--format html,csv --lang ") + lang + " --out " +
                                   Quote(out.string()));
    ASSERT_EQ(r.code, 0) << r.err;
  }
  const std::string vi = ReadFile(out / "dqaudit-run-3-vi.html");
  const std::string en = ReadFile(out / "dqaudit-run-3-en.html");
  // A default sentence naming the column by its title, and a title the rule wrote.
  EXPECT_NE(vi.find("<b>Số CCCD trùng</b><div class=\"id\">duplicate:cong_dan.so_cccd</div>"),
            std::string::npos);
  EXPECT_NE(en.find("<b>Duplicate ID card number</b><div class=\"id\">duplicate:cong_dan.so_cccd"
                    "</div>"),
            std::string::npos);
  EXPECT_NE(vi.find("<b>Người đã mất vẫn ghi là còn sống</b>"), std::string::npos);
  EXPECT_NE(en.find("<b>Dead citizens still recorded as living</b>"), std::string::npos);
  EXPECT_EQ(en.find("Người đã mất vẫn ghi là còn sống"), std::string::npos);
  EXPECT_NE(vi.find("<b>Ngày sinh ngoài khoảng cho phép</b>"), std::string::npos);
  // The indicator check is named by its title in each language, in its row and its message.
  EXPECT_NE(en.find("<b>Dossiers returned on time</b><div class=\"id\">ho_so_tra_dung_han</div>"),
            std::string::npos);
  EXPECT_NE(en.find("<div class=\"msg\">Dossiers returned on time: "), std::string::npos);
  EXPECT_NE(vi.find("<div class=\"msg\">Hồ sơ trả đúng hạn: "), std::string::npos);
  const std::string csv = ReadFile(out / "dqaudit-run-3-vi.csv");
  EXPECT_NE(csv.find(";Mã kiểm tra;Tên kiểm tra;"), std::string::npos);
  EXPECT_NE(csv.find(";duplicate:cong_dan.so_cccd;Số CCCD trùng;"), std::string::npos);
}

// The sector plugins' words (plugin ABI 1.4): each report says the plugins' reasons, metric names
// and indicator titles in its own language, and the metrics with the language's numbers.
TEST_F(ReportCommandTest, EachReportSaysThePluginsWordsAndMetricsInItsLanguage) {
  const fs::path out = Out("plugin-words");
  for (const char* lang : {"vi", "en"}) {
    const CommandResult r = Report(std::string("--format html,csv,xlsx --csv-style rfc4180 --lang ") +
                                   lang + " --out " + Quote(out.string()));
    ASSERT_EQ(r.code, 0) << r.err;
  }
  // The XLSX read back: its shared strings (every text cell).
  const auto shared_strings = [&](const std::string& file) {
    const fs::path xml = out / (file + ".strings.xml");
    EXPECT_EQ(Shell("unzip -p " + Quote((out / file).string()) + " xl/sharedStrings.xml > " +
                    Quote(xml.string())),
              0);
    return ReadFile(xml);
  };
  std::map<std::string, std::string> vi = {{"html", ReadFile(out / "dqaudit-run-3-vi.html")},
                                           {"csv", ReadFile(out / "dqaudit-run-3-vi.csv")},
                                           {"xlsx", shared_strings("dqaudit-run-3-vi.xlsx")}};
  std::map<std::string, std::string> en = {{"html", ReadFile(out / "dqaudit-run-3-en.html")},
                                           {"csv", ReadFile(out / "dqaudit-run-3-en.csv")},
                                           {"xlsx", shared_strings("dqaudit-run-3-en.xlsx")}};
  // Before ABI 1.4 the English report carried population.cccd's Vietnamese reasons and the plugin
  // indicators' Vietnamese titles, and both showed metrics as "amount_paid_after_death=4.536e+07".
  // (The rule files' own indicator titles, "Hồ sơ trả đúng hạn", are the rules' words, not the
  // plugins'.)
  for (const auto& [format, text] : en) {
    for (const char* vietnamese : {"không đủ 12 chữ số", "mã tỉnh không tồn tại",
                                   "hai số năm sinh không khớp", "Hồ sơ nộp trực tuyến",
                                   "Số tiền chi trả sau khi mất"}) {
      EXPECT_EQ(text.find(vietnamese), std::string::npos) << format << ": " << vietnamese;
    }
    EXPECT_EQ(text.find("amount_paid_after_death="), std::string::npos) << format;
  }
  for (const auto& [format, text] : vi) {
    for (const char* english : {"not 12 digits", "unknown province code", "Welfare paid cashless",
                                "Dossiers returned on time", "Amount paid after death"}) {
      EXPECT_EQ(text.find(english), std::string::npos) << format << ": " << english;
    }
  }
  // The exact metric lines of social_protection.paid_after_death, from the scan's figures.
  const json scan = json::parse(ReadFile(*root_ / "scan-2026-10-03.json"));
  json paid;
  for (const json& result : scan["results"]) {
    if (result["id"] == "chi_tra_sau_khi_mat") paid = result;
  }
  ASSERT_TRUE(paid.is_object());
  const auto people = paid["metrics"]["beneficiaries_affected"].get<int64_t>();
  const auto amount = paid["metrics"]["amount_paid_after_death"].get<int64_t>();
  ASSERT_GT(amount, 999);  // a thousands separator to tell the languages apart
  const i18n::Catalog& vi_words = i18n::Catalog::BuiltIn(i18n::Language::kVi);
  const i18n::Catalog& en_words = i18n::Catalog::BuiltIn(i18n::Language::kEn);
  const std::string vi_line =
      fmt::format("Số đối tượng bị ảnh hưởng: {}; Số tiền chi trả sau khi mất (đồng): {}",
                  vi_words.Integer(people), vi_words.Integer(amount));
  const std::string en_line =
      fmt::format("Beneficiaries affected: {}; Amount paid after death (VND): {}",
                  en_words.Integer(people), en_words.Integer(amount));
  EXPECT_NE(vi_line.find('.'), std::string::npos);  // vi: 45.360.000
  EXPECT_NE(en_line.find(','), std::string::npos);  // en: 45,360,000
  for (const auto& [format, text] : vi) {
    EXPECT_NE(text.find(vi_line), std::string::npos) << format << ": " << vi_line;
  }
  for (const auto& [format, text] : en) {
    EXPECT_NE(text.find(en_line), std::string::npos) << format << ": " << en_line;
  }
  // population.cccd's reasons in words, and the plugin indicators' titles, in each language.
  for (const auto& [format, text] : vi) {
    EXPECT_NE(text.find("không đủ 12 chữ số: "), std::string::npos) << format;
    if (format != "csv") {  // the CSV names indicators by id
      EXPECT_NE(text.find("Hồ sơ nộp trực tuyến"), std::string::npos) << format;
    }
  }
  for (const auto& [format, text] : en) {
    EXPECT_NE(text.find("not 12 digits: "), std::string::npos) << format;
    if (format != "csv") {
      EXPECT_NE(text.find("Welfare paid cashless"), std::string::npos) << format;
      EXPECT_NE(text.find("Dossiers filed online"), std::string::npos) << format;
    }
  }
  // The monthly report shows the metrics too, in its language.
  const CommandResult month = Report("--period 2026-10 --format html,csv --csv-style rfc4180 "
                                     "--lang en --out " + Quote(out.string()));
  ASSERT_EQ(month.code, 0) << month.err;
  for (const char* ext : {"html", "csv"}) {
    const std::string text = ReadFile(out / (std::string("dqaudit-2026-10-en.") + ext));
    EXPECT_NE(text.find(en_line), std::string::npos) << ext;
  }
}

}  // namespace
}  // namespace report_test
}  // namespace dqa
