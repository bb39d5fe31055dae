#include "core/output/results_json.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace dqa {
namespace {

using ojson = nlohmann::ordered_json;

std::vector<SourceResult> HandBuiltResults() {
  CheckResult dup;
  dup.id = "duplicate:cong_dan.so_cccd";
  dup.type = "duplicate";
  dup.source = "population";
  dup.table = "cong_dan";
  dup.columns = {"so_cccd"};
  dup.dimension = Dimension::kUniqueness;
  dup.severity = Severity::kCritical;
  dup.outcome = Outcome::kFail;
  dup.violations = 3;
  dup.rows_checked = 200;
  dup.percent = 1.5;
  dup.groups = 2;
  dup.thresholds.fail = {0, std::nullopt};
  dup.key_columns = {"id", "ma_xa"};
  dup.samples = {{"4", "X01"}, {"9", "Xã Ân"}};
  dup.message = "3 rows duplicate 2 keys";
  dup.duration_ms = 2.5;

  CheckResult stale;
  stale.id = "stale:cong_dan.ngay_cap_nhat";
  stale.type = "stale";
  stale.source = "population";
  stale.table = "cong_dan";
  stale.columns = {"ngay_cap_nhat"};
  stale.dimension = Dimension::kFreshness;
  stale.severity = Severity::kWarn;
  stale.outcome = Outcome::kWarn;
  stale.violations = 10;
  stale.rows_checked = 200;
  stale.percent = 5;
  stale.unparseable = 4;
  stale.groups = 7;  // not a duplicate check: never written
  stale.thresholds.warn = {std::nullopt, 1.0};
  stale.thresholds.fail = {std::nullopt, 10.0};
  stale.key_columns = {"id"};
  stale.message = "10 stale";
  stale.duration_ms = 1;

  CheckResult rows;
  rows.id = "row_count:ho_so";
  rows.type = "row_count";
  rows.source = "one_stop";
  rows.table = "ho_so";
  rows.dimension = Dimension::kCompleteness;
  rows.outcome = Outcome::kError;
  rows.message = "database file not found";

  CheckResult dup_error = rows;  // a duplicate check that could not run: groups 0
  dup_error.id = "duplicate:ho_so.ma";
  dup_error.type = "duplicate";
  dup_error.columns = {"ma"};
  dup_error.dimension = Dimension::kUniqueness;

  CheckResult count;
  count.id = "row_count:cong_dan";
  count.type = "row_count";
  count.source = "population";
  count.table = "cong_dan";
  count.dimension = Dimension::kCompleteness;
  count.rows_checked = 200;
  count.value = 200;
  count.thresholds.fail = {0, std::nullopt};

  SourceResult population;
  population.source = "population";
  population.department = "Công an tỉnh";
  population.database = "sqlite:population.db";
  population.results = {count, dup, stale};
  SourceResult one_stop;
  one_stop.source = "one_stop";
  one_stop.department = "Trung tâm PVHCC";
  one_stop.database = "sqlite:missing.db";
  one_stop.error = "database file not found: /x/missing.db";
  one_stop.results = {rows, dup_error};
  return {population, one_stop};
}

ResultsMeta Meta() {
  ResultsMeta m;
  m.run_id = 7;
  m.today = "2026-11-01";
  m.started_unix_ms = 1793491200500;  // 2026-11-01T00:00:00.5Z
  m.finished_unix_ms = 1793491262000;
  m.exit_code = 3;
  return m;
}

constexpr const char* kExpected = R"json({
  "dqaudit_version": "VERSION",
  "run_id": 7,
  "today": "2026-11-01",
  "started_at": "2026-11-01T00:00:00Z",
  "finished_at": "2026-11-01T00:01:02Z",
  "exit_code": 3,
  "sources": [
    {"source": "population", "department": "Công an tỉnh", "database": "sqlite:population.db",
     "status": "ok", "error": null, "checks": 3},
    {"source": "one_stop", "department": "Trung tâm PVHCC", "database": "sqlite:missing.db",
     "status": "error", "error": "database file not found: /x/missing.db", "checks": 2}
  ],
  "results": [
    {"id": "row_count:cong_dan", "type": "row_count", "source": "population", "table": "cong_dan",
     "columns": [], "dimension": "completeness", "severity": "fail", "outcome": "pass",
     "violations": 0, "rows_checked": 200, "percent": 0.0, "value": 200.0, "samples": [],
     "message": "", "thresholds": {"warn": {}, "fail": {"max_count": 0}}, "duration_ms": 0.0},
    {"id": "duplicate:cong_dan.so_cccd", "type": "duplicate", "source": "population",
     "table": "cong_dan", "columns": ["so_cccd"], "dimension": "uniqueness",
     "severity": "critical", "outcome": "fail", "violations": 3, "rows_checked": 200,
     "percent": 1.5, "groups": 2,
     "samples": [{"id": "4", "ma_xa": "X01"}, {"id": "9", "ma_xa": "Xã Ân"}],
     "message": "3 rows duplicate 2 keys", "thresholds": {"warn": {}, "fail": {"max_count": 0}},
     "duration_ms": 2.5},
    {"id": "stale:cong_dan.ngay_cap_nhat", "type": "stale", "source": "population",
     "table": "cong_dan", "columns": ["ngay_cap_nhat"], "dimension": "freshness",
     "severity": "warn", "outcome": "warn", "violations": 10, "rows_checked": 200,
     "percent": 5.0, "unparseable": 4, "samples": [], "message": "10 stale",
     "thresholds": {"warn": {"max_percent": 1.0}, "fail": {"max_percent": 10.0}},
     "duration_ms": 1.0},
    {"id": "row_count:ho_so", "type": "row_count", "source": "one_stop", "table": "ho_so",
     "columns": [], "dimension": "completeness", "severity": "fail", "outcome": "error",
     "violations": 0, "rows_checked": 0, "percent": 0.0, "samples": [],
     "message": "database file not found", "thresholds": {"warn": {}, "fail": {}},
     "duration_ms": 0.0},
    {"id": "duplicate:ho_so.ma", "type": "duplicate", "source": "one_stop", "table": "ho_so",
     "columns": ["ma"], "dimension": "uniqueness", "severity": "fail", "outcome": "error",
     "violations": 0, "rows_checked": 0, "percent": 0.0, "groups": 0, "samples": [],
     "message": "database file not found", "thresholds": {"warn": {}, "fail": {}},
     "duration_ms": 0.0}
  ]
})json";

