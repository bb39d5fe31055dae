// ProfileDatabase on small hand-built SQLite databases: exact numbers, and the draft rule file
// loads and validates against the same database.
#include "core/profiling/profiler.h"

#include <gtest/gtest.h>

#include <fstream>

#include "core/profiling/draft_rules.h"
#include "core/profiling/profile_output.h"
#include "core/rules/loader.h"
#include "tests/checks/scan_fixture.h"

namespace dqa::profiling {
namespace {

using dqa::testing::ExecSql;
using dqa::testing::TempDir;

// 40 citizens: every number below is counted by hand from this SQL.
constexpr const char* kCitizens = R"sql(
CREATE TABLE dan (id INTEGER PRIMARY KEY, so_cccd TEXT, ho_ten TEXT, gioi_tinh TEXT,
                  ngay_sinh TEXT, diem REAL, ngay_cap_nhat INTEGER, ghi_chu BLOB);
WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 40)
INSERT INTO dan SELECT n,
  CASE WHEN n <= 38 THEN printf('082%09d', n) WHEN n = 39 THEN NULL ELSE '' END,
  CASE n % 4 WHEN 0 THEN 'Nguyễn Văn An' WHEN 1 THEN 'Trần Thị Bình' WHEN 2 THEN 'Lê Thị Ánh'
    ELSE CASE n % 8 WHEN 3 THEN '   ' ELSE 'Đỗ Thị Ư' END END,
  CASE n % 3 WHEN 0 THEN 'Nữ' WHEN 1 THEN 'Nam' ELSE 'Nu' || char(795) || char(771) END,
  CASE WHEN n <= 30 THEN date('2000-01-01', '+' || n || ' days')
       WHEN n <= 38 THEN printf('%02d/03/1990', n - 30)
       WHEN n = 39 THEN 'không rõ' ELSE NULL END,
  n * 0.5,
  CASE WHEN n <= 20 THEN 1790000000 + n * 86400 ELSE 5 END,
  CASE WHEN n % 2 = 0 THEN x'00ff' ELSE NULL END
FROM seq;
CREATE TABLE ho_tich (so_dang_ky TEXT, ngay_dk TEXT, trang_thai TEXT);
WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 30)
INSERT INTO ho_tich SELECT 'HT-' || printf('%04d', n), printf('%d/10/2026', n),
  CASE WHEN n <= 20 THEN 'da_cap' ELSE 'cho_duyet' END FROM seq;
)sql";

constexpr int64_t kToday = 20758;  // 2026-11-01

class ProfilerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ExecSql(path_, kCitizens);
    auto db = SqliteDb::OpenReadOnly(path_);
    ASSERT_TRUE(db.ok()) << db.status().message();
    settings_.today_day = kToday;
    auto profile = ProfileDatabase(**db, {}, settings_);
    ASSERT_TRUE(profile.ok()) << profile.status().message();
    profile_ = std::move(*profile);
    ASSERT_EQ(profile_.tables.size(), 2u);
  }
  const ColumnProfile& Column(const std::string& table, const std::string& name) {
    for (const TableProfile& t : profile_.tables) {
      if (t.name != table) continue;
      for (const ColumnProfile& c : t.columns) {
        if (c.name == name) return c;
      }
    }
    ADD_FAILURE() << "no column " << table << "." << name;
    return profile_.tables[0].columns[0];
  }

  TempDir dir_;
  std::string path_ = dir_.File("test.db");
  ProfileSettings settings_;
  DatabaseProfile profile_;
};

TEST_F(ProfilerTest, TablesInNameOrderWithRowCounts) {
  EXPECT_EQ(profile_.tables[0].name, "dan");
  EXPECT_EQ(profile_.tables[0].rows, 40);
  EXPECT_EQ(profile_.tables[0].columns.size(), 8u);
  EXPECT_EQ(profile_.tables[1].name, "ho_tich");
  EXPECT_EQ(profile_.tables[1].rows, 30);
  EXPECT_EQ(profile_.today, "2026-11-01");
}

