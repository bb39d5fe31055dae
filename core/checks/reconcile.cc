// reconcile: a count or sum of the check's table agrees, per group, with one of another table (an
// attached source, or a reference table of expected figures), within a tolerance.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "core/checks/check_support.h"
#include "core/util/text.h"

namespace dqa {
namespace {

// The fields a side of the comparison has; the check itself holds the left side's (with the
// check's own table), `against` the right side's plus its table.
std::vector<ParamSpec> SideParams(bool against) {
  std::vector<ParamSpec> params;
  if (against) {
    params.push_back({.name = "table", .type = ParamType::kTable, .required = true,
                      .description = "the table compared with ('table' or 'alias.table')"});
  }
  params.push_back({.name = "measure", .type = ParamType::kString,
                    .description = "count (rows) or sum (of the column 'sum'); default: sum when "
                                   "'sum' is given, else count",
                    .choices = {"count", "sum"}});
  params.push_back({.name = "sum", .type = ParamType::kColumn,
                    .description = "the column summed (NULL counts 0)"});
  params.push_back({.name = "group_by", .type = ParamType::kColumns,
                    .description = "the columns whose values make a group (one whole-table figure "
                                   "when absent)"});
  params.push_back({.name = "where", .type = ParamType::kSqlCondition,
                    .description = "SQL condition choosing the rows counted or summed"});
  return params;
}

// What was said wrong about the measure of one side (`prefix` = "" or "against.").
void MeasureIssues(const nlohmann::json& side, const std::string& param,
                   std::vector<ParamIssue>& issues) {
  if (!side.contains("measure")) return;
  const std::string measure = side["measure"].get<std::string>();
  const std::string where = param.empty() ? "" : fmt::format(" in '{}'", param);
  if (measure == "sum" && !side.contains("sum")) {
    issues.push_back({param.empty() ? "measure" : param, false,
                      fmt::format("'measure: sum'{} needs the column to sum: 'sum: <column>'",
                                  where)});
  } else if (measure == "count" && side.contains("sum")) {
    issues.push_back({param.empty() ? "sum" : param, false,
                      fmt::format("'measure: count'{} cannot take 'sum'; a side counts rows or "
                                  "sums a column",
                                  where)});
  }
}

// One side of the comparison as SQL.
struct Side {
  std::string from;                    // "main"."t" / "civil"."khai_tu"
  std::string label;                   // t / civil.khai_tu, for messages
  std::string sum;                     // "" = count
  std::vector<std::string> group_by;
  std::vector<std::string> conditions;  // ANDed

  std::string MeasureText() const { return sum.empty() ? "count" : "sum(" + sum + ")"; }
  std::string Sql() const {
    std::string keys;
    for (const std::string& k : group_by) keys += QuoteIdent(k) + ", ";
    std::string sql = fmt::format("SELECT {}{} FROM {}", keys,
                                  sum.empty() ? "COUNT(*)" : "SUM(" + QuoteIdent(sum) + ")", from);
    for (size_t i = 0; i < conditions.size(); ++i) {
      sql += (i == 0 ? " WHERE (" : " AND (") + conditions[i] + ")";
    }
    if (!group_by.empty()) {
      keys.resize(keys.size() - 2);
      sql += " GROUP BY " + keys;
    }
    return sql;
  }
};

Side ReadSide(const SourceDb& db, const nlohmann::json& values, const TableRef& table) {
  Side side;
  side.from = db.QualifiedTable(table.table, table.schema);
  side.label = table.schema.empty() ? table.table : table.schema + "." + table.table;
  const auto text = [&](const char* key) {
    return values.contains(key) && values[key].is_string() ? values[key].get<std::string>()
                                                          : std::string();
  };
  side.sum = text("sum");
  if (values.contains("group_by") && values["group_by"].is_array()) {
    for (const auto& c : values["group_by"]) side.group_by.push_back(c.get<std::string>());
  }
  if (std::string where = text("where"); !where.empty()) side.conditions.push_back(where);
  return side;
}

// figure per group key (the text forms of the key values; NULL is the group "NULL").
using Figures = std::map<std::vector<std::string>, double>;

Result<Figures> Measure(SourceDb& db, const Side& side) {
  DQA_ASSIGN_OR_RETURN(Statement stmt, db.PrepareQuery(side.Sql()));
  Figures figures;
  const int n = static_cast<int>(side.group_by.size());
  while (true) {
    DQA_ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) break;
    std::vector<std::string> key;
    for (int i = 0; i < n; ++i) key.push_back(stmt.ColumnDisplay(i));
    // SUM over no value or only NULLs is NULL: nothing to add, so 0.
    figures[std::move(key)] += stmt.IsNull(n) ? 0.0 : stmt.ColumnDouble(n);
  }
  return figures;
}

class ReconcileType : public CheckType {
 public:
  ReconcileType()
      : CheckType({
            .name = "reconcile",
            .summary = "A count or sum per group agrees with another table's, within a tolerance.",
            .dimension = Dimension::kValidity,
            .shape = CheckShape::kQuery,
            .params = Params(),
        }) {}

