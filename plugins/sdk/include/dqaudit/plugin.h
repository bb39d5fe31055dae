// dqaudit plugin SDK, C++ layer: write checks as ordinary classes, export them with DQA_PLUGIN(...).
#pragma once
//
// A row check:
//   class NotEmpty : public dqa::sdk::RowCheck {
//    public:
//     explicit NotEmpty(const dqa::sdk::Params& p) : min_(p.GetInteger("min_length")) {}
//     bool Observe(const dqa::sdk::Row& row) override {  // true = the row violates the check
//       return row.Text("column").value_or("").size() < static_cast<size_t>(min_);
//     }
//    private:
//     int64_t min_;
//   };
//   DQA_PLUGIN("template", "1.0.0", "template", "Example checks",
//              dqa::sdk::MakeRowCheck<NotEmpty>("not_empty", "Text is not empty", "validity",
//                  {{"column", dqa::sdk::ParamType::kColumn, true, "checked column"},
//                   dqa::sdk::Param{"min_length", dqa::sdk::ParamType::kInteger, false,
//                                   "shortest text"}.Min(0).Default(1)}))
//
// Errors: throw dqa::sdk::Error (or any std::exception) from a constructor, Observe, Finish or Run;
// the SDK catches it at the boundary and the host reports the check with outcome `error` and the
// message. Nothing is thrown across the C ABI.

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "dqaudit/date_text.h"
#include "dqaudit/dates.h"
#include "dqaudit/detail/json.h"
#include "dqaudit/plugin_abi.h"

#if defined(_WIN32)
#define DQA_PLUGIN_EXPORT __declspec(dllexport)
#else
#define DQA_PLUGIN_EXPORT __attribute__((visibility("default")))
#endif

namespace dqa::sdk {

// Thrown by plugin code to fail a check with a message (outcome `error`).
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class ParamType : int {
  kColumn = DQA_PARAM_COLUMN,
  kString = DQA_PARAM_STRING,
  kNumber = DQA_PARAM_NUMBER,
  kInteger = DQA_PARAM_INTEGER,
  kDuration = DQA_PARAM_DURATION,
  kBool = DQA_PARAM_BOOL,
  kStringList = DQA_PARAM_STRING_LIST,
};

// A parameter a check accepts in a rule file, and (ABI 1.1) its constraints, which the host
// enforces when it reads the rule file (`dqaudit rules check`), before any scan:
//   Param{"date_format", ParamType::kString, false, "date text format"}
//       .Choices({"auto", "iso", "dmy"}).Default("auto")
//   Param{"max_age", ParamType::kInteger, false, "oldest plausible age"}.Range(0, 150).Default(120)
// Choices: string and string_list parameters. Min/Max/Range (inclusive): number and integer
// parameters. Default: any optional parameter except a column of a row check; Params::Get*
// return it when the rule omits the parameter. The host refuses a plugin whose constraints are
// inconsistent (a default outside the range, choices on a number...).
struct Param {
  Param(const char* param_name, ParamType param_type, bool is_required, const char* text)
      : name(param_name), type(param_type), required(is_required), description(text) {}

  Param Choices(std::vector<std::string> values) const {
    Param p = *this;
    p.choices = std::move(values);
    return p;
  }
  Param Min(double value) const {
    Param p = *this;
    p.min = value;
    return p;
  }
  Param Max(double value) const {
    Param p = *this;
    p.max = value;
    return p;
  }
  Param Range(double low, double high) const { return Min(low).Max(high); }
  // `value`: a string, a number, a bool or a std::vector<std::string>, as the rule would write it.
  template <class T>
  Param Default(const T& value) const {
    Param p = *this;
    p.default_json = detail::ToJson(value);
    return p;
  }
  Param Default(const std::vector<std::string>& list) const { return Default<>(list); }

