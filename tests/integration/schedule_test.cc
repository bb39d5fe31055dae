// `dqaudit inspections` and `dqaudit schedule` with the real binary on the demo province: scan it
// into a history store, log inspections, plan with the shipped configuration and compare the
// files row by row.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "tests/integration/support.h"

namespace schedule_test {
namespace {

using dqa::test_support::Quote;

namespace fs = std::filesystem;

constexpr const char* kToday = "2026-11-01";

struct CommandOutput {
  int code = -1;
  std::string out;
  std::string err;
};

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs dqaudit with `args` (already quoted) and captures stdout and stderr.
CommandOutput Dqaudit(const fs::path& dir, const std::string& args) {
  const fs::path out = dir / "stdout.txt";
  const fs::path err = dir / "stderr.txt";
  const std::string command = std::string(DQA_BINARY) + " " + args + " > " + Quote(out.string()) +
                              " 2> " + Quote(err.string());
  const int status = std::system(command.c_str());
  CommandOutput r;
  r.code = status == -1 || !WIFEXITED(status) ? -1 : WEXITSTATUS(status);
  r.out = ReadAll(out);
  r.err = ReadAll(err);
  return r;
}

std::vector<std::string> Lines(const std::string& text, const std::string& eol) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find(eol, pos);
    if (end == std::string::npos) end = text.size();
    out.push_back(text.substr(pos, end - pos));
    pos = end + eol.size();
  }
  return out;
}

class ScheduleCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::path(DQA_WORK_DIR) /
           ("ScheduleCliTest-" + std::string(info->name()) + "-" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "rules");
    db_ = Quote((dir_ / "audit.db").string());
  }
  void TearDown() override {
    if (!HasFailure()) fs::remove_all(dir_);
  }

  // Generates the demo province (seed 42) and scans it into audit.db on 2026-11-01.
  void ScanDemo() {
    const fs::path data = dir_ / "data" / "demo";
    const std::string generate = std::string(DQA_DATAGEN) + " --out " + Quote(data.string()) +
                                 " --scale 0.005 --seed 42 --today " + kToday + " 2>/dev/null";
    ASSERT_EQ(std::system(generate.c_str()), 0);
    fs::create_directories(dir_ / "rules" / "demo");
    for (const auto& entry : fs::directory_iterator(DQA_RULES_DIR)) {
      if (entry.path().extension() == ".yaml") {
        fs::copy_file(entry.path(), dir_ / "rules" / "demo" / entry.path().filename());
      }
    }
    const CommandOutput scan =
        Dqaudit(dir_, "scan " + Quote((dir_ / "rules" / "demo").string()) + " --quiet --today " +
                          kToday + " --history " + db_);
    ASSERT_EQ(scan.code, 1) << scan.err;  // the demo has failing checks
  }

  fs::path dir_;
  std::string db_;
};

const std::string kConfig = std::string(DQA_SOURCE_DIR) + "/rules/schedule/schedule.yaml";

