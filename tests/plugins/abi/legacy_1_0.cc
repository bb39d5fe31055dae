// A plugin written against ABI 1.0, before params_schema_json existed: its descriptor is the 1.0
// struct (struct_size ends at `destroy`), frozen here as that release's header declared it. The
// host must load it and run its check exactly as before, reading nothing past struct_size.
//
// legacy.positive: an integer value <= 0 is a violation; `mode` is an unconstrained string.
#include <cstddef>
#include <cstdint>

#include "dqaudit/plugin_abi.h"

namespace {

// dqa_plugin of ABI 1.0, field for field.
struct PluginV10 {
  uint32_t abi_major;
  uint32_t abi_minor;
  uint32_t struct_size;
  const char* name;
  const char* version;
  const char* sector;
  const char* description;
  const dqa_check_desc* checks;
  size_t check_count;
  int (*create)(size_t, const char*, const dqa_host_context*, void**, char*, size_t);
  int (*observe)(void*, const dqa_row*, char*, size_t);
  int (*run_query)(void*, const dqa_query_api*, const dqa_result_sink*, char*, size_t);
  int (*finish)(void*, const dqa_result_sink*, char*, size_t);
  void (*destroy)(void*);
};

// The check is stateless: every instance is this object.
int g_instance = 0;

int Create(size_t, const char*, const dqa_host_context*, void** instance, char*, size_t) {
  *instance = &g_instance;
  return DQA_OK;
}
int Observe(void*, const dqa_row* row, char*, size_t) {
  const int index = row->find(row->ctx, "column");
  return row->type(row->ctx, index) == DQA_VALUE_INTEGER && row->get_int(row->ctx, index) <= 0;
}
int RunQuery(void*, const dqa_query_api*, const dqa_result_sink*, char*, size_t) { return DQA_ERR; }
int Finish(void*, const dqa_result_sink*, char*, size_t) { return DQA_OK; }
void Destroy(void*) {}

const dqa_param_desc kParams[] = {
    {"column", DQA_PARAM_COLUMN, 1, "integer column"},
    {"mode", DQA_PARAM_STRING, 0, "any text (ABI 1.0 cannot constrain it)"},
};
const dqa_check_desc kChecks[] = {
    {"positive", "Values must be positive", "validity", DQA_CHECK_ROW, kParams, 2},
};
const PluginV10 kPlugin = {1, 0, sizeof(PluginV10), "legacy", "1.0.0", "legacy",
                           "An ABI 1.0 plugin", kChecks, 1, Create, Observe, RunQuery, Finish,
                           Destroy};

static_assert(sizeof(PluginV10) == offsetof(dqa_plugin, params_schema_json),
              "PluginV10 is dqa_plugin up to ABI 1.0's last field");

}  // namespace

extern "C" __attribute__((visibility("default"))) const dqa_plugin* dqa_plugin_entry(void) {
  return reinterpret_cast<const dqa_plugin*>(&kPlugin);
}