ojson Expected() {
  ojson j = ojson::parse(kExpected);
  j["dqaudit_version"] = DQA_VERSION;
  return j;
}

TEST(ResultsJsonTest, ExactDocumentForHandBuiltResults) {
  const ojson got = ResultsToJson(Meta(), HandBuiltResults());
  // ordered_json compares key order too: the document's field order is part of the format.
  EXPECT_EQ(got.dump(2), Expected().dump(2));
}

TEST(ResultsJsonTest, RunIdIsNullWithoutHistory) {
  ResultsMeta meta = Meta();
  meta.run_id.reset();
  const ojson got = ResultsToJson(meta, {});
  EXPECT_TRUE(got.at("run_id").is_null());
  EXPECT_EQ(got.at("sources"), ojson::array());
  EXPECT_EQ(got.at("results"), ojson::array());
}

TEST(ResultsJsonTest, OptionalFieldPresence) {
  struct Case {
    const char* name;
    std::string type;
    std::optional<int64_t> groups, unparseable;
    std::optional<double> value;
    bool has_groups, has_unparseable, has_value;
  };
  const Case cases[] = {
      {"plain", "pattern", std::nullopt, std::nullopt, std::nullopt, false, false, false},
      {"duplicate without groups", "duplicate", std::nullopt, std::nullopt, std::nullopt, true,
       false, false},
      {"groups on a non-duplicate", "missing", 4, std::nullopt, std::nullopt, false, false, false},
      {"unparseable zero", "range", std::nullopt, 0, std::nullopt, false, true, false},
      {"value zero", "sql", std::nullopt, std::nullopt, 0.0, false, false, true},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    CheckResult r;
    r.type = c.type;
    r.groups = c.groups;
    r.unparseable = c.unparseable;
    r.value = c.value;
    const ojson j = CheckResultToJson(r);
    EXPECT_EQ(j.contains("groups"), c.has_groups);
    EXPECT_EQ(j.contains("unparseable"), c.has_unparseable);
    EXPECT_EQ(j.contains("value"), c.has_value);
  }
}

