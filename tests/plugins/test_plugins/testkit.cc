// Test plugin "testkit": a row check and a query check with known, exactly countable semantics.
#include <cstdint>
#include <string>

#include "dqaudit/plugin.h"

namespace {

// testkit.odd: an integer value that is odd (or, with `allow_text: false`, any non-integer) is a
// violation. `other` (optional column) must be non-NULL when given: a NULL there is a violation
// too, which shows that only the first column parameter's NULLs are skipped.
class OddCheck : public dqa::sdk::RowCheck {
 public:
  explicit OddCheck(const dqa::sdk::Params& p)
      : allow_text_(p.GetBool("allow_text", true)), has_other_(p.Has("other")) {
    if (p.GetString("mode", "normal") == "refuse") throw dqa::sdk::Error("mode refuse: refused");
  }
  bool Observe(const dqa::sdk::Row& row) override {
    if (has_other_ && row.IsNull("other")) return true;
    const std::optional<int64_t> v = row.Int("column");
    if (!v) return !allow_text_;
    if (*v < 0) throw dqa::sdk::Error("negative value " + std::to_string(*v));
    ++integers_;
    if (*v % 2 != 0) ++odd_;
    return *v % 2 != 0;
  }
  void Finish(dqa::sdk::Result& result) override {
    result.AddMetric("odd_values", static_cast<double>(odd_));
    // ABI 1.3: the share of even integers, at least half.
    dqa::sdk::Indicator even = dqa::sdk::Indicator::Share("even_share", integers_ - odd_, integers_);
    even.title = "Even values";
    even.target = 50;
    even.warn_within = 10;
    result.AddIndicator(even);
  }

 private:
  bool allow_text_;
  bool has_other_;
  int64_t integers_ = 0;
  int64_t odd_ = 0;
};

// testkit.above: counts rows of `table` (may be "alias.table") whose `column` is above `limit`,
// through the host query API with a bound parameter; samples are those rows' `column` values.
class AboveCheck : public dqa::sdk::QueryCheck {
 public:
  explicit AboveCheck(const dqa::sdk::Params& p)
      : table_(p.GetString("table")), column_(p.GetString("value_column")),
        limit_(p.GetNumber("limit")) {}
  void Run(const dqa::sdk::Query& query, dqa::sdk::Result& result) override {
    const int64_t total =
        static_cast<int64_t>(query.Scalar("SELECT COUNT(*) FROM " + table_).value_or(0));
    int64_t above = 0;
    query.ForEach("SELECT " + column_ + " AS v FROM " + table_ + " WHERE " + column_ +
                      " > ? ORDER BY rowid",
                  {limit_}, [&](const dqa::sdk::Row& row) {
                    ++above;
                    result.AddSample({std::string(row.Text("v").value_or(""))});
                  });
    result.SetCounts(above, total);
    result.AddMetric("above_percent", total > 0 ? 100.0 * static_cast<double>(above) /
                                                      static_cast<double>(total)
                                                : 0.0);
    // ABI 1.3: the share above the limit, at most 70%; and one without a target or a value.
    dqa::sdk::Indicator share = dqa::sdk::Indicator::Share("above_share", above, total);
    share.target = 70;
    share.higher = false;
    result.AddIndicator(share);
    result.AddIndicator(dqa::sdk::Indicator::Share("nothing", 0, 0));
  }

 private:
  std::string table_;
  std::string column_;
  double limit_;
};

// testkit.writes: tries to write through the query API (must be refused: read-only).
class WritesCheck : public dqa::sdk::QueryCheck {
 public:
  explicit WritesCheck(const dqa::sdk::Params&) {}
  void Run(const dqa::sdk::Query& query, dqa::sdk::Result& result) override {
    query.ForEach("CREATE TABLE hacked(x)", {}, [](const dqa::sdk::Row&) {});
    result.SetCounts(0, 0);
  }
};

}  // namespace

DQA_PLUGIN("testkit", "2.3.4", "testkit", "Checks with exactly countable semantics for tests",
           dqa::sdk::MakeRowCheck<OddCheck>(
               "odd", "Integer values must be even", "validity",
               {{"column", dqa::sdk::ParamType::kColumn, true, "integer column"},
                {"other", dqa::sdk::ParamType::kColumn, false, "must be non-NULL"},
                {"allow_text", dqa::sdk::ParamType::kBool, false, "non-integers pass"},
                {"mode", dqa::sdk::ParamType::kString, false, "refuse: creation fails"},
                {"max_age", dqa::sdk::ParamType::kDuration, false, "unused"},
                {"tags", dqa::sdk::ParamType::kStringList, false, "unused"},
                {"count", dqa::sdk::ParamType::kInteger, false, "unused"}}),
           dqa::sdk::MakeQueryCheck<AboveCheck>(
               "above", "Rows above a limit", "completeness",
               {{"table", dqa::sdk::ParamType::kString, true, "table, may be alias.table"},
                {"value_column", dqa::sdk::ParamType::kString, true, "column compared"},
                {"limit", dqa::sdk::ParamType::kNumber, true, "the limit"}}),
           dqa::sdk::MakeQueryCheck<WritesCheck>("writes", "Tries to write", "validity", {}))
