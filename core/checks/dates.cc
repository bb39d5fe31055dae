// Date-based checks: freshness, stale, range (numbers and dates).
#include "core/util/dates.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/checks/row_checks.h"
#include "core/util/text.h"

namespace dqa {

std::optional<int64_t> DateSeconds(const Value& value, DateFormat format) {
  switch (value.type) {
    case Value::Type::kInteger:
      return value.integer;
    case Value::Type::kText:
      return ParseDateText(TrimWhitespace(value.bytes), format);
    default:
      return std::nullopt;
  }
}

namespace {

std::string UnparseableText(int64_t unparseable) {
  return unparseable > 0 ? fmt::format(" ({} unparseable)", unparseable) : "";
}

}  // namespace

void FreshnessCheck::ObserveInScope(const ScanRow& row) {
  const Value& v = Cell(row);
  if (v.is_null()) return;
  ++rows_checked_;
  const auto t = DateSeconds(v, params_.date_format);
  if (!t) {
    ++unparseable_;
    return;
  }
  newest_ = newest_ ? std::max(*newest_, *t) : *t;
}

std::string FreshnessCheck::Complete(CheckResult& result) {
  result.unparseable = unparseable_;
  const std::string column = JoinColumns(spec_.columns);
  if (!newest_) {
    result.violations = 1;
    return fmt::format("No parseable date in {} ({} values, {} unparseable); maximum age {}",
                       column, rows_checked_, unparseable_, params_.max_age.ToString());
  }
  const int64_t cutoff = ShiftBy(context_.now_unix, params_.max_age, -1);
  result.violations = *newest_ < cutoff ? 1 : 0;
  const double age_days =
      static_cast<double>(context_.now_unix - *newest_) / static_cast<double>(kSecondsPerDay);
  result.value = age_days;
  return fmt::format("The newest {} ({}) is {} days old; maximum age {}{}", column,
                     FormatTimestamp(*newest_), FormatPercent(age_days), params_.max_age.ToString(),
                     UnparseableText(unparseable_));
}

StaleCheck::StaleCheck(const CheckSpec& spec, const CheckContext& context,
                       const StaleParams& params)
    : RowEvaluator(spec, context),
      params_(params),
      cutoff_(ShiftBy(context.now_unix, params.older_than, -1)) {}

void StaleCheck::ObserveInScope(const ScanRow& row) {
  const Value& v = Cell(row);
  if (v.is_null()) return;
  ++rows_checked_;
  const auto t = DateSeconds(v, params_.date_format);
  if (!t) {
    ++unparseable_;
    AddViolation(row);
  } else if (*t < cutoff_) {
    AddViolation(row);
  }
}

std::string StaleCheck::Complete(CheckResult& result) {
  result.unparseable = unparseable_;
  return fmt::format("{} of {} are older than {} (before {}){}",
                     CountText(result.violations, result.rows_checked, "values"),
                     JoinColumns(spec_.columns), params_.older_than.ToString(),
                     FormatTimestamp(cutoff_), UnparseableText(unparseable_));
}

RangeCheck::RangeCheck(const CheckSpec& spec, const CheckContext& context,
                       const RangeParams& params)
    : RowEvaluator(spec, context), params_(params) {
  dates_ = (params.min && params.min->is_date()) || (params.max && params.max->is_date());
  auto resolve_day = [&](const Bound& b) -> int64_t {
    if (b.kind == Bound::Kind::kDate) return b.day;
    if (!b.offset || b.offset_sign == 0) return context.today_day;
    return DayOf(ShiftBy(context.today_day * kSecondsPerDay, *b.offset, b.offset_sign));
  };
  if (dates_) {
    if (params.min) min_day_ = resolve_day(*params.min);
    if (params.max) max_day_ = resolve_day(*params.max);
  } else {
    if (params.min) min_number_ = params.min->number;
    if (params.max) max_number_ = params.max->number;
  }
}

void RangeCheck::ObserveInScope(const ScanRow& row) {
  const Value& v = Cell(row);
  if (v.is_null()) return;
  ++rows_checked_;
  if (dates_) {
    const auto t = DateSeconds(v, params_.date_format);
    if (!t) {
      ++unparseable_;
      AddViolation(row);
      return;
    }
    const int64_t day = DayOf(*t);
    if ((min_day_ && day < *min_day_) || (max_day_ && day > *max_day_)) AddViolation(row);
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
  if ((min_number_ && *x < *min_number_) || (max_number_ && *x > *max_number_)) AddViolation(row);
}

std::string RangeCheck::BoundText(const std::optional<Bound>& bound, std::optional<double> number,
                                  std::optional<int64_t> day) const {
  if (!bound) return "";
  if (!dates_) return RealText(*number);
  if (bound->kind == Bound::Kind::kToday) {
    std::string text = "today";
    if (bound->offset && bound->offset_sign != 0) {
      text += (bound->offset_sign < 0 ? "-" : "+") + bound->offset->ToString();
    }
    return fmt::format("{} = {}", text, FormatDay(*day));
  }
  return FormatDay(*day);
}

std::string RangeCheck::Complete(CheckResult& result) {
  result.unparseable = unparseable_;
  const std::string lo = BoundText(params_.min, min_number_, min_day_);
  const std::string hi = BoundText(params_.max, max_number_, max_day_);
  std::string where;
  if (!lo.empty() && !hi.empty()) {
    where = fmt::format("outside [{}, {}]", lo, hi);
  } else if (!lo.empty()) {
    where = fmt::format("below {}", lo);
  } else {
    where = fmt::format("above {}", hi);
  }
  return fmt::format("{} of {} are {}{}",
                     CountText(result.violations, result.rows_checked, "values"),
                     JoinColumns(spec_.columns), where, UnparseableText(unparseable_));
}

}  // namespace dqa
