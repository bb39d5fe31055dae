// fuzzy_duplicate on a register of distinct people plus re-entered ones, each re-entry with one
// named kind of variation; near misses (twins, a common name born on other days) must not match.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "core/rules/loader.h"
#include "tests/checks/scan_fixture.h"

namespace dqa {
namespace {

using testing::ExecSql;
using testing::MakeCheck;
using testing::MakePlan;
using testing::MakeTable;
using testing::Scan;
using testing::TempDir;

struct Person {
  int64_t id;
  std::string name;
  std::string birth;  // YYYY-MM-DD
  std::string commune;
  std::string cccd;   // "" = NULL
};

// 240 distinct people: every name differs from every other in its given name or its family and
// middle names, birth dates spread over ten years.
std::vector<Person> DistinctPeople() {
  const char* families[] = {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan"};
  const char* middles[] = {"Văn", "Thị", "Đức", "Minh"};
  const char* givens[] = {"An", "Bình", "Cường", "Dũng", "Giang", "Hải", "Khánh", "Lâm", "Nam", "Quý"};
  std::vector<Person> people;
  int64_t id = 1;
  for (const char* f : families) {
    for (const char* m : middles) {
      for (const char* g : givens) {
        const int64_t n = id;
        people.push_back({id++, fmt::format("{} {} {}", f, m, g),
                          fmt::format("{}-{:02}-{:02}", 1980 + n % 10, 1 + n % 12, 1 + (n * 7) % 28),
                          fmt::format("X{:02}", n % 9), fmt::format("0010{:08}", 10000000 + (n * 104729) % 89999999)});
      }
    }
  }
  return people;
}

std::string Insert(const Person& p) {
  const auto quote = [](const std::string& s) {
    return s.empty() ? std::string("NULL") : "'" + s + "'";
  };
  return fmt::format("INSERT INTO cd VALUES ({}, {}, {}, {}, {});", p.id, quote(p.name),
                     quote(p.birth), quote(p.commune), quote(p.cccd));
}

struct Variant {
  const char* kind;
  int64_t of;  // id of the original
  std::string name;
  std::string birth;  // "" = the original's
  std::string cccd;   // "=" = the original's
};

CheckResult ScanRegister(const TempDir& dir, const std::vector<Person>& people,
                         const nlohmann::json& params) {
  static int n = 0;
  const std::string db = dir.File(fmt::format("cd{}.db", n++));
  std::string sql = "CREATE TABLE cd(id INTEGER PRIMARY KEY, ho_ten, ngay_sinh, ma_xa, so_cccd);";
  for (const Person& p : people) sql += Insert(p);
  ExecSql(db, sql);
  std::vector<std::string> columns = {"ho_ten"};
  for (const char* key : {"same", "also"}) {
    if (params.contains(key)) {
      for (const auto& c : params[key]) columns.push_back(c.get<std::string>());
    }
  }
  const SourceResult r = Scan(
      MakePlan(db, {MakeTable("cd", {MakeCheck("fuzzy_duplicate", params, columns, "cd")}, {"id"})}));
  EXPECT_EQ(r.results.size(), 1u);
  return r.results.empty() ? CheckResult{} : r.results[0];
}

const nlohmann::json kParams = {{"name", "ho_ten"},
                                {"same", {"ngay_sinh"}},
                                {"also", {"ma_xa", "so_cccd"}}};

TEST(FuzzyDuplicateCheckTest, DistinctPeopleAreNotMatched) {
  TempDir dir;
  const CheckResult r = ScanRegister(dir, DistinctPeople(), kParams);
  EXPECT_EQ(r.outcome, Outcome::kPass) << r.message;
  EXPECT_EQ(r.rows_checked, 240);
  EXPECT_EQ(r.violations, 0);
  EXPECT_EQ(r.groups, 0);
}

TEST(FuzzyDuplicateCheckTest, EachKindOfReentryIsMatchedByName) {
  std::vector<Person> people = DistinctPeople();
  const auto find = [&](int64_t id) { return people[static_cast<size_t>(id - 1)]; };
  // Person 1 is "Nguyễn Văn An"; the others are looked up by id.
  const std::vector<Variant> variants = {
      {"nfd", 1, "Nguye\u0302\u0303n Va\u0306n An", "", "="},
      {"no_diacritics", 1, "Nguyen Van An", "", ""},
      {"upper_case_and_spaces", 1, "  NGUYỄN   VĂN AN ", "", "="},
      {"d_stroke", 107, "Le Duc Khanh", "", "="},         // Lê Đức Khánh
      {"tone_placement", 161, "Hòang Văn An", "", "="},  // Hoàng Văn An
      {"typo", 45, "", "", "="},                          // Trần Văn Giang -> Gian
      {"day_month_swap", 4, "", "swap", "="},             // 1984-05-01 -> 1984-01-05
      {"cccd_transposition", 200, "", "", "swap"},
      {"tcvn3", 1, "NguyÔn V¨n An", "", ""},
  };
  int64_t next = 1000;
  std::set<int64_t> originals;
  for (const Variant& v : variants) {
    Person p = find(v.of);
    originals.insert(v.of);
    p.id = next++;
    if (std::string(v.kind) == "typo") {
      p.name = find(v.of).name;
      p.name.erase(p.name.size() - 1);  // one letter dropped at the end
    } else if (!v.name.empty()) {
      p.name = v.name;
    }
    if (v.birth == "swap") {
      const std::string b = p.birth;  // YYYY-MM-DD -> YYYY-DD-MM
      p.birth = b.substr(0, 5) + b.substr(8, 2) + "-" + b.substr(5, 2);
    }
    if (v.cccd.empty()) {
      p.cccd.clear();
    } else if (v.cccd == "swap") {
      std::swap(p.cccd[9], p.cccd[10]);
    }
    people.push_back(p);
  }
  ASSERT_EQ(people[3].birth, "1984-05-01");
  ASSERT_EQ(people[106].name, "Lê Đức Khánh");
  ASSERT_EQ(people[160].name, "Hoàng Văn An");
  TempDir dir;
  const CheckResult r = ScanRegister(dir, people, kParams);
  // Person 1 is re-entered four times (one group), five others once each.
  EXPECT_EQ(r.rows_checked, 249);
  EXPECT_EQ(r.violations, 9) << r.message << ::testing::PrintToString(r.failing_rows);
  EXPECT_EQ(r.groups, 6) << r.message;
  EXPECT_EQ(r.outcome, Outcome::kFail);
  EXPECT_NE(r.message.find("1 names are in an old 8-bit encoding (TCVN3 or VNI)"),
            std::string::npos)
      << r.message;
  // The samples are the whole first group: person 1 and its four re-entries, each with the record
  // it matched best, that match's probability and how each field agreed (the NFD and upper-case
  // forms are the same name once normalised; the names without diacritics and in TCVN3 are the
  // same words once folded; 1000 and 1001 have no CCCD).
  EXPECT_EQ(r.key_columns,
            (std::vector<std::string>{"id", "group", "matched_with", "probability", "agreement"}));
  // The probabilities come from the model estimated on this table: at least the threshold.
  std::vector<std::vector<std::string>> samples = r.samples;
  for (auto& row : samples) {
    ASSERT_EQ(row.size(), 5u);
    EXPECT_GE(std::stod(row[3]), 0.9) << row[0];
    row[3] = "p";
  }
  EXPECT_EQ(samples, (std::vector<std::vector<std::string>>{
                         {"1", "1", "1000", "p", "ho_ten= ngay_sinh= ma_xa= so_cccd="},
                         {"1000", "1", "1", "p", "ho_ten= ngay_sinh= ma_xa= so_cccd="},
                         {"1001", "1", "1", "p", "ho_ten≈ ngay_sinh= ma_xa= so_cccd?"},
                         {"1002", "1", "1", "p", "ho_ten= ngay_sinh= ma_xa= so_cccd="},
                         {"1008", "1", "1001", "p", "ho_ten≈ ngay_sinh= ma_xa= so_cccd?"}}))
      << ::testing::PrintToString(r.samples);
  // The full list (report --failing) has every record of the six groups, numbered in scan order.
  EXPECT_EQ(r.failing_rows_total, 15);
  ASSERT_EQ(r.failing_rows.size(), 15u);
  std::map<std::string, int> per_group;
  for (const auto& row : r.failing_rows) {
    ASSERT_EQ(row.size(), 5u);
    ++per_group[row[1]];
  }
  EXPECT_EQ(per_group, (std::map<std::string, int>{
                           {"1", 5}, {"2", 2}, {"3", 2}, {"4", 2}, {"5", 2}, {"6", 2}}));
  const auto swap = std::find_if(r.failing_rows.begin(), r.failing_rows.end(),
                                 [](const auto& row) { return row[0] == "1006"; });
  ASSERT_NE(swap, r.failing_rows.end());
  EXPECT_EQ(swap->at(2), "4");
  EXPECT_EQ(swap->at(4), "ho_ten= ngay_sinh~ ma_xa= so_cccd=");  // day and month swapped
}

// Huỳnh is Hoàng and Võ is Vũ written another way: the same words once folded. A slip in a word
// ("Lâmm") is a typing slip because that word is rare next to the one it was typed for.
TEST(FuzzyDuplicateCheckTest, FamilyNameVariantsAndTypingSlipsAreMatched) {
  std::vector<Person> people = DistinctPeople();
  ASSERT_EQ(people[160].name, "Hoàng Văn An");
  Person variant = people[160];
  variant.id = 1000;
  variant.name = "Huỳnh Văn An";
  variant.cccd.clear();
  people.push_back(variant);
  ASSERT_EQ(people[7].name, "Nguyễn Văn Lâm");
  Person slip = people[7];
  slip.id = 1001;
  slip.name = "Nguyễn Văn Lâmm";
  slip.cccd.clear();
  people.push_back(slip);
  TempDir dir;
  const CheckResult r = ScanRegister(dir, people, kParams);
  EXPECT_EQ(r.violations, 2) << r.message << ::testing::PrintToString(r.failing_rows);
  std::map<std::string, std::string> agreement;
  for (const auto& row : r.failing_rows) agreement[row[0] + "-" + row[2]] = row[4];
  EXPECT_EQ(agreement["1000-161"], "ho_ten≈ ngay_sinh= ma_xa= so_cccd?");
  EXPECT_EQ(agreement["1001-8"], "ho_ten~ ngay_sinh= ma_xa= so_cccd?");
}

TEST(FuzzyDuplicateCheckTest, NearMissesStayApart) {
  std::vector<Person> people = DistinctPeople();
  // Twins: same family and middle name, same birth date and commune, other given names.
  Person twin = people[0];
  twin.id = 1000;
  twin.name = "Nguyễn Văn Toàn";
  twin.cccd = "001099999999";
  people.push_back(twin);
  // The common name of person 1 born on another day, in the same commune.
  Person namesake = people[0];
  namesake.id = 1001;
  namesake.birth = "1975-06-15";
  namesake.cccd = "001088888888";
  people.push_back(namesake);
  // A re-entry in another commune, which `same` forbids.
  Person moved = people[4];
  moved.id = 1002;
  moved.commune = "X99";
  people.push_back(moved);
  TempDir dir;
  nlohmann::json same_commune = {{"name", "ho_ten"}, {"same", {"ngay_sinh", "ma_xa"}}};
  const CheckResult strict = ScanRegister(dir, people, same_commune);
  EXPECT_EQ(strict.violations, 0) << strict.message;
  // Without the commune in `same`, the re-entry in another commune is found and nothing else.
  const CheckResult r = ScanRegister(dir, people, kParams);
  EXPECT_EQ(r.violations, 1) << r.message;
  ASSERT_EQ(r.samples.size(), 2u);
  EXPECT_EQ(r.samples[0][0], "5");
  EXPECT_EQ(r.samples[0][2], "1002");
  EXPECT_EQ(r.samples[1][0], "1002");
  EXPECT_EQ(r.samples[1][2], "5");
  EXPECT_EQ(r.samples[0][4], "ho_ten= ngay_sinh= ma_xa≠ so_cccd=");
}

TEST(FuzzyDuplicateCheckTest, RulesValidateItsParameters) {
  for (const auto& [check, message] : std::vector<std::pair<std::string, std::string>>{
           {"fuzzy_duplicate: {same: [ngay_sinh]}", "missing required key 'name'"},
           {"fuzzy_duplicate: {name: ho_ten, threshold: 1.5}",
            "'threshold': expected a value from 0.5 to 1, got 1.5"},
           {"fuzzy_duplicate: {name: ho_ten, max_block: 1}",
            "'max_block': expected a value from 2 to 100000, got 1"}}) {
    const Result<SourceSpec> r = ParseRuleText(
        "source: s\ndepartment: D\ndatabase: sqlite:s.db\ntables:\n  t:\n    checks:\n      - " +
            check + "\n",
        "r.yaml");
    ASSERT_FALSE(r.ok()) << check;
    EXPECT_NE(r.status().message().find(message), std::string::npos) << r.status().message();
  }
}

}  // namespace
}  // namespace dqa
