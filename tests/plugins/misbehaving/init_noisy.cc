// Test plugin: its static initialiser prints to stdout when the library is loaded; otherwise a
// well-behaved plugin whose check finds no violation.
#include <cstdio>

#include "misbehaving.h"

namespace {
struct PrintOnLoad {
  PrintOnLoad() {
    std::puts("NOISY PLUGIN TEXT ON STDOUT");
    std::fflush(stdout);
  }
} print_on_load;
}  // namespace

DQA_MISBEHAVING_PLUGIN("init_noisy", return false)
