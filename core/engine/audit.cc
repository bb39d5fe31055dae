// RunAudit: a small pool of threads, each scanning whole sources.
#include "core/engine/audit.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

namespace dqa {

std::vector<SourceResult> RunAudit(const std::vector<SourcePlan>& plans, int jobs,
                                   AuditObserver& observer) {
  std::vector<SourceResult> results(plans.size());
  if (plans.empty()) return results;
  size_t workers = jobs > 0 ? static_cast<size_t>(jobs) : std::thread::hardware_concurrency();
  workers = std::clamp<size_t>(workers, 1, plans.size());

  std::atomic<size_t> next{0};
  std::mutex observer_mutex;
  auto work = [&] {
    while (true) {
      const size_t i = next.fetch_add(1);
      if (i >= plans.size()) return;
      {
        const std::lock_guard<std::mutex> lock(observer_mutex);
        observer.OnSourceStarted(plans[i]);
      }
      // Each source is scanned with its own connection and evaluators: no shared state.
      SourceResult r = ScanSource(plans[i], [](const CheckResult&) {});
      {
        const std::lock_guard<std::mutex> lock(observer_mutex);
        observer.TakeFinishedSource(r);
      }
      results[i] = std::move(r);
    }
  };
  std::vector<std::thread> threads;
  threads.reserve(workers - 1);
  for (size_t t = 1; t < workers; ++t) threads.emplace_back(work);
  work();  // the calling thread is one of the workers
  for (std::thread& t : threads) t.join();
  return results;
}

}  // namespace dqa