  const char* name;
  ParamType type;
  bool required;
  const char* description;
  std::vector<std::string> choices;  // empty = any value
  std::optional<double> min, max;
  std::string default_json;  // "" = no default
};

// An optional date_format-style parameter (read with Params::GetDateFormat): auto, iso or dmy,
// default auto.
inline Param DateFormatParam(const char* name, const char* description) {
  return Param{name, ParamType::kString, false, description}
      .Choices(DateFormatNames())
      .Default("auto");
}

// What the host says about the scan a check instance belongs to.
struct Context {
  int64_t now_unix = 0;   // reference instant ("today") in Unix seconds, UTC
  int64_t today_day = 0;  // days since 1970-01-01 of now_unix
  std::string source;
  std::string table;
};

// A check's parameters from the rule file, already validated by the host against the descriptor.
// A getter returns the rule's value, else the parameter's declared default (Param::Default), else
// the fallback; Get* without a fallback throw Error when there is neither value nor default.
class Params {
 public:
  Params(std::map<std::string, detail::JsonValue> values, Context context,
         const std::map<std::string, detail::JsonValue>* defaults = nullptr)
      : values_(std::move(values)), context_(std::move(context)), defaults_(defaults) {}

  const Context& context() const { return context_; }
  // True when the rule gives the parameter (a declared default does not count).
  bool Has(const std::string& name) const { return values_.count(name) != 0; }

  std::string GetString(const std::string& name) const { return Require(name).text; }
  std::string GetString(const std::string& name, std::string fallback) const {
    return Known(name) ? GetString(name) : fallback;
  }
  // The column name a column parameter names.
  std::string GetColumn(const std::string& name) const { return GetString(name); }
  double GetNumber(const std::string& name) const { return Require(name).number; }
  double GetNumber(const std::string& name, double fallback) const {
    return Known(name) ? GetNumber(name) : fallback;
  }
  int64_t GetInteger(const std::string& name) const {
    return static_cast<int64_t>(Require(name).number);
  }
  int64_t GetInteger(const std::string& name, int64_t fallback) const {
    return Known(name) ? GetInteger(name) : fallback;
  }
  bool GetBool(const std::string& name) const { return Require(name).boolean; }
  bool GetBool(const std::string& name, bool fallback) const {
    return Known(name) ? GetBool(name) : fallback;
  }
  Duration GetDuration(const std::string& name) const {
    const std::optional<Duration> d = Duration::Parse(Require(name).text);
    if (!d) throw Error("parameter '" + name + "' is not a duration");
    return *d;
  }
  Duration GetDuration(const std::string& name, Duration fallback) const {
    return Known(name) ? GetDuration(name) : fallback;
  }
  std::vector<std::string> GetStringList(const std::string& name) const {
    return Known(name) ? Require(name).list : std::vector<std::string>{};
  }
  // A date_format-style parameter: "auto" (also when absent), "iso" or "dmy"; anything else
  // throws Error("<name> must be auto, iso or dmy, got '<text>'").
  DateFormat GetDateFormat(const std::string& name) const {
    const std::string text = GetString(name, "auto");
    const std::optional<DateFormat> format = ParseDateFormat(text);
    if (!format) throw Error(name + " must be auto, iso or dmy, got '" + text + "'");
    return *format;
  }

 private:
  // The rule's value, else the declared default, else nullptr.
  const detail::JsonValue* Find(const std::string& name) const {
    if (auto it = values_.find(name); it != values_.end()) return &it->second;
    if (defaults_ != nullptr) {
      if (auto it = defaults_->find(name); it != defaults_->end()) return &it->second;
    }
    return nullptr;
  }
  bool Known(const std::string& name) const { return Find(name) != nullptr; }
  const detail::JsonValue& Require(const std::string& name) const {
    const detail::JsonValue* v = Find(name);
    if (v == nullptr) throw Error("missing parameter '" + name + "'");
    return *v;
  }

