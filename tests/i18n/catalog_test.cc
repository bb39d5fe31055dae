#include "core/i18n/catalog.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/i18n/embedded_catalogs.h"

namespace dqa::i18n {
namespace {

// The placeholders ({name}) of a message.
std::set<std::string> Placeholders(std::string_view text) {
  std::set<std::string> names;
  size_t open = text.find('{');
  while (open != std::string_view::npos) {
    const size_t close = text.find('}', open);
    if (close == std::string_view::npos) break;
    names.insert(std::string(text.substr(open + 1, close - open - 1)));
    open = text.find('{', close);
  }
  return names;
}

TEST(CatalogTest, BuiltInLanguagesHaveTheSameKeysAndPlaceholders) {
  const Catalog& vi = Catalog::BuiltIn(Language::kVi);
  const Catalog& en = Catalog::BuiltIn(Language::kEn);
  ASSERT_FALSE(vi.Keys().empty());
  EXPECT_EQ(vi.Keys(), en.Keys());
  for (const std::string& key : vi.Keys()) {
    if (!en.Has(key)) continue;  // reported by the comparison above
    EXPECT_EQ(Placeholders(vi.Text(key)), Placeholders(en.Text(key))) << key;
    EXPECT_FALSE(vi.Text(key).empty()) << key;
    EXPECT_FALSE(en.Text(key).empty()) << key;
  }
}

TEST(CatalogTest, VietnameseWordsAndNumberFormats) {
  const Catalog& vi = Catalog::BuiltIn(Language::kVi);
  EXPECT_EQ(vi.Text("outcome.fail"), "Không đạt");
  EXPECT_EQ(vi.Text("grade.average"), "Trung bình");
  EXPECT_EQ(vi.Integer(1234567), "1.234.567");
  EXPECT_EQ(vi.Integer(-1000), "-1.000");
  EXPECT_EQ(vi.Integer(999), "999");
  EXPECT_EQ(vi.Number(12345.678, 1), "12.345,7");
  EXPECT_EQ(vi.Number(0.04, 1), "0,0");
  EXPECT_EQ(vi.Number(-0.04, 1), "0,0");  // no "-0,0"
  EXPECT_EQ(vi.Percent(12.5), "12,5%");
  EXPECT_EQ(vi.Date("2026-11-21"), "21/11/2026");
  EXPECT_EQ(vi.Date("not a date"), "not a date");
}

TEST(CatalogTest, EnglishNumberFormats) {
  const Catalog& en = Catalog::BuiltIn(Language::kEn);
  EXPECT_EQ(en.Text("outcome.fail"), "Fail");
  EXPECT_EQ(en.Integer(1234567), "1,234,567");
  EXPECT_EQ(en.Number(-12345.678, 2), "-12,345.68");
  EXPECT_EQ(en.Percent(100), "100.0%");
  EXPECT_EQ(en.Date("2026-01-05"), "2026-01-05");
}

TEST(CatalogTest, FormatReplacesKnownPlaceholdersOnly) {
  auto c = Catalog::FromFiles(Language::kEn, {{"en/t.yaml", "a:\n  b: \"{n} of {total} {other}\"\n"}});
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->Format("a.b", {{"n", "3"}, {"total", "7"}}), "3 of 7 {other}");
  EXPECT_EQ(c->Text("a.missing"), "⟦a.missing⟧");
  EXPECT_FALSE(c->Has("a"));
}

TEST(CatalogTest, RejectsDuplicateKeysAcrossFilesAndBadShapes) {
  auto twice = Catalog::FromFiles(Language::kVi, {{"vi/a.yaml", "x:\n  y: \"1\"\n"},
                                                  {"vi/b.yaml", "x:\n  y: \"2\"\n"}});
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.status().message(), "vi/b.yaml:2:3: 'x.y' is defined twice");
  auto list = Catalog::FromFiles(Language::kVi, {{"vi/c.yaml", "x: [1, 2]\n"}});
  ASSERT_FALSE(list.ok());
  EXPECT_EQ(list.status().message(), "vi/c.yaml:1:4: 'x' must be a text or a map");
  auto broken = Catalog::FromFiles(Language::kVi, {{"vi/d.yaml", "x: [1, 2\n"}});
  ASSERT_FALSE(broken.ok());
  EXPECT_TRUE(broken.status().message().starts_with("vi/d.yaml:")) << broken.status().message();
}

