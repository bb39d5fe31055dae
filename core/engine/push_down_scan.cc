#include "core/engine/push_down_scan.h"

#include <fmt/format.h>

#include <map>
#include <optional>

#include "core/sources/sqlite_db.h"
#include "core/util/activity.h"
#include "dqaudit/text.h"

namespace dqa {
namespace {

// `a AND b`; an empty fragment is TRUE.
SqlFragment And(const SqlFragment& a, const SqlFragment& b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  SqlFragment out;
  out += "(";
  out += a;
  out += ") AND (";
  out += b;
  out += ")";
  return out;
}

// The rows a check looks at: its `where` and its `checked` predicate.
SqlFragment Scope(const PushedCheck& check) {
  SqlFragment where;
  where += check.evaluator->spec().where;
  return And(where, check.sql.checked);
}

// count(*) of the rows where `condition` holds (empty: every row).
SqlFragment CountOf(const SqlFragment& condition) {
  SqlFragment out;
  out += "count(*)";
  if (condition.empty()) return out;
  out += " FILTER (WHERE ";
  out += condition;
  out += ")";
  return out;
}

// The three figures of each check, in the order of `checks`: count(scope), count(scope AND
// violation), count(scope AND extra); the last two are "0" when the check has no such predicate.
void AppendFigures(const PushedCheck& check, std::vector<SqlFragment>& select) {
  const SqlFragment scope = Scope(check);
  select.push_back(CountOf(scope));
  for (const SqlFragment* p : {&check.sql.violation, &check.sql.extra}) {
    if (p->empty()) {
      select.push_back(SqlFragment{"0", {}});
    } else {
      select.push_back(CountOf(And(scope, *p)));
    }
  }
}

// SELECT <select> FROM <from> [WHERE (<filter>) [AND <extra_where>]] [<tail>], prepared with its
// parameters bound.
Result<Statement> Prepare(SourceDb& db, const std::vector<SqlFragment>& select,
                          const std::string& from, const std::string& filter,
                          const SqlFragment& extra_where, const std::string& tail,
                          bool small) {
  SqlFragment q;
  q += "SELECT ";
  for (size_t i = 0; i < select.size(); ++i) {
    if (i > 0) q += ", ";
    q += select[i];
  }
  q += " FROM " + from;
  SqlFragment filter_sql;
  if (!filter.empty()) filter_sql += filter;
  const SqlFragment where = And(filter_sql, extra_where);
  if (!where.empty()) {
    q += " WHERE ";
    q += where;
  }
  q += tail;
  DQA_ASSIGN_OR_RETURN(Statement stmt, small ? db.PrepareSmall(q.sql)
                                             : db.Prepare(q.sql, StepBudget::kPerStep));
  for (size_t i = 0; i < q.params.size(); ++i) {
    DQA_RETURN_IF_ERROR(stmt.Bind(static_cast<int>(i) + 1, std::string_view(q.params[i])));
  }
  return stmt;
}

struct Figures {
  int64_t rows_checked = 0, violations = 0, extra = 0;
};

// A unit's figures of one check's `by` entry.
struct UnitRow {
  size_t check, entry;
  std::optional<std::string> unit_text;  // the unit column's text form (nullopt = NULL)
  Figures figures;
};

}  // namespace

Status RunPushDown(SourceDb& db, const std::string& from, const std::string& filter,
                   const std::vector<std::string>& key_sql, int samples,
                   std::vector<PushedCheck>& checks) {
  if (checks.empty()) return Status::Ok();

  // 1. Every check's figures in one pass.
  std::vector<SqlFragment> select;
  for (const PushedCheck& c : checks) AppendFigures(c, select);
  std::vector<Figures> figures(checks.size());
  {
    DQA_ASSIGN_OR_RETURN(Statement stmt, Prepare(db, select, from, filter, {}, "",
                                                 /*small=*/true));
    NotePushedTable();
    DQA_ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) return Internal("the aggregate query returned no row");
    for (size_t i = 0; i < checks.size(); ++i) {
      const int base = static_cast<int>(3 * i);
      figures[i] = {stmt.ColumnInt(base), stmt.ColumnInt(base + 1), stmt.ColumnInt(base + 2)};
    }
  }

