// drift: a column's profile (NULL rate, distinct count, top values, quantiles) measured in the
// fused scan and compared with the median of the profiles the same check recorded in earlier runs
// (CheckSpec::baseline, read from the history by the audit pipeline): a sudden change is flagged
// (docs/checks.md "drift").
#include <fmt/format.h>

#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "core/checks/check_support.h"
#include "core/checks/column_stats.h"
#include "core/util/text.h"

namespace dqa {
namespace {

using nlohmann::json;

constexpr size_t kDriftTopK = 5;
constexpr double kDriftQuantiles[] = {0.05, 0.5, 0.95};
constexpr const char* kDriftQuantileNames[] = {"p5", "p50", "p95"};

// The median of `x` (not empty): the middle value, or the mean of the two middle ones.
double MedianOf(std::vector<double> x) {
  std::sort(x.begin(), x.end());
  const size_t n = x.size();
  return n % 2 == 1 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2;
}

// The figures of a profile the comparison reads (docs/checks.md "drift": "The profile").
struct DriftFigures {
  double null_rate = 0;       // percent of rows
  double distinct = 0;        // distinct non-NULL values
  double top1 = 0, top5 = 0;  // percent of non-NULL values
  std::string kind;           // "number", "date", "text"
  std::optional<std::array<double, 3>> quantiles;
};

DriftFigures FiguresOf(const json& profile) {
  DriftFigures f;
  const double rows = profile.value("rows", 0.0);
  const double nulls = profile.value("nulls", 0.0);
  const double non_null = rows - nulls;
  f.null_rate = rows > 0 ? 100 * nulls / rows : 0;
  f.distinct = profile.value("distinct", 0.0);
  if (const auto top = profile.find("top"); top != profile.end() && top->is_array()) {
    for (size_t i = 0; i < top->size(); ++i) {
      const double count = (*top)[i].is_array() && (*top)[i].size() == 2 &&
                                   (*top)[i][1].is_number()
                               ? (*top)[i][1].get<double>()
                               : 0;
      const double share = non_null > 0 ? 100 * count / non_null : 0;
      if (i == 0) f.top1 = share;
      f.top5 += share;
    }
  }
  f.kind = profile.value("kind", "");
  if (const auto q = profile.find("quantiles"); q != profile.end() && q->is_array() &&
                                                q->size() == 3) {
    std::array<double, 3> v{};
    bool ok = true;
    for (size_t i = 0; i < 3; ++i) {
      ok = ok && (*q)[i].is_number();
      if (ok) v[i] = (*q)[i].get<double>();
    }
    if (ok) f.quantiles = v;
  }
  return f;
}

class DriftEvaluator : public RowEvaluator {
 public:
  DriftEvaluator(const CheckSpec& spec, const CheckContext& context, const ParamReader& p)
      : RowEvaluator(spec, context),
        stats_requested_(p.Strings("stats")),
        max_change_(p.Number("max_change_percent").value_or(20)),
        stats_(spec.params.contains("date_format") ? StatsKind::kDates : StatsKind::kNumbers,
               p.DateFormatOf("date_format"), true) {}