// The dotted paths and texts of a catalog file as yaml-cpp reads it: what FlattenPlainCatalog
// must give for the files dqaudit ships.
void FlattenWithYaml(const YAML::Node& node, const std::string& prefix,
                     std::vector<std::pair<std::string, std::string>>& out) {
  for (const auto& entry : node) {
    const std::string path = (prefix.empty() ? "" : prefix + ".") + entry.first.as<std::string>();
    if (entry.second.IsMap()) {
      FlattenWithYaml(entry.second, path, out);
    } else {
      out.emplace_back(path, entry.second.as<std::string>());
    }
  }
}

TEST(CatalogTest, TheShippedFilesAreReadByTheLineScanAsYamlReadsThem) {
  ASSERT_GT(kEmbeddedCatalogCount, 0u);
  for (size_t i = 0; i < kEmbeddedCatalogCount; ++i) {
    SCOPED_TRACE(kEmbeddedCatalogs[i].name);
    const auto plain = FlattenPlainCatalog(kEmbeddedCatalogs[i].text);
    ASSERT_TRUE(plain.has_value());  // a shipped file outside the plain form costs every start
    std::vector<std::pair<std::string, std::string>> yaml;
    FlattenWithYaml(YAML::Load(kEmbeddedCatalogs[i].text), "", yaml);
    EXPECT_FALSE(yaml.empty());
    EXPECT_EQ(*plain, yaml);
  }
}

TEST(CatalogTest, TheLineScanLeavesAnythingButThePlainFormToYaml) {
  using Entries = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(FlattenPlainCatalog("# words\nx:  # a map\n  y: \"a # b\"  # c\n  z:\n    w: \"\"\r\n"
                                "v: \"2\"\n"),
            (Entries{{"x.y", "a # b"}, {"x.z.w", ""}, {"v", "2"}}));
  EXPECT_EQ(FlattenPlainCatalog("# nothing\n\n"), Entries{});
  for (const char* yaml : {
           "x: \"a\\\"b\"\n",          // an escape
           "x: \"a\n  b\"\n",             // a text over two lines
           "x: plain\n",                    // a plain scalar
           "x: 'single'\n",                 // single quotes
           "x: [1, 2]\n",                   // a list
           "x:\n",                          // a key without a value (null)
           "x:\n  y: \"1\"\n z: \"2\"\n",  // entries indented differently
           "  x: \"1\"\n",                  // an indented first key
           "x: \"1\"#c\n",                  // a comment without a space before it
           "x:\"1\"\n",                     // no space after the colon
           "x.y: \"1\"\n",                  // a dot in a key
           "null: \"1\"\n",                 // a null key
           "x: \"1\" \"2\"\n",              // more after the text
           "---\nx: \"1\"\n",               // a document marker
       }) {
    EXPECT_FALSE(FlattenPlainCatalog(yaml).has_value()) << yaml;
  }
  // What falls back is read by yaml-cpp as before: texts in any YAML form, errors with lines.
  auto folded = Catalog::FromFiles(Language::kEn, {{"en/f.yaml", "x:\n  y: plain words\n"}});
  ASSERT_TRUE(folded.ok()) << folded.status().message();
  EXPECT_EQ(folded->Text("x.y"), "plain words");
  auto twice = Catalog::FromFiles(Language::kVi, {{"vi/a.yaml", "x:\n  y: \"1\"\n  y: \"2\"\n"}});
  ASSERT_FALSE(twice.ok());
  EXPECT_TRUE(twice.status().message().starts_with("vi/a.yaml:")) << twice.status().message();
}

TEST(CatalogTest, ParseLanguage) {
  EXPECT_EQ(*ParseLanguage("vi"), Language::kVi);
  EXPECT_EQ(*ParseLanguage("en"), Language::kEn);
  auto bad = ParseLanguage("fr");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "unknown language 'fr': expected vi or en");
}

}  // namespace
}  // namespace dqa::i18n
