#include "core/model/result.h"
#include "core/rules/loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <fstream>
#include <string>
#include <vector>

#include "core/checks/catalog.h"
#include "core/checks/params.h"
#include "core/sources/sqlite_db.h"
#include "core/util/dates.h"

namespace dqa {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

// A fresh directory under the test temp dir.
std::string MakeTempDir() {
  std::string tmpl = (fs::path(::testing::TempDir()) / "dqa_rules_XXXXXX").string();
  const char* dir = mkdtemp(tmpl.data());
  EXPECT_NE(dir, nullptr);
  return dir != nullptr ? std::string(dir) : std::string();
}

void WriteFile(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << text;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t end = text.find('\n', start);
    lines.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return lines;
}

// Six lines; the first check of table `t` is on line 7, its type at column 9.
constexpr char kHeader[] =
    "source: pop\n"
    "department: CA\n"
    "database: sqlite:pop.db\n"
    "tables:\n"
    "  t:\n"
    "    checks:\n";

struct ErrorCase {
  const char* name;
  std::string yaml;
  const char* where;   // "line:column"
  const char* phrase;  // part of the message
};

// Every case must produce exactly one problem, at `where`, mentioning `phrase`.
class RuleErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(RuleErrorTest, ReportsProblemAtOffendingNode) {
  const ErrorCase& c = GetParam();
  Result<SourceSpec> r = ParseRuleText(c.yaml, "t.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  const std::vector<std::string> lines = Lines(r.status().message());
  EXPECT_EQ(lines.size(), 1u) << r.status().message();
  EXPECT_THAT(r.status().message(), HasSubstr(std::string("t.yaml:") + c.where + ": "));
  EXPECT_THAT(r.status().message(), HasSubstr(c.phrase));
}

std::vector<ErrorCase> ErrorCases() {
  const std::string h = kHeader;
  return {
      {"unknown_top_level_key",
       "source: pop\ndepartmnt: CA\ndepartment: CA\ndatabase: sqlite:p.db\ntables: {t: {checks: "
       "[row_count: {min: 1}]}}\n",
       "2:1",
       "unknown key 'departmnt' at the top level; did you mean 'department'? (allowed keys: "
       "source, department, sector, database, attach, today, utc_offset, delivery, tables, "
       "schema_changes)"},
      {"unknown_check_key_with_suggestion", h + "      - missing: {column: a, max_precent: 5}\n",
       "7:30", "unknown key 'max_precent' in check 'missing'; did you mean 'max_percent'?"},
      {"unknown_check_key_lists_allowed_keys",
       h + "      - pattern: {column: a, regex: x, zzz: 1}\n", "7:40",
       "(allowed keys: id, title, severity, dimension, where, max_count, max_percent, warn, fail, "
       "by, column, regex, match, must_not_match)"},
      {"title_in_an_unknown_language",
       h + "      - missing: {columns: [a], title: {vi: \"Thiếu a\", fr: \"a manque\"}}\n",
       "7:58", "unknown key 'fr' in 'title' (allowed keys: vi, en)"},
      {"empty_title", h + "      - missing: {columns: [a], title: \"\"}\n", "7:40",
       "'title' must not be empty"},
      {"title_as_a_list", h + "      - missing: {columns: [a], title: [a, b]}\n", "7:40",
       "'title': expected a text, or a text per language as {vi: \"...\", en: \"...\"}"},
      {"column_titles_not_a_map",
       "source: pop\ndepartment: CA\ndatabase: sqlite:pop.db\ntables:\n  t:\n"
       "    column_titles: [a]\n    checks:\n      - row_count: {min: 1}\n",
       "6:20", "'column_titles': expected a map of column names to their titles"},
      {"columns_not_a_list", h + "      - duplicate: {columns: so_cccd}\n", "7:30",
       "'columns': expected a list of strings"},
      {"list_item_not_a_string", h + "      - duplicate: {columns: [a, {b: 1}]}\n", "7:34",
       "'columns': expected a list of strings"},
      {"unknown_check_type", h + "      - patern: {column: a, regex: x}\n", "7:9",
       "unknown check type 'patern'; did you mean 'pattern'? (known types: row_count, missing, "
       "duplicate, fuzzy_duplicate, freshness, stale, pattern, allowed, range, reference, coverage, condition, "
       "sql, standard_text, schema, reconcile, metric, drift, "
       "indicator)"},
      {"plugin_check", h + "      - population.cccd: {column: so_cccd}\n", "7:9",
       "check type 'population.cccd' is a plugin check, but no installed plugin provides it"},
      {"unknown_type_without_suggestion", h + "      - fuzzy_match: {name: ho_ten}\n", "7:9",
       "unknown check type 'fuzzy_match' (known types: "},
      {"missing_required_check_key", h + "      - pattern: {column: a}\n", "7:9",
       "missing required key 'regex' in check 'pattern'"},
      {"missing_column", h + "      - allowed: {values: [a]}\n", "7:9",
       "missing required key 'column' in check 'allowed'"},
      {"missing_required_top_level_key",
       "source: pop\ndepartment: CA\ntables: {t: {checks: [row_count: {min: 1}]}}\n", "1:1",
       "missing required key 'database' at the top level"},
      {"duplicate_check_id",
       h + "      - pattern: {column: a, regex: x}\n      - pattern: {column: a, regex: y}\n",
       "8:9",
       "check id 'pattern:t.a' is already used in source 'pop' (at t.yaml:7:9); give one of them "
       "an explicit id"},
      {"duplicate_explicit_id",
       h + "      - row_count: {id: n, min: 1}\n      - sql: {id: n, query: 'SELECT 1', max: 0}\n",
       "8:9", "check id 'n' is already used"},
      {"empty_table_list", "source: pop\ndepartment: CA\ndatabase: sqlite:p.db\ntables: {}\n",
       "4:9", "'tables' is empty"},
      {"tables_not_a_map", "source: pop\ndepartment: CA\ndatabase: sqlite:p.db\ntables: [t]\n",
       "4:9", "'tables': expected a map of table name"},
      {"checks_not_a_list", h.substr(0, h.size() - 8) + "checks: {row_count: {min: 1}}\n", "6:13",
       "'checks': expected a list of checks"},
      {"empty_check_list", h.substr(0, h.size() - 8) + "checks: []\n", "6:13",
       "'checks' of table 't' is empty"},
      {"table_without_checks", h.substr(0, h.size() - 12) + "    key: [id]\n", "5:3",
       "missing required key 'checks' in table 't'"},
      {"unknown_table_key", h + "      - row_count: {min: 1}\n    filtre: x\n", "8:5",
       "unknown key 'filtre' in table 't'; did you mean 'filter'?"},
      {"yaml_syntax_error", h + "      - row_count: {min: 1\n", "8:1", "YAML syntax error"},
      {"bad_regex", h + "      - pattern: {column: a, regex: '('}\n", "7:37",
       "invalid regex '(': missing )"},
      {"empty_regex_list", h + "      - pattern: {column: a, regex: []}\n", "7:37",
       "'regex': expected a regex or a non-empty list of regexes"},
      {"bad_regex_in_a_list", h + "      - pattern: {column: a, regex: [a, '(']}\n", "7:41",
       "invalid regex '(': missing )"},
      {"regex_without_value", h + "      - pattern: {column: a, regex: }\n", "7:30",
       "'regex' has no value: expected a regex or a list of them"},
      {"regex_list_of_maps", h + "      - pattern: {column: a, regex: [{a: 1}]}\n", "7:38",
       "'regex': expected a list of regexes; this item is not a string"},
      {"bad_match", h + "      - pattern: {column: a, regex: [a, b], match: most}\n", "7:52",
       "'match': expected one of any, all, got 'most'"},
      {"exclusive_without_its_bound",
       h + "      - range: {column: a, max: 3, min_exclusive: true}\n", "7:36",
       "'min_exclusive' needs 'min'"},
      {"allowed_without_a_list", h + "      - allowed: {column: a}\n", "7:9",
       "check 'allowed' needs 'values' or 'forbidden'"},
      {"allowed_with_both_lists",
       h + "      - allowed: {column: a, values: [x], forbidden: [y]}\n", "7:43",
       "give 'values' or 'forbidden', not both"},
      {"bad_duration", h + "      - stale: {column: a, older_than: 2 years}\n", "7:40",
       "'older_than': expected a duration like 30d, 12h, 2w, 6m or 1y, got '2 years'"},
      {"bad_date_format", h + "      - stale: {column: a, older_than: 2y, date_format: ymd}\n",
       "7:57", "'date_format': expected iso (YYYY-MM-DD) or dmy (DD/MM/YYYY)"},
      {"bad_today",
       "source: pop\ndepartment: CA\ndatabase: sqlite:p.db\ntoday: 2026-02-30\ntables: {t: "
       "{checks: [row_count: {min: 1}]}}\n",
       "4:8", "'today': expected a date YYYY-MM-DD, got '2026-02-30'"},
      {"bad_utc_offset",
       "source: pop\ndepartment: CA\ndatabase: sqlite:p.db\nutc_offset: 7\ntables: {t: "
       "{checks: [row_count: {min: 1}]}}\n",
       "4:13",
       "'utc_offset': expected \"+HH:MM\", \"-HH:MM\" or \"Z\" (e.g. \"+07:00\" for Vietnam), got '7'"},
      {"unknown_database_scheme",
       "source: pop\ndepartment: CA\ndatabase: data/pop.db\ntables: "
       "{t: {checks: [row_count: {min: 1}]}}\n",
       "3:11", "'database': expected 'sqlite:<path>'"},
      {"sqlite_without_path",
       "source: pop\ndepartment: CA\ndatabase: 'sqlite:'\ntables: "
       "{t: {checks: [row_count: {min: 1}]}}\n",
       "3:11", "'sqlite:' needs a file path"},
      {"reserved_attach_alias",
       "source: pop\ndepartment: CA\ndatabase: sqlite:p.db\nattach: "
       "{MAIN: civil}\ntables: {t: {checks: [row_count: {min: 1}]}}\n",
       "4:10", "attach alias 'MAIN' is reserved by SQLite"},
      {"attach_alias_not_an_identifier",
       "source: pop\ndepartment: CA\ndatabase: sqlite:p.db\nattach: {ho-tich: civil}\ntables: "
       "{t: {checks: [row_count: {min: 1}]}}\n",
       "4:10", "attach alias 'ho-tich' must be a plain identifier"},
      {"attach_itself",
       "source: pop\ndepartment: CA\ndatabase: sqlite:p.db\nattach: {me: pop}\n"
       "tables: {t: {checks: [row_count: {min: 1}]}}\n",
       "4:14", "source 'pop' cannot attach itself"},
      {"attach_not_a_map",
       "source: pop\ndepartment: CA\ndatabase: sqlite:p.db\nattach: civil\n"
       "tables: {t: {checks: [row_count: {min: 1}]}}\n",
       "4:9", "'attach': expected a map alias -> source id"},
      {"reference_to_unattached_alias",
       h + "      - reference: {column: a, table: civil.khai_tu, ref_column: b}\n", "7:39",
       "'civil' in 'civil.khai_tu' is not an attach alias of this source (it attaches nothing"},
      {"coverage_expected_missing_column",
       h + "      - coverage: {column: a, expected: {table: dm_xa}}\n", "7:41",
       "missing required key 'column' in 'expected'"},
      {"range_mixed_bounds", h + "      - range: {column: a, min: 0, max: today}\n", "7:41",
       "'min' and 'max' must both be numbers or both be dates"},
      {"range_bad_bound", h + "      - range: {column: a, max: 'today - 3 days'}\n", "7:33",
       "'max': expected a number, a date YYYY-MM-DD, 'today', or 'today' plus or minus a duration"},
      {"range_min_above_max", h + "      - range: {column: a, min: 10, max: 2}\n", "7:9",
       "'min' (10) is greater than 'max' (2)"},
      {"range_date_format_with_numbers",
       h + "      - range: {column: a, min: 1, date_format: dmy}\n", "7:36",
       "'date_format' applies only to date bounds"},
      {"range_without_bounds", h + "      - range: {column: a}\n", "7:9",
       "check 'range' needs 'min' or 'max'"},
      {"bad_severity", h + "      - row_count: {min: 1, severity: high}\n", "7:39",
       "'severity': expected warn, fail or critical"},
      {"bad_dimension", h + "      - row_count: {min: 1, dimension: dung}\n", "7:40",
       "'dimension': expected validity, completeness, uniqueness or freshness"},
      {"check_level_limits_and_fail",
       h + "      - row_count: {min: 1, max_count: 1, fail: "
           "{max_count: 2}}\n",
       "7:43", "give fail limits either as max_count/max_percent or inside 'fail:', not both"},
      {"empty_warn", h + "      - row_count: {min: 1, warn: {}}\n", "7:35",
       "'warn' needs max_count or max_percent"},
      {"percent_out_of_range", h + "      - row_count: {min: 1, max_percent: 150}\n", "7:42",
       "'max_percent': expected a percentage between 0 and 100"},
      {"negative_max_count", h + "      - row_count: {min: 1, max_count: -1}\n", "7:40",
       "'max_count': expected a whole number >= 0, got '-1'"},
      {"column_and_columns", h + "      - missing: {column: a, columns: [b]}\n", "7:30",
       "give either 'column' or 'columns', not both"},
      {"check_with_two_keys", h + "      - missing: {column: a}\n        id: x\n", "7:9",
       "a check is a map with exactly one key, its type; found keys missing, id"},
      {"check_params_not_a_map", h + "      - row_count: 5\n", "7:20",
       "parameters of check 'row_count' must be a map"},
      {"duplicate_key", h + "      - row_count: {min: 1, min: 2}\n", "7:29",
       "duplicate key 'min' in check 'row_count' (first given at line 7)"},
      {"row_count_without_bounds", h + "      - row_count\n", "7:9",
       "check 'row_count' needs 'min' or 'max'"},
      {"sql_takes_no_where", h + "      - sql: {query: 'SELECT 1', max: 0, where: 'a = 1'}\n",
       "7:42", "unknown key 'where' in check 'sql'"},
      {"sql_without_bounds", h + "      - sql: {query: 'SELECT 1'}\n", "7:9",
       "check 'sql' needs 'min' or 'max'"},
      {"bad_source_id",
       "source: công an\ndepartment: CA\ndatabase: sqlite:p.db\ntables: "
       "{t: {checks: [row_count: {min: 1}]}}\n",
       "1:9", "source id 'công an' may contain only letters, digits, '_' and '-'"},
      {"key_listed_twice",
       h.substr(0, h.size() - 12) + "    key: [id, id]\n    checks: "
                                    "[row_count: {min: 1}]\n",
       "6:15", "'key': 'id' is listed twice"},
      {"empty_string", h + "      - condition: {invalid_when: ''}\n", "7:35",
       "'invalid_when' must not be empty"},
      {"value_missing", h + "      - condition:\n          invalid_when:\n", "8:11",
       "'invalid_when' has no value"},
      {"bool_expected", h + "      - allowed: {column: a, values: [x], normalize: maybe}\n", "7:54",
       "'normalize': expected true or false"},
      {"duplicate_normalize_not_a_choice",
       h + "      - duplicate: {columns: [a], normalize: nfd}\n", "7:46",
       "'normalize': expected one of none, nfc, fold, got 'nfd'; did you mean 'nfc'?"},
      {"min_rows_below_one",
       h + "      - coverage: {column: a, expected: {table: x, column: y}, min_rows: 0}\n", "7:74",
       "'min_rows': expected a whole number >= 1, got '0'"},
      {"empty_file", "", "1:1", "the rule file is empty"},
      {"not_a_map", "- a\n- b\n", "1:1", "a rule file must be a map"},
  };
}

INSTANTIATE_TEST_SUITE_P(RuleLoaderTest, RuleErrorTest, ::testing::ValuesIn(ErrorCases()),
                         [](const ::testing::TestParamInfo<ErrorCase>& param_info) {
                           return std::string(param_info.param.name);
                         });

TEST(RuleLoaderTest, CollectsAllProblemsSortedByLine) {
  const std::string yaml = std::string(kHeader) +
                           "      - pattern: {column: a, regex: '('}\n"      // 7
                           "      - patern: {column: a}\n"                   // 8
                           "      - stale: {column: a, older_than: soon}\n"  // 9
                           "sectr: population\n";                            // 10
  Result<SourceSpec> r = ParseRuleText(yaml, "t.yaml");
  ASSERT_FALSE(r.ok());
  const std::vector<std::string> lines = Lines(r.status().message());
  ASSERT_EQ(lines.size(), 4u) << r.status().message();
  EXPECT_THAT(lines[0], HasSubstr("t.yaml:7:37: invalid regex"));
  EXPECT_THAT(lines[1], HasSubstr("t.yaml:8:9: unknown check type 'patern'"));
  EXPECT_THAT(lines[2], HasSubstr("t.yaml:9:40: 'older_than': expected a duration"));
  EXPECT_THAT(lines[3], HasSubstr("t.yaml:10:1: unknown key 'sectr' at the top level; did you "
                                  "mean 'sector'?"));
}

// ${NAME} in rule values comes from the environment (docs/rules.md "Environment variables and
// secrets"); `$${` is a literal `${`; keys are never substituted.
// A PostgreSQL URI is kept whole for libpq (`connection`) and shown with its password redacted.
TEST(RuleLoaderTest, PostgresqlUriIsKeptForLibpqAndShownRedacted) {
  Result<SourceSpec> r = ParseRuleText(
      "source: pop\ndepartment: CA\ndatabase: \"postgresql://u:s3cret@h:5432/db?schema=dan_cu\"\n"
      "tables: {t: {checks: [row_count: {min: 1}]}}\n",
      "t.yaml");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->connection, "postgresql://u:s3cret@h:5432/db?schema=dan_cu");
  EXPECT_EQ(r->database, "postgresql://u:***@h:5432/db?schema=dan_cu");
  EXPECT_TRUE(r->db_path.empty());
}

TEST(RuleLoaderTest, SubstitutesEnvironmentVariablesInValues) {
  setenv("DQA_TEST_DB_DIR", "data/x", 1);
  setenv("DQA_TEST_MIN", "3", 1);
  const std::string yaml =
      "source: pop\n"
      "department: CA\n"
      "database: sqlite:${DQA_TEST_DB_DIR}/pop.db\n"
      "tables:\n"
      "  t:\n"
      "    checks:\n"
      "      - row_count: {min: '${DQA_TEST_MIN}'}\n"
      "      - pattern: {column: a, regex: '^$${x}$'}\n";
  Result<SourceSpec> r = ParseRuleText(yaml, "/rules/t.yaml");
  unsetenv("DQA_TEST_DB_DIR");
  unsetenv("DQA_TEST_MIN");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->database, "sqlite:data/x/pop.db");
  EXPECT_EQ(r->db_path, "/rules/data/x/pop.db");
  ASSERT_EQ(r->tables.size(), 1u);
  ASSERT_EQ(r->tables[0].checks.size(), 2u);
  EXPECT_EQ(r->tables[0].checks[0].params.at("min"), 3);
  EXPECT_EQ(r->tables[0].checks[1].params.at("regex"), "^${x}$");
}