 protected:
  nlohmann::json SaveOwnState() const override { return stats_.Save(); }
  void LoadOwnState(const nlohmann::json& state) override { stats_.Load(state); }
  void MergeState(RowEvaluator& later) override {
    stats_.Merge(static_cast<DriftEvaluator&>(later).stats_);
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
    const std::string column = JoinColumns(spec_.columns);
    // The profile.
    json profile = {{"rows", stats_.rows()},
                    {"nulls", stats_.nulls()},
                    {"distinct", stats_.DistinctCount()}};
    json top = json::array();
    const auto top_values = stats_.Top(kDriftTopK);
    for (const auto& [text, count] : top_values) {
      top.push_back({text ? json(*text) : json(nullptr), count});
    }
    profile["top"] = std::move(top);
    const bool dates = stats_.kind() == StatsKind::kDates;
    // Numbers when most values are stored as numbers: digits in a TEXT column (an identity
    // number, a code) are no distribution.
    const bool has_figures = stats_.figure_count() > 0 &&
                             (dates || 2 * stats_.stored_numbers() > stats_.non_null());
    profile["kind"] = has_figures ? (dates ? "date" : "number") : "text";
    if (has_figures) {
      json q = json::array();
      for (double order : kDriftQuantiles) q.push_back(stats_.Quantile(order));
      profile["quantiles"] = std::move(q);
    }
    result.key_columns = {"drift"};
    const DriftFigures now = FiguresOf(profile);

    std::vector<std::string> stats = stats_requested_;
    if (!spec_.params.contains("stats")) {
      stats = {"null_rate", "distinct_count", "top_values"};
      if (has_figures) stats.push_back("quantiles");
    }
    const json& baseline = spec_.baseline;
    if (!baseline.is_array() || baseline.empty()) {
      result.profile = profile.dump();
      result.rows_checked = 0;
      SetWords(result, "check.drift.baseline",
               {{"columns", column}, {"n_rows", std::to_string(stats_.rows())}});
      return fmt::format("{} profile of {} rows: baseline recorded (no earlier run to compare "
                         "with)", column, stats_.rows());
    }
    std::vector<DriftFigures> before;
    for (const json& b : baseline) {
      if (b.is_object()) before.push_back(FiguresOf(b));
    }
    auto median = [&](auto field) {
      std::vector<double> x;
      for (const DriftFigures& f : before) x.push_back(field(f));
      return MedianOf(std::move(x));
    };
    auto pct = [](double x) { return fmt::format("{:.1f}%", x); };

    // Each figure compared, for the reports' table (docs/checks.md "drift": "compared").
    json figures = json::array();
    auto record = [&](const std::string& stat, const char* figure, double base, double value,
                      double change) {
      figures.push_back({{"stat", stat}, {"figure", figure}, {"baseline", base},
                         {"now", value}, {"change", change}, {"over", change > max_change_}});
    };
    std::vector<std::string> changes;
    int64_t compared = 0;
    auto judge = [&](const std::string& stat, double change, std::string sample) {
      ++compared;
      changes.push_back(fmt::format("{} {}", stat, FormatPercent(change)));
      if (change > max_change_) {
        ++violations_;
        if (static_cast<int>(samples_.size()) < context_.samples) {
          samples_.push_back({std::move(sample)});
        }
      }
    };
    for (const std::string& stat : stats) {
      if (stat == "null_rate") {
        const double base = median([](const DriftFigures& f) { return f.null_rate; });
        record(stat, "null_rate", base, now.null_rate, std::fabs(now.null_rate - base));
        judge(stat, std::fabs(now.null_rate - base),
              fmt::format("{} NULL rate: {} -> {}", column, pct(base), pct(now.null_rate)));
      } else if (stat == "distinct_count") {
        const double base = median([](const DriftFigures& f) { return f.distinct; });
        const double change = base > 0 ? 100 * std::fabs(now.distinct - base) / base
                                       : (now.distinct > 0 ? 100 : 0);
        record(stat, "distinct", base, now.distinct, change);
        judge(stat, change,
              fmt::format("{} distinct values: {} -> {}", column, RealText(base),
                          RealText(now.distinct)));
      } else if (stat == "top_values") {
        const double base1 = median([](const DriftFigures& f) { return f.top1; });
        const double base5 = median([](const DriftFigures& f) { return f.top5; });
        const double change = std::max(std::fabs(now.top1 - base1), std::fabs(now.top5 - base5));
        record(stat, "top1", base1, now.top1, std::fabs(now.top1 - base1));
        record(stat, "top5", base5, now.top5, std::fabs(now.top5 - base5));
        const std::string text =
            top_values.empty() ? "(none)"
                               : top_values.front().first.value_or("(a value under 1% of rows)");
        judge(stat, change,
              std::fabs(now.top1 - base1) >= std::fabs(now.top5 - base5)
                  ? fmt::format("{} top value {}: {} -> {}", column, text, pct(base1),
                                pct(now.top1))
                  : fmt::format("{} top {} values: {} -> {}", column, kDriftTopK, pct(base5),
                                pct(now.top5)));
      } else if (stat == "quantiles") {
        std::vector<std::array<double, 3>> earlier;
        for (const DriftFigures& f : before) {
          if (f.quantiles && f.kind == now.kind) earlier.push_back(*f.quantiles);
        }
        if (!now.quantiles || earlier.empty()) continue;  // no figures to compare
        std::array<double, 3> base{};
        for (size_t i = 0; i < 3; ++i) {
          std::vector<double> x;
          for (const auto& e : earlier) x.push_back(e[i]);
          base[i] = MedianOf(std::move(x));
        }
        const double spread = base[2] - base[0];
        double change = 0;
        size_t worst = 0;
        for (size_t i = 0; i < 3; ++i) {
          const double d = std::fabs((*now.quantiles)[i] - base[i]);
          const double c = spread > 0 ? 100 * d / spread : (d > 0 ? 100 : 0);
          record(stat, kDriftQuantileNames[i], base[i], (*now.quantiles)[i], c);
          if (c > change) {
            change = c;
            worst = i;
          }
        }
        const StatsKind kind = dates ? StatsKind::kDates : StatsKind::kNumbers;
        judge(stat, change,
              fmt::format("{} {}: {} -> {} ({}% of the p5-p95 spread)", column,
                          kDriftQuantileNames[worst], FigureText(base[worst], kind),
                          FigureText((*now.quantiles)[worst], kind), FormatPercent(change)));
      }
    }
    // Only what the baseline's figures give: the count of earlier runs is in the message (a full
    // rescan and an incremental run may count them differently and must record equal profiles).
    profile["compared"] = std::move(figures);
    result.profile = profile.dump();
    result.rows_checked = compared;
    result.violations = violations_;
    result.samples = samples_;
    SetWords(result, "check.drift.changed",
             {{"n_violations", std::to_string(violations_)},
              {"n_rows", std::to_string(compared)},
              {"columns", column},
              {"p_max_change", fmt::format("{:.17g}", max_change_)},
              {"n_runs", std::to_string(before.size())}});
    return fmt::format("{} of {} stats of {} changed more than {}% against the median of {} "
                       "earlier run{} ({})",
                       violations_, compared, column, FormatPercent(max_change_), before.size(),
                       before.size() == 1 ? "" : "s", fmt::join(changes, ", "));
  }

