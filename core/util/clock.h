// Wall-clock time as the history store and the results record it.
#pragma once

#include <chrono>
#include <cstdint>

namespace dqa {

// Milliseconds since the Unix epoch (UTC).
inline int64_t NowUnixMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace dqa
