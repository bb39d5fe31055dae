// schema: the table's columns and their declared types keep the contract of the rule file's
// `schema:` block (core/checks/schema_contract.h says what each contract type accepts).
#include <fmt/format.h>

#include <set>

#include "core/checks/check_support.h"
#include "core/checks/schema_contract.h"
#include "dqaudit/text.h"

namespace dqa {
namespace {

class SchemaType : public CheckType {
 public:
  SchemaType()
      : CheckType({
            .name = "schema",
            .summary = "The table has the contract's columns with the contract's types.",
            .dimension = Dimension::kValidity,
            .shape = CheckShape::kQuery,
            .params = {{.name = "columns", .type = ParamType::kColumnTypes, .required = true,
                        .description = "each column of the contract and its contract type",
                        .choices = ContractTypes()},
                       {.name = "allow_extra", .type = ParamType::kBool,
                        .description = "columns the contract does not name are allowed",
                        .default_value = true}},
            .table_level = true,
        }) {}

  // rows_checked = the columns the contract or the table names; violations = breaches, each a
  // sample; the table's rows are not read.
  CheckResult RunQuery(SourceDb& db, const CheckSpec& spec,
                       const CheckContext& context) const override {
    const ParamReader params(info(), spec.params);
    const nlohmann::json* contract = params.Find("columns");
    Result<std::vector<ColumnInfo>> actual = db.TableColumns(db.MainSchema(), spec.table);
    if (!actual.ok()) {
      return ErrorResult(spec, context, "cannot read the table's columns: " +
                                            actual.status().message());
    }
    const nlohmann::json empty = nlohmann::json::object();
    const std::vector<std::string> breaches =
        ContractBreaches(contract != nullptr ? *contract : empty, params.Bool("allow_extra"),
                         *actual);
    std::set<std::string> names;
    for (const ColumnInfo& c : *actual) names.insert(sdk::ToLowerAscii(c.name));
    if (contract != nullptr) {
      for (const auto& [name, type] : contract->items()) names.insert(sdk::ToLowerAscii(name));
    }
    CheckResult result = BlankResult(spec, context);
    result.rows_checked = static_cast<int64_t>(names.size());
    result.violations = static_cast<int64_t>(breaches.size());
    result.key_columns = {"breach"};
    for (const std::string& breach : breaches) {
      if (static_cast<int64_t>(result.samples.size()) >= context.samples) break;
      result.samples.push_back({breach});
    }
    DecideResult(result,
                 breaches.empty()
                     ? fmt::format("Table {} keeps its schema contract ({} columns)", spec.table,
                                   contract != nullptr ? contract->size() : 0)
                     : fmt::format("Table {} breaks its schema contract {} time{}: {}", spec.table,
                                   breaches.size(), breaches.size() == 1 ? "" : "s",
                                   sdk::Join(breaches, "; ")));
    SetWords(result, breaches.empty() ? "check.schema.kept" : "check.schema.broken",
             {{"table", spec.table},
              {"n_columns", std::to_string(contract != nullptr ? contract->size() : 0)},
              {"n_breaches", std::to_string(breaches.size())},
              {"breaches_text", sdk::Join(breaches, "; ")}});
    return result;
  }
};

}  // namespace

std::unique_ptr<CheckType> SchemaCheckType() { return std::make_unique<SchemaType>(); }

}  // namespace dqa
