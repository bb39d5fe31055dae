#include "core/nightly/fingerprint.h"

#include "core/sources/pg_db.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "core/checks/catalog.h"
#include "core/sources/sql_clock.h"
#include "core/worker/messages.h"
#include "dqaudit/text.h"

namespace dqa::nightly {
namespace {

// FNV-1a, 64 bits: a stable digest (std::hash is not stable across builds).
uint64_t Fnv1a(std::string_view text, uint64_t h = 14695981039346656037ull) {
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace

bool PlanReadsReferenceDay(const SourcePlan& plan) {
  for (const TableSpec& table : plan.source.tables) {
    if (SqlMayReadClock(table.filter)) return true;
    for (const CheckSpec& check : table.checks) {
      const CheckType* type = Catalog().Find(check.type);
      if (type == nullptr || type->info().origin != "built-in" ||
          type->info().reads_reference_day || !check.PluginSector().empty()) {
        return true;
      }
      // (a parameter may also be a bound relative to `today`, or SQL of its own)
      const std::string params = check.params.dump();
      if (SqlMayReadClock(check.where) || SqlMayReadClock(params) ||
          sdk::ToLowerAscii(params).find("today") != std::string::npos) {
        return true;
      }
    }
  }
  return false;
}

std::string PlanDigest(const SourcePlan& plan, std::optional<int64_t> pinned_day) {
  SourcePlan stable = plan;
  // The reference instant moves every run; only a pinned day decides results.
  stable.now_unix = 0;
  stable.today_day = 0;
  stable.scan_threads = 0;  // how many threads scan decides nothing
  stable.range_state_dir.clear();  // nor where and whether range states are kept
  stable.reuse_range_states = false;
  stable.full_rescan_after_s = 0;
  if (!pinned_day && stable.source.today_day) pinned_day = stable.source.today_day;
  // A day no check reads decides nothing either.
  std::string day = "now";
  if (pinned_day && PlanReadsReferenceDay(plan)) day = std::to_string(pinned_day.value());
  uint64_t h = Fnv1a(worker::DumpPayload(worker::EncodePlan(stable)));
  h = Fnv1a(fmt::format("|version={}|day={}", DQA_VERSION, day), h);
  for (const std::string& file : plan.plugin_files) {
    struct stat st {};
    const bool ok = ::stat(file.c_str(), &st) == 0;
    h = Fnv1a(ok ? fmt::format("|{}:{}:{}", file, st.st_size, MtimeNs(st))
                 : fmt::format("|{}:missing", file),
              h);
  }
  return fmt::format("{:016x}", h);
}

Result<std::string> SourceFingerprint(const SourcePlan& plan, std::optional<int64_t> pinned_day) {
  if (!plan.source.connection.empty()) {
    // PostgreSQL: the tables' storage and write counts (PgDb::ContentFingerprint) of the source
    // and of every attached schema.
    DQA_ASSIGN_OR_RETURN(std::unique_ptr<PgDb> db, PgDb::Open(plan.source.connection));
    DQA_ASSIGN_OR_RETURN(std::string main, db->ContentFingerprint());
    std::string text = fmt::format("v1 plan={} main={}", PlanDigest(plan, pinned_day), main);
    for (const auto& [alias, connection] : plan.attach_paths) {
      DQA_ASSIGN_OR_RETURN(std::unique_ptr<PgDb> other, PgDb::Open(connection));
      DQA_ASSIGN_OR_RETURN(std::string attached, other->ContentFingerprint());
      text += fmt::format(" attach.{}={}", alias, attached);
    }
    return text;
  }
  if (!plan.source.database.starts_with("sqlite:") || plan.source.db_path.empty()) return std::string();
  DQA_ASSIGN_OR_RETURN(SqliteFileIdentity main, ReadSqliteFileIdentity(plan.source.db_path));
  std::string text = fmt::format("v1 plan={} main={}", PlanDigest(plan, pinned_day), main.ToString());
  for (const auto& [alias, path] : plan.attach_paths) {  // std::map: sorted by alias
    Result<SqliteFileIdentity> attached = ReadSqliteFileIdentity(path);
    if (!attached.ok()) return attached.status().WithContext("attached database " + alias);
    text += fmt::format(" attach.{}={}", alias, attached->ToString());
  }
  return text;
}

}  // namespace dqa::nightly
