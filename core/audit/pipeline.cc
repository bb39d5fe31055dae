#include "core/audit/pipeline.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <future>

#include "core/audit/baselines.h"
#include "core/audit/delivery.h"
#include "core/audit/schema_changes.h"
#include "core/engine/audit.h"
#include "core/model/exit_codes.h"
#include "core/rules/loader.h"
#include "core/util/dates.h"

namespace dqa {
namespace {

// Records each finished source (with its fingerprint) and passes it on to the RunProgress.
class RecordingObserver : public AuditObserver {
 public:
  RecordingObserver(HistoryStore* store, std::optional<int64_t> run_id,
                    const std::map<std::string, std::string>& fingerprints,
                    const PreparedAudit& audit, RunProgress& progress, size_t total, size_t done)
      : store_(store),
        run_id_(run_id),
        fingerprints_(fingerprints),
        audit_(audit),
        progress_(progress),
        total_(total),
        done_(done) {}

  void OnSourceStarted(const SourcePlan& plan) override {
    spdlog::debug("scanning {} ({})", plan.source.id, plan.source.database);
    progress_.OnSourceStarted(plan);
    // Its schema is read while it is scanned, on a thread of its own (this one mostly waits for
    // the workers meanwhile), so that the comparison does not lengthen the end of the run.
    if (store_ != nullptr && run_id_ && !schemas_.contains(plan.source.id)) {
      schemas_.emplace(plan.source.id,
                       std::async(std::launch::async, [source = plan.source]() -> Result<SourceSchema> {
                         try {
                           return ReadSchemaOf(source);
                         } catch (const std::exception& e) {
                           return Internal(e.what());
                         }
                       }));
    }
  }

  // The carried sources, recorded at OnScansUnderWay (once).
  void CarryOnceUnderWay(std::vector<const SourceResult*> carried) { carried_ = std::move(carried); }
  void OnScansUnderWay() override {
    std::vector<const SourceResult*> carried = std::move(carried_);
    carried_.clear();
    for (const SourceResult* result : carried) Record(*result);
  }

  void OnPluginQuarantined(const std::string& plugin, const std::string& reason) override {
    progress_.OnPluginQuarantined(plugin, reason);
  }

  void OnSourceProgress(const SourcePlan& plan, const TableScanProgress& progress) override {
    progress_.OnSourceProgress(plan, progress);
  }

  void OnSourceFinished(const SourceResult& finished) override { Finished(SourceResult(finished)); }
  // (the result is kept: moved in, not copied)
  void TakeFinishedSource(SourceResult& finished) override { Finished(std::move(finished)); }

  void Finished(SourceResult finished) {
    SourceResult result = Complete(std::move(finished));
    if (auto it = fingerprints_.find(result.source); it != fingerprints_.end()) {
      result.fingerprint = it->second;
    }
    // The schema is compared with the last recorded one only when this run is recorded: without a
    // store there is nothing to compare with, nor a place to keep it.
    std::optional<RecordedSchema> schema;
    if (store_ != nullptr && run_id_) {
      for (const SourcePlan& plan : audit_.plans) {
        if (plan.source.id != result.source) continue;
        std::optional<Result<SourceSchema>> read;
        if (auto it = schemas_.find(result.source); it != schemas_.end()) {
          read = it->second.get();
          schemas_.erase(it);
        }
        auto compared = CompareSchemaWithLastRun(*store_, *run_id_, plan.source, result,
                                                 read ? &*read : nullptr);
        if (compared.ok()) {
          schema = std::move(*compared);
        } else {
          spdlog::warn("source {}: its schema could not be compared with the last run: {}",
                       result.source, compared.status().message());
        }
      }
    }
    Record(std::move(result), schema ? &*schema : nullptr);
  }

  // What the run saw of the databases of the sources with a delivery cadence, and the reference
  // time of each (ObserveDelivery), taken before anything is scanned.
  void ObserveDeliveries(std::optional<int64_t> pinned_day, int64_t now_unix) {
    for (const SourcePlan& plan : audit_.plans) {
      if (!plan.source.delivery) continue;
      std::optional<DeliveryRow> previous;
      if (store_ != nullptr && run_id_) {
        Result<std::optional<DeliveryRow>> last =
            LastDeliveryRow(*store_, plan.source.id, *run_id_);
        if (last.ok()) previous = *last;
      }
      const std::optional<int64_t> day = pinned_day ? pinned_day : plan.source.today_day;
      DeliveryObservation seen = ObserveDelivery(plan, previous);
      // A PostgreSQL source is seen when its fingerprint is read, which may be a second after the
      // run started: the reference is never before that, or the run would judge the delivery it
      // just saw as not yet made.
      int64_t now = now_unix;
      if (!plan.source.connection.empty() && seen.file_time) now = std::max(now, *seen.file_time);
      deliveries_[plan.source.id] = {std::move(seen),
                                     DeliveryReference(*plan.source.delivery, day, now)};
    }
  }

