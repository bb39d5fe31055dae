// The published activity is process-wide state: a worker scans one source on one thread, and an
// in-process scan publishes nothing, so the tables below are written once before any reader.
#include "core/util/activity.h"

#include <unistd.h>

#include <algorithm>
#include <utility>

namespace dqa {
namespace {

struct Published {
  ActivityPage* page = nullptr;
  std::vector<std::string> plugin_files;
  std::vector<std::string> check_ids;
  const volatile unsigned char* trap = nullptr;
  int trap_fd = -1;
};

Published& State() {
  static Published state;
  return state;
}

// Ends the process when the stream trap was written, blaming (plugin, check).
void CheckStreamTrap(ActivityPage& page, int32_t plugin, int32_t check) {
  const Published& state = State();
  if (state.trap == nullptr) return;
  unsigned char seen = 0;
  for (int i = 0; i < 8; ++i) seen |= state.trap[i];
  if (seen == 0) return;
  // The descriptor's offset: how far the writes went (the file itself is pre-sized).
  const off_t offset = lseek(state.trap_fd, 0, SEEK_CUR);
  const int64_t bytes = offset > 0 ? static_cast<int64_t>(offset) : 1;
  page.trap_plugin.store(plugin, std::memory_order_relaxed);
  page.trap_check.store(check, std::memory_order_relaxed);
  page.trap_bytes.store(bytes, std::memory_order_relaxed);
  _exit(kStreamTrapExitCode);
}

int IndexOf(const std::vector<std::string>& list, const std::string& item) {
  const auto it = std::find(list.begin(), list.end(), item);
  return it == list.end() ? -1 : static_cast<int>(it - list.begin());
}

}  // namespace

void InitActivityPage(ActivityPage& page) {
  page.phase.store(static_cast<int32_t>(ActivityPhase::kStarting), std::memory_order_relaxed);
  page.plugin.store(-1, std::memory_order_relaxed);
  page.check.store(-1, std::memory_order_relaxed);
  page.reserved.store(0, std::memory_order_relaxed);
  page.snapshots.store(0, std::memory_order_relaxed);
  page.table_passes.store(0, std::memory_order_relaxed);
  page.pushed_tables.store(0, std::memory_order_relaxed);
  page.stream_bytes.store(0, std::memory_order_relaxed);
  page.last_plugin.store(-1, std::memory_order_relaxed);
  page.last_check.store(-1, std::memory_order_relaxed);
  page.trap_plugin.store(-1, std::memory_order_relaxed);
  page.trap_check.store(-1, std::memory_order_relaxed);
  page.trap_bytes.store(0, std::memory_order_relaxed);
  page.scan_table.store(-1, std::memory_order_relaxed);
  page.reserved2.store(0, std::memory_order_relaxed);
  page.scan_rows.store(0, std::memory_order_relaxed);
  page.scan_rows_estimate.store(-1, std::memory_order_relaxed);
  for (ActivitySpan& span : page.spans) {
    span.first.store(-1, std::memory_order_relaxed);
    span.last.store(-1, std::memory_order_relaxed);
    span.plugin.store(-1, std::memory_order_relaxed);
    span.reserved.store(0, std::memory_order_relaxed);
  }
}

void WatchStreamTrap(const volatile unsigned char* trap, int trap_fd) {
  State().trap = trap;
  State().trap_fd = trap_fd;
}

std::vector<StreamWriterCandidate> CallsAtStreamOffset(const ActivityPage& page, int64_t offset) {
  std::vector<StreamWriterCandidate> out;
  for (int i = 0; i < kActivityCheckSpans + kActivityPluginSpans; ++i) {
    const ActivitySpan& span = page.spans[i];
    const int64_t first = span.first.load(std::memory_order_relaxed);
    if (first < 0 || first > offset || span.last.load(std::memory_order_relaxed) < offset) continue;
    out.push_back({span.plugin.load(std::memory_order_relaxed), i < kActivityCheckSpans ? i : -1});
  }
  return out;
}

void PublishActivity(ActivityPage* page, std::vector<std::string> plugin_files,
                     std::vector<std::string> check_ids) {
  Published& state = State();
  state.page = page;
  state.plugin_files = std::move(plugin_files);
  state.check_ids = std::move(check_ids);
  activity_detail::scan_rows = page == nullptr ? nullptr : &page->scan_rows;
}

void SetActivityPhase(ActivityPhase phase) {
  if (ActivityPage* page = State().page) {
    page->phase.store(static_cast<int32_t>(phase), std::memory_order_relaxed);
  }
}

int ActivityPluginSlot(const std::string& file) {
  const Published& state = State();
  return state.page == nullptr ? -1 : IndexOf(state.plugin_files, file);
}

int ActivityCheckSlot(const std::string& check_id) {
  const Published& state = State();
  return state.page == nullptr ? -1 : IndexOf(state.check_ids, check_id);
}

void NoteSnapshot() {
  if (ActivityPage* page = State().page) page->snapshots.fetch_add(1, std::memory_order_relaxed);
}

void NotePushedTable() {
  if (ActivityPage* page = State().page) page->pushed_tables.fetch_add(1, std::memory_order_relaxed);
}

void NoteTable(int index) {
  if (ActivityPage* page = State().page) {
    page->scan_rows_estimate.store(-1, std::memory_order_relaxed);
    page->scan_rows.store(0, std::memory_order_relaxed);
    page->scan_table.store(index, std::memory_order_relaxed);
  }
}

void NoteTableScanStart(int64_t estimate) {
  if (ActivityPage* page = State().page) {
    page->scan_rows.store(0, std::memory_order_relaxed);
    page->scan_rows_estimate.store(estimate, std::memory_order_relaxed);
  }
}

bool ActivityPublished() { return State().page != nullptr; }

void NoteTablePass() {
  if (ActivityPage* page = State().page) page->table_passes.fetch_add(1, std::memory_order_relaxed);
}

PluginCall::PluginCall(int plugin, int check) noexcept : page_(State().page) {
  if (page_ == nullptr) return;
  previous_plugin_ = page_->plugin.load(std::memory_order_relaxed);
  previous_check_ = page_->check.load(std::memory_order_relaxed);
  CheckStreamTrap(*page_, previous_plugin_, previous_check_);
  page_->plugin.store(plugin, std::memory_order_relaxed);
  page_->check.store(check, std::memory_order_relaxed);
  page_->last_plugin.store(plugin, std::memory_order_relaxed);
  page_->last_check.store(check, std::memory_order_relaxed);
  if (check >= 0 && check < kActivityCheckSpans) {
    span_ = &page_->spans[check];
  } else if (check < 0 && plugin >= 0 && plugin < kActivityPluginSpans) {
    span_ = &page_->spans[kActivityCheckSpans + plugin];
  }
  if (span_ != nullptr) {
    const int64_t bytes = page_->stream_bytes.load(std::memory_order_relaxed);
    if (span_->first.load(std::memory_order_relaxed) < 0) {
      span_->first.store(bytes, std::memory_order_relaxed);
    }
    span_->last.store(bytes, std::memory_order_relaxed);
    span_->plugin.store(plugin, std::memory_order_relaxed);
  }
  // The stores must not sink below the plugin call that follows (a crash there must find them).
  std::atomic_signal_fence(std::memory_order_seq_cst);
}

PluginCall::~PluginCall() {
  if (page_ == nullptr) return;
  std::atomic_signal_fence(std::memory_order_seq_cst);
  // Host code inside the call (a plugin query's SQL) may have logged: the span covers it.
  if (span_ != nullptr) {
    span_->last.store(page_->stream_bytes.load(std::memory_order_relaxed),
                      std::memory_order_relaxed);
  }
  CheckStreamTrap(*page_, page_->plugin.load(std::memory_order_relaxed),
                  page_->check.load(std::memory_order_relaxed));
  page_->plugin.store(previous_plugin_, std::memory_order_relaxed);
  page_->check.store(previous_check_, std::memory_order_relaxed);
}

}  // namespace dqa
