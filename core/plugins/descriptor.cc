#include "core/plugins/descriptor.h"

#include <fmt/format.h>

#include <cstddef>
#include <set>

namespace dqa::plugins {
namespace {

using nlohmann::json;

// Size of the ABI 1.0 descriptor: every plugin of major 1 has at least these fields.
constexpr size_t kMinDescriptorSize = offsetof(dqa_plugin, destroy) + sizeof(dqa_plugin::destroy);

std::optional<std::string> Copy(const char* s) {
  return s == nullptr ? std::nullopt : std::optional<std::string>(s);
}

bool IsName(const std::optional<std::string>& s) {
  if (!s || s->empty()) return false;
  for (const char c : *s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

std::string Text(const std::optional<std::string>& s) { return s.value_or(""); }

// Names, kinds, types and dimensions, into host types (after the ABI checks).
Status ReadDescriptor(const RawDescriptor& d, PluginInfo& info) {
  if (!IsName(d.name)) {
    return InvalidArgument("plugin name must be lower-case letters, digits and '_'");
  }
  const std::string& name = *d.name;
  if (!IsName(d.sector)) {
    return InvalidArgument(fmt::format("plugin {}: sector must be lower-case letters, digits and "
                                       "'_'",
                                       name));
  }
  if (!d.functions_present) {
    return InvalidArgument(fmt::format("plugin {}: a function pointer is NULL", name));
  }
  if (d.checks_null) return InvalidArgument(fmt::format("plugin {}: checks is NULL", name));
  info.name = name;
  info.version = Text(d.version);
  info.sector = *d.sector;
  info.description = Text(d.description);
  info.abi_major = d.abi_major;
  info.abi_minor = d.abi_minor;
  std::set<std::string> names;
  for (size_t i = 0; i < d.checks.size(); ++i) {
    const RawCheck& c = d.checks[i];
    if (!IsName(c.name)) {
      return InvalidArgument(fmt::format("plugin {}: check #{} has an invalid name", name, i + 1));
    }
    const std::string& check_name = *c.name;
    if (!names.insert(check_name).second) {
      return InvalidArgument(
          fmt::format("plugin {}: check {} is declared twice", name, check_name));
    }
    PluginCheckInfo check;
    check.name = check_name;
    check.description = Text(c.description);
    const std::optional<Dimension> dim = ParseDimension(Text(c.dimension));
    if (!dim) {
      return InvalidArgument(fmt::format("plugin {}: check {} has unknown dimension '{}'", name,
                                         check_name, Text(c.dimension)));
    }
    check.dimension = *dim;
    if (c.kind != DQA_CHECK_ROW && c.kind != DQA_CHECK_QUERY) {
      return InvalidArgument(
          fmt::format("plugin {}: check {} has unknown kind {}", name, check_name, c.kind));
    }
    check.kind = c.kind == DQA_CHECK_ROW ? CheckKind::kRow : CheckKind::kQuery;
    if (c.params_null) {
      return InvalidArgument(fmt::format("plugin {}: check {} has NULL params", name, check_name));
    }
    std::set<std::string> param_names;
    for (const RawParam& p : c.params) {
      if (!IsName(p.name) || !param_names.insert(*p.name).second) {
        return InvalidArgument(fmt::format(
            "plugin {}: check {} has an invalid or repeated parameter name", name, check_name));
      }
      if (p.type < DQA_PARAM_COLUMN || p.type > DQA_PARAM_STRING_LIST) {
        return InvalidArgument(fmt::format("plugin {}: parameter {} of check {} has unknown type {}",
                                           name, *p.name, check_name, p.type));
      }
      check.params.push_back(ParamInfo{*p.name, static_cast<ParamType>(p.type - DQA_PARAM_COLUMN),
                                       p.required != 0, Text(p.description)});
    }
    info.checks.push_back(std::move(check));
  }
  return Status::Ok();
}

json Optional(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }

std::optional<std::string> OptionalFrom(const json& j, const char* key) {
  const json& v = j.at(key);
  if (v.is_null()) return std::nullopt;
  return v.get<std::string>();
}

}  // namespace

RawDescriptor CopyDescriptor(const dqa_plugin& d) {
  RawDescriptor raw;
  raw.abi_major = d.abi_major;
  raw.abi_minor = d.abi_minor;
  raw.struct_size = d.struct_size;
  if (d.abi_major != DQA_PLUGIN_ABI_MAJOR || d.abi_minor > DQA_PLUGIN_ABI_MINOR ||
      d.struct_size < kMinDescriptorSize) {
    return raw;
  }
  raw.name = Copy(d.name);
  raw.version = Copy(d.version);
  raw.sector = Copy(d.sector);
  raw.description = Copy(d.description);
  raw.functions_present = d.create != nullptr && d.observe != nullptr &&
                          d.run_query != nullptr && d.finish != nullptr && d.destroy != nullptr;
  raw.checks_null = d.check_count > 0 && d.checks == nullptr;
  if (raw.checks_null) return raw;
  for (size_t i = 0; i < d.check_count; ++i) {
    const dqa_check_desc& c = d.checks[i];
    RawCheck check;
    check.name = Copy(c.name);
    check.description = Copy(c.description);
    check.dimension = Copy(c.dimension);
    check.kind = c.kind;
    check.params_null = c.param_count > 0 && c.params == nullptr;
    for (size_t j = 0; !check.params_null && j < c.param_count; ++j) {
      const dqa_param_desc& p = c.params[j];
      check.params.push_back(RawParam{Copy(p.name), p.type, p.required, Copy(p.description)});
    }
    raw.checks.push_back(std::move(check));
  }
  return raw;
}

Result<PluginInfo> ValidateDescriptor(const RawDescriptor& d, const std::string& file) {
  // ABI first: nothing else of the descriptor is looked at before these three fields check out.
  if (d.abi_major != DQA_PLUGIN_ABI_MAJOR) {
    return InvalidArgument(fmt::format(
        "plugin {} was built for plugin ABI {}.{}, this dqaudit speaks ABI {}.{}: rebuild it "
        "against this dqaudit's SDK",
        file, d.abi_major, d.abi_minor, DQA_PLUGIN_ABI_MAJOR, DQA_PLUGIN_ABI_MINOR));
  }
  if (d.abi_minor > DQA_PLUGIN_ABI_MINOR) {
    return InvalidArgument(fmt::format(
        "plugin {} needs plugin ABI {}.{}, newer than this dqaudit's {}.{}: upgrade dqaudit",
        file, d.abi_major, d.abi_minor, DQA_PLUGIN_ABI_MAJOR, DQA_PLUGIN_ABI_MINOR));
  }
  if (d.struct_size < kMinDescriptorSize) {
    return InvalidArgument(fmt::format(
        "plugin {}: descriptor struct_size {} is smaller than the ABI {}.0 descriptor ({} bytes)",
        file, d.struct_size, DQA_PLUGIN_ABI_MAJOR, kMinDescriptorSize));
  }
  PluginInfo info;
  info.file = file;
  if (Status s = ReadDescriptor(d, info); !s.ok()) return s.WithContext(fmt::format("plugin {}", file));
  return info;
}

json DescriptorToJson(const RawDescriptor& d) {
  json checks = json::array();
  for (const RawCheck& c : d.checks) {
    json params = json::array();
    for (const RawParam& p : c.params) {
      params.push_back({{"name", Optional(p.name)},
                        {"type", p.type},
                        {"required", p.required},
                        {"description", Optional(p.description)}});
    }
    checks.push_back({{"name", Optional(c.name)},
                      {"description", Optional(c.description)},
                      {"dimension", Optional(c.dimension)},
                      {"kind", c.kind},
                      {"params_null", c.params_null},
                      {"params", std::move(params)}});
  }
  return {{"abi_major", d.abi_major},
          {"abi_minor", d.abi_minor},
          {"struct_size", d.struct_size},
          {"name", Optional(d.name)},
          {"version", Optional(d.version)},
          {"sector", Optional(d.sector)},
          {"description", Optional(d.description)},
          {"functions_present", d.functions_present},
          {"checks_null", d.checks_null},
          {"checks", std::move(checks)}};
}

Result<RawDescriptor> DescriptorFromJson(const json& j) {
  try {
    RawDescriptor d;
    d.abi_major = j.at("abi_major").get<uint32_t>();
    d.abi_minor = j.at("abi_minor").get<uint32_t>();
    d.struct_size = j.at("struct_size").get<uint64_t>();
    d.name = OptionalFrom(j, "name");
    d.version = OptionalFrom(j, "version");
    d.sector = OptionalFrom(j, "sector");
    d.description = OptionalFrom(j, "description");
    d.functions_present = j.at("functions_present").get<bool>();
    d.checks_null = j.at("checks_null").get<bool>();
    for (const json& c : j.at("checks")) {
      RawCheck check;
      check.name = OptionalFrom(c, "name");
      check.description = OptionalFrom(c, "description");
      check.dimension = OptionalFrom(c, "dimension");
      check.kind = c.at("kind").get<int>();
      check.params_null = c.at("params_null").get<bool>();
      for (const json& p : c.at("params")) {
        check.params.push_back(RawParam{OptionalFrom(p, "name"), p.at("type").get<int>(),
                                        p.at("required").get<int>(),
                                        OptionalFrom(p, "description")});
      }
      d.checks.push_back(std::move(check));
    }
    return d;
  } catch (const json::exception& e) {
    return InvalidArgument(fmt::format("not a plugin descriptor: {}", e.what()));
  }
}

}  // namespace dqa::plugins
