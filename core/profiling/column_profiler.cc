#include "core/profiling/column_profiler.h"

#include <utility>

#include "core/profiling/shape.h"
#include "core/util/dates.h"
#include "core/util/text.h"

namespace dqa::profiling {
namespace {

// Unix seconds of 1990-01-01 and 2100-01-01: integers in between are taken for timestamps.
constexpr int64_t kUnixMin = 631152000;
constexpr int64_t kUnixMax = 4102444800;

}  // namespace

ColumnProfiler::ColumnProfiler(std::string name, std::string declared_type, bool primary_key,
                               const ProfileSettings& settings)
    : settings_(settings),
      distinct_(settings.distinct_exact_cap),
      values_(settings.top_values_capacity),
      shapes_(settings.pattern_capacity),
      old_day_(DayOf(ShiftBy(settings.today_day * kSecondsPerDay,
                             Duration{120, Duration::Unit::kYears}, -1))) {
  profile_.name = std::move(name);
  profile_.declared_type = std::move(declared_type);
  profile_.primary_key = primary_key;
}

void ColumnProfiler::Observe(const Value& value) {
  ++profile_.rows;
  switch (value.type) {
    case Value::Type::kNull:
      ++profile_.types.null;
      return;
    case Value::Type::kInteger:
    case Value::Type::kReal: {
      const bool integer = value.type == Value::Type::kInteger;
      ++(integer ? profile_.types.integer : profile_.types.real);
      const double number = integer ? static_cast<double>(value.integer) : value.real;
      if (!profile_.numeric_min || number < *profile_.numeric_min) profile_.numeric_min = number;
      if (!profile_.numeric_max || number > *profile_.numeric_max) profile_.numeric_max = number;
      const std::string_view text = TextForm(value, scratch_);
      distinct_.Add(HashValue(integer ? 1 : 2, text));
      values_.Add(text);
      shapes_.Add(ValueShape(text));
      if (integer && value.integer >= kUnixMin && value.integer < kUnixMax) {
        ObserveDate(value.integer, &profile_.dates.unix_seconds);
      }
      return;
    }
    case Value::Type::kText:
      ++profile_.types.text;
      distinct_.Add(HashValue(3, value.bytes));
      ObserveText(value.bytes);
      return;
    case Value::Type::kBlob:
      ++profile_.types.blob;
      distinct_.Add(HashValue(4, value.bytes));
      return;
  }
}

void ColumnProfiler::ObserveText(std::string_view text) {
  if (IsBlank(text)) ++profile_.blank;
  const auto length = static_cast<int64_t>(sdk::CountCodePoints(text));
  if (!profile_.min_length || length < *profile_.min_length) profile_.min_length = length;
  if (!profile_.max_length || length > *profile_.max_length) profile_.max_length = length;
  if (!profile_.text_min || text < *profile_.text_min) profile_.text_min = std::string(text);
  if (!profile_.text_max || text > *profile_.text_max) profile_.text_max = std::string(text);
  if (ParseNumber(text)) ++profile_.numeric_text;

  const std::string_view nfc = NfcView(text, nfc_scratch_);
  values_.Add(nfc);
  shapes_.Add(ValueShape(nfc));

  // ISO and DMY texts are disjoint (a DMY date has no '-'), so the order only saves time.
  if (auto t = ParseDateText(text, DateFormat::kIso)) {
    ObserveDate(*t, &profile_.dates.iso);
  } else if (auto d = ParseDateText(text, DateFormat::kDmy)) {
    ObserveDate(*d, &profile_.dates.dmy);
  }
}

void ColumnProfiler::ObserveDate(int64_t unix_seconds, int64_t* format_count) {
  ++*format_count;
  DateStats& d = profile_.dates;
  const int64_t day = DayOf(unix_seconds);
  if (!d.min_day || day < *d.min_day) d.min_day = day;
  if (!d.max_day || day > *d.max_day) d.max_day = day;
  if (day > settings_.today_day) ++d.future;
  if (day < old_day_) ++d.over_120y;
}

ColumnProfile ColumnProfiler::Finish() const {
  ColumnProfile out = profile_;
  out.distinct = distinct_.Count();
  out.distinct_exact = distinct_.exact();
  out.top_values_exact = values_.exact();
  out.patterns_exact = shapes_.exact();
  // Approximate lists keep only values that surely repeat: their guaranteed count is at least 2.
  auto top = [&](const HeavyHitters& h) {
    std::vector<HeavyHitter> all = h.Top(h.size());
    std::vector<HeavyHitter> kept;
    for (HeavyHitter& e : all) {
      if (kept.size() == settings_.top_n) break;
      if (h.exact() || e.count - e.error >= 2) kept.push_back(std::move(e));
    }
    return kept;
  };
  out.top_values = top(values_);
  out.patterns = top(shapes_);
  return out;
}

}  // namespace dqa::profiling
