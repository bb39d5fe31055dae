// The published activity is process-wide state: a worker scans one source on one thread, and an
// in-process scan publishes nothing, so the tables below are written once before any reader.
#include "core/engine/activity.h"

#include <algorithm>
#include <utility>

namespace dqa {
namespace {

struct Published {
  ActivityPage* page = nullptr;
  std::vector<std::string> plugin_files;
  std::vector<std::string> check_ids;
};

Published& State() {
  static Published state;
  return state;
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
}

void PublishActivity(ActivityPage* page, std::vector<std::string> plugin_files,
                     std::vector<std::string> check_ids) {
  Published& state = State();
  state.page = page;
  state.plugin_files = std::move(plugin_files);
  state.check_ids = std::move(check_ids);
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

void NoteTablePass() {
  if (ActivityPage* page = State().page) page->table_passes.fetch_add(1, std::memory_order_relaxed);
}

PluginCall::PluginCall(int plugin, int check) noexcept : page_(State().page) {
  if (page_ == nullptr) return;
  previous_plugin_ = page_->plugin.load(std::memory_order_relaxed);
  previous_check_ = page_->check.load(std::memory_order_relaxed);
  page_->plugin.store(plugin, std::memory_order_relaxed);
  page_->check.store(check, std::memory_order_relaxed);
  // The stores must not sink below the plugin call that follows (a crash there must find them).
  std::atomic_signal_fence(std::memory_order_seq_cst);
}

PluginCall::~PluginCall() {
  if (page_ == nullptr) return;
  std::atomic_signal_fence(std::memory_order_seq_cst);
  page_->plugin.store(previous_plugin_, std::memory_order_relaxed);
  page_->check.store(previous_check_, std::memory_order_relaxed);
}

}  // namespace dqa
