// The schedule end to end on a synthetic history store: BuildSchedule, the CSV, JSON and
// iCalendar files (the .ics parsed back), determinism and the HTML report entries.
#include "core/schedule/schedule.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/schedule/ics.h"
#include "core/schedule/inspections.h"
#include "core/util/dates.h"
#include "tests/schedule/results_fixture.h"

namespace dqa {
namespace {

namespace fs = std::filesystem;

using schedule_test::Check;
using schedule_test::Source;

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A parsed VEVENT: property name (parameters dropped) -> value. Properties of its VALARM are
// "VALARM.<name>"; ORGANIZER and ATTENDEE keep the whole logical line (parameters matter there),
// the attendees as "ATTENDEE1", "ATTENDEE2"... in file order.
using Event = std::map<std::string, std::string>;

// Parses an iCalendar text per RFC 5545 3.1: every line must end in CRLF, fold with CRLF + space.
// Fails the test on a bare LF, a physical line over 75 octets, or a line that is not NAME:VALUE.
std::vector<Event> ParseIcs(const std::string& text, std::map<std::string, std::string>& calendar) {
  std::vector<std::string> physical;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t end = text.find("\r\n", pos);
    EXPECT_NE(end, std::string::npos) << "last line without CRLF";
    if (end == std::string::npos) break;
    const std::string line = text.substr(pos, end - pos);
    EXPECT_EQ(line.find('\n'), std::string::npos) << "bare LF in: " << line;
    EXPECT_LE(line.size(), 75u) << line;
    physical.push_back(line);
    pos = end + 2;
  }
  std::vector<std::string> logical;
  for (const std::string& line : physical) {
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t')) {
      EXPECT_FALSE(logical.empty());
      if (!logical.empty()) logical.back() += line.substr(1);
    } else {
      logical.push_back(line);
    }
  }
  std::vector<Event> events;
  bool in_event = false;
  bool in_alarm = false;
  int attendees = 0;
  for (const std::string& line : logical) {
    const size_t colon = line.find(':');
    EXPECT_NE(colon, std::string::npos) << line;
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    const std::string value = line.substr(colon + 1);
    const size_t semicolon = name.find(';');
    if (semicolon != std::string::npos) name = name.substr(0, semicolon);
    if (name == "BEGIN" && value == "VEVENT") {
      in_event = true;
      attendees = 0;
      events.emplace_back();
    } else if (name == "END" && value == "VEVENT") {
      EXPECT_FALSE(in_alarm) << "VALARM not closed";
      in_event = false;
    } else if (in_event && name == "BEGIN" && value == "VALARM") {
      EXPECT_EQ(events.back().count("VALARM"), 0u) << "two VALARMs";
      events.back()["VALARM"] = "";
      in_alarm = true;
    } else if (in_event && name == "END" && value == "VALARM") {
      in_alarm = false;
    } else if (in_alarm) {
      EXPECT_EQ(events.back().count("VALARM." + name), 0u) << name << " twice";
      events.back()["VALARM." + name] = value;
    } else if (in_event && (name == "ORGANIZER" || name == "ATTENDEE")) {
      events.back()[name == "ATTENDEE" ? "ATTENDEE" + std::to_string(++attendees) : name] = line;
    } else if (in_event) {
      EXPECT_EQ(events.back().count(name), 0u) << name << " twice";
      events.back()[name] = value;
    } else {
      calendar[name] = value;
    }
  }
  return events;
}

std::string UnescapeIcs(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) {
      const char c = text[++i];
      out += c == 'n' || c == 'N' ? '\n' : c;
    } else {
      out += text[i];
    }
  }
  return out;
}

class ScheduleStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("dqa_schedule_" + std::string(info->name()) + "_" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto store = HistoryStore::Open((dir_ / "audit.db").string());
    ASSERT_TRUE(store.ok()) << store.status().message();
    store_ = std::move(store).value();
    // Night 1: everything passes. Night 2: the police's CCCD check fails critically (5x its
    // limit: validity 0, overall 50) and civil registration's freshness check at 2x its limit
    // (freshness 37.5, overall 37.5).
    Record("2026-10-31",
           {Source("population", "Công an tỉnh",
                   {Check("cccd", Dimension::kValidity, Outcome::kPass, 0, Severity::kCritical),
                    Check("ho_ten", Dimension::kCompleteness, Outcome::kPass, 0)}),
            Source("civil", "Sở Tư pháp",
                   {Check("khai_tu_muon", Dimension::kFreshness, Outcome::kPass, 0)})});
    run_ = Record(
        "2026-11-01",
        {Source("population", "Công an tỉnh",
                {Check("cccd", Dimension::kValidity, Outcome::kFail, 50, Severity::kCritical),
                 Check("ho_ten", Dimension::kCompleteness, Outcome::kPass, 0)}),
         Source("civil", "Sở Tư pháp",
                {Check("khai_tu_muon", Dimension::kFreshness, Outcome::kFail, 20)})});
    Inspection i;
    i.department = "Sở Tư pháp";
    i.inspected_on = "2026-08-03";
    i.team = "Đoàn 1";
    ASSERT_TRUE(AddInspection(*store_, i).ok());
    config_.horizon = Duration{14, Duration::Unit::kDays};
    config_.per_week = 1;
    config_.holidays = {{*ParseIsoDay("2026-11-10"), "Ngày thử"}};
    config_.holiday_years = {2026};
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }

  int64_t Record(const std::string& today, const std::vector<SourceResult>& sources) {
    RunStart start;
    start.started_unix_ms = today == "2026-11-01" ? 1793505600000 : 1793419200000;
    start.today = today;
    start.version = "0.1.0";
    start.command_line = "dqaudit scan";
    start.pid = getpid();
    start.host = HostName();
    start.sources_planned = static_cast<int64_t>(sources.size());
    auto id = store_->BeginRun(start);
    EXPECT_TRUE(id.ok()) << id.status().message();
    for (const SourceResult& s : sources) EXPECT_TRUE(store_->RecordSource(*id, s).ok());
    EXPECT_TRUE(store_->FinishRun(*id, 1).ok());
    return *id;
  }

  fs::path dir_;
  std::unique_ptr<HistoryStore> store_;
  int64_t run_ = 0;
  ScheduleConfig config_;
};

TEST_F(ScheduleStoreTest, BuildsThePlanFromTheLatestRun) {
  auto plan = BuildSchedule(*store_, config_, ScheduleRequest{});
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  EXPECT_EQ(plan->run_id, run_);
  EXPECT_EQ(FormatDay(plan->start), "2026-11-02");  // the day after the run
  EXPECT_EQ(FormatDay(plan->end), "2026-11-16");
  ASSERT_EQ(plan->ranking.size(), 2u);
  // Công an tỉnh: quality 50, trend 100 (down 50 points), critical 100, never inspected 100:
  // 0.5 x 50 + 0.15 x 100 + 0.2 x 100 + 0.15 x 100 = 75.
  EXPECT_EQ(plan->ranking[0].department, "Công an tỉnh");
  EXPECT_DOUBLE_EQ(plan->ranking[0].risk, 75.0);
  EXPECT_EQ(plan->ranking[0].new_failures, (std::vector<std::string>{"cccd"}));
  // Sở Tư pháp: quality 62.5, trend 100, critical 0, 91 days since 2026-08-03 -> 100 x 91 / 365:
  // 31.25 + 15 + 0 + 3.7397 = 49.99 -> 50.0.
  EXPECT_EQ(plan->ranking[1].department, "Sở Tư pháp");
  EXPECT_EQ(plan->ranking[1].days_since, 91);
  EXPECT_DOUBLE_EQ(plan->ranking[1].risk, 50.0);
  // One a week: the critical department on Monday 2/11; Sở Tư pháp the next week, Tuesday 11/11
  // because Monday 10/11 is a (test) holiday.
  ASSERT_EQ(plan->entries.size(), 2u);
  EXPECT_EQ(FormatDay(plan->entries[0].day), "2026-11-02");
  EXPECT_TRUE(plan->entries[0].critical);
  EXPECT_EQ(FormatDay(*plan->entries[0].deadline), "2026-11-06");
  EXPECT_EQ(FormatDay(plan->entries[1].day), "2026-11-09");
  EXPECT_TRUE(plan->warnings.empty());

  // An explicit start and run.
  ScheduleRequest request;
  request.run_id = run_ - 1;
  request.start = *ParseIsoDay("2026-11-10");
  auto earlier = BuildSchedule(*store_, config_, request);
  ASSERT_TRUE(earlier.ok()) << earlier.status().message();
  EXPECT_EQ(FormatDay(earlier->start), "2026-11-10");
  EXPECT_EQ(FormatDay(earlier->entries[0].day), "2026-11-11");  // 10/11 is the holiday

  request.run_id = 999;
  EXPECT_EQ(BuildSchedule(*store_, config_, request).status().code(), StatusCode::kNotFound);
}

