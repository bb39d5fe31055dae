#include "core/util/csv_writer.h"

#include <fmt/format.h>

#include "core/util/dates.h"

namespace dqa {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// `number` (as fmt prints it, with '.') with the style's decimal mark.
std::string WithDecimalMark(std::string number, CsvStyle style) {
  if (style == CsvStyle::kExcelVi) {
    for (char& c : number) {
      if (c == '.') c = ',';
    }
  }
  return number;
}

// "-12", "0", "0.953", "1.000": what Value() writes as a number. A leading zero before another
// digit makes an identifier (a CCCD, a phone number), which must keep its zeros as text.
bool IsPlainNumber(std::string_view text) {
  size_t i = text.starts_with('-') ? 1 : 0;
  const size_t int_start = i;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
  const size_t int_digits = i - int_start;
  if (int_digits == 0 || (int_digits > 1 && text[int_start] == '0')) return false;
  if (i == text.size()) return true;
  if (text[i] != '.') return false;
  const size_t frac_start = ++i;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
  return i == text.size() && i > frac_start;
}

}  // namespace

Result<CsvStyle> ParseCsvStyle(std::string_view name) {
  if (name == "rfc4180") return CsvStyle::kRfc4180;
  if (name == "excel-vi") return CsvStyle::kExcelVi;
  return InvalidArgument(
      fmt::format("unknown CSV style '{}': expected excel-vi or rfc4180", name));
}

std::string_view ToString(CsvStyle style) {
  return style == CsvStyle::kExcelVi ? "excel-vi" : "rfc4180";
}

CsvStyle DefaultCsvStyle(std::string_view language_code) {
  return language_code == "vi" ? CsvStyle::kExcelVi : CsvStyle::kRfc4180;
}

CsvWriter::CsvWriter(CsvStyle style)
    : style_(style), separator_(style == CsvStyle::kExcelVi ? ';' : ','), out_(kBom) {}

void CsvWriter::Field(std::string_view encoded) {
  if (row_started_) out_ += separator_;
  out_.append(encoded);
  row_started_ = true;
}

CsvWriter& CsvWriter::Text(std::string_view text) {
  std::string value;
  value.reserve(text.size() + 1);
  if (!text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos) {
    value.push_back('\'');
  }
  value.append(text);
  const char specials[] = {separator_, '"', '\r', '\n', '\0'};
  if (value.find_first_of(specials) == std::string::npos) {
    Field(value);
    return *this;
  }
  std::string quoted = "\"";
  for (char c : value) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  Field(quoted);
  return *this;
}

CsvWriter& CsvWriter::Value(std::string_view text) {
  if (!IsPlainNumber(text)) return Text(text);
  Field(WithDecimalMark(std::string(text), style_));
  return *this;
}

CsvWriter& CsvWriter::Int(int64_t v) {
  Field(std::to_string(v));
  return *this;
}

CsvWriter& CsvWriter::Num(double v) {
  Field(WithDecimalMark(fmt::format("{}", v), style_));
  return *this;
}

CsvWriter& CsvWriter::Fixed(double v, int decimals) {
  Field(Decimal(v, decimals));
  return *this;
}

std::string CsvWriter::Decimal(double v, int decimals) const {
  return WithDecimalMark(fmt::format("{:.{}f}", v, decimals), style_);
}

CsvWriter& CsvWriter::Day(int64_t day) {
  if (style_ == CsvStyle::kRfc4180) {
    Field(FormatDay(day));
  } else {
    const CivilDate d = CivilFromDays(day);
    Field(fmt::format("{:02}/{:02}/{:04}", d.day, d.month, d.year));
  }
  return *this;
}

CsvWriter& CsvWriter::IsoDay(std::string_view iso) {
  const std::optional<int64_t> day = ParseIsoDay(iso);
  return day ? Day(*day) : Text(iso);
}

CsvWriter& CsvWriter::Empty() {
  Field("");
  return *this;
}

void CsvWriter::EndRow() {
  out_ += "\r\n";
  row_started_ = false;
}

}  // namespace dqa
