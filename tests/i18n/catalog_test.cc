#include "core/i18n/catalog.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

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

TEST(CatalogTest, ParseLanguage) {
  EXPECT_EQ(*ParseLanguage("vi"), Language::kVi);
  EXPECT_EQ(*ParseLanguage("en"), Language::kEn);
  auto bad = ParseLanguage("fr");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "unknown language 'fr': expected vi or en");
}

}  // namespace
}  // namespace dqa::i18n
