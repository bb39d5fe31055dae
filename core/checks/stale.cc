// stale: records whose date is older than a cutoff (not updated for too long).
#include <fmt/format.h>

#include "core/checks/check_support.h"
#include "core/util/dates.h"

namespace dqa {
namespace {

// Violation: a date strictly older than now - older_than, or unparseable.
class StaleEvaluator : public RowEvaluator {
 public:
  StaleEvaluator(const CheckSpec& spec, const CheckContext& context, const ParamReader& p)
      : RowEvaluator(spec, context),
        older_than_(p.DurationOf("older_than").value_or(Duration{})),
        format_(p.DateFormatOf("date_format")),
        cutoff_(ShiftBy(context.now_unix, older_than_, -1)) {
    // A later night's cutoff finds more dates too old (docs/engine.md "Bounds that move with the
    // clock").
    DeclareMovingBound(BoundMoves::kAddsBelow, cutoff_, kMovingWindowDays * kSecondsPerDay);
  }

 protected:
  nlohmann::json SaveOwnState() const override { return unparseable_; }
  void LoadOwnState(const nlohmann::json& state) override { unparseable_ = state.get<int64_t>(); }
  void MergeState(RowEvaluator& later) override {
    unparseable_ += static_cast<StaleEvaluator&>(later).unparseable_;
  }
  void ObserveInScope(const ScanRow& row) override {
    const Value& v = Cell(row);
    if (v.is_null()) return;
    ++rows_checked_;
    const auto t = DateSeconds(v, format_);
    if (!t) {
      ++unparseable_;
      AddViolation(row);
    } else if (*t < cutoff_) {
      AddViolation(row);
    } else if (*t < std::numeric_limits<int64_t>::max()) {
      NoteTurning(0, row, *t + 1);  // too old once the cutoff is past it
    }
  }
  std::string Complete(CheckResult& result) override {
    result.unparseable = unparseable_;
    SetWords(result, "check.stale",
             CountArgs(result, {{"columns", JoinColumns(spec_.columns)},
                                {"t_older_than", older_than_.ToString()},
                                {"d_before", FormatDay(DayOf(cutoff_))},
                                {"n_unparseable", std::to_string(unparseable_)}}));
    return fmt::format("{} of {} are older than {} (before {}){}",
                       CountText(result.violations, result.rows_checked, "values"),
                       JoinColumns(spec_.columns), older_than_.ToString(),
                       FormatTimestamp(cutoff_), UnparseableText(unparseable_));
  }

 private:
  Duration older_than_;
  DateFormat format_;
  int64_t cutoff_;
  int64_t unparseable_ = 0;
};

class StaleType : public EvaluatedCheckType<StaleEvaluator> {
 public:
  StaleType()
      : EvaluatedCheckType({
            .name = "stale",
            .summary = "Records whose date is older than older_than (or unreadable).",
            .dimension = Dimension::kFreshness,
            .shape = CheckShape::kRow,
            .params = {DateColumnParam(),
                       {.name = "older_than", .type = ParamType::kDuration, .required = true,
                        .description = "a record older than this is stale"},
                       DateFormatParam()},
            .reads_reference_day = true,
        }) {}
};

}  // namespace

std::unique_ptr<CheckType> StaleCheckType() { return std::make_unique<StaleType>(); }

}  // namespace dqa
