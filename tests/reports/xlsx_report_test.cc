// The XLSX reports read back: an .xlsx is a zip; `unzip -p` extracts the workbook, sheet, shared
// string and style parts, whose cells are checked for values, types and formats.
#include "core/i18n/catalog.h"
#include "reports/xlsx/xlsx_report.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <regex>
#include <unistd.h>

#include "core/util/dates.h"
#include "tests/report/synthetic_history.h"

namespace dqa::reports {
namespace {

using i18n::Catalog;
using i18n::Language;

namespace fs = std::filesystem;
using testing::SyntheticHistory;

// The text of one part of a zip file (empty when missing).
std::string Unzip(const fs::path& zip, const std::string& part) {
  const std::string command = "unzip -p '" + zip.string() + "' '" + part + "' 2>/dev/null";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return "";
  std::string out;
  char buf[4096];
  size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  pclose(pipe);
  return out;
}

std::string XmlUnescape(std::string s) {
  for (auto [from, to] : {std::pair<std::string, std::string>{"&lt;", "<"},
                          {"&gt;", ">"},
                          {"&quot;", "\""},
                          {"&apos;", "'"},
                          {"&amp;", "&"}}) {
    for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
      s.replace(at, from.size(), to);
    }
  }
  return s;
}

struct Cell {
  std::string type;   // "s" shared string, "" number
  int style = 0;      // index into cellXfs
  std::string value;  // the string itself for "s", the number's text otherwise
};

// A workbook read back: sheets by name, their cells by reference ("B5").
class Workbook {
 public:
  explicit Workbook(const fs::path& path) : path_(path) {
    const std::string strings = Unzip(path, "xl/sharedStrings.xml");
    const std::regex si("<si>(.*?)</si>");
    const std::regex t("<t[^>]*>([^<]*)</t>");
    for (auto it = std::sregex_iterator(strings.begin(), strings.end(), si);
         it != std::sregex_iterator(); ++it) {
      std::string text;
      const std::string inner = (*it)[1];
      for (auto jt = std::sregex_iterator(inner.begin(), inner.end(), t);
           jt != std::sregex_iterator(); ++jt) {
        text += XmlUnescape((*jt)[1]);
      }
      strings_.push_back(text);
    }
    const std::string styles = Unzip(path, "xl/styles.xml");
    const size_t xfs = styles.find("<cellXfs");
    const std::string cell_xfs = styles.substr(xfs, styles.find("</cellXfs>", xfs) - xfs);
    const std::regex xf("<xf numFmtId=\"([0-9]+)\"");
    for (auto it = std::sregex_iterator(cell_xfs.begin(), cell_xfs.end(), xf);
         it != std::sregex_iterator(); ++it) {
      num_fmt_ids_.push_back(std::stoi((*it)[1]));
    }
    const std::regex fmt("<numFmt numFmtId=\"([0-9]+)\" formatCode=\"([^\"]*)\"");
    for (auto it = std::sregex_iterator(styles.begin(), styles.end(), fmt);
         it != std::sregex_iterator(); ++it) {
      format_codes_[std::stoi((*it)[1])] = XmlUnescape((*it)[2]);
    }
    // Differential formats of conditional rules: their fill colours, by dxfId.
    const size_t dxfs = styles.find("<dxfs");
    if (dxfs != std::string::npos) {
      const std::string list = styles.substr(dxfs, styles.find("</dxfs>", dxfs) - dxfs);
      const std::regex dxf("<dxf>.*?<bgColor rgb=\"FF([0-9A-F]{6})\"/>.*?</dxf>");
      for (auto it = std::sregex_iterator(list.begin(), list.end(), dxf);
           it != std::sregex_iterator(); ++it) {
        dxf_fills_.push_back((*it)[1]);
      }
    }
    const std::string book = Unzip(path, "xl/workbook.xml");
    workbook_xml_ = book;
    const std::regex sheet("<sheet name=\"([^\"]*)\" sheetId=\"([0-9]+)\"");
    for (auto it = std::sregex_iterator(book.begin(), book.end(), sheet);
         it != std::sregex_iterator(); ++it) {
      sheet_names_.push_back(XmlUnescape((*it)[1]));
    }
  }

