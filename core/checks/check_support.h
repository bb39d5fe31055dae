// What several built-in checks share: string sets looked up without copies, dates read from
// values, the distinct values of a column, and the factory of their evaluators.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>

#include "core/checks/catalog.h"
#include "core/checks/params.h"
#include "core/sources/sqlite_db.h"
#include "core/sources/value.h"

namespace dqa {

// Heterogeneous lookup by string_view in string-keyed hash containers (no copy per row).
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using StringSet = std::unordered_set<std::string, StringHash, std::equal_to<>>;

// A date read from a value: INTEGER = Unix seconds, TEXT parsed per `format` after trimming
// whitespace; REAL, BLOB and unparseable text -> nullopt. `value` must not be NULL.
std::optional<int64_t> DateSeconds(const Value& value, DateFormat format);

// " (3 unparseable)" or "".
std::string UnparseableText(int64_t unparseable);

// Streams the text forms of the distinct non-NULL values of schema.table.column, sorted.
Status ForEachDistinct(SourceDb& db, const TableRef& table, const std::string& column,
                       const std::function<void(std::string)>& fn);

// The parameters every date check has: its date column, and how dates stored as text are written.
ParamSpec DateColumnParam();
ParamSpec DateFormatParam();

// The two ways to name the columns of a check that reads one or several: `columns` (a list) or
// `column` (one); ColumnsParamsIssues says when neither or both are given to type `type`.
ParamSpec ColumnsParam(std::string description);
ParamSpec OneColumnParam();
void ColumnsParamsIssues(const nlohmann::json& params, std::string_view type,
                         std::vector<ParamIssue>& issues);

// A check type whose evaluator is `Evaluator(spec, context, ParamReader)`; most built-in types.
template <typename Evaluator>
class EvaluatedCheckType : public CheckType {
 public:
  using CheckType::CheckType;
  Result<std::unique_ptr<RowEvaluator>> MakeEvaluator(const CheckSpec& spec,
                                                      const CheckContext& context) const override {
    return std::unique_ptr<RowEvaluator>(
        std::make_unique<Evaluator>(spec, context, ParamReader(info(), spec.params)));
  }
};

}  // namespace dqa
