// Plugin ABI 1.1 parameter constraints: what the SDK declares (params_schema_json), how the host
// validates it and carries it through the probe's JSON, how it reaches the check catalogue and the
// rule parser, and that an ABI 1.0 plugin (no schema) loads exactly as before.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "core/checks/catalog.h"
#include "core/plugins/descriptor.h"
#include "core/plugins/loaded_plugin.h"
#include "core/plugins/registry.h"
#include "core/rules/loader.h"

namespace dqa::plugins {
namespace {

namespace fs = std::filesystem;

const std::string kConstrained = std::string(DQA_TEST_PLUGIN_DIR) + "/constrained.so";
const std::string kLegacy = std::string(DQA_TEST_PLUGIN_DIR) + "/abi_1_0/legacy.so";

// Exactly what the SDK writes for tests/plugins/test_plugins/constrained.cc.
constexpr const char* kConstrainedSchema =
    R"({"level":{"format":{"choices":["a","b","c"],"default":"a"},)"
    R"("limit":{"min":1,"max":10,"default":5},"ratio":{"min":0.5},)"
    R"("flags":{"choices":["x","y"]},"strict":{"default":false},"window":{"default":"30d"},)"
    R"("label":{"default":"say \"hi\"\u0009"}}})";

RawDescriptor RawOf(const std::string& file) {
  Result<std::unique_ptr<LoadedPlugin>> loaded = LoadedPlugin::Load(file, {});
  EXPECT_TRUE(loaded.ok()) << loaded.status().message();
  return loaded.ok() ? CopyDescriptor((*loaded)->api()) : RawDescriptor{};
}

