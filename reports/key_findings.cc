#include "reports/key_findings.h"

#include <cmath>
#include <set>

#include "core/util/local_time.h"
#include "reports/labels.h"

namespace dqa::reports {
namespace {

std::string Join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (const std::string& p : parts) {
    if (!out.empty()) out += separator;
    out += p;
  }
  return out;
}

// What a check measured, in words: its violations and rate, the number of a yes/no check, that
// it could not run; over a period, how many of its runs failed.
std::string Figure(const i18n::Catalog& c, const FindingCheck& check) {
  if (check.result == nullptr) {
    return c.Format("findings.figure_period", {{"failing", c.Integer(check.failing_runs)},
                                               {"runs", c.Integer(check.runs)}});
  }
  const CheckResult& r = *check.result;
  if (r.outcome == Outcome::kError) return std::string(c.Text("findings.figure_error"));
  if (const auto figure = YesNoFigure(r)) {
    const bool whole = *figure == std::trunc(*figure) && std::fabs(*figure) < 1e15;
    return c.Format("findings.figure_value", {{"value", c.Number(*figure, whole ? 0 : 2)}});
  }
  const int decimals = r.percent > 0 && r.percent < 1 ? 2 : 1;
  return c.Format("findings.figure_violations",
                  {{"violations", c.Integer(r.violations)},
                   {"percent", c.Percent(r.percent, decimals)}});
}

// At most kFindingChecks checks as "id (department)", then "and N more".
std::string ChangedChecks(const i18n::Catalog& c, const std::vector<FindingCheck>& checks) {
  std::vector<std::string> items;
  for (size_t i = 0; i < checks.size() && i < kFindingChecks; ++i) {
    items.push_back(c.Format("findings.check_of", {{"check", FindingCheckName(c, checks[i])},
                                                   {"department", checks[i].department}}));
  }
  if (checks.size() > kFindingChecks) {
    items.push_back(c.Format(
        "findings.and_more",
        {{"count", c.Integer(static_cast<int64_t>(checks.size() - kFindingChecks))}}));
  }
  return Join(items, ", ");
}

// The items of "better" or "worse": score moves, then the checks that crossed the fail line.
std::vector<std::string> MoveItems(const i18n::Catalog& c, const std::vector<ScoreMove>& moves,
                                   std::string_view move_key,
                                   const std::vector<FindingCheck>& checks,
                                   std::string_view checks_key) {
  std::vector<std::string> items;
  for (size_t i = 0; i < moves.size() && i < kFindingDepartments; ++i) {
    items.push_back(c.Format(move_key, {{"department", moves[i].department},
                                        {"delta", c.Number(std::fabs(moves[i].delta), 1)}}));
  }
  if (!checks.empty()) {
    items.push_back(c.Format(checks_key, {{"count", c.Integer(static_cast<int64_t>(checks.size()))},
                                          {"checks", ChangedChecks(c, checks)}}));
  }
  return items;
}

}  // namespace

std::string FindingCheckName(const i18n::Catalog& catalog, const FindingCheck& check) {
  return "“" + CheckTitle(catalog, check.check_id, check.naming) + "”";
}

