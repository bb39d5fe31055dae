#include "reports/html/html_report.h"

#include <optional>
#include <string>
#include <string_view>

namespace dqa::reports {
namespace {

// Text for HTML element content and attribute values: every markup character escaped.
std::string Escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string ScoreText(const std::optional<double>& score, const Catalog& catalog) {
  return score ? catalog.Number(*score, 1) : std::string(catalog.Text("not_measured"));
}

std::string GradeText(const std::optional<Grade>& grade, const Catalog& catalog) {
  if (!grade) return std::string(catalog.Text("not_measured"));
  return std::string(catalog.Text("grade." + std::string(ToString(*grade))));
}

std::string Document(std::string_view title, const std::string& body, const Catalog& catalog) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"";
  out += ToString(catalog.language());
  out += "\">\n<head>\n<meta charset=\"utf-8\">\n<title>";
  out += Escape(title);
  out += "</title>\n</head>\n<body>\n<h1>";
  out += Escape(title);
  out += "</h1>\n";
  out += body;
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace

std::string RenderRunReportHtml(const RunReport& report, const Catalog& catalog) {
  const std::string title =
      catalog.Format("html.run_title", {{"run", catalog.Integer(report.run.id)}});
  std::string body = "<p>" + Escape(catalog.Text("html.province")) + ": " +
                     ScoreText(report.province.overall, catalog) + " (" +
                     Escape(GradeText(report.province.grade, catalog)) + ")</p>\n";
  body += "<h2>" + Escape(catalog.Text("html.departments")) + "</h2>\n<table>\n";
  for (const ReportDepartment& d : report.departments) {
    body += "<tr><td>" + catalog.Integer(d.rank) + "</td><td>" + Escape(d.department) +
            "</td><td>" + ScoreText(d.scores.overall, catalog) + "</td><td>" +
            Escape(GradeText(d.scores.grade, catalog)) + "</td></tr>\n";
  }
  body += "</table>\n";
  return Document(title, body, catalog);
}

std::string RenderPeriodReportHtml(const PeriodReport& report, const Catalog& catalog) {
  const std::string title = catalog.Format("html.period_title", {{"period", report.period}});
  std::string body = "<p>" + Escape(catalog.Text("html.province")) + ": " +
                     ScoreText(report.province.average_overall, catalog) + "</p>\n<table>\n";
  for (const PeriodScores& d : report.departments) {
    body += "<tr><td>" + catalog.Integer(d.rank) + "</td><td>" + Escape(d.name) + "</td><td>" +
            ScoreText(d.average_overall, catalog) + "</td><td>" +
            Escape(GradeText(d.grade, catalog)) + "</td></tr>\n";
  }
  body += "</table>\n";
  return Document(title, body, catalog);
}

}  // namespace dqa::reports