  std::map<std::string, detail::JsonValue> values_;
  Context context_;
  const std::map<std::string, detail::JsonValue>* defaults_;  // the check's declared defaults
};

enum class ValueType : int {
  kNull = DQA_VALUE_NULL,
  kInteger = DQA_VALUE_INTEGER,
  kReal = DQA_VALUE_REAL,
  kText = DQA_VALUE_TEXT,
  kBlob = DQA_VALUE_BLOB,
};

// A row seen through the host. Names are the check's column parameters (row checks) or the result
// columns (query rows); an unknown name reads as NULL. Views are valid during the call only.
class Row {
 public:
  explicit Row(const dqa_row& row) : row_(row) {}

  int ColumnCount() const { return row_.column_count(row_.ctx); }
  int Find(const char* name) const { return row_.find(row_.ctx, name); }

  ValueType TypeAt(int index) const {
    return index < 0 ? ValueType::kNull : static_cast<ValueType>(row_.type(row_.ctx, index));
  }
  bool IsNullAt(int index) const { return TypeAt(index) == ValueType::kNull; }
  // Text of a non-NULL value (numbers as SQLite renders them); nullopt for NULL.
  std::optional<std::string_view> TextAt(int index) const {
    if (IsNullAt(index)) return std::nullopt;
    size_t len = 0;
    const char* p = row_.get_text(row_.ctx, index, &len);
    return std::string_view(p, len);
  }
  // Integer value: INTEGER as is, REAL truncated, TEXT when it is an integer literal; else nullopt.
  std::optional<int64_t> IntAt(int index) const {
    switch (TypeAt(index)) {
      case ValueType::kInteger: return row_.get_int(row_.ctx, index);
      case ValueType::kReal: return static_cast<int64_t>(row_.get_double(row_.ctx, index));
      case ValueType::kText: {
        const std::string_view t = *TextAt(index);
        if (t.empty() || t.size() > 18) return std::nullopt;
        int64_t v = 0;
        size_t i = t[0] == '-' ? 1 : 0;
        if (i == t.size()) return std::nullopt;
        for (; i < t.size(); ++i) {
          if (t[i] < '0' || t[i] > '9') return std::nullopt;
          v = v * 10 + (t[i] - '0');
        }
        return t[0] == '-' ? -v : v;
      }
      default: return std::nullopt;
    }
  }
  // Real value: INTEGER/REAL as numbers, TEXT when it parses completely as a number; else nullopt.
  std::optional<double> DoubleAt(int index) const {
    switch (TypeAt(index)) {
      case ValueType::kInteger:
      case ValueType::kReal: return row_.get_double(row_.ctx, index);
      case ValueType::kText: {
        const std::string t(*TextAt(index));
        char* end = nullptr;
        const double v = std::strtod(t.c_str(), &end);
        if (t.empty() || end != t.c_str() + t.size()) return std::nullopt;
        return v;
      }
      default: return std::nullopt;
    }
  }
  // Day number of a date value: ISO or DD/MM/YYYY text, or integer Unix seconds; else nullopt.
  std::optional<int64_t> DateDayAt(int index) const {
    switch (TypeAt(index)) {
      case ValueType::kInteger: return DayOfUnix(row_.get_int(row_.ctx, index));
      case ValueType::kText: return ParseDateDay(*TextAt(index));
      default: return std::nullopt;
    }
  }
  // The same with text read by ParseDay in `format` (dqaudit/date_text.h: unpadded D/M/YYYY,
  // surrounding spaces): INTEGER is Unix seconds; nullopt for NULL, REAL, BLOB or unparseable text.
  std::optional<int64_t> DateDayAt(int index, DateFormat format) const {
    if (TypeAt(index) != ValueType::kText) return DateDayAt(index);
    return ParseDay(*TextAt(index), format);
  }

