#include "core/model/check.h"

#include <array>

namespace dqa {
namespace {

// Index-aligned with CheckParams.
constexpr std::array<std::string_view, std::variant_size_v<CheckParams>> kTypeNames = {
    "row_count", "missing",   "duplicate", "freshness", "stale",     "pattern",
    "allowed",   "range",     "reference", "coverage",  "condition", "sql",
    "plugin"};

}  // namespace

std::string_view CheckTypeName(const CheckParams& params) { return kTypeNames[params.index()]; }

std::optional<Dimension> DefaultDimension(std::string_view type) {
  if (type == "missing" || type == "row_count" || type == "coverage") return Dimension::kCompleteness;
  if (type == "duplicate" || type == "fuzzy_duplicate") return Dimension::kUniqueness;
  if (type == "freshness" || type == "stale") return Dimension::kFreshness;
  if (type == "pattern" || type == "allowed" || type == "range" || type == "reference" ||
      type == "condition" || type == "sql") {
    return Dimension::kValidity;
  }
  return std::nullopt;
}

}  // namespace dqa
