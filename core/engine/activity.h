// ScanActivity: what a scanning process is doing, published in a memory page that the supervisor
// reads after the process died (which plugin was running, how many snapshots and table passes).
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace dqa {

// The layout of the page shared by a worker and its supervisor (memfd + MAP_SHARED). The worker
// writes with relaxed atomic stores; the supervisor reads after waitpid() reaped the worker, so no
// stronger ordering is needed. The supervisor initialises it (InitActivityPage) before the spawn.
struct ActivityPage {
  std::atomic<int32_t> phase;   // ActivityPhase
  std::atomic<int32_t> plugin;  // index into SourcePlan::plugin_files; -1 = core code
  std::atomic<int32_t> check;   // index of the running plugin's check in plan order; -1 = none
  std::atomic<int32_t> reserved;
  std::atomic<int64_t> snapshots;     // read snapshots begun (one per ScanSource)
  std::atomic<int64_t> table_passes;  // fused row scans of a table (one per table with row checks)
};
static_assert(std::atomic<int32_t>::is_always_lock_free &&
                  std::atomic<int64_t>::is_always_lock_free,
              "ActivityPage must be lock-free to live in shared memory");

enum class ActivityPhase : int32_t {
  kStarting = 0,  // before the scan: reading the plan, saying hello
  kScanning = 1,  // inside ScanSource
  kDone = 2,      // every result was sent
};

// Sets every field of `page` to its initial value (phase kStarting, plugin and check -1, counters
// 0).
void InitActivityPage(ActivityPage& page);

// From now on this process publishes into `page` (nullptr: publishes nothing, the default, as in
// --in-process). `plugin_files` and `check_ids` define the indexes written to page.plugin and
// page.check. Call before the scan starts, from the thread that will scan.
void PublishActivity(ActivityPage* page, std::vector<std::string> plugin_files,
                     std::vector<std::string> check_ids);

void SetActivityPhase(ActivityPhase phase);

// The index of a plugin library (canonical path) / check id for PluginCall; -1 when unknown or
// when nothing is published.
int ActivityPluginSlot(const std::string& file);
int ActivityCheckSlot(const std::string& check_id);

// Counters of the page (no-ops when nothing is published).
void NoteSnapshot();
void NoteTablePass();

// Marks a call into plugin code: publishes (plugin, check) for its lifetime and restores what was
// published before (calls may nest: a plugin query runs host code inside the plugin's call).
class PluginCall {
 public:
  PluginCall(int plugin, int check) noexcept;
  ~PluginCall();
  PluginCall(const PluginCall&) = delete;
  PluginCall& operator=(const PluginCall&) = delete;

 private:
  ActivityPage* page_;
  int32_t previous_plugin_ = -1;
  int32_t previous_check_ = -1;
};

}  // namespace dqa