  ValueType Type(const char* name) const { return TypeAt(Find(name)); }
  bool IsNull(const char* name) const { return IsNullAt(Find(name)); }
  std::optional<std::string_view> Text(const char* name) const { return TextAt(Find(name)); }
  std::optional<int64_t> Int(const char* name) const { return IntAt(Find(name)); }
  std::optional<double> Double(const char* name) const { return DoubleAt(Find(name)); }
  std::optional<int64_t> DateDay(const char* name) const { return DateDayAt(Find(name)); }
  std::optional<int64_t> DateDay(const char* name, DateFormat format) const {
    return DateDayAt(Find(name), format);
  }

 private:
  const dqa_row& row_;
};

// An indicator with a target (ABI 1.3; docs/plugin-guide.md "Indicators"): value in percent,
// numerator and denominator in rows. Result::AddIndicator publishes it.
struct Indicator {
  std::string id;
  std::string title;
  std::optional<double> value;   // absent: nothing to measure (an empty denominator)
  std::optional<double> target;  // absent: a figure without a target
  bool higher = true;            // true: at least the target; false: at most
  double warn_within = 0;
  std::string unit = "percent";
  int64_t numerator = 0;
  int64_t denominator = 0;

  // value = 100 * numerator / denominator (none when the denominator is 0).
  static Indicator Share(std::string id, int64_t numerator, int64_t denominator) {
    Indicator i;
    i.id = std::move(id);
    i.numerator = numerator;
    i.denominator = denominator;
    if (denominator > 0) {
      i.value = 100.0 * static_cast<double>(numerator) / static_cast<double>(denominator);
    }
    return i;
  }
};

// Arguments of a message in words, by name: {{"n_count", "142"}}.
using MessageArgs = std::vector<std::pair<std::string, std::string>>;

// One entry of a plugin's message catalog (ABI 1.4), in both languages; {name} placeholders are
// filled from the arguments of Result::AddMessage. Keys "metric.<name>" name a metric
// (Result::AddMetric) and "indicator.<id>" title an indicator in reports.
struct Message {
  const char* key;
  const char* vi;
  const char* en;
};

// The plugin's message catalog, given to DQA_PLUGIN next to its checks:
//   DQA_PLUGIN("population", ..., dqa::sdk::Messages({{"metric.mobile", "Số di động",
//                                                      "Mobile numbers"}}), MakeRowCheck<...>(...))
// The host refuses a plugin whose catalog has an empty text or different {placeholders} in vi
// and en (docs/plugins.md "Messages").
struct Messages {
  std::vector<Message> entries;
};

// Where a check reports counts, metrics, a message and (query checks) samples.
class Result {
 public:
  explicit Result(const dqa_result_sink& sink) : sink_(sink) {}

  // Overrides the counts (row checks: by default the host counts observed rows and violations).
  void SetCounts(int64_t violations, int64_t rows_checked) {
    sink_.set_counts(sink_.ctx, violations, rows_checked);
  }
  // A named measurement, e.g. {"cashless_coverage_percent", 87.5}; shown in results as `metrics`.
  void AddMetric(const std::string& name, double value) {
    sink_.add_metric(sink_.ctx, name.c_str(), value);
  }
  // The message as plain text, shown as written in every report's language. Prefer AddMessage.
  void SetMessage(const std::string& message) { sink_.set_message(sink_.ctx, message.c_str()); }
  // ABI 1.4: a part of the message in words: `key` names an entry of the plugin's Messages, `args`
  // its arguments by name (n_* integer, p_* percentage, x_* number, d_* ISO day, else text; the
  // placeholder is the name without the prefix). Several parts are joined by "; ". Reports render
  // it in their own language from the plugin's catalog:
  //   result.AddMessage("cccd.not_twelve_digits", {{"n_count", std::to_string(n)}});
  void AddMessage(const std::string& key, const MessageArgs& args = {}) {
    std::vector<const char*> names, values;
    for (const auto& [name, value] : args) {
      names.push_back(name.c_str());
      values.push_back(value.c_str());
    }
    sink_.add_message_words(sink_.ctx, key.c_str(), names.data(), values.data(), args.size());
  }
  // An indicator with its target; shown in results as `indicators` and in every report.
  void AddIndicator(const Indicator& indicator) {
    dqa_indicator d{};
    d.id = indicator.id.c_str();
    d.title = indicator.title.c_str();
    d.has_value = indicator.value ? 1 : 0;
    d.value = indicator.value.value_or(0);
    d.has_target = indicator.target ? 1 : 0;
    d.target = indicator.target.value_or(0);
    d.direction = indicator.higher ? DQA_DIRECTION_HIGHER : DQA_DIRECTION_LOWER;
    d.warn_within = indicator.warn_within;
    d.unit = indicator.unit.c_str();
    d.numerator = indicator.numerator;
    d.denominator = indicator.denominator;
    sink_.add_indicator(sink_.ctx, &d);
  }
  // Row key values of one violating row (query checks; the host samples row checks itself).
  void AddSample(const std::vector<std::string>& key_values) {
    std::vector<const char*> ptrs;
    ptrs.reserve(key_values.size());
    for (const std::string& v : key_values) ptrs.push_back(v.c_str());
    sink_.add_sample(sink_.ctx, ptrs.data(), ptrs.size());
  }