TEST(ResultsJsonTest, SampleKeysFollowKeyColumns) {
  EXPECT_EQ(SampleToJson({"b", "a"}, {"1", "2"}).dump(), R"({"b":"1","a":"2"})");
  EXPECT_EQ(SampleToJson({"id"}, {"1", "2"}).dump(), R"({"id":"1","key2":"2"})");
  EXPECT_EQ(SampleToJson({}, {}).dump(), "{}");
}

TEST(ResultsJsonTest, ThresholdsRoundTrip) {
  Thresholds t;
  t.warn = {5, std::nullopt};
  t.fail = {10, 2.5};
  auto back = ThresholdsFromJson(nlohmann::json::parse(ThresholdsToJson(t).dump()));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(*back, t);
  EXPECT_FALSE(ThresholdsFromJson(nlohmann::json::parse(R"({"warn": {"max": 1}})")).ok());
  EXPECT_FALSE(ThresholdsFromJson(nlohmann::json::parse("[]")).ok());
}

TEST(ResultsJsonTest, WritesFileAndReportsUnwritablePath) {
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("dqa_results_" + std::to_string(getpid()) + ".json"))
                               .string();
  ASSERT_TRUE(WriteResultsJson(path, Meta(), HandBuiltResults()).ok());
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  std::filesystem::remove(path);
  EXPECT_EQ(ojson::parse(text.str()), Expected());
  EXPECT_EQ(text.str().back(), '\n');

  Status s = WriteResultsJson("/nonexistent-dir/x/results.json", Meta(), {});
  EXPECT_EQ(s.code(), StatusCode::kIoError);
  EXPECT_NE(s.message().find("cannot write /nonexistent-dir/x/results.json"), std::string::npos)
      << s.message();
}

TEST(ResultsJsonTest, InvalidUtf8IsReplacedNotFatal) {
  SourceResult s;
  s.source = "x";
  CheckResult r;
  r.message = "bad \xff byte";
  s.results = {r};
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("dqa_results_utf8_" + std::to_string(getpid()) + ".json"))
                               .string();
  ASSERT_TRUE(WriteResultsJson(path, Meta(), {s}).ok());
  std::ifstream in(path);
  const ojson j = ojson::parse(in);
  std::filesystem::remove(path);
  EXPECT_EQ(j["results"][0]["message"], "bad \xEF\xBF\xBD byte");
}

// Plugin metrics: an object in reported order, written only when there are any.
TEST(ResultsJsonTest, MetricsOnlyWhenReported) {
  std::vector<SourceResult> results = HandBuiltResults();
  results.at(0).results.at(0).metrics = {{"z_rate", 12.5}, {"a_count", 3}};
  const ojson doc = ResultsToJson(Meta(), results);
  const ojson& first = doc.at("results").at(0);
  ASSERT_TRUE(first.contains("metrics"));
  EXPECT_EQ(first.at("metrics").dump(), R"({"z_rate":12.5,"a_count":3.0})");
  for (size_t i = 1; i < doc.at("results").size(); ++i) {
    EXPECT_FALSE(doc.at("results").at(i).contains("metrics")) << i;
  }
}

