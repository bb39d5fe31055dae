// sql: a rule-file query whose single number is compared with min/max.
#include <fmt/format.h>

#include "core/checks/check_support.h"
#include "core/util/text.h"

namespace dqa {
namespace {

class SqlType : public CheckType {
 public:
  SqlType()
      : CheckType({
            .name = "sql",
            .summary = "A query returning one number, compared with min and max.",
            .dimension = Dimension::kValidity,
            .shape = CheckShape::kQuery,
            .params = {{.name = "query", .type = ParamType::kSqlQuery, .required = true,
                        .description = "read-only SELECT returning one row with one number"},
                       {.name = "min", .type = ParamType::kNumber,
                        .description = "lowest acceptable number"},
                       {.name = "max", .type = ParamType::kNumber,
                        .description = "highest acceptable number"}},
            .yes_no = true,
        }) {}

  void Validate(const nlohmann::json& p, std::vector<ParamIssue>& issues) const override {
    if (!p.contains("min") && !p.contains("max")) {
      issues.push_back(
          {"", false, "check 'sql' needs 'min' or 'max' to compare the query's number with"});
    } else if (p.contains("min") && p.contains("max") &&
               p["min"].get<double>() > p["max"].get<double>()) {
      issues.push_back({"", false, fmt::format("'min' ({}) is greater than 'max' ({})",
                                               p["min"].get<double>(), p["max"].get<double>())});
    }
  }

  // rows_checked = 1; violation when the number is below min or above max; value = the number.
  // No row, NULL, a non-number or a SQL error -> Outcome::kError with the reason.
  CheckResult RunQuery(SourceDb& db, const CheckSpec& spec,
                       const CheckContext& context) const override {
    const ParamReader params(info(), spec.params);
    const std::optional<double> min = params.Number("min");
    const std::optional<double> max = params.Number("max");
    auto stmt = db.PrepareQuery(params.String("query"));
    if (!stmt.ok()) return ErrorResult(spec, context, "query failed: " + stmt.status().message());
    const Result<bool> has_row = stmt->Step();
    if (!has_row.ok()) {
      return ErrorResult(spec, context, "query failed: " + has_row.status().message());
    }
    if (!*has_row || stmt->ColumnCount() == 0) {
      return ErrorResult(spec, context,
                         "the query returned no row; it must return a single number");
    }
    double number = 0;
    switch (stmt->ColumnType(0)) {
      case Value::Type::kInteger:
        number = static_cast<double>(stmt->ColumnInt(0));
        break;
      case Value::Type::kReal:
        number = stmt->ColumnDouble(0);
        break;
      case Value::Type::kNull:
        return ErrorResult(spec, context,
                           "the query returned NULL; it must return a single number");
      default:
        return ErrorResult(spec, context,
                           fmt::format("the query returned '{}', which is not a number",
                                       TruncateForDisplay(stmt->ColumnDisplay(0))));
    }
    CheckResult result = BlankResult(spec, context);
    result.rows_checked = 1;
    result.value = number;
    const bool below = min && number < *min;
    const bool above = max && number > *max;
    result.violations = below || above ? 1 : 0;
    std::string expected;
    if (min && max) {
      expected = fmt::format("between {} and {}", RealText(*min), RealText(*max));
    } else if (min) {
      expected = fmt::format("at least {}", RealText(*min));
    } else if (max) {
      expected = fmt::format("at most {}", RealText(*max));
    } else {
      expected = "any number";
    }
    DecideResult(result,
                 fmt::format("The query returned {}; expected {}", RealText(number), expected));
    MessageArgs args = {{"x_value", RealText(number)}};
    if (min) args.emplace_back("x_min", RealText(*min));
    if (max) args.emplace_back("x_max", RealText(*max));
    SetWords(result,
             min && max ? "check.sql.between"
             : min      ? "check.sql.at_least"
             : max      ? "check.sql.at_most"
                        : "check.sql.any",
             std::move(args));
    return result;
  }
};

}  // namespace

std::unique_ptr<CheckType> SqlCheckType() { return std::make_unique<SqlType>(); }

}  // namespace dqa