  const std::vector<std::string>& sheet_names() const { return sheet_names_; }
  const std::string& workbook_xml() const { return workbook_xml_; }

  // The conditional colours of sheet `index`: "<range> <label>" -> fill (RRGGBB) of the rule
  // "cell equal to <label>" on that range.
  std::map<std::string, std::string> ConditionalFills(int index) const {
    std::map<std::string, std::string> out;
    const std::string xml = SheetXml(index);
    const std::regex block("<conditionalFormatting sqref=\"([A-Z0-9:]+)\">(.*?)</conditionalFormatting>");
    const std::regex rule(
        "<cfRule type=\"cellIs\" dxfId=\"([0-9]+)\" priority=\"[0-9]+\" operator=\"equal\">"
        "<formula>\"([^<]*)\"</formula></cfRule>");
    for (auto it = std::sregex_iterator(xml.begin(), xml.end(), block);
         it != std::sregex_iterator(); ++it) {
      const std::string range = (*it)[1];
      const std::string rules = (*it)[2];
      for (auto jt = std::sregex_iterator(rules.begin(), rules.end(), rule);
           jt != std::sregex_iterator(); ++jt) {
        out[range + " " + XmlUnescape((*jt)[2])] = dxf_fills_.at(std::stoul((*jt)[1]));
      }
    }
    return out;
  }

  // The XML of sheet `index` (1-based, as in xl/worksheets/sheetN.xml).
  std::string SheetXml(int index) const {
    return Unzip(path_, "xl/worksheets/sheet" + std::to_string(index) + ".xml");
  }

  std::map<std::string, Cell> Cells(int index) const {
    std::map<std::string, Cell> cells;
    const std::string xml = SheetXml(index);
    const std::regex c(
        "<c r=\"([A-Z]+[0-9]+)\"( s=\"([0-9]+)\")?( t=\"([a-z]+)\")?>(<v>([^<]*)</v>)?");
    for (auto it = std::sregex_iterator(xml.begin(), xml.end(), c); it != std::sregex_iterator();
         ++it) {
      Cell cell;
      cell.style = (*it)[3].matched ? std::stoi((*it)[3]) : 0;
      cell.type = (*it)[5];
      cell.value = (*it)[7];
      if (cell.type == "s") cell.value = strings_.at(std::stoul(cell.value));
      cells[(*it)[1]] = cell;
    }
    return cells;
  }

  // The number format of a cell's style: its id and, for custom ones, the code.
  int NumFmtId(const Cell& cell) const { return num_fmt_ids_.at(static_cast<size_t>(cell.style)); }
  std::string FormatCode(const Cell& cell) const {
    auto it = format_codes_.find(NumFmtId(cell));
    return it == format_codes_.end() ? "" : it->second;
  }

 private:
  fs::path path_;
  std::vector<std::string> strings_;
  std::vector<int> num_fmt_ids_;
  std::map<int, std::string> format_codes_;
  std::vector<std::string> sheet_names_;
  std::vector<std::string> dxf_fills_;
  std::string workbook_xml_;
};

// Every sheet of `book` prints on A4 landscape, one page wide (fitToPage with fitToHeight 0;
// fitToWidth is left out as it is Excel's default of 1), its header row `header_rows[i]` repeated
// on each page (a _xlnm.Print_Titles name for the sheet).
void ExpectPrintSetup(const Workbook& book, const std::vector<int>& header_rows) {
  ASSERT_EQ(book.sheet_names().size(), header_rows.size());
  for (size_t i = 0; i < header_rows.size(); ++i) {
    const std::string xml = book.SheetXml(static_cast<int>(i + 1));
    const std::string& name = book.sheet_names()[i];
    EXPECT_NE(xml.find("<sheetPr><pageSetUpPr fitToPage=\"1\"/></sheetPr>"), std::string::npos)
        << name;
    EXPECT_NE(xml.find("<pageSetup paperSize=\"9\" fitToHeight=\"0\" orientation=\"landscape\"/>"),
              std::string::npos)
        << name;
    // The sheet name is quoted when it holds a space or a letter outside ASCII.
    const bool plain = std::all_of(name.begin(), name.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) != 0 && (c & 0x80) == 0;
    });
    const std::string row = std::to_string(header_rows[i]);
    EXPECT_NE(book.workbook_xml().find("<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"" +
                                       std::to_string(i) + "\">" +
                                       (plain ? name : "'" + name + "'") + "!$" + row + ":$" +
                                       row + "</definedName>"),
              std::string::npos)
        << name;
  }
}

