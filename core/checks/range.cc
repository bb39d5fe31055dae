// range: numbers or calendar dates within [min, max] (either bound may be exclusive); bounds may
// be relative to today.
#include <fmt/format.h>

#include "core/checks/check_support.h"
#include "core/util/dates.h"
#include "core/util/text.h"

namespace dqa {
namespace {

// The shortest and longest span of `d` in days: calendar months last 28 to 31 days, years 365 to
// 366; hours are counted in whole and started days.
std::pair<int64_t, int64_t> DayRange(const Duration& d) {
  switch (d.unit) {
    case Duration::Unit::kHours: return {d.amount / 24, (d.amount + 23) / 24};
    case Duration::Unit::kDays: return {d.amount, d.amount};
    case Duration::Unit::kWeeks: return {7 * d.amount, 7 * d.amount};
    case Duration::Unit::kMonths: return {28 * d.amount, 31 * d.amount};
    case Duration::Unit::kYears: return {365 * d.amount, 366 * d.amount};
  }
  return {d.amount, d.amount};
}

// True when `today`-relative bound `a` is after `b` on every day, so that a range from `a` to `b`
// could never hold a value. Uncertain cases (today+1m against today+30d) are allowed.
bool AlwaysAfter(const Bound& a, const Bound& b) {
  const auto [a_low, a_high] = DayRange(a.offset.value_or(Duration{}));
  const auto [b_low, b_high] = DayRange(b.offset.value_or(Duration{}));
  // Offsets are signed: today-1y spans -366..-365 days.
  const int64_t a_min = a.offset_sign >= 0 ? a_low : -a_high;
  const int64_t b_max = b.offset_sign >= 0 ? b_high : -b_low;
  return a_min > b_max;
}

// True when no value lies between `min` and `max` of the same kind with the exclusive bounds
// given (numbers: min == max; dates: no calendar day left between them). Bounds relative to today
// count only when they are the same shift of today.
bool EmptyWhenExclusive(const Bound& min, const Bound& max, bool min_exclusive,
                        bool max_exclusive) {
  if (min.is_date() != max.is_date()) return false;
  if (!min.is_date()) return min.number == max.number;
  if (min.kind == Bound::Kind::kDate && max.kind == Bound::Kind::kDate) {
    return min.day + (min_exclusive ? 1 : 0) > max.day - (max_exclusive ? 1 : 0);
  }
  return min.kind == Bound::Kind::kToday && max.kind == Bound::Kind::kToday &&
         min.ToString() == max.ToString();
}

// Violation: outside [min, max], or (min, max) ... with exclusive bounds (numbers, or calendar
// dates); unparseable values count.
class RangeEvaluator : public RowEvaluator {
 public:
  RangeEvaluator(const CheckSpec& spec, const CheckContext& context, const ParamReader& p)
      : RowEvaluator(spec, context),
        min_(p.BoundOf("min")),
        max_(p.BoundOf("max")),
        format_(p.DateFormatOf("date_format")),
        min_exclusive_(p.Bool("min_exclusive")),
        max_exclusive_(p.Bool("max_exclusive")) {
    dates_ = (min_ && min_->is_date()) || (max_ && max_->is_date());
    if (dates_) {
      if (min_) min_day_ = BoundDay(*min_, context.today_day);
      if (max_) max_day_ = BoundDay(*max_, context.today_day);
      // A bound relative to today is later on a later night (docs/engine.md "Bounds that move with
      // the clock"): values turn too old below the minimum, and stop being too new above the
      // maximum.
      if (min_ && min_->kind == Bound::Kind::kToday) {
        min_moving_ = DeclareMovingBound(BoundMoves::kAddsBelow, *min_day_, kMovingWindowDays);
      }
      if (max_ && max_->kind == Bound::Kind::kToday) {
        max_moving_ = DeclareMovingBound(BoundMoves::kReleasesAbove, *max_day_, kMovingWindowDays);
      }
    } else {
      if (min_) min_number_ = min_->number;
      if (max_) max_number_ = max_->number;
    }
  }

