// End to end: the four sector plugins, built into <build>/plugins and found there by the real
// dqaudit binary, scan the generated demo province; every plugin check must equal the generator's
// ground truth exactly, metrics included (docs/sector-plugins.md).
#include <gtest/gtest.h>
#include <unistd.h>
#include <sqlite3.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "tests/integration/support.h"

namespace sector_plugins_test {
namespace {

using dqa::test_support::Quote;

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kToday = "2026-11-01";

int RunCommand(const std::string& command) {
  const int status = std::system(command.c_str());
  if (status == -1 || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

std::string Capture(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buf[4096];
  size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  pclose(pipe);
  return out;
}

json ReadJson(const fs::path& file) {
  std::ifstream in(file);
  return json::parse(in, nullptr, /*allow_exceptions=*/false);
}

// Generates the province (scale 0.005, `seed`) and scans it with rules/demo once per seed.
struct Scan {
  fs::path data;
  json truth;
  json result;
  int exit_code = -1;
};

const Scan& ScanProvince(const std::string& seed) {
  static std::map<std::string, Scan> cache;
  auto it = cache.find(seed);
  if (it != cache.end()) return it->second;
  Scan& s = cache[seed];
  // Per process: ctest runs the tests of this file in parallel processes that share seeds.
  const fs::path root =
      fs::path(DQA_WORK_DIR) / ("sector_plugins_" + seed + "_" + std::to_string(getpid()));
  fs::remove_all(root);
  s.data = root / "data" / "demo";
  const fs::path rules = root / "rules" / "demo";
  fs::create_directories(rules);
  for (const auto& entry : fs::directory_iterator(DQA_RULES_DIR)) {
    if (entry.path().extension() == ".yaml")
      fs::copy_file(entry.path(), rules / entry.path().filename());
  }
  if (RunCommand(std::string(DQA_DATAGEN) + " --out " + Quote(s.data.string()) +
                 " --scale 0.005 --seed " + seed + " --today " + kToday + " 2>/dev/null") != 0) {
    return s;
  }
  const fs::path out = root / "scan.json";
  s.exit_code = RunCommand(std::string(DQA_BINARY) + " scan " + Quote(rules.string()) + " --json " +
                           Quote(out.string()) + " --no-history --today " + kToday + " > " +
                           Quote((root / "scan.log").string()) + " 2>&1");
  s.truth = ReadJson(s.data / "ground_truth.json");
  s.result = ReadJson(out);
  return s;
}

// The plugin checks of the ground truth: (source, id) -> truth.
std::map<std::pair<std::string, std::string>, json> PluginTruth(const json& truth) {
  std::map<std::pair<std::string, std::string>, json> out;
  for (const auto& [source, s] : truth["sources"].items()) {
    for (const auto& [id, t] : s["checks"].items()) {
      if (t["type"].get<std::string>().find('.') != std::string::npos) out[{source, id}] = t;
    }
  }
  return out;
}

class SectorPluginsTest : public ::testing::TestWithParam<const char*> {};

TEST_P(SectorPluginsTest, EveryPluginCheckMatchesGroundTruthExactly) {
  const Scan& s = ScanProvince(GetParam());
  ASSERT_FALSE(s.truth.is_discarded());
  ASSERT_FALSE(s.result.is_discarded()) << "no results JSON (exit code " << s.exit_code << ")";
  EXPECT_EQ(s.exit_code, 1);
  const auto truth = PluginTruth(s.truth);
  // Four plugins, seventeen checks: 4 population, 5 civil_registration, 3 social_protection,
  // 5 public_services.
  ASSERT_EQ(truth.size(), 17u);
  std::set<std::string> sectors;
  size_t compared = 0;
  for (const auto& r : s.result["results"]) {
    const std::pair<std::string, std::string> key{r.value("source", ""), r.value("id", "")};
    auto it = truth.find(key);
    if (it == truth.end()) continue;
    ++compared;
    const json& t = it->second;
    SCOPED_TRACE(key.first + " / " + key.second + ": " + r.value("message", ""));
    const std::string type = r.value("type", "");
    sectors.insert(type.substr(0, type.find('.')));
    EXPECT_EQ(type, t["type"].get<std::string>());
    EXPECT_EQ(r["violations"].get<int64_t>(), t["violations"].get<int64_t>());
    EXPECT_EQ(r["rows_checked"].get<int64_t>(), t["rows_checked"].get<int64_t>());
    EXPECT_NEAR(r["percent"].get<double>(), t["percent"].get<double>(), 1e-9);
    EXPECT_EQ(r.value("severity", ""), t["severity"].get<std::string>());
    EXPECT_EQ(r.value("outcome", ""), t["outcome"].get<std::string>());
    if (t.contains("metrics")) {
      ASSERT_TRUE(r.contains("metrics"));
      for (const auto& [name, value] : t["metrics"].items()) {
        ASSERT_TRUE(r["metrics"].contains(name)) << name;
        EXPECT_NEAR(r["metrics"][name].get<double>(), value.get<double>(), 1e-9) << name;
      }
    }
    // Every check with violations names some of the violating rows.
    const auto& samples = r.value("samples", json::array());
    if (t["violations"].get<int64_t>() > 0) {
      EXPECT_FALSE(samples.empty());
    }
    EXPECT_LE(static_cast<int64_t>(samples.size()),
              std::max<int64_t>(t["violations"].get<int64_t>(), 0) *
                  (type == "social_protection.enrolled_twice" ? 2 : 1));
  }
  EXPECT_EQ(compared, truth.size());
  EXPECT_EQ(sectors, (std::set<std::string>{"population", "civil_registration", "social_protection",
                                            "public_services"}));
}

INSTANTIATE_TEST_SUITE_P(Seeds, SectorPluginsTest, ::testing::Values("42", "7"));

// Independent of the generator's bookkeeping: every sampled citizen of death_not_propagated is
// 'song' in population.db and has a death record in civil.db (checked with SQL here).
TEST(SectorPluginsSamplesTest, DeathNotPropagatedSamplesAreAliveHereAndDeadInCivil) {
  const Scan& s = ScanProvince("42");
  ASSERT_FALSE(s.result.is_discarded());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2((s.data / "population.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr),
            SQLITE_OK);
  const std::string attach = "ATTACH " + Quote((s.data / "civil.db").string()) + " AS civil";
  ASSERT_EQ(sqlite3_exec(db, attach.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(
                db,
                "SELECT count(*) FROM cong_dan c WHERE c.id = ? AND c.trang_thai = 'song' AND "
                "EXISTS (SELECT 1 FROM civil.khai_tu k WHERE k.so_cccd = c.so_cccd)",
                -1, &stmt, nullptr),
            SQLITE_OK);
  size_t checked = 0;
  for (const auto& r : s.result["results"]) {
    if (r.value("id", "") != "da_mat_chua_cap_nhat") continue;
    for (const auto& sample : r["samples"]) {
      sqlite3_reset(stmt);
      sqlite3_bind_int64(stmt, 1, std::stoll(sample["id"].get<std::string>()));
      ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
      EXPECT_EQ(sqlite3_column_int64(stmt, 0), 1) << sample.dump();
      ++checked;
    }
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  EXPECT_GT(checked, 0u);
}

// social_protection.enrolled_as_two_citizens asks the host for the fuzzy clusters of population's
// citizens (plugin ABI 1.2). rules/demo does not attach population to social, so a rule file here
// does; the generator records the exact count under "other_checks". Run in the worker process
// (the default, docs/isolation.md) and in-process: both must equal the truth.
TEST(SectorPluginsClustersTest, EnrolledAsTwoCitizensMatchesGroundTruthInWorkerAndInProcess) {
  const Scan& s = ScanProvince("42");
  ASSERT_FALSE(s.truth.is_discarded());
  const json& t = s.truth["sources"]["social"]["other_checks"]["huong_hai_ho_so_cong_dan"];
  ASSERT_TRUE(t.is_object());
  EXPECT_GT(t["violations"].get<int64_t>(), 0);
  const fs::path root = s.data.parent_path().parent_path() / "clusters";
  fs::create_directories(root);
  {
    std::ofstream(root / "social.yaml")
        << "source: social\ndepartment: d\nsector: social_protection\ndatabase: sqlite:"
        << (s.data / "social.db").string() << "\nattach: {population: population}\ntables:\n"
        << "  doi_tuong:\n    key: [id]\n    checks:\n"
        << "      - social_protection.enrolled_as_two_citizens:\n"
        << "          {id: huong_hai_ho_so_cong_dan, citizens: population.cong_dan, "
        << "severity: critical}\n";
    std::ofstream(root / "population.yaml")
        << "source: population\ndepartment: d\ndatabase: sqlite:"
        << (s.data / "population.db").string() << "\ntables:\n  cong_dan:\n    checks:\n"
        << "      - row_count: {min: 1}\n";
  }
  for (const std::string mode : {"", " --in-process"}) {
    SCOPED_TRACE("mode:" + mode);
    const fs::path out = root / "out.json";
    fs::remove(out);
    EXPECT_EQ(RunCommand(std::string(DQA_BINARY) + " scan " + Quote(root.string()) + " --json " +
                         Quote(out.string()) + " --no-history --samples 50 --today " + kToday +
                         mode + " > /dev/null 2>&1"),
              1);
    const json result = ReadJson(out);
    ASSERT_FALSE(result.is_discarded());
    size_t found = 0;
    for (const auto& r : result["results"]) {
      if (r.value("id", "") != "huong_hai_ho_so_cong_dan") continue;
      ++found;
      SCOPED_TRACE(r.value("message", ""));
      EXPECT_EQ(r.value("type", ""), t["type"].get<std::string>());
      EXPECT_EQ(r["violations"].get<int64_t>(), t["violations"].get<int64_t>());
      EXPECT_EQ(r["rows_checked"].get<int64_t>(), t["rows_checked"].get<int64_t>());
      EXPECT_EQ(r.value("outcome", ""), t["outcome"].get<std::string>());
      EXPECT_NEAR(r["metrics"]["extra_identities"].get<double>(),
                  t["metrics"]["extra_identities"].get<double>(), 1e-9);
      // The two enrolments of each person (a citizen and their re-entered copy).
      EXPECT_EQ(r["samples"].size(), 2 * t["violations"].get<size_t>());
    }
    EXPECT_EQ(found, 1u);
  }
}

TEST(SectorPluginsListTest, PluginsListShowsTheFourSectorPlugins) {
  const std::string out = Capture(std::string(DQA_BINARY) + " plugins list 2>&1");
  for (const char* name :
       {"population", "civil_registration", "social_protection", "public_services"}) {
    EXPECT_NE(out.find(name), std::string::npos) << name << " not in:\n" << out;
  }
  const std::string info = Capture(std::string(DQA_BINARY) + " plugins info population 2>&1");
  for (const char* check : {"cccd", "phone", "birth_date", "death_not_propagated"}) {
    EXPECT_NE(info.find(check), std::string::npos) << check << " not in:\n" << info;
  }
}

}  // namespace
}  // namespace sector_plugins_test