  // Records `recorded` with its delivery finding, then its `schema` (or, for a carried source, the
  // schema of the run it was carried from), and reports it (also used for carried sources).
  void Record(SourceResult result, const RecordedSchema* schema = nullptr) {
    ++done_;
    DeliveryRow delivery;
    const bool has_delivery = AddDeliveryFinding(result, delivery);
    if (store_ != nullptr && run_id_) {
      // (one transaction: one sync of the store's log at the end of the night, not three)
      Status s = store_->RecordSource(*run_id_, result, [&]() -> Status {
        if (has_delivery) DQA_RETURN_IF_ERROR(RecordDelivery(*store_, delivery));
        if (schema != nullptr) DQA_RETURN_IF_ERROR(RecordSchema(*store_, result.source, *schema));
        if (result.carried_from_run) DQA_RETURN_IF_ERROR(CarrySchema(*store_, *run_id_, result));
        return Status::Ok();
      });
      if (!s.ok()) {
        spdlog::error("history store: {}", s.message());
        history_failed_ = true;
      }
    }
    progress_.OnSourceDone(result, done_, total_);
    finished_[result.source] = std::move(result);
  }

  // The source as it was recorded (its delivery and schema findings in place), moved out: the
  // run's results are assembled once, at its end. nullopt if it was not recorded.
  std::optional<SourceResult> TakeFinished(const std::string& source) {
    const auto it = finished_.find(source);
    if (it == finished_.end()) return std::nullopt;
    SourceResult taken = std::move(it->second);
    finished_.erase(it);
    return taken;
  }

  bool history_failed() const { return history_failed_; }

  // Judges the deliveries of `result`'s source, when it has a cadence, into its results and
  // `row`. False when the source has none.
  bool AddDeliveryFinding(SourceResult& result, DeliveryRow& row) {
    const auto seen = deliveries_.find(result.source);
    if (seen == deliveries_.end()) return false;
    for (const SourcePlan& plan : audit_.plans) {
      if (plan.source.id != result.source) continue;
      Result<CheckResult> finding = JudgeDelivery(store_, run_id_, plan, seen->second.first,
                                                  seen->second.second, row);
      if (!finding.ok()) {
        spdlog::error("history store: {}", finding.status().message());
        history_failed_ = true;
        return false;
      }
      PutDeliveryFinding(result, std::move(finding).value());
      return true;
    }
    return false;
  }

  // `scanned` with the errors of its broken checks in their places (WithBrokenChecks).
  SourceResult Complete(SourceResult scanned) const {
    const auto broken = audit_.broken.find(scanned.source);
    if (broken == audit_.broken.end()) return scanned;
    for (const SourcePlan& plan : audit_.plans) {
      if (plan.source.id == scanned.source) {
        return WithBrokenChecks(plan, std::move(scanned), broken->second);
      }
    }
    return scanned;
  }