TEST(RuleLoaderTest, UnsetEnvironmentVariableIsReportedWhereItIsWritten) {
  unsetenv("DQA_TEST_UNSET_PASSWORD");
  const std::string yaml = std::string(kHeader) +
                           "      - row_count: {min: 1}\n"
                           "      - pattern: {column: a, regex: 'x${DQA_TEST_UNSET_PASSWORD}'}\n"
                           "      - pattern: {column: b, regex: '${1BAD}'}\n";
  Result<SourceSpec> r = ParseRuleText(yaml, "t.yaml");
  ASSERT_FALSE(r.ok());
  const std::vector<std::string> lines = Lines(r.status().message());
  ASSERT_EQ(lines.size(), 2u) << r.status().message();
  EXPECT_EQ(lines[0], "t.yaml:8:37: environment variable DQA_TEST_UNSET_PASSWORD is not set");
  EXPECT_THAT(lines[1], HasSubstr("t.yaml:9:37: '${' must be followed by an environment variable "
                                  "name and '}'"));
}

// A value from the environment (a password) is never echoed by a loader message: the message
// quotes the text as written.
TEST(RuleLoaderTest, MessagesQuoteTheVariableNotItsValue) {
  setenv("DQA_TEST_SECRET", "hunter2-secret", 1);
  const std::string yaml =
      "source: pop\n"
      "department: CA\n"
      "database: mysql://u:${DQA_TEST_SECRET}@h/db\n"
      "tables:\n"
      "  t:\n"
      "    checks:\n"
      "      - row_count: {min: '${DQA_TEST_SECRET}'}\n";
  Result<SourceSpec> r = ParseRuleText(yaml, "t.yaml");
  unsetenv("DQA_TEST_SECRET");
  ASSERT_FALSE(r.ok());
  const std::string message = r.status().message();
  EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
  EXPECT_THAT(message, HasSubstr("got 'mysql://u:${DQA_TEST_SECRET}@h/db'"));
  EXPECT_THAT(message, HasSubstr("t.yaml:7:26: 'min': expected a whole number >= 0, got "
                                 "'${DQA_TEST_SECRET}'"));
}