  // 2. Samples: the keys of the first violating rows, one pass read only as far as needed.
  std::vector<std::vector<std::vector<std::string>>> keys(checks.size());
  std::vector<size_t> sampled;  // checks with violations
  for (size_t i = 0; i < checks.size(); ++i) {
    if (samples > 0 && figures[i].violations > 0 && !checks[i].sql.violation.empty()) {
      sampled.push_back(i);
    }
  }
  if (!sampled.empty()) {
    select.clear();
    for (const std::string& k : key_sql) select.push_back(SqlFragment{k, {}});
    SqlFragment any;
    for (size_t n = 0; n < sampled.size(); ++n) {
      const PushedCheck& c = checks[sampled[n]];
      const SqlFragment violating = And(Scope(c), c.sql.violation);
      SqlFragment flag;
      flag += "CASE WHEN ";
      flag += violating;
      flag += " THEN 1 ELSE 0 END";
      select.push_back(flag);
      if (n > 0) any += " OR ";
      any += "(";
      any += violating;
      any += ")";
    }
    DQA_ASSIGN_OR_RETURN(Statement stmt, Prepare(db, select, from, filter, any, "",
                                                 /*small=*/false));
    const int n_keys = static_cast<int>(key_sql.size());
    size_t wanting = sampled.size();
    std::string scratch;
    while (wanting > 0) {
      DQA_ASSIGN_OR_RETURN(const bool row, stmt.Step());
      if (!row) break;
      std::vector<std::string> key;
      for (int k = 0; k < n_keys; ++k) key.emplace_back(TextForm(stmt.Read(k), scratch));
      for (size_t n = 0; n < sampled.size(); ++n) {
        auto& kept = keys[sampled[n]];
        if (stmt.ColumnInt(n_keys + static_cast<int>(n)) == 0 ||
            static_cast<int>(kept.size()) >= samples) {
          continue;
        }
        kept.push_back(key);
        if (static_cast<int>(kept.size()) == samples) --wanting;
      }
    }
  }

  // 3. Breakdowns: one GROUP BY per unit column, with every entry on that column.
  std::map<std::string, std::vector<std::pair<size_t, size_t>>> by_column;  // lower -> (check, entry)
  std::map<std::string, std::string> column_name;
  for (size_t i = 0; i < checks.size(); ++i) {
    const auto& by = checks[i].evaluator->spec().by;
    for (size_t e = 0; e < by.size(); ++e) {
      const std::string lower = sdk::ToLowerAscii(by[e].column);
      by_column[lower].emplace_back(i, e);
      column_name.emplace(lower, by[e].column);
    }
  }
  std::vector<UnitRow> units;
  for (const auto& [lower, entries] : by_column) {
    select.clear();
    select.push_back(SqlFragment{QuoteIdent(column_name[lower]), {}});
    for (const auto& [i, e] : entries) {
      // A unit exists for a check when a row of it is in the check's `where` (as in the scan).
      SqlFragment where;
      where += checks[i].evaluator->spec().where;
      select.push_back(CountOf(where));
      AppendFigures(checks[i], select);
    }
    DQA_ASSIGN_OR_RETURN(Statement stmt, Prepare(db, select, from, filter, {}, " GROUP BY 1",
                                                 /*small=*/true));
    std::string scratch;
    while (true) {
      DQA_ASSIGN_OR_RETURN(const bool row, stmt.Step());
      if (!row) break;
      const Value v = stmt.Read(0);
      std::optional<std::string> text;
      if (!v.is_null()) text = std::string(TextForm(v, scratch));
      for (size_t n = 0; n < entries.size(); ++n) {
        const int base = 1 + static_cast<int>(4 * n);
        if (stmt.ColumnInt(base) == 0) continue;
        units.push_back({entries[n].first, entries[n].second, text,
                         {stmt.ColumnInt(base + 1), stmt.ColumnInt(base + 2),
                          stmt.ColumnInt(base + 3)}});
      }
    }
  }

  // Every query worked: the figures are the checks'.
  for (size_t i = 0; i < checks.size(); ++i) {
    RowEvaluator& e = *checks[i].evaluator;
    e.TakePushedCounts(figures[i].rows_checked, figures[i].violations, figures[i].extra);
    for (auto& key : keys[i]) e.AddPushedSample(std::move(key));
  }
  for (const UnitRow& u : units) {
    RowEvaluator& e = *checks[u.check].evaluator;
    e.AddPushedUnit(u.entry, e.UnitOf(u.entry, u.unit_text), u.figures.rows_checked,
                    u.figures.violations, u.figures.extra);
  }
  return Status::Ok();
}

}  // namespace dqa
