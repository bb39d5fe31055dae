#include "core/worker/messages.h"

#include <fmt/format.h>

#include <cmath>
#include <limits>

namespace dqa::worker {
namespace {

using nlohmann::json;

// JSON has no NaN or infinity: they travel as strings so a round trip is exact.
json EncodeDouble(double d) {
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
  return d;
}

double DecodeDouble(const json& j) {
  if (j.is_string()) {
    const auto& s = j.get_ref<const std::string&>();
    if (s == "nan") return std::numeric_limits<double>::quiet_NaN();
    if (s == "inf") return std::numeric_limits<double>::infinity();
    if (s == "-inf") return -std::numeric_limits<double>::infinity();
    throw json::type_error::create(302, "expected a number, got \"" + s + "\"", &j);
  }
  return j.get<double>();
}

// Integer fields must be JSON integers that fit the field: nlohmann's get<int>() of 1e300 is
// undefined behaviour, and of 4294967296 wraps (found by tests/fuzz/worker_stream_fuzz.cc; the
// stream comes from a process that runs plugin code).
template <typename T>
T GetInteger(const json& j) {
  if (!j.is_number_integer()) {
    throw json::type_error::create(302, fmt::format("expected an integer, got {}", j.dump()), &j);
  }
  const bool fits = j.is_number_unsigned()
                        ? j.get<uint64_t>() <= static_cast<uint64_t>(std::numeric_limits<T>::max())
                        : j.get<int64_t>() >= std::numeric_limits<T>::min() &&
                              j.get<int64_t>() <= std::numeric_limits<T>::max();
  if (!fits) throw json::out_of_range::create(406, fmt::format("{} is out of range", j.dump()), &j);
  return static_cast<T>(j.get<int64_t>());
}

json OptInt(const std::optional<int64_t>& v) { return v ? json(*v) : json(nullptr); }
json OptDouble(const std::optional<double>& v) { return v ? EncodeDouble(*v) : json(nullptr); }

std::optional<int64_t> GetOptInt(const json& j, const char* key) {
  const json& v = j.at(key);
  if (v.is_null()) return std::nullopt;
  return GetInteger<int64_t>(v);
}
std::optional<double> GetOptDouble(const json& j, const char* key) {
  const json& v = j.at(key);
  if (v.is_null()) return std::nullopt;
  return DecodeDouble(v);
}

// Enum fields use the model's own names; an unknown name is a decoding error.
template <typename T>
T ParseEnum(const json& j, const char* key, std::optional<T> (*parse)(std::string_view)) {
  const std::string s = j.at(key).get<std::string>();
  const std::optional<T> v = parse(s);
  if (!v) throw json::other_error::create(501, fmt::format("unknown {} '{}'", key, s), &j);
  return *v;
}

json EncodeLimits(const Limits& l) {
  return {{"max_count", OptInt(l.max_count)}, {"max_percent", OptDouble(l.max_percent)}};
}
Limits DecodeLimits(const json& j) {
  Limits l;
  l.max_count = GetOptInt(j, "max_count");
  l.max_percent = GetOptDouble(j, "max_percent");
  return l;
}

json EncodeThresholds(const Thresholds& t) {
  return {{"warn", EncodeLimits(t.warn)}, {"fail", EncodeLimits(t.fail)}};
}
Thresholds DecodeThresholds(const json& j) {
  return {DecodeLimits(j.at("warn")), DecodeLimits(j.at("fail"))};
}

json EncodeLocation(const SourceLocation& l) {
  return {{"file", l.file}, {"line", l.line}, {"column", l.column}};
}
SourceLocation DecodeLocation(const json& j) {
  return {j.at("file").get<std::string>(), GetInteger<int>(j.at("line")), GetInteger<int>(j.at("column"))};
}

// `by` entries travel as objects; a plan without them (an older supervisor) has none.
json EncodeBy(const std::vector<BySpec>& by) {
  json out = json::array();
  for (const BySpec& b : by) {
    out.push_back({{"column", b.column},
                   {"map_table", b.map_table},
                   {"map_key", b.map_key},
                   {"map_unit", b.map_unit},
                   {"label_table", b.label_table},
                   {"label_key", b.label_key},
                   {"label_column", b.label_column}});
  }
  return out;
}
std::vector<BySpec> DecodeBy(const json& j) {
  std::vector<BySpec> out;
  for (const json& b : j) {
    BySpec one{b.at("column").get<std::string>(), b.at("map_table").get<std::string>(),
               b.at("map_key").get<std::string>(), b.at("map_unit").get<std::string>()};
    if (b.contains("label_table")) {
      one.label_table = b.at("label_table").get<std::string>();
      one.label_key = b.at("label_key").get<std::string>();
      one.label_column = b.at("label_column").get<std::string>();
    }
    out.push_back(std::move(one));
  }
  return out;
}

json EncodeBreakdowns(const std::vector<Breakdown>& breakdowns) {
  json out = json::array();
  for (const Breakdown& b : breakdowns) {
    json units = json::array();
    for (const UnitFigures& u : b.units) {
      units.push_back({u.unit, u.violations, u.rows_checked, EncodeDouble(u.percent),
                       OptDouble(u.value), u.label});
    }
    out.push_back({{"by", b.by}, {"units", std::move(units)}});
  }
  return out;
}
std::vector<Breakdown> DecodeBreakdowns(const json& j) {
  std::vector<Breakdown> out;
  for (const json& b : j) {
    Breakdown one{b.at("by").get<std::string>(), {}};
    for (const json& u : b.at("units")) {
      one.units.push_back({u.at(0).get<std::string>(), GetInteger<int64_t>(u.at(1)),
                           GetInteger<int64_t>(u.at(2)), DecodeDouble(u.at(3)),
                           u.at(4).is_null() ? std::nullopt
                                             : std::optional<double>(DecodeDouble(u.at(4))),
                           u.size() > 5 ? u.at(5).get<std::string>() : std::string()});
    }
    out.push_back(std::move(one));
  }
  return out;
}

json EncodeCheckSpec(const CheckSpec& c) {
  return {{"id", c.id},
          {"by", EncodeBy(c.by)},
          {"type", c.type},
          {"table", c.table},
          {"columns", c.columns},
          {"title", c.title},
          {"dimension", ToString(c.dimension)},
          {"severity", ToString(c.severity)},
          {"thresholds", EncodeThresholds(c.thresholds)},
          {"where", c.where},
          {"params", c.params},
          {"unavailable", c.unavailable},
          {"baseline", c.baseline},
          {"location", EncodeLocation(c.location)}};
}

CheckSpec DecodeCheckSpec(const json& j) {
  CheckSpec c;
  c.id = j.at("id").get<std::string>();
  c.type = j.at("type").get<std::string>();
  c.table = j.at("table").get<std::string>();
  c.columns = j.at("columns").get<std::vector<std::string>>();
  c.dimension = ParseEnum<Dimension>(j, "dimension", &ParseDimension);
  c.severity = ParseEnum<Severity>(j, "severity", &ParseSeverity);
  c.thresholds = DecodeThresholds(j.at("thresholds"));
  c.where = j.at("where").get<std::string>();
  // The parameters travel as the rule gave them; each check type reads its own.
  c.params = j.at("params");
  if (!c.params.is_object()) {
    throw json::type_error::create(302, "check params must be an object", &j);
  }
  c.unavailable = j.at("unavailable").get<std::string>();
  if (j.contains("baseline")) c.baseline = j.at("baseline");
  c.location = DecodeLocation(j.at("location"));
  if (j.contains("by")) c.by = DecodeBy(j.at("by"));
  if (j.contains("title")) c.title = j.at("title").get<std::map<std::string, std::string>>();
  return c;
}

json EncodeTable(const TableSpec& t) {
  json checks = json::array();
  for (const CheckSpec& c : t.checks) checks.push_back(EncodeCheckSpec(c));
  return {{"name", t.name},
          {"key", t.key},
          {"filter", t.filter},
          {"checks", std::move(checks)},
          {"location", EncodeLocation(t.location)}};
}

TableSpec DecodeTable(const json& j) {
  TableSpec t;
  t.name = j.at("name").get<std::string>();
  t.key = j.at("key").get<std::vector<std::string>>();
  t.filter = j.at("filter").get<std::string>();
  for (const json& c : j.at("checks")) t.checks.push_back(DecodeCheckSpec(c));
  t.location = DecodeLocation(j.at("location"));
  return t;
}

json EncodeSource(const SourceSpec& s) {
  json tables = json::array();
  for (const TableSpec& t : s.tables) tables.push_back(EncodeTable(t));
  return {{"id", s.id},
          {"department", s.department},
          {"sector", s.sector},
          {"database", s.database},
          {"db_path", s.db_path},
          {"connection", s.connection},
          {"attach", s.attach},
          {"today_day", OptInt(s.today_day)},
          {"utc_offset_minutes", s.utc_offset_minutes ? json(*s.utc_offset_minutes) : json(nullptr)},
          {"tables", std::move(tables)},
          {"rule_file", s.rule_file},
          {"location", EncodeLocation(s.location)}};
}

SourceSpec DecodeSource(const json& j) {
  SourceSpec s;
  s.id = j.at("id").get<std::string>();
  s.department = j.at("department").get<std::string>();
  s.sector = j.at("sector").get<std::string>();
  s.database = j.at("database").get<std::string>();
  s.db_path = j.at("db_path").get<std::string>();
  s.connection = j.value("connection", std::string());
  s.attach = j.at("attach").get<std::map<std::string, std::string>>();
  s.today_day = GetOptInt(j, "today_day");
  if (const std::optional<int64_t> offset = GetOptInt(j, "utc_offset_minutes")) {
    s.utc_offset_minutes = static_cast<int>(*offset);
  }
  for (const json& t : j.at("tables")) s.tables.push_back(DecodeTable(t));
  s.rule_file = j.at("rule_file").get<std::string>();
  s.location = DecodeLocation(j.at("location"));
  return s;
}

// Runs a decoder, turning nlohmann's exceptions into InvalidArgument (nothing throws out).
template <typename T, typename F>
Result<T> Decode(const char* what, const json& j, F decode) {
  try {
    return decode(j);
  } catch (const json::exception& e) {
    return InvalidArgument(fmt::format("bad {} message: {}", what, e.what()));
  }
}

}  // namespace

json EncodePlan(const SourcePlan& p) {
  json j = {{"source", EncodeSource(p.source)},
          {"attach_paths", p.attach_paths},
          {"now_unix", p.now_unix},
          {"today_day", p.today_day},
          {"samples", p.samples},
          {"statement_budget_ms", p.statement_budget_ms},
          {"scan_threads", p.scan_threads},
          {"range_state_dir", p.range_state_dir},
          {"reuse_range_states", p.reuse_range_states},
          {"full_rescan_after_s", p.full_rescan_after_s},
          {"plugin_files", p.plugin_files},
          {"disabled_plugins", p.disabled_plugins},
          {"disabled_reasons", p.disabled_reasons}};
  j["plugin_sectors"] = p.plugin_sectors;
  return j;
}

Result<SourcePlan> DecodePlan(const json& j) {
  return Decode<SourcePlan>("plan", j, [](const json& v) {
    SourcePlan p;
    p.source = DecodeSource(v.at("source"));
    p.attach_paths = v.at("attach_paths").get<std::map<std::string, std::string>>();
    p.now_unix = GetInteger<int64_t>(v.at("now_unix"));
    p.today_day = GetInteger<int64_t>(v.at("today_day"));
    p.samples = GetInteger<int>(v.at("samples"));
    p.statement_budget_ms = GetInteger<int64_t>(v.at("statement_budget_ms"));
    p.scan_threads = GetInteger<int>(v.at("scan_threads"));
    p.range_state_dir = v.at("range_state_dir").get<std::string>();
    p.reuse_range_states = v.at("reuse_range_states").get<bool>();
    p.full_rescan_after_s = GetInteger<int64_t>(v.at("full_rescan_after_s"));
    p.plugin_files = v.at("plugin_files").get<std::vector<std::string>>();
    p.disabled_plugins = v.at("disabled_plugins").get<std::vector<std::string>>();
    p.disabled_reasons = v.at("disabled_reasons").get<std::vector<std::string>>();
    p.plugin_sectors = v.at("plugin_sectors").get<std::vector<std::string>>();
    return p;
  });
}

json EncodeCheckResult(const CheckResult& r) {
  json j = {{"id", r.id},
          {"type", r.type},
          {"source", r.source},
          {"table", r.table},
          {"columns", r.columns},
          {"dimension", ToString(r.dimension)},
          {"severity", ToString(r.severity)},
          {"outcome", ToString(r.outcome)},
          {"violations", r.violations},
          {"rows_checked", r.rows_checked},
          {"percent", EncodeDouble(r.percent)},
          {"groups", OptInt(r.groups)},
          {"unparseable", OptInt(r.unparseable)},
          {"value", OptDouble(r.value)},
          {"thresholds", EncodeThresholds(r.thresholds)},
          {"key_columns", r.key_columns},
          {"samples", r.samples},
          {"message", r.message},
          {"duration_ms", EncodeDouble(r.duration_ms)}};
  json metrics = json::array();
  for (const auto& [name, value] : r.metrics) metrics.push_back({name, EncodeDouble(value)});
  j["metrics"] = std::move(metrics);
  if (!r.failing_rows.empty() || r.failing_rows_total > 0) {
    j["failing_rows"] = r.failing_rows;
    j["failing_rows_total"] = r.failing_rows_total;
  }
  if (!r.profile.empty()) j["profile"] = r.profile;
  if (!r.message_key.empty()) {
    j["message_key"] = r.message_key;
    j["message_args"] = r.message_args;
  }
  if (!r.title.empty()) j["title"] = r.title;
  if (!r.indicators.empty()) {
    json indicators = json::array();
    for (const Indicator& i : r.indicators) {
      indicators.push_back({{"id", i.id},
                            {"title", i.title},
                            {"value", OptDouble(i.value)},
                            {"target", OptDouble(i.target)},
                            {"direction", ToString(i.direction)},
                            {"warn_within", EncodeDouble(i.warn_within)},
                            {"unit", i.unit},
                            {"numerator", i.numerator},
                            {"denominator", i.denominator}});
    }
    j["indicators"] = std::move(indicators);
  }
  if (!r.breakdowns.empty()) j["breakdowns"] = EncodeBreakdowns(r.breakdowns);
  return j;
}

Result<CheckResult> DecodeCheckResult(const json& j) {
  return Decode<CheckResult>("result", j, [](const json& v) {
    CheckResult r;
    r.id = v.at("id").get<std::string>();
    r.type = v.at("type").get<std::string>();
    r.source = v.at("source").get<std::string>();
    r.table = v.at("table").get<std::string>();
    r.columns = v.at("columns").get<std::vector<std::string>>();
    r.dimension = ParseEnum<Dimension>(v, "dimension", &ParseDimension);
    r.severity = ParseEnum<Severity>(v, "severity", &ParseSeverity);
    r.outcome = ParseEnum<Outcome>(v, "outcome", &ParseOutcome);
    r.violations = GetInteger<int64_t>(v.at("violations"));
    r.rows_checked = GetInteger<int64_t>(v.at("rows_checked"));
    r.percent = DecodeDouble(v.at("percent"));
    r.groups = GetOptInt(v, "groups");
    r.unparseable = GetOptInt(v, "unparseable");
    r.value = GetOptDouble(v, "value");
    r.thresholds = DecodeThresholds(v.at("thresholds"));
    r.key_columns = v.at("key_columns").get<std::vector<std::string>>();
    r.samples = v.at("samples").get<std::vector<std::vector<std::string>>>();
    r.message = v.at("message").get<std::string>();
    r.duration_ms = DecodeDouble(v.at("duration_ms"));
    for (const json& m : v.at("metrics")) {
      r.metrics.emplace_back(m.at(0).get<std::string>(), DecodeDouble(m.at(1)));
    }
    if (v.contains("failing_rows")) {
      r.failing_rows = v.at("failing_rows").get<std::vector<std::vector<std::string>>>();
      r.failing_rows_total = GetInteger<int64_t>(v.at("failing_rows_total"));
    }
    if (v.contains("profile")) r.profile = v.at("profile").get<std::string>();
    if (v.contains("message_key")) {
      r.message_key = v.at("message_key").get<std::string>();
      r.message_args =
          v.at("message_args").get<std::vector<std::pair<std::string, std::string>>>();
    }
    if (v.contains("title")) r.title = v.at("title").get<std::map<std::string, std::string>>();
    if (v.contains("indicators")) {
      for (const json& m : v.at("indicators")) {
        Indicator i;
        i.id = m.at("id").get<std::string>();
        i.title = m.at("title").get<std::string>();
        i.value = GetOptDouble(m, "value");
        i.target = GetOptDouble(m, "target");
        i.direction = ParseEnum<Direction>(m, "direction", &ParseDirection);
        i.warn_within = DecodeDouble(m.at("warn_within"));
        i.unit = m.at("unit").get<std::string>();
        i.numerator = GetInteger<int64_t>(m.at("numerator"));
        i.denominator = GetInteger<int64_t>(m.at("denominator"));
        r.indicators.push_back(std::move(i));
      }
    }
    if (v.contains("breakdowns")) r.breakdowns = DecodeBreakdowns(v.at("breakdowns"));
    return r;
  });
}

json EncodeSourceHeader(const SourceResult& r) {
  return {{"source", r.source},
          {"department", r.department},
          {"database", r.database},
          {"error", r.error},
          {"started_unix_ms", r.started_unix_ms},
          {"finished_unix_ms", r.finished_unix_ms}};
}

Result<SourceResult> DecodeSourceHeader(const json& j) {
  return Decode<SourceResult>("source-done", j, [](const json& v) {
    SourceResult r;
    r.source = v.at("source").get<std::string>();
    r.department = v.at("department").get<std::string>();
    r.database = v.at("database").get<std::string>();
    r.error = v.at("error").get<std::string>();
    r.started_unix_ms = GetInteger<int64_t>(v.at("started_unix_ms"));
    r.finished_unix_ms = GetInteger<int64_t>(v.at("finished_unix_ms"));
    return r;
  });
}

json EncodeLog(const LogLine& m) { return {{"level", m.level}, {"message", m.message}}; }
Result<LogLine> DecodeLog(const json& j) {
  return Decode<LogLine>("log", j, [](const json& v) {
    return LogLine{v.at("level").get<std::string>(), v.at("message").get<std::string>()};
  });
}

json EncodeHello(const Hello& m) {
  return {{"protocol", m.protocol}, {"pid", m.pid}, {"version", m.version}};
}
Result<Hello> DecodeHello(const json& j) {
  return Decode<Hello>("hello", j, [](const json& v) {
    return Hello{GetInteger<int>(v.at("protocol")), GetInteger<int64_t>(v.at("pid")),
                 v.at("version").get<std::string>()};
  });
}

std::string DumpPayload(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

Result<json> ParsePayload(const std::string& text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    const std::string head = text.substr(0, 40);
    return InvalidArgument(fmt::format("payload is not JSON: {}", DumpPayload(json(head))));
  }
  return j;
}

}  // namespace dqa::worker