TEST_F(ProfilerTest, TypeMixNullsAndBlanks) {
  struct Case {
    const char* column;
    int64_t null, integer, real, text, blob, blank;
  };
  const Case cases[] = {
      {"id", 0, 40, 0, 0, 0, 0},       {"so_cccd", 1, 0, 0, 39, 0, 1},
      {"ho_ten", 0, 0, 0, 40, 0, 5},   {"ngay_sinh", 1, 0, 0, 39, 0, 0},
      {"diem", 0, 0, 40, 0, 0, 0},     {"ngay_cap_nhat", 0, 40, 0, 0, 0, 0},
      {"ghi_chu", 20, 0, 0, 0, 20, 0},
  };
  for (const Case& c : cases) {
    const ColumnProfile& p = Column("dan", c.column);
    EXPECT_EQ(p.rows, 40) << c.column;
    EXPECT_EQ(p.types.null, c.null) << c.column;
    EXPECT_EQ(p.types.integer, c.integer) << c.column;
    EXPECT_EQ(p.types.real, c.real) << c.column;
    EXPECT_EQ(p.types.text, c.text) << c.column;
    EXPECT_EQ(p.types.blob, c.blob) << c.column;
    EXPECT_EQ(p.blank, c.blank) << c.column;
  }
  EXPECT_TRUE(Column("dan", "id").primary_key);
  EXPECT_EQ(Column("dan", "so_cccd").declared_type, "TEXT");
}

TEST_F(ProfilerTest, DistinctCountsAreExactByStorage) {
  EXPECT_EQ(Column("dan", "id").distinct, 40);
  EXPECT_EQ(Column("dan", "so_cccd").distinct, 39);  // 38 numbers and ''
  EXPECT_EQ(Column("dan", "ho_ten").distinct, 5);
  EXPECT_EQ(Column("dan", "gioi_tinh").distinct, 3);  // NFC and NFD "Nữ" are stored differently
  EXPECT_EQ(Column("dan", "ngay_cap_nhat").distinct, 21);
  EXPECT_EQ(Column("dan", "ghi_chu").distinct, 1);
  EXPECT_TRUE(Column("dan", "so_cccd").distinct_exact);
}

TEST_F(ProfilerTest, TopValuesAreNfcAndExact) {
  const ColumnProfile& g = Column("dan", "gioi_tinh");
  ASSERT_TRUE(g.top_values_exact);
  ASSERT_EQ(g.top_values.size(), 2u);
  EXPECT_EQ(g.top_values[0].value, "Nữ");  // 13 NFC + 13 NFD
  EXPECT_EQ(g.top_values[0].count, 26);
  EXPECT_EQ(g.top_values[1].value, "Nam");
  EXPECT_EQ(g.top_values[1].count, 14);
}

TEST_F(ProfilerTest, PatternsWithVietnameseLetters) {
  const ColumnProfile& h = Column("dan", "ho_ten");
  ASSERT_EQ(h.patterns.size(), 5u);
  // Equal counts sort by shape (byte order: ' ' before 'a').
  EXPECT_EQ(h.patterns[0].value, "Aa Aaa Aaa");  // Lê Thị Ánh
  EXPECT_EQ(h.patterns[0].count, 10);
  EXPECT_EQ(h.patterns[1].value, "Aaaa Aaa Aaaa");  // Trần Thị Bình
  EXPECT_EQ(h.patterns[2].value, "Aaaaaa Aaa Aa");  // Nguyễn Văn An
  EXPECT_EQ(h.patterns[2].count, 10);
  EXPECT_EQ(h.patterns[3].value, "   ");
  EXPECT_EQ(h.patterns[3].count, 5);
  EXPECT_EQ(h.patterns[4].value, "Aa Aaa A");  // Đỗ Thị Ư
  EXPECT_EQ(h.patterns[4].count, 5);
  EXPECT_EQ(*h.min_length, 3);
  EXPECT_EQ(*h.max_length, 13);

  const ColumnProfile& c = Column("dan", "so_cccd");
  ASSERT_EQ(c.patterns.size(), 2u);
  EXPECT_EQ(c.patterns[0].value, "999999999999");
  EXPECT_EQ(c.patterns[0].count, 38);
  EXPECT_EQ(c.patterns[1].value, "");
  EXPECT_EQ(*c.text_min, "");
  EXPECT_EQ(*c.text_max, "082000000038");
  EXPECT_EQ(c.numeric_text, 38);
}

