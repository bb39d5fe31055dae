// Test plugin: calls abort() (SIGABRT) on the first row.
#include <cstdlib>

#include "misbehaving.h"

DQA_MISBEHAVING_PLUGIN("crash_abort", std::abort())
