// Indicators end to end (docs/checks.md "Indicators"): the demo's `indicator` checks and the
// sector plugins' published indicators through the real binary, in worker processes and in
// process, into the history store, and out through every report format of the run and the month.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/integration/support.h"

namespace dqa {
namespace indicator_test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using test_support::CommandResult;
using test_support::FreshTestDir;
using test_support::MakeDemoProvince;
using test_support::Quote;
using test_support::ReadFile;
using test_support::RunDqaudit;
using test_support::RunShell;

// The result `id` of `source` in a results JSON document (null when absent).
json ResultOf(const json& doc, const std::string& source, const std::string& id) {
  for (const json& r : doc.at("results")) {
    if (r.at("source") == source && r.at("id") == id) return r;
  }
  return nullptr;
}

std::string Unzip(const fs::path& zip, const std::string& part) {
  const fs::path out = zip.parent_path() / "unzipped.txt";
  EXPECT_EQ(RunShell("unzip -p " + Quote(zip.string()) + " " + Quote(part) + " > " +
                     Quote(out.string()) + " 2>/dev/null"),
            0);
  return ReadFile(out);
}

class IndicatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = FreshTestDir("indicator");
    ASSERT_TRUE(MakeDemoProvince(dir_, "2026-11-01"));
    truth_ = json::parse(ReadFile(dir_ / "data" / "demo" / "ground_truth.json"));
  }
  json Truth(const std::string& source, const std::string& id) {
    return truth_["sources"][source]["checks"][id];
  }
  fs::path dir_;
  json truth_;
};