TEST_F(ScheduleCliTest, InspectionsAddAndList) {
  ScanDemo();
  CommandOutput add = Dqaudit(dir_,
                              "inspections add --department 'Sở Tư pháp' --date 2026-08-03 "
                              "--team 'Đoàn 1' --notes 'kiểm tra định kỳ, quý III' --history " +
                                  db_);
  ASSERT_EQ(add.code, 0) << add.err;
  EXPECT_EQ(add.out, "inspection 1 logged: Sở Tư pháp on 2026-08-03\n");
  EXPECT_EQ(add.err, "");
  // A name no recorded run has is refused with the nearest recorded ones, accents and case aside.
  add =
      Dqaudit(dir_, "inspections add --department 'Sở Tư Pháp' --date 2026-09-01 --history " + db_);
  EXPECT_EQ(add.code, 2);
  EXPECT_EQ(add.out, "");
  EXPECT_EQ(add.err,
            "dqaudit: no recorded run has a department named 'Sở Tư Pháp' (the schedule matches "
            "names exactly); did you mean: Sở Tư pháp?\n");
  add = Dqaudit(dir_, "inspections add --department 'so tu phap' --date 2026-09-01 --history " + db_);
  EXPECT_EQ(add.code, 2);
  EXPECT_EQ(add.err,
            "dqaudit: no recorded run has a department named 'so tu phap' (the schedule matches "
            "names exactly); did you mean: Sở Tư pháp?\n");
  add = Dqaudit(dir_, "inspections add --department 'So noi vu' --date 2026-09-01 --history " + db_);
  EXPECT_EQ(add.code, 2);
  EXPECT_NE(add.err.find("did you mean: Sở Nội vụ?"), std::string::npos) << add.err;
  // Nothing near: the recorded departments are listed.
  add = Dqaudit(dir_, "inspections add --department 'Kho bạc Nhà nước' --date 2026-09-01 --history " +
                          db_);
  EXPECT_EQ(add.code, 2);
  EXPECT_NE(add.err.find("; departments: Công an tỉnh, "), std::string::npos) << add.err;
  add =
      Dqaudit(dir_, "inspections add --department 'Sở Nội vụ' --date 2026-13-01 --history " + db_);
  EXPECT_EQ(add.code, 2);
  EXPECT_EQ(add.err, "dqaudit: --date: expected a date YYYY-MM-DD, got '2026-13-01'\n");
  add =
      Dqaudit(dir_, "inspections add --department 'Sở Nội vụ' --date 2999-01-01 --history " + db_);
  EXPECT_EQ(add.code, 2);
  add = Dqaudit(dir_, "inspections add --department '  ' --date 2026-01-01 --history " + db_);
  EXPECT_EQ(add.code, 2);
  EXPECT_EQ(add.err, "dqaudit: inspection: the department must not be empty\n");

  const CommandOutput list = Dqaudit(dir_, "inspections list --history " + db_);
  ASSERT_EQ(list.code, 0) << list.err;
  EXPECT_EQ(list.out,
            "   ID  DATE        DEPARTMENT | TEAM | NOTES\n"
            "    1  2026-08-03  Sở Tư pháp | Đoàn 1 | kiểm tra định kỳ, quý III\n");
  const CommandOutput one =
      Dqaudit(dir_, "inspections list --department 'Sở Tư pháp' --history " + db_);
  EXPECT_EQ(Lines(one.out, "\n").size(), 2u);
  const CommandOutput missing =
      Dqaudit(dir_, "inspections list --history " + Quote((dir_ / "none.db").string()));
  EXPECT_EQ(missing.code, 2);
}

