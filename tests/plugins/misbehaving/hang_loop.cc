// Test plugin: spins forever on the first row (burns CPU, never returns).
#include "misbehaving.h"

namespace {
volatile unsigned long spins = 0;
}

DQA_MISBEHAVING_PLUGIN("hang_loop", while (true) spins = spins + 1)
