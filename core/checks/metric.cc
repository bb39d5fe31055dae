// metric: one statistic of a column (min, max, avg, sum, stddev, median, quantile, distinct_count,
// unique_ratio, null_ratio) measured in the fused scan and recorded as CheckResult::value; with
// bounds it is a yes/no check like row_count (docs/checks.md "metric").
#include <fmt/format.h>

#include <cmath>

#include "core/checks/check_support.h"
#include "core/checks/column_stats.h"
#include "core/util/dates.h"
#include "core/util/text.h"

namespace dqa {
namespace {

// Stats over the values as figures (numbers or dates); the others read any value.
bool IsFigureStat(std::string_view stat) {
  return stat != "distinct_count" && stat != "unique_ratio" && stat != "null_ratio";
}
// Stats whose figure is a date when the column is read as dates.
bool AppliesToDates(std::string_view stat) {
  return stat == "min" || stat == "max" || stat == "avg" || stat == "median" ||
         stat == "quantile";
}
bool IsRatioStat(std::string_view stat) { return stat == "unique_ratio" || stat == "null_ratio"; }

// A figure for messages: whole numbers as integers, others with at most 4 decimals.
std::string MetricText(double x) {
  if (std::nearbyint(x) == x && std::fabs(x) < 1e15) return IntegerText(static_cast<int64_t>(x));
  std::string s = fmt::format("{:.4f}", x);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

// The column is read as dates when a date format or a date bound is given.
bool ReadsDates(const nlohmann::json& params, const std::optional<Bound>& min,
                const std::optional<Bound>& max) {
  return params.contains("date_format") || (min && min->is_date()) || (max && max->is_date());
}

class MetricEvaluator : public RowEvaluator {
 public:
  MetricEvaluator(const CheckSpec& spec, const CheckContext& context, const ParamReader& p)
      : RowEvaluator(spec, context),
        stat_(p.String("stat")),
        q_(p.Number("q").value_or(0.5)),
        min_(p.BoundOf("min")),
        max_(p.BoundOf("max")),
        stats_(ReadsDates(spec.params, min_, max_) ? StatsKind::kDates : StatsKind::kNumbers,
               p.DateFormatOf("date_format"), false,
               {.hashes = stat_ == "distinct_count" || stat_ == "unique_ratio",
                .figures = IsFigureStat(stat_),
                .every_figure = stat_ != "min" && stat_ != "max"}) {
    auto resolve = [&](const std::optional<Bound>& b) -> std::optional<double> {
      if (!b) return std::nullopt;
      if (!b->is_date()) return b->number;
      return static_cast<double>(BoundDay(*b, context.today_day));
    };
    min_figure_ = resolve(min_);
    max_figure_ = resolve(max_);
  }

 protected:
  nlohmann::json SaveOwnState() const override { return stats_.Save(); }
  void LoadOwnState(const nlohmann::json& state) override { stats_.Load(state); }
  void MergeState(RowEvaluator& later) override {
    stats_.Merge(static_cast<MetricEvaluator&>(later).stats_);
  }
  bool KeepsTableTotal() const override { return spec_.by.empty() && stats_.KeepsTotal(); }
  bool AddTableTotal(const nlohmann::json& total,
                     const std::vector<const nlohmann::json*>& earlier) override {
    return stats_.AddTotal(total, earlier);
  }
  void MergeOwnState(const nlohmann::json& own) override { stats_.MergeSaved(own); }
  void ObserveInScope(const ScanRow& row) override { stats_.Add(Cell(row)); }

  std::string Complete(CheckResult& result) override {
    stats_.Finish();
    const bool dates = stats_.kind() == StatsKind::kDates && AppliesToDates(stat_);
    result.rows_checked = stat_ == "null_ratio" ? stats_.rows() : stats_.non_null();
    if (IsFigureStat(stat_)) result.unparseable = stats_.unparseable();
    const std::optional<double> value = Measure();
    if (value) result.value = dates ? std::floor(*value) : *value;
    const bool bounded = min_figure_ || max_figure_;
    const bool outside = bounded && (!result.value || (min_figure_ && *result.value < *min_figure_) ||
                                     (max_figure_ && *result.value > *max_figure_));
    result.violations = outside ? 1 : 0;

    const std::string name =
        stat_ == "quantile" ? fmt::format("quantile {} of {}", RealText(q_), JoinColumns(spec_.columns))
                            : fmt::format("{} of {}", stat_, JoinColumns(spec_.columns));
    std::string what;
    if (!value) {
      what = fmt::format("{} has no value: no {} in scope", name,
                         stat_ == "null_ratio" ? "rows" : "values");
    } else {
      what = fmt::format("{} is {}", name,
                         dates ? FigureText(*result.value, StatsKind::kDates)
                               : MetricText(*result.value));
      if (stat_ == "null_ratio") {
        what += fmt::format(" ({} NULL of {} rows)", stats_.nulls(), stats_.rows());
      } else {
        what += fmt::format(" over {} values", stats_.non_null());
      }
    }
    if (IsFigureStat(stat_)) what += UnparseableText(stats_.unparseable());
    {
      MessageArgs args = {{"w_stat", "metric_stat." + stat_},
                          {"x_q", RealText(q_)},
                          {"columns", JoinColumns(spec_.columns)},
                          {"n_values", std::to_string(result.rows_checked)},
                          {"n_unparseable", std::to_string(stats_.unparseable())}};
      if (value) {
        args.emplace_back(dates ? "d_value" : "x_value",
                          dates ? FormatDay(static_cast<int64_t>(*result.value))
                                : MetricText(*result.value));
      }
      SetWords(result, value ? "check.metric.value" : "check.metric.none", std::move(args));
    }
    if (bounded) {
      auto bound_text = [&](const std::optional<Bound>& b, std::optional<double> figure) {
        if (!b->is_date()) return MetricText(*figure);
        const std::string day = FormatDay(static_cast<int64_t>(*figure));
        return b->kind == Bound::Kind::kToday ? fmt::format("{} = {}", b->ToString(), day) : day;
      };
      if (min_ && max_) {
        what += fmt::format("; expected between {} and {}", bound_text(min_, min_figure_),
                            bound_text(max_, max_figure_));
      } else if (min_) {
        what += fmt::format("; expected at least {}", bound_text(min_, min_figure_));
      } else {
        what += fmt::format("; expected at most {}", bound_text(max_, max_figure_));
      }
    }
    return what;
  }

 private:
  // The statistic, or nullopt when it has no value (no figures, no rows).
  std::optional<double> Measure() const {
    if (stat_ == "null_ratio") {
      if (stats_.rows() == 0) return std::nullopt;
      return static_cast<double>(stats_.nulls()) / static_cast<double>(stats_.rows());
    }
    if (stat_ == "distinct_count") return static_cast<double>(stats_.DistinctCount());
    if (stat_ == "unique_ratio") {
      if (stats_.non_null() == 0) return std::nullopt;
      return static_cast<double>(stats_.DistinctCount()) / static_cast<double>(stats_.non_null());
    }
    if (stat_ == "sum") return stats_.sum();
    if (stats_.figure_count() == 0) return std::nullopt;
    if (stat_ == "min") return stats_.Min();
    if (stat_ == "max") return stats_.Max();
    if (stat_ == "avg") return stats_.sum() / static_cast<double>(stats_.figure_count());
    if (stat_ == "stddev") return stats_.PopulationStddev();
    if (stat_ == "median") return stats_.Quantile(0.5);
    return stats_.Quantile(q_);  // quantile
  }

  std::string stat_;
  double q_;
  std::optional<Bound> min_, max_;
  std::optional<double> min_figure_, max_figure_;
  ColumnStats stats_;
};

class MetricType : public EvaluatedCheckType<MetricEvaluator> {
 public:
  MetricType()
      : EvaluatedCheckType({
            .name = "metric",
            .summary = "One statistic of a column (min, max, avg, sum, stddev, median, quantile, "
                       "distinct_count, unique_ratio, null_ratio), recorded, optionally within "
                       "[min, max].",
            .dimension = Dimension::kValidity,
            .shape = CheckShape::kAggregate,
            .params = {{.name = "column", .type = ParamType::kColumn, .required = true,
                        .description = "the column"},
                       {.name = "stat", .type = ParamType::kString, .required = true,
                        .description = "the statistic",
                        .choices = {"min", "max", "avg", "sum", "stddev", "median", "quantile",
                                    "distinct_count", "unique_ratio", "null_ratio"}},
                       {.name = "q", .type = ParamType::kNumber,
                        .description = "the quantile's order, from 0 to 1 (stat quantile only)",
                        .min = 0.0, .max = 1.0},
                       {.name = "min", .type = ParamType::kBound,
                        .description = "lowest allowed value of the statistic: a number, a date "
                                       "YYYY-MM-DD, 'today' or today±duration"},
                       {.name = "max", .type = ParamType::kBound,
                        .description = "highest allowed value of the statistic, of the same "
                                       "kind as min"},
                       {.name = "date_format", .type = ParamType::kDateFormat,
                        .description = "read the column as dates written this way: iso or dmy "
                                       "(dates are also read when a bound is a date)"}},
            .yes_no = true,
            // With `by`, each unit's value is the statistic of its own rows.
            .supports_by = true,
            // A bound may be `today` or relative to it.
            .reads_reference_day = true,
        }) {}

  void Validate(const nlohmann::json& p, std::vector<ParamIssue>& issues) const override {
    const ParamReader r(info(), p);
    const std::string stat = r.String("stat");
    if (stat == "quantile" && !p.contains("q")) {
      issues.push_back({"stat", false, "stat 'quantile' needs 'q' (the order, from 0 to 1)"});
    }
    if (stat != "quantile" && p.contains("q")) {
      issues.push_back({"q", true, fmt::format("'q' applies only to stat 'quantile', not '{}'",
                                               stat)});
    }
    const std::optional<Bound> min = p.contains("min") ? r.BoundOf("min") : std::nullopt;
    const std::optional<Bound> max = p.contains("max") ? r.BoundOf("max") : std::nullopt;
    const bool dates = ReadsDates(p, min, max);
    if (dates && !AppliesToDates(stat) && IsFigureStat(stat)) {
      issues.push_back({"stat", false,
                        fmt::format("stat '{}' does not apply to dates (dates take min, max, "
                                    "avg, median, quantile)", stat)});
    } else if (!IsFigureStat(stat) && dates) {
      issues.push_back({p.contains("date_format") ? "date_format" : "stat",
                        p.contains("date_format"),
                        fmt::format("stat '{}' counts values: it takes neither 'date_format' "
                                    "nor date bounds", stat)});
    }
    BoundsOrderIssue(min, max, issues);
    for (const auto* b : {&min, &max}) {
      const char* name = b == &min ? "min" : "max";
      if (*b && !(*b)->is_date() && p.contains("date_format") && AppliesToDates(stat)) {
        issues.push_back({name, false, fmt::format("'{}' must be a date: the column is read as "
                                                   "dates", name)});
      }
      if (*b && !(*b)->is_date() && IsRatioStat(stat) &&
          ((*b)->number < 0 || (*b)->number > 1)) {
        issues.push_back({name, false,
                          fmt::format("a {} lies from 0 to 1, got {}", stat, (*b)->number)});
      }
    }
  }
};

}  // namespace

std::unique_ptr<CheckType> MetricCheckType() { return std::make_unique<MetricType>(); }

}  // namespace dqa
