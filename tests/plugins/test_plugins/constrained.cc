// Test plugin "constrained" (ABI 1.1): parameters with every kind of declared constraint, so the
// tests can check what the SDK writes into params_schema_json, what the host reads from it, what
// the rule parser enforces, and that the SDK's getters return the declared defaults.
#include <cstdint>
#include <string>

#include "dqaudit/plugin.h"

namespace {

using dqa::sdk::Param;
using dqa::sdk::ParamType;

// constrained.level: an integer value above `limit` is a violation. Finish reports the values the
// getters returned (metric limit, message "format=<format> label=<label> window=<window>").
class LevelCheck : public dqa::sdk::RowCheck {
 public:
  explicit LevelCheck(const dqa::sdk::Params& p)
      : limit_(p.GetInteger("limit")),
        format_(p.GetString("format")),
        label_(p.GetString("label", "unused fallback")),
        window_(p.GetDuration("window")) {}
  bool Observe(const dqa::sdk::Row& row) override {
    const std::optional<int64_t> v = row.Int("column");
    return v && *v > limit_;
  }
  void Finish(dqa::sdk::Result& result) override {
    result.AddMetric("limit", static_cast<double>(limit_));
    result.SetMessage("format=" + format_ + " label=" + label_ +
                      " window=" + std::to_string(window_.amount) + window_.unit);
  }

 private:
  int64_t limit_;
  std::string format_;
  std::string label_;
  dqa::sdk::Duration window_;
};

}  // namespace

DQA_PLUGIN("constrained", "1.1.0", "constrained", "Parameters with declared constraints",
           dqa::sdk::MakeRowCheck<LevelCheck>(
               "level", "Values must not exceed a limit", "validity",
               {Param{"column", ParamType::kColumn, true, "integer column"},
                Param{"format", ParamType::kString, false, "a, b or c"}
                    .Choices({"a", "b", "c"})
                    .Default("a"),
                Param{"limit", ParamType::kInteger, false, "largest valid value"}
                    .Range(1, 10)
                    .Default(5),
                Param{"ratio", ParamType::kNumber, false, "unused"}.Min(0.5),
                Param{"flags", ParamType::kStringList, false, "unused"}.Choices({"x", "y"}),
                Param{"strict", ParamType::kBool, false, "unused"}.Default(false),
                Param{"window", ParamType::kDuration, false, "a span"}.Default("30d"),
                Param{"label", ParamType::kString, false, "free text"}.Default("say \"hi\"\t")}))
