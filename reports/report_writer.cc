#include "reports/report_writer.h"

#include <fmt/format.h>

#include <filesystem>
#include <memory>

#include "core/util/atomic_file.h"
#include "reports/csv/csv_report.h"
#include "reports/html/html_report.h"
#include "reports/json/json_report.h"
#include "reports/xlsx/xlsx_report.h"

namespace dqa::reports {
namespace {

namespace fs = std::filesystem;

Status MakeDir(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return IoError(fmt::format("cannot create {}: {}", dir, ec.message()));
  return Status::Ok();
}

// One name per format for both kinds of report, so Write() is written once.
std::string Html(const RunReport& r, const i18n::Catalog& c) { return RenderRunReportHtml(r, c); }
std::string Html(const PeriodReport& r, const i18n::Catalog& c) {
  return RenderPeriodReportHtml(r, c);
}
std::string Json(const RunReport& r, const i18n::Catalog& c) { return RenderRunReportJson(r, c); }
std::string Json(const PeriodReport& r, const i18n::Catalog& c) {
  return RenderPeriodReportJson(r, c);
}
std::string Csv(const RunReport& r, const i18n::Catalog& c, std::optional<CsvStyle> style) {
  return RenderRunReportCsv(r, c, style);
}
std::string Csv(const PeriodReport& r, const i18n::Catalog& c, std::optional<CsvStyle> style) {
  return RenderPeriodReportCsv(r, c, style);
}
Status Xlsx(const RunReport& r, const i18n::Catalog& c, const std::string& path,
            const std::string& shown_as) {
  return WriteRunReportXlsx(r, c, path, shown_as);
}
Status Xlsx(const PeriodReport& r, const i18n::Catalog& c, const std::string& path,
            const std::string& shown_as) {
  return WritePeriodReportXlsx(r, c, path, shown_as);
}

std::string PathOf(const std::string& out_dir, const std::string& stem, ReportFormat format,
                   i18n::Language language) {
  return (fs::path(out_dir) / fmt::format("{}-{}.{}", stem, ToString(language), Extension(format)))
      .string();
}

// Renders `report` in a text format or writes the workbook, into `path`.
template <typename Report>
Result<std::string> Write(const Report& report, ReportFormat format, const i18n::Catalog& catalog,
                          const std::string& out_dir, const std::string& stem,
                          std::optional<CsvStyle> csv_style) {
  DQA_RETURN_IF_ERROR(MakeDir(out_dir));
  const std::string path = PathOf(out_dir, stem, format, catalog.language());
  // Every format goes through a temporary beside the target (AtomicFile), so a reader (a web
  // server, a mail job) never sees half a report and a failed write leaves the old one.
  Status status;
  switch (format) {
    case ReportFormat::kHtml:
      status = WriteFileAtomically(path, Html(report, catalog));
      break;
    case ReportFormat::kJson:
      status = WriteFileAtomically(path, Json(report, catalog));
      break;
    case ReportFormat::kCsv:
      status = WriteFileAtomically(path, Csv(report, catalog, csv_style));
      break;
    case ReportFormat::kXlsx: {
      // libxlsxwriter writes by path: into the temporary, committed once the workbook is closed.
      DQA_ASSIGN_OR_RETURN(std::unique_ptr<AtomicFile> file, AtomicFile::Create(path));
      status = Xlsx(report, catalog, file->temp_path(), path);
      if (status.ok()) status = file->Commit();
      break;
    }
  }
  DQA_RETURN_IF_ERROR(status);
  return path;
}

}  // namespace

Result<ReportFormat> ParseReportFormat(std::string_view name) {
  if (name == "html") return ReportFormat::kHtml;
  if (name == "json") return ReportFormat::kJson;
  if (name == "csv") return ReportFormat::kCsv;
  if (name == "xlsx") return ReportFormat::kXlsx;
  return InvalidArgument(
      fmt::format("unknown report format '{}': expected html, json, csv or xlsx", name));
}

std::string_view Extension(ReportFormat format) {
  switch (format) {
    case ReportFormat::kHtml:
      return "html";
    case ReportFormat::kJson:
      return "json";
    case ReportFormat::kCsv:
      return "csv";
    case ReportFormat::kXlsx:
      return "xlsx";
  }
  return "";
}

std::string RunReportPath(int64_t run_id, ReportFormat format, i18n::Language language,
                          const std::string& out_dir) {
  return PathOf(out_dir, fmt::format("dqaudit-run-{}", run_id), format, language);
}

std::string PeriodReportPath(const std::string& period, ReportFormat format,
                             i18n::Language language, const std::string& out_dir) {
  return PathOf(out_dir, fmt::format("dqaudit-{}", period), format, language);
}

Result<std::string> WriteRunReport(const RunReport& report, ReportFormat format,
                                   const i18n::Catalog& catalog, const std::string& out_dir,
                                   std::optional<CsvStyle> csv_style) {
  return Write(report, format, catalog, out_dir, fmt::format("dqaudit-run-{}", report.run.id),
               csv_style);
}

Result<std::string> WritePeriodReport(const PeriodReport& report, ReportFormat format,
                                      const i18n::Catalog& catalog, const std::string& out_dir,
                                      std::optional<CsvStyle> csv_style) {
  return Write(report, format, catalog, out_dir, fmt::format("dqaudit-{}", report.period),
               csv_style);
}

}  // namespace dqa::reports
