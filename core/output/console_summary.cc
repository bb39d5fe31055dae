#include "core/output/console_summary.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <string_view>

namespace dqa {
namespace {

constexpr std::string_view kReset = "\033[0m";

std::string_view Label(Outcome o) {
  switch (o) {
    case Outcome::kPass:
      return "PASS";
    case Outcome::kWarn:
      return "WARN";
    case Outcome::kFail:
      return "FAIL";
    case Outcome::kError:
      return "ERROR";
  }
  return "ERROR";
}

std::string_view Color(Outcome o) {
  switch (o) {
    case Outcome::kPass:
      return "\033[32m";  // green
    case Outcome::kWarn:
      return "\033[33m";  // yellow
    case Outcome::kFail:
      return "\033[31m";  // red
    case Outcome::kError:
      return "\033[1;35m";  // bold magenta
  }
  return "";
}

// The label padded to 5 columns; colour codes do not count towards the width.
std::string OutcomeCell(Outcome o, bool color) {
  std::string padded = fmt::format("{:<5}", Label(o));
  if (!color) return padded;
  return fmt::format("{}{}{}{}", Color(o), Label(o), kReset,
                     std::string(padded.size() - Label(o).size(), ' '));
}

std::string Plural(int64_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

}  // namespace

OutcomeTotals CountOutcomes(const SourceResult& s) {
  OutcomeTotals t;
  t.sources = 1;
  if (!s.error.empty()) ++t.source_errors;
  for (const CheckResult& r : s.results) {
    ++t.checks;
    switch (r.outcome) {
      case Outcome::kPass:
        ++t.pass;
        break;
      case Outcome::kWarn:
        ++t.warn;
        break;
      case Outcome::kFail:
        ++t.fail;
        break;
      case Outcome::kError:
        ++t.error;
        break;
    }
  }
  return t;
}

OutcomeTotals CountOutcomes(const std::vector<SourceResult>& sources) {
  OutcomeTotals t;
  for (const SourceResult& s : sources) {
    const OutcomeTotals one = CountOutcomes(s);
    t.sources += one.sources;
    t.source_errors += one.source_errors;
    t.checks += one.checks;
    t.pass += one.pass;
    t.warn += one.warn;
    t.fail += one.fail;
    t.error += one.error;
  }
  return t;
}

void WriteConsoleSummary(std::ostream& out, const std::vector<SourceResult>& sources,
                         const ConsoleOptions& options) {
  for (const SourceResult& s : sources) {
    out << fmt::format("{}: {} ({})\n", s.department, s.source, s.database);
    if (!s.error.empty()) {
      out << fmt::format("  {} source could not be scanned: {}\n",
                         OutcomeCell(Outcome::kError, options.color), s.error);
    }
    size_t id_width = 0;
    size_t violations_width = 1;
    std::vector<std::string> tables;
    for (const CheckResult& r : s.results) {
      id_width = std::max(id_width, r.id.size());
      violations_width = std::max(violations_width, std::to_string(r.violations).size());
      if (std::find(tables.begin(), tables.end(), r.table) == tables.end())
        tables.push_back(r.table);
    }
    for (const std::string& table : tables) {
      out << fmt::format("  {}\n", table.empty() ? "(no table)" : table);
      for (const CheckResult& r : s.results) {
        if (r.table != table) continue;
        std::string line =
            fmt::format("    {}  {:<{}}  {:>{}}  {:>7.2f}%", OutcomeCell(r.outcome, options.color),
                        r.id, id_width, r.violations, violations_width, r.percent);
        if (!r.message.empty()) line += "  " + r.message;
        out << line << '\n';
        // Plugin metrics (e.g. cashless_coverage_percent), shortest exact form of each value.
        if (!r.metrics.empty()) {
          std::vector<std::string> metrics;
          for (const auto& [name, value] : r.metrics) {
            metrics.push_back(fmt::format("{}={}", name, value));
          }
          out << fmt::format("          metrics: {}\n", fmt::join(metrics, ", "));
        }
        // Indicators with their target and judgement (docs/checks.md "Indicators").
        if (!r.indicators.empty()) {
          std::vector<std::string> indicators;
          for (const Indicator& i : r.indicators) {
            std::string text = i.id + "=" + (i.value ? fmt::format("{:.2f}", *i.value) : "none");
            if (i.target) {
              const char* op = i.direction == Direction::kHigher ? ">=" : "<=";
              text += fmt::format(" (target {} {}: {})", op, *i.target, ToString(i.Judge()));
            }
            indicators.push_back(std::move(text));
          }
          out << fmt::format("          indicators: {}\n", fmt::join(indicators, ", "));
        }
      }
    }
  }
  const OutcomeTotals t = CountOutcomes(sources);
  out << fmt::format("Totals: {} ({}), {}: {} pass, {} warn, {} fail, {} error\n",
                     Plural(t.sources, "source", "sources"),
                     Plural(t.source_errors, "error", "errors"),
                     Plural(t.checks, "check", "checks"), t.pass, t.warn, t.fail, t.error);
}

bool ColorWanted(int fd) { return isatty(fd) == 1 && std::getenv("NO_COLOR") == nullptr; }

}  // namespace dqa