 private:
  const dqa_result_sink& sink_;
};

// A bound SQL parameter: NULL, integer, real or text.
using Bind = std::variant<std::nullptr_t, int64_t, double, std::string>;

// What a plugin asks the host to cluster (ABI 1.2): the parameters of a fuzzy_duplicate rule
// (docs/checks.md "Fuzzy duplicates"; the host validates them against that check type), plus the
// key columns that name each record in the answer (empty = the table's rowid, as "rowid").
struct FuzzyClusterRequest {
  std::string name;               // the full-name column (required)
  std::vector<std::string> same;  // fields that must agree (birth date)
  std::vector<std::string> also;  // fields that add evidence (commune, identity number)
  std::optional<double> threshold;  // the host's default (0.9) when absent
  std::vector<std::string> key;

  // The request as the JSON object fuzzy_clusters takes.
  std::string ToJson() const {
    std::string out = "{\"name\":" + detail::ToJson(name);
    if (!same.empty()) out += ",\"same\":" + detail::ToJson(same);
    if (!also.empty()) out += ",\"also\":" + detail::ToJson(also);
    if (threshold) out += ",\"threshold\":" + detail::ToJson(*threshold);
    if (!key.empty()) out += ",\"key\":" + detail::ToJson(key);
    return out + "}";
  }
};

// One clustered record (Query::FuzzyClusters).
struct ClusterRecord {
  int64_t group = 0;              // the cluster's number, from 1
  std::vector<std::string> key;   // the record's key values (text; "" for NULL)
  std::string matched_with;       // the key of the record it matched best (values joined by ", ")
  double probability = 0;         // of that match
  std::string agreement;          // how each field agreed: "ho_ten≈ ngay_sinh= so_cccd~"
};

// Read-only SQL on the source's snapshot (attached sources under their alias). Failures throw Error.
class Query {
 public:
  explicit Query(const dqa_query_api& api) : api_(api) {}

  // Calls fn(const Row&) for each row; fn returns void, or bool where false stops early.
  template <class Fn>
  void ForEach(const std::string& sql, const std::vector<Bind>& binds, Fn&& fn) const {
    Visit<std::remove_reference_t<Fn>> visit{&fn, nullptr};
    Run(sql, binds, &Visit<std::remove_reference_t<Fn>>::Call, &visit);
    visit.Rethrow();
  }
  void ForEach(const std::string& sql, const std::function<void(const Row&)>& fn) const {
    ForEach(sql, {}, fn);
  }
  // First column of the first row as a number; nullopt when there is no row or it is NULL.
  std::optional<double> Scalar(const std::string& sql, const std::vector<Bind>& binds = {}) const {
    std::optional<double> out;
    ForEach(sql, binds, [&](const Row& r) {
      out = r.DoubleAt(0);
      return false;
    });
    return out;
  }

