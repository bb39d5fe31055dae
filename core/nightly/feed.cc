#include "core/nightly/feed.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <regex>
#include <system_error>

#include "core/output/results_json.h"
#include "core/util/atomic_file.h"
#include "core/util/dates.h"

namespace dqa::nightly {
namespace {

namespace fs = std::filesystem;
using ojson = nlohmann::ordered_json;

constexpr Dimension kDimensions[] = {Dimension::kValidity, Dimension::kCompleteness,
                                     Dimension::kUniqueness, Dimension::kFreshness};

ojson Optional(const std::optional<double>& v) { return v ? ojson(*v) : ojson(nullptr); }

std::string Timestamp(int64_t unix_ms) { return FormatTimestamp(unix_ms / 1000); }

ojson ScoresJson(const ScoreSet& s) {
  ojson j;
  j["overall"] = Optional(s.overall);
  j["grade"] = s.grade ? ojson(std::string(ToString(*s.grade))) : ojson(nullptr);
  ojson dims = ojson::object();
  for (Dimension d : kDimensions) {
    const DimensionScore& ds = s.dimension(d);
    ojson jd;
    jd["score"] = Optional(ds.score);  // null: not measured (no counted check)
    jd["checks"] = ds.checks;
    jd["passed"] = ds.passed;
    jd["warned"] = ds.warned;
    jd["failed"] = ds.failed;
    jd["errors"] = ds.errors;
    dims[std::string(ToString(d))] = std::move(jd);
  }
  j["dimensions"] = std::move(dims);
  return j;
}

ojson SourceJson(const ReportSource& s, const std::map<std::string, int64_t>& scanned_ms) {
  ojson j;
  j["source"] = s.source;
  j["database"] = s.database;
  j["error"] = s.error.empty() ? ojson(nullptr) : ojson(s.error);
  j["carried_from_run"] = s.carried_from_run ? ojson(*s.carried_from_run) : ojson(nullptr);
  const auto it = scanned_ms.find(s.source);
  j["scanned_at"] = it != scanned_ms.end() && it->second > 0 ? ojson(Timestamp(it->second))
                                                            : ojson(nullptr);
  j["scores"] = ScoresJson(s.scores);
  return j;
}

// A non-passing check: the results JSON's figures of it (docs/results-json.md), without samples,
// thresholds or profile, with what it costs its dimension and whether it is new.
ojson FindingJson(const ReportSource& s, const ReportCheck& c) {
  const ojson full = CheckResultToJson(c.result);
  ojson j;
  j["source"] = s.source;
  j["check_id"] = full["id"];
  for (const char* key : {"type", "table", "dimension", "severity", "outcome", "violations",
                          "rows_checked", "percent"}) {
    j[key] = full[key];
  }
  j["value"] = full.contains("value") ? full["value"] : ojson(nullptr);
  j["score_loss"] = c.score_loss;
  j["change"] = c.change ? ojson(std::string(ToString(*c.change))) : ojson(nullptr);
  j["message"] = full["message"];
  return j;
}

// Feed files of FeedFileName's form in `dir`, oldest first (time in the name, then run id).
std::vector<fs::path> FeedFiles(const std::string& dir) {
  static const std::regex kName(R"(^feed-(\d{8}T\d{6}Z)-run-(\d{1,18})\.json$)");
  std::vector<std::pair<std::pair<std::string, int64_t>, fs::path>> found;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    std::smatch m;
    if (!std::regex_match(name, m, kName)) continue;
    found.push_back({{m[1].str(), std::stoll(m[2].str())}, it->path()});
  }
  std::sort(found.begin(), found.end());
  std::vector<fs::path> out;
  for (auto& [key, path] : found) out.push_back(std::move(path));
  return out;
}

}  // namespace

