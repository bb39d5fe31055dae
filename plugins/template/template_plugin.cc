// Template plugin: one row check and one query check showing the whole SDK surface.
#include <cstdint>
#include <string>
#include <string_view>

#include "dqaudit/plugin.h"
#include "dqaudit/sql.h"
#include "dqaudit/text.h"
#include "dqaudit/utf8.h"

namespace {

using dqa::sdk::QuoteIdentifier;

// template.not_empty_trimmed: a text value violates the check when it has leading or trailing
// whitespace, or when it is shorter than `min_length` code points (default 1) after trimming.
class NotEmptyTrimmed : public dqa::sdk::RowCheck {
 public:
  explicit NotEmptyTrimmed(const dqa::sdk::Params& params)
      : min_length_(params.GetInteger("min_length")) {
    // The host refuses a negative min_length when it reads the rule file (the declared Min(0));
    // checking again here keeps the check safe whoever calls it.
    if (min_length_ < 0) throw dqa::sdk::Error("min_length must be >= 0");
  }

  bool Observe(const dqa::sdk::Row& row) override {
    const std::string_view value = row.Text("column").value_or("");
    const std::string_view trimmed = dqa::sdk::TrimAscii(value);
    const bool untrimmed = trimmed.size() != value.size();
    if (untrimmed) ++untrimmed_;
    return untrimmed || static_cast<int64_t>(dqa::sdk::CountCodePoints(trimmed)) < min_length_;
  }

  void Finish(dqa::sdk::Result& result) override {
    result.AddMetric("untrimmed_values", static_cast<double>(untrimmed_));
  }

 private:
  int64_t min_length_;
  int64_t untrimmed_ = 0;
};

// template.distinct_at_least: the table's column has at least `min` distinct non-NULL values
// (one violation when it has fewer). Shows the query API; the metric is the distinct count.
// Besides SQL (ForEach, Scalar), the query API answers the fuzzy-duplicate clusters of a table
// (query.FuzzyClusters(table, request), plugin ABI 1.2; docs/plugin-guide.md "Fuzzy clusters").
class DistinctAtLeast : public dqa::sdk::QueryCheck {
 public:
  explicit DistinctAtLeast(const dqa::sdk::Params& params)
      : column_(params.GetColumn("column")),
        min_(params.GetInteger("min")),
        table_(params.context().table) {}

  void Run(const dqa::sdk::Query& query, dqa::sdk::Result& result) override {
    const std::string sql = "SELECT COUNT(DISTINCT " + QuoteIdentifier(column_) + ") FROM " +
                            QuoteIdentifier(table_) + " WHERE " + QuoteIdentifier(column_) +
                            " IS NOT NULL";
    const int64_t distinct = static_cast<int64_t>(query.Scalar(sql).value_or(0));
    result.AddMetric("distinct_values", static_cast<double>(distinct));
    result.SetCounts(distinct < min_ ? 1 : 0, 1);
    if (distinct < min_) {
      result.AddMessage("distinct_at_least.too_few", {{"column", column_},
                                                       {"n_distinct", std::to_string(distinct)},
                                                       {"n_min", std::to_string(min_)}});
    }
  }

 private:
  std::string column_;
  int64_t min_;
  std::string table_;
};

// The plugin's words in both report languages: every key the plugin reports (AddMessage, and
// "metric.<name>" for AddMetric) has a Vietnamese and an English text, the same {placeholders}
// in both (docs/plugins.md "Messages"; the host refuses a plugin whose catalog breaks this).
const dqa::sdk::Messages kMessages{{
    {"distinct_at_least.too_few", "{column} có {distinct} giá trị khác nhau, cần ít nhất {min}",
     "{column} has {distinct} distinct values, expected at least {min}"},
    {"metric.untrimmed_values", "Giá trị có khoảng trắng thừa", "Values with extra spaces"},
    {"metric.distinct_values", "Số giá trị khác nhau", "Distinct values"},
}};

}  // namespace

DQA_PLUGIN("template", "1.0.0", "template", "Example checks: copy this plugin to start a new one",
           kMessages,
           dqa::sdk::MakeRowCheck<NotEmptyTrimmed>(
               "not_empty_trimmed", "Text has no leading/trailing whitespace and is not empty",
               "validity",
               {{"column", dqa::sdk::ParamType::kColumn, true, "the text column to check"},
                dqa::sdk::Param{"min_length", dqa::sdk::ParamType::kInteger, false,
                                "minimum length in characters after trimming"}
                    .Min(0)
                    .Default(1)}),
           dqa::sdk::MakeQueryCheck<DistinctAtLeast>(
               "distinct_at_least", "A column has at least `min` distinct non-NULL values",
               "completeness",
               {{"column", dqa::sdk::ParamType::kColumn, true, "the column to count"},
                {"min", dqa::sdk::ParamType::kInteger, true, "minimum number of distinct values"}}))