  // ABI 1.2: the fuzzy-duplicate clusters of `table` ("table" or "alias.table"), computed by the
  // host exactly as a fuzzy_duplicate rule with the same parameters would. Calls fn(const Row&)
  // once per clustered record, with the columns group, the key columns (by name; "rowid" by
  // default), matched_with, probability and agreement; fn returns void, or bool where false stops.
  // Throws Error with the host's message for bad parameters or an unknown table or column.
  template <class Fn>
  void ForEachClusterRow(const std::string& table, const FuzzyClusterRequest& request,
                         Fn&& fn) const {
    ForEachClusterRow(table, request.ToJson(), std::forward<Fn>(fn));
  }
  // The same with the parameters as JSON text (the object FuzzyClusterRequest::ToJson writes).
  template <class Fn>
  void ForEachClusterRow(const std::string& table, const std::string& params, Fn&& fn) const {
    if (api_.fuzzy_clusters == nullptr) throw Error("the host does not provide fuzzy_clusters");
    Visit<std::remove_reference_t<Fn>> visit{&fn, nullptr};
    char err[1024] = {0};
    if (api_.fuzzy_clusters(api_.ctx, table.c_str(), params.c_str(),
                            &Visit<std::remove_reference_t<Fn>>::Call, &visit, err,
                            sizeof(err)) != DQA_OK) {
      visit.Rethrow();
      throw Error(std::string("fuzzy clusters failed: ") + err);
    }
    visit.Rethrow();
  }
  // The same, collected: every clustered record, clusters in the order of their first record.
  std::vector<ClusterRecord> FuzzyClusters(const std::string& table,
                                           const FuzzyClusterRequest& request) const {
    std::vector<ClusterRecord> out;
    ForEachClusterRow(table, request, [&](const Row& row) {
      const int n = row.ColumnCount();  // group, key..., matched_with, probability, agreement
      ClusterRecord r;
      r.group = row.IntAt(0).value_or(0);
      for (int i = 1; i < n - 3; ++i) r.key.emplace_back(row.TextAt(i).value_or(""));
      r.matched_with = std::string(row.TextAt(n - 3).value_or(""));
      r.probability = row.DoubleAt(n - 2).value_or(0);
      r.agreement = std::string(row.TextAt(n - 1).value_or(""));
      out.push_back(std::move(r));
    });
    return out;
  }

 private:
  // Adapts fn(const Row&) to dqa_row_callback; an exception is kept and rethrown after the host
  // returns, never unwound through the host's frames.
  template <class Fn>
  struct Visit {
    Fn* fn;
    std::exception_ptr error;
    static int Call(void* user, const dqa_row* row) {
      Visit& self = *static_cast<Visit*>(user);
      try {
        Row r(*row);
        if constexpr (std::is_same_v<decltype((*self.fn)(r)), bool>) {
          return (*self.fn)(r) ? 0 : 1;
        } else {
          (*self.fn)(r);
          return 0;
        }
      } catch (...) {
        self.error = std::current_exception();
        return 1;
      }
    }
    void Rethrow() const {
      if (error) std::rethrow_exception(error);
    }
  };