 std::optional<PushDown> PushDownSql(const PushDownTable& table) const override {
    const std::string& column = spec_.columns.front();
    const SqlColumnKind kind = table.KindOf(column);
    const std::string c = QuoteIdent(column);
    PushDown out;
    out.checked += c + " IS NOT NULL";
    if (dates_) {
      // Calendar days of date and timestamp columns (text dates and Unix seconds stay streamed).
      // Their text forms read as dates in the ISO format from year 1 to 9999, not others.
      if (format_ != DateFormat::kIso) return std::nullopt;
      const char* type = kind == SqlColumnKind::kDate        ? "date"
                         : kind == SqlColumnKind::kTimestamp ? "timestamp"
                                                             : nullptr;
      if (type == nullptr) return std::nullopt;
      out.extra += fmt::format("NOT ({0} >= '0001-01-01'::{1} AND {0} < '10000-01-01'::{1})", c,
                               type);
      out.violation += out.extra;
      // day < min (<= when exclusive) is the value before the first midnight allowed; day > max
      // (>=) is the value at or after the first midnight not allowed.
      const auto day_text = [](int64_t day) -> std::optional<std::string> {
        const CivilDate d = CivilFromDays(day);
        if (d.year < 1 || d.year > 9999) return std::nullopt;
        return FormatDay(day);
      };
      if (min_day_) {
        const auto first = day_text(*min_day_ + (min_exclusive_ ? 1 : 0));
        if (!first) return std::nullopt;
        out.violation += fmt::format(" OR {} < ", c);
        out.violation.Param(*first);
        out.violation += fmt::format("::{}", type);
      }
      if (max_day_) {
        const auto after = day_text(*max_day_ + (max_exclusive_ ? 0 : 1));
        if (!after) return std::nullopt;
        out.violation += fmt::format(" OR {} >= ", c);
        out.violation.Param(*after);
        out.violation += fmt::format("::{}", type);
      }
      return out;
    }
    if (kind != SqlColumnKind::kInteger && kind != SqlColumnKind::kFloat &&
        kind != SqlColumnKind::kNumeric) {
      return std::nullopt;
    }
    // Compared as doubles, as the evaluator does; NaN is in no range's violation (the server
    // orders it above every number).
    const std::string x = c + "::float8";
    out.violation += "(FALSE";
    if (min_number_) {
      out.violation += fmt::format(" OR {} {} ", x, min_exclusive_ ? "<=" : "<");
      out.violation.Param(SqlExactNumber(*min_number_));
      out.violation += "::float8";
    }
    if (max_number_) {
      out.violation += fmt::format(" OR {} {} ", x, max_exclusive_ ? ">=" : ">");
      out.violation.Param(SqlExactNumber(*max_number_));
      out.violation += "::float8";
    }
    out.violation += fmt::format(") AND {} <> 'NaN'::float8", x);
    return out;
  }

 protected:
  nlohmann::json SaveOwnState() const override { return unparseable_; }
  void LoadOwnState(const nlohmann::json& state) override { unparseable_ = state.get<int64_t>(); }
  void MergeState(RowEvaluator& later) override {
    unparseable_ += static_cast<RangeEvaluator&>(later).unparseable_;
  }
  void TakePushedExtra(int64_t extra) override { unparseable_ = extra; }
  void ObserveInScope(const ScanRow& row) override {
    const Value& v = Cell(row);
    if (v.is_null()) return;
    ++rows_checked_;
    if (dates_) {
      const auto t = DateSeconds(v, format_);
      if (!t) {
        ++unparseable_;
        AddViolation(row);
        return;
      }
      const int64_t day = DayOf(*t);
      if (Below(day, min_day_)) {
        AddViolation(row);
      } else if (Above(day, max_day_)) {
        AddViolation(row);
        // Allowed once the maximum reaches the day (passes it, when exclusive)...
        if (max_moving_) NoteRelease(*max_moving_, row, max_exclusive_ ? day + 1 : day);
        // A minimum on today that passes the day too (the two bounds close together) would keep
        // the row a violation: a state is not moved that far.
        if (min_moving_) EndWindowBefore(*min_moving_, min_exclusive_ ? day : day + 1);
      } else if (min_moving_) {
        // Too old once the minimum passes the day (reaches it, when exclusive).
        NoteTurning(*min_moving_, row, min_exclusive_ ? day : day + 1);
      }
      return;
    }
    std::optional<double> x;
    if (v.type == Value::Type::kInteger) {
      x = static_cast<double>(v.integer);
    } else if (v.type == Value::Type::kReal) {
      x = v.real;
    } else if (v.type == Value::Type::kText) {
      x = ParseNumber(v.bytes);
    }
    if (!x) {
      ++unparseable_;
      AddViolation(row);
      return;
    }
    if (Below(*x, min_number_) || Above(*x, max_number_)) AddViolation(row);
  }

  std::string Complete(CheckResult& result) override {
    result.unparseable = unparseable_;
    const std::string lo = BoundText(min_, min_number_, min_day_);
    const std::string hi = BoundText(max_, max_number_, max_day_);
    // Bounds in words: a day (d_) or a number (x_).
    const auto bound_arg = [&](const char* name, std::optional<double> number,
                               std::optional<int64_t> day) -> std::pair<std::string, std::string> {
      if (dates_) return {std::string("d_") + name, FormatDay(*day)};
      return {std::string("x_") + name, RealText(*number)};
    };
    MessageArgs args = CountArgs(result, {{"columns", JoinColumns(spec_.columns)},
                                          {"n_unparseable", std::to_string(unparseable_)}});
    if (min_) args.push_back(bound_arg("lo", min_number_, min_day_));
    if (max_) args.push_back(bound_arg("hi", max_number_, max_day_));
    std::string key = "check.range.outside";
    if (min_ && max_) {
      args.emplace_back("open", min_exclusive_ ? "(" : "[");
      args.emplace_back("close", max_exclusive_ ? ")" : "]");
    } else if (min_) {
      key = min_exclusive_ ? "check.range.at_or_below" : "check.range.below";
    } else {
      key = max_exclusive_ ? "check.range.at_or_above" : "check.range.above";
    }
    SetWords(result, key, std::move(args));
    std::string where;
    if (!lo.empty() && !hi.empty()) {
      where = fmt::format("outside {}{}, {}{}", min_exclusive_ ? '(' : '[', lo, hi,
                          max_exclusive_ ? ')' : ']');
    } else if (!lo.empty()) {
      where = fmt::format("{}below {}", min_exclusive_ ? "at or " : "", lo);
    } else {
      where = fmt::format("{}above {}", max_exclusive_ ? "at or " : "", hi);
    }
    return fmt::format("{} of {} are {}{}",
                       CountText(result.violations, result.rows_checked, "values"),
                       JoinColumns(spec_.columns), where, UnparseableText(unparseable_));
  }

