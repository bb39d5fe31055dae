// ScanActivity: what a scanning process is doing, published in a memory page that the supervisor
// reads after the process died (which plugin was running, how many snapshots and table passes).
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace dqa {

// Where on the result stream the calls of one plugin check (or one plugin's load) happened:
// `first` and `last` are ActivityPage::stream_bytes at its first call's entry and at its last
// call's entry or exit. Garbage that starts at stream offset X was written while the core had
// written X bytes, so only a call whose span contains X can have written it.
struct ActivitySpan {
  std::atomic<int64_t> first;   // -1 = never called
  std::atomic<int64_t> last;
  std::atomic<int32_t> plugin;  // the plugin of the calls (index into plugin_files)
  std::atomic<int32_t> reserved;
};

// Span slots: one per check index below kActivityCheckSpans, then one per plugin index below
// kActivityPluginSpans for the calls outside any check (loading the library). Calls beyond them
// are not tracked (the supervisor then falls back to the last plugin entered).
inline constexpr int kActivityCheckSpans = 1024;
inline constexpr int kActivityPluginSpans = 64;

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
  std::atomic<int64_t> pushed_tables;  // tables whose row checks the server counted (push-down)
  // Bytes the worker's own code wrote to the result stream (whole frames, stored after each
  // write). The supervisor compares it with the bytes it received: more = a foreign writer.
  std::atomic<int64_t> stream_bytes;
  std::atomic<int32_t> last_plugin;  // the last plugin call entered (kept after it returned)
  std::atomic<int32_t> last_check;
  // Set when a write to the stream trap (WatchStreamTrap) was seen, just before the worker ends
  // itself with kStreamTrapExitCode: the plugin call it was seen in (-1: outside any) and the
  // number of bytes written.
  std::atomic<int32_t> trap_plugin;
  std::atomic<int32_t> trap_check;
  std::atomic<int64_t> trap_bytes;  // 0 = nothing was written to the trap
  // Progress of the running fused table scan, read by the supervisor WHILE the worker runs (the
  // console's rows per second and ETA): the table (index in the source's tables; -1 = none),
  // the rows read so far and the table's estimated row count (-1 = unknown).
  std::atomic<int32_t> scan_table;
  std::atomic<int32_t> reserved2;
  std::atomic<int64_t> scan_rows;
  std::atomic<int64_t> scan_rows_estimate;
  ActivitySpan spans[kActivityCheckSpans + kActivityPluginSpans];
};

// Exit status of a worker that found bytes in its stream trap.
inline constexpr int kStreamTrapExitCode = 86;
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
void NotePushedTable();

// Scan progress (no-ops when nothing is published). NoteTable: the source's table `index` is
// being checked (its fused scan has not started). NoteTableScanStart: its fused scan starts, of
// about `estimate` rows (-1 = unknown); rows are counted from 0. NoteRowScanned: one more row,
// on the hot path of every scan: one load and one store when published, one branch otherwise.
void NoteTable(int index);
void NoteTableScanStart(int64_t estimate);
// True when progress is published (EstimateTableRows is worth its query only then).
bool ActivityPublished();
namespace activity_detail {
inline std::atomic<int64_t>* scan_rows = nullptr;  // the page's scan_rows when published
}  // namespace activity_detail
inline void NoteRowScanned() {
  if (std::atomic<int64_t>* rows = activity_detail::scan_rows) {
    rows->store(rows->load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  }
}
// `n` more rows, from any thread (the ranges of a split scan count in batches).
inline void NoteRowsScanned(int64_t n) {
  if (std::atomic<int64_t>* rows = activity_detail::scan_rows) {
    rows->fetch_add(n, std::memory_order_relaxed);
  }
}

// Watches the stream trap: `trap` maps the first bytes of the file at descriptor `trap_fd` (fd 3
// of a worker, where the result stream was before the worker moved it; zero until written). Every
// PluginCall looks at it on entry and on exit (one load, no system call); the first that finds it
// written records in the page who wrote (the call being left, or on entry the call that was
// running) and how many bytes, then ends the process with kStreamTrapExitCode. Only with a
// published page.
void WatchStreamTrap(const volatile unsigned char* trap, int trap_fd);

// A plugin call that may have written bytes at a stream offset (see ActivitySpan).
struct StreamWriterCandidate {
  int plugin = -1;
  int check = -1;  // -1: outside any check (loading the library)
};
// The plugin calls whose spans contain `offset`, in slot order. Reads a page of a reaped worker.
std::vector<StreamWriterCandidate> CallsAtStreamOffset(const ActivityPage& page, int64_t offset);

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
  ActivitySpan* span_ = nullptr;
  int32_t previous_plugin_ = -1;
  int32_t previous_check_ = -1;
};

}  // namespace dqa