// Found by tests/fuzz/rule_parser_fuzz.cc: a YAML key may hold any byte, and a table name with a
// newline was echoed raw, so one problem took two lines and could forge a "file:line:col:" line.
TEST(RuleLoaderTest, EscapesControlCharactersOfNamesInMessages) {
  const std::string yaml =
      "source: pop\n"
      "department: CA\n"
      "database: sqlite:pop.db\n"
      "tables:\n"
      "  \"t\\nt.yaml:1:1: forged\\0\\x7f\": 5\n";
  Result<SourceSpec> r = ParseRuleText(yaml, "t.yaml");
  ASSERT_FALSE(r.ok());
  const std::vector<std::string> lines = Lines(r.status().message());
  ASSERT_EQ(lines.size(), 1u) << r.status().message();
  EXPECT_EQ(lines[0],
            "t.yaml:5:34: table 't\\x0At.yaml:1:1: forged\\x00\\x7F': expected a map with keys key, "
            "filter, checks");
}

// One rule file using every check type and every option.
constexpr char kFullExample[] = R"(source: population
department: "Công an tỉnh"
sector: population
database: sqlite:../data/./population.db
attach: {civil: civil, dm: danh_muc}
today: 2026-11-01
tables:
  cong_dan:
    key: [id, so_cccd]
    filter: "trang_thai <> 'thu_nghiem'"
    checks:
      - row_count: {min: 1000, max: 2000000}
      - missing: {columns: [ho_ten, ngay_sinh], max_percent: 0.5, missing_values: ["N/A", "-"], blank_is_missing: false}
      - missing: {column: que_quan, id: que, severity: warn}
      - duplicate: {columns: [so_cccd, ngay_sinh], severity: critical}
      - freshness: {column: ngay_cap_nhat, max_age: 30d, date_format: dmy}
      - stale: {column: ngay_cap_nhat, older_than: 730d, where: "trang_thai = 'song'", warn: {max_percent: 5}}
      - pattern: {column: so_dien_thoai, regex: '^0[35789][0-9]{8}$', warn: {max_count: 10}, fail: {max_count: 100, max_percent: 2.5}}
      - allowed: {column: gioi_tinh, values: ["Nam", "Nữ"], normalize: false, dimension: uniqueness}
      - range: {column: ngay_sinh, min: today - 120y, max: today}
      - range: {column: ngay_cap, id: ngay_cap_hop_le, min: 1990-01-01, max: "today+30d", date_format: iso}
      - range: {column: tuoi, min: 0, max: 150.5}
      - reference: {column: ma_xa, table: dm.dm_xa, ref_column: ma}
      - reference: {column: ma_tinh, table: dm_tinh, ref_column: ma_tinh}
      - coverage: {column: ma_xa, expected: {table: dm.dm_xa, column: ma}, min_rows: 3}
      - coverage: {column: ma_tinh, expected: {table: dm_tinh, column: ma_tinh}}
      - condition: {id: tra_truoc_nhan, invalid_when: "ngay_tra_kq < ngay_tiep_nhan"}
      - sql: {id: so_ho_so_treo, query: "SELECT COUNT(*) FROM civil.khai_tu", min: 0.5, max: 10}
  "ho khau":
    checks:
      - row_count: {max: 5}
)";

