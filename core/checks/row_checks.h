// The built-in checks evaluated per row of the fused table scan, one class per check type.
// Semantics: docs/checks.md. All of them only see rows in scope (table filter and check `where`).
#pragma once

#include <re2/re2.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/checks/evaluator.h"

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

// rows checked = rows in scope; violation (0/1) = count outside [min, max]; value = the count.
class RowCountCheck : public RowEvaluator {
 public:
  RowCountCheck(const CheckSpec& spec, const CheckContext& context, const RowCountParams& params)
      : RowEvaluator(spec, context), params_(params) {}

 protected:
  void ObserveInScope(const ScanRow&) override { ++rows_checked_; }
  std::string Complete(CheckResult& result) override;

 private:
  RowCountParams params_;
};

// NULL, blank (blank_is_missing) or a trimmed NFC text form in missing_values.
class MissingCheck : public RowEvaluator {
 public:
  MissingCheck(const CheckSpec& spec, const CheckContext& context, const MissingParams& params);

 protected:
  void ObserveInScope(const ScanRow& row) override;
  std::string Complete(CheckResult& result) override;

 private:
  bool blank_is_missing_;
  StringSet missing_values_;  // trimmed, NFC
  std::string scratch_, nfc_scratch_;
};

// Counts rows whose key columns are all non-NULL during the scan; violations and groups come from
// the grouping query (RunDuplicateGrouping) through SetGrouping.
class DuplicateCheck : public RowEvaluator {
 public:
  DuplicateCheck(const CheckSpec& spec, const CheckContext& context)
      : RowEvaluator(spec, context) {}
  void SetGrouping(int64_t violations, int64_t groups) {
    violations_ = violations;
    groups_ = groups;
  }
  void SetSamples(std::vector<std::vector<std::string>> samples) { samples_ = std::move(samples); }

 protected:
  void ObserveInScope(const ScanRow& row) override;
  std::string Complete(CheckResult& result) override;

 private:
  int64_t groups_ = 0;
};

// Violation (0/1): the newest parseable date is older than now - max_age, or there is none.
class FreshnessCheck : public RowEvaluator {
 public:
  FreshnessCheck(const CheckSpec& spec, const CheckContext& context, const FreshnessParams& params)
      : RowEvaluator(spec, context), params_(params) {}

 protected:
  void ObserveInScope(const ScanRow& row) override;
  std::string Complete(CheckResult& result) override;

 private:
  FreshnessParams params_;
  std::optional<int64_t> newest_;
  int64_t unparseable_ = 0;
};

// Violation: a date strictly older than now - older_than, or unparseable.
class StaleCheck : public RowEvaluator {
 public:
  StaleCheck(const CheckSpec& spec, const CheckContext& context, const StaleParams& params);

 protected:
  void ObserveInScope(const ScanRow& row) override;
  std::string Complete(CheckResult& result) override;

 private:
  StaleParams params_;
  int64_t cutoff_;
  int64_t unparseable_ = 0;
};

// Violation: the NFC text form has no match of the re2 regex (PartialMatch).
class PatternCheck : public RowEvaluator {
 public:
  PatternCheck(const CheckSpec& spec, const CheckContext& context, const PatternParams& params);
  // Not OK when the regex does not compile.
  Status status() const;

 protected:
  void ObserveInScope(const ScanRow& row) override;
  std::string Complete(CheckResult& result) override;

 private:
  std::unique_ptr<RE2> regex_;
  std::string scratch_, nfc_scratch_;
};

// Violation: the text form (NFC unless normalize: false) is not exactly one of the values.
class AllowedCheck : public RowEvaluator {
 public:
  AllowedCheck(const CheckSpec& spec, const CheckContext& context, const AllowedParams& params);

 protected:
  void ObserveInScope(const ScanRow& row) override;
  std::string Complete(CheckResult& result) override;

 private:
  bool normalize_;
  StringSet values_;
  std::string scratch_, nfc_scratch_;
};

// Violation: outside [min, max] (numbers, or calendar dates); unparseable values count.
class RangeCheck : public RowEvaluator {
 public:
  RangeCheck(const CheckSpec& spec, const CheckContext& context, const RangeParams& params);

 protected:
  void ObserveInScope(const ScanRow& row) override;
  std::string Complete(CheckResult& result) override;

 private:
  std::string BoundText(const std::optional<Bound>& bound, std::optional<double> number,
                        std::optional<int64_t> day) const;
  RangeParams params_;
  bool dates_;
  std::optional<double> min_number_, max_number_;
  std::optional<int64_t> min_day_, max_day_;
  int64_t unparseable_ = 0;
};

// Violation: the text form is not among the text forms of the referenced column's values.
class ReferenceCheck : public RowEvaluator {
 public:
  ReferenceCheck(const CheckSpec& spec, const CheckContext& context, const ReferenceParams& params)
      : RowEvaluator(spec, context), params_(params) {}
  Status Prepare(SqliteDb& db) override;

 protected:
  void ObserveInScope(const ScanRow& row) override;
  std::string Complete(CheckResult& result) override;

 private:
  ReferenceParams params_;
  StringSet values_;
  std::string scratch_;
};

// rows checked = distinct expected values; violation: an expected value with fewer than min_rows
// rows in scope. Samples are the uncovered values (in the expected column's sort order).
class CoverageCheck : public RowEvaluator {
 public:
  CoverageCheck(const CheckSpec& spec, const CheckContext& context, const CoverageParams& params)
      : RowEvaluator(spec, context), params_(params) {}
  Status Prepare(SqliteDb& db) override;

 protected:
  void ObserveInScope(const ScanRow& row) override;
  std::string Complete(CheckResult& result) override;

 private:
  CoverageParams params_;
  std::vector<std::string> expected_;  // in order
  std::unordered_map<std::string, int64_t, StringHash, std::equal_to<>> counts_;
  std::string scratch_;
};

// rows checked = rows in scope; violation: invalid_when is true (NULL is not true).
class ConditionCheck : public RowEvaluator {
 public:
  ConditionCheck(const CheckSpec& spec, const CheckContext& context, const ConditionParams& params)
      : RowEvaluator(spec, context), params_(params) {}
  std::vector<std::string> Columns() const override { return {}; }
  std::string FlagExpression() const override { return params_.invalid_when; }

 protected:
  void ObserveInScope(const ScanRow& row) override;
  std::string Complete(CheckResult& result) override;

 private:
  ConditionParams params_;
};

}  // namespace dqa