// Vietnamese: the excel-vi style by default (';', decimal comma, dd/mm/yyyy), so a Vietnamese
// Excel opens it in columns with dates and numbers it can compute with.
TEST_F(ScheduleStoreTest, CsvRowsInVietnamese) {
  auto plan = BuildSchedule(*store_, config_, ScheduleRequest{});
  ASSERT_TRUE(plan.ok());
  auto files = WriteScheduleFiles(*plan, i18n::Catalog::BuiltIn(i18n::Language::kVi),
                                  (dir_ / "out").string(), {ScheduleFormat::kCsv});
  ASSERT_TRUE(files.ok()) << files.status().message();
  EXPECT_EQ(*files, (std::vector<std::string>{(dir_ / "out" / "schedule.csv").string()}));
  EXPECT_EQ(
      ReadAll(dir_ / "out" / "schedule.csv"),
      "\xEF\xBB\xBF"
      "Thứ tự ưu tiên;Ngày kiểm tra;Thứ;Sở, ngành;Điểm rủi ro;Lần kiểm tra trong kỳ;"
      "Lỗi nghiêm trọng;Hạn kiểm tra;Lý do\r\n"
      "1;02/11/2026;Thứ Hai;Công an tỉnh;75,0;1;Có;06/11/2026;\"1 kiểm tra nghiêm trọng không "
      "đạt (“Kiểm tra cccd”): phải kiểm tra chậm nhất ngày 06/11/2026; Điểm tổng hợp 50,0/100 "
      "(xếp loại Yếu); Tiêu chí thấp nhất: Đúng 0,0; 1 kiểm tra không đạt: “Kiểm tra cccd”; Điểm "
      "tổng hợp giảm 50,0 điểm so với lần quét trước; 1 kiểm tra mới không đạt kể từ lần quét "
      "trước: “Kiểm tra cccd”; Chưa "
      "từng được kiểm tra\"\r\n"
      "2;09/11/2026;Thứ Hai;Sở Tư pháp;50,0;1;Không;;\"Điểm tổng hợp 37,5/100 (xếp loại Kém); "
      "Tiêu chí thấp nhất: Sống 37,5; 1 kiểm tra không đạt: “Kiểm tra khai_tu_muon”; Điểm tổng "
      "hợp giảm "
      "62,5 điểm so với lần quét trước; 1 kiểm tra mới không đạt kể từ lần quét trước: "
      "“Kiểm tra khai_tu_muon”; Lần kiểm tra gần nhất ngày 03/08/2026 (91 ngày trước ngày bắt đầu kế "
      "hoạch)\"\r\n");
}

// RFC 4180 on demand (and by default in English): ',', '.', YYYY-MM-DD in every date column.
TEST_F(ScheduleStoreTest, CsvRfc4180Style) {
  auto plan = BuildSchedule(*store_, config_, ScheduleRequest{});
  ASSERT_TRUE(plan.ok());
  for (auto [language, style] :
       {std::pair{i18n::Language::kVi, std::optional<CsvStyle>(CsvStyle::kRfc4180)},
        std::pair{i18n::Language::kEn, std::optional<CsvStyle>()}}) {
    auto files = WriteScheduleFiles(*plan, i18n::Catalog::BuiltIn(language),
                                    (dir_ / "out").string(), {ScheduleFormat::kCsv}, style);
    ASSERT_TRUE(files.ok()) << files.status().message();
    const std::string csv = ReadAll(dir_ / "out" / "schedule.csv");
    EXPECT_NE(csv.find("\r\n1,2026-11-02,"), std::string::npos) << csv;
    EXPECT_NE(csv.find(",Công an tỉnh,75.0,1,"), std::string::npos) << csv;
    EXPECT_NE(csv.find(",2026-11-06,"), std::string::npos) << csv;
    EXPECT_NE(csv.find("\r\n2,2026-11-09,"), std::string::npos) << csv;
    EXPECT_EQ(csv.find(";02/11/2026;"), std::string::npos) << csv;
  }
}

