// The one CSV writer of dqaudit (reports, schedule.csv, `report --failing`), in the two styles of
// docs/reports.md "CSV": RFC 4180 for programs and English Excel, or the style Excel expects on a
// Vietnamese Windows (list separator ';', decimal comma, dd/mm/yyyy dates).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/util/status.h"

namespace dqa {

enum class CsvStyle {
  kRfc4180,  // ',' separator, '.' decimal point, days YYYY-MM-DD
  kExcelVi,  // ';' separator, ',' decimal comma, days dd/mm/yyyy
};

// "rfc4180" | "excel-vi"; InvalidArgument naming both otherwise.
Result<CsvStyle> ParseCsvStyle(std::string_view name);
std::string_view ToString(CsvStyle style);
// The style a report language gets when none is chosen: "vi" -> kExcelVi, anything else kRfc4180.
CsvStyle DefaultCsvStyle(std::string_view language_code);

// Builds a CSV file row by row. Both styles start with a UTF-8 byte-order mark (Excel reads the
// file as UTF-8 only with it; programs that read CSV skip it) and end rows with CRLF.
class CsvWriter {
 public:
  explicit CsvWriter(CsvStyle style);

  // A text field: quoted (quotes doubled) when it holds the separator, a quote, CR or LF; a text
  // that a spreadsheet would run as a formula (starting with = + - @ tab CR) gets a leading
  // apostrophe first (CSV injection, OWASP). Numbers never go through here.
  CsvWriter& Text(std::string_view text);
  CsvWriter& Int(int64_t v);
  // The shortest text that reads back as the same double, with the style's decimal mark.
  CsvWriter& Num(double v);
  // `v` with exactly `decimals` decimals and the style's decimal mark.
  CsvWriter& Fixed(double v, int decimals);
  // A day (days since 1970-01-01) in the style's date format.
  CsvWriter& Day(int64_t day);
  // An ISO "YYYY-MM-DD" day in the style's date format; other text is written as text.
  CsvWriter& IsoDay(std::string_view iso);
  // A value of unknown type kept as text (a row key, a failing row's figure): a plain decimal
  // number ("-12", "0.953", "1.000"; no leading zero, no exponent, no thousands mark) is written
  // as a number with the style's decimal mark ("1,000" in excel-vi: a Vietnamese Excel reads the
  // text "1.000" as a thousand), digits unchanged; anything else (a CCCD "001089000123" with its
  // leading zeros, a name) as Text().
  CsvWriter& Value(std::string_view text);
  CsvWriter& OptInt(const std::optional<int64_t>& v) { return v ? Int(*v) : Empty(); }
  CsvWriter& OptNum(const std::optional<double>& v) { return v ? Num(*v) : Empty(); }
  CsvWriter& Empty();
  // Ends the current row (CRLF).
  void EndRow();

  // A number with the style's decimal mark, for numbers inside text cells ("12/480 (2,50%)").
  std::string Decimal(double v, int decimals) const;
  CsvStyle style() const { return style_; }
  // The file so far.
  const std::string& str() const { return out_; }

 private:
  void Field(std::string_view encoded);

  CsvStyle style_;
  char separator_;
  bool row_started_ = false;
  std::string out_;
};

}  // namespace dqa