TEST(RuleLoaderTest, ReadsTheClockOfTheDatabase) {
  for (const auto& [text, minutes] : std::vector<std::pair<std::string, int>>{
           {"+07:00", 420}, {"\"-03:30\"", -210}, {"Z", 0}}) {
    Result<SourceSpec> r = ParseRuleText(
        "source: s\ndepartment: D\ndatabase: sqlite:s.db\nutc_offset: " + text +
            "\ntables: {t: {checks: [row_count: {min: 1}]}}\n",
        "/r/s.yaml");
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_EQ(r->utc_offset_minutes, minutes) << text;
  }
}

TEST(RuleLoaderTest, ParsesEveryCheckTypeAndOption) {
  Result<SourceSpec> r = ParseRuleText(kFullExample, "/srv/dqa/rules/population.yaml");
  ASSERT_TRUE(r.ok()) << r.status().message();
  const SourceSpec& s = *r;
  EXPECT_EQ(s.id, "population");
  EXPECT_EQ(s.department, "Công an tỉnh");
  EXPECT_EQ(s.sector, "population");
  EXPECT_EQ(s.database, "sqlite:../data/./population.db");
  EXPECT_EQ(s.db_path, "/srv/dqa/data/population.db");
  EXPECT_EQ(s.rule_file, "/srv/dqa/rules/population.yaml");
  EXPECT_EQ(s.attach, (std::map<std::string, std::string>{{"civil", "civil"}, {"dm", "danh_muc"}}));
  EXPECT_EQ(s.today_day, ParseIsoDay("2026-11-01"));
  EXPECT_FALSE(s.utc_offset_minutes.has_value());
  EXPECT_EQ(s.location.ToString(), "/srv/dqa/rules/population.yaml:1:9");
  ASSERT_EQ(s.tables.size(), 2u);

  const TableSpec& t = s.tables[0];
  EXPECT_EQ(t.name, "cong_dan");
  EXPECT_EQ(t.key, (std::vector<std::string>{"id", "so_cccd"}));
  EXPECT_EQ(t.filter, "trang_thai <> 'thu_nghiem'");
  EXPECT_EQ(t.location.line, 8);
  EXPECT_EQ(t.location.column, 3);

  std::vector<std::string> ids;
  for (const CheckSpec& c : t.checks) ids.push_back(c.id);
  EXPECT_EQ(
      ids, (std::vector<std::string>{
               "row_count:cong_dan", "missing:cong_dan.ho_ten", "missing:cong_dan.ngay_sinh", "que",
               "duplicate:cong_dan.so_cccd,ngay_sinh", "freshness:cong_dan.ngay_cap_nhat",
               "stale:cong_dan.ngay_cap_nhat", "pattern:cong_dan.so_dien_thoai",
               "allowed:cong_dan.gioi_tinh", "range:cong_dan.ngay_sinh", "ngay_cap_hop_le",
               "range:cong_dan.tuoi", "reference:cong_dan.ma_xa", "reference:cong_dan.ma_tinh",
               "coverage:cong_dan.ma_xa", "coverage:cong_dan.ma_tinh", "tra_truoc_nhan",
               "so_ho_so_treo"}));
  for (const CheckSpec& c : t.checks) {
    EXPECT_EQ(c.table, "cong_dan");
    EXPECT_EQ(c.location.file, "/srv/dqa/rules/population.yaml");
    EXPECT_EQ(c.location.column, 9) << c.id;
  }
  const Limits any_violation{0, std::nullopt};

  const CheckSpec& row_count = t.checks[0];
  EXPECT_EQ(row_count.type, "row_count");
  EXPECT_EQ(row_count.location.line, 12);
  EXPECT_EQ(row_count.dimension, Dimension::kCompleteness);
  EXPECT_EQ(row_count.severity, Severity::kFail);
  EXPECT_TRUE(row_count.columns.empty());
  EXPECT_EQ(row_count.thresholds, (Thresholds{{}, any_violation}));
  EXPECT_EQ(row_count.params, (nlohmann::json{{"min", 1000}, {"max", 2000000}}));

  // `missing` with two columns: two specs sharing everything but the column.
  for (int i : {1, 2}) {
    const CheckSpec& m = t.checks[i];
    EXPECT_EQ(m.type, "missing");
    EXPECT_EQ(m.location.line, 13);
    EXPECT_EQ(m.columns, (std::vector<std::string>{i == 1 ? "ho_ten" : "ngay_sinh"}));
    EXPECT_EQ(m.dimension, Dimension::kCompleteness);
    EXPECT_EQ(m.thresholds, (Thresholds{{}, {std::nullopt, 0.5}}));
    // Each spec's `columns` parameter names its own column only.
    EXPECT_EQ(m.params, (nlohmann::json{{"columns", m.columns},
                                        {"missing_values", {"N/A", "-"}},
                                        {"blank_is_missing", false}}));
  }
  const CheckSpec& que = t.checks[3];
  EXPECT_EQ(que.columns, (std::vector<std::string>{"que_quan"}));
  EXPECT_EQ(que.severity, Severity::kWarn);
  // Defaults are not filled in: the type's ParamReader supplies them.
  EXPECT_EQ(que.params, (nlohmann::json{{"columns", {"que_quan"}}}));
  const ParamReader que_params(Catalog().Find("missing")->info(), que.params);
  EXPECT_TRUE(que_params.Bool("blank_is_missing"));
  EXPECT_TRUE(que_params.Strings("missing_values").empty());

  const CheckSpec& dup = t.checks[4];
  EXPECT_EQ(dup.columns, (std::vector<std::string>{"so_cccd", "ngay_sinh"}));
  EXPECT_EQ(dup.dimension, Dimension::kUniqueness);
  EXPECT_EQ(dup.severity, Severity::kCritical);
  EXPECT_EQ(dup.params, (nlohmann::json{{"columns", {"so_cccd", "ngay_sinh"}}}));

  const CheckSpec& fresh = t.checks[5];
  EXPECT_EQ(fresh.dimension, Dimension::kFreshness);
  EXPECT_EQ(fresh.params, (nlohmann::json{
                              {"column", "ngay_cap_nhat"}, {"max_age", "30d"}, {"date_format", "dmy"}}));

  const CheckSpec& stale = t.checks[6];
  EXPECT_EQ(stale.dimension, Dimension::kFreshness);
  EXPECT_EQ(stale.where, "trang_thai = 'song'");
  EXPECT_EQ(stale.params, (nlohmann::json{{"column", "ngay_cap_nhat"}, {"older_than", "730d"}}));
  const ParamReader stale_params(Catalog().Find("stale")->info(), stale.params);
  EXPECT_EQ(stale_params.DurationOf("older_than"), (Duration{730, Duration::Unit::kDays}));
  EXPECT_EQ(stale_params.DateFormatOf("date_format"), DateFormat::kIso);
  // Only warn limits: the check never fails.
  EXPECT_EQ(stale.thresholds, (Thresholds{{std::nullopt, 5.0}, {}}));

  const CheckSpec& pattern = t.checks[7];
  EXPECT_EQ(pattern.dimension, Dimension::kValidity);
  EXPECT_EQ(pattern.params["regex"], "^0[35789][0-9]{8}$");
  EXPECT_EQ(pattern.thresholds, (Thresholds{{10, std::nullopt}, {100, 2.5}}));

  const CheckSpec& allowed = t.checks[8];
  EXPECT_EQ(allowed.dimension, Dimension::kUniqueness);  // overridden
  EXPECT_EQ(allowed.params["values"], (nlohmann::json{"Nam", "Nữ"}));
  EXPECT_EQ(allowed.params["normalize"], false);

  const CheckTypeInfo& range = Catalog().Find("range")->info();
  const ParamReader age(range, t.checks[9].params);
  const std::optional<Bound> age_min = age.BoundOf("min");
  const std::optional<Bound> age_max = age.BoundOf("max");
  ASSERT_TRUE(age_min && age_max);
  EXPECT_EQ(age_min->kind, Bound::Kind::kToday);
  EXPECT_EQ(age_min->offset, (Duration{120, Duration::Unit::kYears}));
  EXPECT_EQ(age_min->offset_sign, -1);
  EXPECT_EQ(age_max->kind, Bound::Kind::kToday);
  EXPECT_FALSE(age_max->offset.has_value());
  EXPECT_EQ(age_max->offset_sign, 0);

  const ParamReader cap(range, t.checks[10].params);
  const std::optional<Bound> cap_min = cap.BoundOf("min");
  const std::optional<Bound> cap_max = cap.BoundOf("max");
  ASSERT_TRUE(cap_min && cap_max);
  EXPECT_EQ(cap_min->kind, Bound::Kind::kDate);
  EXPECT_EQ(cap_min->day, ParseIsoDay("1990-01-01"));
  EXPECT_EQ(cap_max->kind, Bound::Kind::kToday);
  EXPECT_EQ(cap_max->offset, (Duration{30, Duration::Unit::kDays}));
  EXPECT_EQ(cap_max->offset_sign, 1);
  EXPECT_EQ(cap.DateFormatOf("date_format"), DateFormat::kIso);

  // Number bounds are JSON numbers.
  EXPECT_EQ(t.checks[11].params["min"], 0.0);
  EXPECT_EQ(t.checks[11].params["max"], 150.5);

  const ParamReader ref_attached(Catalog().Find("reference")->info(), t.checks[12].params);
  EXPECT_EQ(ref_attached.Table("table").schema, "dm");
  EXPECT_EQ(ref_attached.Table("table").table, "dm_xa");
  EXPECT_EQ(ref_attached.String("ref_column"), "ma");
  EXPECT_EQ(t.checks[12].columns, (std::vector<std::string>{"ma_xa"}));
  EXPECT_EQ(t.checks[13].params,
            (nlohmann::json{{"column", "ma_tinh"}, {"table", "dm_tinh"}, {"ref_column", "ma_tinh"}}));

  const CheckSpec& cov = t.checks[14];
  EXPECT_EQ(cov.dimension, Dimension::kCompleteness);
  EXPECT_EQ(cov.columns, (std::vector<std::string>{"ma_xa"}));
  EXPECT_EQ(cov.params["expected"], (nlohmann::json{{"table", "dm.dm_xa"}, {"column", "ma"}}));
  EXPECT_EQ(cov.params["min_rows"], 3);
  const ParamReader cov_own(Catalog().Find("coverage")->info(), t.checks[15].params);
  EXPECT_EQ(cov_own.TableColumn("expected").first.schema, "");
  EXPECT_EQ(cov_own.Integer("min_rows"), 1);

  const CheckSpec& cond = t.checks[16];
  EXPECT_EQ(cond.dimension, Dimension::kValidity);
  EXPECT_TRUE(cond.columns.empty());
  EXPECT_EQ(cond.params, (nlohmann::json{{"invalid_when", "ngay_tra_kq < ngay_tiep_nhan"}}));

  EXPECT_EQ(t.checks[17].params, (nlohmann::json{{"query", "SELECT COUNT(*) FROM civil.khai_tu"},
                                                  {"min", 0.5},
                                                  {"max", 10.0}}));

  const TableSpec& ho_khau = s.tables[1];
  EXPECT_EQ(ho_khau.name, "ho khau");
  EXPECT_TRUE(ho_khau.key.empty());
  ASSERT_EQ(ho_khau.checks.size(), 1u);
  EXPECT_EQ(ho_khau.checks[0].id, "row_count:ho khau");
  EXPECT_EQ(ho_khau.checks[0].location.line, 31);
}

