// The check catalogue: the built-in types and their schemas, registration, and a check type
// defined entirely in this file that works through the rule parser, the worker's codec and the
// engine without any other change (what "adding a check type is a local change" means).
#include "core/checks/catalog.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "core/checks/check_support.h"
#include "core/rules/loader.h"
#include "core/worker/messages.h"
#include "tests/checks/scan_fixture.h"

namespace dqa {
namespace {

using ::testing::HasSubstr;
using testing::MakePlan;
using testing::MakeTable;
using testing::Scan;
using testing::TempDir;

TEST(CheckCatalogTest, BuiltinTypesInRegistrationOrder) {
  const std::vector<std::string_view> names = Catalog().BuiltinNames();
  EXPECT_EQ(names, (std::vector<std::string_view>{"row_count", "missing", "duplicate", "fuzzy_duplicate", "freshness",
                                                   "stale", "pattern", "allowed", "range",
                                                   "reference", "coverage", "condition", "sql",
                                                   "standard_text", "schema", "reconcile", "metric", "drift",
                                                   "indicator"}));
  EXPECT_EQ(Catalog().Find("indicator")->info().shape, CheckShape::kAggregate);
  EXPECT_EQ(Catalog().Find("indicator")->info().dimension, Dimension::kValidity);
  EXPECT_EQ(Catalog().Find("coverage")->info().shape, CheckShape::kAggregate);
  EXPECT_EQ(Catalog().Find("duplicate")->info().shape, CheckShape::kGrouped);
  EXPECT_EQ(Catalog().Find("sql")->info().shape, CheckShape::kQuery);
  EXPECT_FALSE(Catalog().Find("sql")->info().takes_where());
  EXPECT_EQ(Catalog().Find("missing")->info().per_column, "columns");
  EXPECT_EQ(Catalog().Find("nope"), nullptr);
}

TEST(CheckCatalogTest, EverySchemaIsComplete) {
  for (const CheckType* type : Catalog().All()) {
    const CheckTypeInfo& info = type->info();
    SCOPED_TRACE(info.name);
    EXPECT_FALSE(info.summary.empty());
    for (const ParamSpec& p : info.params) {
      SCOPED_TRACE(p.name);
      EXPECT_FALSE(p.description.empty());
      EXPECT_FALSE(p.required && !p.default_value.is_null()) << "a required parameter's default "
                                                                "is never used";
      if (p.type == ParamType::kForeignColumn) {
        const ParamSpec* table = info.FindParam(p.table_param);
        ASSERT_NE(table, nullptr);
        EXPECT_EQ(table->type, ParamType::kTable);
      }
    }
    if (!info.per_column.empty()) {
      const ParamSpec* per = info.FindParam(info.per_column);
      ASSERT_NE(per, nullptr);
      EXPECT_EQ(per->type, ParamType::kColumns);
    }
  }
}

TEST(CheckCatalogTest, NamesAreUniqueAndUnavailablePrefixesGiveWay) {
  CheckCatalog catalog;
  RegisterBuiltinChecks(catalog);
  const size_t before = catalog.All().size();
  class Dummy : public CheckType {
   public:
    explicit Dummy(std::string name, std::string origin = "built-in")
        : CheckType({.name = std::move(name), .summary = "x", .origin = std::move(origin)}) {}
  };
  const Status twice = catalog.Add(std::make_unique<Dummy>("missing"));
  EXPECT_FALSE(twice.ok());
  EXPECT_THAT(twice.message(), HasSubstr("check type 'missing' is already registered (built-in)"));
  EXPECT_EQ(catalog.All().size(), before);

  catalog.AddUnavailable("health.", "plugin health unavailable: /p/health.so is group-writable");
  EXPECT_EQ(catalog.UnavailableReason("health.vaccination"),
            "plugin health unavailable: /p/health.so is group-writable");
  EXPECT_EQ(catalog.UnavailableReason("healthy"), std::nullopt);
  ASSERT_TRUE(catalog.Add(std::make_unique<Dummy>("health.vaccination", "plugin health 1.0 (/p)")).ok());
  EXPECT_EQ(catalog.UnavailableReason("health.vaccination"), std::nullopt);  // provided now
  EXPECT_EQ(catalog.PluginNames(), (std::vector<std::string_view>{"health.vaccination"}));
}

// A test type: a value is a violation when it is a whole number not divisible by `divisor`.
class MultipleEvaluator : public RowEvaluator {
 public:
  MultipleEvaluator(const CheckSpec& spec, const CheckContext& context, const ParamReader& p)
      : RowEvaluator(spec, context), divisor_(p.Integer("divisor").value_or(1)) {}

 protected:
  nlohmann::json SaveOwnState() const override { return nullptr; }
  void LoadOwnState(const nlohmann::json&) override {}
  void MergeState(RowEvaluator&) override {}  // counts only
  void ObserveInScope(const ScanRow& row) override {
    const Value& v = Cell(row);
    if (v.type != Value::Type::kInteger) return;
    ++rows_checked_;
    if (v.integer % divisor_ != 0) AddViolation(row);
  }
  std::string Complete(CheckResult& result) override {
    return CountText(result.violations, result.rows_checked, "values") + " are not multiples";
  }

