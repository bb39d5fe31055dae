#include "core/profiling/profile_output.h"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "core/profiling/preview.h"
#include "core/util/dates.h"
#include "core/util/text.h"

namespace dqa::profiling {
namespace {

using nlohmann::json;

constexpr size_t kTextTop = 5;

std::string Pct(int64_t part, int64_t whole) {
  return fmt::format("{:.2f}%", ColumnProfile::Percent(part, whole));
}

// A value on one line: quoted, control characters escaped, at most 40 code points.
std::string Show(std::string_view s) { return QuotedPreview(s, PreviewStyle::kVisible); }

std::string Num(double v) { return fmt::format("{}", v); }

std::string DateFormatOf(const ColumnProfile& c) {
  const DateStats& d = c.dates;
  if (d.parsed() == 0) return "";
  if (d.dmy > d.iso && d.dmy >= d.unix_seconds) return "dmy";
  if (d.iso >= d.unix_seconds) return "iso";
  return "unix_seconds";
}

json Hitters(const std::vector<HeavyHitter>& list, bool exact, int64_t non_null,
             const char* field) {
  json values = json::array();
  for (const HeavyHitter& h : list) {
    json e = {{field, h.value},
              {"count", h.count},
              {"percent", ColumnProfile::Percent(h.count, non_null)}};
    if (!exact) e["min_count"] = h.count - h.error;
    values.push_back(std::move(e));
  }
  return {{"exact", exact}, {"values", std::move(values)}};
}

json ColumnJson(const ColumnProfile& c) {
  const int64_t n = c.non_null();
  json j = {
      {"name", c.name},
      {"declared_type", c.declared_type},
      {"primary_key", c.primary_key},
      {"rows", c.rows},
      {"types",
       {{"null", c.types.null},
        {"integer", c.types.integer},
        {"real", c.types.real},
        {"text", c.types.text},
        {"blob", c.types.blob}}},
      {"null_count", c.types.null},
      {"null_percent", ColumnProfile::Percent(c.types.null, c.rows)},
      {"blank_count", c.blank},
      {"blank_percent", ColumnProfile::Percent(c.blank, c.rows)},
      {"distinct",
       {{"count", c.distinct},
        {"exact", c.distinct_exact},
        {"method", c.distinct_exact ? "exact" : "hyperloglog"},
        {"unique_percent", ColumnProfile::Percent(std::min(c.distinct, n), n)}}},
  };
  j["numeric"] =
      c.numeric_min ? json{{"min", *c.numeric_min}, {"max", *c.numeric_max}} : json(nullptr);
  if (c.text_min) {
    j["text"] = {{"min", *c.text_min},
                 {"max", *c.text_max},
                 {"min_length", *c.min_length},
                 {"max_length", *c.max_length},
                 {"numeric_count", c.numeric_text}};
  } else {
    j["text"] = nullptr;
  }
  j["top_values"] = Hitters(c.top_values, c.top_values_exact, n, "value");
  j["patterns"] = Hitters(c.patterns, c.patterns_exact, n, "pattern");
  const DateStats& d = c.dates;
  json dates = {{"iso", d.iso},
                {"dmy", d.dmy},
                {"unix_seconds", d.unix_seconds},
                {"percent", ColumnProfile::Percent(d.parsed(), n)},
                {"format", d.parsed() == 0 ? json(nullptr) : json(DateFormatOf(c))},
                {"min", d.min_day ? json(FormatDay(*d.min_day)) : json(nullptr)},
                {"max", d.max_day ? json(FormatDay(*d.max_day)) : json(nullptr)},
                {"future", d.future},
                {"over_120_years", d.over_120y}};
  j["dates"] = std::move(dates);
  return j;
}

}  // namespace

json ProfileToJson(const DatabaseProfile& p) {
  json tables = json::array();
  for (const TableProfile& t : p.tables) {
    json columns = json::array();
    for (const ColumnProfile& c : t.columns) columns.push_back(ColumnJson(c));
    tables.push_back({{"name", t.name}, {"rows", t.rows}, {"columns", std::move(columns)}});
  }
  return {{"format", "dqaudit-profile"},
          {"version", 1},
          {"database", p.database},
          {"today", p.today},
          {"settings",
           {{"distinct_exact_cap", p.settings.distinct_exact_cap},
            {"top_values_capacity", p.settings.top_values_capacity},
            {"pattern_capacity", p.settings.pattern_capacity},
            {"top_n", p.settings.top_n}}},
          {"tables", std::move(tables)}};
}

void WriteProfileText(std::ostream& out, const DatabaseProfile& p) {
  fmt::print(out, "Profile of {} (today {})\n", p.database, p.today);
  for (const TableProfile& t : p.tables) {
    fmt::print(out, "\n{}: {} rows, {} columns ({:.2f} s)\n", t.name, t.rows, t.columns.size(),
               t.elapsed_ms / 1000);
    for (const ColumnProfile& c : t.columns) {
      const int64_t n = c.non_null();
      fmt::print(out, "  {} ({}{})\n", c.name,
                 c.declared_type.empty() ? "no type" : c.declared_type,
                 c.primary_key ? ", primary key" : "");
      std::vector<std::string> types;
      const std::pair<const char*, int64_t> kinds[] = {{"integer", c.types.integer},
                                                       {"real", c.types.real},
                                                       {"text", c.types.text},
                                                       {"blob", c.types.blob},
                                                       {"null", c.types.null}};
      for (const auto& [name, count] : kinds) {
        if (count > 0) types.push_back(fmt::format("{} {}", name, count));
      }
      fmt::print(out, "    types     {}\n",
                 types.empty() ? "-" : fmt::format("{}", fmt::join(types, ", ")));
      fmt::print(out, "    missing   NULL {} ({}), blank {} ({})\n", c.types.null,
                 Pct(c.types.null, c.rows), c.blank, Pct(c.blank, c.rows));
      if (n == 0) continue;
      fmt::print(out, "    distinct  {}{} ({} of non-NULL){}\n", c.distinct_exact ? "" : "~",
                 c.distinct, Pct(std::min(c.distinct, n), n),
                 c.distinct_exact ? "" : ", HyperLogLog estimate");
      if (c.numeric_min) {
        fmt::print(out, "    numbers   {} .. {}\n", Num(*c.numeric_min), Num(*c.numeric_max));
      }
      if (c.text_min) {
        fmt::print(out, "    text      {} .. {}, length {}..{}{}\n", Show(*c.text_min),
                   Show(*c.text_max), *c.min_length, *c.max_length,
                   c.numeric_text > 0 ? fmt::format(", {} read as numbers", c.numeric_text) : "");
      }
      if (c.dates.parsed() > 0) {
        fmt::print(out, "    dates     {} ({} ISO, {} DD/MM/YYYY, {} Unix seconds), {} .. {}{}\n",
                   Pct(c.dates.parsed(), n), c.dates.iso, c.dates.dmy, c.dates.unix_seconds,
                   FormatDay(*c.dates.min_day), FormatDay(*c.dates.max_day),
                   c.dates.future > 0 ? fmt::format(", {} after today", c.dates.future) : "");
      }
      auto list = [&](const char* label, const std::vector<HeavyHitter>& hitters, bool exact) {
        if (hitters.empty()) return;
        std::vector<std::string> items;
        for (size_t i = 0; i < hitters.size() && i < kTextTop; ++i) {
          items.push_back(fmt::format("{} {}{} ({})", Show(hitters[i].value), exact ? "" : "~",
                                      hitters[i].count, Pct(hitters[i].count, n)));
        }
        fmt::print(out, "    {}{}\n", label, fmt::join(items, ", "));
      };
      list("top       ", c.top_values, c.top_values_exact);
      list("patterns  ", c.patterns, c.patterns_exact);
    }
  }
}

}  // namespace dqa::profiling