std::vector<std::string> KeyFindingSentences(const i18n::Catalog& c, const KeyFindings& f) {
  std::vector<std::string> out;
  for (size_t index : f.worst) {
    const FindingDepartment& d = f.ranking[index];
    std::vector<std::string> checks;
    for (const FindingCheck& check : d.costly) {
      checks.push_back(c.Format("findings.check_item",
                                {{"check", FindingCheckName(c, check)}, {"figure", Figure(c, check)}}));
    }
    out.push_back(c.Format(
        "findings.worst",
        {{"department", d.department},
         {"rank", c.Integer(d.rank)},
         {"total", c.Integer(static_cast<int64_t>(f.ranking.size()))},
         {"score", d.overall ? c.Number(*d.overall, 1) : std::string(c.Text("not_measured"))},
         {"grade", d.grade ? std::string(Label(c, *d.grade)) : std::string(c.Text("not_measured"))},
         {"checks", Join(checks, "; ")}}));
  }
  if (f.worst.empty()) out.emplace_back(c.Text("findings.none_worst"));

  if (!f.compared) {
    out.emplace_back(c.Text(f.period ? "findings.one_run_period" : "findings.first_run"));
  } else {
    const std::string since =
        !f.period
            ? c.Format("findings.since_run", {{"run", c.Integer(f.previous_run_id)},
                                              {"date", c.Date(f.previous_day)}})
            : std::string(c.Text("findings.since_period"));
    const auto sentence = [&](const std::vector<std::string>& items, std::string_view key,
                              std::string_view nothing_key) {
      out.push_back(items.empty() ? c.Format(nothing_key, {{"since", since}})
                                  : c.Format(key, {{"since", since}, {"items", Join(items, "; ")}}));
    };
    sentence(MoveItems(c, f.better, "findings.score_up", f.resolved, "findings.resolved"),
             "findings.better", "findings.nothing_better");
    sentence(MoveItems(c, f.worse, "findings.score_down", f.new_failures, "findings.new_failures"),
             "findings.worse", "findings.nothing_worse");
  }

  if (f.has_schedule) {
    std::vector<std::string> next;
    for (const ReportScheduleEntry& e : f.next_inspections) {
      next.push_back(c.Format("findings.inspection",
                              {{"department", e.department}, {"date", c.Date(e.date)}}));
    }
    out.push_back(c.Format("findings.schedule", {{"count", c.Integer(f.inspections)},
                                                 {"first", c.Date(f.schedule_first_day)},
                                                 {"last", c.Date(f.schedule_last_day)},
                                                 {"next", Join(next, ", ")}}));
  } else {
    out.emplace_back(c.Text("findings.no_schedule"));
  }

  if (!f.indicators.empty()) {
    // Each indicator once: two checks that publish the same figure under the same title for the
    // same department (a sector plugin's and a rule's `indicator`, say) say one thing.
    std::vector<std::string> missed;
    std::set<std::string> said;
    size_t not_met = 0, met = 0;
    for (const ReportIndicator& i : f.indicators) {
      std::string item = c.Format(
          "findings.indicator_item",
          {{"title", IndicatorTitle(c, i.indicator, i.check_id, i.check, i.texts)},
           {"department", i.department},
           {"value", IndicatorText(c, i.indicator)}});
      if (!said.insert(item).second) continue;
      if (i.outcome == Outcome::kPass) {
        ++met;
        continue;
      }
      if (++not_met <= kFindingChecks) missed.push_back(std::move(item));
    }
    if (not_met > kFindingChecks) {
      missed.push_back(c.Format("findings.and_more_indicators",
                                {{"count", c.Integer(static_cast<int64_t>(not_met - kFindingChecks))}}));
    }
    const std::vector<i18n::Catalog::Arg> args = {
        {"met", c.Integer(static_cast<int64_t>(met))},
        {"total", c.Integer(static_cast<int64_t>(said.size()))},
        {"items", Join(missed, "; ")}};
    out.push_back(c.Format(missed.empty() ? "findings.indicators" : "findings.indicators_missed",
                           args));
  }
  return out;
}

std::vector<std::string> GradeLegend(const i18n::Catalog& c, const GradeCuts& cuts) {
  const std::pair<Grade, double> lows[] = {{Grade::kGood, cuts.good},
                                           {Grade::kFair, cuts.fair},
                                           {Grade::kAverage, cuts.average},
                                           {Grade::kPoor, cuts.poor}};
  std::vector<std::string> out;
  // Cuts are whole numbers by default; a configured 72.5 keeps its decimal.
  const auto bound = [&c](double v) { return c.Number(v, v == std::trunc(v) ? 0 : 1); };
  for (size_t i = 0; i < std::size(lows); ++i) {
    const std::string grade(Label(c, lows[i].first));
    out.push_back(i == 0 ? c.Format("findings.grade_top", {{"grade", grade}, {"low", bound(lows[i].second)}})
                         : c.Format("findings.grade_range", {{"grade", grade},
                                                             {"low", bound(lows[i].second)},
                                                             {"high", bound(lows[i - 1].second)}}));
  }
  out.push_back(c.Format("findings.grade_bottom", {{"grade", std::string(Label(c, Grade::kBad))},
                                                   {"high", bound(cuts.poor)}}));
  return out;
}

std::string LocalTimeText(const i18n::Catalog& c, int64_t unix_ms, const ReportIssuer& who) {
  const LocalTime t = ToLocalTime(unix_ms, who.timezone);
  return c.Format("findings.time", {{"date", c.Date(t.day)}, {"time", t.time}});
}

std::vector<std::pair<std::string, std::string>> IssuerFacts(const i18n::Catalog& c,
                                                             const ReportIssuer& who,
                                                             const std::string& period_text,
                                                             int64_t at_unix_ms) {
  std::vector<std::pair<std::string, std::string>> out;
  if (!who.issuer.empty()) out.emplace_back(c.Text("findings.issuer"), who.issuer);
  if (!who.province.empty()) out.emplace_back(c.Text("findings.province"), who.province);
  out.emplace_back(c.Text("findings.period"), period_text);
  out.emplace_back(
      c.Text("findings.timezone"),
      c.Format("findings.timezone_value",
               {{"zone", who.timezone},
                {"offset", OffsetText(ToLocalTime(at_unix_ms, who.timezone).offset_minutes)}}));
  return out;
}

std::string RunPeriodText(const i18n::Catalog& c, const RunRecord& run) {
  return c.Format("findings.period_run", {{"date", c.Date(run.today)}});
}

std::string MonthPeriodText(const i18n::Catalog& c, const std::string& period) {
  if (period.size() != 7) return period;  // not YYYY-MM: as written
  return c.Format("findings.period_month",
                  {{"year", period.substr(0, 4)}, {"month", period.substr(5, 2)}});
}

}  // namespace dqa::reports
