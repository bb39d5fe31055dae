#include "core/util/yaml_load.h"

#include <gtest/gtest.h>

#include <string>

namespace dqa {
namespace {

struct MalformedCase {
  const char* name;
  std::string text;
  int line;
  int column;
  const char* message;
};

// Every malformed input is reported once, at its position, with yaml-cpp's own message or ours
// for what yaml-cpp lets through.
TEST(YamlLoadTest, MalformedInputsTable) {
  const MalformedCase cases[] = {
      {"unclosed double quote", "source: pop\ndepartment: \"CA\ndatabase: sqlite:x.db\n", 2, 13,
       "YAML syntax error: unclosed quote: the string that starts here has no closing \""},
      {"unclosed single quote", "source: pop\ndepartment: 'CA\ndatabase: sqlite:x.db\n", 2, 13,
       "YAML syntax error: unclosed quote: the string that starts here has no closing '"},
      {"unclosed quote in a list", "a:\n  - \"x\n  - y\n", 2, 5,
       "YAML syntax error: unclosed quote: the string that starts here has no closing \""},
      {"unclosed quoted key", "\"a: 1\n", 1, 1,
       "YAML syntax error: unclosed quote: the string that starts here has no closing \""},
      {"escaped quote is not a closing one", "a: \"x\\\"\n", 1, 4,
       "YAML syntax error: unclosed quote: the string that starts here has no closing \""},
      {"doubled single quote is not a closing one", "a: 'it''s\n", 1, 4,
       "YAML syntax error: unclosed quote: the string that starts here has no closing '"},
      {"unclosed quote in a flow map", "c:\n  - p: {r: \"^A}\n", 2, 12,
       "YAML syntax error: unclosed quote: the string that starts here has no closing \""},
      {"unclosed quote in a flow list", "c: [a, 'b]\nd: 1\n", 1, 8,
       "YAML syntax error: unclosed quote: the string that starts here has no closing '"},
      {"unclosed flow map after an apostrophe", "a: {x: it's\n", 2, 1,
       "YAML syntax error: end of map flow not found"},
      {"tab indentation", "a:\n\tb: 1\n", 2, 3, "YAML syntax error: illegal map value"},
      {"bad indentation", "a: 1\n  b: 2\n", 2, 4, "YAML syntax error: illegal map value"},
      {"two colons", "a: b: c\n", 1, 5, "YAML syntax error: illegal map value"},
      {"unclosed flow list", "a: [x, y\n", 2, 1,
       "YAML syntax error: end of sequence flow not found"},
      {"unclosed flow map", "a: {x: 1\n", 2, 1, "YAML syntax error: end of map flow not found"},
      {"unknown alias", "a: *nope\n", 1, 4,
       "YAML syntax error: the referenced anchor is not defined"},
      {"bad escape", "a: \"\\q\"\n", 1, 7, "YAML syntax error: unknown escape character: q"},
      {"nul byte", std::string("a: 1\nb: x\0\n", 11), 2, 5,
       "NUL byte (0x00): a YAML file must be UTF-8 text"},
      {"invalid utf-8", "a: 1\nten: Nguy\xE1n\n", 2, 10,
       "invalid UTF-8 (byte 0xE1): a YAML file must be UTF-8 text"},
      {"latin-1 file", "ten: \"L\xEA\"\n", 1, 8,
       "invalid UTF-8 (byte 0xEA): a YAML file must be UTF-8 text"},
  };
  for (const MalformedCase& c : cases) {
    SCOPED_TRACE(c.name);
    const LoadedYaml loaded = LoadYaml(c.text);
    ASSERT_TRUE(loaded.problem.has_value());
    EXPECT_EQ(loaded.problem->line, c.line);
    EXPECT_EQ(loaded.problem->column, c.column);
    EXPECT_EQ(loaded.problem->message, c.message);
  }
}

TEST(YamlLoadTest, QuotesThatAreNotScalarsAreFine) {
  for (const char* text : {
           "filter: trang_thai <> 'thu_nghiem'\n",        // quotes inside a plain scalar
           "a: it's # don't\n",                            // apostrophes and a comment
           "a: |\n  it\"s\n  y: \"\nb: \"ok\"\n",          // a block scalar holds any quote
           "regex: '^0[35789][0-9]{8}$'\nb: \"x\\\"y\"\n",  // closed quotes, escaped quote
           "a: &x [\"p\", 'q']\nb: *x\nc: *x\n",           // aliases share quoted scalars
           "ten: \"Nguyễn Văn An\"\n",
       }) {
    SCOPED_TRACE(text);
    const LoadedYaml loaded = LoadYaml(text);
    EXPECT_FALSE(loaded.problem.has_value()) << loaded.problem->message;
    EXPECT_TRUE(loaded.root.IsMap());
  }
}

}  // namespace
}  // namespace dqa