// An empty or blank regex is a pattern like any other ('' matches every value); a list keeps its
// order and its items as written.
TEST(RuleLoaderTest, AcceptsEmptyBlankAndListedRegexes) {
  const std::string yaml = std::string(kHeader) +
                           "      - pattern: {id: e, column: a, regex: ''}\n"
                           "      - pattern: {id: s, column: a, regex: ' ', must_not_match: yes}\n"
                           "      - pattern: {id: l, column: a, regex: ['^a', '', ' '], match: all}\n";
  Result<SourceSpec> r = ParseRuleText(yaml, "t.yaml");
  ASSERT_TRUE(r.ok()) << r.status().message();
  const std::vector<CheckSpec>& checks = r->tables.at(0).checks;
  ASSERT_EQ(checks.size(), 3u);
  EXPECT_EQ(checks[0].params, (nlohmann::json{{"column", "a"}, {"regex", ""}}));
  EXPECT_EQ(checks[1].params,
            (nlohmann::json{{"column", "a"}, {"regex", " "}, {"must_not_match", true}}));
  EXPECT_EQ(checks[2].params, (nlohmann::json{{"column", "a"},
                                              {"regex", {"^a", "", " "}},
                                              {"match", "all"}}));
  // The JSON form handed over by a plugin or the worker is validated the same way.
  const CheckType& pattern = *Catalog().Find("pattern");
  for (const CheckSpec& c : checks) EXPECT_TRUE(ValidateParamsJson(pattern, c.params).ok());
  EXPECT_EQ(ValidateParamsJson(pattern, {{"column", "a"}, {"regex", nlohmann::json::array()}})
                .message(),
            "'regex': expected a regex or a non-empty list of regexes");
  EXPECT_EQ(ValidateParamsJson(pattern, {{"column", "a"}, {"regex", {"a", 1}}}).message(),
            "'regex': expected a regex or a non-empty list of regexes");
}

// A map parameter (reconcile's `against`, `tolerance`) is read field by field: its columns name
// its own table, so only the check's own group and sum columns are the check's columns; `where`
// is reconcile's own parameter, not the common key.
TEST(RuleLoaderTest, ReadsMapParametersFieldByField) {
  const std::string yaml =
      "source: pop\ndepartment: CA\ndatabase: sqlite:pop.db\nattach: {civil: civil}\n"
      "tables:\n  t:\n    checks:\n"
      "      - reconcile:\n"
      "          id: r\n"
      "          sum: b\n"
      "          where: \"a > 0\"\n"
      "          group_by: [a]\n"
      "          against: {table: civil.k, measure: count, group_by: [noi], where: \"x = 1\"}\n"
      "          tolerance: {absolute: 2, percent: 5}\n";
  Result<SourceSpec> r = ParseRuleText(yaml, "t.yaml");
  ASSERT_TRUE(r.ok()) << r.status().message();
  const CheckSpec& c = r->tables.at(0).checks.at(0);
  EXPECT_EQ(c.params, (nlohmann::json{{"sum", "b"},
                                      {"where", "a > 0"},
                                      {"group_by", nlohmann::json::array({"a"})},
                                      {"against",
                                       {{"table", "civil.k"},
                                        {"measure", "count"},
                                        {"group_by", nlohmann::json::array({"noi"})},
                                        {"where", "x = 1"}}},
                                      {"tolerance", {{"absolute", 2.0}, {"percent", 5.0}}}}));
  EXPECT_EQ(c.columns, (std::vector<std::string>{"b", "a"}));
  EXPECT_EQ(c.where, "");
  EXPECT_TRUE(ValidateParamsJson(*Catalog().Find("reconcile"), c.params).ok());
}