TEST(ResultsJsonTest, BreakdownsOnlyForChecksWithBy) {
  std::vector<SourceResult> results = HandBuiltResults();
  results.at(0).results.at(0).breakdowns = {
      {"ma_huyen", {{"815", 3, 12, 25, std::nullopt}, {"(không xác định)", 0, 4, 0, 7.5}}}};
  const ojson doc = ResultsToJson(Meta(), results);
  const ojson& first = doc.at("results").at(0);
  ASSERT_TRUE(first.contains("breakdowns"));
  EXPECT_EQ(first.at("breakdowns").dump(),
            R"x([{"by":"ma_huyen","units":[{"unit":"815","violations":3,"rows_checked":12,)x"
            R"x("percent":25.0},{"unit":"(không xác định)","violations":0,"rows_checked":4,)x"
            R"x("percent":0.0,"value":7.5}]}])x");
  for (size_t i = 1; i < doc.at("results").size(); ++i) {
    EXPECT_FALSE(doc.at("results").at(i).contains("breakdowns")) << i;
  }
}

// docs/results.schema.json and the writer must describe the same keys.
TEST(ResultsJsonTest, SchemaMatchesWriter) {
  std::ifstream in(std::string(DQA_SOURCE_DIR) + "/docs/results.schema.json");
  ASSERT_TRUE(in) << "docs/results.schema.json";
  const nlohmann::json schema = nlohmann::json::parse(in);
  std::vector<SourceResult> results = HandBuiltResults();
  results.at(0).results.at(0).metrics = {{"cashless_coverage_percent", 87.5}};  // plugin metrics
  results.at(0).results.at(0).profile = R"({"rows":3})";                         // drift
  results.at(0).results.at(0).message_key = "check.missing";                      // words
  results.at(0).results.at(0).message_args = {{"n_violations", "3"}, {"columns", "ho_ten"}};
  results.at(0).results.at(0).indicators = {{.id = "cashless", .value = 87.5, .target = 90}};
  results.at(0).results.at(0).breakdowns = {{"ma_xa", {{"28252", 1, 2, 50, 3.0}}}};  // `by`
  results.at(0).results.at(0).title = {{"vi", "Họ tên bị bỏ trống"}, {"en", "Name left empty"}};
  const ojson doc = ResultsToJson(Meta(), results);
  EXPECT_EQ(doc.at("results").at(0).at("profile").dump(), R"({"rows":3})");
  EXPECT_EQ(doc.at("results").at(0).at("title").dump(),
            R"({"en":"Name left empty","vi":"Họ tên bị bỏ trống"})");

  auto expect_keys_allowed = [](const ojson& object, const nlohmann::json& def) {
    EXPECT_FALSE(def.at("additionalProperties").get<bool>());
    for (const auto& [key, value] : object.items()) {
      EXPECT_TRUE(def.at("properties").contains(key)) << "not in the schema: " << key;
    }
    for (const auto& key : def.at("required")) {
      EXPECT_TRUE(object.contains(key.get<std::string>())) << "required but not written: " << key;
    }
  };
  expect_keys_allowed(doc, schema);
  EXPECT_EQ(schema.at("properties").size(), doc.size());
  for (const auto& source : doc.at("sources"))
    expect_keys_allowed(source, schema["$defs"]["source"]);
  std::set<std::string> written;
  for (const auto& result : doc.at("results")) {
    expect_keys_allowed(result, schema["$defs"]["result"]);
    for (const auto& [key, value] : result.items()) written.insert(key);
    const auto& breakdown = schema["$defs"]["result"]["properties"]["breakdowns"]["items"];
    for (const auto& b : result.value("breakdowns", ojson::array())) {
      expect_keys_allowed(b, breakdown);
      for (const auto& u : b.at("units")) expect_keys_allowed(u, breakdown["properties"]["units"]["items"]);
    }
  }
  // The hand-built set exercises every optional field, so every property is written somewhere.
  EXPECT_EQ(written.size(), schema["$defs"]["result"]["properties"].size());
}

}  // namespace
}  // namespace dqa
