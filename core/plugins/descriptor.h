// A plugin's descriptor as plain data: copied out of a loaded library (in the process that loaded
// it), carried as JSON from the probe helper to the host, and validated into PluginInfo.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/plugins/plugin_info.h"
#include "core/util/status.h"
#include "dqaudit/plugin_abi.h"

namespace dqa::plugins {

// The fields of a dqa_plugin exactly as the library declared them, unvalidated. A NULL string is
// nullopt; a NULL array with a non-zero count is flagged rather than read.
struct RawParam {
  std::optional<std::string> name;
  int type = 0;
  int required = 0;
  std::optional<std::string> description;
};

struct RawCheck {
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::string> dimension;
  int kind = 0;
  bool params_null = false;  // param_count > 0 but params == NULL
  std::vector<RawParam> params;
};

struct RawDescriptor {
  uint32_t abi_major = 0;
  uint32_t abi_minor = 0;
  uint64_t struct_size = 0;
  // The rest is read only when the three fields above match this host (ABI first: a descriptor
  // of another ABI may have another layout).
  std::optional<std::string> name;
  std::optional<std::string> version;
  std::optional<std::string> sector;
  std::optional<std::string> description;
  bool functions_present = false;  // create, observe, run_query, finish and destroy are non-NULL
  bool checks_null = false;        // check_count > 0 but checks == NULL
  std::vector<RawCheck> checks;
  // ABI 1.1: dqa_plugin::params_schema_json as written; nullopt when NULL or when struct_size does
  // not cover the field (an ABI 1.0 plugin).
  std::optional<std::string> params_schema;
  // ABI 1.4: dqa_plugin::messages_json as written; nullopt when NULL or not covered.
  std::optional<std::string> messages;
};

// Copies `d` (the entry point's answer, in the process that loaded the library). Reads only the
// ABI header unless abi_major == host, abi_minor <= host and struct_size covers the ABI 1.0 struct;
// reads params_schema_json only when struct_size covers that field too.
RawDescriptor CopyDescriptor(const dqa_plugin& d);

// The checks LoadedPlugin::Load has always made, in the same order and with the same messages:
// ABI major == host, minor <= host, struct_size, then names, function pointers, checks,
// dimensions, kinds and parameters; then (ABI 1.1) the parameters' constraints in params_schema:
// valid JSON, known checks and parameters, choices only on string/string_list parameters, min/max
// only on number/integer ones (whole numbers for integer, min <= max), a default of the
// parameter's type within its constraints, not on a required parameter nor on a column parameter
// of a row check; then (ABI 1.4) the message catalog: a JSON object {"vi": {...}, "en": {...}} of
// texts with the same keys in both languages, no empty text, the same {placeholders} in both (a
// malformed catalog refuses the plugin, naming the key). `file` (absolute, canonical) is named in every error (InvalidArgument) and
// becomes PluginInfo::file.
Result<PluginInfo> ValidateDescriptor(const RawDescriptor& raw, const std::string& file);

// JSON form for the probe helper's answer. Invalid UTF-8 in a plugin's strings is replaced (U+FFFD)
// rather than refused: validation names what is wrong.
nlohmann::json DescriptorToJson(const RawDescriptor& raw);
// InvalidArgument when `json` is not a descriptor's JSON form (wrong types, missing keys).
Result<RawDescriptor> DescriptorFromJson(const nlohmann::json& json);

}  // namespace dqa::plugins
