#include "core/engine/table_scan.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <set>

#include "core/checks/catalog.h"
#include "core/engine/push_down_scan.h"
#include "core/engine/scan_progress.h"
#include "core/plugins/plugin_checks.h"
#include "core/sources/sqlite_value.h"
#include "core/util/activity.h"
#include "dqaudit/text.h"

namespace dqa {
namespace {

using Clock = std::chrono::steady_clock;

double MillisSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// Column names compare case-insensitively (ASCII), as in SQLite.
std::string Lower(std::string_view s) { return sdk::ToLowerAscii(s); }

// A check being evaluated in the fused scan.
struct Pending {
  size_t index;  // in table.checks
  const CheckType* type;
  std::unique_ptr<RowEvaluator> evaluator;
  double prepare_ms = 0;
  double grouping_ms = 0;  // kGrouped: its share of the grouping queries
  std::optional<PushDown> push_down;  // counted in the server (RunPushDown), not scanned
};

// The catalogue's type of `spec`, or why the check cannot run in this process.
Result<const CheckType*> TypeOf(const CheckSpec& spec, const CheckContext& context) {
  if (auto disabled = plugins::DisabledMessage(spec, context)) return InvalidArgument(*disabled);
  if (!spec.unavailable.empty()) return InvalidArgument(spec.unavailable);
  if (const CheckType* type = Catalog().Find(spec.type)) return type;
  if (auto reason = Catalog().UnavailableReason(spec.type)) return InvalidArgument(*reason);
  if (!spec.PluginSector().empty()) return NotFound(plugins::MissingPluginCheckMessage(spec.type));
  return NotFound(fmt::format("check type {} is not in the check catalogue", spec.type));
}

// Probes whether an SQL expression compiles against the table (no row is read).
Status ProbeExpression(SourceDb& db, const std::string& from, const std::string& expr) {
  if (expr.empty()) return Status::Ok();
  auto stmt = db.Prepare(fmt::format("SELECT ({}) FROM {}", expr, from));
  return stmt.status();
}

// Streams the fused SELECT and feeds every evaluator. Non-OK on a SQL error.
Status RunFusedScan(SourceDb& db, const std::string& from, const std::string& filter,
                    const std::vector<std::string>& key_sql, std::vector<Pending*>& pending) {
  std::vector<std::string> select = key_sql;
  std::map<std::string, int> cell_of;  // lower-case column -> cell index
  std::vector<std::string> cell_sql;
  std::map<std::string, int> flag_of;  // SQL expression -> flag index
  std::vector<std::string> flag_sql;
  auto flag_index = [&](const std::string& expr) {
    if (expr.empty()) return -1;
    auto [it, inserted] = flag_of.emplace(expr, static_cast<int>(flag_sql.size()));
    if (inserted) flag_sql.push_back(fmt::format("CASE WHEN ({}) THEN 1 ELSE 0 END", expr));
    return it->second;
  };
  for (Pending* pp : pending) {
    Pending& p = *pp;
    std::vector<int> cells;
    for (const std::string& column : p.evaluator->Columns()) {
      auto [it, inserted] = cell_of.emplace(Lower(column), static_cast<int>(cell_sql.size()));
      if (inserted) cell_sql.push_back(QuoteIdent(column));
      cells.push_back(it->second);
    }
    std::vector<int> unit_cells;
    for (const std::string& column : p.evaluator->ByColumns()) {
      auto [it, inserted] = cell_of.emplace(Lower(column), static_cast<int>(cell_sql.size()));
      if (inserted) cell_sql.push_back(QuoteIdent(column));
      unit_cells.push_back(it->second);
    }
    if (!unit_cells.empty()) p.evaluator->BindUnits(std::move(unit_cells));
    const int where_flag = flag_index(p.evaluator->spec().where);
    std::vector<int> expr_flags;
    for (const auto& e : p.evaluator->FlagExpressions()) expr_flags.push_back(flag_index(e.sql));
    p.evaluator->Bind(std::move(cells), where_flag, std::move(expr_flags));
  }
  select.insert(select.end(), cell_sql.begin(), cell_sql.end());
  select.insert(select.end(), flag_sql.begin(), flag_sql.end());
  std::string sql = fmt::format("SELECT {} FROM {}", fmt::join(select, ", "), from);
  if (!filter.empty()) sql += fmt::format(" WHERE ({})", filter);

  // Per-step budget: the scan streams the whole table, each row is quick (docs/sources.md).
  DQA_ASSIGN_OR_RETURN(Statement stmt, db.Prepare(sql, StepBudget::kPerStep));
  NoteTablePass();
  const int n_keys = static_cast<int>(key_sql.size());
  const int n_values = n_keys + static_cast<int>(cell_sql.size());
  std::vector<Value> values(static_cast<size_t>(n_values));
  std::vector<unsigned char> flags(flag_sql.size());
  const std::span<const Value> all(values);
  const ScanRow row{all.first(static_cast<size_t>(n_keys)),
                    all.subspan(static_cast<size_t>(n_keys)), flags};
  // SQLite's values are read straight from its statement (the hot path of every scan); other
  // engines' through their Cursor.
  sqlite3_stmt* raw = stmt.sqlite();
  while (true) {
    DQA_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) break;
    NoteRowScanned();
    if (raw != nullptr) {
      for (int i = 0; i < n_values; ++i) values[static_cast<size_t>(i)] = ReadColumnValue(raw, i);
      for (size_t f = 0; f < flags.size(); ++f) {
        flags[f] = sqlite3_value_int(sqlite3_column_value(raw, n_values + static_cast<int>(f))) != 0
                       ? 1
                       : 0;
      }
    } else {
      for (int i = 0; i < n_values; ++i) values[static_cast<size_t>(i)] = stmt.Read(i);
      for (size_t f = 0; f < flags.size(); ++f) {
        flags[f] = stmt.ColumnInt(n_values + static_cast<int>(f)) != 0 ? 1 : 0;
      }
    }
    for (Pending* p : pending) p->evaluator->Observe(row);
  }
  return Status::Ok();
}

}  // namespace

