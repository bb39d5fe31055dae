// The record-linkage ground truth of the demo province (ground_truth.json "fuzzy_duplicates",
// docs/demo-province.md "Re-entered citizens"): every listed record exists in population.db and
// every corruption is what the truth says it is, read back from the database.
#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/util/dates.h"
#include "core/util/text.h"
#include "scripts/datagen/legacy_encoding.h"
#include "scripts/datagen/name_variants.h"
#include "tests/integration/support.h"

namespace fuzzy_truth_test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace dqa::datagen;

struct Citizen {
  std::optional<std::string> cccd;
  std::string name, birth, ma_xa, status;
};

std::map<int64_t, Citizen> ReadCitizens(const fs::path& db) {
  std::map<int64_t, Citizen> out;
  sqlite3* conn = nullptr;
  if (sqlite3_open_v2(db.c_str(), &conn, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) return out;
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(conn, "SELECT id, so_cccd, ho_ten, ngay_sinh, ma_xa, trang_thai FROM cong_dan", -1, &st,
                     nullptr);
  const auto text = [&](int col) {
    const unsigned char* t = sqlite3_column_text(st, col);
    return t ? std::string(reinterpret_cast<const char*>(t)) : std::string();
  };
  while (sqlite3_step(st) == SQLITE_ROW) {
    Citizen c{sqlite3_column_type(st, 1) == SQLITE_NULL ? std::nullopt : std::optional<std::string>(text(1)),
              text(2), text(3), text(4), text(5)};
    out[sqlite3_column_int64(st, 0)] = c;
  }
  sqlite3_finalize(st);
  sqlite3_close(conn);
  return out;
}

std::u32string CodePoints(const std::string& s) {
  std::u32string out;
  for (size_t pos = 0; pos < s.size();) {
    const size_t start = pos;
    out.push_back(dqa::DecodeUtf8(s, pos).value_or(U'?'));
    if (pos == start) ++pos;
  }
  return out;
}

// Positions where two equally long strings differ.
template <typename S>
std::vector<size_t> Differences(const S& a, const S& b) {
  std::vector<size_t> out;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (a[i] != b[i]) out.push_back(i);
  }
  return out;
}

// True when `b` is `a` with two adjacent elements swapped.
template <typename S>
bool IsTransposition(const S& a, const S& b) {
  const auto d = Differences(a, b);
  return a.size() == b.size() && d.size() == 2 && d[1] == d[0] + 1 && a[d[0]] == b[d[1]] && a[d[1]] == b[d[0]];
}

// True when removing one element of `longer` gives `shorter`.
bool IsOneInsertion(const std::u32string& shorter, const std::u32string& longer) {
  if (longer.size() != shorter.size() + 1) return false;
  for (size_t i = 0; i < longer.size(); ++i) {
    if (longer.substr(0, i) + longer.substr(i + 1) == shorter) return true;
  }
  return false;
}

