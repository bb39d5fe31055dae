#include "reports/xlsx/xlsx_report.h"

#include <fmt/format.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <array>
#include <optional>
#include <span>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <vector>

#include "core/util/dates.h"
#include "core/util/lazy_library.h"
#include "core/util/text.h"
#include "core/report/key_findings.h"
#include "reports/key_findings.h"
#include "reports/labels.h"

namespace dqa::reports {
namespace {

// libxlsxwriter is loaded when the first Excel report is written, not when dqaudit starts
// (core/util/lazy_library.h): every function of it this file calls is listed here and called
// through Xl().
#define DQA_XLSX_FUNCTIONS(X) \
  X(format_set_align) \
  X(format_set_bg_color) \
  X(format_set_bold) \
  X(format_set_bottom) \
  X(format_set_font_color) \
  X(format_set_font_size) \
  X(format_set_num_format) \
  X(format_set_text_wrap) \
  X(lxw_strerror) \
  X(workbook_add_format) \
  X(workbook_add_worksheet) \
  X(workbook_close) \
  X(workbook_get_worksheet_by_name) \
  X(workbook_new_opt) \
  X(workbook_set_properties) \
  X(worksheet_autofilter) \
  X(worksheet_conditional_format_range) \
  X(worksheet_fit_to_pages) \
  X(worksheet_freeze_panes) \
  X(worksheet_repeat_rows) \
  X(worksheet_set_column) \
  X(worksheet_set_landscape) \
  X(worksheet_set_paper) \
  X(worksheet_write_datetime) \
  X(worksheet_write_number) \
  X(worksheet_write_string)

struct XlsxFunctions {
  DQA_XLSX_FUNCTIONS(DQA_LAZY_POINTER)
};

const LazyLibrary<XlsxFunctions>& LibXlsx() {
  static const LazyLibrary<XlsxFunctions> library(
      "libxlsxwriter.so.4", "libxlsxwriter4",
      [](XlsxFunctions& f, auto resolve) { DQA_XLSX_FUNCTIONS(DQA_LAZY_RESOLVE) });
  return library;
}

// libxlsxwriter's functions; only in a Workbook, which the writers make after LibXlsx() loaded.
const XlsxFunctions& Xl() { return LibXlsx().functions(); }

// Excel keeps at most 32,767 characters in a cell; longer texts (messages) are cut.
constexpr size_t kMaxCellBytes = 32000;
constexpr double kMinWidth = 6;
constexpr double kMaxWidth = 60;

// Valid UTF-8 no longer than a cell holds (invalid bytes become U+FFFD): libxlsxwriter copies
// bytes as they are, and Excel refuses a workbook with invalid UTF-8 in it.
std::string CellText(std::string_view text) {
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t start = pos;
    if (DecodeUtf8(text, pos)) {
      if (out.size() + (pos - start) > kMaxCellBytes) break;
      out.append(text.substr(start, pos - start));
    } else {
      if (out.size() + 3 > kMaxCellBytes) break;
      out += "\xEF\xBF\xBD";
      ++pos;
    }
  }
  return out;
}

// Width in characters of a text (code points; combining marks are rare enough to ignore).
double TextWidth(std::string_view text) {
  return static_cast<double>(sdk::CountCodePoints(text));
}

// The styles of one workbook.
struct Formats {
  lxw_format* title = nullptr;
  lxw_format* header = nullptr;
  lxw_format* score = nullptr;    // 0.0
  lxw_format* delta = nullptr;    // +0.0 / -0.0
  lxw_format* decimal = nullptr;  // 0.00
  lxw_format* integer = nullptr;  // #,##0
  lxw_format* percent = nullptr;  // 0.00%
  lxw_format* date = nullptr;     // the catalog's date order
  lxw_format* wrap = nullptr;     // long texts
  // Conditional fills of outcome and grade cells, indexed by Outcome and Grade.
  std::array<lxw_format*, 4> outcome = {};
  std::array<lxw_format*, 5> grade = {};
};

// Fill and font of each outcome (pass, warn, fail, error) and grade (good .. bad): Excel's own
// "good / neutral / bad" styles, so the colours read as they do in the committee's workbooks.
constexpr std::array<std::pair<lxw_color_t, lxw_color_t>, 4> kOutcomeColours = {
    {{0xC6EFCE, 0x006100}, {0xFFEB9C, 0x9C5700}, {0xFFC7CE, 0x9C0006}, {0xD9D9D9, 0x3F3F3F}}};
constexpr std::array<std::pair<lxw_color_t, lxw_color_t>, 5> kGradeColours = {
    {{0xC6EFCE, 0x006100},
     {0xE2EFDA, 0x375623},
     {0xFFEB9C, 0x9C5700},
     {0xF8CBAD, 0x843C0C},
     {0xFFC7CE, 0x9C0006}}};
constexpr uint8_t kPaperA4 = 9;

// The Excel number format of the catalog's date pattern ("{day}/{month}/{year}" -> dd/mm/yyyy).
std::string DateFormat(const i18n::Catalog& catalog) {
  std::string f(catalog.Text("format.date"));
  for (auto [from, to] : {std::pair<std::string_view, std::string_view>{"{day}", "dd"},
                          {"{month}", "mm"},
                          {"{year}", "yyyy"}}) {
    const size_t at = f.find(from);
    if (at != std::string::npos) f.replace(at, from.size(), to);
  }
  return f;
}

class Workbook {
 public:
  Workbook(const std::string& path, const i18n::Catalog& catalog, const std::string& title,
           int64_t generated_unix_ms)
      : date_format_(DateFormat(catalog)) {
    lxw_workbook_options options = {};
    workbook_ = Xl().workbook_new_opt(path.c_str(), &options);
    if (workbook_ == nullptr) return;
    lxw_doc_properties properties = {};
    title_ = CellText(title);
    properties.title = title_.data();
    properties.author = const_cast<char*>("dqaudit");
    // A fixed creation time (the report's) makes the same report the same file.
    properties.created = static_cast<time_t>(generated_unix_ms / 1000);
    Xl().workbook_set_properties(workbook_, &properties);
    f_.title = Xl().workbook_add_format(workbook_);
    Xl().format_set_bold(f_.title);
    Xl().format_set_font_size(f_.title, 14);
    f_.header = Xl().workbook_add_format(workbook_);
    Xl().format_set_bold(f_.header);
    Xl().format_set_text_wrap(f_.header);
    Xl().format_set_align(f_.header, LXW_ALIGN_VERTICAL_TOP);
    Xl().format_set_bg_color(f_.header, 0xD9E1F2);
    Xl().format_set_bottom(f_.header, LXW_BORDER_THIN);
    f_.score = Numeric("0.0");
    f_.delta = Numeric("+0.0;-0.0;0.0");
    f_.decimal = Numeric("0.00");
    f_.integer = Numeric("#,##0");
    f_.percent = Numeric("0.00%");
    f_.date = Numeric(date_format_.c_str());
    f_.wrap = Xl().workbook_add_format(workbook_);
    Xl().format_set_text_wrap(f_.wrap);
    Xl().format_set_align(f_.wrap, LXW_ALIGN_VERTICAL_TOP);
    for (size_t i = 0; i < f_.outcome.size(); ++i) f_.outcome[i] = Fill(kOutcomeColours[i]);
    for (size_t i = 0; i < f_.grade.size(); ++i) f_.grade[i] = Fill(kGradeColours[i]);
  }
  Workbook(const Workbook&) = delete;
  Workbook& operator=(const Workbook&) = delete;
  ~Workbook() {
    if (workbook_ != nullptr) Xl().workbook_close(workbook_);  // only after a failed Close()
  }