TEST_F(ScheduleCliTest, PlansTheDemoProvince) {
  ScanDemo();
  ASSERT_EQ(Dqaudit(dir_,
                    "inspections add --department 'Sở Tư pháp' --date 2026-08-03 "
                    "--history " +
                        db_)
                .code,
            0);
  ASSERT_EQ(Dqaudit(dir_,
                    "inspections add --department 'Sở Nội vụ' --date 2026-10-20 "
                    "--history " +
                        db_)
                .code,
            0);
  // Risk by hand from `dqaudit scores` of the run (overall: LĐTBXH 64.0, one-stop centre 65.4,
  // police 71.3, justice 60.4, home affairs 100; one run, so no trend): three departments with a
  // failing critical check: 0.5 x (100 - overall) + 20 + 15 (never inspected) = 53.0, 52.3, 49.4;
  // justice 0.5 x 39.6 + 0.15 x (100 x 91 / 365) = 23.5; home affairs 0.15 x (100 x 13 / 365) =
  // 0.5. Three a week: the critical ones Mon-Wed 2-4/11 (deadline: 5th working day, 6/11);
  // justice (last inspected 3/8, 98 days before 9/11) the next Monday; home affairs only 90 days
  // after 20/10, on Monday 18/1/2027.
  const fs::path out = dir_ / "schedule";
  const CommandOutput run = Dqaudit(dir_, "schedule --config " + Quote(kConfig) + " --out " +
                                              Quote(out.string()) + " --history " + db_);
  ASSERT_EQ(run.code, 0) << run.err;
  const std::vector<std::string> out_lines = Lines(run.out, "\n");
  ASSERT_EQ(out_lines.size(), 9u) << run.out;
  EXPECT_EQ(std::vector<std::string>(out_lines.begin(), out_lines.begin() + 6),
            (std::vector<std::string>{
                "Đã lập kế hoạch 5 lượt kiểm tra cho 5 sở, ngành từ 02/11/2026 đến 30/01/2027",
                "  2026-11-02    1   53,0  Sở Lao động - Thương binh và Xã hội  (!)",
                "  2026-11-03    2   52,3  Trung tâm Phục vụ hành chính công  (!)",
                "  2026-11-04    3   49,4  Công an tỉnh  (!)",
                "  2026-11-09    4   23,5  Sở Tư pháp", "  2027-01-18    5    0,5  Sở Nội vụ"}));
  EXPECT_EQ(out_lines[6], (out / "schedule.csv").string());
  EXPECT_EQ(out_lines[8], (out / "schedule.ics").string());
  EXPECT_EQ(run.err, "");

  const std::string csv = ReadAll(out / "schedule.csv");
  ASSERT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");
  const std::vector<std::string> rows = Lines(csv.substr(3), "\r\n");
  EXPECT_EQ(rows,
            (std::vector<std::string>{
                "Thứ tự ưu tiên;Ngày kiểm tra;Thứ;Sở, ngành;Điểm rủi ro;Lần kiểm tra trong kỳ;Lỗi "
                "nghiêm trọng;Hạn kiểm tra;Lý do",
                "1;02/11/2026;Thứ Hai;Sở Lao động - Thương binh và Xã "
                "hội;53,0;1;Có;06/11/2026;\"4 kiểm tra nghiêm trọng không đạt (“Chi trả sau khi "
                "đối tượng đã mất”, “Chi trả trùng kỳ”, “Hưởng nhiều chế độ không được cộng” và 1 "
                "kiểm tra khác): phải kiểm tra chậm nhất ngày 06/11/2026; Điểm tổng hợp 64,0/100 "
                "(xếp loại Trung bình); Tiêu chí thấp nhất: Sạch 50,4, Sống 59,0; 6 kiểm tra "
                "không đạt: “Chi trả sau khi đối tượng đã mất”, “Chi trả trùng kỳ”, “Hưởng nhiều "
                "chế độ không được cộng” và 3 kiểm tra khác; Chưa từng được kiểm tra\"",
                "2;03/11/2026;Thứ Ba;Trung tâm Phục vụ hành chính công;52,3;1;Có;06/11/2026;\"2 "
                "kiểm tra nghiêm trọng không đạt (“Trả kết quả trước khi nhận hồ sơ”, “Ngày trả "
                "kết quả trước ngày tiếp nhận”): phải kiểm tra chậm nhất ngày 06/11/2026; Điểm "
                "tổng hợp 65,4/100 (xếp loại Trung bình); Tiêu chí thấp nhất: Sạch 48,9, Sống "
                "50,0; 5 kiểm tra không đạt: “Trả kết quả trước khi nhận hồ sơ”, “Ngày trả kết "
                "quả trước ngày tiếp nhận”, “Kết quả trả bản điện tử” và 2 kiểm tra khác; Chưa "
                "từng được kiểm tra\"",
                "3;04/11/2026;Thứ Tư;Công an tỉnh;49,4;1;Có;06/11/2026;\"4 kiểm tra nghiêm trọng "
                "không đạt (“Ngày sinh ngoài khoảng cho phép”, “Ngày sinh không hợp lý”, “Số CCCD "
                "trùng” và 1 kiểm tra khác): phải kiểm tra chậm nhất ngày 06/11/2026; Điểm tổng "
                "hợp 71,3/100 (xếp loại Trung bình); Tiêu chí thấp nhất: Sạch 45,9, Đúng 72,0; 7 "
                "kiểm tra không đạt: “Ngày sinh ngoài khoảng cho phép”, “Ngày sinh không hợp lý”, "
                "“Số CCCD trùng” và 4 kiểm tra khác; “Số CCCD trùng”: kiểm tra trước 28561 Xã "
                "Long Hưng, 28294 Phường 3, 28543 Xã Nhị Bình; “Số điện thoại sai định dạng”: "
                "kiểm tra trước 821 Huyện Châu Thành, 819 Huyện Cái Bè, 815 Thành phố Mỹ Tho; "
                "Chưa từng được kiểm tra\"",
                "4;09/11/2026;Thứ Hai;Sở Tư pháp;23,5;1;Không;;\"Điểm tổng hợp 60,4/100 (xếp loại "
                "Trung bình); Tiêu chí thấp nhất: Sạch 43,7, Sống 46,4; 5 kiểm tra không đạt: "
                "“Ngày mất ngoài khoảng cho phép”, “Khai tử đăng ký trước ngày mất”, “Sổ khai tử "
                "chậm cập nhật” và 2 kiểm tra khác; Lần kiểm tra gần nhất ngày 03/08/2026 (91 "
                "ngày trước ngày bắt đầu kế hoạch)\"",
                "5;18/01/2027;Thứ Hai;Sở Nội vụ;0,5;1;Không;;\"Điểm tổng hợp 100,0/100 (xếp loại "
                "Tốt); Lần kiểm tra gần nhất ngày 20/10/2026 (13 ngày trước ngày bắt đầu kế "
                "hoạch)\""}));

  const auto json = nlohmann::json::parse(ReadAll(out / "schedule.json"));
  EXPECT_EQ(json["start"], "2026-11-02");
  EXPECT_EQ(json["end"], "2027-01-30");
  ASSERT_EQ(json["entries"].size(), 5u);
  EXPECT_EQ(json["departments"][4]["department"], "Sở Nội vụ");
  EXPECT_EQ(json["departments"][4]["days_since_inspection"], 13);
  // The .ics: CRLF only, five all-day events in plan order.
  const std::string ics = ReadAll(out / "schedule.ics");
  size_t lf = 0;
  size_t crlf = 0;
  for (size_t i = 0; i < ics.size(); ++i) {
    if (ics[i] == '\n') ++lf;
    if (ics[i] == '\n' && i > 0 && ics[i - 1] == '\r') ++crlf;
  }
  EXPECT_EQ(lf, crlf);
  std::string unfolded;
  for (size_t i = 0; i < ics.size(); ++i) {
    if (ics.compare(i, 3, "\r\n ") == 0) {
      i += 2;
      continue;
    }
    unfolded += ics[i];
  }
  std::vector<std::string> starts;
  std::vector<std::string> summaries;
  for (const std::string& line : Lines(unfolded, "\r\n")) {
    if (line.rfind("DTSTART;VALUE=DATE:", 0) == 0) starts.push_back(line.substr(19));
    if (line.rfind("SUMMARY:", 0) == 0) summaries.push_back(line.substr(8));
  }
  EXPECT_EQ(starts,
            (std::vector<std::string>{"20261102", "20261103", "20261104", "20261109", "20270118"}));
  ASSERT_EQ(summaries.size(), 5u);
  EXPECT_EQ(summaries[0], "Kiểm tra dữ liệu (khẩn): Sở Lao động - Thương binh và Xã hội");
  EXPECT_EQ(summaries[4], "Kiểm tra dữ liệu: Sở Nội vụ");

  // Same inputs, same files.
  const fs::path again = dir_ / "again";
  ASSERT_EQ(Dqaudit(dir_, "schedule --config " + Quote(kConfig) + " --out " +
                              Quote(again.string()) + " --history " + db_ + " --latest")
                .code,
            0);
  for (const char* name : {"schedule.csv", "schedule.json", "schedule.ics"}) {
    EXPECT_EQ(ReadAll(out / name), ReadAll(again / name)) << name;
  }
  // Each event reminds the day before.
  size_t alarms = 0;
  for (size_t at = unfolded.find("BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-P1D\r\n");
       at != std::string::npos; at = unfolded.find("BEGIN:VALARM", at + 1)) {
    ++alarms;
  }
  EXPECT_EQ(alarms, 5u);
  // --csv-style rfc4180: the same plan with ',', '.' and ISO dates.
  const fs::path rfc = dir_ / "rfc";
  ASSERT_EQ(Dqaudit(dir_, "schedule --format csv --csv-style rfc4180 --config " + Quote(kConfig) +
                              " --out " + Quote(rfc.string()) + " --history " + db_)
                .code,
            0);
  const std::vector<std::string> rfc_rows = Lines(ReadAll(rfc / "schedule.csv").substr(3), "\r\n");
  ASSERT_EQ(rfc_rows.size(), 6u);
  EXPECT_EQ(rfc_rows[0],
            "Thứ tự ưu tiên,Ngày kiểm tra,Thứ,\"Sở, ngành\",Điểm rủi ro,Lần kiểm tra trong kỳ,"
            "Lỗi nghiêm trọng,Hạn kiểm tra,Lý do");
  EXPECT_TRUE(rfc_rows[5].starts_with("5,2027-01-18,Thứ Hai,Sở Nội vụ,0.5,1,Không,,\"")) << rfc_rows[5];

  // The same plan in the run's report (JSON and HTML).
  const fs::path reports = dir_ / "reports";
  const CommandOutput report =
      Dqaudit(dir_, "report --format json,html --schedule " + Quote(kConfig) + " --out " +
                        Quote(reports.string()) + " --history " + db_);
  ASSERT_EQ(report.code, 0) << report.err;
  const auto doc = nlohmann::json::parse(ReadAll(reports / "dqaudit-run-1-vi.json"));
  ASSERT_EQ(doc["schedule"].size(), 5u);
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(doc["schedule"][i]["date"], json["entries"][i]["date"]);
    EXPECT_EQ(doc["schedule"][i]["department"], json["entries"][i]["department"]);
    EXPECT_EQ(doc["schedule"][i]["priority"], i + 1);
    EXPECT_EQ(doc["schedule"][i]["reasons"], json["entries"][i]["reasons"]);
  }
  EXPECT_EQ(doc["schedule"][3]["risk"], 23.5);
  EXPECT_NE(ReadAll(reports / "dqaudit-run-1-vi.html").find("id=\"schedule\""), std::string::npos);
  // Without --schedule the report has no plan.
  ASSERT_EQ(Dqaudit(dir_, "report --format json --out " + Quote((dir_ / "plain").string()) +
                              " --history " + db_)
                .code,
            0);
  EXPECT_TRUE(
      nlohmann::json::parse(ReadAll(dir_ / "plain" / "dqaudit-run-1-vi.json"))["schedule"].empty());
}