TEST(PluginConstraintsTest, SdkWritesTheSchemaAndTheHostReadsEveryConstraint) {
  const RawDescriptor raw = RawOf(kConstrained);
  EXPECT_EQ(raw.abi_minor, 4u);
  ASSERT_TRUE(raw.params_schema.has_value());
  EXPECT_EQ(*raw.params_schema, kConstrainedSchema);

  Result<PluginInfo> info = ValidateDescriptor(raw, "/p/constrained.so");
  ASSERT_TRUE(info.ok()) << info.status().message();
  const std::vector<ParamInfo>& p = info->checks.at(0).params;
  ASSERT_EQ(p.size(), 8u);
  EXPECT_TRUE(p[0].choices.empty() && !p[0].min && !p[0].max && p[0].default_value.is_null());
  EXPECT_EQ(p[1].choices, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(p[1].default_value, "a");
  EXPECT_EQ(p[2].min, 1.0);
  EXPECT_EQ(p[2].max, 10.0);
  EXPECT_TRUE(p[2].default_value.is_number_integer());
  EXPECT_EQ(p[2].default_value, 5);
  EXPECT_EQ(p[3].min, 0.5);
  EXPECT_FALSE(p[3].max);
  EXPECT_EQ(p[4].choices, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(p[5].default_value, false);
  EXPECT_EQ(p[6].default_value, "30d");
  EXPECT_EQ(p[7].default_value, "say \"hi\"\t");
}

TEST(PluginConstraintsTest, ProbeJsonRoundTripKeepsTheConstraints) {
  for (const std::string& file : {kConstrained, kLegacy}) {
    const RawDescriptor raw = RawOf(file);
    Result<RawDescriptor> back = DescriptorFromJson(DescriptorToJson(raw));
    ASSERT_TRUE(back.ok()) << back.status().message();
    EXPECT_EQ(back->params_schema, raw.params_schema) << file;
    Result<PluginInfo> direct = ValidateDescriptor(raw, file);
    Result<PluginInfo> probed = ValidateDescriptor(*back, file);
    ASSERT_TRUE(direct.ok() && probed.ok()) << file;
    EXPECT_TRUE(*direct == *probed) << file;
  }
  // The key is required: a host never reads a descriptor JSON of another build.
  nlohmann::json j = DescriptorToJson(RawOf(kConstrained));
  j.erase("params_schema");
  EXPECT_FALSE(DescriptorFromJson(j).ok());
}

TEST(PluginConstraintsTest, AbiOnePointZeroPluginHasNoSchemaAndLoadsAsBefore) {
  const RawDescriptor raw = RawOf(kLegacy);
  EXPECT_EQ(raw.abi_minor, 0u);
  EXPECT_EQ(raw.struct_size, offsetof(dqa_plugin, params_schema_json));
  EXPECT_FALSE(raw.params_schema.has_value());
  Result<PluginInfo> info = ValidateDescriptor(raw, "/p/legacy.so");
  ASSERT_TRUE(info.ok()) << info.status().message();
  ASSERT_EQ(info->checks.size(), 1u);
  EXPECT_EQ(info->checks[0].name, "positive");
  ASSERT_EQ(info->checks[0].params.size(), 2u);
  for (const ParamInfo& p : info->checks[0].params) {
    EXPECT_TRUE(p.choices.empty() && !p.min && !p.max && p.default_value.is_null()) << p.name;
  }
}

TEST(PluginConstraintsTest, RefusesMalformedConstraintsNamingTheLibrary) {
  const RawDescriptor good = RawOf(kConstrained);
  const std::string prefix = "plugin /p/c.so: plugin constrained: params_schema_json";
  struct Case {
    std::string schema;
    std::string message;  // after prefix
  };
  const std::vector<Case> cases = {
      {"{", " is not valid JSON"},
      {"[]", " must be a JSON object of checks"},
      {R"({"nope":{}})", " names unknown check 'nope'"},
      {R"({"level":[]})", ": check level must map parameter names to constraints"},
      {R"({"level":{"nope":{}}})", ": check level has no parameter 'nope'"},
      {R"({"level":{"limit":3}})",
       ": parameter limit of check level: expected an object of choices, min, max and default"},
      {R"({"level":{"limit":{"step":1}}})",
       ": parameter limit of check level: unknown key 'step' (expected choices, min, max or "
       "default)"},
      {R"({"level":{"limit":{"choices":["1"]}}})",
       ": parameter limit of check level: choices are only for string and string_list "
       "parameters"},
      {R"({"level":{"format":{"choices":[]}}})",
       ": parameter format of check level: choices must be a non-empty list of strings"},
      {R"({"level":{"format":{"choices":["a","a"]}}})",
       ": parameter format of check level: choices must be distinct non-empty strings"},
      {R"({"level":{"format":{"min":1}}})",
       ": parameter format of check level: min is only for number and integer parameters"},
      {R"({"level":{"limit":{"max":"ten"}}})",
       ": parameter limit of check level: max must be a number"},
      {R"({"level":{"limit":{"min":1.5}}})",
       ": parameter limit of check level: min of an integer parameter must be a whole number"},
      {R"({"level":{"limit":{"min":5,"max":1}}})",
       ": parameter limit of check level: min is greater than max"},
      {R"({"level":{"limit":{"max":4,"default":5}}})",
       ": parameter limit of check level: default 5: outside its min/max"},
      {R"({"level":{"limit":{"default":2.5}}})",
       ": parameter limit of check level: default 2.5: expected a whole number"},
      {R"({"level":{"format":{"choices":["b"],"default":"a"}}})",
       ": parameter format of check level: default \"a\": not one of its choices"},
      {R"({"level":{"window":{"default":"soon"}}})",
       ": parameter window of check level: default \"soon\": expected a duration like 30d, 12h, "
       "2w, 6m or 1y"},
      {R"({"level":{"strict":{"default":null}}})",
       ": parameter strict of check level: default must not be null"},
      {R"({"level":{"column":{"default":"v"}}})",
       ": parameter column of check level: a required parameter cannot have a default"},
      {R"({"level":{"flags":{"default":["x","z"],"choices":["x","y"]}}})",
       ": parameter flags of check level: default [\"x\",\"z\"]: not one of its choices"},
  };
  for (const Case& c : cases) {
    RawDescriptor bad = good;
    bad.params_schema = c.schema;
    Result<PluginInfo> info = ValidateDescriptor(bad, "/p/c.so");
    ASSERT_FALSE(info.ok()) << c.schema;
    EXPECT_EQ(info.status().message(), prefix + c.message) << c.schema;
  }
  // A default on an optional column parameter: refused for a row check only.
  RawDescriptor column_default = good;
  column_default.checks[0].params[0].required = 0;
  column_default.params_schema = R"({"level":{"column":{"default":"v"}}})";
  EXPECT_EQ(ValidateDescriptor(column_default, "/p/c.so").status().message(),
            prefix + ": parameter column of check level: default \"v\": a column parameter of a "
                     "row check cannot have a default (the host reads only the columns a rule "
                     "names)");
  column_default.checks[0].kind = DQA_CHECK_QUERY;
  EXPECT_TRUE(ValidateDescriptor(column_default, "/p/c.so").ok());
}

// The catalogue and the rule parser enforce the declared constraints when the rules load.
class PluginConstraintRulesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto p = ProcessPluginRegistry().LoadFile(kConstrained);
    ASSERT_TRUE(p.ok()) << p.status().message();
  }
  static std::string Rule(const std::string& check) {
    return "source: src\ndepartment: d\ndatabase: sqlite:/x.db\ntables:\n  t:\n    checks:\n" +
           check;
  }
};