constexpr const char* kGreen = "C6EFCE";
constexpr const char* kLightGreen = "E2EFDA";
constexpr const char* kYellow = "FFEB9C";
constexpr const char* kOrange = "F8CBAD";
constexpr const char* kRed = "FFC7CE";
constexpr const char* kGrey = "D9D9D9";

// A number cell holding `value`.
void ExpectNumber(const std::map<std::string, Cell>& cells, const std::string& ref, double value) {
  auto it = cells.find(ref);
  ASSERT_NE(it, cells.end()) << ref;
  EXPECT_EQ(it->second.type, "") << ref << " is not a number";
  EXPECT_NEAR(std::stod(it->second.value), value, 1e-9) << ref;
}

void ExpectText(const std::map<std::string, Cell>& cells, const std::string& ref,
                const std::string& text) {
  auto it = cells.find(ref);
  ASSERT_NE(it, cells.end()) << ref;
  EXPECT_EQ(it->second.type, "s") << ref;
  EXPECT_EQ(it->second.value, text) << ref;
}

// Excel's serial number of a day (days since 1899-12-30).
double ExcelDay(int y, int m, int d) {
  return static_cast<double>(*DaysFromCivil(y, m, d) + 25569);
}

class XlsxReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    history_ = std::make_unique<SyntheticHistory>(
        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    history_->RecordAll();
  }
  std::unique_ptr<SyntheticHistory> history_;
};

