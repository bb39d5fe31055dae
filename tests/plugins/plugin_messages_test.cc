// Plugin messages in both languages (ABI 1.4): the bundled plugins' catalogs are complete and
// cover every key they report; the loader refuses a malformed catalog.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "core/plugins/descriptor.h"
#include "core/plugins/loaded_plugin.h"

namespace dqa::plugins {
namespace {

namespace fs = std::filesystem;

// Every key a plugin's sources report: AddMessage("key"), AddMetric("name") as "metric.name",
// Indicator::Share("id") as "indicator.id", and VerdictKey-style `return "key";` of message keys.
std::set<std::string> ReportedKeys(const std::string& plugin) {
  std::set<std::string> keys;
  static const std::regex kMessage(R"re(AddMessage\("([^"]+)")re");
  static const std::regex kMetric(R"re(AddMetric\("([^"]+)")re");
  static const std::regex kIndicator(R"re(Indicator::Share\("([^"]+)")re");
  static const std::regex kReturned(R"re(return "([a-z_]+\.[a-z_.]+)";)re");
  for (const auto& entry : fs::directory_iterator(fs::path(DQA_SOURCE_DIR) / "plugins" / plugin)) {
    if (entry.path().extension() != ".cc") continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    const std::string source = text.str();
    for (const auto& [re, prefix] : {std::pair<const std::regex&, std::string>{kMessage, ""},
                                     {kMetric, "metric."},
                                     {kIndicator, "indicator."},
                                     {kReturned, ""}}) {
      for (std::sregex_iterator it(source.begin(), source.end(), re), end; it != end; ++it) {
        keys.insert(prefix + (*it)[1].str());
      }
    }
  }
  return keys;
}

TEST(PluginMessagesTest, EveryBundledPluginHasBothLanguagesForEveryKeyItReports) {
  for (const std::string plugin :
       {"population", "civil_registration", "public_services", "social_protection", "template"}) {
    // Load refuses a catalog with a key lacking vi or en (ReadMessages): a missing translation
    // fails here.
    auto loaded = LoadedPlugin::Load(std::string(DQA_PLUGIN_BUILD_DIR) + "/" + plugin + ".so", {});
    ASSERT_TRUE(loaded.ok()) << plugin << ": " << loaded.status().message();
    const PluginInfo& info = (*loaded)->info();
    const std::set<std::string> reported = ReportedKeys(plugin);
    EXPECT_FALSE(reported.empty()) << plugin;
    for (const std::string& key : reported) {
      const auto entry = info.messages.find(key);
      ASSERT_NE(entry, info.messages.end()) << plugin << " reports " << key
                                            << " but its catalog has no entry";
      EXPECT_FALSE(entry->second.vi.empty()) << plugin << " " << key;
      EXPECT_FALSE(entry->second.en.empty()) << plugin << " " << key;
    }
  }
}

RawDescriptor WithMessages(std::string messages) {
  auto loaded = LoadedPlugin::ReadDescriptorForProbe(std::string(DQA_PLUGIN_BUILD_DIR) +
                                                     "/template.so");
  EXPECT_TRUE(loaded.ok());
  RawDescriptor raw = *loaded;
  raw.messages = std::move(messages);
  return raw;
}

TEST(PluginMessagesTest, RefusesAMalformedCatalogNamingTheKey) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"vi": {"a": "một"}, "en": {}})", "messages_json: key 'a' has no en text"},
      {R"({"vi": {"a": "một"}, "en": {"a": ""}})", "messages_json: key 'a' has no en text"},
      {R"({"vi": {}, "en": {"b": "two"}})", "messages_json: key 'b' has no vi text"},
      {R"({"vi": {"a": "{n} cái"}, "en": {"a": "{count} items"}})",
       "key 'a' has different placeholders in vi and en: n / count"},
      {R"({"vi": {"a": "một"}})", R"(must be an object {"vi": {...}, "en": {...}})"},
      {"not json", "messages_json is not valid JSON"},
  };
  for (const auto& [text, message] : cases) {
    auto info = ValidateDescriptor(WithMessages(text), "/x/template.so");
    ASSERT_FALSE(info.ok()) << text;
    EXPECT_NE(info.status().message().find(message), std::string::npos)
        << info.status().message();
  }
  auto good = ValidateDescriptor(WithMessages(R"({"vi": {"a": "{n} cái"}, "en": {"a": "{n} items"}})"),
                                 "/x/template.so");
  ASSERT_TRUE(good.ok()) << good.status().message();
  EXPECT_EQ(good->messages.at("a"), (PluginMessage{"{n} cái", "{n} items"}));
}

}  // namespace
}  // namespace dqa::plugins
