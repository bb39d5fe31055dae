#include "reports/report_writer.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>

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

// Writes a file through a temporary name in the same folder and renames it into place, so a
// reader (a web server, a mail job) never sees half a report and a failed write leaves the old one.
Status WriteAtomically(const std::string& path,
                       const std::function<Status(const std::string&)>& write) {
  const std::string tmp = fmt::format("{}.tmp-{}", path, getpid());
  Status status = write(tmp);
  if (status.ok()) {
    std::error_code ec;
    fs::rename(tmp, path, ec);
    if (ec) status = IoError(fmt::format("cannot write {}: {}", path, ec.message()));
  }
  if (!status.ok()) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
  }
  return status;
}

Status WriteText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return IoError(fmt::format("cannot write {}: {}", path, std::strerror(errno)));
  out << text;
  out.close();
  if (!out) return IoError(fmt::format("cannot write {}: {}", path, std::strerror(errno)));
  return Status::Ok();
}

// Renders `report` in a text format or writes the workbook, into `path`.
template <typename Report>
Result<std::string> Write(const Report& report, ReportFormat format, const Catalog& catalog,
                          const std::string& out_dir, const std::string& stem) {
  DQA_RETURN_IF_ERROR(MakeDir(out_dir));
  const std::string path =
      (fs::path(out_dir) /
       fmt::format("{}-{}.{}", stem, ToString(catalog.language()), Extension(format)))
          .string();
  constexpr bool kRun = std::is_same_v<Report, RunReport>;
  Status status = WriteAtomically(path, [&](const std::string& tmp) -> Status {
    switch (format) {
      case ReportFormat::kHtml:
        if constexpr (kRun) {
          return WriteText(tmp, RenderRunReportHtml(report, catalog));
        } else {
          return WriteText(tmp, RenderPeriodReportHtml(report, catalog));
        }
      case ReportFormat::kJson:
        if constexpr (kRun) {
          return WriteText(tmp, RenderRunReportJson(report, catalog));
        } else {
          return WriteText(tmp, RenderPeriodReportJson(report, catalog));
        }
      case ReportFormat::kCsv:
        if constexpr (kRun) {
          return WriteText(tmp, RenderRunReportCsv(report, catalog));
        } else {
          return WriteText(tmp, RenderPeriodReportCsv(report, catalog));
        }
      case ReportFormat::kXlsx:
        if constexpr (kRun) {
          return WriteRunReportXlsx(report, catalog, tmp);
        } else {
          return WritePeriodReportXlsx(report, catalog, tmp);
        }
    }
    return Internal("unknown report format");
  });
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

Result<std::string> WriteRunReport(const RunReport& report, ReportFormat format,
                                   const Catalog& catalog, const std::string& out_dir) {
  return Write(report, format, catalog, out_dir, fmt::format("dqaudit-run-{}", report.run.id));
}

Result<std::string> WritePeriodReport(const PeriodReport& report, ReportFormat format,
                                      const Catalog& catalog, const std::string& out_dir) {
  return Write(report, format, catalog, out_dir, fmt::format("dqaudit-{}", report.period));
}

}  // namespace dqa::reports
