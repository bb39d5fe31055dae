#include "reports/failing_lists.h"

#include <fmt/format.h>

#include <filesystem>

#include "core/util/atomic_file.h"

namespace dqa::reports {

std::string FailingCsvName(int64_t run_id, const std::string& source,
                           const std::string& check_id) {
  // Only letters, digits, '.', '-' and '_' in a file name: a check id's ':' and ',' are not
  // allowed on the Windows machines the folder is copied to.
  std::string name = fmt::format("failing-run-{}-{}-{}", run_id, source, check_id);
  for (char& ch : name) {
    const bool plain = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                       (ch >= '0' && ch <= '9') || ch == '.' || ch == '-' || ch == '_';
    if (!plain) ch = '_';
  }
  return name + ".csv";
}

std::string RenderFailingCsv(const FailingRowList& list, CsvStyle style) {
  CsvWriter writer(style);
  for (const std::string& column : list.columns) writer.Text(column);
  writer.EndRow();
  for (const std::vector<std::string>& row : list.rows) {
    for (const std::string& v : row) writer.Value(v);
    writer.EndRow();
  }
  return writer.str();
}

Result<std::vector<std::string>> WriteFailingLists(HistoryStore& store, RunReport& report,
                                                   const std::string& out_dir, CsvStyle style,
                                                   const InputFiles& inputs) {
  struct Pending {
    ReportCheck* check;
    std::string path;
    FailingRowList list;
  };
  std::vector<Pending> pending;
  for (ReportSource& source : report.sources) {
    for (ReportCheck& check : source.checks) {
      const CheckResult& r = check.result;
      if (r.outcome == Outcome::kPass || r.outcome == Outcome::kError || r.violations == 0) {
        continue;
      }
      DQA_ASSIGN_OR_RETURN(FailingRowList list,
                           store.FailingRows(report.run.id, r.id, source.source));
      if (!list.complete_list || list.rows.empty()) continue;
      const std::string name = FailingCsvName(report.run.id, source.source, r.id);
      std::string path = (std::filesystem::path(out_dir) / name).string();
      DQA_RETURN_IF_ERROR(inputs.CheckOutput("--out", path));
      pending.push_back({&check, std::move(path), std::move(list)});
    }
  }
  std::vector<std::string> written;
  if (pending.empty()) return written;
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) return IoError(fmt::format("cannot create {}: {}", out_dir, ec.message()));
  for (Pending& p : pending) {
    DQA_RETURN_IF_ERROR(WriteFileAtomically(p.path, RenderFailingCsv(p.list, style)));
    p.check->failing_csv = std::filesystem::path(p.path).filename().string();
    p.check->failing_listed = static_cast<int64_t>(p.list.rows.size());
    p.check->failing_total = p.list.total;
    written.push_back(p.path);
  }
  return written;
}

}  // namespace dqa::reports
