// Worker message payloads: complete round trips of SourcePlan (a check of every catalogue type) and
// CheckResult (every field), and errors for malformed payloads.
#include "core/worker/messages.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>

#include "core/checks/catalog.h"

namespace dqa::worker {
namespace {

using nlohmann::json;

// Parameters, as the rule parser produces them, for every built-in type of the catalogue (every
// parameter given, values away from their defaults).
json ParamsFor(const std::string& type) {
  static const std::map<std::string, json> params = {
      {"row_count", {{"min", 10}, {"max", 20}}},
      {"missing", {{"columns", {"a"}}, {"missing_values", {"N/A", "-"}}, {"blank_is_missing", false}}},
      {"duplicate", {{"columns", {"a", "b"}}, {"normalize", "fold"}}},
      {"fuzzy_duplicate", {{"name", "a"}, {"same", {"b"}}, {"also", {"c"}}, {"threshold", 0.95},
                           {"max_block", 200}, {"date_format", "dmy"}}},
      {"standard_text", {{"columns", {"a", "b"}}, {"flag", {"legacy", "not_nfc"}}}},
      {"freshness", {{"column", "a"}, {"max_age", "30d"}, {"date_format", "dmy"}}},
      {"stale", {{"column", "a"}, {"older_than", "2w"}, {"date_format", "dmy"}}},
      {"pattern", {{"column", "a"}, {"regex", {"^0[35789][0-9]{8}$", ""}}, {"match", "all"},
                   {"must_not_match", true}}},
      // `values` and `forbidden` exclude each other: `forbidden` is the one away from the default.
      {"allowed", {{"column", "a"}, {"forbidden", {"Nam", "Nữ"}}, {"compare", "typed"},
                   {"normalize", false}}},
      {"range", {{"column", "a"}, {"min", "1960-01-01"}, {"max", "today-120y"},
                 {"min_exclusive", true}, {"max_exclusive", true}, {"date_format", "dmy"}}},
      {"reference", {{"column", "a"}, {"table", "civil.dm_xa"}, {"ref_column", "ma_xa"}}},
      {"coverage", {{"column", "a"}, {"expected", {{"table", "dm_xa"}, {"column", "ma_xa"}}}, {"min_rows", 3}}},
      {"condition", {{"invalid_when", "ngay_tra_kq < ngay_tiep_nhan"}}},
      {"sql", {{"query", "SELECT COUNT(*) FROM t"}, {"min", -1.5}}},
      {"schema", {{"columns", {{"a", "text"}, {"b", "date"}}}, {"allow_extra", false}}},
      {"reconcile", {{"sum", "a"}, {"group_by", {"b", "c"}}, {"where", "trang_thai = 'da_mat'"},
                     {"against", {{"table", "civil.khai_tu"}, {"measure", "count"},
                                  {"group_by", {"noi", "x"}}, {"where", "loai = 'tu'"}}},
                     {"tolerance", {{"absolute", 2}, {"percent", 2.5}}}}},
      {"metric", {{"column", "a"}, {"stat", "quantile"}, {"q", 0.95}, {"min", "2000-01-01"},
                  {"max", "today"}, {"date_format", "dmy"}}},
      {"drift", {{"column", "a"}, {"stats", {"null_rate", "quantiles"}}, {"max_change_percent", 12.5},
                 {"runs", 3}, {"date_format", "iso"}}},
      {"indicator", {{"numerator", "ngay_tra_kq <= ngay_hen_tra"},
                     {"denominator", "ngay_tra_kq IS NOT NULL"}, {"target", 98.5},
                     {"direction", "lower"}, {"warn_within", 2}, {"unit", "percent"},
                     {"title", "Hồ sơ đúng hạn"}}},
  };
  const auto it = params.find(type);
  return it == params.end() ? json::object() : it->second;
}

// One check per built-in type of the catalogue, and one plugin check whose library was refused,
// every field away from its default.
std::vector<CheckSpec> EveryCheck() {
  std::vector<CheckSpec> checks;
  const std::vector<std::string_view> types = Catalog().BuiltinNames();
  for (size_t i = 0; i <= types.size(); ++i) {
    CheckSpec c;
    c.id = "check" + std::to_string(i);
    c.type = i < types.size() ? std::string(types[i]) : "population.cccd";
    c.table = "cong_dan";
    c.columns = {"a", "b"};
    c.dimension = Dimension::kFreshness;
    c.severity = Severity::kCritical;
    c.thresholds.warn.max_percent = 0.5;
    c.thresholds.fail.max_count = static_cast<int64_t>(i);
    c.where = "trang_thai = 'song'";
    c.title = {{"vi", "Kiểm tra số " + std::to_string(i)}, {"en", "Check " + std::to_string(i)}};
    if (i < types.size()) {
      c.params = ParamsFor(c.type);
      EXPECT_FALSE(c.params.empty()) << "no parameters written for type " << c.type;
    } else {
      c.params = {{"column", "so_cccd"}, {"gender", "gioi_tinh"}};
      c.unavailable = "plugin population unavailable: /p/population.so is group-writable";
    }
    c.location = {"/r/population.yaml", static_cast<int>(i) + 3, 7};
    if (c.type == "drift") {  // the profiles of earlier runs, passed down by the audit pipeline
      c.baseline = json::array({{{"rows", 10}, {"top", {{"1900-01-01", 4}}}}, {{"rows", 12}}});
    }
    if (i % 2 == 0) {
      c.by = {{"ma_xa", "catalog.dm_xa", "ma_xa", "ma_huyen", "catalog.dm_xa", "ma_huyen",
               "ten_huyen"},
              {"ma_xa", "", "", ""}};
    }
    checks.push_back(c);
  }
  return checks;
}

SourcePlan FullPlan() {
  SourcePlan p;
  p.source.id = "population";
  p.source.department = "Công an tỉnh";
  p.source.sector = "population";
  p.source.database = "sqlite:data/population.db";
  p.source.db_path = "/data/population.db";
  p.source.attach = {{"civil", "civil_registration"}};
  p.source.today_day = 20758;
  p.source.utc_offset_minutes = -210;  // -03:30
  p.source.rule_file = "/r/population.yaml";
  p.source.location = {"/r/population.yaml", 1, 1};
  TableSpec t;
  t.name = "cong_dan";
  t.key = {"id", "ma_xa"};
  t.filter = "trang_thai <> 'thu_nghiem'";
  t.checks = EveryCheck();
  t.location = {"/r/population.yaml", 9, 3};
  p.source.tables = {t, TableSpec{"empty", {}, "", {}, {}}};
  p.attach_paths = {{"civil", "/data/civil.db"}};
  p.now_unix = 1793491200;
  p.today_day = 20758;
  p.samples = 9;
  p.statement_budget_ms = 1234;
  p.plugin_files = {"/p/population.so"};
  p.disabled_plugins = {"crashy", "other"};
  p.disabled_reasons = {"worker killed by SIGSEGV", "quarantined after it timed out (30 s)"};
  p.plugin_sectors = {"population"};
  return p;
}




TEST(WorkerMessagesTest, PlanRoundTripKeepsEveryField) {
  const SourcePlan in = FullPlan();
  // Through text, as on the pipe.
  auto parsed = ParsePayload(DumpPayload(EncodePlan(in)));
  ASSERT_TRUE(parsed.ok());
  auto out = DecodePlan(*parsed);
  ASSERT_TRUE(out.ok()) << out.status().message();
  const SourceSpec& a = in.source;
  const SourceSpec& b = out->source;
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.department, b.department);
  EXPECT_EQ(a.sector, b.sector);
  EXPECT_EQ(a.database, b.database);
  EXPECT_EQ(a.db_path, b.db_path);
  EXPECT_EQ(a.attach, b.attach);
  EXPECT_EQ(a.today_day, b.today_day);
  EXPECT_EQ(a.utc_offset_minutes, b.utc_offset_minutes);
  EXPECT_EQ(b.utc_offset_minutes, -210);
  EXPECT_EQ(a.rule_file, b.rule_file);
  EXPECT_EQ(a.location.ToString(), b.location.ToString());
  ASSERT_EQ(a.tables.size(), b.tables.size());
  for (size_t t = 0; t < a.tables.size(); ++t) {
    const TableSpec& ta = a.tables[t];
    const TableSpec& tb = b.tables[t];
    EXPECT_EQ(ta.name, tb.name);
    EXPECT_EQ(ta.key, tb.key);
    EXPECT_EQ(ta.filter, tb.filter);
    EXPECT_EQ(ta.location.ToString(), tb.location.ToString());
    ASSERT_EQ(ta.checks.size(), tb.checks.size());
    for (size_t i = 0; i < ta.checks.size(); ++i) {
      const CheckSpec& ca = ta.checks[i];
      const CheckSpec& cb = tb.checks[i];
      SCOPED_TRACE(ca.type);
      EXPECT_EQ(ca.id, cb.id);
      EXPECT_EQ(ca.type, cb.type);
      EXPECT_EQ(ca.table, cb.table);
      EXPECT_EQ(ca.columns, cb.columns);
      EXPECT_EQ(ca.dimension, cb.dimension);
      EXPECT_EQ(ca.severity, cb.severity);
      EXPECT_EQ(ca.thresholds, cb.thresholds);
      EXPECT_EQ(ca.where, cb.where);
      EXPECT_EQ(ca.title, cb.title);
      EXPECT_EQ(ca.location.ToString(), cb.location.ToString());
      EXPECT_EQ(ca.params, cb.params);
      EXPECT_EQ(ca.unavailable, cb.unavailable);
      EXPECT_EQ(ca.baseline, cb.baseline);
      EXPECT_EQ(ca.by, cb.by);
    }
  }
  EXPECT_EQ(in.attach_paths, out->attach_paths);
  EXPECT_EQ(in.now_unix, out->now_unix);
  EXPECT_EQ(in.today_day, out->today_day);
  EXPECT_EQ(in.samples, out->samples);
  EXPECT_EQ(in.statement_budget_ms, out->statement_budget_ms);
  EXPECT_EQ(in.plugin_files, out->plugin_files);
  EXPECT_EQ(in.disabled_plugins, out->disabled_plugins);
  EXPECT_EQ(in.disabled_reasons, out->disabled_reasons);
  EXPECT_EQ(out->plugin_sectors, std::vector<std::string>{"population"});
  // Nothing the decoder ignores: encoding the decoded plan gives the same document.
  EXPECT_EQ(EncodePlan(*out), EncodePlan(in));
}

TEST(WorkerMessagesTest, DefaultPlanRoundTrips) {
  const SourcePlan in;
  auto out = DecodePlan(EncodePlan(in));
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(EncodePlan(*out), EncodePlan(in));
  EXPECT_FALSE(out->source.today_day.has_value());
}

CheckResult FullResult() {
  CheckResult r;
  r.id = "duplicate:cong_dan.so_cccd";
  r.type = "duplicate";
  r.source = "population";
  r.table = "cong_dan";
  r.columns = {"so_cccd"};
  r.title = {{"vi", "Số CCCD trùng"}, {"en", "Duplicate ID card numbers"}};
  r.dimension = Dimension::kUniqueness;
  r.severity = Severity::kWarn;
  r.outcome = Outcome::kWarn;
  r.violations = 37;
  r.rows_checked = 7012;
  r.percent = 100.0 * 37 / 7012;
  r.groups = 12;
  r.unparseable = 4;
  r.value = 0.1 + 0.2;  // not exactly representable in short decimal: must survive exactly
  r.thresholds.warn.max_count = 0;
  r.thresholds.fail.max_percent = 1.25;
  r.key_columns = {"id", "ma_xa"};
  r.samples = {{"1", "Phường Đông"}, {"2", ""}};
  r.message = "37 of 7012 rows (0.53%) are duplicates";
  r.duration_ms = 12.345678;
  r.metrics = {{"cashless_coverage_percent", 87.5}, {"n", 3}};
  r.failing_rows = {{"1", "Phường Đông"}, {"2", ""}, {"9", "X"}};
  r.failing_rows_total = 40;
  r.profile = R"({"rows":10,"nulls":2})";
  r.indicators = {{.id = "ho_so_dung_han", .title = "Hồ sơ đúng hạn", .value = 100.0 / 3,
                   .target = 98.5, .direction = Direction::kHigher, .warn_within = 2,
                   .unit = "percent", .numerator = 1, .denominator = 3},
                  {.id = "no_target", .direction = Direction::kLower}};
  r.breakdowns = {{"ma_huyen", {{"815", 3, 7, 100.0 * 3 / 7, std::nullopt, "Thành phố Mỹ Tho"}, {"(không xác định)", 0, 2, 0, 1.5}}},
                  {"ma_xa", {}}};
  return r;
}

TEST(WorkerMessagesTest, CheckResultRoundTripKeepsEveryField) {
  const CheckResult in = FullResult();
  auto parsed = ParsePayload(DumpPayload(EncodeCheckResult(in)));
  ASSERT_TRUE(parsed.ok());
  auto out = DecodeCheckResult(*parsed);
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(out->id, in.id);
  EXPECT_EQ(out->type, in.type);
  EXPECT_EQ(out->source, in.source);
  EXPECT_EQ(out->table, in.table);
  EXPECT_EQ(out->columns, in.columns);
  EXPECT_EQ(out->title, in.title);
  EXPECT_EQ(out->dimension, in.dimension);
  EXPECT_EQ(out->severity, in.severity);
  EXPECT_EQ(out->outcome, in.outcome);
  EXPECT_EQ(out->violations, in.violations);
  EXPECT_EQ(out->rows_checked, in.rows_checked);
  EXPECT_EQ(out->percent, in.percent);  // bit-exact
  EXPECT_EQ(out->groups, in.groups);
  EXPECT_EQ(out->unparseable, in.unparseable);
  EXPECT_EQ(out->value, in.value);
  EXPECT_EQ(out->thresholds, in.thresholds);
  EXPECT_EQ(out->key_columns, in.key_columns);
  EXPECT_EQ(out->samples, in.samples);
  EXPECT_EQ(out->message, in.message);
  EXPECT_EQ(out->duration_ms, in.duration_ms);
  EXPECT_EQ(out->metrics, in.metrics);
  EXPECT_EQ(out->failing_rows, in.failing_rows);
  EXPECT_EQ(out->failing_rows_total, 40);
  EXPECT_EQ(out->profile, in.profile);
  EXPECT_EQ(out->indicators, in.indicators);  // bit-exact values, unset value and target kept
  EXPECT_EQ(out->breakdowns, in.breakdowns);
  EXPECT_EQ(EncodeCheckResult(*out), EncodeCheckResult(in));
}

TEST(WorkerMessagesTest, UnsetOptionalsAndNonFiniteNumbersRoundTrip) {
  CheckResult in;
  in.value = std::numeric_limits<double>::infinity();
  in.percent = std::numeric_limits<double>::quiet_NaN();
  in.duration_ms = -std::numeric_limits<double>::infinity();
  auto out = DecodeCheckResult(*ParsePayload(DumpPayload(EncodeCheckResult(in))));
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_FALSE(out->groups.has_value());
  EXPECT_FALSE(out->unparseable.has_value());
  ASSERT_TRUE(out->value.has_value());
  EXPECT_TRUE(std::isinf(*out->value) && *out->value > 0);
  EXPECT_TRUE(std::isnan(out->percent));
  EXPECT_TRUE(std::isinf(out->duration_ms) && out->duration_ms < 0);
}

TEST(WorkerMessagesTest, InvalidUtf8InSamplesIsReplacedNotFatal) {
  CheckResult in;
  in.samples = {{std::string("ab\xff", 3)}};
  auto out = DecodeCheckResult(*ParsePayload(DumpPayload(EncodeCheckResult(in))));
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->samples[0][0], "ab\xEF\xBF\xBD");
}

