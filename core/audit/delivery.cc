#include "core/audit/delivery.h"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>

#include "core/checks/delivery.h"
#include "core/sources/open_source.h"
#include "core/sources/pg_db.h"
#include "core/sources/sqlite_file_identity.h"
#include "core/util/dates.h"

namespace dqa {
namespace {

constexpr int64_t kNanosPerSecond = 1000000000;

// The newest parseable value of the record_time column, in UTC seconds; nullopt when none.
Result<std::optional<int64_t>> NewestRecord(const SourceSpec& source, const DeliverySpec& spec) {
  OpenSourceOptions options;
  options.snapshot = false;
  options.with_attached = false;
  DQA_ASSIGN_OR_RETURN(std::unique_ptr<SourceDb> db, OpenSourceDb(source, options));
  DQA_ASSIGN_OR_RETURN(Statement stmt,
                       db->Prepare(fmt::format("SELECT {} FROM {} WHERE {} IS NOT NULL",
                                               QuoteIdent(spec.record_column),
                                               QuoteIdent(spec.record_table),
                                               QuoteIdent(spec.record_column))));
  const int offset = source.utc_offset_minutes.value_or(spec.utc_offset_minutes);
  std::optional<int64_t> newest;
  while (true) {
    DQA_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    if (auto t = ParseDateText(stmt.ColumnText(0), spec.record_format)) {
      const int64_t utc = *t - int64_t{offset} * 60;
      newest = newest ? std::max(*newest, utc) : utc;
    }
  }
  return newest;
}

}  // namespace

DeliveryObservation ObserveDelivery(const SourcePlan& plan, const std::optional<DeliveryRow>& reuse) {
  DeliveryObservation seen;
  const SourceSpec& source = plan.source;
  if (!source.delivery) return seen;
  if (!source.connection.empty()) {
    // PostgreSQL has no file: its content fingerprint, and the time this run saw it, stand for
    // the file identity and modification time (docs/rules.md "Delivery").
    Result<std::unique_ptr<PgDb>> db = PgDb::Open(source.connection);
    Result<std::string> fingerprint =
        db.ok() ? (*db)->ContentFingerprint() : Result<std::string>(db.status());
    if (!fingerprint.ok()) {
      seen.problem = fingerprint.status().message();
      return seen;
    }
    seen.fingerprint = *fingerprint;
    seen.file_time = reuse && reuse->fingerprint == seen.fingerprint && reuse->file_time
                         ? *reuse->file_time
                         : static_cast<int64_t>(std::time(nullptr));
  } else {
    Result<SqliteFileIdentity> id = ReadSqliteFileIdentity(source.db_path);
    if (!id.ok()) {
      seen.problem = id.status().message();
      return seen;
    }
    seen.fingerprint = id->ToString();
    int64_t mtime_ns = id->mtime_ns;
    if (id->wal) mtime_ns = std::max(mtime_ns, id->wal->mtime_ns);
    seen.file_time = mtime_ns / kNanosPerSecond;
  }
  if (source.delivery->record_table.empty()) return seen;
  if (reuse && reuse->fingerprint == seen.fingerprint) {
    seen.newest_record = reuse->newest_record;
    return seen;
  }
  Result<std::optional<int64_t>> newest = NewestRecord(source, *source.delivery);
  if (newest.ok()) {
    seen.newest_record = *newest;
  } else {
    seen.problem = newest.status().message();
  }
  return seen;
}

int64_t DeliveryReference(const DeliverySpec& spec, std::optional<int64_t> pinned_day,
                          int64_t now_unix) {
  if (!pinned_day) return now_unix;
  return (*pinned_day + 1) * kSecondsPerDay - int64_t{spec.utc_offset_minutes} * 60 - 1;
}

Result<CheckResult> JudgeDelivery(HistoryStore* store, std::optional<int64_t> run_id,
                                  const SourcePlan& plan, const DeliveryObservation& seen,
                                  int64_t reference, DeliveryRow& row) {
  const DeliverySpec& spec = *plan.source.delivery;
  DeliveryFacts facts;
  facts.source = plan.source.id;
  facts.file_time = seen.file_time;
  facts.newest_record = seen.newest_record;
  facts.record_problem = seen.problem;
  facts.reference = reference;
  facts.samples = plan.samples;
  std::optional<DeliveryRow> previous;
  if (store != nullptr && run_id) {
    DQA_ASSIGN_OR_RETURN(previous, LastDeliveryRow(*store, plan.source.id, *run_id));
    DQA_ASSIGN_OR_RETURN(std::vector<DeliveryRow> rows,
                         ListDeliveryRows(*store, plan.source.id, std::nullopt, *run_id));
    for (const DeliveryRow& r : rows) {
      if (r.changed && r.file_time) facts.deliveries.push_back(*r.file_time);
    }
  }
  facts.first_observation = !previous.has_value();
  row = DeliveryRow{};
  row.run_id = run_id.value_or(0);
  row.source = plan.source.id;
  row.fingerprint = seen.fingerprint;
  row.file_time = seen.file_time;
  row.newest_record = seen.newest_record;
  row.changed = !seen.fingerprint.empty() && (!previous || previous->fingerprint != seen.fingerprint);
  if (row.changed && seen.file_time) facts.deliveries.push_back(*seen.file_time);
  DueVerdict latest;
  CheckResult finding = DeliveryResult(spec, facts, &latest);
  row.due_at = latest.due;
  row.verdict = std::string(ToString(latest.kind));
  row.utc_offset_minutes = spec.utc_offset_minutes;
  return finding;
}

void PutDeliveryFinding(SourceResult& result, CheckResult finding) {
  std::erase_if(result.results, [](const CheckResult& r) { return r.type == "delivery"; });
  result.results.push_back(std::move(finding));
}

}  // namespace dqa
