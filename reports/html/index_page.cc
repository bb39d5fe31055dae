#include "reports/html/index_page.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <regex>
#include <set>

#include "core/report/period.h"
#include "core/util/atomic_file.h"
#include "reports/html/escape.h"
#include "reports/labels.h"

namespace dqa::reports {
namespace {

namespace fs = std::filesystem;

std::string IndexEsc(std::string_view text) { return EscapeHtml(text); }

// The files of one run or one period: report files by name, then its failing-row lists.
struct Entry {
  std::vector<std::string> reports;
  std::vector<std::string> failing;
};

// Periods newest first within a kind; years, then quarters, then months.
struct PeriodOrder {
  bool operator()(const Period& a, const Period& b) const {
    if (a.kind != b.kind) return static_cast<int>(a.kind) > static_cast<int>(b.kind);
    if (a.year != b.year) return a.year > b.year;
    return a.number > b.number;
  }
};

std::string Links(const Entry& e, const i18n::Catalog& c) {
  if (e.reports.empty() && e.failing.empty()) {
    return "<span class=\"muted\">" + IndexEsc(c.Text("html.index_no_file")) + "</span>";
  }
  std::string out;
  for (const std::string& f : e.reports) {
    out += "<a href=\"" + IndexEsc(RelativeHref(f)) + "\">" + IndexEsc(f) + "</a> ";
  }
  if (!e.failing.empty()) {
    out += "<details><summary>" +
           IndexEsc(c.Format("html.index_failing",
                        {{"n", c.Integer(static_cast<int64_t>(e.failing.size()))}})) +
           "</summary><ul>";
    for (const std::string& f : e.failing) {
      out += "<li><a href=\"" + IndexEsc(RelativeHref(f)) + "\">" + IndexEsc(f) + "</a></li>";
    }
    out += "</ul></details>";
  }
  return out;
}

constexpr std::string_view kIndexStyle =
    "body{font-family:system-ui,sans-serif;margin:24px;color:#222}"
    "table{border-collapse:collapse;width:100%;margin-bottom:24px}"
    "th,td{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}"
    "a{margin-right:8px}.muted{color:#888}details{margin-top:4px}";

}  // namespace

std::string IndexPagePath(const std::string& out_dir, i18n::Language language) {
  return (fs::path(out_dir) / fmt::format("index-{}.html", ToString(language))).string();
}

std::string RenderIndexPage(const std::vector<std::string>& files,
                            const std::vector<RunRecord>& runs, const i18n::Catalog& c) {
  static const std::regex kRunFile(R"(dqaudit-run-([0-9]+)-(vi|en)\.(html|json|csv|xlsx))");
  static const std::regex kFailingFile(R"(failing-run-([0-9]+)-.+\.csv)");
  static const std::regex kPeriodFile(R"(dqaudit-([0-9]{4}(-[0-9]{2}|-Q[1-4])?)-(vi|en)\.(html|json|csv|xlsx))");
  std::map<int64_t, Entry, std::greater<>> by_run;
  std::map<Period, Entry, PeriodOrder> by_period;
  std::vector<std::string> sorted = files;
  std::sort(sorted.begin(), sorted.end());
  std::smatch m;
  for (const std::string& f : sorted) {
    if (std::regex_match(f, m, kRunFile)) {
      by_run[std::stoll(m[1].str())].reports.push_back(f);
    } else if (std::regex_match(f, m, kFailingFile)) {
      by_run[std::stoll(m[1].str())].failing.push_back(f);
    } else if (std::regex_match(f, m, kPeriodFile)) {
      auto period = ParsePeriod(m[1].str());
      if (period.ok()) by_period[*period].reports.push_back(f);
    }
  }
  std::map<int64_t, const RunRecord*> run_of;
  for (const RunRecord& r : runs) {
    run_of[r.id] = &r;
    by_run[r.id];  // every run is listed, with or without files
    if (r.status != "complete" && r.status != "partial") continue;
    for (PeriodKind kind : {PeriodKind::kMonth, PeriodKind::kQuarter, PeriodKind::kYear}) {
      if (auto p = PeriodOfDay(kind, r.today); p.ok()) by_period[*p];
    }
  }

  const std::string title(c.Text("html.index_title"));
  std::string out = "<!DOCTYPE html>\n<html lang=\"" + std::string(ToString(c.language())) +
                    "\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
                    "content=\"width=device-width, initial-scale=1\">\n<title>" +
                    IndexEsc(title) + "</title>\n<style>" + std::string(kIndexStyle) +
                    "</style>\n</head>\n<body>\n<h1>" + IndexEsc(title) + "</h1>\n";
  out += "<h2>" + IndexEsc(c.Text("html.index_periods")) + "</h2>\n";
  out += "<table class=\"periods\"><thead><tr><th>" + IndexEsc(c.Text("report.column.period")) +
         "</th><th>" + IndexEsc(c.Text("html.index_files")) + "</th></tr></thead><tbody>\n";
  for (const auto& [period, entry] : by_period) {
    out += "<tr><td>" + IndexEsc(PeriodName(c, period.ToString())) + "</td><td>" + Links(entry, c) +
           "</td></tr>\n";
  }
  out += "</tbody></table>\n<h2>" + IndexEsc(c.Text("html.index_runs")) + "</h2>\n";
  out += "<table class=\"runs\"><thead><tr><th>" + IndexEsc(c.Text("html.index_run")) + "</th><th>" +
         IndexEsc(c.Text("html.index_day")) + "</th><th>" + IndexEsc(c.Text("html.index_status")) +
         "</th><th>" + IndexEsc(c.Text("html.index_files")) + "</th></tr></thead><tbody>\n";
  for (const auto& [id, entry] : by_run) {
    const auto it = run_of.find(id);
    const RunRecord* run = it == run_of.end() ? nullptr : it->second;
    out += "<tr><td>" + c.Integer(id) + "</td><td>" + (run ? IndexEsc(c.Date(run->today)) : "–") +
           "</td><td>" + (run ? IndexEsc(RunStatusLabel(c, run->status)) : "–") + "</td><td>" +
           Links(entry, c) + "</td></tr>\n";
  }
  out += "</tbody></table>\n</body>\n</html>\n";
  return out;
}

Result<std::string> WriteIndexPage(const std::string& out_dir, const std::vector<RunRecord>& runs,
                                   const i18n::Catalog& catalog) {
  std::vector<std::string> files;
  std::error_code ec;
  for (fs::directory_iterator it(out_dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file()) files.push_back(it->path().filename().string());
  }
  if (ec) return IoError(fmt::format("cannot list {}: {}", out_dir, ec.message()));
  const std::string path = IndexPagePath(out_dir, catalog.language());
  DQA_RETURN_IF_ERROR(WriteFileAtomically(path, RenderIndexPage(files, runs, catalog)));
  return path;
}

}  // namespace dqa::reports