TEST_F(PluginConstraintRulesTest, CatalogueCarriesTheConstraints) {
  const CheckType* type = Catalog().Find("constrained.level");
  ASSERT_NE(type, nullptr);
  const ParamSpec* format = type->info().FindParam("format");
  ASSERT_NE(format, nullptr);
  EXPECT_EQ(format->choices, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(format->default_value, "a");
  const ParamSpec* limit = type->info().FindParam("limit");
  ASSERT_NE(limit, nullptr);
  EXPECT_EQ(limit->min, 1.0);
  EXPECT_EQ(limit->max, 10.0);
  EXPECT_EQ(limit->default_value, 5);
}

TEST_F(PluginConstraintRulesTest, RuleParserRejectsValuesOutsideTheConstraints) {
  struct Case {
    std::string check;
    std::string error;  // "" = valid
  };
  const std::vector<Case> cases = {
      {"      - constrained.level: {column: v, format: b, limit: 10, ratio: 0.5, flags: [y, x]}\n",
       ""},
      {"      - constrained.level: {column: v, format: d}\n",
       "r.yaml:7:48: 'format': expected one of a, b, c, got 'd'"},
      {"      - constrained.level: {column: v, limit: 11}\n",
       "r.yaml:7:47: 'limit': expected a value from 1 to 10, got 11"},
      {"      - constrained.level: {column: v, limit: 0}\n",
       "r.yaml:7:47: 'limit': expected a value from 1 to 10, got 0"},
      {"      - constrained.level: {column: v, ratio: 0.25}\n",
       "r.yaml:7:47: 'ratio': expected a value >= 0.5, got 0.25"},
      {"      - constrained.level: {column: v, flags: [x, z]}\n",
       "r.yaml:7:47: 'flags': expected one of x, y, got 'z'"},
  };
  for (const Case& c : cases) {
    auto parsed = ParseRuleText(Rule(c.check), "r.yaml");
    if (c.error.empty()) {
      EXPECT_TRUE(parsed.ok()) << c.check << parsed.status().message();
      continue;
    }
    ASSERT_FALSE(parsed.ok()) << c.check;
    EXPECT_NE(parsed.status().message().find(c.error), std::string::npos)
        << parsed.status().message();
  }
}

}  // namespace
}  // namespace dqa::plugins