TEST_F(XlsxReportTest, RunWorkbookSheetsCellsAndFormats) {
  auto report = BuildRunReport(history_->store(), 5, ReportOptions{});
  ASSERT_TRUE(report.ok()) << report.status().message();
  const fs::path path = history_->dir() / "run.xlsx";
  ASSERT_TRUE(WriteRunReportXlsx(*report, Catalog::BuiltIn(Language::kVi), path.string()).ok());
  const Workbook book(path);
  EXPECT_EQ(book.sheet_names(),
            (std::vector<std::string>{"Điểm chính", "Tổng hợp", "Kiểm tra", "Mẫu dữ liệu", "Chỉ tiêu", "Đơn vị",
                                      "Sở Tư pháp", "Công an tỉnh"}));
  ExpectPrintSetup(book, {14, 4, 1, 1, 1, 1, 5, 5});

  // First sheet: what the first screen of the HTML report says (docs/reports.md "First screen").
  const auto first = book.Cells(1);
  ExpectText(first, "A1", "Báo cáo chất lượng dữ liệu, lần quét 5 ngày 02/11/2026");
  ExpectText(first, "A2", "Kỳ báo cáo: ngày 02/11/2026");
  ExpectText(first, "A3", "Giờ: giờ địa phương (Asia/Ho_Chi_Minh, GMT+07:00)");
  ExpectText(first, "A6", "Điểm chính");
  ExpectText(first, "A7",
             "Công an tỉnh (hạng 2/2, điểm chung 56,2, Yếu) bị trừ điểm nhiều nhất ở: "
             "“so_cccd trùng” (5 vi phạm, 0,50%); “so_dien_thoai sai định dạng” (20 "
             "vi phạm, 2,0%).");
  ExpectText(first, "A11", "Chưa có kế hoạch kiểm tra cho báo cáo này (chưa cấu hình lịch kiểm tra).");
  ExpectText(first, "A14", "Hạng");
  // Worst first; a dimension without a check is "Chưa đo", never 100 or empty.
  ExpectNumber(first, "A15", 2);
  ExpectText(first, "B15", "Công an tỉnh");
  ExpectNumber(first, "C15", 25);
  ExpectText(first, "F15", "Chưa đo");
  ExpectNumber(first, "G15", 56.25);
  ExpectText(first, "H15", "Yếu");
  ExpectText(first, "B16", "Sở Tư pháp");
  ExpectText(first, "D16", "Chưa đo");
  ExpectText(first, "E16", "Chưa đo");
  ExpectNumber(first, "F16", 68.75);
  ExpectText(first, "A20", "Tốt: từ 90");
  ExpectText(first, "A24", "Kém: dưới 40");
  ExpectText(first, "A28", "Công an tỉnh");
  ExpectText(first, "B28", "Họ tên đầy đủ");
  ExpectNumber(first, "C28", 0.997);
  ExpectNumber(first, "D28", 0.995);
  ExpectText(first, "E28", "Đạt");
  ExpectText(first, "B29", "cap_nhat_kip_thoi");
  ExpectText(first, "E29", "Chưa đạt");
  EXPECT_EQ(book.SheetXml(1).find("<pane"), std::string::npos);  // nothing frozen

  // Summary: title, header on row 4 (frozen below it), departments ranked, then the province.
  const auto summary = book.Cells(2);
  ExpectText(summary, "A1", "Báo cáo chất lượng dữ liệu, lần quét 5 ngày 02/11/2026");
  ExpectText(summary, "A4", "Hạng");
  ExpectText(summary, "C4", "Đúng");
  ExpectText(summary, "G4", "Tổng hợp");
  ExpectNumber(summary, "A5", 1);
  ExpectText(summary, "B5", "Sở Tư pháp");
  ExpectNumber(summary, "G5", 84.375);
  EXPECT_EQ(book.FormatCode(summary.at("G5")), "0.0");
  ExpectText(summary, "H5", "Khá");
  ExpectText(summary, "B6", "Công an tỉnh");
  ExpectNumber(summary, "C6", 25);
  ExpectText(summary, "F6", "Chưa đo");  // no freshness check: not measured, not 100
  ExpectNumber(summary, "G6", 56.25);
  ExpectNumber(summary, "I6", 6.25);  // change since run 4
  ExpectText(summary, "B7", "Toàn tỉnh");
  ExpectNumber(summary, "G7", 68.75);
  const std::string summary_xml = book.SheetXml(2);
  EXPECT_NE(summary_xml.find("<pane ySplit=\"4\" topLeftCell=\"A5\" activePane=\"bottomLeft\" "
                             "state=\"frozen\"/>"),
            std::string::npos);
  EXPECT_NE(summary_xml.find("<autoFilter ref=\"A4:I6\"/>"), std::string::npos);
  // Grades coloured down to the province row (H7), which the filter leaves out.
  const auto summary_fills = book.ConditionalFills(2);
  EXPECT_EQ(summary_fills.size(), 5u);
  EXPECT_EQ(summary_fills.at("H5:H7 Tốt"), kGreen);
  EXPECT_EQ(summary_fills.at("H5:H7 Khá"), kLightGreen);
  EXPECT_EQ(summary_fills.at("H5:H7 Trung bình"), kYellow);
  EXPECT_EQ(summary_fills.at("H5:H7 Yếu"), kOrange);
  EXPECT_EQ(summary_fills.at("H5:H7 Kém"), kRed);

  // Checks: one row per result; violations and rows are numbers, percent a fraction in 0.00%.
  const auto checks = book.Cells(3);
  ExpectText(checks, "A1", "Sở, ngành");
  ExpectText(checks, "L1", "Tỷ lệ vi phạm");
  ExpectText(checks, "D2", "pattern:cong_dan.so_dien_thoai");
  ExpectText(checks, "E1", "Tên kiểm tra");
  ExpectText(checks, "E2", "so_dien_thoai sai định dạng");  // the type's default title
  ExpectText(checks, "I2", "Không đạt");
  ExpectNumber(checks, "J2", 20);
  ExpectNumber(checks, "K2", 1000);
  ExpectNumber(checks, "L2", 0.02);
  EXPECT_EQ(book.FormatCode(checks.at("L2")), "0.00%");
  ExpectText(checks, "M2", "Không đạt: ≤ 0");
  ExpectNumber(checks, "N2", 1.5);
  ExpectText(checks, "O2", "Mới không đạt");
  ExpectText(checks, "P2", "Tăng bất thường");
  ExpectText(checks, "M6", "Không đạt: ≤ 5%");  // the rule's limit; severity warn only warns
  ExpectText(checks, "I6", "Cảnh báo");
  EXPECT_EQ(checks.count("A7"), 0u) << "5 results, 5 rows";
  const std::string checks_xml = book.SheetXml(3);
  EXPECT_NE(checks_xml.find("<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" "
                            "state=\"frozen\"/>"),
            std::string::npos);
  EXPECT_NE(checks_xml.find("<autoFilter ref=\"A1:R6\"/>"), std::string::npos);
  EXPECT_NE(checks_xml.find("<col min=\"4\" max=\"4\" width=\""), std::string::npos);
  // Outcomes coloured on their column, every row of the table.
  EXPECT_EQ(book.ConditionalFills(3),
            (std::map<std::string, std::string>{{"I2:I6 Đạt", kGreen},
                                                {"I2:I6 Cảnh báo", kYellow},
                                                {"I2:I6 Không đạt", kRed},
                                                {"I2:I6 Lỗi", kGrey}}));
  EXPECT_EQ(book.ConditionalFills(4).count("E2:E13 Không đạt"), 1u);  // samples
  EXPECT_EQ(book.ConditionalFills(5).count("K2:K3 Cảnh báo"), 1u);    // indicators
  EXPECT_EQ(book.ConditionalFills(6).count("D2:D4 Không đạt"), 1u);   // units

  // Samples: three sample keys each of pattern, missing (3 rows missing: under its limit, still
  // shown), duplicate and stale.
  const auto samples = book.Cells(4);
  ExpectText(samples, "D2", "pattern:cong_dan.so_dien_thoai");
  ExpectNumber(samples, "F2", 1);
  ExpectText(samples, "G2", "id=100");
  ExpectText(samples, "E5", "Đạt");
  ExpectText(samples, "D8", "duplicate:cong_dan.so_cccd");
  ExpectText(samples, "D13", "stale:khai_sinh.ngay_cap_nhat");
  ExpectNumber(samples, "F13", 3);
  ExpectText(samples, "G13", "id=102");
  EXPECT_EQ(samples.count("A14"), 0u);
  EXPECT_NE(book.SheetXml(4).find("state=\"frozen\""), std::string::npos);

  // Indicators: value and target as fractions in 0.00%, counts, direction and outcome labels.
  const auto indicators = book.Cells(5);
  ExpectText(indicators, "A1", "Sở, ngành");
  ExpectText(indicators, "D1", "Mã chỉ tiêu");
  ExpectText(indicators, "C2", "missing:cong_dan.ho_ten");
  ExpectText(indicators, "D2", "ho_ten_day_du");
  ExpectText(indicators, "E2", "Họ tên đầy đủ");
  ExpectNumber(indicators, "F2", 0.997);
  EXPECT_EQ(book.FormatCode(indicators.at("F2")), "0.00%");
  ExpectNumber(indicators, "G2", 0.995);
  ExpectText(indicators, "H2", "Tối thiểu bằng chỉ tiêu");
  ExpectNumber(indicators, "I2", 997);
  ExpectNumber(indicators, "J2", 1000);
  ExpectText(indicators, "K2", "Đạt");
  ExpectText(indicators, "D3", "cap_nhat_kip_thoi");
  ExpectNumber(indicators, "F3", 0.9);  // 450 of 500: 5 points short of 95, warn within 5
  ExpectText(indicators, "K3", "Cảnh báo");
  EXPECT_EQ(indicators.count("A4"), 0u);
  // Units: the phone pattern's communes, worst first (synthetic_history.h: 12, 8, 0 of 20).
  const auto units = book.Cells(6);
  ExpectText(units, "E1", "Phân theo");
  ExpectText(units, "G1", "Đơn vị");
  ExpectText(units, "A2", "Công an tỉnh");
  ExpectText(units, "C2", "pattern:cong_dan.so_dien_thoai");
  ExpectText(units, "E2", "ma_xa");
  ExpectNumber(units, "F2", 1);
  ExpectText(units, "G2", "28255");
  ExpectNumber(units, "H2", 12);
  ExpectNumber(units, "I2", 200);
  ExpectNumber(units, "J2", 0.06);
  EXPECT_EQ(book.FormatCode(units.at("J2")), "0.00%");
  ExpectText(units, "G3", "28252");
  ExpectNumber(units, "H3", 8);
  ExpectText(units, "G4", "(không xác định)");
  ExpectNumber(units, "H4", 0);
  EXPECT_EQ(units.count("A5"), 0u) << "one check with a breakdown, three units";

  // A sheet per department, ranked: its scores (the grade filled), then its own check results
  // only, with the Checks sheet's columns less the department.
  const auto justice = book.Cells(7);
  ExpectText(justice, "A1", "Sở Tư pháp");
  ExpectText(justice, "A2", "Hạng");
  ExpectNumber(justice, "A3", 1);
  ExpectNumber(justice, "F3", 84.375);
  ExpectText(justice, "G3", "Khá");
  ExpectText(justice, "A5", "Nguồn dữ liệu");
  ExpectText(justice, "H5", "Kết quả");
  ExpectText(justice, "A6", "civil");
  ExpectText(justice, "C7", "stale:khai_sinh.ngay_cap_nhat");
  ExpectText(justice, "H7", "Cảnh báo");
  ExpectNumber(justice, "I7", 50);
  ExpectNumber(justice, "K7", 0.1);
  EXPECT_EQ(book.FormatCode(justice.at("K7")), "0.00%");
  EXPECT_EQ(justice.count("A8"), 0u) << "civil's two results only";
  const std::string justice_xml = book.SheetXml(7);
  EXPECT_NE(justice_xml.find("<pane ySplit=\"5\" topLeftCell=\"A6\" activePane=\"bottomLeft\" "
                             "state=\"frozen\"/>"),
            std::string::npos);
  EXPECT_NE(justice_xml.find("<autoFilter ref=\"A5:Q7\"/>"), std::string::npos);
  EXPECT_EQ(book.ConditionalFills(7).at("H6:H7 Cảnh báo"), kYellow);
  const auto police = book.Cells(8);
  ExpectText(police, "A1", "Công an tỉnh");
  ExpectNumber(police, "A3", 2);
  ExpectText(police, "C6", "pattern:cong_dan.so_dien_thoai");
  ExpectText(police, "H6", "Không đạt");
  ExpectText(police, "C8", "duplicate:cong_dan.so_cccd");
  EXPECT_EQ(police.count("A9"), 0u) << "population's three results only";
  EXPECT_NE(book.SheetXml(8).find("<autoFilter ref=\"A5:Q8\"/>"), std::string::npos);
  EXPECT_EQ(book.ConditionalFills(8).at("H6:H8 Không đạt"), kRed);
}