  bool ok() const { return workbook_ != nullptr; }
  const Formats& formats() const { return f_; }
  lxw_workbook* get() { return workbook_; }

  Status Close(const std::string& shown_as) {
    errno = 0;  // libxlsxwriter's codes do not tell a full disk from a permission problem
    const lxw_error error = Xl().workbook_close(workbook_);
    const int cause = errno;
    workbook_ = nullptr;
    if (error != LXW_NO_ERROR) {
      return IoError(fmt::format("cannot write {}: {}{}", shown_as, Xl().lxw_strerror(error),
                                 cause != 0 ? fmt::format(": {}", std::strerror(cause)) : ""));
    }
    return Status::Ok();
  }

 private:
  lxw_format* Fill(std::pair<lxw_color_t, lxw_color_t> colours) {
    lxw_format* f = Xl().workbook_add_format(workbook_);
    Xl().format_set_bg_color(f, colours.first);
    Xl().format_set_font_color(f, colours.second);
    return f;
  }

  lxw_format* Numeric(const char* num_format) {
    lxw_format* f = Xl().workbook_add_format(workbook_);
    Xl().format_set_num_format(f, num_format);
    return f;
  }

  std::string date_format_;
  std::string title_;
  lxw_workbook* workbook_ = nullptr;
  Formats f_;
};

// One worksheet with a table: writes cells and remembers column widths.
class Sheet {
 public:
  Sheet(Workbook& book, std::string_view name, const i18n::Catalog& catalog)
      : book_(book), catalog_(catalog) {
    // A department may be named like another sheet (or two alike once cut to 31 characters):
    // number the later one, as Excel does with "Sheet (2)".
    std::string safe = SheetName(name, 31);
    for (int n = 2; Xl().workbook_get_worksheet_by_name(book.get(), safe.c_str()) != nullptr; ++n) {
      const std::string suffix = fmt::format(" ({})", n);
      safe = SheetName(name, static_cast<double>(31 - suffix.size())) + suffix;
    }
    sheet_ = Xl().workbook_add_worksheet(book.get(), safe.c_str());
  }

  // Sheet names: at most `max_chars` characters (Excel: 31), none of []:*?/\ , not starting or
  // ending with an apostrophe, never empty.
  static std::string SheetName(std::string_view name, double max_chars) {
    std::string out;
    size_t pos = 0;
    double chars = 0;
    while (pos < name.size() && chars < max_chars) {
      const size_t start = pos;
      if (!DecodeUtf8(name, pos)) {
        ++pos;
        continue;
      }
      const std::string_view cp = name.substr(start, pos - start);
      out += std::string_view("[]:*?/\\").find(cp) != std::string_view::npos && cp.size() == 1
                 ? std::string_view("_")
                 : cp;
      ++chars;
    }
    if (!out.empty() && out.front() == '\'') out.front() = '_';
    if (!out.empty() && out.back() == '\'') out.back() = '_';
    return out.empty() ? "_" : out;
  }

  void Title(lxw_row_t row, const std::string& text) {
    Xl().worksheet_write_string(sheet_, row, 0, CellText(text).c_str(), book_.formats().title);
  }
  void Note(lxw_row_t row, const std::string& text) {
    Xl().worksheet_write_string(sheet_, row, 0, CellText(text).c_str(), nullptr);
  }

