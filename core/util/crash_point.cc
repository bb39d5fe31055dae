#include "core/util/crash_point.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <charconv>
#include <cstdlib>
#include <string>

namespace dqa {
namespace {

struct Target {
  std::string point;  // "" = no crash point configured
  long nth = 1;
};

const Target& ConfiguredTarget() {
  static const Target target = [] {
    Target t;
    const char* env = std::getenv("DQA_TEST_CRASH_AT");
    if (env == nullptr) return t;
    const std::string_view spec(env);
    const size_t hash = spec.find('#');
    t.point = std::string(spec.substr(0, hash));
    if (hash != std::string_view::npos) {
      const std::string_view n = spec.substr(hash + 1);
      long value = 0;
      const auto [ptr, ec] = std::from_chars(n.data(), n.data() + n.size(), value);
      if (ec == std::errc() && ptr == n.data() + n.size() && value > 0) t.nth = value;
    }
    return t;
  }();
  return target;
}

std::atomic<long> hits{0};

}  // namespace

void CrashPoint(std::string_view point) {
  const Target& target = ConfiguredTarget();
  if (target.point.empty() || target.point != point) return;
  if (hits.fetch_add(1) + 1 == target.nth) kill(getpid(), SIGKILL);
}

}  // namespace dqa
