// The built-in check types. Each is defined in core/checks/<name>.cc as a function returning its
// CheckType; adding one is that file plus one line here (the order is `dqaudit checks list`'s).
#include "core/checks/catalog.h"

#define DQA_BUILTIN_CHECK_TYPES(X) \
  X(RowCountCheckType)             \
  X(MissingCheckType)              \
  X(DuplicateCheckType)            \
  X(FuzzyDuplicateCheckType)       \
  X(FreshnessCheckType)            \
  X(StaleCheckType)                \
  X(PatternCheckType)              \
  X(AllowedCheckType)              \
  X(RangeCheckType)                \
  X(ReferenceCheckType)            \
  X(CoverageCheckType)             \
  X(ConditionCheckType)            \
  X(SqlCheckType)                  \
  X(StandardTextCheckType)         \
  X(SchemaCheckType)               \
  X(ReconcileCheckType)            \
  X(MetricCheckType)               \
  X(DriftCheckType)                \
  X(IndicatorCheckType)

namespace dqa {

#define DQA_DECLARE_CHECK_TYPE(F) std::unique_ptr<CheckType> F();
DQA_BUILTIN_CHECK_TYPES(DQA_DECLARE_CHECK_TYPE)
#undef DQA_DECLARE_CHECK_TYPE

void RegisterBuiltinChecks(CheckCatalog& catalog) {
#define DQA_ADD_CHECK_TYPE(F) (void)catalog.Add(F());
  DQA_BUILTIN_CHECK_TYPES(DQA_ADD_CHECK_TYPE)
#undef DQA_ADD_CHECK_TYPE
}

}  // namespace dqa
