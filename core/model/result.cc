#include "core/model/result.h"

#include <algorithm>

#include "core/model/exit_codes.h"

namespace dqa {

Outcome DecideOutcome(int64_t violations, double percent, const Thresholds& t, Severity severity) {
  Limits fail = t.fail;
  // No thresholds at all: any violation fails.
  if (t.fail.empty() && t.warn.empty()) fail.max_count = 0;
  if (fail.Exceeded(violations, percent)) {
    return severity == Severity::kWarn ? Outcome::kWarn : Outcome::kFail;
  }
  if (t.warn.Exceeded(violations, percent)) return Outcome::kWarn;
  return Outcome::kPass;
}

std::string_view ToString(Direction d) { return d == Direction::kLower ? "lower" : "higher"; }

std::optional<Direction> ParseDirection(std::string_view s) {
  if (s == "higher") return Direction::kHigher;
  if (s == "lower") return Direction::kLower;
  return std::nullopt;
}

Outcome Indicator::Judge() const {
  if (!value || !target) return Outcome::kPass;
  // How far the value is on the wrong side of the target (<= 0: met).
  const double miss = direction == Direction::kHigher ? *target - *value : *value - *target;
  if (miss <= 0) return Outcome::kPass;
  return miss <= warn_within ? Outcome::kWarn : Outcome::kFail;
}

CheckNaming NamingOf(const CheckResult& result) {
  return {.type = result.type, .table = result.table, .columns = result.columns,
          .title = result.title};
}

std::string PluginTextArg(std::string_view lang, std::string_view key) {
  return "@" + std::string(lang) + ":" + std::string(key);
}

const std::string* PluginText(const std::vector<std::pair<std::string, std::string>>& message_args,
                              std::string_view lang, std::string_view key) {
  const std::string name = PluginTextArg(lang, key);
  for (const auto& [arg, value] : message_args) {
    if (arg == name) return &value;
  }
  return nullptr;
}

bool IsSchemaDrift(const CheckResult& result) {
  return result.outcome == Outcome::kError && result.message.starts_with(kSchemaDriftPrefix);
}

int ExitCodeFor(const std::vector<SourceResult>& sources) {
  int code = 0;
  for (const SourceResult& s : sources) {
    if (!s.error.empty()) code = std::max(code, kExitRuntime);
    for (const CheckResult& r : s.results) {
      if (r.outcome == Outcome::kError) code = std::max(code, kExitRuntime);
      if (r.outcome == Outcome::kFail) code = std::max(code, kExitFindings);
    }
  }
  return code;
}

void RankUnits(std::vector<UnitFigures>& units) {
  std::sort(units.begin(), units.end(), [](const UnitFigures& a, const UnitFigures& b) {
    if (a.violations != b.violations) return a.violations > b.violations;
    if (a.percent != b.percent) return a.percent > b.percent;
    return a.unit < b.unit;
  });
}

namespace {

// The administrative level a unit column of the Vietnamese statistics codes names, for messages;
// any other column keeps its name.
std::string_view UnitKind(std::string_view by) {
  if (by == "ma_xa") return "xã";
  if (by == "ma_huyen") return "huyện";
  if (by == "ma_tinh") return "tỉnh";
  return by;
}

}  // namespace

std::string UnitName(const UnitFigures& unit) {
  return unit.label.empty() ? unit.unit : unit.unit + " " + unit.label;
}

std::string WorstUnitsText(const CheckResult& result, size_t n) {
  if (result.breakdowns.empty()) return "";
  const Breakdown& b = result.breakdowns.front();
  std::string out;
  size_t taken = 0;
  bool labelled = false;
  for (const UnitFigures& u : b.units) {
    if (taken == n || u.violations == 0) break;
    out += (taken == 0 ? "" : ", ") + UnitName(u);
    labelled = labelled || !u.label.empty();
    ++taken;
  }
  // Names say what the units are ("819 Huyện Cái Bè"); bare codes get their kind first.
  if (out.empty() || labelled) return out;
  return std::string(UnitKind(b.by)) + " " + out;
}

}  // namespace dqa