TEST_F(XlsxReportTest, PeriodWorkbookInEnglish) {
  auto report = BuildPeriodReport(history_->store(), "2026-10", ReportOptions{});
  ASSERT_TRUE(report.ok()) << report.status().message();
  const fs::path path = history_->dir() / "month.xlsx";
  ASSERT_TRUE(WritePeriodReportXlsx(*report, Catalog::BuiltIn(Language::kEn), path.string()).ok());
  const Workbook book(path);
  EXPECT_EQ(book.sheet_names(),
            (std::vector<std::string>{"Key findings", "Summary", "Departments", "Checks", "Indicators",
                                      "Công an tỉnh", "Sở Tư pháp"}));
  ExpectPrintSetup(book, {14, 4, 1, 1, 1, 5, 5});
  const auto first = book.Cells(1);
  ExpectText(first, "A2", "Period: 10/2026");
  ExpectText(first, "A7",
             "Sở Tư pháp (rank 2 of 2, overall 83.3, Fair) lost most on: “ngay_sinh out of range” "
             "(did not pass 1 of 3 runs); “ngay_cap_nhat: values too old” (did not pass 1 of 3 "
             "runs).");
  ExpectText(first, "B15", "Sở Tư pháp");  // 83.3 before 93.8
  ExpectText(first, "D15", "Not measured");
  ExpectText(first, "B16", "Công an tỉnh");
  ExpectText(first, "F16", "Not measured");
  EXPECT_EQ(book.ConditionalFills(2).at("I5:I8 Fair"), kLightGreen);  // runs and the average
  EXPECT_EQ(book.ConditionalFills(3).at("H2:H3 Good"), kGreen);
  EXPECT_EQ(book.ConditionalFills(4).at("O2:O7 Error"), kGrey);
  EXPECT_EQ(book.ConditionalFills(5).at("K2:K3 Pass"), kGreen);

  const auto summary = book.Cells(2);
  ExpectText(summary, "A1", "Data-quality report for 2026-10");
  ExpectNumber(summary, "A5", ExcelDay(2026, 10, 5));
  EXPECT_EQ(book.FormatCode(summary.at("A5")), "yyyy-mm-dd");
  ExpectNumber(summary, "B5", 1);
  ExpectText(summary, "C7", "Partial");
  ExpectNumber(summary, "H5", 100);
  ExpectNumber(summary, "H6", 85.9375);
  ExpectNumber(summary, "H7", 81.25);
  ExpectText(summary, "A8", "Period average");
  ExpectNumber(summary, "H8", 89.0625);
  ExpectText(summary, "I8", "Fair");

  const auto departments = book.Cells(3);
  ExpectText(departments, "B2", "Công an tỉnh");
  ExpectNumber(departments, "G2", 93.75);
  ExpectText(departments, "H2", "Good");
  ExpectNumber(departments, "I2", ExcelDay(2026, 10, 12));
  ExpectNumber(departments, "J2", 81.25);
  ExpectNumber(departments, "O3", -25);
  ExpectNumber(departments, "P3", 3);
  // September has no run: the change against the previous month is left empty.
  ExpectText(departments, "Q1", "Change against the previous period");
  EXPECT_EQ(departments.count("Q2"), 0u);

  const auto checks = book.Cells(4);
  ExpectText(checks, "C4", "duplicate:cong_dan.so_cccd");
  ExpectText(checks, "D4", "Duplicate so_cccd");  // the type's default title, in English
  ExpectNumber(checks, "G4", 3);
  ExpectNumber(checks, "J4", 1);
  ExpectNumber(checks, "L4", 5.0 / 3);
  ExpectNumber(checks, "M4", 5);
  ExpectNumber(checks, "N4", ExcelDay(2026, 10, 12));
  ExpectText(checks, "O6", "Error");
  // P: the metrics column (plugin checks; empty here).
  EXPECT_NE(book.SheetXml(4).find("<autoFilter ref=\"A1:P7\"/>"), std::string::npos);

  // Indicators over the month: the population one in runs 1-3, the civil one in runs 1-2 (run 3
  // could not scan civil); last value, runs, runs that met the target, mean value.
  const auto indicators = book.Cells(5);
  ExpectText(indicators, "D2", "ho_ten_day_du");
  ExpectText(indicators, "H2", "At least the target");
  ExpectNumber(indicators, "L2", 3);
  ExpectNumber(indicators, "M2", 3);
  ExpectNumber(indicators, "N2", 0.997);
  ExpectText(indicators, "D3", "cap_nhat_kip_thoi");
  ExpectNumber(indicators, "F3", 1);
  ExpectNumber(indicators, "L3", 2);
  ExpectText(indicators, "K3", "Pass");
  EXPECT_EQ(indicators.count("A4"), 0u);

  // Per department: the month's average and its checks.
  const auto police = book.Cells(6);
  ExpectText(police, "A1", "Công an tỉnh");
  ExpectNumber(police, "A3", 1);
  ExpectNumber(police, "F3", 93.75);
  ExpectText(police, "G3", "Good");
  ExpectText(police, "A5", "Source");
  ExpectText(police, "B8", "duplicate:cong_dan.so_cccd");
  ExpectNumber(police, "I8", 1);
  ExpectNumber(police, "M8", ExcelDay(2026, 10, 12));
  EXPECT_EQ(police.count("A10"), 0u);
  EXPECT_EQ(book.ConditionalFills(6).count("N6:N9 Fail"), 1u);
  const auto justice = book.Cells(7);
  ExpectText(justice, "A1", "Sở Tư pháp");
  ExpectNumber(justice, "A3", 2);
}