ojson FeedToJson(const RunReport& report, const std::vector<SourceResult>& sources) {
  std::map<std::string, int64_t> scanned_ms;
  for (const SourceResult& s : sources) scanned_ms[s.source] = s.started_unix_ms;

  ojson doc;
  doc["schema_version"] = kFeedSchemaVersion;
  doc["generator"] = fmt::format("dqaudit {}", DQA_VERSION);
  doc["generated_at"] = Timestamp(report.generated_unix_ms);
  const RunRecord& run = report.run;
  ojson jr;
  jr["id"] = run.id;
  jr["kind"] = run.kind;
  jr["status"] = run.status;
  jr["today"] = run.today;
  jr["started_at"] = Timestamp(run.started_unix_ms);
  jr["finished_at"] = run.finished_unix_ms ? ojson(Timestamp(*run.finished_unix_ms)) : ojson(nullptr);
  jr["exit_code"] = run.exit_code ? ojson(*run.exit_code) : ojson(nullptr);
  jr["previous_run"] = report.previous ? ojson(report.previous->id) : ojson(nullptr);
  doc["run"] = std::move(jr);
  doc["province"] = ScoresJson(report.province);

  ojson departments = ojson::array();
  for (const ReportDepartment& d : report.departments) {
    ojson jd;
    jd["department"] = d.department;
    jd["rank"] = d.rank;
    jd["scores"] = ScoresJson(d.scores);
    jd["overall_delta"] = Optional(d.trend.overall.delta);
    ojson srcs = ojson::array();
    ojson findings = ojson::array();
    ojson breakdowns = ojson::array();
    ojson open = {{"warn", 0}, {"fail", 0}, {"error", 0}};
    for (size_t index : d.sources) {
      const ReportSource& s = report.sources[index];
      srcs.push_back(SourceJson(s, scanned_ms));
      for (const ReportCheck& c : s.checks) {
        const CheckResult& r = c.result;
        if (r.outcome != Outcome::kPass) {
          findings.push_back(FindingJson(s, c));
          open[std::string(ToString(r.outcome))] = open[std::string(ToString(r.outcome))].get<int>() + 1;
        }
        if (!r.breakdowns.empty()) {
          ojson jb;
          jb["source"] = s.source;
          jb["check_id"] = r.id;
          jb["dimension"] = ToString(r.dimension);
          jb["outcome"] = ToString(r.outcome);
          jb["breakdowns"] = BreakdownsToJson(r.breakdowns);
          breakdowns.push_back(std::move(jb));
        }
      }
    }
    ojson indicators = ojson::array();
    for (const ReportIndicator& i : report.indicators) {
      if (i.department != d.department) continue;
      ojson ji;
      ji["source"] = i.source;
      ji["check_id"] = i.check_id;
      ji["outcome"] = ToString(i.outcome);  // against its target
      const ojson figures = IndicatorToJson(i.indicator);  // kept alive for items()
      for (const auto& [key, value] : figures.items()) ji[key] = value;
      indicators.push_back(std::move(ji));
    }
    jd["sources"] = std::move(srcs);
    jd["open_findings"] = std::move(open);
    jd["findings"] = std::move(findings);
    jd["indicators"] = std::move(indicators);
    jd["units"] = std::move(breakdowns);
    departments.push_back(std::move(jd));
  }
  doc["departments"] = std::move(departments);
  return doc;
}

std::string FeedFileName(const RunRecord& run) {
  std::string stamp = Timestamp(run.started_unix_ms);  // 2026-11-01T01:30:02Z
  std::erase(stamp, '-');
  std::erase(stamp, ':');
  return fmt::format("feed-{}-run-{}.json", stamp, run.id);
}

Result<FeedWritten> WriteFeed(const std::string& dir, const RunRecord& run,
                              const ojson& document, int keep) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return IoError(fmt::format("cannot create the feed folder {}: {}", dir, ec.message()));
  const std::string text = document.dump(2) + "\n";
  FeedWritten out;
  out.file = (fs::path(dir) / FeedFileName(run)).string();
  out.latest = (fs::path(dir) / "latest.json").string();
  DQA_RETURN_IF_ERROR(WriteFileAtomically(out.file, text));
  DQA_RETURN_IF_ERROR(WriteFileAtomically(out.latest, text));
  std::vector<fs::path> files = FeedFiles(dir);
  const size_t kept = static_cast<size_t>(std::max(keep, 1));
  for (size_t i = 0; i + kept < files.size(); ++i) {
    if (fs::remove(files[i], ec); ec) {
      return IoError(fmt::format("cannot delete the old feed file {}: {}", files[i].string(),
                                 ec.message()));
    }
    out.pruned.push_back(files[i].string());
  }
  return out;
}

}  // namespace dqa::nightly
