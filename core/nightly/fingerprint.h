// Fingerprints of SQLite sources for incremental nightly scans (docs/nightly.md "Incremental").
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/engine/plan.h"
#include "core/sources/sqlite_file_identity.h"
#include "core/util/status.h"

namespace dqa::nightly {

using dqa::ReadSqliteFileIdentity;
using dqa::SqliteFileIdentity;
using dqa::WalIdentity;

// Whether the results of `plan` may depend on its reference day or instant: one of its checks is
// of a type that reads it (CheckTypeInfo::reads_reference_day: freshness, stale, range, metric),
// of a plugin's type or of a type the catalogue does not have, has a parameter that names
// `today`, or has SQL (its `where`, its parameters, the table's filter) that may read the clock.
bool PlanReadsReferenceDay(const SourcePlan& plan);

// A digest of what else decides a source's results: its plan (rules, attachments, samples,
// plugin files) without the reference instant, plus the reference day when it is pinned (rule
// file `today:` or `pinned_day`) and PlanReadsReferenceDay, the dqaudit version and each plugin
// file's size and mtime. 16 hex digits (FNV-1a 64).
std::string PlanDigest(const SourcePlan& plan, std::optional<int64_t> pinned_day);

// The fingerprint recorded with a scanned source:
// "v1 plan=<PlanDigest> main=<identity> attach.<alias>=<identity>..." (aliases sorted).
// "" (no fingerprint: always scanned) for sources that are not SQLite files. Errors from
// ReadSqliteFileIdentity (the source is then scanned and reports its own error).
Result<std::string> SourceFingerprint(const SourcePlan& plan, std::optional<int64_t> pinned_day);

}  // namespace dqa::nightly
