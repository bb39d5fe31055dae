// Helpers shared by the libFuzzer targets of tests/fuzz (docs/fuzzing.md).
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace dqa::fuzz {

inline std::string_view AsText(const uint8_t* data, size_t size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

// A property of the code under test that does not hold: printed and aborted, so libFuzzer saves the
// input as a crash file like any sanitizer finding.
[[noreturn]] inline void Violated(const char* what, std::string_view detail = {}) {
  std::fprintf(stderr, "fuzz property violated: %s\n", what);
  std::fwrite(detail.data(), 1, detail.size(), stderr);  // may hold NUL bytes
  std::fputc('\n', stderr);
  std::abort();
}

#define DQA_FUZZ_CHECK(cond, detail) \
  do {                               \
    if (!(cond)) ::dqa::fuzz::Violated(#cond, (detail)); \
  } while (0)

}  // namespace dqa::fuzz