TEST(WorkerMessagesTest, SourceHeaderAndSmallMessagesRoundTrip) {
  SourceResult in;
  in.source = "civil";
  in.department = "Sở Tư pháp";
  in.database = "sqlite:civil.db";
  in.error = "cannot open";
  in.started_unix_ms = 1;
  in.finished_unix_ms = 2;
  in.results.push_back(FullResult());
  const json header = EncodeSourceHeader(in);
  EXPECT_FALSE(header.contains("results"));
  auto out = DecodeSourceHeader(header);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->source, in.source);
  EXPECT_EQ(out->department, in.department);
  EXPECT_EQ(out->database, in.database);
  EXPECT_EQ(out->error, in.error);
  EXPECT_EQ(out->started_unix_ms, 1);
  EXPECT_EQ(out->finished_unix_ms, 2);
  EXPECT_TRUE(out->results.empty());

  auto log = DecodeLog(EncodeLog({"warn", "xin chào"}));
  ASSERT_TRUE(log.ok());
  EXPECT_EQ(log->level, "warn");
  EXPECT_EQ(log->message, "xin chào");
  auto hello = DecodeHello(EncodeHello({1, 4242, "0.1.0"}));
  ASSERT_TRUE(hello.ok());
  EXPECT_EQ(hello->protocol, 1);
  EXPECT_EQ(hello->pid, 4242);
  EXPECT_EQ(hello->version, "0.1.0");
}