TEST_F(ScheduleStoreTest, JsonDocument) {
  auto plan = BuildSchedule(*store_, config_, ScheduleRequest{});
  ASSERT_TRUE(plan.ok());
  auto files = WriteScheduleFiles(*plan, i18n::Catalog::BuiltIn(i18n::Language::kEn),
                                  (dir_ / "out").string(), {ScheduleFormat::kJson});
  ASSERT_TRUE(files.ok());
  const auto doc = nlohmann::json::parse(ReadAll(dir_ / "out" / "schedule.json"));
  EXPECT_EQ(doc["format"], "dqaudit-schedule");
  EXPECT_EQ(doc["language"], "en");
  EXPECT_EQ(doc["run"]["id"], run_);
  EXPECT_EQ(doc["start"], "2026-11-02");
  EXPECT_EQ(doc["end"], "2026-11-15");
  ASSERT_EQ(doc["entries"].size(), 2u);
  EXPECT_EQ(doc["entries"][0]["department"], "Công an tỉnh");
  EXPECT_EQ(doc["entries"][0]["weekday"], "Monday");
  EXPECT_EQ(doc["entries"][0]["deadline"], "2026-11-06");
  EXPECT_EQ(doc["entries"][0]["reasons"][0],
            "1 critical check(s) failing (“Check cccd”): inspect by 2026-11-06 at the latest");
  EXPECT_EQ(doc["entries"][1]["deadline"], nullptr);
  EXPECT_EQ(doc["entries"][1]["reasons"].back(),
            "Last inspected on 2026-08-03 (91 days before the plan starts)");
  const auto& police = doc["departments"][0];
  EXPECT_EQ(police["rank"], 1);
  EXPECT_EQ(police["priority"], 1);
  EXPECT_EQ(police["components"]["quality"], 50.0);
  EXPECT_EQ(police["components"]["trend"], 100.0);
  EXPECT_EQ(police["components"]["critical"], 100.0);
  EXPECT_EQ(police["components"]["inspection"], 100.0);
  EXPECT_EQ(police["dimensions"]["validity"], 0.0);
  EXPECT_EQ(police["dimensions"]["freshness"], nullptr);
  EXPECT_EQ(police["delta"], -50.0);
  EXPECT_EQ(police["failing_checks"][0]["severity"], "critical");
  EXPECT_EQ(police["last_inspected"], nullptr);
  EXPECT_EQ(doc["departments"][1]["components"]["inspection"], 24.9);
  EXPECT_EQ(doc["departments"][1]["days_since_inspection"], 91);
  EXPECT_TRUE(doc["warnings"].empty());
}