std::string CollapseSpaces(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out += c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// `copy` is `original` with exactly the name corruption `kind`, and nothing else.
void ExpectNameCorruption(const std::string& kind, const std::string& original, const std::string& copy) {
  SCOPED_TRACE(kind + ": '" + original + "' -> '" + copy + "'");
  EXPECT_NE(copy, original);
  const std::u32string a = CodePoints(original), b = CodePoints(copy);
  if (kind == "nfd") {
    EXPECT_EQ(copy, ToNfd(original));
    EXPECT_EQ(dqa::ToNfc(copy), original);
  } else if (kind == "no_diacritics") {
    EXPECT_TRUE(dqa::IsAscii(copy));
    EXPECT_EQ(copy, StripDiacritics(original));
  } else if (kind == "tone_placement") {
    // The same letters and marks, one tone mark moved to the neighbouring vowel.
    EXPECT_EQ(StripDiacritics(copy), StripDiacritics(original));
    EXPECT_EQ(dqa::ToNfc(copy), copy);
    EXPECT_EQ(a.size(), b.size());
    EXPECT_TRUE(IsTransposition(CodePoints(ToNfd(original)), CodePoints(ToNfd(copy))));
  } else if (kind == "d_stroke") {
    EXPECT_EQ(copy, DStrokeToD(original));
  } else if (kind == "upper_case") {
    EXPECT_EQ(copy, UpperCase(original));
    EXPECT_EQ(StripDiacritics(copy), UpperCase(StripDiacritics(original)));
  } else if (kind == "extra_spaces") {
    EXPECT_EQ(CollapseSpaces(copy), original);
  } else if (kind == "typo_insertion") {
    EXPECT_TRUE(IsOneInsertion(a, b));
  } else if (kind == "typo_deletion") {
    EXPECT_TRUE(IsOneInsertion(b, a));
  } else if (kind == "typo_substitution") {
    EXPECT_EQ(a.size(), b.size());
    EXPECT_EQ(Differences(a, b).size(), 1u);
  } else if (kind == "typo_transposition") {
    EXPECT_TRUE(IsTransposition(a, b));
  } else if (kind == "surname_swap") {
    const std::string rest = original.substr(original.find(' '));
    EXPECT_EQ(copy.substr(copy.find(' ')), rest);
    const std::set<std::pair<std::string, std::string>> swaps = {
        {"Hoàng", "Huỳnh"}, {"Huỳnh", "Hoàng"}, {"Vũ", "Võ"}, {"Võ", "Vũ"}};
    EXPECT_TRUE(swaps.count({original.substr(0, original.find(' ')), copy.substr(0, copy.find(' '))}));
  } else if (kind == "tcvn3") {
    EXPECT_EQ(DecodeTcvn3(copy), original);
    EXPECT_EQ(EncodeTcvn3(original), copy);
  } else if (kind == "vni") {
    EXPECT_EQ(DecodeVni(copy), original);
    EXPECT_EQ(EncodeVni(original), copy);
  } else {
    ADD_FAILURE() << "unknown name corruption";
  }
}

const std::set<std::string> kNameKinds = {
    "nfd", "no_diacritics", "tone_placement", "d_stroke", "upper_case", "extra_spaces", "typo_insertion",
    "typo_deletion", "typo_substitution", "typo_transposition", "surname_swap", "tcvn3", "vni"};

int64_t Id(const json& key) { return key.at(0).get<int64_t>(); }

// Generates a province and checks its "fuzzy_duplicates" truth against population.db.
void CheckLinkageTruth(const fs::path& dir, const std::string& extra, double rate) {
  ASSERT_EQ(dqa::test_support::RunShell(std::string(DQA_DATAGEN) + " --out " +
                                        dqa::test_support::Quote(dir.string()) +
                                        " --scale 0.005 --seed 42 --today 2026-11-01 " + extra + " 2>/dev/null"),
            0);
  std::ifstream in(dir / "ground_truth.json");
  const json truth = json::parse(in, nullptr, false);
  ASSERT_FALSE(truth.is_discarded());
  ASSERT_TRUE(truth.contains("fuzzy_duplicates"));
  const json& t = truth["fuzzy_duplicates"]["population.cong_dan"];
  EXPECT_EQ(t["key"], json({"id"}));
  EXPECT_DOUBLE_EQ(t["reentry_rate"].get<double>(), rate);
  const auto citizens = ReadCitizens(dir / "population.db");
  ASSERT_EQ(static_cast<int64_t>(citizens.size()),
            truth["sources"]["population"]["tables"]["cong_dan"]["rows"].get<int64_t>());

  std::set<int64_t> seen;
  std::map<std::string, int64_t> per_kind;
  std::set<std::string> pure_name_kinds;
  int64_t reentered = 0, same_cccd = 0, expected_pairs = 0, records = 0;
  std::set<std::pair<int64_t, int64_t>> true_pairs;
  for (const json& cluster : t["clusters"]) {
    const int64_t oid = Id(cluster["original"]);
    ASSERT_TRUE(citizens.count(oid)) << oid;
    EXPECT_TRUE(seen.insert(oid).second) << "record in two clusters: " << oid;
    const Citizen& o = citizens.at(oid);
    EXPECT_EQ(o.status, "song");
    const std::string kind = cluster["kind"];
    (kind == "reentered" ? reentered : same_cccd) += 1;
    std::vector<int64_t> members{oid};
    for (const json& copy : cluster["copies"]) {
      const int64_t cid = Id(copy["key"]);
      ASSERT_TRUE(citizens.count(cid)) << cid;
      EXPECT_TRUE(seen.insert(cid).second) << "record in two clusters: " << cid;
      members.push_back(cid);
      const Citizen& c = citizens.at(cid);
      EXPECT_EQ(c.status, "song");
      std::set<std::string> kinds;
      for (const json& k : copy["corruptions"]) {
        kinds.insert(k.get<std::string>());
        ++per_kind[k.get<std::string>()];
      }
      SCOPED_TRACE(kind + " " + std::to_string(oid) + " -> " + std::to_string(cid) + ": " + copy.dump());
      // Columns other than the name: exactly the claimed differences.
      if (kinds.count("cccd_missing")) {
        EXPECT_FALSE(c.cccd.has_value());
      } else if (kinds.count("cccd_transposition")) {
        ASSERT_TRUE(c.cccd && o.cccd);
        EXPECT_TRUE(IsTransposition(*o.cccd, *c.cccd));
        EXPECT_GE(Differences(*o.cccd, *c.cccd)[0], 6u);  // the serial digits only
      } else if (kinds.count("cccd_substitution")) {
        ASSERT_TRUE(c.cccd && o.cccd);
        EXPECT_EQ(c.cccd->size(), 12u);
        ASSERT_EQ(Differences(*o.cccd, *c.cccd).size(), 1u);
        EXPECT_GE(Differences(*o.cccd, *c.cccd)[0], 6u);
      } else {
        EXPECT_EQ(kind, "same_cccd");  // a re-entry never keeps the CCCD: that is the exact class
        EXPECT_EQ(c.cccd, o.cccd);
      }
      if (kinds.count("birth_day_month_swap")) {
        const auto day = dqa::ParseIsoDay(o.birth);
        ASSERT_TRUE(day);
        const auto civil = dqa::CivilFromDays(*day);
        EXPECT_EQ(c.birth, dqa::FormatDay(*dqa::DaysFromCivil(civil.year, civil.day, civil.month)));
        EXPECT_NE(c.birth, o.birth);
      } else {
        EXPECT_EQ(c.birth, o.birth);
      }
      EXPECT_EQ(kinds.count("other_commune") == 1, c.ma_xa != o.ma_xa);
      std::vector<std::string> name_kinds;
      for (const std::string& k : kinds) {
        if (kNameKinds.count(k)) name_kinds.push_back(k);
      }
      if (name_kinds.empty()) {
        EXPECT_EQ(c.name, o.name);
      } else if (name_kinds.size() == 1) {
        ExpectNameCorruption(name_kinds[0], o.name, c.name);
        pure_name_kinds.insert(name_kinds[0]);
      } else {
        EXPECT_NE(c.name, o.name);
        // The encodings are applied last: undoing them gives NFC text again.
        if (kinds.count("nfd")) { EXPECT_NE(dqa::ToNfc(c.name), c.name); }
        if (kinds.count("tcvn3")) { EXPECT_EQ(dqa::ToNfc(DecodeTcvn3(c.name)), DecodeTcvn3(c.name)); }
        if (kinds.count("no_diacritics")) { EXPECT_TRUE(dqa::IsAscii(c.name)); }
      }
    }
    records += static_cast<int64_t>(members.size());
    expected_pairs += static_cast<int64_t>(members.size() * (members.size() - 1) / 2);
    for (size_t a = 0; a < members.size(); ++a) {
      for (size_t b = a + 1; b < members.size(); ++b) {
        true_pairs.insert({std::min(members[a], members[b]), std::max(members[a], members[b])});
      }
    }
  }
  // Every kind exists, and every name kind once alone (so each was verified above).
  for (const auto& [k, n] : t["counts"]["corruptions"].items()) {
    EXPECT_GE(n.get<int64_t>(), 1) << k;
    EXPECT_EQ(n.get<int64_t>(), per_kind[k]) << k;
  }
  EXPECT_EQ(t["counts"]["corruptions"].size(), 18u);
  EXPECT_EQ(pure_name_kinds, kNameKinds);
  const double base_rows = 7000;  // 1.4 million x 0.005, before anything is appended
  EXPECT_EQ(reentered, std::max<int64_t>(18, std::llround(rate * base_rows)));
  EXPECT_EQ(same_cccd, truth["sources"]["population"]["checks"]["duplicate:cong_dan.so_cccd"]["groups"].get<int64_t>() - 1);
  EXPECT_EQ(t["counts"]["clusters"].get<int64_t>(), reentered + same_cccd);
  EXPECT_EQ(t["counts"]["records"].get<int64_t>(), records);
  EXPECT_EQ(t["counts"]["pairs"].get<int64_t>(), expected_pairs);
  std::set<std::pair<int64_t, int64_t>> listed;
  for (const json& p : t["pairs"]) {
    EXPECT_LT(Id(p["a"]), Id(p["b"]));
    listed.insert({Id(p["a"]), Id(p["b"])});
  }
  EXPECT_EQ(listed, true_pairs);

  // Near misses: different people that look alike, never a true pair.
  int64_t twins = 0, common = 0;
  for (const json& m : t["near_misses"]) {
    const Citizen& a = citizens.at(Id(m["a"]));
    const Citizen& b = citizens.at(Id(m["b"]));
    SCOPED_TRACE(m.dump() + ": " + a.name + " / " + b.name);
    EXPECT_FALSE(true_pairs.count({Id(m["a"]), Id(m["b"])}));
    EXPECT_FALSE(seen.count(Id(m["a"])) || seen.count(Id(m["b"])));
    EXPECT_EQ(a.ma_xa, b.ma_xa);
    EXPECT_NE(a.cccd, b.cccd);
    if (m["kind"] == "twins") {
      ++twins;
      EXPECT_EQ(a.name.substr(0, a.name.find(' ')), b.name.substr(0, b.name.find(' ')));
      EXPECT_NE(a.name.substr(a.name.rfind(' ')), b.name.substr(b.name.rfind(' ')));
      EXPECT_EQ(a.birth, b.birth);
    } else {
      ++common;
      EXPECT_EQ(m["kind"], "common_name");
      EXPECT_TRUE(a.name == "Nguyễn Văn An" || a.name == "Nguyễn Thị Lan") << a.name;
      EXPECT_EQ(a.name, b.name);
      EXPECT_NE(a.birth, b.birth);
    }
  }
  EXPECT_EQ(twins, 4);       // 0.05 % of 7000 citizens
  EXPECT_EQ(common, 2 * 3);  // two groups of three: three pairs each
  EXPECT_EQ(t["counts"]["near_misses"].get<int64_t>(), twins + common);
}

TEST(FuzzyTruthTest, EveryListedPairAndCorruptionIsInTheDatabase) {
  CheckLinkageTruth(dqa::test_support::FreshTestDir("FuzzyTruthTest"), "", 0.01);
}

TEST(FuzzyTruthTest, ReentryRateIsConfigurable) {
  CheckLinkageTruth(dqa::test_support::FreshTestDir("FuzzyTruthTest"), "--reentered 0.03", 0.03);
}

}  // namespace
}  // namespace fuzzy_truth_test
