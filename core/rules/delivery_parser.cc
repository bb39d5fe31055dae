// The source-level `delivery:` key: how often the department must deliver (docs/rules.md
// "Delivery").
#include <fmt/format.h>

#include "core/checks/delivery.h"
#include "core/rules/parser_impl.h"

namespace dqa::rules::internal {
namespace {

const Names& DeliveryKeys() {
  static const Names k = {"every",    "by",        "timezone",    "record_time", "severity",
                          "lookback", "max_count", "max_percent", "warn",        "fail"};
  return k;
}

const Names& RecordTimeKeys() {
  static const Names k = {"table", "column", "date_format"};
  return k;
}

}  // namespace

void Parser::ParseDelivery(const Entry& e, SourceSpec& source) {
  if (!e.value.IsMap()) {
    Error(ValueLoc(e), "'delivery': expected a map like {every: 1d, by: \"07:00\"}");
    return;
  }
  const Entries de = ReadMap(e.value, &DeliveryKeys(), "in 'delivery'");
  const SourceLocation loc = Loc(e.key_node);
  Require(de, "every", loc, "in 'delivery'");
  Require(de, "by", loc, "in 'delivery'");
  DeliverySpec spec;
  spec.location = loc;
  bool ok = true;
  if (const Entry* every = Find(de, "every")) {
    std::optional<Duration> d = GetDuration(*every);
    if (d && (d->unit == Duration::Unit::kHours || d->amount < 1)) {
      Error(ValueLoc(*every),
            fmt::format("'every': a delivery cadence is a number of days, weeks, months or years "
                        "(1d, 1w, 1m, 1y), got '{}'",
                        d->ToString()));
      d.reset();
    }
    ok = ok && d.has_value();
    if (d) spec.every = *d;
  } else {
    ok = false;
  }
  if (const Entry* by = Find(de, "by")) {
    std::optional<int> minutes;
    if (by->value.IsScalar()) minutes = ParseTimeOfDay(TrimAscii(by->value.Scalar()));
    if (!minutes) {
      Error(ValueLoc(*by), fmt::format("'by': expected a local time of day \"HH:MM\" (00:00 to "
                                       "23:59), got '{}'",
                                       by->value.IsScalar() ? by->value.Scalar() : "a non-scalar"));
      ok = false;
    } else {
      spec.by_minutes = *minutes;
    }
  } else {
    ok = false;
  }
  if (const Entry* tz = Find(de, "timezone")) {
    std::optional<std::string> name = GetString(*tz);
    std::optional<int> offset = name ? DeliveryTimeZoneOffset(*name) : std::nullopt;
    if (name && !offset) {
      Error(ValueLoc(*tz), fmt::format("'timezone': unknown time zone '{}'; expected "
                                       "Asia/Ho_Chi_Minh, UTC or a fixed offset like \"+07:00\"",
                                       *name));
    }
    ok = ok && offset.has_value();
    if (offset) {
      spec.timezone = *name;
      spec.utc_offset_minutes = *offset;
    }
  }
  if (const Entry* rt = Find(de, "record_time")) {
    if (!rt->value.IsMap()) {
      Error(ValueLoc(*rt), "'record_time': expected a map {table: t, column: c}");
      ok = false;
    } else {
      const Entries re = ReadMap(rt->value, &RecordTimeKeys(), "in 'record_time'");
      Require(re, "table", Loc(rt->key_node), "in 'record_time'");
      Require(re, "column", Loc(rt->key_node), "in 'record_time'");
      if (const Entry* t = Find(re, "table")) spec.record_table = GetString(*t).value_or("");
      if (const Entry* c = Find(re, "column")) spec.record_column = GetString(*c).value_or("");
      if (const Entry* f = Find(re, "date_format")) {
        std::optional<DateFormat> format = GetDateFormat(*f);
        ok = ok && format.has_value();
        if (format) spec.record_format = *format;
      }
      ok = ok && !spec.record_table.empty() && !spec.record_column.empty();
    }
  }
  if (const Entry* sev = Find(de, "severity")) {
    std::optional<Severity> s = GetSeverity(*sev);
    ok = ok && s.has_value();
    if (s) spec.severity = *s;
  }
  if (const Entry* lb = Find(de, "lookback")) {
    std::optional<int64_t> n = GetInt(*lb, 1);
    if (n && *n > 1000) {
      Error(ValueLoc(*lb), fmt::format("'lookback': at most 1000 periods, got {}", *n));
      n.reset();
    }
    ok = ok && n.has_value();
    if (n) spec.lookback = static_cast<int>(*n);
  }
  // The thresholds are those of any check (on the count of late or missed due deliveries).
  CheckSpec limits;
  ParseThresholds(de, limits);
  spec.thresholds = limits.thresholds;
  if (ok) source.delivery = std::move(spec);
}

}  // namespace dqa::rules::internal
