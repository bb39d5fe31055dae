// freshness: the newest date of a column is recent enough (the table is still being fed).
#include <fmt/format.h>

#include <algorithm>

#include "core/checks/check_support.h"
#include "core/util/dates.h"

namespace dqa {
namespace {

// Violation (0/1): the newest parseable date is older than now - max_age, or there is none.
class FreshnessEvaluator : public RowEvaluator {
 public:
  FreshnessEvaluator(const CheckSpec& spec, const CheckContext& context, const ParamReader& p)
      : RowEvaluator(spec, context),
        max_age_(p.DurationOf("max_age").value_or(Duration{})),
        format_(p.DateFormatOf("date_format")) {}

 protected:
  nlohmann::json SaveOwnState() const override {
    return {unparseable_, newest_ ? nlohmann::json(*newest_) : nlohmann::json()};
  }
  void LoadOwnState(const nlohmann::json& state) override {
    unparseable_ = state.at(0).get<int64_t>();
    newest_.reset();
    if (!state.at(1).is_null()) newest_ = state.at(1).get<int64_t>();
  }
  void MergeState(RowEvaluator& later) override {
    const auto& o = static_cast<FreshnessEvaluator&>(later);
    unparseable_ += o.unparseable_;
    if (o.newest_) newest_ = newest_ ? std::max(*newest_, *o.newest_) : *o.newest_;
  }
  void ObserveInScope(const ScanRow& row) override {
    const Value& v = Cell(row);
    if (v.is_null()) return;
    ++rows_checked_;
    const auto t = DateSeconds(v, format_);
    if (!t) {
      ++unparseable_;
      return;
    }
    newest_ = newest_ ? std::max(*newest_, *t) : *t;
  }
  std::string Complete(CheckResult& result) override {
    result.unparseable = unparseable_;
    const std::string column = JoinColumns(spec_.columns);
    if (!newest_) {
      result.violations = 1;
      SetWords(result, "check.freshness.none",
               {{"columns", column},
                {"n_values", std::to_string(rows_checked_)},
                {"n_unparseable", std::to_string(unparseable_)},
                {"t_max_age", max_age_.ToString()}});
      return fmt::format("No parseable date in {} ({} values, {} unparseable); maximum age {}",
                         column, rows_checked_, unparseable_, max_age_.ToString());
    }
    const int64_t cutoff = ShiftBy(context_.now_unix, max_age_, -1);
    result.violations = *newest_ < cutoff ? 1 : 0;
    const double age_days =
        static_cast<double>(context_.now_unix - *newest_) / static_cast<double>(kSecondsPerDay);
    result.value = age_days;
    SetWords(result, "check.freshness.age",
             {{"columns", column},
              {"d_newest", FormatDay(DayOf(*newest_))},
              {"x_age", fmt::format("{:.2f}", age_days)},
              {"t_max_age", max_age_.ToString()},
              {"n_unparseable", std::to_string(unparseable_)}});
    const std::string age = FormatPercent(age_days);
    return fmt::format("The newest {} ({}) is {} {} old; maximum age {}{}", column,
                       FormatTimestamp(*newest_), age, age == "1" ? "day" : "days",
                       max_age_.ToString(), UnparseableText(unparseable_));
  }

 private:
  Duration max_age_;
  DateFormat format_;
  std::optional<int64_t> newest_;
  int64_t unparseable_ = 0;
};

class FreshnessType : public EvaluatedCheckType<FreshnessEvaluator> {
 public:
  FreshnessType()
      : EvaluatedCheckType({
            .name = "freshness",
            .summary = "The newest date in a column is no older than max_age.",
            .dimension = Dimension::kFreshness,
            .shape = CheckShape::kAggregate,
            .params = {DateColumnParam(),
                       {.name = "max_age", .type = ParamType::kDuration, .required = true,
                        .description = "how old the newest date may be"},
                       DateFormatParam()},
            .yes_no = true,
            .supports_by = true,
            .reads_reference_day = true,
        }) {}
};

}  // namespace

std::unique_ptr<CheckType> FreshnessCheckType() { return std::make_unique<FreshnessType>(); }

}  // namespace dqa
