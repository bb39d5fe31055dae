// reference: every value of a column exists in another table's column (a foreign key).
#include <fmt/format.h>

#include "core/checks/check_support.h"

namespace dqa {
namespace {

// Violation: the text form is not among the text forms of the referenced column's values.
class ReferenceEvaluator : public RowEvaluator {
 public:
  ReferenceEvaluator(const CheckSpec& spec, const CheckContext& context, const ParamReader& p)
      : RowEvaluator(spec, context), table_(p.Table("table")), column_(p.String("ref_column")) {}
  Status Prepare(SourceDb& db) override {
    auto values = std::make_shared<StringSet>();
    DQA_RETURN_IF_ERROR(ForEachDistinct(
        db, table_, column_, [&values](std::string v) { values->insert(std::move(v)); }));
    values_ = std::move(values);
    return Status::Ok();
  }

 protected:
  std::vector<std::string> LookupTables() const override {
    std::vector<std::string> out = RowEvaluator::LookupTables();
    out.push_back(table_.schema.empty() ? table_.table : table_.schema + "." + table_.table);
    return out;
  }
  void SharePrepared(const RowEvaluator& primary) override {
    values_ = static_cast<const ReferenceEvaluator&>(primary).values_;
  }
  nlohmann::json SaveOwnState() const override { return nullptr; }
  void LoadOwnState(const nlohmann::json&) override {}
  void MergeState(RowEvaluator&) override {}  // counts and samples only: the base merges them
  void ObserveInScope(const ScanRow& row) override {
    const Value& v = Cell(row);
    if (v.is_null()) return;
    ++rows_checked_;
    if (!values_->contains(TextForm(v, scratch_))) AddViolation(row);
  }
  std::string Complete(CheckResult& result) override {
    SetWords(result, "check.reference",
             CountArgs(result, {{"columns", JoinColumns(spec_.columns)},
                                {"reference", table_.Qualified(column_)},
                                {"n_values", std::to_string(values_->size())}}));
    return fmt::format("{} of {} are not found in {} ({} values)",
                       CountText(result.violations, result.rows_checked, "values"),
                       JoinColumns(spec_.columns), table_.Qualified(column_), values_->size());
  }

 private:
  TableRef table_;
  std::string column_;
  // Loaded once; the forks of a split scan share it.
  std::shared_ptr<const StringSet> values_ = std::make_shared<const StringSet>();
  std::string scratch_;
};

class ReferenceType : public EvaluatedCheckType<ReferenceEvaluator> {
 public:
  ReferenceType()
      : EvaluatedCheckType({
            .name = "reference",
            .summary = "Every value of a column exists in a column of another table.",
            .dimension = Dimension::kValidity,
            .shape = CheckShape::kRow,
            .params = {{.name = "column", .type = ParamType::kColumn, .required = true,
                        .description = "the column holding the references"},
                       {.name = "table", .type = ParamType::kTable, .required = true,
                        .description = "the referenced table ('table' or 'alias.table')"},
                       {.name = "ref_column", .type = ParamType::kForeignColumn,
                        .required = true, .description = "the referenced column",
                        .table_param = "table"}},
        }) {}
};

}  // namespace

std::unique_ptr<CheckType> ReferenceCheckType() { return std::make_unique<ReferenceType>(); }

}  // namespace dqa