  static std::vector<ParamSpec> Params() {
    std::vector<ParamSpec> params = SideParams(false);
    params.push_back({.name = "against", .type = ParamType::kMap, .required = true,
                      .description = "the other side: {table, measure, sum, group_by, where}",
                      .fields = SideParams(true)});
    params.push_back(
        {.name = "tolerance", .type = ParamType::kMap,
         .description = "how far the figures of a group may differ: {absolute, percent}; "
                        "none = they must be equal",
         .fields = {{.name = "absolute", .type = ParamType::kNumber,
                     .description = "a group agrees when |left - right| <= absolute", .min = 0},
                    {.name = "percent", .type = ParamType::kNumber,
                     .description = "a group agrees when |left - right| <= percent% of "
                                    "max(|left|, |right|)",
                     .min = 0, .max = 100}}});
    return params;
  }

  void Validate(const nlohmann::json& p, std::vector<ParamIssue>& issues) const override {
    MeasureIssues(p, "", issues);
    const nlohmann::json against = p.value("against", nlohmann::json::object());
    MeasureIssues(against, "against", issues);
    const size_t left = p.contains("group_by") ? p["group_by"].size() : 0;
    const size_t right = against.contains("group_by") ? against["group_by"].size() : 0;
    if (left != right) {
      issues.push_back(
          {left != 0 ? "group_by" : "against", false,
           left == 0 || right == 0
               ? std::string("'group_by' must be given on both sides (the check and 'against') "
                             "or on neither")
               : fmt::format("'group_by' names {} columns but 'against' groups by {}; a group "
                             "key has the same number of columns on both sides",
                             left, right)});
    }
    if (p.contains("tolerance") && p["tolerance"].empty()) {
      issues.push_back({"tolerance", false,
                        "'tolerance' needs 'absolute', 'percent' or both (leave it out for "
                        "figures that must be equal)"});
    }
  }

