// Test plugin: on the first row, writes bytes that are not a frame to fd 3 (the worker's result
// stream), then goes on as if nothing happened.
#include <unistd.h>

#include "misbehaving.h"

namespace {
bool written = false;

bool WriteGarbage() {
  if (!written) {
    written = true;
    static const char kJunk[] = "garbage from the garbage_fd3 plugin\n";
    (void)!::write(3, kJunk, sizeof(kJunk) - 1);
  }
  return true;
}
}  // namespace

DQA_MISBEHAVING_PLUGIN("garbage_fd3", return WriteGarbage())