 private:
  HistoryStore* store_;
  std::optional<int64_t> run_id_;
  const std::map<std::string, std::string>& fingerprints_;
  const PreparedAudit& audit_;
  RunProgress& progress_;
  size_t total_;
  size_t done_;
  bool history_failed_ = false;
  std::map<std::string, std::pair<DeliveryObservation, int64_t>> deliveries_;  // and reference
  std::map<std::string, SourceResult> finished_;  // by source id
  // The schemas being read of the sources being scanned (OnSourceStarted), by source id.
  std::map<std::string, std::future<Result<SourceSchema>>> schemas_;
  std::vector<const SourceResult*> carried_;  // to record at OnScansUnderWay
};

}  // namespace

int64_t RunToday(const AuditOptions& options, const std::vector<SourcePlan>& plans) {
  if (options.today_day) return *options.today_day;
  if (!plans.empty()) {
    bool same = true;
    for (const SourcePlan& p : plans) same = same && p.today_day == plans.front().today_day;
    if (same) return plans.front().today_day;
  }
  return DayOf(WallClock(options.now_unix.value_or(NowUnixMs() / 1000), options.utc_offset_minutes));
}

std::string LogLevelName() {
  const spdlog::level::level_enum level = spdlog::default_logger()->level();
  if (level == spdlog::level::warn) return "warn";
  const auto name = spdlog::level::to_string_view(level);
  return std::string(name.data(), name.size());
}

Result<PreparedAudit> PrepareAudit(const PrepareOptions& options) {
  LoadPlugins(options.plugins);  // plugin check types are resolved while the rules load
  DQA_ASSIGN_OR_RETURN(std::vector<SourceSpec> sources, LoadRules(options.rule_paths));
  std::vector<std::string> unreachable;
  BrokenChecksBySource broken;
  DQA_RETURN_IF_ERROR(ValidateAgainstDatabases(sources, &unreachable, &broken));
  for (const std::string& id : unreachable) {
    spdlog::warn("source {}: its database cannot be opened; it will be reported as an error", id);
  }
  for (const auto& [id, checks] : broken) {
    spdlog::warn("source {}: {} check(s) cannot run and will end in error (first: {}: {})",
                 id, checks.size(), checks.begin()->first, checks.begin()->second);
  }
  PreparedAudit audit;
  audit.plans = PlanAudit(sources, options.audit);
  audit.broken = std::move(broken);
  audit.today_day = RunToday(options.audit, audit.plans);
  audit.pinned_day = options.audit.today_day;
  audit.now_unix = options.audit.now_unix;
  return audit;
}

Result<RecordedRun> RunRecordedAudit(HistoryStore* store, const PreparedAudit& audit,
                                     const RecordedRunOptions& options, RunProgress& progress) {
  RecordedRun run;
  run.started_unix_ms = NowUnixMs();
  if (store != nullptr) {
    RunStart start;
    start.started_unix_ms = run.started_unix_ms;
    start.today = FormatDay(audit.today_day);
    start.version = DQA_VERSION;
    start.command_line = options.command_line;
    start.pid = getpid();
    start.host = HostName();
    start.sources_planned = static_cast<int64_t>(audit.plans.size());
    start.kind = options.kind;
    start.resumed_from = options.resumed_from;
    DQA_ASSIGN_OR_RETURN(run.run_id, store->BeginRun(start));
  }

  // Carried sources are recorded as the scan starts (OnScansUnderWay), so that a run killed
  // during the scan already holds them.
  std::vector<SourcePlan> to_scan;
  std::vector<const SourceResult*> carried;
  for (const SourcePlan& plan : audit.plans) {
    auto it = options.carried.find(plan.source.id);
    if (it == options.carried.end()) {
      const auto broken = audit.broken.find(plan.source.id);
      to_scan.push_back(broken == audit.broken.end() ? plan
                                                     : WithoutBrokenChecks(plan, broken->second));
      if (store != nullptr) AttachBaselines(*store, *run.run_id, to_scan.back());
    } else {
      carried.push_back(&it->second);
    }
  }
  run.carried = carried.size();
  RecordingObserver observer(store, run.run_id, options.fingerprints, audit, progress,
                             audit.plans.size(), 0);
  observer.ObserveDeliveries(audit.pinned_day,
                             audit.now_unix.value_or(run.started_unix_ms / 1000));
  progress.OnRunStarted(audit.plans.size(), carried.size());
  // Scanned in workers, the carried sources are recorded once the first workers have their
  // plans (their commits would hold the scans up), else now.
  observer.CarryOnceUnderWay(carried);
  if (options.in_process || to_scan.empty()) observer.OnScansUnderWay();

  std::vector<SourceResult> scanned;
  if (!to_scan.empty()) {
    if (options.in_process) {
      scanned = RunAudit(to_scan, options.supervisor.jobs, observer);
    } else {
      scanned = worker::RunAuditInWorkers(to_scan, options.supervisor, observer);
    }
  }
  observer.OnScansUnderWay();  // (had every worker failed to start)
  run.finished_unix_ms = NowUnixMs();

  // Plan order, carried ones in their place.
  size_t next_scanned = 0;
  for (const SourcePlan& plan : audit.plans) {
    auto it = options.carried.find(plan.source.id);
    if (it == options.carried.end()) ++next_scanned;
    if (std::optional<SourceResult> finished = observer.TakeFinished(plan.source.id)) {
      run.results.push_back(std::move(*finished));
    } else if (it != options.carried.end()) {
      run.results.push_back(it->second);
    } else {
      SourceResult result = observer.Complete(scanned[next_scanned - 1]);
      if (auto fp = options.fingerprints.find(result.source); fp != options.fingerprints.end()) {
        result.fingerprint = fp->second;
      }
      run.results.push_back(std::move(result));
    }
  }
  run.history_failed = observer.history_failed();
  run.exit_code = ExitCodeFor(run.results);
  if (run.history_failed) run.exit_code = std::max(run.exit_code, kExitRuntime);
  return run;
}

}  // namespace dqa