TEST(RuleLoaderTest, ExplicitIdOfMultiColumnMissingGetsColumnSuffix) {
  Result<SourceSpec> r = ParseRuleText(
      std::string(kHeader) + "      - missing: {id: bat_buoc, columns: [a, b]}\n", "t.yaml");
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->tables[0].checks.size(), 2u);
  EXPECT_EQ(r->tables[0].checks[0].id, "bat_buoc.a");
  EXPECT_EQ(r->tables[0].checks[1].id, "bat_buoc.b");
}

// Titles (docs/rules.md "Titles"): the rule's title per language, `{column}` filled per column,
// a language the rule leaves out gets the default sentence of the type, which names columns by
// their `column_titles`.
TEST(RuleLoaderTest, ChecksHaveATitleInEveryLanguage) {
  Result<SourceSpec> r = ParseRuleText(
      "source: pop\ndepartment: CA\ndatabase: sqlite:pop.db\ntables:\n"
      "  cong_dan:\n"
      "    column_titles:\n"
      "      so_cccd: {vi: \"Số CCCD\", en: \"ID card number\"}\n"
      "      ngay_sinh: {vi: \"Ngày sinh\", en: \"Date of birth\"}\n"
      "      ho_ten: \"Họ tên\"\n"
      "    checks:\n"
      "      - duplicate: {columns: [so_cccd]}\n"
      "      - range: {column: ngay_sinh, max: today}\n"
      "      - range: {id: r2, column: ngay_sinh, min: 1900-01-01, max: today}\n"
      "      - missing: {columns: [ho_ten, ngay_sinh], title: {vi: \"Thiếu {column}\"}}\n"
      "      - sql: {id: q, query: \"SELECT 1\", max: 0, title: \"Truy vấn riêng\"}\n"
      "      - row_count: {min: 1}\n"
      "      - pattern: {column: gioi_tinh, regex: x}\n",
      "pop.yaml");
  ASSERT_TRUE(r.ok()) << r.status().message();
  using Titles = std::map<std::string, std::string>;
  const std::vector<CheckSpec>& c = r->tables.at(0).checks;
  ASSERT_EQ(c.size(), 8u);
  EXPECT_EQ(c[0].title, (Titles{{"vi", "Số CCCD trùng"}, {"en", "Duplicate ID card number"}}));
  EXPECT_EQ(c[1].title,
            (Titles{{"vi", "Ngày sinh sau ngày hôm nay"}, {"en", "Date of birth after today"}}));
  EXPECT_EQ(c[2].title, (Titles{{"vi", "Ngày sinh ngoài khoảng cho phép"},
                                {"en", "Date of birth out of range"}}));
  EXPECT_EQ(c[3].id, "missing:cong_dan.ho_ten");
  EXPECT_EQ(c[3].title, (Titles{{"vi", "Thiếu Họ tên"}, {"en", "Họ tên left empty"}}));
  EXPECT_EQ(c[4].title, (Titles{{"vi", "Thiếu Ngày sinh"}, {"en", "Date of birth left empty"}}));
  EXPECT_EQ(c[5].title, (Titles{{"vi", "Truy vấn riêng"}, {"en", "Truy vấn riêng"}}));
  EXPECT_EQ(c[6].title,
            (Titles{{"vi", "Số dòng của bảng cong_dan"}, {"en", "Row count of table cong_dan"}}));
  EXPECT_EQ(c[7].title,
            (Titles{{"vi", "gioi_tinh sai định dạng"}, {"en", "gioi_tinh in the wrong format"}}));
}

TEST(RuleLoaderTest, AbsoluteDatabasePathIsKept) {
  Result<SourceSpec> r = ParseRuleText(
      "source: x\ndepartment: d\ndatabase: sqlite:/data/a/../x.db\ntables: {t: {checks: "
      "[row_count: {min: 1}]}}\n",
      "rules/x.yaml");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->db_path, "/data/x.db");
  EXPECT_EQ(r->rule_file, (fs::current_path() / "rules/x.yaml").string());
}

class RuleFolderTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = MakeTempDir(); }
  void TearDown() override { fs::remove_all(dir_); }

  static std::string Source(const std::string& id, const std::string& extra = "") {
    return "source: " + id + "\ndepartment: D\ndatabase: sqlite:" + id + ".db\n" + extra +
           "tables: {t: {checks: [row_count: {min: 1}]}}\n";
  }

  fs::path dir_;
};

TEST_F(RuleFolderTest, LoadsYamlAndYmlRecursivelyInSortedOrder) {
  WriteFile(dir_ / "b.yaml", Source("b"));
  WriteFile(dir_ / "a.yml", Source("a", "attach: {bb: b}\n"));
  WriteFile(dir_ / "sub" / "c.yaml", Source("c"));
  WriteFile(dir_ / "notes.txt", "not a rule file");
  Result<std::vector<SourceSpec>> r = LoadRules({dir_.string()});
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[0].id, "a");
  EXPECT_EQ((*r)[1].id, "b");
  EXPECT_EQ((*r)[2].id, "c");
  EXPECT_EQ((*r)[2].rule_file, (dir_ / "sub" / "c.yaml").string());
  EXPECT_EQ((*r)[2].db_path, (dir_ / "sub" / "c.db").string());
  EXPECT_EQ((*r)[0].attach.at("bb"), "b");
}

TEST_F(RuleFolderTest, FileNamedTwiceIsLoadedOnce) {
  WriteFile(dir_ / "a.yaml", Source("a"));
  Result<std::vector<SourceSpec>> r = LoadRules({dir_.string(), (dir_ / "a.yaml").string()});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->size(), 1u);
}

TEST_F(RuleFolderTest, RejectsDuplicateSourceIdNamingBothLocations) {
  WriteFile(dir_ / "a.yaml", Source("pop"));
  WriteFile(dir_ / "b.yaml", "# second\n" + Source("pop"));
  Result<std::vector<SourceSpec>> r = LoadRules({dir_.string()});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), (dir_ / "b.yaml").string() +
                                      ":2:9: duplicate source id 'pop': also defined at " +
                                      (dir_ / "a.yaml").string() + ":1:9");
}

TEST_F(RuleFolderTest, RejectsAttachToUnknownSource) {
  WriteFile(dir_ / "a.yaml", Source("a", "attach: {civil: ho_tich}\n"));
  Result<std::vector<SourceSpec>> r = LoadRules({dir_.string()});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), (dir_ / "a.yaml").string() +
                                      ":4:17: attach 'civil' names unknown source 'ho_tich' "
                                      "(loaded sources: a)");
}

TEST_F(RuleFolderTest, RejectsMissingPathAndEmptyFolder) {
  fs::create_directories(dir_ / "empty");
  const std::string missing = (dir_ / "nope.yaml").string();
  Result<std::vector<SourceSpec>> r = LoadRules({missing, (dir_ / "empty").string()});
  ASSERT_FALSE(r.ok());
  const std::vector<std::string> lines = Lines(r.status().message());
  ASSERT_EQ(lines.size(), 2u) << r.status().message();
  EXPECT_EQ(lines[0], (dir_ / "empty").string() + ": no rule files (*.yaml, *.yml) in this folder");
  EXPECT_EQ(lines[1], missing + ": no such file or directory");
}

