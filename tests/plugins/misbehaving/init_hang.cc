// Test plugin: its static initialiser sleeps forever when the library is loaded.
#include <unistd.h>

#include "misbehaving.h"

namespace {
struct SleepOnLoad {
  SleepOnLoad() {
    while (true) sleep(1000);
  }
} sleep_on_load;
}  // namespace

DQA_MISBEHAVING_PLUGIN("init_hang", return false)
