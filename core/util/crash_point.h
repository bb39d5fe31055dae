// Crash points: named places where a test can make dqaudit die as a power cut or `kill -9` would.
#pragma once

#include <string_view>

namespace dqa {

// Test hook for crash-consistency tests. When the environment variable DQA_TEST_CRASH_AT is
// `<point>` or `<point>#<n>`, the process sends itself SIGKILL the n-th time (default: the first)
// it reaches CrashPoint(<point>); otherwise this does nothing (the variable is read once). Points
// are documented in docs/history.md ("Crash consistency"). Thread-safe.
void CrashPoint(std::string_view point);

}  // namespace dqa