  // The header row of the table: catalog report.column.<name> for each column.
  void Header(lxw_row_t row, const std::vector<std::string>& headers) {
    header_row_ = row;
    columns_ = static_cast<lxw_col_t>(headers.size());
    for (lxw_col_t c = 0; c < columns_; ++c) {
      Xl().worksheet_write_string(sheet_, row, c, CellText(headers[c]).c_str(), book_.formats().header);
      // Headers wrap; they ask for about half their length, words of at most 12 characters.
      Fit(c, std::min(TextWidth(headers[c]), std::max(12.0, TextWidth(headers[c]) / 2)));
    }
  }

  void Text(lxw_row_t row, lxw_col_t col, std::string_view text, lxw_format* f = nullptr) {
    if (text.empty()) return;
    const std::string cell = CellText(text);
    Xl().worksheet_write_string(sheet_, row, col, cell.c_str(), f);
    Fit(col, TextWidth(cell));
  }
  void Number(lxw_row_t row, lxw_col_t col, double v, lxw_format* f) {
    Xl().worksheet_write_number(sheet_, row, col, v, f);
    Fit(col, 8);
  }
  void Integer(lxw_row_t row, lxw_col_t col, int64_t v) {
    Number(row, col, static_cast<double>(v), book_.formats().integer);
  }
  // A score, or the catalog's "not measured" text.
  void Score(lxw_row_t row, lxw_col_t col, const std::optional<double>& v,
             lxw_format* f = nullptr) {
    if (v) {
      Number(row, col, *v, f != nullptr ? f : book_.formats().score);
    } else {
      Text(row, col, catalog_.Text("not_measured"));
    }
  }
  void Day(lxw_row_t row, lxw_col_t col, const std::string& iso_day) {
    const std::optional<int64_t> days = ParseIsoDay(iso_day);
    if (!days) {
      Text(row, col, iso_day);
      return;
    }
    const CivilDate d = CivilFromDays(*days);
    lxw_datetime dt = {static_cast<int>(d.year), d.month, d.day, 0, 0, 0};
    Xl().worksheet_write_datetime(sheet_, row, col, &dt, book_.formats().date);
    Fit(col, 11);
  }

  // Column `col` holds outcome labels (Label(catalog, Outcome)) / grade labels: Finish colours
  // them by conditional formats, so a filtered or re-sorted table keeps its colours.
  void OutcomeColumn(lxw_col_t col) { outcome_columns_.push_back(col); }
  void GradeColumn(lxw_col_t col) { grade_columns_.push_back(col); }

  // Freezes the rows up to the header, sets an autofilter over the table's rows
  // header_row..last_row, the column widths, the conditional colours of the outcome and grade
  // columns (down to `coloured_last_row`, default `last_row`: a summary's province row is
  // coloured, not filtered) and the print setup: A4 landscape, one page wide, the header row
  // repeated on every page.
  // `freeze` false: nothing frozen (a sheet whose table is under many lines of text).
  void Finish(lxw_row_t last_row, std::optional<lxw_row_t> coloured_last_row = std::nullopt,
              bool freeze = true) {
    if (freeze) Xl().worksheet_freeze_panes(sheet_, header_row_ + 1, 0);
    if (columns_ > 0) {
      Xl().worksheet_autofilter(sheet_, header_row_, 0, std::max(last_row, header_row_), columns_ - 1);
    }
    const lxw_row_t coloured = coloured_last_row.value_or(last_row);
    if (coloured > header_row_) {
      for (lxw_col_t col : outcome_columns_) {
        for (Outcome o : {Outcome::kPass, Outcome::kWarn, Outcome::kFail, Outcome::kError}) {
          Colour(col, coloured, Label(catalog_, o),
                 book_.formats().outcome[static_cast<size_t>(o)]);
        }
      }
      for (lxw_col_t col : grade_columns_) {
        for (Grade g : {Grade::kGood, Grade::kFair, Grade::kAverage, Grade::kPoor, Grade::kBad}) {
          Colour(col, coloured, Label(catalog_, g), book_.formats().grade[static_cast<size_t>(g)]);
        }
      }
    }
    Xl().worksheet_set_paper(sheet_, kPaperA4);
    Xl().worksheet_set_landscape(sheet_);
    Xl().worksheet_fit_to_pages(sheet_, 1, 0);
    Xl().worksheet_repeat_rows(sheet_, header_row_, header_row_);
    for (lxw_col_t c = 0; c < widths_.size(); ++c) {
      const double width = std::clamp(widths_[c] + 2, kMinWidth, kMaxWidth);
      Xl().worksheet_set_column(sheet_, c, c, width,
                           widths_[c] + 2 > kMaxWidth ? book_.formats().wrap : nullptr);
    }
  }

 private:
  // Cells of column `col` below the header equal to `label` get `format`.
  void Colour(lxw_col_t col, lxw_row_t last_row, std::string_view label, lxw_format* format) {
    std::string literal = "\"";  // a formula string: quotes doubled
    for (char c : label) literal += c == '"' ? std::string("\"\"") : std::string(1, c);
    literal += '"';
    lxw_conditional_format rule = {};
    rule.type = LXW_CONDITIONAL_TYPE_CELL;
    rule.criteria = LXW_CONDITIONAL_CRITERIA_EQUAL_TO;
    rule.value_string = literal.data();
    rule.format = format;
    Xl().worksheet_conditional_format_range(sheet_, header_row_ + 1, col, last_row, col, &rule);
  }