TEST_F(ScheduleStoreTest, IcsParsesBack) {
  auto plan = BuildSchedule(*store_, config_, ScheduleRequest{});
  ASSERT_TRUE(plan.ok());
  const std::string ics = ScheduleIcs(*plan, i18n::Catalog::BuiltIn(i18n::Language::kVi));
  std::map<std::string, std::string> calendar;
  const std::vector<Event> events = ParseIcs(ics, calendar);
  EXPECT_EQ(ics.substr(0, 17), "BEGIN:VCALENDAR\r\n");
  EXPECT_EQ(ics.substr(ics.size() - 15), "END:VCALENDAR\r\n");
  EXPECT_EQ(calendar["VERSION"], "2.0");
  EXPECT_EQ(calendar["CALSCALE"], "GREGORIAN");
  EXPECT_EQ(calendar["PRODID"],
            std::string("-//dqaudit//Inspection schedule ") + DQA_VERSION + "//VI");
  EXPECT_EQ(calendar["X-WR-CALNAME"], "Kế hoạch kiểm tra dữ liệu các sở\\, ngành");
  ASSERT_EQ(events.size(), plan->entries.size());
  const std::vector<std::string> days = {"20261102", "20261109"};
  const std::vector<std::string> ends = {"20261103", "20261110"};
  const std::vector<std::string> summaries = {"Kiểm tra dữ liệu (khẩn): Công an tỉnh",
                                              "Kiểm tra dữ liệu: Sở Tư pháp"};
  const auto entries = ToReportSchedule(*plan, i18n::Catalog::BuiltIn(i18n::Language::kVi));
  for (size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    EXPECT_EQ(e.at("DTSTART"), days[i]);
    EXPECT_EQ(e.at("DTEND"), ends[i]);
    EXPECT_EQ(e.at("SUMMARY"), summaries[i]);
    // The run started 2026-11-01T04:00:00Z (1793505600 s).
    EXPECT_EQ(e.at("DTSTAMP"), "20261101T040000Z");
    // <16 hex>-<8 hex>-1@dqaudit: no date of the plan inside (it survives a reschedule).
    EXPECT_TRUE(std::regex_match(e.at("UID"), std::regex("[0-9a-f]{16}-[0-9a-f]{8}-1@dqaudit")))
        << e.at("UID");
    EXPECT_EQ(e.at("UID").find(days[i]), std::string::npos);
    // The reminder the day before, with the event's summary; no organizer or attendee unless
    // configured.
    EXPECT_EQ(e.at("VALARM.ACTION"), "DISPLAY");
    EXPECT_EQ(e.at("VALARM.TRIGGER"), "-P1D");
    EXPECT_EQ(e.at("VALARM.DESCRIPTION"), summaries[i]);
    EXPECT_EQ(e.count("ORGANIZER"), 0u);
    EXPECT_EQ(e.count("ATTENDEE1"), 0u);
    std::string description = "Thứ tự ưu tiên " + std::to_string(i + 1) + ", điểm rủi ro " +
                              (i == 0 ? "75,0" : "50,0") + "/100.";
    for (const std::string& r : entries[i].reasons) description += "\n- " + r;
    EXPECT_EQ(UnescapeIcs(e.at("DESCRIPTION")), description);
  }
  EXPECT_NE(events[0].at("UID"), events[1].at("UID"));
  // Lines of the description were long enough to be folded.
  EXPECT_NE(ics.find("\r\n "), std::string::npos);
}

// A later plan that moves an inspection to another day keeps its UID, so a calendar that
// re-imports the file moves the event instead of adding a second one; a logged inspection starts
// a new cycle, whose inspection is a new event.
TEST_F(ScheduleStoreTest, IcsUidSurvivesAReschedule) {
  const i18n::Catalog& vi = i18n::Catalog::BuiltIn(i18n::Language::kVi);
  auto first = BuildSchedule(*store_, config_, ScheduleRequest{});
  ASSERT_TRUE(first.ok());
  ScheduleRequest later;
  later.start = *ParseIsoDay("2026-11-17");
  auto second = BuildSchedule(*store_, config_, later);
  ASSERT_TRUE(second.ok());
  std::map<std::string, std::string> calendar;
  const std::vector<Event> a = ParseIcs(ScheduleIcs(*first, vi), calendar);
  const std::vector<Event> b = ParseIcs(ScheduleIcs(*second, vi), calendar);
  ASSERT_EQ(a.size(), 2u);
  ASSERT_EQ(b.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(a[i].at("SUMMARY"), b[i].at("SUMMARY"));
    EXPECT_NE(a[i].at("DTSTART"), b[i].at("DTSTART")) << "the inspection moved";
    EXPECT_EQ(a[i].at("UID"), b[i].at("UID")) << a[i].at("SUMMARY");
  }
  EXPECT_EQ(a[0].at("DTSTART"), "20261102");
  EXPECT_EQ(b[0].at("DTSTART"), "20261117");

  // The police are inspected on 2026-11-02 (logged): the next plan's inspection is a new event;
  // Sở Tư pháp, not inspected since, keeps its UID.
  Inspection done;
  done.department = "Công an tỉnh";
  done.inspected_on = "2026-11-02";
  ASSERT_TRUE(AddInspection(*store_, done).ok());
  ScheduleConfig no_gap = config_;
  no_gap.min_gap_days = 0;  // so the police are planned again two weeks after their inspection
  auto third = BuildSchedule(*store_, no_gap, later);
  ASSERT_TRUE(third.ok());
  const std::vector<Event> c = ParseIcs(ScheduleIcs(*third, vi), calendar);
  // The police are no longer urgent (the critical rule was met): find events by department.
  const auto department = [](const Event& e) {
    return e.at("SUMMARY").substr(e.at("SUMMARY").rfind(": ") + 2);
  };
  std::map<std::string, std::string> uid_of;
  for (const Event& e : c) uid_of[department(e)] = e.at("UID");
  ASSERT_EQ(uid_of.size(), 2u);
  EXPECT_NE(uid_of.at("Công an tỉnh"), a[0].at("UID"));
  EXPECT_EQ(uid_of.at("Sở Tư pháp"), a[1].at("UID"));
  EXPECT_EQ(department(a[1]), "Sở Tư pháp");
}

