// Test plugin: its static initialiser dereferences a null pointer (SIGSEGV) as soon as the
// library is loaded, before any check runs.
#include "misbehaving.h"

namespace {
int* volatile null_pointer = nullptr;
struct CrashOnLoad {
  CrashOnLoad() { *null_pointer = 42; }
} crash_on_load;
}  // namespace

DQA_MISBEHAVING_PLUGIN("init_segv", return false)