  void Fit(lxw_col_t col, double width) {
    if (widths_.size() <= col) widths_.resize(col + 1, 0);
    widths_[col] = std::max(widths_[col], width);
  }

  Workbook& book_;
  const i18n::Catalog& catalog_;
  lxw_worksheet* sheet_ = nullptr;
  lxw_row_t header_row_ = 0;
  lxw_col_t columns_ = 0;
  std::vector<double> widths_;
  std::vector<lxw_col_t> outcome_columns_;
  std::vector<lxw_col_t> grade_columns_;
};

std::vector<std::string> Headers(const i18n::Catalog& catalog,
                                 std::span<const std::string_view> keys) {
  std::vector<std::string> out;
  for (std::string_view k : keys) {
    // A dimension name (validity...) or "overall" is a score column headed by its word.
    if (k == "overall" || ParseDimension(k)) {
      out.emplace_back(catalog.Text(fmt::format("dimension.{}", k)));
    } else {
      out.emplace_back(catalog.Text(fmt::format("report.column.{}", k)));
    }
  }
  return out;
}

std::vector<std::string> Headers(const i18n::Catalog& catalog,
                                 std::initializer_list<std::string_view> keys) {
  return Headers(catalog, std::span<const std::string_view>(keys.begin(), keys.size()));
}

std::string SheetTitle(const i18n::Catalog& catalog, std::string_view name) {
  return std::string(catalog.Text(fmt::format("report.sheet.{}", name)));
}

// Four dimension scores then overall, from column `col`.
void ScoreColumns(Sheet& sheet, lxw_row_t row, lxw_col_t col, const ScoreSet& s) {
  for (Dimension d : kReportDimensions) sheet.Score(row, col++, s.dimension(d).score);
  sheet.Score(row, col, s.overall);
}

std::string GradeText(const i18n::Catalog& catalog, const std::optional<Grade>& g) {
  return g ? std::string(Label(catalog, *g)) : std::string(catalog.Text("not_measured"));
}

// The fill of a grade cell outside a table (no conditional format there: nothing re-sorts it).
lxw_format* GradeFill(Workbook& book, const std::optional<Grade>& g) {
  return g ? book.formats().grade[static_cast<size_t>(*g)] : nullptr;
}

std::string ThresholdText(const i18n::Catalog& catalog, const Thresholds& t) {
  std::string fail = LimitsText(catalog, t.fail);
  const std::string warn = LimitsText(catalog, t.warn);
  if (!fail.empty()) fail = fmt::format("{}: {}", Label(catalog, Outcome::kFail), fail);
  if (warn.empty()) return fail;
  const std::string w = fmt::format("{}: {}", Label(catalog, Outcome::kWarn), warn);
  return fail.empty() ? w : fail + "; " + w;
}

// The first sheet, what the first screen of the HTML report says (docs/reports.md "First
// screen"): title, issuer facts, the key findings, the departments worst first with their four
// scores ("not measured" as text) and grade, the grade legend, the indicators against their
// targets.
void FirstScreenSheet(Workbook& book, const i18n::Catalog& catalog, const std::string& title,
                      const std::string& period_text, const ReportIssuer& who,
                      int64_t at_unix_ms, int64_t generated_unix_ms, const KeyFindings& f,
                      const GradeCuts& grades) {
  Sheet sheet(book, catalog.Text("findings.heading"), catalog);
  sheet.Title(0, title);
  lxw_row_t row = 1;
  for (const auto& [label, value] : IssuerFacts(catalog, who, period_text, at_unix_ms)) {
    sheet.Note(row++, label + ": " + value);
  }
  sheet.Note(row++, catalog.Format("report.generated_at",
                                   {{"time", LocalTimeText(catalog, generated_unix_ms, who)}}));
  ++row;
  sheet.Title(row++, std::string(catalog.Text("findings.heading")));
  for (const std::string& sentence : KeyFindingSentences(catalog, f)) sheet.Note(row++, sentence);
  ++row;
  sheet.Header(row++, Headers(catalog, {"rank", "department", "validity", "completeness",
                                        "uniqueness", "freshness", "overall", "grade", "delta"}));
  for (const FindingDepartment& d : f.ranking) {
    sheet.Number(row, 0, d.rank, book.formats().integer);
    sheet.Text(row, 1, d.department);
    lxw_col_t col = 2;
    for (Dimension dim : kReportDimensions) sheet.Score(row, col++, d.dimensions[static_cast<size_t>(dim)]);
    sheet.Score(row, col, d.overall);
    sheet.Text(row, 7, GradeText(catalog, d.grade));
    if (d.delta) sheet.Number(row, 8, *d.delta, book.formats().delta);
    ++row;
  }
  const lxw_row_t last = row - 1;
  ++row;
  sheet.Note(row++, std::string(catalog.Text("findings.ranking_note")));
  sheet.Note(row++, std::string(catalog.Text("findings.grade_legend")) + ":");
  for (const std::string& line : GradeLegend(catalog, grades)) sheet.Note(row++, line);
  if (!f.indicators.empty()) {
    ++row;
    sheet.Note(row++, std::string(catalog.Text("report.indicators_heading")));
    lxw_col_t col = 0;
    for (std::string_view key : {"report.column.department", "report.column.indicator_title",
                                 "report.column.indicator_value", "report.column.target",
                                 "report.column.outcome_label"}) {
      sheet.Text(row, col++, catalog.Text(key), book.formats().header);
    }
    ++row;
    for (const ReportIndicator& i : f.indicators) {
      sheet.Text(row, 0, i.department);
      sheet.Text(row, 1, IndicatorTitle(catalog, i.indicator, i.check_id, i.check, i.texts));
      if (i.indicator.value) sheet.Number(row, 2, *i.indicator.value / 100, book.formats().percent);
      if (i.indicator.target) {
        sheet.Number(row, 3, *i.indicator.target / 100, book.formats().percent);
      }
      sheet.Text(row, 4,
                 catalog.Text(i.outcome == Outcome::kPass ? "findings.met" : "findings.not_met"));
      ++row;
    }
  }
  sheet.GradeColumn(7);
  sheet.Finish(last, std::nullopt, /*freeze=*/false);
}

void RunSummarySheet(Workbook& book, const RunReport& report, const i18n::Catalog& catalog) {
  Sheet sheet(book, SheetTitle(catalog, "summary"), catalog);
  sheet.Title(0, RunTitle(catalog, report.run));
  sheet.Note(1, fmt::format("{}: {} · {}", catalog.Text("report.column.status"),
                            RunStatusLabel(catalog, report.run.status),
                            catalog.Format("report.generated_at",
                                           {{"time", LocalTimeText(catalog, report.generated_unix_ms,
                                                                   report.issuer)}})));
  sheet.Header(3, Headers(catalog, {"rank", "department", "validity", "completeness", "uniqueness",
                                    "freshness", "overall", "grade", "delta"}));
  lxw_row_t row = 4;
  for (const ReportDepartment& d : report.departments) {
    sheet.Number(row, 0, d.rank, book.formats().integer);
    sheet.Text(row, 1, d.department);
    ScoreColumns(sheet, row, 2, d.scores);
    sheet.Text(row, 7, GradeText(catalog, d.scores.grade));
    if (d.trend.overall.delta) sheet.Number(row, 8, *d.trend.overall.delta, book.formats().delta);
    ++row;
  }
  const lxw_row_t last = row - 1;
  sheet.Text(row, 1, catalog.Text("report.province"), book.formats().header);
  ScoreColumns(sheet, row, 2, report.province);
  sheet.Text(row, 7, GradeText(catalog, report.province.grade));
  sheet.GradeColumn(7);
  sheet.Finish(last, row);
}

// The columns of a check result from `col` on (the Checks sheet puts the department before them).
constexpr std::string_view kRunCheckColumns[] = {
    "source",        "table",      "check_id",     "check_title", "type",      "dimension_label",
    "severity_label", "outcome_label", "violations", "rows_checked", "percent", "threshold",
    "score_loss",    "change",     "anomaly",      "message",     "metrics"};
constexpr lxw_col_t kRunCheckOutcome = 7;  // outcome_label in kRunCheckColumns

void RunCheckRow(Sheet& sheet, Workbook& book, lxw_row_t row, lxw_col_t col,
                 const ReportSource& s, const ReportCheck& c, const i18n::Catalog& catalog) {
  const CheckResult& r = c.result;
  sheet.Text(row, col, s.source);
  sheet.Text(row, col + 1, r.table);
  sheet.Text(row, col + 2, r.id);
  sheet.Text(row, col + 3, CheckTitle(catalog, r));
  sheet.Text(row, col + 4, r.type);
  sheet.Text(row, col + 5, Label(catalog, r.dimension));
  sheet.Text(row, col + 6, Label(catalog, r.severity));
  sheet.Text(row, col + kRunCheckOutcome, Label(catalog, r.outcome));
  sheet.Integer(row, col + 8, r.violations);
  sheet.Integer(row, col + 9, r.rows_checked);
  sheet.Number(row, col + 10, r.percent / 100, book.formats().percent);
  sheet.Text(row, col + 11, ThresholdText(catalog, r.thresholds));
  sheet.Number(row, col + 12, c.score_loss, book.formats().decimal);
  if (c.change) sheet.Text(row, col + 13, Label(catalog, *c.change));
  if (c.anomaly) sheet.Text(row, col + 14, AnomalyLabel(catalog, c.anomaly->direction));
  sheet.Text(row, col + 15, CheckMessage(catalog, r));
  if (!r.metrics.empty()) sheet.Text(row, col + 16, MetricsText(catalog, r));
}

void RunChecksSheet(Workbook& book, const RunReport& report, const i18n::Catalog& catalog) {
  Sheet sheet(book, SheetTitle(catalog, "checks"), catalog);
  std::vector<std::string> headers = Headers(catalog, {"department"});
  for (const std::string& h : Headers(catalog, kRunCheckColumns)) headers.push_back(h);
  sheet.Header(0, headers);
  lxw_row_t row = 1;
  for (const ReportSource& s : report.sources) {
    for (const ReportCheck& c : s.checks) {
      sheet.Text(row, 0, s.department);
      RunCheckRow(sheet, book, row, 1, s, c, catalog);
      ++row;
    }
  }
  sheet.OutcomeColumn(1 + kRunCheckOutcome);
  sheet.Finish(row - 1);
}

// The head of a department's sheet: its name; its rank, four dimension scores, overall and grade
// (filled with the grade's colour); the header of its table (`columns`) on the fifth row. Returns
// the table's first row.
lxw_row_t DepartmentHead(Sheet& sheet, Workbook& book, const i18n::Catalog& catalog,
                         const std::string& name, int rank,
                         const std::array<std::optional<double>, 5>& scores,
                         const std::optional<Grade>& grade,
                         std::span<const std::string_view> columns) {
  sheet.Title(0, name);
  sheet.Header(1, Headers(catalog, {"rank", "validity", "completeness", "uniqueness", "freshness",
                                    "overall", "grade"}));
  sheet.Number(2, 0, rank, book.formats().integer);
  for (size_t i = 0; i < scores.size(); ++i) {
    sheet.Score(2, static_cast<lxw_col_t>(1 + i), scores[i]);
  }
  sheet.Text(2, 6, GradeText(catalog, grade), GradeFill(book, grade));
  sheet.Header(4, Headers(catalog, columns));
  return 5;
}

// A sheet per department (ranked order): its name, rank, scores and grade, then every check
// result of its sources, so a department's officer prints or files only their own page.
void RunDepartmentSheets(Workbook& book, const RunReport& report, const i18n::Catalog& catalog) {
  for (const ReportDepartment& d : report.departments) {
    Sheet sheet(book, d.department, catalog);
    std::array<std::optional<double>, 5> scores;
    for (size_t i = 0; i < kReportDimensions.size(); ++i) {
      scores[i] = d.scores.dimension(kReportDimensions[i]).score;
    }
    scores[4] = d.scores.overall;
    lxw_row_t row = DepartmentHead(sheet, book, catalog, d.department, d.rank, scores,
                                   d.scores.grade, kRunCheckColumns);
    for (size_t i : d.sources) {
      const ReportSource& s = report.sources[i];
      for (const ReportCheck& c : s.checks) RunCheckRow(sheet, book, row++, 0, s, c, catalog);
    }
    sheet.OutcomeColumn(kRunCheckOutcome);
    sheet.Finish(row - 1);
  }
}

void RunSamplesSheet(Workbook& book, const RunReport& report, const i18n::Catalog& catalog) {
  Sheet sheet(book, SheetTitle(catalog, "samples"), catalog);
  sheet.Header(0, Headers(catalog, {"department", "source", "table", "check_id", "outcome_label",
                                    "sample_number", "sample_key"}));
  lxw_row_t row = 1;
  for (const ReportSource& s : report.sources) {
    for (const ReportCheck& c : s.checks) {
      const CheckResult& r = c.result;
      for (size_t i = 0; i < r.samples.size(); ++i) {
        sheet.Text(row, 0, s.department);
        sheet.Text(row, 1, s.source);
        sheet.Text(row, 2, r.table);
        sheet.Text(row, 3, r.id);
        sheet.Text(row, 4, Label(catalog, r.outcome));
        sheet.Integer(row, 5, static_cast<int64_t>(i + 1));
        sheet.Text(row, 6, SampleText(catalog, r, r.samples[i]));
        ++row;
      }
    }
  }
  sheet.OutcomeColumn(4);
  sheet.Finish(row - 1);
}

// Every unit of every breakdown (checks with `by`), each check's units worst first.
void RunUnitsSheet(Workbook& book, const RunReport& report, const i18n::Catalog& catalog) {
  Sheet sheet(book, SheetTitle(catalog, "units"), catalog);
  sheet.Header(0, Headers(catalog, {"department", "source", "check_id", "outcome_label", "by",
                                    "rank_in_breakdown", "unit", "violations", "rows_checked",
                                    "percent", "unit_label"}));
  lxw_row_t row = 1;
  for (const ReportSource& s : report.sources) {
    for (const ReportCheck& c : s.checks) {
      const CheckResult& r = c.result;
      for (const Breakdown& b : r.breakdowns) {
        for (size_t i = 0; i < b.units.size(); ++i) {
          const UnitFigures& u = b.units[i];
          sheet.Text(row, 0, s.department);
          sheet.Text(row, 1, s.source);
          sheet.Text(row, 2, r.id);
          sheet.Text(row, 3, Label(catalog, r.outcome));
          sheet.Text(row, 4, b.by);
          sheet.Integer(row, 5, static_cast<int64_t>(i + 1));
          sheet.Text(row, 6, u.unit);
          sheet.Integer(row, 7, u.violations);
          sheet.Integer(row, 8, u.rows_checked);
          sheet.Number(row, 9, u.percent / 100, book.formats().percent);
          if (!u.label.empty()) sheet.Text(row, 10, u.label);
          ++row;
        }
      }
    }
  }
  sheet.OutcomeColumn(3);
  sheet.Finish(row - 1);
}

void PeriodSummarySheet(Workbook& book, const PeriodReport& report, const i18n::Catalog& catalog) {
  Sheet sheet(book, SheetTitle(catalog, "summary"), catalog);
  sheet.Title(0, PeriodTitle(catalog, report.period));
  sheet.Note(
      1, catalog.Format("report.generated_at",
                        {{"time", LocalTimeText(catalog, report.generated_unix_ms, report.issuer)}}));
  sheet.Header(3, Headers(catalog, {"day", "run_id", "status", "validity", "completeness",
                                    "uniqueness", "freshness", "overall", "grade"}));
  lxw_row_t row = 4;
  for (size_t i = 0; i < report.runs.size(); ++i) {
    const RunRecord& run = report.runs[i];
    sheet.Day(row, 0, run.today);
    sheet.Number(row, 1, static_cast<double>(run.id), nullptr);
    sheet.Text(row, 2, RunStatusLabel(catalog, run.status));
    // Every run of the month is a point of the province series (same order).
    const ScoreSet& s = report.province.points[i].scores;
    ScoreColumns(sheet, row, 3, s);
    sheet.Text(row, 8, GradeText(catalog, s.grade));
    ++row;
  }
  const lxw_row_t last = row - 1;
  sheet.Text(row, 0, catalog.Text("report.month_average"), book.formats().header);
  for (size_t d = 0; d < 4; ++d) {
    sheet.Score(row, static_cast<lxw_col_t>(3 + d), report.province.average[d]);
  }
  sheet.Score(row, 7, report.province.average_overall);
  sheet.Text(row, 8, GradeText(catalog, report.province.grade));
  sheet.GradeColumn(8);
  sheet.Finish(last, row);
}

void PeriodDepartmentsSheet(Workbook& book, const PeriodReport& report,
                            const i18n::Catalog& catalog) {
  Sheet sheet(book, SheetTitle(catalog, "departments"), catalog);
  sheet.Header(
      0, Headers(catalog, {"rank", "department", "validity", "completeness", "uniqueness",
                           "freshness", "overall", "grade", "worst_day", "worst_score", "best_day",
                           "best_score", "first_overall", "last_overall", "slope", "runs",
                           "vs_previous"}));
  lxw_row_t row = 1;
  for (const PeriodScores& d : report.departments) {
    sheet.Number(row, 0, d.rank, book.formats().integer);
    sheet.Text(row, 1, d.name);
    for (size_t i = 0; i < 4; ++i) sheet.Score(row, static_cast<lxw_col_t>(2 + i), d.average[i]);
    sheet.Score(row, 6, d.average_overall);
    sheet.Text(row, 7, GradeText(catalog, d.grade));
    if (d.worst_day) {
      sheet.Day(row, 8, d.worst_day->today);
      sheet.Score(row, 9, d.worst_day->scores.overall);
    }
    if (d.best_day) {
      sheet.Day(row, 10, d.best_day->today);
      sheet.Score(row, 11, d.best_day->scores.overall);
    }
    sheet.Score(row, 12, d.first_overall);
    sheet.Score(row, 13, d.last_overall);
    if (d.slope) sheet.Number(row, 14, *d.slope, book.formats().delta);
    sheet.Integer(row, 15, static_cast<int64_t>(d.points.size()));
    // Empty when the previous period of the same kind had no run measuring the department.
    if (d.average_overall && d.previous_overall) {
      sheet.Number(row, 16, *d.average_overall - *d.previous_overall, book.formats().delta);
    }
    ++row;
  }
  sheet.GradeColumn(7);
  sheet.Finish(row - 1);
}

// The columns of a check over the month from `col` on (the Checks sheet puts the department first).
constexpr std::string_view kPeriodCheckColumns[] = {
    "source",  "check_id",        "check_title",    "dimension_label", "severity_label",
    "runs",    "passed",          "warned",         "failed",          "errors",
    "mean_violations", "max_violations", "worst_day", "last_outcome_label", "metrics"};
constexpr lxw_col_t kPeriodCheckOutcome = 13;  // last_outcome_label in kPeriodCheckColumns

void PeriodCheckRow(Sheet& sheet, Workbook& book, lxw_row_t row, lxw_col_t col,
                    const PeriodCheck& c, const i18n::Catalog& catalog) {
  sheet.Text(row, col, c.source);
  sheet.Text(row, col + 1, c.check_id);
  sheet.Text(row, col + 2, CheckTitle(catalog, c.check_id, c.naming));
  sheet.Text(row, col + 3, Label(catalog, c.dimension));
  sheet.Text(row, col + 4, Label(catalog, c.severity));
  sheet.Integer(row, col + 5, c.runs);
  sheet.Integer(row, col + 6, c.passed);
  sheet.Integer(row, col + 7, c.warned);
  sheet.Integer(row, col + 8, c.failed);
  sheet.Integer(row, col + 9, c.errors);
  sheet.Number(row, col + 10, c.mean_violations, book.formats().decimal);
  sheet.Integer(row, col + 11, c.max_violations);
  if (!c.worst_day.empty()) sheet.Day(row, col + 12, c.worst_day);
  sheet.Text(row, col + kPeriodCheckOutcome, Label(catalog, c.last_outcome));
  if (!c.latest_metrics.metrics.empty()) {
    sheet.Text(row, col + kPeriodCheckOutcome + 1, MetricsText(catalog, c.latest_metrics));
  }
}

void PeriodChecksSheet(Workbook& book, const PeriodReport& report, const i18n::Catalog& catalog) {
  Sheet sheet(book, SheetTitle(catalog, "checks"), catalog);
  std::vector<std::string> headers = Headers(catalog, {"department"});
  for (const std::string& h : Headers(catalog, kPeriodCheckColumns)) headers.push_back(h);
  sheet.Header(0, headers);
  lxw_row_t row = 1;
  for (const PeriodCheck& c : report.checks) {
    sheet.Text(row, 0, c.department);
    PeriodCheckRow(sheet, book, row, 1, c, catalog);
    ++row;
  }
  sheet.OutcomeColumn(1 + kPeriodCheckOutcome);
  sheet.Finish(row - 1);
}

// A sheet per department (ranked by the month's average): its figures, then its checks.
void PeriodDepartmentSheets(Workbook& book, const PeriodReport& report,
                            const i18n::Catalog& catalog) {
  for (const PeriodScores& d : report.departments) {
    Sheet sheet(book, d.name, catalog);
    const std::array<std::optional<double>, 5> scores = {
        d.average[0], d.average[1], d.average[2], d.average[3], d.average_overall};
    lxw_row_t row = DepartmentHead(sheet, book, catalog, d.name, d.rank, scores, d.grade,
                                   kPeriodCheckColumns);
    for (const PeriodCheck& c : report.checks) {
      if (c.department == d.name) PeriodCheckRow(sheet, book, row++, 0, c, catalog);
    }
    sheet.OutcomeColumn(kPeriodCheckOutcome);
    sheet.Finish(row - 1);
  }
}

// One indicator row of the "Indicators" sheet; period rows add the runs that met the target and
// the mean value.
struct IndicatorLine {
  const std::string& department;
  const std::string& source;
  const std::string& check_id;
  const CheckNaming& check;
  const Indicator& indicator;
  Outcome outcome;
  const std::vector<std::pair<std::string, std::string>>& texts;  // IndicatorTitle's
  const PeriodIndicator* period = nullptr;
};

// The "Indicators" sheet (docs/reports.md), only when the report has indicators.
void IndicatorsSheet(Workbook& book, const std::vector<IndicatorLine>& lines,
                     const i18n::Catalog& catalog, bool period) {
  if (lines.empty()) return;
  Sheet sheet(book, SheetTitle(catalog, "indicators"), catalog);
  std::vector<std::string_view> columns = {
      "department",      "source",      "check_id",  "indicator_id", "indicator_title",
      "indicator_value", "target",      "direction_label", "numerator", "denominator",
      "outcome_label"};
  if (period) {
    columns.push_back("indicator_runs");
    columns.push_back("indicator_met");
    columns.push_back("mean_value");
  }
  std::vector<std::string> headers;
  for (std::string_view c : columns) {
    headers.emplace_back(catalog.Text(fmt::format("report.column.{}", c)));
  }
  sheet.Header(0, headers);
  lxw_row_t row = 1;
  for (const IndicatorLine& l : lines) {
    const Indicator& i = l.indicator;
    sheet.Text(row, 0, l.department);
    sheet.Text(row, 1, l.source);
    sheet.Text(row, 2, l.check_id);
    sheet.Text(row, 3, i.id);
    sheet.Text(row, 4, IndicatorTitle(catalog, i, l.check_id, l.check, l.texts));
    if (i.value) sheet.Number(row, 5, *i.value / 100, book.formats().percent);
    if (i.target) sheet.Number(row, 6, *i.target / 100, book.formats().percent);
    sheet.Text(row, 7, Label(catalog, i.direction));
    sheet.Integer(row, 8, i.numerator);
    sheet.Integer(row, 9, i.denominator);
    sheet.Text(row, 10, Label(catalog, l.outcome));
    if (l.period != nullptr) {
      sheet.Integer(row, 11, l.period->runs);
      sheet.Integer(row, 12, l.period->met);
      if (l.period->mean_value) {
        sheet.Number(row, 13, *l.period->mean_value / 100, book.formats().percent);
      }
    }
    ++row;
  }
  sheet.OutcomeColumn(10);
  sheet.Finish(row - 1);
}

}  // namespace

