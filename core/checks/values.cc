// Value-set checks: pattern, allowed, reference, coverage.
#include <fmt/format.h>

#include "core/checks/row_checks.h"
#include "core/sources/sqlite_db.h"
#include "core/util/text.h"

namespace dqa {

namespace {

RE2::Options PatternOptions() {
  RE2::Options options;
  options.set_log_errors(false);
  return options;
}

// Text form of the current row of `stmt`, column 0 (NULL rows are skipped by the queries).
std::string StatementTextForm(const Statement& stmt) {
  switch (stmt.ColumnType(0)) {
    case SQLITE_INTEGER:
      return IntegerText(stmt.ColumnInt(0));
    case SQLITE_FLOAT:
      return RealText(stmt.ColumnDouble(0));
    case SQLITE_BLOB: {
      const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt.raw(), 0));
      return p == nullptr ? std::string() : std::string(p, sqlite3_column_bytes(stmt.raw(), 0));
    }
    default:
      return std::string(stmt.ColumnText(0));
  }
}

// Streams the text forms of the distinct non-NULL values of schema.table.column, sorted.
Status ForEachDistinct(SqliteDb& db, const std::string& schema, const std::string& table,
                       const std::string& column, const std::function<void(std::string)>& fn) {
  const std::string col = QuoteIdent(column);
  const std::string sql =
      fmt::format("SELECT DISTINCT {0} FROM {1}.{2} WHERE {0} IS NOT NULL ORDER BY 1", col,
                  QuoteIdent(schema.empty() ? "main" : schema), QuoteIdent(table));
  // Streams a whole catalogue column: the budget counts per row, like the table scan.
  DQA_ASSIGN_OR_RETURN(Statement stmt, db.Prepare(sql, StepBudget::kPerStep));
  while (true) {
    DQA_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) break;
    fn(StatementTextForm(stmt));
  }
  return Status::Ok();
}

std::string QualifiedName(const std::string& schema, const std::string& table,
                          const std::string& column) {
  return schema.empty() ? fmt::format("{}.{}", table, column)
                        : fmt::format("{}.{}.{}", schema, table, column);
}

}  // namespace

PatternCheck::PatternCheck(const CheckSpec& spec, const CheckContext& context,
                           const PatternParams& params)
    : RowEvaluator(spec, context), regex_(std::make_unique<RE2>(params.regex, PatternOptions())) {}

Status PatternCheck::status() const {
  if (regex_->ok()) return Status::Ok();
  return InvalidArgument(fmt::format("invalid regex '{}': {}", regex_->pattern(), regex_->error()));
}

void PatternCheck::ObserveInScope(const ScanRow& row) {
  const Value& v = Cell(row);
  if (v.is_null()) return;
  ++rows_checked_;
  const std::string_view text = NfcView(TextForm(v, scratch_), nfc_scratch_);
  if (!RE2::PartialMatch(text, *regex_)) AddViolation(row);
}

std::string PatternCheck::Complete(CheckResult& result) {
  return fmt::format("{} of {} do not match the pattern {}",
                     CountText(result.violations, result.rows_checked, "values"),
                     JoinColumns(spec_.columns), regex_->pattern());
}

AllowedCheck::AllowedCheck(const CheckSpec& spec, const CheckContext& context,
                           const AllowedParams& params)
    : RowEvaluator(spec, context), normalize_(params.normalize) {
  for (const std::string& v : params.values) values_.insert(normalize_ ? ToNfc(v) : v);
}

void AllowedCheck::ObserveInScope(const ScanRow& row) {
  const Value& v = Cell(row);
  if (v.is_null()) return;
  ++rows_checked_;
  std::string_view text = TextForm(v, scratch_);
  if (normalize_) text = NfcView(text, nfc_scratch_);
  if (!values_.contains(text)) AddViolation(row);
}

std::string AllowedCheck::Complete(CheckResult& result) {
  return fmt::format("{} of {} are not among the {} allowed values",
                     CountText(result.violations, result.rows_checked, "values"),
                     JoinColumns(spec_.columns), values_.size());
}

Status ReferenceCheck::Prepare(SqliteDb& db) {
  return ForEachDistinct(db, params_.schema, params_.table, params_.column,
                         [this](std::string v) { values_.insert(std::move(v)); });
}

void ReferenceCheck::ObserveInScope(const ScanRow& row) {
  const Value& v = Cell(row);
  if (v.is_null()) return;
  ++rows_checked_;
  if (!values_.contains(TextForm(v, scratch_))) AddViolation(row);
}

std::string ReferenceCheck::Complete(CheckResult& result) {
  return fmt::format("{} of {} are not found in {} ({} values)",
                     CountText(result.violations, result.rows_checked, "values"),
                     JoinColumns(spec_.columns),
                     QualifiedName(params_.schema, params_.table, params_.column), values_.size());
}

Status CoverageCheck::Prepare(SqliteDb& db) {
  return ForEachDistinct(db, params_.schema, params_.table, params_.column, [this](std::string v) {
    // INTEGER 1 and TEXT '1' are distinct in SQL but have one text form.
    if (counts_.emplace(v, 0).second) expected_.push_back(std::move(v));
  });
}

void CoverageCheck::ObserveInScope(const ScanRow& row) {
  const Value& v = Cell(row);
  if (v.is_null()) return;
  const auto it = counts_.find(TextForm(v, scratch_));
  if (it != counts_.end()) ++it->second;
}

std::string CoverageCheck::Complete(CheckResult& result) {
  result.rows_checked = static_cast<int64_t>(expected_.size());
  result.violations = 0;
  result.samples.clear();
  result.key_columns = {params_.column};
  for (const std::string& v : expected_) {
    if (counts_.find(v)->second >= params_.min_rows) continue;
    ++result.violations;
    if (static_cast<int64_t>(result.samples.size()) < context_.samples) {
      result.samples.push_back({TruncateForDisplay(v)});
    }
  }
  return fmt::format("{} of {} have fewer than {} rows in {}.{}",
                     CountText(result.violations, result.rows_checked, "expected values"),
                     QualifiedName(params_.schema, params_.table, params_.column), params_.min_rows,
                     spec_.table, JoinColumns(spec_.columns));
}

}  // namespace dqa