TEST_F(IndicatorTest, WorkerAndInProcessScansReportTheTruthAndEveryReportShowsIt) {
  // Workers (the default), recorded in the history store.
  const CommandResult scan = RunDqaudit(
      dir_, "scan rules/demo --history audit.db --today 2026-11-01 --quiet --json scan.json");
  ASSERT_EQ(scan.code, 1) << scan.err;  // the demo has failing checks
  const CommandResult in_process = RunDqaudit(
      dir_, "scan rules/demo --no-history --in-process --today 2026-11-01 --quiet --json local.json");
  ASSERT_EQ(in_process.code, 1) << in_process.err;
  const json workers = json::parse(ReadFile(dir_ / "scan.json"));
  const json local = json::parse(ReadFile(dir_ / "local.json"));

  const std::vector<std::pair<std::string, std::string>> checks = {
      {"services", "ho_so_tra_dung_han"}, {"services", "ket_qua_truc_tuyen"},
      {"social", "chi_tra_khong_tien_mat"}, {"services", "chi_so_phuc_vu"},
      {"social", "doi_tuong_chua_co_tai_khoan"}};
  for (const auto& [source, id] : checks) {
    SCOPED_TRACE(source + "/" + id);
    const json r = ResultOf(workers, source, id);
    ASSERT_TRUE(r.is_object());
    const json t = Truth(source, id);
    ASSERT_TRUE(t.contains("indicators"));
    ASSERT_TRUE(r.contains("indicators"));
    ASSERT_EQ(r["indicators"].size(), t["indicators"].size());
    for (size_t i = 0; i < t["indicators"].size(); ++i) {
      const json& got = r["indicators"][i];
      const json& want = t["indicators"][i];
      EXPECT_EQ(got["id"], want["id"]);
      EXPECT_EQ(got["numerator"], want["numerator"]);
      EXPECT_EQ(got["denominator"], want["denominator"]);
      EXPECT_GT(got["denominator"].get<int64_t>(), 0);
      EXPECT_NEAR(got["value"].get<double>(), want["value"].get<double>(), 1e-9);
      EXPECT_EQ(got["target"], want["target"]);
    }
    EXPECT_EQ(r["outcome"], t["outcome"]);
    // The worker codec carries every field: the in-process scan says exactly the same.
    EXPECT_EQ(r["indicators"], ResultOf(local, source, id)["indicators"]);
  }
  // The built-in check's figures: violations are the returned dossiers not on time.
  const json on_time = ResultOf(workers, "services", "ho_so_tra_dung_han");
  EXPECT_EQ(on_time["dimension"], "freshness");
  EXPECT_EQ(on_time["rows_checked"], on_time["indicators"][0]["denominator"]);
  EXPECT_EQ(on_time["violations"].get<int64_t>(),
            on_time["indicators"][0]["denominator"].get<int64_t>() -
                on_time["indicators"][0]["numerator"].get<int64_t>());

  // Every report format, from audit.db, in both languages.
  const json numbers = on_time["indicators"][0];
  for (const std::string lang : {"vi", "en"}) {
    SCOPED_TRACE(lang);
    const CommandResult report = RunDqaudit(
        dir_, "report --history audit.db --format html,json,csv,xlsx --lang " + lang + " --out rep");
    ASSERT_EQ(report.code, 0) << report.err;
    const std::string heading = lang == "vi" ? "Chỉ tiêu" : "Indicators";
    const std::string html = ReadFile(dir_ / "rep" / ("dqaudit-run-1-" + lang + ".html"));
    EXPECT_NE(html.find("<h3 id=\"indicators\">" + heading + "</h3>"), std::string::npos);
    // The indicator check's title in the report's language (docs/rules.md "Titles").
    EXPECT_NE(html.find(lang == "vi" ? "Hồ sơ trả đúng hạn" : "Dossiers returned on time"),
              std::string::npos);
    EXPECT_NE(html.find("chi_tra_khong_tien_mat"), std::string::npos);

    const json doc = json::parse(ReadFile(dir_ / "rep" / ("dqaudit-run-1-" + lang + ".json")));
    bool found = false;
    for (const json& i : doc["indicators"]) {
      if (i["check_id"] != "ho_so_tra_dung_han") continue;
      found = true;
      EXPECT_EQ(i["source"], "services");
      EXPECT_EQ(i["numerator"], numbers["numerator"]);
      EXPECT_EQ(i["denominator"], numbers["denominator"]);
      EXPECT_EQ(i["target"], 95.0);
      EXPECT_EQ(i["direction"], "higher");
      EXPECT_EQ(i["outcome"], on_time["outcome"]);
    }
    EXPECT_TRUE(found);
    // Five checks publish seven indicators: 2 built-in on services, 1 on social, 3 + 1 plugin.
    EXPECT_EQ(doc["indicators"].size(), 7u);

    const std::string csv = ReadFile(dir_ / "rep" / ("dqaudit-run-1-" + lang + ".csv"));
    EXPECT_NE(csv.find("ho_so_tra_dung_han: "), std::string::npos) << csv.substr(0, 2000);
    // Plugin metrics too, named in the report's language.
    EXPECT_NE(csv.find(lang == "vi" ? "Tỷ lệ chi trả không dùng tiền mặt: "
                                    : "Cashless payments: "),
              std::string::npos);

    const fs::path xlsx = dir_ / "rep" / ("dqaudit-run-1-" + lang + ".xlsx");
    EXPECT_NE(Unzip(xlsx, "xl/workbook.xml").find("name=\"" + heading + "\""), std::string::npos);
    EXPECT_NE(Unzip(xlsx, "xl/sharedStrings.xml").find("ket_qua_truc_tuyen"), std::string::npos);
  }

  // The monthly report.
  const CommandResult month = RunDqaudit(
      dir_, "report --history audit.db --period 2026-11 --format html,json,csv,xlsx --out month");
  ASSERT_EQ(month.code, 0) << month.err;
  const json period = json::parse(ReadFile(dir_ / "month" / "dqaudit-2026-11-vi.json"));
  ASSERT_EQ(period["indicators"].size(), 7u);
  bool found = false;
  for (const json& i : period["indicators"]) {
    if (i["check_id"] != "ho_so_tra_dung_han") continue;
    found = true;
    EXPECT_EQ(i["runs"], 1);
    EXPECT_EQ(i["met"], on_time["outcome"] == "pass" ? 1 : 0);
    EXPECT_NEAR(i["mean_value"].get<double>(), numbers["value"].get<double>(), 1e-9);
  }
  EXPECT_TRUE(found);
  EXPECT_NE(ReadFile(dir_ / "month" / "dqaudit-2026-11-vi.html").find("<h3 id=\"indicators\">"),
            std::string::npos);
  EXPECT_NE(ReadFile(dir_ / "month" / "dqaudit-2026-11-vi.csv").find("ho_so_tra_dung_han: "),
            std::string::npos);
  EXPECT_NE(Unzip(dir_ / "month" / "dqaudit-2026-11-vi.xlsx", "xl/workbook.xml")
                .find("name=\"Chỉ tiêu\""),
            std::string::npos);
}

}  // namespace
}  // namespace indicator_test
}  // namespace dqa