Status WriteRunReportXlsx(const RunReport& report, const i18n::Catalog& catalog,
                          const std::string& path, const std::string& shown_as) {
  const std::string& name = shown_as.empty() ? path : shown_as;
  if (const std::string& error = LibXlsx().error(); !error.empty()) {
    return IoError(fmt::format("cannot write {}: {}", name, error));
  }
  Workbook book(path, catalog, RunTitle(catalog, report.run), report.generated_unix_ms);
  if (!book.ok()) return IoError(fmt::format("cannot create {}", name));
  FirstScreenSheet(book, catalog, RunTitle(catalog, report.run), RunPeriodText(catalog, report.run),
                   report.issuer, report.run.started_unix_ms, report.generated_unix_ms,
                   FindKeyFindings(report), report.grades);
  RunSummarySheet(book, report, catalog);
  RunChecksSheet(book, report, catalog);
  RunSamplesSheet(book, report, catalog);
  std::vector<IndicatorLine> lines;
  for (const ReportIndicator& i : report.indicators) {
    lines.push_back(
        {i.department, i.source, i.check_id, i.check, i.indicator, i.outcome, i.texts});
  }
  IndicatorsSheet(book, lines, catalog, false);
  RunUnitsSheet(book, report, catalog);
  RunDepartmentSheets(book, report, catalog);
  return book.Close(name);
}