 private:
  std::vector<std::string> stats_requested_;
  double max_change_;
  ColumnStats stats_;
};

class DriftType : public EvaluatedCheckType<DriftEvaluator> {
 public:
  DriftType()
      : EvaluatedCheckType({
            .name = "drift",
            .summary = "A column's profile (NULL rate, distinct count, top values, quantiles) "
                       "has not changed suddenly against earlier runs.",
            .dimension = Dimension::kValidity,
            .shape = CheckShape::kAggregate,
            .params = {{.name = "column", .type = ParamType::kColumn, .required = true,
                        .description = "the column"},
                       {.name = "stats", .type = ParamType::kStringList,
                        .description = "the stats compared (default: those that apply to the "
                                       "column)",
                        .choices = {"null_rate", "distinct_count", "top_values", "quantiles"},
                        .non_empty = true},
                       {.name = "max_change_percent", .type = ParamType::kNumber,
                        .description = "the largest change of a stat that is not a drift "
                                       "(docs/checks.md gives each stat's measure)",
                        .default_value = 20.0, .min = 0.0},
                       {.name = "runs", .type = ParamType::kInteger,
                        .description = "how many earlier runs form the baseline",
                        .default_value = 7, .min = 1.0, .max = 100.0},
                       {.name = "date_format", .type = ParamType::kDateFormat,
                        .description = "read the column as dates written this way (iso or dmy) "
                                       "for its quantiles"}},
            .baseline_runs = "runs",
        }) {}
};

}  // namespace

std::unique_ptr<CheckType> DriftCheckType() { return std::make_unique<DriftType>(); }

}  // namespace dqa
