#include "core/plugins/loaded_plugin.h"

#include <dlfcn.h>
#include <fmt/format.h>

#include <boost/dll/shared_library.hpp>
#include <cstddef>
#include <filesystem>
#include <set>
#include <system_error>

#include "core/plugins/file_safety.h"

namespace dqa::plugins {
namespace {

// Size of the ABI 1.0 descriptor: every plugin of major 1 has at least these fields.
constexpr size_t kMinDescriptorSize = offsetof(dqa_plugin, destroy) + sizeof(dqa_plugin::destroy);

bool IsName(const char* s) {
  if (s == nullptr || *s == '\0') return false;
  for (const char* p = s; *p != '\0'; ++p) {
    const char c = *p;
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

std::string Text(const char* s) { return s == nullptr ? std::string() : std::string(s); }

// Copies and validates the descriptor into host types.
Status ReadDescriptor(const dqa_plugin& d, PluginInfo& info) {
  if (!IsName(d.name)) {
    return InvalidArgument("plugin name must be lower-case letters, digits and '_'");
  }
  if (!IsName(d.sector)) {
    return InvalidArgument(fmt::format("plugin {}: sector must be lower-case letters, digits and "
                                       "'_'",
                                       d.name));
  }
  if (d.create == nullptr || d.observe == nullptr || d.run_query == nullptr ||
      d.finish == nullptr || d.destroy == nullptr) {
    return InvalidArgument(fmt::format("plugin {}: a function pointer is NULL", d.name));
  }
  if (d.check_count > 0 && d.checks == nullptr) {
    return InvalidArgument(fmt::format("plugin {}: checks is NULL", d.name));
  }
  info.name = d.name;
  info.version = Text(d.version);
  info.sector = d.sector;
  info.description = Text(d.description);
  info.abi_major = d.abi_major;
  info.abi_minor = d.abi_minor;
  std::set<std::string> names;
  for (size_t i = 0; i < d.check_count; ++i) {
    const dqa_check_desc& c = d.checks[i];
    if (!IsName(c.name)) {
      return InvalidArgument(fmt::format("plugin {}: check #{} has an invalid name", d.name, i + 1));
    }
    if (!names.insert(c.name).second) {
      return InvalidArgument(fmt::format("plugin {}: check {} is declared twice", d.name, c.name));
    }
    PluginCheckInfo check;
    check.name = c.name;
    check.description = Text(c.description);
    const std::optional<Dimension> dim = ParseDimension(Text(c.dimension));
    if (!dim) {
      return InvalidArgument(fmt::format("plugin {}: check {} has unknown dimension '{}'", d.name,
                                         c.name, Text(c.dimension)));
    }
    check.dimension = *dim;
    if (c.kind != DQA_CHECK_ROW && c.kind != DQA_CHECK_QUERY) {
      return InvalidArgument(
          fmt::format("plugin {}: check {} has unknown kind {}", d.name, c.name, c.kind));
    }
    check.kind = c.kind == DQA_CHECK_ROW ? CheckKind::kRow : CheckKind::kQuery;
    if (c.param_count > 0 && c.params == nullptr) {
      return InvalidArgument(fmt::format("plugin {}: check {} has NULL params", d.name, c.name));
    }
    std::set<std::string> param_names;
    for (size_t j = 0; j < c.param_count; ++j) {
      const dqa_param_desc& p = c.params[j];
      if (!IsName(p.name) || !param_names.insert(p.name).second) {
        return InvalidArgument(fmt::format(
            "plugin {}: check {} has an invalid or repeated parameter name", d.name, c.name));
      }
      if (p.type < DQA_PARAM_COLUMN || p.type > DQA_PARAM_STRING_LIST) {
        return InvalidArgument(fmt::format("plugin {}: parameter {} of check {} has unknown type {}",
                                           d.name, p.name, c.name, p.type));
      }
      check.params.push_back(ParamInfo{p.name, static_cast<ParamType>(p.type - DQA_PARAM_COLUMN),
                                       p.required != 0, Text(p.description)});
    }
    info.checks.push_back(std::move(check));
  }
  return Status::Ok();
}

}  // namespace

LoadedPlugin::LoadedPlugin(Key /*key*/) {}
LoadedPlugin::~LoadedPlugin() = default;

Result<std::unique_ptr<LoadedPlugin>> LoadedPlugin::Load(const std::string& path,
                                                         const LoadOptions& options) {
  std::error_code fs_error;
  const std::filesystem::path canonical = std::filesystem::canonical(path, fs_error);
  if (fs_error) {
    return NotFound(fmt::format("plugin {}: {}", path, fs_error.message()));
  }
  const std::string file = canonical.string();
  if (!options.allow_unsafe) DQA_RETURN_IF_ERROR(CheckPluginFileSafety(file));

  auto plugin = std::make_unique<LoadedPlugin>(Key());
  plugin->info_.file = file;
  boost::system::error_code ec;
  // RTLD_NODELETE: even when the registry is destroyed at exit, the code stays mapped, so a
  // function pointer taken from a plugin can never dangle.
  const auto mode = boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local |
                    static_cast<boost::dll::load_mode::type>(RTLD_NODELETE);
  plugin->library_ = std::make_unique<boost::dll::shared_library>(
      boost::dll::fs::path(file), mode, ec);
  if (ec || !plugin->library_->is_loaded()) {
    const char* why = ::dlerror();
    return InvalidArgument(fmt::format("plugin {} cannot be loaded: {}", file,
                                       why != nullptr ? std::string(why) : ec.message()));
  }
  if (!plugin->library_->has(DQA_PLUGIN_ENTRY_NAME)) {
    return InvalidArgument(fmt::format(
        "plugin {} is not a dqaudit plugin: it does not export the entry point {} (build it with "
        "DQA_PLUGIN(...) and dqaudit_add_plugin)",
        file, DQA_PLUGIN_ENTRY_NAME));
  }
  const auto entry = plugin->library_->get<const dqa_plugin*()>(DQA_PLUGIN_ENTRY_NAME);
  const dqa_plugin* d = entry();
  if (d == nullptr) {
    return InvalidArgument(fmt::format("plugin {}: the entry point returned no descriptor", file));
  }
  // ABI first: nothing else of the descriptor is read before these three fields check out.
  if (d->abi_major != DQA_PLUGIN_ABI_MAJOR) {
    return InvalidArgument(fmt::format(
        "plugin {} was built for plugin ABI {}.{}, this dqaudit speaks ABI {}.{}: rebuild it "
        "against this dqaudit's SDK",
        file, d->abi_major, d->abi_minor, DQA_PLUGIN_ABI_MAJOR, DQA_PLUGIN_ABI_MINOR));
  }
  if (d->abi_minor > DQA_PLUGIN_ABI_MINOR) {
    return InvalidArgument(fmt::format(
        "plugin {} needs plugin ABI {}.{}, newer than this dqaudit's {}.{}: upgrade dqaudit",
        file, d->abi_major, d->abi_minor, DQA_PLUGIN_ABI_MAJOR, DQA_PLUGIN_ABI_MINOR));
  }
  if (d->struct_size < kMinDescriptorSize) {
    return InvalidArgument(fmt::format(
        "plugin {}: descriptor struct_size {} is smaller than the ABI {}.0 descriptor ({} bytes)",
        file, d->struct_size, DQA_PLUGIN_ABI_MAJOR, kMinDescriptorSize));
  }
  if (Status s = ReadDescriptor(*d, plugin->info_); !s.ok()) {
    return s.WithContext(fmt::format("plugin {}", file));
  }
  plugin->api_ = d;
  return plugin;
}

}  // namespace dqa::plugins