std::vector<CheckResult> ScanTable(SourceDb& db, const CheckContext& base, const TableSpec& table) {
  CheckContext context = base;
  context.key_columns = table.key.empty() ? std::vector<std::string>{"rowid"} : table.key;
  context.table_filter = table.filter;
  std::vector<std::optional<CheckResult>> out(table.checks.size());

  const std::string from = db.QualifiedTable(table.name);
  std::vector<std::string> key_sql;
  for (const std::string& k : table.key) key_sql.push_back(QuoteIdent(k));
  if (key_sql.empty()) key_sql.push_back(db.RowIdSql());

  // Problems that stop every row check of the table: a missing table or key column, a bad filter.
  std::string table_error;
  std::set<std::string> columns;
  std::map<std::string, std::string> declared;  // lower-case column -> declared type
  if (auto info = db.TableColumns(db.MainSchema(), table.name); !info.ok()) {
    table_error = info.status().message();
  } else {
    for (const ColumnInfo& c : *info) {
      columns.insert(Lower(c.name));
      declared.emplace(Lower(c.name), c.declared_type);
    }
    for (const std::string& k : table.key) {
      if (!columns.contains(Lower(k))) {
        table_error = fmt::format("key column {} not found in table {}", k, table.name);
        break;
      }
    }
    if (table_error.empty()) {
      if (Status s = ProbeExpression(
              db, from + (table.filter.empty() ? "" : " WHERE (" + table.filter + ")"), "1");
          !s.ok()) {
        table_error = "filter does not work: " + s.message();
      }
    }
  }

  // NOT INDEXED keeps the scan in rowid order (samples are in rowid order) and avoids a sorter
  // whose memory would grow with the rows; views cannot take it.
  std::string scan_from = from;
  if (db.engine() == Engine::kSqlite && db.IsBaseTable(table.name)) scan_from += " NOT INDEXED";

  // Query checks run after the fused scan, on the same snapshot; every other shape is fed by it.
  std::vector<std::pair<size_t, const CheckType*>> queries;
  std::vector<Pending> pending;
  for (size_t i = 0; i < table.checks.size(); ++i) {
    const CheckSpec& spec = table.checks[i];
    Result<const CheckType*> type = TypeOf(spec, context);
    if (!type.ok()) {
      out[i] = ErrorResult(spec, context, type.status().message());
      continue;
    }
    if ((*type)->info().shape == CheckShape::kQuery) {
      queries.emplace_back(i, *type);
      continue;
    }
    if (!table_error.empty()) {
      out[i] = ErrorResult(spec, context, table_error);
      continue;
    }
    const auto start = Clock::now();
    auto evaluator = (*type)->MakeEvaluator(spec, context);
    if (!evaluator.ok()) {
      out[i] = ErrorResult(spec, context, evaluator.status().message());
      continue;
    }
    std::string error;
    std::vector<std::string> needed = (*evaluator)->Columns();
    for (const std::string& c : (*evaluator)->ByColumns()) needed.push_back(c);
    for (const std::string& c : needed) {
      if (!columns.contains(Lower(c))) {
        error = fmt::format("column {} not found in table {}", c, table.name);
        break;
      }
    }
    if (error.empty()) {
      if (Status s = ProbeExpression(db, from, spec.where); !s.ok()) {
        error = "where does not work: " + s.message();
      } else {
        for (const auto& e : (*evaluator)->FlagExpressions()) {
          if (s = ProbeExpression(db, from, e.sql); !s.ok()) {
            error = e.param + " does not work: " + s.message();
            break;
          }
        }
        if (error.empty()) {
          if (s = (*evaluator)->Prepare(db); !s.ok()) {
            error = s.message();
          } else if (s = (*evaluator)->PrepareBreakdown(db); !s.ok()) {
            error = s.message();
          }
        }
      }
    }
    if (!error.empty()) {
      out[i] = ErrorResult(spec, context, error);
      out[i]->duration_ms = MillisSince(start);
      continue;
    }
    if (!spec.by.empty() && (*type)->info().shape == CheckShape::kAggregate) {
      // An aggregate's figure per unit is the figure of the unit's rows alone: each unit gets an
      // evaluator of its own (RowEvaluator::SplitUnitsWith).
      const CheckType* t = *type;
      (*evaluator)->SplitUnitsWith([t, &spec, &context, &db]() -> std::unique_ptr<RowEvaluator> {
        auto own = t->MakeEvaluator(spec, context);
        if (!own.ok() || !(*own)->Prepare(db).ok()) return nullptr;
        return std::move(own).value();
      });
    }
    pending.push_back({i, *type, std::move(evaluator).value(), MillisSince(start)});
  }

  // A server that pushes down counts the checks it can write in SQL itself; the others, and all
  // of them when its queries fail, are scanned.
  double push_ms = 0;
  if (db.PushesDown() && !pending.empty()) {
    PushDownTable columns_of;
    columns_of.unicode_normalize = db.NormalizesUnicode();
    for (const auto& [lower, type] : declared) columns_of.kinds[lower] = PgColumnKind(type);
    // All or none: when one check must read the rows, the scan reads them for all (one pass
    // either way; counting some in the server too would read the table twice).
    std::vector<PushedCheck> pushed;
    for (Pending& p : pending) {
      p.push_down = p.evaluator->PushDownSql(columns_of);
      if (!p.push_down) {
        pushed.clear();
        break;
      }
      pushed.push_back({p.evaluator.get(), *p.push_down});
    }
    const auto start = Clock::now();
    if (pushed.empty()) {
      for (Pending& p : pending) p.push_down.reset();
    } else if (Status s = RunPushDown(db, from, table.filter, key_sql, context.samples, pushed);
               !s.ok()) {
      spdlog::warn("source {} table {}: counting in the server failed ({}); scanning the rows "
                   "instead",
                   context.source, table.name, s.message());
      for (Pending& p : pending) p.push_down.reset();
    }
    push_ms = MillisSince(start);
  }

  double scan_ms = 0;
  std::vector<Pending*> scanned;
  for (Pending& p : pending) {
    if (!p.push_down) scanned.push_back(&p);
  }
  if (!scanned.empty()) {
    const auto start = Clock::now();
    if (ActivityPublished()) NoteTableScanStart(EstimateTableRows(db, table.name));
    if (Status s = RunFusedScan(db, scan_from, table.filter, key_sql, scanned); !s.ok()) {
      for (Pending* p : scanned) p->evaluator->SetError("table scan failed: " + s.message());
    }
    scan_ms = MillisSince(start);
  }

  // Grouped checks: one RunGrouping per type, over all of its checks of this table (duplicate
  // checks share their grouping queries); each shares the time of its type's queries.
  const GroupingScope scope{table.name, table.filter, key_sql, context.samples};
  std::vector<const CheckType*> grouped;
  for (const Pending& p : pending) {
    if (p.type->info().shape == CheckShape::kGrouped &&
        std::find(grouped.begin(), grouped.end(), p.type) == grouped.end()) {
      grouped.push_back(p.type);
    }
  }
  for (const CheckType* type : grouped) {
    std::vector<RowEvaluator*> evaluators;
    for (Pending& p : pending) {
      if (p.type == type) evaluators.push_back(p.evaluator.get());
    }
    const auto start = Clock::now();
    type->RunGrouping(db, scope, evaluators);
    const double ms = MillisSince(start);
    for (Pending& p : pending) {
      if (p.type == type) p.grouping_ms = ms;
    }
  }

  for (Pending& p : pending) {
    const auto start = Clock::now();
    CheckResult r = p.evaluator->Finish();
    // Fused checks share the scan; grouped ones also share their grouping queries; each has its
    // own end of scan (fuzzy_duplicate compares and clusters there).
    r.duration_ms = p.prepare_ms + (p.push_down ? push_ms : scan_ms) + p.grouping_ms +
                    MillisSince(start);
    out[p.index] = std::move(r);
  }

  for (const auto& [i, type] : queries) {
    const auto start = Clock::now();
    CheckResult r = type->RunQuery(db, table.checks[i], context);
    r.duration_ms = MillisSince(start);
    out[i] = std::move(r);
  }

  std::vector<CheckResult> results;
  results.reserve(out.size());
  for (auto& r : out) results.push_back(std::move(*r));
  return results;
}

}  // namespace dqa