TEST_F(ScheduleCliTest, UsageErrors) {
  const fs::path bad = dir_ / "bad.yaml";
  std::ofstream(bad) << "horizon: 90d\ncapacity:\n  per_wek: 2\n";
  ScanDemo();
  CommandOutput r = Dqaudit(dir_, "schedule --config " + Quote(bad.string()) + " --out " +
                                      Quote((dir_ / "o").string()) + " --history " + db_);
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "dqaudit: " + bad.string() +
                       ":3:3: capacity: unknown key 'per_wek' (did you mean 'per_week'?); "
                       "expected one of: per_week, per_day\n");
  EXPECT_FALSE(fs::exists(dir_ / "o"));
  r = Dqaudit(dir_, "schedule --out " + Quote((dir_ / "o").string()) + " --format csv,xml " +
                        "--history " + db_);
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "dqaudit: unknown schedule format 'xml'; expected csv, json or ics\n");
  r = Dqaudit(dir_, "schedule --out " + Quote((dir_ / "o").string()) + " --csv-style excel " +
                        "--history " + db_);
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "dqaudit: unknown CSV style 'excel': expected excel-vi or rfc4180\n");
  EXPECT_FALSE(fs::exists(dir_ / "o"));
  r = Dqaudit(dir_,
              "schedule --out " + Quote((dir_ / "o").string()) + " --run 99 --history " + db_);
  EXPECT_EQ(r.code, 2);
  r = Dqaudit(dir_, "schedule --out " + Quote((dir_ / "o").string()) + " --history " +
                        Quote((dir_ / "none.db").string()));
  EXPECT_EQ(r.code, 2);
  r = Dqaudit(dir_, "schedule --history " + db_);  // --out is required
  EXPECT_EQ(r.code, 2);
}

}  // namespace
}  // namespace schedule_test
