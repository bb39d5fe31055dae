// Test plugin: a descriptor with the next ABI major version; the host must refuse it unread.
#include "dqaudit/plugin_abi.h"

namespace {
const dqa_plugin kDescriptor = {
    .abi_major = DQA_PLUGIN_ABI_MAJOR + 1,
    .abi_minor = 0,
    .struct_size = sizeof(dqa_plugin),
    .name = "wrong_abi",
    .version = "1.0.0",
    .sector = "wrong_abi",
    .description = "Test plugin built for a future ABI",
    .checks = nullptr,
    .check_count = 0,
    .create = nullptr,
    .observe = nullptr,
    .run_query = nullptr,
    .finish = nullptr,
    .destroy = nullptr,
};
}  // namespace

extern "C" __attribute__((visibility("default"))) const dqa_plugin* dqa_plugin_entry(void) {
  return &kDescriptor;
}