TEST(WorkerMessagesTest, MalformedPayloadsAreInvalidArgument) {
  json missing_field = EncodeCheckResult(FullResult());
  missing_field.erase("violations");
  json wrong_type = EncodeCheckResult(FullResult());
  wrong_type["rows_checked"] = "many";
  json bad_outcome = EncodeCheckResult(FullResult());
  bad_outcome["outcome"] = "exploded";
  for (const json& j : {missing_field, wrong_type, bad_outcome, json(42), json::array()}) {
    auto r = DecodeCheckResult(j);
    ASSERT_FALSE(r.ok()) << j.dump();
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(r.status().message().rfind("bad result message: ", 0), 0u) << r.status().message();
  }
  EXPECT_NE(DecodeCheckResult(bad_outcome).status().message().find("unknown outcome 'exploded'"),
            std::string::npos);

  json bad_kind = EncodePlan(FullPlan());
  bad_kind["source"]["tables"][0]["checks"][0]["params"] = json::array({"teleport"});
  auto plan = DecodePlan(bad_kind);
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.status().message().find("check params must be an object"), std::string::npos)
      << plan.status().message();

  auto text = ParsePayload("{\"id\": ");
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().message(), "payload is not JSON: \"{\\\"id\\\": \"");
}

// Found by tests/fuzz/worker_stream_fuzz.cc: integer fields took any JSON number, so a worker's
// {"protocol": 1e300} was converted with undefined behaviour and 4294967298 wrapped to 2.
TEST(WorkerMessagesTest, IntegerFieldsRefuseFractionsAndOutOfRangeNumbers) {
  for (const char* protocol : {"1e300", "2.5", "4294967298", "-4294967294", "18446744073709551615"}) {
    auto payload = ParsePayload(std::string("{\"protocol\": ") + protocol +
                                ", \"pid\": 7, \"version\": \"0.1.0\"}");
    ASSERT_TRUE(payload.ok());
    auto hello = DecodeHello(*payload);
    ASSERT_FALSE(hello.ok()) << protocol << " gave protocol " << hello->protocol;
    EXPECT_EQ(hello.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(hello.status().message().rfind("bad hello message: ", 0), 0u) << hello.status().message();
  }
  json fraction = EncodeCheckResult(FullResult());
  fraction["violations"] = 1.5;
  auto result = DecodeCheckResult(fraction);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("expected an integer, got 1.5"), std::string::npos)
      << result.status().message();
  json huge_pid = EncodeHello({2, 1, "x"});
  huge_pid["pid"] = std::numeric_limits<uint64_t>::max();
  EXPECT_NE(DecodeHello(huge_pid).status().message().find("18446744073709551615 is out of range"),
            std::string::npos);
  auto fine = DecodeHello(EncodeHello({2, -1, "x"}));
  ASSERT_TRUE(fine.ok());
  EXPECT_EQ(fine->pid, -1);
}

}  // namespace
}  // namespace dqa::worker
