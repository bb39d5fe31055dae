// duplicate: rows that repeat the values of an earlier row in the key columns. Rows are counted in
// the fused scan; violations and groups come from one grouping query per key-column set.
#include <fmt/format.h>

#include <map>

#include "core/checks/check_support.h"
#include "core/util/text.h"

namespace dqa {
namespace {

// Counts rows whose key columns are all non-NULL during the scan; violations and groups come from
// the grouping query (RunDuplicateGrouping) through SetGrouping.
class DuplicateEvaluator : public RowEvaluator {
 public:
  DuplicateEvaluator(const CheckSpec& spec, const CheckContext& context)
      : RowEvaluator(spec, context) {}
  void SetGrouping(int64_t violations, int64_t groups) {
    violations_ = violations;
    groups_ = groups;
  }
  void SetSamples(std::vector<std::vector<std::string>> samples) { samples_ = std::move(samples); }

 protected:
  void ObserveInScope(const ScanRow& row) override {
    for (size_t i = 0; i < spec_.columns.size(); ++i) {
      if (Cell(row, i).is_null()) return;
    }
    ++rows_checked_;
  }
  std::string Complete(CheckResult& result) override {
    result.groups = groups_;
    return fmt::format("{} duplicate an earlier row on ({}), in {} groups of equal values",
                       CountText(result.violations, result.rows_checked, "rows"),
                       JoinColumns(spec_.columns), groups_);
  }

