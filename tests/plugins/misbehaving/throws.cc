// Test plugin: throws a C++ exception from Observe; the SDK must turn it into an error result.
#include <stdexcept>

#include "misbehaving.h"

DQA_MISBEHAVING_PLUGIN("throws", throw std::runtime_error("boom from the throws plugin"))