 private:
  template <typename T>
  bool Below(T x, std::optional<T> min) const {
    return min && (min_exclusive_ ? x <= *min : x < *min);
  }
  template <typename T>
  bool Above(T x, std::optional<T> max) const {
    return max && (max_exclusive_ ? x >= *max : x > *max);
  }

  std::string BoundText(const std::optional<Bound>& bound, std::optional<double> number,
                        std::optional<int64_t> day) const {
    if (!bound) return "";
    if (!dates_) return RealText(*number);
    if (bound->kind == Bound::Kind::kToday) {
      return fmt::format("{} = {}", bound->ToString(), FormatDay(*day));
    }
    return FormatDay(*day);
  }

  std::optional<Bound> min_, max_;
  std::optional<size_t> min_moving_, max_moving_;  // DeclareMovingBound of a bound on today
  DateFormat format_;
  bool min_exclusive_, max_exclusive_;
  bool dates_;
  std::optional<double> min_number_, max_number_;
  std::optional<int64_t> min_day_, max_day_;
  int64_t unparseable_ = 0;
};

class RangeType : public EvaluatedCheckType<RangeEvaluator> {
 public:
  RangeType()
      : EvaluatedCheckType({
            .name = "range",
            .summary = "Numbers or dates of a column lie within [min, max].",
            .dimension = Dimension::kValidity,
            .shape = CheckShape::kRow,
            .params = {{.name = "column", .type = ParamType::kColumn, .required = true,
                        .description = "the column"},
                       {.name = "min", .type = ParamType::kBound,
                        .description = "lowest allowed value: a number, a date YYYY-MM-DD, "
                                       "'today' or today±duration"},
                       {.name = "max", .type = ParamType::kBound,
                        .description = "highest allowed value, of the same kind as min"},
                       {.name = "min_exclusive", .type = ParamType::kBool,
                        .description = "min itself is outside the range (a value must be "
                                       "greater than min)",
                        .default_value = false},
                       {.name = "max_exclusive", .type = ParamType::kBool,
                        .description = "max itself is outside the range (a value must be less "
                                       "than max)",
                        .default_value = false},
                       DateFormatParam()},
            // A bound may be `today` or relative to it.
            .reads_reference_day = true,
        }) {}

  void Validate(const nlohmann::json& p, std::vector<ParamIssue>& issues) const override {
    const ParamReader r(info(), p);
    const size_t before = issues.size();
    const std::optional<Bound> min = p.contains("min") ? r.BoundOf("min") : std::nullopt;
    const std::optional<Bound> max = p.contains("max") ? r.BoundOf("max") : std::nullopt;
    if (!min && !max) {
      issues.push_back({"", false, "check 'range' needs 'min' or 'max'"});
    } else if (!BoundsOrderIssue(min, max, issues) && min && max &&
               min->kind == Bound::Kind::kToday &&
               max->kind == Bound::Kind::kToday && AlwaysAfter(*min, *max)) {
      issues.push_back({"", false, fmt::format("'min' ({}) is after 'max' ({}) whatever the day",
                                               min->ToString(), max->ToString())});
    }
    const bool bounds_ordered = issues.size() == before;
    const bool min_exclusive = r.Bool("min_exclusive"), max_exclusive = r.Bool("max_exclusive");
    if (p.contains("min_exclusive") && !min) {
      issues.push_back({"min_exclusive", true, "'min_exclusive' needs 'min'"});
    }
    if (p.contains("max_exclusive") && !max) {
      issues.push_back({"max_exclusive", true, "'max_exclusive' needs 'max'"});
    }
    // Bounds that are equal (or, for calendar days, adjacent) leave no value once one of them is
    // exclusive; the inclusive case was refused above when min > max.
    if (bounds_ordered && min && max && (min_exclusive || max_exclusive) && EmptyWhenExclusive(*min, *max,
                                                                            min_exclusive,
                                                                            max_exclusive)) {
      issues.push_back({"", false, fmt::format("no value lies in {}{}, {}{}",
                                               min_exclusive ? '(' : '[', min->ToString(),
                                               max->ToString(), max_exclusive ? ')' : ']')});
    }
    const bool numeric = (min && !min->is_date()) || (max && !max->is_date());
    if (p.contains("date_format") && numeric) {
      issues.push_back({"date_format", true, "'date_format' applies only to date bounds"});
    }
  }
};

}  // namespace

std::unique_ptr<CheckType> RangeCheckType() { return std::make_unique<RangeType>(); }

}  // namespace dqa