// ORGANIZER and ATTENDEE lines only as configured (an attendee with a department only on that
// department's events), as mailto: URIs with a quoted CN, folded at 75 octets like every line;
// `reminder: false` drops the VALARM.
TEST_F(ScheduleStoreTest, IcsOrganizerAttendeesAndReminderAsConfigured) {
  auto parsed = ParseScheduleConfig(
      "calendar:\n"
      "  reminder: false\n"
      "  organizer: {name: 'Văn phòng Ủy ban nhân dân tỉnh; Ban Chỉ đạo chuyển đổi số', "
      "email: vanphong@tinh.gov.vn}\n"
      "  attendees:\n"
      "    - {name: 'Thanh tra \"tỉnh\"', email: thanhtra@tinh.gov.vn}\n"
      "    - {email: congan@tinh.gov.vn, department: Công an tỉnh}\n",
      "s.yaml");
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  ScheduleConfig config = *parsed;
  config.horizon = config_.horizon;
  config.per_week = config_.per_week;
  config.holidays = config_.holidays;
  config.holiday_years = config_.holiday_years;
  auto plan = BuildSchedule(*store_, config, ScheduleRequest{});
  ASSERT_TRUE(plan.ok());
  const std::string ics = ScheduleIcs(*plan, i18n::Catalog::BuiltIn(i18n::Language::kVi));
  std::map<std::string, std::string> calendar;
  const std::vector<Event> events = ParseIcs(ics, calendar);  // every physical line <= 75 octets
  ASSERT_EQ(events.size(), 2u);
  const std::string organizer =
      "ORGANIZER;CN=\"Văn phòng Ủy ban nhân dân tỉnh; Ban Chỉ đạo chuyển đổi số\""
      ":mailto:vanphong@tinh.gov.vn";
  ASSERT_GT(organizer.size(), 75u);
  EXPECT_EQ(ics.find(organizer), std::string::npos) << "folded, not written on one line";
  const std::string thanh_tra =
      "ATTENDEE;CN=\"Thanh tra 'tỉnh'\";ROLE=REQ-PARTICIPANT:mailto:thanhtra@tinh.gov.vn";
  // Công an tỉnh: the organizer, the province-wide attendee and its own.
  EXPECT_EQ(events[0].at("SUMMARY"), "Kiểm tra dữ liệu (khẩn): Công an tỉnh");
  EXPECT_EQ(events[0].at("ORGANIZER"), organizer);
  EXPECT_EQ(events[0].at("ATTENDEE1"), thanh_tra);
  EXPECT_EQ(events[0].at("ATTENDEE2"), "ATTENDEE;ROLE=REQ-PARTICIPANT:mailto:congan@tinh.gov.vn");
  // Sở Tư pháp: not the police's attendee.
  EXPECT_EQ(events[1].at("ORGANIZER"), organizer);
  EXPECT_EQ(events[1].at("ATTENDEE1"), thanh_tra);
  EXPECT_EQ(events[1].count("ATTENDEE2"), 0u);
  for (const Event& e : events) EXPECT_EQ(e.count("VALARM"), 0u);
  EXPECT_EQ(ics.find("VALARM"), std::string::npos);
}

