// standard_text against the generator's ground truth (docs/checks.md "Standard text"): a generated
// province's citizen names, some re-entered in TCVN3, VNI or NFD, are scanned by the real binary;
// the NFD, invalid and control counts equal what the generator says it wrote (which is also what
// its listing of corruptions implies), and every name reported as legacy was written so.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "tests/integration/support.h"

namespace dqa {
namespace standard_text_test {
namespace {

namespace fs = std::filesystem;
using namespace dqa::test_support;

// Copies whose name corruptions include one of `kinds`, from ground_truth.json "fuzzy_duplicates".
int64_t CopiesWith(const nlohmann::json& truth, std::initializer_list<const char*> kinds) {
  int64_t n = 0;
  for (const auto& cluster : truth["fuzzy_duplicates"]["population.cong_dan"]["clusters"]) {
    for (const auto& copy : cluster["copies"]) {
      bool has = false;
      for (const auto& c : copy["corruptions"]) {
        for (const char* kind : kinds) has = has || c.get<std::string>() == kind;
      }
      n += has;
    }
  }
  return n;
}

TEST(StandardTextTruthTest, FindsTheNamesTheGeneratorWroteOutOfStandardForm) {
  const fs::path dir = FreshTestDir("standard_text_truth");
  // Three times the default share of re-entered citizens, so that every encoding is well represented.
  ASSERT_EQ(RunShell(std::string(DQA_DATAGEN) + " --out " + Quote((dir / "data").string()) +
                     " --scale 0.01 --reentered 0.03 --today 2026-11-01 2>/dev/null"),
            0);
  WriteFile(dir / "st.yaml",
            "source: population\ndepartment: CA\ndatabase: sqlite:data/population.db\ntables:\n"
            "  cong_dan:\n    key: [id]\n    filter: \"trang_thai <> 'thu_nghiem'\"\n    checks:\n"
            "      - standard_text: {column: ho_ten}\n"
            "      - standard_text: {id: legacy_only, column: ho_ten, flag: [legacy]}\n");
  const CommandResult r = RunDqaudit(
      dir, "scan st.yaml --no-history --today 2026-11-01 --samples 10000 --json out.json -q");
  ASSERT_EQ(r.code, 1) << r.err;  // any violation fails
  const nlohmann::json out = nlohmann::json::parse(ReadFile(dir / "out.json"));
  const nlohmann::json truth = nlohmann::json::parse(ReadFile(dir / "data" / "ground_truth.json"));
  const nlohmann::json& linkage = truth["fuzzy_duplicates"]["population.cong_dan"];
  const nlohmann::json& written = linkage["non_standard_names"];
  ASSERT_EQ(out["results"].size(), 2u);
  const nlohmann::json& all = out["results"][0];
  const nlohmann::json& legacy_only = out["results"][1];

  // The generator's count agrees with its listing of what each re-entered copy went through.
  const int64_t legacy_copies = CopiesWith(truth, {"tcvn3", "vni"});
  const int64_t nfd_copies = CopiesWith(truth, {"nfd"});
  EXPECT_GT(legacy_copies, 50);
  EXPECT_GT(nfd_copies, 20);
  EXPECT_EQ(written["legacy"].get<int64_t>(), legacy_copies);
  EXPECT_EQ(written["not_nfc"].get<int64_t>(), nfd_copies);

  // Exact: the names checked, NFD, invalid UTF-8 and control characters.
  EXPECT_EQ(all["id"], "standard_text:cong_dan.ho_ten");
  EXPECT_EQ(all["dimension"], "uniqueness");
  EXPECT_EQ(all["rows_checked"].get<int64_t>(), written["names"].get<int64_t>());
  for (const char* reason : {"invalid_utf8", "not_nfc", "control"}) {
    EXPECT_EQ(all["metrics"][reason].get<int64_t>(), written[reason].get<int64_t>()) << reason;
  }
  // Legacy encodings (docs/checks.md "Vietnamese name matching"): the detector never reports a
  // name the generator did not write in TCVN3 or VNI, and leaves alone a name that typos made
  // unreadable or that both encodings explain as well. Measured when written: 108 of 117.
  const int64_t legacy = all["metrics"]["legacy"].get<int64_t>();
  EXPECT_LE(legacy, legacy_copies);
  EXPECT_GE(static_cast<double>(legacy), 0.85 * static_cast<double>(legacy_copies));
  EXPECT_EQ(all["violations"].get<int64_t>(), legacy + nfd_copies);
  EXPECT_NE(all["message"].get<std::string>().find(
                "(values: legacy " + std::to_string(legacy) + ", invalid_utf8 0, not_nfc " +
                std::to_string(nfd_copies) + ", control 0)"),
            std::string::npos)
      << all["message"];

  // Every flagged row is a copy the generator wrote in a legacy encoding.
  std::set<int64_t> legacy_ids;
  for (const auto& cluster : linkage["clusters"]) {
    for (const auto& copy : cluster["copies"]) {
      for (const auto& c : copy["corruptions"]) {
        if (c == "tcvn3" || c == "vni") legacy_ids.insert(copy["key"][0].get<int64_t>());
      }
    }
  }
  EXPECT_EQ(legacy_only["violations"].get<int64_t>(), legacy);
  EXPECT_EQ(legacy_only["metrics"], nlohmann::json({{"legacy", legacy}}));
  ASSERT_EQ(static_cast<int64_t>(legacy_only["samples"].size()), legacy);
  for (const auto& sample : legacy_only["samples"]) {
    EXPECT_TRUE(legacy_ids.count(std::stoll(sample["id"].get<std::string>()))) << sample.dump();
  }
}

}  // namespace
}  // namespace standard_text_test
}  // namespace dqa
