// Test plugin: dereferences a null pointer (SIGSEGV) on the first row.
#include "misbehaving.h"

namespace {
int* volatile null_pointer = nullptr;
}

DQA_MISBEHAVING_PLUGIN("crash_segv", return *null_pointer == 42)
