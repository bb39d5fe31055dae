#include "core/nightly/incremental.h"

#include <fmt/format.h>

#include <string_view>

#include "core/util/dates.h"

namespace dqa::nightly {
namespace {

// The "plan=<digest>" token of a fingerprint (SourceFingerprint), "" when it has none.
std::string_view PlanToken(std::string_view fingerprint) {
  const size_t at = fingerprint.find(" plan=");
  if (at == std::string_view::npos) return {};
  const std::string_view rest = fingerprint.substr(at + 1);
  return rest.substr(0, rest.find(' '));
}

}  // namespace

std::vector<SourceDecision> DecideSources(const std::vector<std::string>& sources,
                                          const std::map<std::string, std::string>& fingerprints,
                                          const std::map<std::string, CleanScan>& last,
                                          int64_t now_unix_ms, const Duration& rescan_after,
                                          bool full) {
  const int64_t oldest_ms = ShiftBy(now_unix_ms / 1000, rescan_after, -1) * 1000;
  std::vector<SourceDecision> out;
  for (const std::string& source : sources) {
    SourceDecision d;
    d.source = source;
    auto candidate = last.find(source);
    if (candidate != last.end()) d.last = candidate->second;
    auto fp = fingerprints.find(source);
    if (full) {
      d.reason = ScanReason::kFull;
    } else if (fp == fingerprints.end() || fp->second.empty()) {
      d.reason = ScanReason::kNoFingerprint;
    } else if (!d.last) {
      d.reason = ScanReason::kNoEarlierScan;
    } else if (d.last->fingerprint != fp->second) {
      d.reason = PlanToken(d.last->fingerprint) != PlanToken(fp->second) ? ScanReason::kPlanChanged
                                                                          : ScanReason::kChanged;
    } else if (d.last->scanned_unix_ms < oldest_ms) {
      d.reason = ScanReason::kTooOld;
    } else {
      d.reason = ScanReason::kCarried;
    }
    out.push_back(std::move(d));
  }
  return out;
}

std::string Describe(const SourceDecision& d) {
  const std::string when =
      d.last ? FormatTimestamp(d.last->scanned_unix_ms / 1000) : std::string();
  switch (d.reason) {
    case ScanReason::kCarried:
      return fmt::format("unchanged since run {} (scanned {}): carried over", d.last->origin_run_id,
                         when);
    case ScanReason::kFull: return "--full: scanning";
    case ScanReason::kNoFingerprint: return "no fingerprint: scanning";
    case ScanReason::kNoEarlierScan: return "no earlier clean scan: scanning";
    case ScanReason::kPlanChanged:
      return fmt::format("rules, settings, reference day, dqaudit or plugins changed since run {}: "
                         "scanning",
                         d.last->origin_run_id);
    case ScanReason::kChanged:
      return fmt::format("database changed since run {}: scanning", d.last->origin_run_id);
    case ScanReason::kTooOld:
      return fmt::format("unchanged, but last scanned {} (run {}), older than rescan_after: "
                         "scanning",
                         when, d.last->origin_run_id);
  }
  return "";
}

}  // namespace dqa::nightly