  // rows_checked = groups (union of both sides); violation = a group whose figures differ beyond
  // the tolerance; value = left total - right total. docs/checks.md "reconcile".
  CheckResult RunQuery(SourceDb& db, const CheckSpec& spec,
                       const CheckContext& context) const override {
    Side left = ReadSide(db, spec.params, {"", spec.table});
    if (!context.table_filter.empty()) {
      left.conditions.insert(left.conditions.begin(), context.table_filter);
    }
    const nlohmann::json against = spec.params.value("against", nlohmann::json::object());
    const Side right =
        ReadSide(db, against, SplitTableRef(against.value("table", std::string())));
    Result<Figures> a = Measure(db, left);
    if (!a.ok()) return ErrorResult(spec, context, "query failed: " + a.status().message());
    Result<Figures> b = Measure(db, right);
    if (!b.ok()) return ErrorResult(spec, context, "query failed: " + b.status().message());

    const nlohmann::json tolerance = spec.params.value("tolerance", nlohmann::json::object());
    // Assigned, not built by `?:` from std::nullopt: GCC 12 at -O2 then warns that the value may
    // be read uninitialized (-Wmaybe-uninitialized) where Agree reads it after its check.
    std::optional<double> absolute;
    std::optional<double> percent;
    if (tolerance.contains("absolute")) absolute = tolerance["absolute"].get<double>();
    if (tolerance.contains("percent")) percent = tolerance["percent"].get<double>();

    struct Disagreement {
      std::vector<std::string> key;
      double left, right;
    };
    std::vector<Disagreement> disagreements;
    Figures all = *a;
    for (const auto& [key, figure] : *b) all.emplace(key, 0.0);
    double left_total = 0, right_total = 0;
    for (const auto& [key, unused] : all) {
      const auto l = a->find(key);
      const auto r = b->find(key);
      const double x = l == a->end() ? 0 : l->second;
      const double y = r == b->end() ? 0 : r->second;
      left_total += x;
      right_total += y;
      if (!Agree(x, y, absolute, percent)) disagreements.push_back({key, x, y});
    }
    // Largest difference first; equal ones by key, so the order never depends on the run.
    std::stable_sort(disagreements.begin(), disagreements.end(),
                     [](const Disagreement& p, const Disagreement& q) {
                       return std::fabs(p.left - p.right) > std::fabs(q.left - q.right);
                     });

    CheckResult result = BlankResult(spec, context);
    result.rows_checked = static_cast<int64_t>(all.size());
    result.violations = static_cast<int64_t>(disagreements.size());
    result.value = left_total - right_total;
    result.metrics = {{"left_total", left_total}, {"right_total", right_total}};
    result.key_columns = left.group_by;
    for (const char* column : {"left", "right", "difference"}) {
      result.key_columns.push_back(column);
    }
    result.failing_rows_total = result.violations;
    for (const Disagreement& d : disagreements) {
      std::vector<std::string> row = d.key;
      row.push_back(RealText(d.left));
      row.push_back(RealText(d.right));
      row.push_back(RealText(d.left - d.right));
      if (result.samples.size() < static_cast<size_t>(std::max(context.samples, 0))) {
        result.samples.push_back(row);
      }
      if (static_cast<int64_t>(result.failing_rows.size()) >= kMaxFailingRows) break;
      result.failing_rows.push_back(std::move(row));
    }
    SetWords(result,
             left.group_by.empty() ? (result.violations == 0 ? "check.reconcile.totals_agree"
                                                             : "check.reconcile.totals_differ")
                                   : "check.reconcile.groups",
             CountArgs(result, {{"left", left.MeasureText() + " " + left.label},
                                {"right", right.MeasureText() + " " + right.label},
                                {"x_left_total", RealText(left_total)},
                                {"x_right_total", RealText(right_total)},
                                {"tolerance", ToleranceText(absolute, percent)}}));
    DecideResult(result, Describe(result, left, right, absolute, percent, left_total,
                                  right_total));
    return result;
  }

 private:
  // |x - y| within `absolute` or within `percent`% of the larger magnitude; no tolerance = equal.
  // A relative 1e-9 absorbs the rounding of sums of REAL values.
  static bool Agree(double x, double y, std::optional<double> absolute,
                    std::optional<double> percent) {
    const double diff = std::fabs(x - y);
    const double scale = std::max(std::fabs(x), std::fabs(y));
    const double slack = 1e-9 * scale;
    // value_or: GCC at -O2 cannot see that a dereferenced optional was checked.
    if (!absolute && !percent) return diff <= slack;
    if (absolute && diff <= absolute.value_or(0) + slack) return true;
    return percent && diff <= percent.value_or(0) / 100.0 * scale + slack;
  }

  // "2", "1%", "2 / 1%" or "0": how far the two sides may differ.
  static std::string ToleranceText(std::optional<double> absolute, std::optional<double> percent) {
    std::string text;
    if (absolute) text = RealText(*absolute);
    if (percent) text += (text.empty() ? "" : " / ") + RealText(*percent) + "%";
    return text.empty() ? "0" : text;
  }

  static std::string Describe(const CheckResult& result, const Side& left, const Side& right,
                              std::optional<double> absolute, std::optional<double> percent,
                              double left_total, double right_total) {
    std::string tolerance;
    if (absolute) tolerance = RealText(*absolute);
    if (percent) tolerance += (tolerance.empty() ? "" : " or ") + RealText(*percent) + "%";
    const std::string by =
        left.group_by.empty() ? "" : fmt::format(" by {}", JoinColumns(left.group_by));
    const std::string groups = left.group_by.empty()
                                   ? (result.violations == 0 ? "the totals agree"
                                                             : "the totals disagree")
                                   : CountText(result.violations, result.rows_checked,
                                               "groups") + " disagree";
    return fmt::format("{}: {} of {}{} vs {} of {} ({} and {}, tolerance {})", groups,
                       left.MeasureText(), left.label, by, right.MeasureText(), right.label,
                       RealText(left_total), RealText(right_total),
                       tolerance.empty() ? "none" : tolerance);
  }
};

}  // namespace

std::unique_ptr<CheckType> ReconcileCheckType() { return std::make_unique<ReconcileType>(); }

}  // namespace dqa