 private:
  int64_t groups_ = 0;
};


std::string Conjunction(const std::vector<std::string>& terms) {
  std::string out;
  for (const std::string& t : terms) {
    if (t.empty()) continue;
    if (!out.empty()) out += " AND ";
    out += "(" + t + ")";
  }
  return out.empty() ? "1" : out;
}

Result<std::vector<std::vector<std::string>>> FetchSamples(SqliteDb& db, const std::string& from,
                                                           const std::string& scope,
                                                           const std::string& cols,
                                                           const std::vector<std::string>& key_sql,
                                                           int samples) {
  const std::string keys = fmt::format("{}", fmt::join(key_sql, ", "));
  const std::string sql = fmt::format(
      "SELECT {0} FROM {1} WHERE {2} AND ({3}) IN (SELECT {3} FROM {1} WHERE {2} GROUP BY {3} "
      "HAVING count(*) > 1) ORDER BY {3}, {0} LIMIT {4}",
      keys, from, scope, cols, samples);
  DQA_ASSIGN_OR_RETURN(Statement stmt, db.Prepare(sql));
  std::vector<std::vector<std::string>> out;
  while (true) {
    DQA_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) break;
    std::vector<std::string> key;
    for (int i = 0; i < stmt.ColumnCount(); ++i) {
      // Text is read as a view and truncated, never copied whole.
      const int type = stmt.ColumnType(i);
      key.push_back(type == SQLITE_TEXT || type == SQLITE_BLOB
                        ? TruncateForDisplay(stmt.ColumnText(i))
                        : stmt.ColumnDisplay(i));
    }
    out.push_back(std::move(key));
  }
  return out;
}

// For every distinct key-column set among `checks` runs ONE grouping query over the table's rows
// in scope with all key columns non-NULL, and sets each check's violations (rows beyond the first
// of each group) and groups; a second query fetches samples (key tuples `key_sql` of the rows of
// duplicated groups, ordered by the duplicate columns then the key) only for checks with
// violations. A SQL error becomes the error of the checks of that query.
void RunDuplicateGrouping(SqliteDb& db, const std::string& table, const std::string& filter,
                          const std::vector<std::string>& key_sql,
                          const std::vector<DuplicateEvaluator*>& checks, int samples) {
  std::map<std::vector<std::string>, std::vector<DuplicateEvaluator*>> by_columns;
  for (DuplicateEvaluator* c : checks) {
    if (!c->has_error()) by_columns[c->spec().columns].push_back(c);
  }
  const std::string from = "main." + QuoteIdent(table);
  for (const auto& [columns, group] : by_columns) {
    std::vector<std::string> quoted, not_null;
    for (const std::string& c : columns) {
      quoted.push_back(QuoteIdent(c));
      not_null.push_back(QuoteIdent(c) + " IS NOT NULL");
    }
    const std::string cols = fmt::format("{}", fmt::join(quoted, ", "));
    not_null.insert(not_null.begin(), filter);
    // Inner: per group of equal keys, the rows in scope of each check (its `where` as a count).
    // Outer: rows beyond the first and groups with more than one row, per check.
    std::vector<std::string> inner, outer;
    for (size_t i = 0; i < group.size(); ++i) {
      const std::string& where = group[i]->spec().where;
      inner.push_back(where.empty()
                          ? fmt::format("count(*) AS n{}", i)
                          : fmt::format("sum(CASE WHEN ({}) THEN 1 ELSE 0 END) AS n{}", where, i));
      outer.push_back(
          fmt::format("sum(CASE WHEN n{0} > 1 THEN n{0} - 1 ELSE 0 END), "
                      "sum(CASE WHEN n{0} > 1 THEN 1 ELSE 0 END)",
                      i));
    }
    const std::string sql = fmt::format(
        "SELECT {} FROM (SELECT {} FROM {} WHERE {} GROUP BY {} HAVING count(*) > 1)",
        fmt::join(outer, ", "), fmt::join(inner, ", "), from, Conjunction(not_null), cols);
    // Per step: the first step groups the whole table, within one statement budget.
    auto stmt = db.Prepare(sql, StepBudget::kPerStep);
    Result<bool> has_row = stmt.ok() ? stmt->Step() : Result<bool>(stmt.status());
    if (!has_row.ok()) {
      for (DuplicateEvaluator* c : group) c->SetError(has_row.status().message());
      continue;
    }
    std::vector<int64_t> violations(group.size(), 0);
    for (size_t i = 0; i < group.size(); ++i) {
      const int col = static_cast<int>(2 * i);
      // sum() over no groups is NULL, which ColumnInt reads as 0.
      violations[i] = *has_row ? stmt->ColumnInt(col) : 0;
      group[i]->SetGrouping(violations[i], *has_row ? stmt->ColumnInt(col + 1) : 0);
    }
    for (size_t i = 0; i < group.size(); ++i) {
      DuplicateEvaluator* c = group[i];
      if (violations[i] == 0 || samples <= 0) continue;
      std::vector<std::string> terms = not_null;
      terms.push_back(c->spec().where);
      auto fetched = FetchSamples(db, from, Conjunction(terms), cols, key_sql, samples);
      if (!fetched.ok()) {
        c->SetError(fetched.status().message());
      } else {
        c->SetSamples(std::move(fetched).value());
      }
    }
  }
}

class DuplicateType : public CheckType {
 public:
  DuplicateType()
      : CheckType({
            .name = "duplicate",
            .summary = "Rows repeat an earlier row's values in the key columns.",
            .dimension = Dimension::kUniqueness,
            .shape = CheckShape::kGrouped,
            .params = {{.name = "columns", .type = ParamType::kColumns, .required = true,
                        .description = "the columns whose values together must be unique"}},
        }) {}

  Result<std::unique_ptr<RowEvaluator>> MakeEvaluator(const CheckSpec& spec,
                                                      const CheckContext& context) const override {
    return std::unique_ptr<RowEvaluator>(std::make_unique<DuplicateEvaluator>(spec, context));
  }
  void RunGrouping(SqliteDb& db, const GroupingScope& scope,
                   const std::vector<RowEvaluator*>& evaluators) const override {
    std::vector<DuplicateEvaluator*> checks;
    for (RowEvaluator* e : evaluators) checks.push_back(static_cast<DuplicateEvaluator*>(e));
    RunDuplicateGrouping(db, scope.table, scope.filter, scope.key_sql, checks, scope.samples);
  }
};

}  // namespace

std::unique_ptr<CheckType> DuplicateCheckType() { return std::make_unique<DuplicateType>(); }

}  // namespace dqa