Status WritePeriodReportXlsx(const PeriodReport& report, const i18n::Catalog& catalog,
                             const std::string& path, const std::string& shown_as) {
  const std::string& name = shown_as.empty() ? path : shown_as;
  if (const std::string& error = LibXlsx().error(); !error.empty()) {
    return IoError(fmt::format("cannot write {}: {}", name, error));
  }
  Workbook book(path, catalog, PeriodTitle(catalog, report.period), report.generated_unix_ms);
  if (!book.ok()) return IoError(fmt::format("cannot create {}", name));
  FirstScreenSheet(book, catalog, PeriodTitle(catalog, report.period),
                   MonthPeriodText(catalog, report.period), report.issuer,
                   report.runs.empty() ? report.generated_unix_ms : report.runs.front().started_unix_ms,
                   report.generated_unix_ms, FindKeyFindings(report), report.grades);
  PeriodSummarySheet(book, report, catalog);
  PeriodDepartmentsSheet(book, report, catalog);
  PeriodChecksSheet(book, report, catalog);
  std::vector<IndicatorLine> lines;
  for (const PeriodIndicator& p : report.indicators) {
    lines.push_back(
        {p.department, p.source, p.check_id, p.check, p.last, p.last_outcome, p.texts, &p});
  }
  IndicatorsSheet(book, lines, catalog, true);
  PeriodDepartmentSheets(book, report, catalog);
  return book.Close(name);
}

}  // namespace dqa::reports