// Department sheets are named within Excel's rules: at most 31 characters, no [ ] : * ? / \, no
// apostrophe at either end, and a name taken by another sheet numbered " (2)".
TEST(XlsxSheetNameTest, DepartmentNamesAreMadeValidAndUnique) {
  RunReport report;
  report.run.id = 7;
  report.run.today = "2026-11-02";
  for (const char* name : {"Kiểm tra", "Ban quản lý các khu công nghiệp và khu kinh tế tỉnh",
                           "Ban quản lý các khu công nghiệp và khu chế xuất", "'Sở [Y] tế'"}) {
    ReportDepartment d;
    d.department = name;
    d.rank = static_cast<int>(report.departments.size() + 1);
    report.departments.push_back(d);
  }
  const fs::path dir = fs::temp_directory_path() / ("dqa_xlsx_names_" + std::to_string(getpid()));
  fs::create_directories(dir);
  const fs::path path = dir / "names.xlsx";
  ASSERT_TRUE(WriteRunReportXlsx(report, Catalog::BuiltIn(Language::kVi), path.string()).ok());
  const Workbook book(path);
  EXPECT_EQ(book.sheet_names(),
            (std::vector<std::string>{"Điểm chính", "Tổng hợp", "Kiểm tra", "Mẫu dữ liệu", "Đơn vị",
                                      "Kiểm tra (2)", "Ban quản lý các khu công nghiệp",
                                      "Ban quản lý các khu công ng (2)", "_Sở _Y_ tế_"}));
  EXPECT_EQ(book.Cells(6).at("A1").value, "Kiểm tra");
  EXPECT_EQ(book.Cells(8).at("A1").value, "Ban quản lý các khu công nghiệp và khu chế xuất");
  fs::remove_all(dir);
}

TEST_F(XlsxReportTest, VietnameseDatesAndUnwritablePath) {
  auto report = BuildPeriodReport(history_->store(), "2026-10", ReportOptions{});
  ASSERT_TRUE(report.ok());
  const fs::path path = history_->dir() / "thang.xlsx";
  ASSERT_TRUE(WritePeriodReportXlsx(*report, Catalog::BuiltIn(Language::kVi), path.string()).ok());
  const Workbook book(path);
  EXPECT_EQ(book.sheet_names(),
            (std::vector<std::string>{"Điểm chính", "Tổng hợp", "Sở, ngành", "Kiểm tra", "Chỉ tiêu",
                                      "Công an tỉnh", "Sở Tư pháp"}));
  EXPECT_EQ(book.FormatCode(book.Cells(2).at("A5")), "dd/mm/yyyy");

  const Status bad = WritePeriodReportXlsx(*report, Catalog::BuiltIn(Language::kVi),
                                           (history_->dir() / "no" / "such" / "x.xlsx").string());
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.code(), StatusCode::kIoError);
}

}  // namespace
}  // namespace dqa::reports