// A schedule or nightly configuration next to the rule files is skipped when the folder is loaded
// (and a folder of nothing else is an error); named directly, it is a rule file with errors.
TEST_F(RuleFolderTest, SkipsOtherYamlFilesInFoldersOnly) {
  WriteFile(dir_ / "a.yaml", Source("a"));
  WriteFile(dir_ / "schedule" / "schedule.yaml", "start: 2026-12-01\ncapacity: {per_week: 2}\n");
  Result<std::vector<SourceSpec>> r = LoadRules({dir_.string()});
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].id, "a");

  const std::string schedule_dir = (dir_ / "schedule").string();
  r = LoadRules({schedule_dir});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            schedule_dir + ": no rule files in this folder (schedule.yaml skipped: not rule files)");

  r = LoadRules({(dir_ / "schedule" / "schedule.yaml").string()});
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("missing required key 'source' at the top level"));

  // A rule file with a misspelt key keeps its other rule-file keys: it is loaded and its errors
  // are reported, not skipped.
  WriteFile(dir_ / "typo.yaml", "sorce: b\ndepartment: D\n");
  r = LoadRules({dir_.string()});
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr((dir_ / "typo.yaml").string() + ":1:1: unknown key 'sorce'"));
}

TEST_F(RuleFolderTest, CollectsErrorsAcrossFilesSortedByFileThenLine) {
  WriteFile(dir_ / "b.yaml", Source("b", "sectr: x\n") + "bogus: 1\n");
  WriteFile(dir_ / "a.yaml",
            "source: a\ndepartment: D\ndatabase: mysql://x\n"
            "tables: {t: {checks: [patern: {}]}}\n");
  Result<std::vector<SourceSpec>> r = LoadRules({dir_.string()});
  ASSERT_FALSE(r.ok());
  const std::vector<std::string> lines = Lines(r.status().message());
  ASSERT_EQ(lines.size(), 4u) << r.status().message();
  const std::string a = (dir_ / "a.yaml").string();
  const std::string b = (dir_ / "b.yaml").string();
  EXPECT_THAT(lines[0], HasSubstr(a + ":3:11: 'database': expected 'sqlite:<path>'"));
  EXPECT_THAT(lines[1], HasSubstr(a + ":4:23: unknown check type 'patern'"));
  EXPECT_THAT(lines[2], HasSubstr(b + ":4:1: unknown key 'sectr'"));
  EXPECT_THAT(lines[3], HasSubstr(b + ":6:1: unknown key 'bogus'"));
}

// Databases created by the test; the rules point at them.
class ValidateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir();
    Create(
        "population.db",
        "CREATE TABLE cong_dan (id INTEGER PRIMARY KEY, ho_ten TEXT, Ma_Xa TEXT, ngay_sinh TEXT);"
        "CREATE TABLE dm_xa (ma_xa TEXT);"
        "INSERT INTO cong_dan VALUES (1, 'An', 'X1', '2000-01-01');");
    Create("civil.db", "CREATE TABLE khai_tu (so_cccd TEXT, ngay_mat TEXT);");
    WriteFile(dir_ / "civil.yaml",
              "source: civil\ndepartment: TP\ndatabase: sqlite:civil.db\n"
              "tables: {khai_tu: {checks: [row_count: {min: 0}]}}\n");
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Create(const std::string& name, const std::string& sql) {
    Result<std::unique_ptr<SqliteDb>> db = SqliteDb::OpenReadWrite((dir_ / name).string(), true);
    ASSERT_TRUE(db.ok()) << db.status().message();
    ASSERT_TRUE((*db)->Exec(sql).ok());
  }

  // Loads civil.yaml plus a population rule file whose table section is `tables` (starting at
  // line 5), then validates. Returns the message ("" when valid).
  std::string Validate(const std::string& tables, std::vector<std::string>* unreachable = nullptr,
                       const std::string& database = "sqlite:population.db") {
    WriteFile(dir_ / "population.yaml", "source: population\ndepartment: CA\ndatabase: " +
                                            database + "\nattach: {civil: civil}\n" + tables);
    Result<std::vector<SourceSpec>> sources = LoadRules({dir_.string()});
    EXPECT_TRUE(sources.ok()) << sources.status().message();
    if (!sources.ok()) return "load failed";
    std::vector<std::string> ignored;
    Status s = ValidateAgainstDatabases(*sources, unreachable != nullptr ? unreachable : &ignored);
    if (!s.ok()) {
      EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
    }
    return s.message();
  }

  std::string Rule() const { return (dir_ / "population.yaml").string(); }

  fs::path dir_;
};

TEST_F(ValidateTest, AcceptsValidRulesIncludingAttachedReference) {
  EXPECT_EQ(
      Validate("tables:\n"
               "  cong_dan:\n"
               "    key: [ID]\n"
               "    filter: \"ho_ten <> 'x'\"\n"
               "    checks:\n"
               "      - missing: {columns: [ho_ten, MA_XA], where: 'id > 0'}\n"
               "      - reference: {column: ma_xa, table: dm_xa, ref_column: MA_XA}\n"
               "      - reference: {column: ho_ten, table: civil.khai_tu, ref_column: so_cccd}\n"
               "      - coverage: {column: ma_xa, expected: {table: dm_xa, column: ma_xa}}\n"
               "      - condition: {invalid_when: 'ngay_sinh > ho_ten'}\n"
               "      - sql: {query: 'SELECT count(*) FROM civil.khai_tu;  -- note', max: 0}\n"),
      "");
}

TEST_F(ValidateTest, ReportsEachSchemaProblem) {
  struct Case {
    const char* name;
    std::string tables;
    std::string expected;  // message after "<rule file>:"
  };
  const std::string head = "tables:\n  cong_dan:\n    checks:\n";  // checks start on line 8
  const Case cases[] = {
      {"missing table", "tables:\n  cong_dn:\n    checks: [row_count: {min: 1}]\n",
       "6:3: table 'cong_dn' not found in the database of source 'population' (tables: cong_dan, "
       "dm_xa)"},
      {"missing column", head + "      - pattern: {column: so_dien_thoai, regex: x}\n",
       "8:9: column 'so_dien_thoai' not found in table cong_dan (columns: id, ho_ten, Ma_Xa, "
       "ngay_sinh)"},
      {"missing key column",
       "tables:\n  cong_dan:\n    key: [so_cccd]\n    checks: [row_count: "
       "{min: 1}]\n",
       "6:3: key column 'so_cccd' not found in table cong_dan (columns: id, ho_ten, Ma_Xa, "
       "ngay_sinh)"},
      {"bad filter",
       "tables:\n  cong_dan:\n    filter: 'ho_ten =='\n    checks: [row_count: {min: "
       "1}]\n",
       "6:3: filter of table cong_dan does not compile: near \")\": syntax error"},
      {"filter with unknown column",
       "tables:\n  cong_dan:\n    filter: 'tinh = 1'\n    checks: "
       "[row_count: {min: 1}]\n",
       "6:3: filter of table cong_dan does not compile: no such column: tinh"},
      {"bad where", head + "      - row_count: {min: 1, where: 'nope > 1'}\n",
       "8:9: 'where' of check row_count:cong_dan does not compile: no such column: nope"},
      {"where smuggling a second statement",
       head + "      - row_count: {min: 1, where: '1); DELETE FROM cong_dan; SELECT (1'}\n",
       "8:9: 'where' of check row_count:cong_dan does not compile: it must be a single SQL "
       "statement, but more follows the first one"},
      {"bad invalid_when", head + "      - condition: {invalid_when: 'ngay_sinh <'}\n",
       "8:9: 'invalid_when' of check condition:cong_dan does not compile: near \")\": syntax "
       "error"},
      {"non-read-only query", head + "      - sql: {query: 'DELETE FROM cong_dan', max: 0}\n",
       "8:9: 'query' of check sql:cong_dan does not compile: not allowed in rule SQL: writing to "
       "the database (DELETE (cong_dan)): it is read-only"},
      {"multi-statement query", head + "      - sql: {query: 'SELECT 1; SELECT 2', max: 0}\n",
       "8:9: 'query' of check sql:cong_dan does not compile: it must be a single SQL statement, "
       "but "
       "more follows the first one"},
      {"query with two columns", head + "      - sql: {query: 'SELECT 1, 2', max: 0}\n",
       "8:9: 'query' of check sql:cong_dan must return exactly one column (a number), but it "
       "returns 2"},
      {"missing reference table",
       head + "      - reference: {column: ma_xa, table: dm_tinh, "
              "ref_column: ma}\n",
       "8:9: table 'dm_tinh' not found in the database of source 'population' (tables: cong_dan, "
       "dm_xa)"},
      {"missing table in attached source",
       head + "      - reference: {column: ma_xa, table: civil.dm_xa, ref_column: ma_xa}\n",
       "8:9: table 'dm_xa' not found in attached source 'civil' (alias civil) (tables: khai_tu)"},
      {"missing column in attached table",
       head + "      - coverage: {column: ma_xa, expected: {table: civil.khai_tu, column: ma}}\n",
       "8:9: expected column 'ma' not found in table khai_tu (columns: so_cccd, ngay_mat)"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(Validate(c.tables), Rule() + ":" + c.expected);
  }
  // Validation never wrote: the row a DELETE would have removed is still there.
  Result<std::unique_ptr<SqliteDb>> db = SqliteDb::OpenReadOnly((dir_ / "population.db").string());
  ASSERT_TRUE(db.ok());
  Result<std::optional<double>> n = (*db)->QueryNumber("SELECT count(*) FROM cong_dan");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 1.0);
}

