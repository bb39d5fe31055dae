// standard_text (core/checks/standard_text.cc): each reason a value is not in standard form found
// by name, clean Vietnamese and ASCII left alone, `flag` narrowing the reasons, one violation per
// row however many of its values are non-standard, and the rule-file form.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/rules/loader.h"
#include "tests/checks/scan_fixture.h"

namespace dqa {
namespace {

using ::testing::HasSubstr;
using testing::Cell;
using testing::Flat;
using testing::MakeCheck;
using testing::ScanOne;
using testing::TempDir;

double Metric(const CheckResult& r, const std::string& name) {
  for (const auto& [n, v] : r.metrics) {
    if (n == name) return v;
  }
  ADD_FAILURE() << "no metric " << name;
  return -1;
}

std::vector<std::string> MetricNames(const CheckResult& r) {
  std::vector<std::string> names;
  for (const auto& [n, v] : r.metrics) names.push_back(n);
  return names;
}

struct ValueCase {
  const char* what;
  Cell value;
  const char* reason;  // nullptr: standard
};

// Latin-1 bytes as the UTF-8 mojibake a database holds: "NguyÔn V¨n An" is TCVN3, "Nguyeãn Vaên
// An" VNI, both for "Nguyễn Văn An".
const ValueCase kCases[] = {
    {"TCVN3 name", std::string("Nguy\u00D4n V\u00A8n An"), "legacy"},
    {"VNI name", std::string("Nguye\u00E3n Va\u00EAn An"), "legacy"},
    {"NFD Nguyễn (decomposed on a Mac)", std::string("Nguye\u0302\u0303n"), "not_nfc"},
    {"invalid UTF-8 bytes", std::string("Nguy\xFF\xFEn"), "invalid_utf8"},
    {"truncated UTF-8 sequence", std::string("L\xC3"), "invalid_utf8"},
    {"C0 control character", std::string("Nguy\x01n"), "control"},
    {"tab", std::string("Nguy\u1EC5n\tAn"), "control"},
    {"DEL", std::string("An\x7F"), "control"},
    {"C1 control character", std::string("L\u00EA\u0085"), "control"},
    {"U+FFFD replacement character", std::string("Nguy\uFFFDn V\u0103n An"), "control"},
    {"clean NFC Vietnamese name", std::string("Nguy\u1EC5n V\u0103n An"), nullptr},
    {"clean NFC Vietnamese with Latin-1 letters", std::string("L\u00EA H\u00E0"), nullptr},
    {"ASCII", std::string("Nguyen Van An"), nullptr},
    {"empty", std::string(""), nullptr},
    {"French name", std::string("Fran\u00E7ois B\u00E9b\u00E9"), nullptr},
};

TEST(StandardTextCheckTest, EachReasonByName) {
  TempDir dir;
  for (const ValueCase& c : kCases) {
    SCOPED_TRACE(c.what);
    const CheckResult r = ScanOne(dir, MakeCheck("standard_text", {{"column", "v"}}, {"v"}),
                                  {c.value, nullptr, int64_t{7}});
    EXPECT_EQ(r.outcome, c.reason ? Outcome::kFail : Outcome::kPass);
    EXPECT_EQ(r.rows_checked, 1);  // NULL and the number are not checked
    EXPECT_EQ(r.violations, c.reason ? 1 : 0);
    EXPECT_EQ(MetricNames(r),
              (std::vector<std::string>{"legacy", "invalid_utf8", "not_nfc", "control"}));
    for (const char* reason : {"legacy", "invalid_utf8", "not_nfc", "control"}) {
      EXPECT_EQ(Metric(r, reason), c.reason && std::string(c.reason) == reason ? 1 : 0) << reason;
    }
    if (c.reason) {
      EXPECT_EQ(Flat(r.samples), std::vector<std::string>{"1"});
    }
  }
}

// The values of kCases in one column: every reason counted at once, and the message says how many.
std::vector<Cell> AllCases() {
  std::vector<Cell> values;
  for (const ValueCase& c : kCases) values.push_back(c.value);
  values.push_back(2.5);
  values.push_back(testing::Blob{"\xFF"});  // bytes, not text
  return values;
}

TEST(StandardTextCheckTest, CountsEveryReasonAndSaysSoInTheMessage) {
  TempDir dir;
  const CheckResult r = ScanOne(dir, MakeCheck("standard_text", {{"column", "v"}}, {"v"}), AllCases());
  EXPECT_EQ(r.rows_checked, 15);
  EXPECT_EQ(r.violations, 10);
  EXPECT_EQ(Flat(r.samples), (std::vector<std::string>{"1", "2", "3", "4", "5"}));
  EXPECT_EQ(Metric(r, "legacy"), 2);
  EXPECT_EQ(Metric(r, "invalid_utf8"), 2);
  EXPECT_EQ(Metric(r, "not_nfc"), 1);
  EXPECT_EQ(Metric(r, "control"), 5);
  EXPECT_EQ(r.message,
            "10 of 15 rows (66.67%) have text not in standard form in v (values: legacy 2, "
            "invalid_utf8 2, not_nfc 1, control 5); fail limit 0");
  EXPECT_EQ(r.dimension, Dimension::kUniqueness);
  EXPECT_EQ(r.type, "standard_text");
}

TEST(StandardTextCheckTest, FlagNarrowsTheReasons) {
  TempDir dir;
  const CheckResult legacy = ScanOne(
      dir, MakeCheck("standard_text", {{"column", "v"}, {"flag", {"legacy"}}}, {"v"}), AllCases());
  EXPECT_EQ(legacy.violations, 2);
  EXPECT_EQ(Flat(legacy.samples), (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(MetricNames(legacy), std::vector<std::string>{"legacy"});
  EXPECT_EQ(legacy.message,
            "2 of 15 rows (13.33%) have text not in standard form in v (values: legacy 2); fail "
            "limit 0");

  const CheckResult two = ScanOne(
      dir, MakeCheck("standard_text", {{"column", "v"}, {"flag", {"not_nfc", "invalid_utf8"}}}, {"v"}),
      AllCases());
  EXPECT_EQ(two.violations, 3);
  EXPECT_EQ(Flat(two.samples), (std::vector<std::string>{"3", "4", "5"}));
  EXPECT_EQ(MetricNames(two), (std::vector<std::string>{"invalid_utf8", "not_nfc"}));
}

TEST(StandardTextCheckTest, OneViolationPerRowWhateverItsValues) {
  TempDir dir;
  const std::string path = dir.File("people.db");
  testing::ExecSql(path,
                   "CREATE TABLE p(id INTEGER PRIMARY KEY, ho_ten, dia_chi);"
                   "INSERT INTO p VALUES (1, 'Nguy\u00D4n V\u00A8n An', 'Ha\u0300 No\u0323\u0302i'),"
                   " (2, 'L\u00EA H\u00E0', NULL), (3, NULL, NULL), (4, 12, 'S\u1ED1 12'),"
                   " (5, 'An', 'Hu\u1EBF\x01'), (6, NULL, 'Nguye\u00E3n Tra\u00F5i');");
  const CheckSpec spec =
      MakeCheck("standard_text", {{"columns", {"ho_ten", "dia_chi"}}}, {"ho_ten", "dia_chi"}, "p");
  const SourceResult scanned =
      testing::Scan(testing::MakePlan(path, {testing::MakeTable("p", {spec}, {"id"})}));
  ASSERT_EQ(scanned.results.size(), 1u);
  const CheckResult& r = scanned.results[0];
  EXPECT_EQ(r.id, "standard_text:p.ho_ten,dia_chi");
  EXPECT_EQ(r.rows_checked, 5);  // row 3 has no text
  EXPECT_EQ(r.violations, 3);    // row 1 twice non-standard, counted once
  EXPECT_EQ(Flat(r.samples), (std::vector<std::string>{"1", "5", "6"}));
  EXPECT_EQ(Metric(r, "legacy"), 2);
  EXPECT_EQ(Metric(r, "not_nfc"), 1);
  EXPECT_EQ(Metric(r, "control"), 1);
}

std::string RuleWith(const std::string& check) {
  return "source: s\ndepartment: D\ndatabase: sqlite:s.db\ntables:\n  t:\n    checks:\n      - " +
         check + "\n";
}

TEST(StandardTextCheckTest, RuleFileForm) {
  Result<SourceSpec> parsed =
      ParseRuleText(RuleWith("standard_text: {columns: [ho_ten, dia_chi], flag: [legacy]}"), "r.yaml");
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  const CheckSpec& spec = parsed->tables[0].checks[0];
  EXPECT_EQ(spec.id, "standard_text:t.ho_ten,dia_chi");
  EXPECT_EQ(spec.columns, (std::vector<std::string>{"ho_ten", "dia_chi"}));
  EXPECT_EQ(spec.dimension, Dimension::kUniqueness);

  const std::pair<const char*, const char*> bad[] = {
      {"standard_text: {flag: [legacy]}", "missing required key 'columns' in check 'standard_text'"},
      {"standard_text: {column: a, columns: [b]}", "give either 'column' or 'columns', not both"},
      {"standard_text: {column: a, flag: [nfd]}", "'flag': expected one of legacy, invalid_utf8, "
                                                  "not_nfc, control"},
      {"standard_text: {column: a, flag: []}", "'flag'"},
  };
  for (const auto& [check, message] : bad) {
    SCOPED_TRACE(check);
    Result<SourceSpec> r = ParseRuleText(RuleWith(check), "r.yaml");
    ASSERT_FALSE(r.ok());
    EXPECT_THAT(r.status().message(), HasSubstr(message));
  }
}

}  // namespace
}  // namespace dqa