 private:
  int64_t divisor_;
};

const CheckType& MultipleType() {
  static const CheckType* type = [] {
    auto t = std::make_unique<EvaluatedCheckType<MultipleEvaluator>>(CheckTypeInfo{
        .name = "test_multiple_of",
        .summary = "Whole numbers are multiples of divisor.",
        .dimension = Dimension::kValidity,
        .shape = CheckShape::kRow,
        .params = {{.name = "column", .type = ParamType::kColumn, .required = true,
                    .description = "the column"},
                   {.name = "divisor", .type = ParamType::kInteger,
                    .description = "what every value is a multiple of", .default_value = 2,
                    .min = 1, .max = 1000},
                   {.name = "unit", .type = ParamType::kString, .description = "unit of the values",
                    .choices = {"people", "dossiers"}}},
        .origin = "test",
    });
    const CheckType* raw = t.get();
    EXPECT_TRUE(Catalog().Add(std::move(t)).ok());
    return raw;
  }();
  return *type;
}

std::string RuleWith(const std::string& check) {
  return "source: s\ndepartment: D\ndatabase: sqlite:s.db\ntables:\n  t:\n    checks:\n      - " +
         check + "\n";
}

TEST(CheckCatalogTest, ATypeDefinedInOneFileRunsThroughParserCodecAndEngine) {
  ASSERT_EQ(MultipleType().name(), "test_multiple_of");
  TempDir dir;
  const std::string db = dir.File("m.db");
  testing::MakeValueTable(db, {int64_t{3}, int64_t{6}, int64_t{7}, std::string("x"), int64_t{9},
                               nullptr, int64_t{12}});

  Result<SourceSpec> parsed =
      ParseRuleText(RuleWith("test_multiple_of: {column: v, divisor: 3, unit: people}"),
                           dir.File("r.yaml"));
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  const CheckSpec& spec = parsed->tables[0].checks[0];
  EXPECT_EQ(spec.id, "test_multiple_of:t.v");
  EXPECT_EQ(spec.columns, std::vector<std::string>{"v"});
  EXPECT_EQ(spec.dimension, Dimension::kValidity);

  SourcePlan plan = MakePlan(db, parsed->tables);
  // Through the worker's message codec, as a worker process receives it.
  Result<SourcePlan> decoded = worker::DecodePlan(worker::EncodePlan(plan));
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  for (const SourcePlan* p : {&plan, &*decoded}) {
    const SourceResult r = Scan(*p);
    ASSERT_EQ(r.results.size(), 1u);
    EXPECT_EQ(r.results[0].rows_checked, 5);
    EXPECT_EQ(r.results[0].violations, 1);  // 7
    EXPECT_EQ(testing::Flat(r.results[0].samples), std::vector<std::string>{"3"});
    EXPECT_EQ(r.results[0].message, "1 of 5 values (20%) are not multiples; fail limit 0");
  }

  // The default comes from the schema.
  Result<SourceSpec> defaulted =
      ParseRuleText(RuleWith("test_multiple_of: {column: v}"), dir.File("r.yaml"));
  ASSERT_TRUE(defaulted.ok()) << defaulted.status().message();
  const SourceResult by_two = Scan(MakePlan(db, defaulted->tables));
  EXPECT_EQ(by_two.results[0].violations, 3);  // 3, 7, 9
}

TEST(CheckCatalogTest, TheSchemaValidatesEveryTypesParametersWhenRulesLoad) {
  ASSERT_EQ(MultipleType().name(), "test_multiple_of");
  struct Case {
    std::string check;
    std::string message;
  };
  const Case cases[] = {
      {"test_multiple_of: {divisor: 3}",
       "r.yaml:7:9: missing required key 'column' in check 'test_multiple_of' (column: the "
       "column)"},
      {"test_multiple_of: {column: v, divisor: 0}",
       "r.yaml:7:48: 'divisor': expected a value from 1 to 1000, got 0"},
      {"test_multiple_of: {column: v, divisor: two}",
       "r.yaml:7:48: 'divisor': expected a whole number, got 'two'"},
      {"test_multiple_of: {column: v, unit: peple}",
       "r.yaml:7:45: 'unit': expected one of people, dossiers, got 'peple'; did you mean "
       "'people'?"},
      {"test_multiple_of: {column: v, modulo: 3}",
       "r.yaml:7:39: unknown key 'modulo' in check 'test_multiple_of'"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.check);
    Result<SourceSpec> r = ParseRuleText(RuleWith(c.check), "r.yaml");
    ASSERT_FALSE(r.ok());
    EXPECT_THAT(r.status().message(), HasSubstr(c.message));
  }
}

std::string ReadDoc(const std::string& name) {
  std::ifstream in(std::string(DQA_SOURCE_DIR) + "/docs/" + name);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// docs/rules.md has a section per built-in type naming each of its parameters, and docs/checks.md
// a row of exact semantics per type: the docs cannot forget a type or a parameter.
TEST(CheckCatalogTest, DocsDescribeEveryBuiltinTypeAndParameter) {
  const std::string rules = ReadDoc("rules.md");
  const std::string checks = ReadDoc("checks.md");
  ASSERT_FALSE(rules.empty());
  for (std::string_view name : Catalog().BuiltinNames()) {
    SCOPED_TRACE(name);
    const std::string heading = "#### `" + std::string(name) + "`";
    const size_t start = rules.find(heading);
    ASSERT_NE(start, std::string::npos) << "docs/rules.md has no section " << heading;
    const size_t end = rules.find("\n#", start + heading.size());
    const std::string section = rules.substr(start, end - start);
    for (const ParamSpec& p : Catalog().Find(name)->info().params) {
      EXPECT_NE(section.find("`" + p.name + "`"), std::string::npos)
          << "docs/rules.md section " << heading << " does not name parameter " << p.name;
    }
    EXPECT_NE(checks.find("| `" + std::string(name) + "` |"), std::string::npos)
        << "docs/checks.md has no semantics row for " << name;
  }
}

}  // namespace
}  // namespace dqa
