#include "reports/json/json_report.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "core/output/results_json.h"
#include "core/report/key_findings.h"
#include "core/util/local_time.h"
#include "reports/key_findings.h"
#include "reports/labels.h"

namespace dqa::reports {
namespace {

using ojson = nlohmann::ordered_json;

// The format of these documents; bumped on any incompatible change (docs/report-json.md).
constexpr int kFormatVersion = 1;

ojson Optional(const std::optional<double>& v) { return v ? ojson(*v) : ojson(nullptr); }

// A code under `key` and its label in the report's language under `<key>_label`.
template <typename Code>
void Coded(ojson& j, const std::string& key, Code code, const i18n::Catalog& catalog) {
  j[key] = ToString(code);
  j[key + "_label"] = Label(catalog, code);
}

ojson GradeJson(const std::optional<Grade>& grade) {
  return grade ? ojson(ToString(*grade)) : ojson(nullptr);
}

ojson GradeLabelJson(const std::optional<Grade>& grade, const i18n::Catalog& catalog) {
  return grade ? ojson(Label(catalog, *grade)) : ojson(nullptr);
}

ojson ScoresJson(const ScoreSet& s, const i18n::Catalog& catalog) {
  ojson j;
  j["overall"] = Optional(s.overall);
  j["grade"] = GradeJson(s.grade);
  j["grade_label"] = GradeLabelJson(s.grade, catalog);
  ojson dims = ojson::object();
  for (Dimension d : kReportDimensions) {
    const DimensionScore& ds = s.dimension(d);
    ojson jd;
    jd["label"] = Label(catalog, d);
    jd["score"] = Optional(ds.score);
    jd["checks"] = ds.checks;
    jd["passed"] = ds.passed;
    jd["warned"] = ds.warned;
    jd["failed"] = ds.failed;
    jd["errors"] = ds.errors;
    jd["weight"] = ds.weight;
    jd["credit"] = ds.credit;
    dims[std::string(ToString(d))] = std::move(jd);
  }
  j["dimensions"] = std::move(dims);
  return j;
}

ojson SeriesJson(const SeriesTrend& t) {
  ojson j;
  j["current"] = Optional(t.current);
  j["previous"] = Optional(t.previous);
  j["delta"] = Optional(t.delta);
  j["slope"] = Optional(t.slope);
  j["points"] = t.points;
  return j;
}

// One score set reduced to its five numbers, for series over runs.
ojson ScorePointJson(int64_t run_id, const std::string& today, const ScoreSet& s) {
  ojson j;
  j["run_id"] = run_id;
  j["today"] = today;
  for (Dimension d : kReportDimensions)
    j[std::string(ToString(d))] = Optional(s.dimension(d).score);
  j["overall"] = Optional(s.overall);
  return j;
}

ojson TrendJson(const ScoreTrend& t) {
  ojson j;
  j["overall"] = SeriesJson(t.overall);
  ojson dims = ojson::object();
  for (Dimension d : kReportDimensions) {
    dims[std::string(ToString(d))] = SeriesJson(t.dimensions[static_cast<size_t>(d)]);
  }
  j["dimensions"] = std::move(dims);
  ojson history = ojson::array();
  for (const ScorePoint& p : t.history)
    history.push_back(ScorePointJson(p.run_id, p.today, p.scores));
  j["history"] = std::move(history);
  return j;
}

ojson CheckPointJson(const CheckPoint& p) {
  ojson j;
  j["run_id"] = p.run_id;
  j["today"] = p.today;
  j["outcome"] = ToString(p.outcome);
  j["violations"] = p.violations;
  j["percent"] = p.percent;
  j["value"] = Optional(p.value);
  return j;
}

ojson AnomalyJson(const Anomaly& a, const i18n::Catalog& catalog) {
  ojson j;
  j["source"] = a.source;
  j["department"] = a.department;
  j["check_id"] = a.check_id;
  j["dimension"] = ToString(a.dimension);
  j["outcome"] = ToString(a.outcome);
  j["metric"] = a.metric;
  j["current"] = a.current;
  j["method"] = ToString(a.method);
  j["points"] = a.points;
  j["mean"] = a.mean;
  j["stddev"] = a.stddev;
  j["low"] = a.low;
  j["high"] = a.high;
  j["direction"] = a.direction;
  j["label"] = AnomalyLabel(catalog, a.direction);
  return j;
}

ojson ChangeJson(const CheckChange& c, const i18n::Catalog& catalog) {
  ojson j;
  j["kind"] = ToString(c.kind);
  j["label"] = Label(catalog, c.kind);
  j["source"] = c.source;
  j["department"] = c.department;
  j["check_id"] = c.check_id;
  j["dimension"] = ToString(c.dimension);
  j["severity"] = ToString(c.severity);
  j["previous_outcome"] = ToString(c.previous_outcome);
  j["current_outcome"] = ToString(c.current_outcome);
  j["previous_run_id"] = c.previous_run_id;
  j["previous_violations"] = c.previous_violations;
  j["current_violations"] = c.current_violations;
  return j;
}

ojson CheckJson(const ReportCheck& c, const i18n::Catalog& catalog) {
  const CheckResult& r = c.result;
  ojson j;
  j["id"] = r.id;
  j["title"] = CheckTitle(catalog, r);
  j["type"] = r.type;
  j["table"] = r.table;
  j["columns"] = r.columns;
  Coded(j, "dimension", r.dimension, catalog);
  Coded(j, "severity", r.severity, catalog);
  Coded(j, "outcome", r.outcome, catalog);
  j["violations"] = r.violations;
  j["rows_checked"] = r.rows_checked;
  j["percent"] = r.percent;
  j["groups"] = r.groups ? ojson(*r.groups) : ojson(nullptr);
  j["unparseable"] = r.unparseable ? ojson(*r.unparseable) : ojson(nullptr);
  j["value"] = Optional(r.value);
  ojson metrics = ojson::object();
  for (const auto& [name, value] : r.metrics) metrics[name] = value;
  j["metrics"] = std::move(metrics);
  j["breakdowns"] = BreakdownsToJson(r.breakdowns);
  j["thresholds"] = ThresholdsToJson(r.thresholds);
  j["score_loss"] = c.score_loss;
  j["message"] = r.message;
  ojson samples = ojson::array();
  for (const auto& s : r.samples) samples.push_back(SampleToJson(r.key_columns, s));
  j["samples"] = std::move(samples);
  j["change"] = c.change ? ojson(ToString(*c.change)) : ojson(nullptr);
  j["change_label"] = c.change ? ojson(Label(catalog, *c.change)) : ojson(nullptr);
  j["anomaly"] = c.anomaly ? AnomalyJson(*c.anomaly, catalog) : ojson(nullptr);
  ojson history = ojson::array();
  for (const CheckPoint& p : c.history) history.push_back(CheckPointJson(p));
  j["history"] = std::move(history);
  return j;
}

// An indicator with its source, check and outcome (docs/report-json.md "indicators").
ojson IndicatorJson(const std::string& source, const std::string& department,
                    const std::string& check_id, const CheckNaming& check,
                    const std::vector<std::pair<std::string, std::string>>& texts,
                    const Indicator& i, Outcome outcome, const i18n::Catalog& catalog) {
  ojson j;
  j["source"] = source;
  j["department"] = department;
  j["check_id"] = check_id;
  const ojson fields = IndicatorToJson(i);
  for (const auto& [key, value] : fields.items()) j[key] = value;
  j["title"] = IndicatorTitle(catalog, i, check_id, check, texts);  // in the report's language
  j["direction_label"] = Label(catalog, i.direction);
  Coded(j, "outcome", outcome, catalog);
  return j;
}

ojson RunJson(const RunRecord& run, const i18n::Catalog& catalog) {
  ojson j;
  j["id"] = run.id;
  j["today"] = run.today;
  j["status"] = run.status;
  j["status_label"] = RunStatusLabel(catalog, run.status);
  j["kind"] = run.kind;
  j["started_at"] = IsoTimestamp(run.started_unix_ms);
  j["finished_at"] =
      run.finished_unix_ms ? ojson(IsoTimestamp(*run.finished_unix_ms)) : ojson(nullptr);
  j["exit_code"] = run.exit_code ? ojson(*run.exit_code) : ojson(nullptr);
  j["sources_planned"] = run.sources_planned;
  j["sources_recorded"] = run.sources_recorded;
  j["source_errors"] = run.source_errors;
  j["checks"] = run.checks;
  j["failed_checks"] = run.failed_checks;
  return j;
}

ojson Header(std::string_view kind, const i18n::Catalog& catalog, int64_t generated_unix_ms,
             const std::string& title) {
  ojson j;
  j["report"] = kind;
  j["format_version"] = kFormatVersion;
  j["dqaudit_version"] = DQA_VERSION;
  j["language"] = ToString(catalog.language());
  j["generated_at"] = IsoTimestamp(generated_unix_ms);
  j["title"] = title;
  return j;
}

std::string Dump(const ojson& doc) {
  return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

ojson PeriodPointJson(const std::optional<PeriodPoint>& p) {
  return p ? ScorePointJson(p->run_id, p->today, p->scores) : ojson(nullptr);
}

ojson PeriodScoresJson(const PeriodScores& p, const i18n::Catalog& catalog, bool department) {
  ojson j;
  if (department) {
    j["rank"] = p.rank;
    j["department"] = p.name;
  }
  ojson avg = ojson::object();
  for (Dimension d : kReportDimensions) {
    avg[std::string(ToString(d))] = Optional(p.average[static_cast<size_t>(d)]);
  }
  avg["overall"] = Optional(p.average_overall);
  j["average"] = std::move(avg);
  j["grade"] = GradeJson(p.grade);
  j["grade_label"] = GradeLabelJson(p.grade, catalog);
  j["worst_day"] = PeriodPointJson(p.worst_day);
  j["best_day"] = PeriodPointJson(p.best_day);
  j["days"] = p.days;
  j["first_overall"] = Optional(p.first_overall);
  j["last_overall"] = Optional(p.last_overall);
  j["slope"] = Optional(p.slope);
  ojson points = ojson::array();
  for (const PeriodPoint& pt : p.points)
    points.push_back(ScorePointJson(pt.run_id, pt.today, pt.scores));
  j["points"] = std::move(points);
  // null when the previous period had no run (PeriodReport::previous_runs 0) or none measured it.
  if (p.previous_overall || std::any_of(p.previous_average.begin(), p.previous_average.end(),
                                        [](const auto& v) { return v.has_value(); })) {
    ojson previous = ojson::object();
    for (Dimension d : kReportDimensions) {
      previous[std::string(ToString(d))] = Optional(p.previous_average[static_cast<size_t>(d)]);
    }
    previous["overall"] = Optional(p.previous_overall);
    j["previous_average"] = std::move(previous);
  } else {
    j["previous_average"] = nullptr;
  }
  return j;
}

ojson FindingCheckJson(const FindingCheck& c, const i18n::Catalog& catalog) {
  ojson j;
  j["source"] = c.source;
  j["department"] = c.department;
  j["check_id"] = c.check_id;
  j["dimension"] = ToString(c.dimension);
  Coded(j, "outcome", c.outcome, catalog);
  if (c.result != nullptr) {
    j["score_loss"] = c.score_loss;
    j["violations"] = c.result->violations;
    j["percent"] = c.result->percent;
    j["figure"] = Optional(YesNoFigure(*c.result));
  } else {
    j["runs"] = c.runs;
    j["failing_runs"] = c.failing_runs;
  }
  return j;
}

ojson FindingChecksJson(const std::vector<FindingCheck>& checks, const i18n::Catalog& catalog) {
  ojson out = ojson::array();
  for (const FindingCheck& c : checks) out.push_back(FindingCheckJson(c, catalog));
  return out;
}

ojson MovesJson(const std::vector<ScoreMove>& moves) {
  ojson out = ojson::array();
  for (const ScoreMove& m : moves) out.push_back({{"department", m.department}, {"delta", m.delta}});
  return out;
}

// The first screen as data (docs/report-json.md "first_screen"): who, where, when, the
// departments worst first (not measured = null), the key findings and their sentences, the
// grade legend.
ojson FirstScreenJson(const KeyFindings& f, const ReportIssuer& who, const std::string& period,
                      int64_t generated_unix_ms, const GradeCuts& cuts,
                      const i18n::Catalog& catalog) {
  ojson j;
  j["issuer"] = who.issuer.empty() ? ojson(nullptr) : ojson(who.issuer);
  j["province"] = who.province.empty() ? ojson(nullptr) : ojson(who.province);
  j["period"] = period;
  j["timezone"] = who.timezone;
  const LocalTime generated = ToLocalTime(generated_unix_ms, who.timezone);
  j["generated_local"] =
      generated.day + "T" + generated.time + OffsetText(generated.offset_minutes);
  ojson ranking = ojson::array();
  for (const FindingDepartment& d : f.ranking) {
    ojson jd;
    jd["rank"] = d.rank;
    jd["department"] = d.department;
    ojson scores = ojson::object();
    for (Dimension dim : kReportDimensions) {
      scores[std::string(ToString(dim))] = Optional(d.dimensions[static_cast<size_t>(dim)]);
    }
    scores["overall"] = Optional(d.overall);
    jd["scores"] = std::move(scores);
    jd["grade"] = GradeJson(d.grade);
    jd["grade_label"] = GradeLabelJson(d.grade, catalog);
    jd["delta"] = Optional(d.delta);
    jd["costly_checks"] = FindingChecksJson(d.costly, catalog);
    ranking.push_back(std::move(jd));
  }
  j["ranking"] = std::move(ranking);

  ojson k;
  ojson worst = ojson::array();
  for (size_t i : f.worst) worst.push_back(f.ranking[i].department);
  k["worst_departments"] = std::move(worst);
  k["compared"] = f.compared;
  k["previous_run_id"] = f.compared && !f.period ? ojson(f.previous_run_id) : ojson(nullptr);
  k["better"] = MovesJson(f.better);
  k["worse"] = MovesJson(f.worse);
  k["resolved"] = FindingChecksJson(f.resolved, catalog);
  k["new_failures"] = FindingChecksJson(f.new_failures, catalog);
  if (f.has_schedule) {
    ojson next = ojson::array();
    for (const ReportScheduleEntry& e : f.next_inspections) {
      next.push_back({{"date", e.date}, {"department", e.department}, {"priority", e.priority}});
    }
    k["schedule"] = {{"inspections", f.inspections},
                     {"first_day", f.schedule_first_day},
                     {"last_day", f.schedule_last_day},
                     {"next", std::move(next)}};
  } else {
    k["schedule"] = nullptr;
  }
  ojson missed = ojson::array();
  for (const ReportIndicator& i : f.indicators) {
    if (i.outcome == Outcome::kPass) continue;
    missed.push_back({{"department", i.department},
                      {"check_id", i.check_id},
                      {"indicator_id", i.indicator.id},
                      {"value", Optional(i.indicator.value)},
                      {"target", Optional(i.indicator.target)},
                      {"outcome", ToString(i.outcome)}});
  }
  k["indicators"] = {{"total", f.indicators.size()},
                     {"met", f.indicators_met},
                     {"not_met", std::move(missed)}};
  k["sentences"] = KeyFindingSentences(catalog, f);
  j["key_findings"] = std::move(k);

  ojson legend = ojson::array();
  const std::pair<Grade, double> lows[] = {{Grade::kGood, cuts.good},
                                           {Grade::kFair, cuts.fair},
                                           {Grade::kAverage, cuts.average},
                                           {Grade::kPoor, cuts.poor},
                                           {Grade::kBad, 0}};
  for (size_t i = 0; i < std::size(lows); ++i) {
    legend.push_back({{"grade", ToString(lows[i].first)},
                      {"label", Label(catalog, lows[i].first)},
                      {"min", lows[i].second},
                      {"below", i == 0 ? ojson(nullptr) : ojson(lows[i - 1].second)}});
  }
  j["grade_legend"] = std::move(legend);
  return j;
}

}  // namespace

std::string RenderRunReportJson(const RunReport& report, const i18n::Catalog& catalog) {
  ojson doc = Header("run", catalog, report.generated_unix_ms, RunTitle(catalog, report.run));
  doc["run"] = RunJson(report.run, catalog);
  doc["previous_run"] = report.previous ? RunJson(*report.previous, catalog) : ojson(nullptr);
  doc["province"] = ScoresJson(report.province, catalog);

  ojson departments = ojson::array();
  for (const ReportDepartment& d : report.departments) {
    ojson j;
    j["rank"] = d.rank;
    j["department"] = d.department;
    j["scores"] = ScoresJson(d.scores, catalog);
    j["trend"] = TrendJson(d.trend);
    ojson sources = ojson::array();
    for (size_t s : d.sources) sources.push_back(report.sources[s].source);
    j["sources"] = std::move(sources);
    departments.push_back(std::move(j));
  }
  doc["departments"] = std::move(departments);

  ojson sources = ojson::array();
  for (const ReportSource& s : report.sources) {
    ojson j;
    j["source"] = s.source;
    j["department"] = s.department;
    j["database"] = s.database;
    j["status"] = s.error.empty() ? "ok" : "error";
    j["error"] = s.error.empty() ? ojson(nullptr) : ojson(s.error);
    j["carried_from_run"] = s.carried_from_run ? ojson(*s.carried_from_run) : ojson(nullptr);
    j["scores"] = ScoresJson(s.scores, catalog);
    j["trend"] = TrendJson(s.trend);
    ojson checks = ojson::array();
    for (const ReportCheck& c : s.checks) checks.push_back(CheckJson(c, catalog));
    j["checks"] = std::move(checks);
    sources.push_back(std::move(j));
  }
  doc["sources"] = std::move(sources);

  ojson worst = ojson::array();
  for (const CheckRef& ref : report.worst) {
    const ReportSource& s = report.sources[ref.source];
    const ReportCheck& c = s.checks[ref.check];
    ojson j;
    j["source"] = s.source;
    j["department"] = s.department;
    j["check_id"] = c.result.id;
    j["title"] = CheckTitle(catalog, c.result);
    j["dimension"] = ToString(c.result.dimension);
    j["severity"] = ToString(c.result.severity);
    Coded(j, "outcome", c.result.outcome, catalog);
    j["violations"] = c.result.violations;
    j["percent"] = c.result.percent;
    j["score_loss"] = c.score_loss;
    worst.push_back(std::move(j));
  }
  doc["worst_checks"] = std::move(worst);

  ojson changes = ojson::array();
  for (const CheckChange& c : report.changes) changes.push_back(ChangeJson(c, catalog));
  doc["changes"] = std::move(changes);
  ojson anomalies = ojson::array();
  for (const Anomaly& a : report.anomalies) anomalies.push_back(AnomalyJson(a, catalog));
  doc["anomalies"] = std::move(anomalies);

  ojson schedule = ojson::array();
  for (const ReportScheduleEntry& e : report.schedule) {
    ojson j;
    j["date"] = e.date;
    j["department"] = e.department;
    j["priority"] = e.priority;
    j["risk"] = e.risk;
    j["reasons"] = e.reasons;
    schedule.push_back(std::move(j));
  }
  doc["schedule"] = std::move(schedule);
  ojson indicators = ojson::array();
  for (const ReportIndicator& i : report.indicators) {
    indicators.push_back(
        IndicatorJson(i.source, i.department, i.check_id, i.check, i.texts, i.indicator,
                      i.outcome, catalog));
  }
  doc["indicators"] = std::move(indicators);
  doc["first_screen"] = FirstScreenJson(FindKeyFindings(report), report.issuer, report.run.today,
                                        report.generated_unix_ms, report.grades, catalog);
  return Dump(doc);
}

std::string RenderPeriodReportJson(const PeriodReport& report, const i18n::Catalog& catalog) {
  ojson doc =
      Header("period", catalog, report.generated_unix_ms, PeriodTitle(catalog, report.period));
  doc["period"] = report.period;
  doc["period_kind"] = std::string(ToString(report.kind));
  doc["previous_period"] = report.previous_period;
  doc["previous_runs"] = report.previous_runs;
  ojson runs = ojson::array();
  for (const RunRecord& r : report.runs) runs.push_back(RunJson(r, catalog));
  doc["runs"] = std::move(runs);
  doc["province"] = PeriodScoresJson(report.province, catalog, false);
  ojson departments = ojson::array();
  for (const PeriodScores& d : report.departments) {
    departments.push_back(PeriodScoresJson(d, catalog, true));
  }
  doc["departments"] = std::move(departments);
  ojson checks = ojson::array();
  for (const PeriodCheck& c : report.checks) {
    ojson j;
    j["source"] = c.source;
    j["department"] = c.department;
    j["check_id"] = c.check_id;
    j["title"] = CheckTitle(catalog, c.check_id, c.naming);
    Coded(j, "dimension", c.dimension, catalog);
    Coded(j, "severity", c.severity, catalog);
    j["runs"] = c.runs;
    j["passed"] = c.passed;
    j["warned"] = c.warned;
    j["failed"] = c.failed;
    j["errors"] = c.errors;
    j["mean_violations"] = c.mean_violations;
    j["max_violations"] = c.max_violations;
    j["worst_day"] = c.worst_day.empty() ? ojson(nullptr) : ojson(c.worst_day);
    Coded(j, "last_outcome", c.last_outcome, catalog);
    ojson metrics = ojson::object();
    for (const auto& [name, value] : c.latest_metrics.metrics) metrics[name] = value;
    j["metrics"] = std::move(metrics);
    ojson points = ojson::array();
    for (const CheckPoint& p : c.points) points.push_back(CheckPointJson(p));
    j["points"] = std::move(points);
    checks.push_back(std::move(j));
  }
  doc["checks"] = std::move(checks);
  ojson indicators = ojson::array();
  for (const PeriodIndicator& p : report.indicators) {
    ojson j =
        IndicatorJson(p.source, p.department, p.check_id, p.check, p.texts, p.last,
                      p.last_outcome, catalog);
    j["runs"] = p.runs;
    j["met"] = p.met;
    j["mean_value"] = Optional(p.mean_value);
    indicators.push_back(std::move(j));
  }
  doc["indicators"] = std::move(indicators);
  doc["first_screen"] = FirstScreenJson(FindKeyFindings(report), report.issuer, report.period,
                                        report.generated_unix_ms, report.grades, catalog);
  return Dump(doc);
}

}  // namespace dqa::reports
