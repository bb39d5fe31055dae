#include "core/checks/catalog.h"

#include <fmt/format.h>

#include <algorithm>

namespace dqa {

std::string_view ToString(ParamType type) {
  switch (type) {
    case ParamType::kColumn: return "column";
    case ParamType::kColumns: return "columns";
    case ParamType::kString: return "string";
    case ParamType::kRegex: return "regex";
    case ParamType::kSqlCondition: return "sql_condition";
    case ParamType::kSqlQuery: return "sql_query";
    case ParamType::kNumber: return "number";
    case ParamType::kInteger: return "integer";
    case ParamType::kDuration: return "duration";
    case ParamType::kBool: return "bool";
    case ParamType::kStringList: return "string_list";
    case ParamType::kBound: return "bound";
    case ParamType::kDateFormat: return "date_format";
    case ParamType::kTable: return "table";
    case ParamType::kForeignColumn: return "foreign_column";
    case ParamType::kTableColumn: return "table_column";
    case ParamType::kColumnTypes: return "column_types";
    case ParamType::kMap: return "map";
  }
  return "?";
}

std::string_view ToString(CheckShape shape) {
  switch (shape) {
    case CheckShape::kRow: return "row";
    case CheckShape::kAggregate: return "aggregate";
    case CheckShape::kGrouped: return "grouped";
    case CheckShape::kQuery: return "query";
  }
  return "?";
}

const ParamSpec* CheckTypeInfo::FindParam(std::string_view param) const {
  for (const ParamSpec& p : params) {
    if (p.name == param) return &p;
  }
  return nullptr;
}

Result<std::unique_ptr<RowEvaluator>> CheckType::MakeEvaluator(const CheckSpec&,
                                                               const CheckContext&) const {
  return Internal(fmt::format("check type {} is a {} check, not evaluated in the table scan",
                              name(), ToString(info_.shape)));
}

void CheckType::RunGrouping(SourceDb&, const GroupingScope&,
                            const std::vector<RowEvaluator*>& evaluators) const {
  for (RowEvaluator* e : evaluators) {
    e->SetError(fmt::format("check type {} has no grouping", name()));
  }
}

CheckResult CheckType::RunQuery(SourceDb&, const CheckSpec& spec,
                                const CheckContext& context) const {
  return ErrorResult(spec, context,
                     fmt::format("check type {} is a {} check, not a query", name(),
                                 ToString(info_.shape)));
}

Status CheckCatalog::Add(std::unique_ptr<CheckType> type) {
  const std::lock_guard lock(mu_);
  for (const auto& t : types_) {
    if (t->name() == type->name()) {
      return InvalidArgument(fmt::format("check type '{}' is already registered ({})",
                                         type->name(), t->info().origin));
    }
  }
  types_.push_back(std::move(type));
  return Status::Ok();
}

void CheckCatalog::AddUnavailable(std::string prefix, std::string reason) {
  const std::lock_guard lock(mu_);
  for (const auto& [p, r] : unavailable_) {
    if (p == prefix) return;  // the first reason stays
  }
  unavailable_.emplace_back(std::move(prefix), std::move(reason));
}

const CheckType* CheckCatalog::Find(std::string_view name) const {
  const std::lock_guard lock(mu_);
  for (const auto& t : types_) {
    if (t->name() == name) return t.get();
  }
  return nullptr;
}

std::optional<std::string> CheckCatalog::UnavailableReason(std::string_view name) const {
  if (Find(name) != nullptr) return std::nullopt;
  const std::lock_guard lock(mu_);
  for (const auto& [prefix, reason] : unavailable_) {
    if (name.starts_with(prefix)) return reason;
  }
  return std::nullopt;
}

std::vector<const CheckType*> CheckCatalog::All() const {
  const std::lock_guard lock(mu_);
  std::vector<const CheckType*> builtin, others;
  for (const auto& t : types_) {
    (t->info().origin == "built-in" ? builtin : others).push_back(t.get());
  }
  std::sort(others.begin(), others.end(),
            [](const CheckType* a, const CheckType* b) { return a->name() < b->name(); });
  builtin.insert(builtin.end(), others.begin(), others.end());
  return builtin;
}

std::vector<std::string_view> CheckCatalog::BuiltinNames() const {
  std::vector<std::string_view> out;
  for (const CheckType* t : All()) {
    if (t->info().origin == "built-in") out.push_back(t->name());
  }
  return out;
}

std::vector<std::string_view> CheckCatalog::PluginNames() const {
  std::vector<std::string_view> out;
  for (const CheckType* t : All()) {
    if (t->info().origin.starts_with("plugin ")) out.push_back(t->name());
  }
  return out;
}

CheckCatalog& Catalog() {
  static CheckCatalog* catalog = [] {
    auto* c = new CheckCatalog();  // never destroyed: plugin types may be used at exit
    RegisterBuiltinChecks(*c);
    return c;
  }();
  return *catalog;
}

}  // namespace dqa
