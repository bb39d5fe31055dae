// One file per check type (issue 11): every built-in type of the catalogue is defined in
// core/checks/<name>.cc, its unit tests are tests/checks/<name>_test.cc, and no other file of
// core/ names the type (the exact string literal "<name>"): the rule parser, the engine, the worker
// and the commands all go through the catalogue. The literal finder runs on the real tree and, to
// prove that it can fail, on small trees written by the tests.
#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/checks/catalog.h"
#include "tests/architecture/source_tree.h"

namespace dqa::catalog_layout {
namespace {
namespace fs = std::filesystem;
using architecture::kSourceDir;
using architecture::Lines;
using architecture::SourceFiles;

// Literals of core/ that spell a built-in type's name without naming the type, each exact
// (file, literal). Nothing else may be added here: a file that needs a type asks the catalogue.
const std::set<std::pair<std::string, std::string>> kAllowedLiterals = {
    // The dimension freshness (Dimension::kFreshness), not the check type freshness.
    {"core/model/types.cc", "freshness"},
    // The scoring configuration's weight of the dimension freshness (weights: {freshness: ...}).
    {"core/scoring/config.cc", "freshness"},
    // A column profile's value shapes ("patterns": [{"pattern": "999-Aa", ...}]): a JSON key.
    {"core/profiling/profile_output.cc", "pattern"},
    // The `schema=` parameter of a PostgreSQL connection URI (dqaudit's own, stripped before
    // libpq sees it), not the check type schema.
    {"core/sources/pg_db.cc", "schema"},
};

// One string literal of a source file: its line and its text between the quotes, as written
// (escapes not decoded).
struct Literal {
  int line = 0;
  std::string text;
};

bool IsIdentifierChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

// The identifier or number that ends just before `pos` ("u8" in `u8"x"`, "1" in `1'000`).
std::string_view TokenBefore(std::string_view code, size_t pos) {
  size_t start = pos;
  while (start > 0 && IsIdentifierChar(code[start - 1])) --start;
  return code.substr(start, pos - start);
}

bool IsRawPrefix(std::string_view token) {
  return token == "R" || token == "LR" || token == "uR" || token == "UR" || token == "u8R";
}

// Every string literal of `code`, ordinary or raw, outside comments and character literals.
std::vector<Literal> StringLiterals(std::string_view code) {
  std::vector<Literal> out;
  int line = 1;
  size_t i = 0;
  const auto advance_to = [&](size_t end) {  // moves i to `end`, counting lines
    for (; i < end && i < code.size(); ++i) {
      if (code[i] == '\n') ++line;
    }
  };
  while (i < code.size()) {
    const char c = code[i];
    const std::string_view rest = code.substr(i);
    if (rest.starts_with("//")) {
      advance_to(code.find('\n', i) == std::string_view::npos ? code.size() : code.find('\n', i));
    } else if (rest.starts_with("/*")) {
      const size_t end = code.find("*/", i + 2);
      advance_to(end == std::string_view::npos ? code.size() : end + 2);
    } else if (c == '"' && IsRawPrefix(TokenBefore(code, i))) {
      // A raw string R"delim( ... )delim".
      const size_t open = code.find('(', i);
      if (open == std::string_view::npos) break;
      const std::string close = ")" + std::string(code.substr(i + 1, open - i - 1)) + "\"";
      const size_t end = code.find(close, open);
      const size_t stop = end == std::string_view::npos ? code.size() : end;
      out.push_back({line, std::string(code.substr(open + 1, stop - open - 1))});
      advance_to(stop == code.size() ? stop : stop + close.size());
    } else if (c == '"' || c == '\'') {
      const std::string_view before = TokenBefore(code, i);
      if (c == '\'' && !before.empty() && before != "L" && before != "u" && before != "U" &&
          before != "u8") {
        ++i;  // a digit separator (1'000)
        continue;
      }
      size_t j = i + 1;
      while (j < code.size() && code[j] != c && code[j] != '\n') j += code[j] == '\\' ? 2 : 1;
      if (c == '"') out.push_back({line, std::string(code.substr(i + 1, j - i - 1))});
      advance_to(j + 1);
    } else {
      advance_to(i + 1);
    }
  }
  return out;
}

std::string ReadText(const fs::path& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// What FindTypeNameLiterals finds.
struct Findings {
  std::vector<std::string> violations;                    // "core/x.cc:12 spells \"missing\""
  std::set<std::pair<std::string, std::string>> allowed;  // allowlisted literals that occur
};

// Every exact string literal "<name>" of a file core/**/*.cc|h of `root` other than
// core/checks/<name>.cc, for each of `names`, except those in `allowlist`.
Findings FindTypeNameLiterals(const fs::path& root, const std::vector<std::string>& names,
                              const std::set<std::pair<std::string, std::string>>& allowlist) {
  const std::set<std::string> wanted(names.begin(), names.end());
  Findings found;
  for (const std::string& file : SourceFiles(root)) {
    if (!file.starts_with("core/") || !(file.ends_with(".cc") || file.ends_with(".h"))) continue;
    for (const Literal& literal : StringLiterals(ReadText(root / file))) {
      if (!wanted.count(literal.text)) continue;
      if (file == "core/checks/" + literal.text + ".cc") continue;
      if (allowlist.count({file, literal.text})) {
        found.allowed.insert({file, literal.text});
        continue;
      }
      found.violations.push_back(file + ":" + std::to_string(literal.line) + " spells \"" +
                                 literal.text + "\"");
    }
  }
  return found;
}

std::vector<std::string> BuiltinNames() {
  std::vector<std::string> names;
  for (std::string_view name : Catalog().BuiltinNames()) names.emplace_back(name);
  return names;
}

TEST(CheckCatalogLayoutTest, EveryBuiltinTypeHasItsFileAndItsTests) {
  const std::vector<std::string> names = BuiltinNames();
  EXPECT_GE(names.size(), 12u);
  std::vector<std::string> absent;
  for (const std::string& name : names) {
    for (const std::string& file :
         {"core/checks/" + name + ".cc", "tests/checks/" + name + "_test.cc"}) {
      if (!fs::is_regular_file(kSourceDir / file)) absent.push_back(file + " (type " + name + ")");
    }
  }
  EXPECT_TRUE(absent.empty()) << "each built-in check type has its own source file and its own "
                                 "unit test file, named after it:\n"
                              << Lines(absent);
}

TEST(CheckCatalogLayoutTest, EachTypeFileSpellsItsName) {
  // The finder sees the literal where it belongs: proof that it reads the real tree.
  for (const std::string& name : BuiltinNames()) {
    const std::string file = "core/checks/" + name + ".cc";
    bool spelled = false;
    for (const Literal& literal : StringLiterals(ReadText(kSourceDir / file))) {
      spelled = spelled || literal.text == name;
    }
    EXPECT_TRUE(spelled) << file << " does not spell \"" << name << "\"";
  }
}

TEST(CheckCatalogLayoutTest, NoOtherFileOfCoreNamesABuiltinType) {
  const Findings found = FindTypeNameLiterals(kSourceDir, BuiltinNames(), kAllowedLiterals);
  EXPECT_TRUE(found.violations.empty())
      << "a check type is named only by its own file core/checks/<name>.cc; elsewhere, ask the "
         "catalogue (Catalog().Find, CheckTypeInfo) instead of spelling the name:\n"
      << Lines(found.violations);
}

TEST(CheckCatalogLayoutTest, AllowedLiteralsStillOccur) {
  // An allowed literal that is gone must leave the allowlist, so that it cannot come back unseen.
  const Findings found = FindTypeNameLiterals(kSourceDir, BuiltinNames(), kAllowedLiterals);
  std::vector<std::string> stale;
  for (const auto& [file, literal] : kAllowedLiterals) {
    if (!found.allowed.count({file, literal})) stale.push_back(file + " \"" + literal + "\"");
  }
  EXPECT_TRUE(stale.empty()) << "gone: delete from kAllowedLiterals of "
                                "tests/architecture/check_catalog_layout_test.cc:\n"
                             << Lines(stale);
}

// The finder on small trees: proof that it fails, naming the file and the line, and that it sees
// exact literals only (not comments, character literals, longer strings or other folders).
class TypeNameLiteralTest : public architecture::SmallTreeTest {};

TEST_F(TypeNameLiteralTest, ReportsALiteralOutsideTheTypesOwnFile) {
  Write("core/checks/missing.cc", "const char* kName = \"missing\";\n");
  Write("core/engine/scan.cc",
        "// a \"missing\" check in a comment\n"
        "/* \"missing\" in a block\n comment */\n"
        "if (type == \"missing\") {}\n"
        "const char q = '\"'; const int n = 1'000; auto s = \"missing_values\";\n"
        "auto t = \"a \\\" missing\"; auto r = R\"x(\"missing\")x\";\n"
        "auto u = \"missing\";  // again\n");
  Write("core/model/types.h", "#pragma once\n\nauto d = \"missing\";\n");
  Write("reports/table.cc", "auto m = \"missing\";\n");          // not core/
  Write("core/engine/notes.md", "\"missing\"\n");                // not C++
  const Findings found = FindTypeNameLiterals(root_, {"missing", "sql"}, {});
  EXPECT_EQ(found.violations,
            (std::vector<std::string>{"core/engine/scan.cc:4 spells \"missing\"",
                                      "core/engine/scan.cc:7 spells \"missing\"",
                                      "core/model/types.h:3 spells \"missing\""}));
}

TEST_F(TypeNameLiteralTest, AllowlistEntriesAreExact) {
  Write("core/model/types.cc", "auto a = \"freshness\";\nauto b = \"stale\";\n");
  Write("core/scoring/config.cc", "auto a = \"freshness\";\n");
  const Findings found = FindTypeNameLiterals(root_, {"freshness", "stale"},
                                              {{"core/model/types.cc", "freshness"}});
  EXPECT_EQ(found.violations,
            (std::vector<std::string>{"core/model/types.cc:2 spells \"stale\"",
                                      "core/scoring/config.cc:1 spells \"freshness\""}));
  EXPECT_EQ(found.allowed,
            (std::set<std::pair<std::string, std::string>>{{"core/model/types.cc", "freshness"}}));
}

TEST(StringLiteralsTest, RawStringsAndEscapes) {
  const std::vector<Literal> found =
      StringLiterals("x = u8\"a\";\ny = R\"sql(\nb \"c\" )\" \n)sql\"; z = \"d\\\\\" \"e\";\n");
  ASSERT_EQ(found.size(), 4u);
  EXPECT_EQ(found[0].text, "a");
  EXPECT_EQ(found[1].text, "\nb \"c\" )\" \n");
  EXPECT_EQ(found[1].line, 2);
  EXPECT_EQ(found[2].text, "d\\\\");
  EXPECT_EQ(found[2].line, 4);
  EXPECT_EQ(found[3].text, "e");
}

}  // namespace
}  // namespace dqa::catalog_layout
