// A plugin whose descriptor breaks one ABI rule, chosen by TEST_ABI_VARIANT at compile time:
// 1 = major 99, 2 = minor 99 (newer than any host), 3 = struct_size 8; or 4 = a valid ABI 1.1
// descriptor (before dqa_query_api grew fuzzy_clusters in 1.2), 5 = a valid ABI 1.2 descriptor
// (before dqa_result_sink grew add_indicator in 1.3), which every later 1.x host loads.
#include "dqaudit/plugin_abi.h"

namespace {

int Create(size_t, const char*, const dqa_host_context*, void**, char*, size_t) { return DQA_ERR; }
int Observe(void*, const dqa_row*, char*, size_t) { return DQA_ERR; }
int RunQuery(void*, const dqa_query_api*, const dqa_result_sink*, char*, size_t) { return DQA_ERR; }
int Finish(void*, const dqa_result_sink*, char*, size_t) { return DQA_ERR; }
void Destroy(void*) {}

const dqa_plugin kPlugin = {
    TEST_ABI_VARIANT == 1 ? 99u : DQA_PLUGIN_ABI_MAJOR,
    TEST_ABI_VARIANT == 2   ? 99u
    : TEST_ABI_VARIANT == 4 ? 1u
    : TEST_ABI_VARIANT == 5 ? 2u
                            : DQA_PLUGIN_ABI_MINOR,
    TEST_ABI_VARIANT == 3 ? 8u : static_cast<uint32_t>(sizeof(dqa_plugin)),
    "abi_variant", "1.0.0", "abi_variant", "broken on purpose", nullptr, 0,
    Create, Observe, RunQuery, Finish, Destroy};

}  // namespace

extern "C" __attribute__((visibility("default"))) const dqa_plugin* dqa_plugin_entry(void) {
  return &kPlugin;
}