TEST_F(ValidateTest, CollectsAllProblemsOfAllTables) {
  const std::string message = Validate(
      "tables:\n"
      "  cong_dan:\n"
      "    checks:\n"
      "      - missing: {columns: [a, b]}\n"
      "  nope:\n"
      "    checks: [row_count: {min: 1}]\n");
  const std::vector<std::string> lines = Lines(message);
  ASSERT_EQ(lines.size(), 3u) << message;
  EXPECT_THAT(lines[0], HasSubstr(":8:9: column 'a' not found"));
  EXPECT_THAT(lines[1], HasSubstr(":8:9: column 'b' not found"));
  EXPECT_THAT(lines[2], HasSubstr(":9:3: table 'nope' not found"));
}

// Scan mode: what the database lacks is recorded per check, the rest of the rules are fine, and
// only genuine rule problems (syntax) are still errors.
TEST_F(ValidateTest, SchemaDriftIsRecordedPerCheckInScanMode) {
  WriteFile(dir_ / "population.yaml",
            "source: population\ndepartment: CA\ndatabase: sqlite:population.db\n"
            "tables:\n"
            "  cong_dan:\n"
            "    key: [id]\n"
            "    checks:\n"
            "      - row_count: {min: 1}\n"
            "      - missing: {columns: [ho_ten, so_cccd]}\n"
            "      - condition: {id: c1, invalid_when: 'tinh = 1'}\n"
            "      - sql: {id: q1, query: 'SELECT count(*) FROM ho_khau', max: 0}\n"
            "      - reference: {column: ma_xa, table: dm_huyen, ref_column: ma_huyen}\n"
            "      - reference: {id: r2, column: ma_xa, table: dm_xa, ref_column: ma}\n"
            "  ho_khau:\n"
            "    checks: [row_count: {min: 1}, missing: {columns: [chu_ho]}]\n"
            "  dm_xa:\n"
            "    key: [ma]\n"
            "    checks: [row_count: {min: 1}]\n"
            "  cong_dan_2:\n"
            "    checks: [row_count: {min: 1}]\n");
  Result<std::vector<SourceSpec>> sources = LoadRules({(dir_ / "population.yaml").string()});
  ASSERT_TRUE(sources.ok()) << sources.status().message();
  std::vector<std::string> unreachable;
  BrokenChecksBySource drift;
  ASSERT_TRUE(ValidateAgainstDatabases(*sources, &unreachable, &drift).ok());
  ASSERT_EQ(drift.size(), 1u);
  const std::map<std::string, std::string>& broken = drift["population"];
  const std::map<std::string, std::string> expected = {
      {"missing:cong_dan.so_cccd",
       "schema drift: column 'so_cccd' is no longer in table cong_dan (columns: id, ho_ten, Ma_Xa, "
       "ngay_sinh)"},
      {"c1", "schema drift: 'invalid_when' of check c1 does not compile: no such column: tinh"},
      {"q1", "schema drift: 'query' of check q1 does not compile: no such table: ho_khau"},
      {"reference:cong_dan.ma_xa",
       "schema drift: table 'dm_huyen' is no longer in the database of source 'population' "
       "(tables: cong_dan, dm_xa)"},
      {"r2", "schema drift: ref_column 'ma' is no longer in table dm_xa (columns: ma_xa)"},
      {"row_count:ho_khau",
       "schema drift: table 'ho_khau' is no longer in the database of source 'population' "
       "(tables: cong_dan, dm_xa)"},
      {"missing:ho_khau.chu_ho",
       "schema drift: table 'ho_khau' is no longer in the database of source 'population' "
       "(tables: cong_dan, dm_xa)"},
      {"row_count:dm_xa",
       "schema drift: key column 'ma' is no longer in table dm_xa (columns: ma_xa)"},
      {"row_count:cong_dan_2",
       "schema drift: table 'cong_dan_2' is no longer in the database of source 'population' "
       "(tables: cong_dan, dm_xa)"},
  };
  EXPECT_EQ(broken, expected);
  for (const auto& [id, message] : broken) EXPECT_TRUE(message.starts_with(kSchemaDriftPrefix));

  // The same rules are rule errors without `drift` (rules check), and a syntax error stays one.
  EXPECT_FALSE(ValidateAgainstDatabases(*sources, &unreachable).ok());
  EXPECT_THAT(Validate("tables:\n  cong_dan:\n    checks:\n"
                       "      - condition: {invalid_when: 'ngay_sinh <'}\n"
                       "      - missing: {columns: [nope]}\n"),
              HasSubstr("does not compile: near"));
  WriteFile(dir_ / "population.yaml",
            "source: population\ndepartment: CA\ndatabase: sqlite:population.db\n"
            "tables: {cong_dan: {checks: [condition: {invalid_when: 'ngay_sinh <'}]}}\n");
  sources = LoadRules({(dir_ / "population.yaml").string()});
  ASSERT_TRUE(sources.ok());
  BrokenChecksBySource none;
  const Status syntax = ValidateAgainstDatabases(*sources, &unreachable, &none);
  EXPECT_THAT(syntax.message(), HasSubstr("'invalid_when' of check condition:cong_dan does not "
                                          "compile: near \")\": syntax error"));
  EXPECT_TRUE(none.empty());
}

TEST_F(ValidateTest, UnreachableDatabaseIsListedNotAnError) {
  std::vector<std::string> unreachable;
  EXPECT_EQ(Validate("tables: {cong_dan: {checks: [row_count: {min: 1}]}}\n", &unreachable,
                     "sqlite:missing.db"),
            "");
  EXPECT_EQ(unreachable, (std::vector<std::string>{"population"}));
}

TEST_F(ValidateTest, FileThatIsNotADatabaseIsUnreachable) {
  WriteFile(dir_ / "garbage.db", "this is not an SQLite database, just text that is long enough");
  std::vector<std::string> unreachable;
  EXPECT_EQ(Validate("tables: {cong_dan: {checks: [row_count: {min: 1}]}}\n", &unreachable,
                     "sqlite:garbage.db"),
            "");
  EXPECT_EQ(unreachable, (std::vector<std::string>{"population"}));
}

}  // namespace
}  // namespace dqa