TEST_F(ScheduleStoreTest, SameInputsGiveByteIdenticalFiles) {
  ScheduleJob job;
  job.config_path = (dir_ / "schedule.yaml").string();
  std::ofstream(job.config_path) << "horizon: 6w\ncapacity: {per_week: 2}\nmin_gap_days: 7\n"
                                    "holidays:\n  2026:\n    - {date: 2026-11-10, name: X}\n";
  job.out_dir = (dir_ / "a").string();
  auto first = RunScheduleJob(*store_, job);
  ASSERT_TRUE(first.ok()) << first.status().message();
  ASSERT_EQ(first->files.size(), 3u);
  job.out_dir = (dir_ / "b").string();
  auto second = RunScheduleJob(*store_, job);
  ASSERT_TRUE(second.ok());
  for (const char* name : {"schedule.csv", "schedule.json", "schedule.ics"}) {
    const std::string a = ReadAll(dir_ / "a" / name);
    EXPECT_FALSE(a.empty()) << name;
    EXPECT_EQ(a, ReadAll(dir_ / "b" / name)) << name;
  }
  // 6 weeks x 2 with a 7-day gap: both departments every week (the holiday moves one to Wed).
  EXPECT_EQ(first->plan.entries.size(), 12u);
}

TEST_F(ScheduleStoreTest, ReportEntriesCarryTheCatalogLanguage) {
  auto plan = BuildSchedule(*store_, config_, ScheduleRequest{});
  ASSERT_TRUE(plan.ok());
  const auto en = ToReportSchedule(*plan, i18n::Catalog::BuiltIn(i18n::Language::kEn));
  ASSERT_EQ(en.size(), 2u);
  EXPECT_EQ(en[0].date, "2026-11-02");
  EXPECT_EQ(en[0].department, "Công an tỉnh");
  EXPECT_EQ(en[0].priority, 1);
  EXPECT_DOUBLE_EQ(en[0].risk, 75.0);
  EXPECT_EQ(
      en[0].reasons,
      (std::vector<std::string>{
          "1 critical check(s) failing (“Check cccd”): inspect by 2026-11-06 at the latest",
          "Overall score 50.0/100 (grade Poor)", "Lowest dimensions: Valid 0.0",
          "1 failing check(s): “Check cccd”",
          "Overall score down 50.0 points since the previous scan",
          "1 check(s) newly failing since the previous scan: “Check cccd”", "Never inspected"}));
  EXPECT_EQ(en[1].priority, 2);
}

TEST(ScheduleFormatsTest, ParsesTheList) {
  auto all = ParseScheduleFormats("ics,csv");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(*all, (std::vector<ScheduleFormat>{ScheduleFormat::kIcs, ScheduleFormat::kCsv}));
  EXPECT_EQ(ParseScheduleFormats("csv,pdf").status().message(),
            "unknown schedule format 'pdf'; expected csv, json or ics");
  EXPECT_EQ(ParseScheduleFormats("csv,csv").status().message(),
            "schedule format 'csv' given twice");
  EXPECT_FALSE(ParseScheduleFormats("").ok());
}

TEST(IcsTextTest, EscapesAndFolds) {
  EXPECT_EQ(EscapeIcsText("a\\b;c,d\r\ne"), "a\\\\b\\;c\\,d\\ne");
  EXPECT_EQ(FoldIcsLine("SUMMARY:short"), "SUMMARY:short\r\n");
  // 75 octets exactly: not folded; 76: folded after 75.
  const std::string s75(75, 'x');
  EXPECT_EQ(FoldIcsLine(s75), s75 + "\r\n");
  EXPECT_EQ(FoldIcsLine(s75 + "y"), s75 + "\r\n y\r\n");
  // "ế" is 3 octets (E1 BA BF). 74 ASCII octets + "ế": the sequence would straddle octet 75, so
  // the fold comes before it.
  const std::string line = std::string(74, 'a') + "ế" + std::string(80, 'b');
  const std::string folded = FoldIcsLine(line);
  EXPECT_EQ(folded.substr(0, 76), std::string(74, 'a') + "\r\n");
  std::string unfolded;
  size_t pos = 0;
  while (pos < folded.size()) {
    const size_t end = folded.find("\r\n", pos);
    std::string physical = folded.substr(pos, end - pos);
    EXPECT_LE(physical.size(), 75u);
    if (pos > 0) {
      ASSERT_EQ(physical[0], ' ');
      physical = physical.substr(1);
    }
    unfolded += physical;
    pos = end + 2;
  }
  EXPECT_EQ(unfolded, line);
}

}  // namespace
}  // namespace dqa