TEST_F(ProfilerTest, DateLikenessIsoDmyAndUnixSeconds) {
  const ColumnProfile& s = Column("dan", "ngay_sinh");
  EXPECT_EQ(s.dates.iso, 30);
  EXPECT_EQ(s.dates.dmy, 8);
  EXPECT_EQ(s.dates.unix_seconds, 0);
  EXPECT_EQ(FormatDay(*s.dates.min_day), "1990-03-01");
  EXPECT_EQ(FormatDay(*s.dates.max_day), "2000-01-31");
  EXPECT_EQ(s.dates.future, 0);

  const ColumnProfile& u = Column("dan", "ngay_cap_nhat");
  EXPECT_EQ(u.dates.unix_seconds, 20);  // the 20 small integers (5) are not timestamps
  // 1790000000 is 2026-09-21T14:13:20Z; n = 1..20 days later.
  EXPECT_EQ(FormatDay(*u.dates.min_day), "2026-09-22");
  EXPECT_EQ(FormatDay(*u.dates.max_day), "2026-10-11");

  const ColumnProfile& d = Column("ho_tich", "ngay_dk");
  EXPECT_EQ(d.dates.dmy, 30);
  EXPECT_EQ(d.dates.iso, 0);
  EXPECT_EQ(FormatDay(*d.dates.max_day), "2026-10-30");

  const ColumnProfile& n = Column("dan", "diem");
  EXPECT_EQ(*n.numeric_min, 0.5);
  EXPECT_EQ(*n.numeric_max, 20.0);
  EXPECT_EQ(n.dates.parsed(), 0);
}

TEST_F(ProfilerTest, JsonCarriesTheProfile) {
  const nlohmann::json j = ProfileToJson(profile_);
  EXPECT_EQ(j["format"], "dqaudit-profile");
  EXPECT_EQ(j["tables"][0]["rows"], 40);
  const nlohmann::json& c = j["tables"][0]["columns"][1];
  EXPECT_EQ(c["name"], "so_cccd");
  EXPECT_EQ(c["types"]["null"], 1);
  EXPECT_EQ(c["blank_count"], 1);
  EXPECT_DOUBLE_EQ(c["null_percent"].get<double>(), 2.5);
  EXPECT_EQ(c["distinct"]["method"], "exact");
  EXPECT_EQ(c["patterns"]["values"][0]["pattern"], "999999999999");
  EXPECT_EQ(j["tables"][1]["columns"][1]["dates"]["format"], "dmy");
}

TEST_F(ProfilerTest, UnknownTableIsNotFound) {
  auto db = SqliteDb::OpenReadOnly(path_);
  ASSERT_TRUE(db.ok());
  auto profile = ProfileDatabase(**db, {"khong_co"}, settings_);
  ASSERT_FALSE(profile.ok());
  EXPECT_EQ(profile.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(profile.status().message(),
            "table 'khong_co' not found in " + path_ + " (tables: dan, ho_tich)");
}

TEST_F(ProfilerTest, DraftRulesSuggestChecksAndValidate) {
  const std::string draft = DraftRules(profile_, {.source_id = "test", .database_ref = "test.db"});
  const std::string rules = dir_.File("test.yaml");
  std::ofstream(rules) << draft;
  const std::vector<std::string> expected = {
      "department: \"TODO: tên đơn vị\"",
      "database: sqlite:test.db",
      "key: [id]",
      "- row_count: {min: 36}",
      "- missing: {columns: [ho_ten], max_percent: 19}",  // 5/40 = 12.5% -> 18.85 -> 19
      "- duplicate: {columns: [so_cccd]}",                // 39 distinct in 39
      "- pattern: {column: so_cccd, regex: '^[0-9]{12}$', max_percent: 4}",  // 1/39 off
      "- allowed: {column: gioi_tinh, values: [\"Nữ\", \"Nam\"]}",
      "- range: {column: diem, min: 0, max: 20}",
      "- range: {column: ngay_dk, min: today-1y, max: today, date_format: dmy}",
      "- freshness: {column: ngay_dk, max_age: 30d, date_format: dmy}",
      "- allowed: {column: trang_thai, values: [\"da_cap\", \"cho_duyet\"]}",
      "key: [so_dang_ky]   # no primary key",
  };
  for (const std::string& e : expected) {
    EXPECT_NE(draft.find(e), std::string::npos) << e << "\n---\n" << draft;
  }
  auto sources = LoadRules({rules});
  ASSERT_TRUE(sources.ok()) << sources.status().message() << "\n---\n" << draft;
  std::vector<std::string> unreachable;
  const Status s = ValidateAgainstDatabases(*sources, &unreachable);
  EXPECT_TRUE(s.ok()) << s.message();
  EXPECT_TRUE(unreachable.empty());
}

TEST(SuggestedMaxPercentTest, HeadroomRoundedUp) {
  struct Case {
    double share, expected;
  };
  const Case cases[] = {{0, 0},    {0.05, 0.2}, {0.2, 0.4}, {0.6, 1},
                        {2.56, 4}, {12.5, 19},  {30, 50},   {80, 100}};
  for (const Case& c : cases) EXPECT_DOUBLE_EQ(SuggestedMaxPercent(c.share), c.expected) << c.share;
}

}  // namespace
}  // namespace dqa::profiling