  void Run(const std::string& sql, const std::vector<Bind>& binds, dqa_row_callback cb,
           void* user) const {
    std::vector<dqa_value> values(binds.size());
    for (size_t i = 0; i < binds.size(); ++i) {
      dqa_value& v = values[i];
      v = dqa_value{DQA_VALUE_NULL, 0, 0, nullptr, 0};
      if (const auto* n = std::get_if<int64_t>(&binds[i])) {
        v.type = DQA_VALUE_INTEGER;
        v.int_value = *n;
      } else if (const auto* d = std::get_if<double>(&binds[i])) {
        v.type = DQA_VALUE_REAL;
        v.real_value = *d;
      } else if (const auto* s = std::get_if<std::string>(&binds[i])) {
        v.type = DQA_VALUE_TEXT;
        v.text = s->data();
        v.text_len = s->size();
      }
    }
    char err[1024] = {0};
    if (api_.query(api_.ctx, sql.c_str(), values.data(), values.size(), cb, user, err,
                   sizeof(err)) != DQA_OK) {
      throw Error(std::string("query failed: ") + err);
    }
  }

  const dqa_query_api& api_;
};

// A check evaluated on every row of its table inside the host's single table scan.
class RowCheck {
 public:
  virtual ~RowCheck() = default;
  // True when the row violates the check. Called only when the first column parameter is non-NULL.
  virtual bool Observe(const Row& row) = 0;
  // After the last row: add metrics or a message, or override the counts.
  virtual void Finish(Result& result) { (void)result; }
};

// A check that runs its own read-only SQL once per source and reports counts through Result.
class QueryCheck {
 public:
  virtual ~QueryCheck() = default;
  virtual void Run(const Query& query, Result& result) = 0;
};

// Descriptor + factory of one check (built by MakeRowCheck / MakeQueryCheck).
struct CheckDef {
  const char* name;
  const char* description;
  const char* dimension;
  dqa_check_kind kind;
  std::vector<Param> params;
  std::function<std::unique_ptr<RowCheck>(const Params&)> make_row;
  std::function<std::unique_ptr<QueryCheck>(const Params&)> make_query;
};

// What DQA_PLUGIN lists after the description: checks, and at most one Messages.
struct PluginPart {
  PluginPart(CheckDef def) : check(std::move(def)) {}  // NOLINT(google-explicit-constructor)
  PluginPart(Messages m) : messages(std::move(m)) {}   // NOLINT(google-explicit-constructor)
  std::optional<CheckDef> check;
  std::optional<Messages> messages;
};

// T derives from RowCheck and has a constructor T(const Params&).
template <class T>
CheckDef MakeRowCheck(const char* name, const char* description, const char* dimension,
                      std::vector<Param> params) {
  return CheckDef{name, description, dimension, DQA_CHECK_ROW, std::move(params),
                  [](const Params& p) { return std::unique_ptr<RowCheck>(std::make_unique<T>(p)); },
                  nullptr};
}

// T derives from QueryCheck and has a constructor T(const Params&).
template <class T>
CheckDef MakeQueryCheck(const char* name, const char* description, const char* dimension,
                        std::vector<Param> params) {
  return CheckDef{name, description, dimension, DQA_CHECK_QUERY, std::move(params), nullptr,
                  [](const Params& p) { return std::unique_ptr<QueryCheck>(std::make_unique<T>(p)); }};
}

}  // namespace dqa::sdk

#include "dqaudit/detail/entry.h"

// Defines the plugin's only exported symbol, dqa_plugin_entry. Use once per plugin library:
//   DQA_PLUGIN(name, version, sector, description, Messages({...}), MakeRowCheck<A>(...), ...)
#define DQA_PLUGIN(NAME, VERSION, SECTOR, DESCRIPTION, ...)                                \
  namespace {                                                                              \
  struct DqaPluginDefinition {                                                             \
    static ::dqa::sdk::detail::PluginData* Make() {                                        \
      static ::dqa::sdk::detail::PluginData data(NAME, VERSION, SECTOR, DESCRIPTION,       \
                                                 {__VA_ARGS__});                           \
      return &data;                                                                        \
    }                                                                                      \
  };                                                                                       \
  }                                                                                        \
  extern "C" DQA_PLUGIN_EXPORT const dqa_plugin* dqa_plugin_entry(void) {                  \
    return ::dqa::sdk::detail::Entry<DqaPluginDefinition>::Descriptor();                   \
  }
