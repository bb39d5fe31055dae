#include "core/plugins/loaded_plugin.h"

#include <dlfcn.h>
#include <fmt/format.h>

#include <boost/dll/shared_library.hpp>
#include <filesystem>
#include <memory>
#include <mutex>
#include <system_error>
#include <vector>

#include "core/plugins/descriptor.h"
#include "core/plugins/file_safety.h"

namespace dqa::plugins {

LoadedPlugin::LoadedPlugin(Key /*key*/) {}
LoadedPlugin::~LoadedPlugin() = default;

Result<std::unique_ptr<LoadedPlugin>> LoadedPlugin::Open(const std::string& file) {
  auto plugin = std::make_unique<LoadedPlugin>(Key());
  plugin->info_.file = file;
  boost::dll::fs::error_code ec;
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
  plugin->api_ = entry();
  if (plugin->api_ == nullptr) {
    return InvalidArgument(fmt::format("plugin {}: the entry point returned no descriptor", file));
  }
  return plugin;
}

Result<std::unique_ptr<LoadedPlugin>> LoadedPlugin::Load(const std::string& path,
                                                         const LoadOptions& options) {
  std::error_code fs_error;
  const std::filesystem::path canonical = std::filesystem::canonical(path, fs_error);
  if (fs_error) {
    return NotFound(fmt::format("plugin {}: {}", path, fs_error.message()));
  }
  const std::string file = canonical.string();
  DQA_RETURN_IF_ERROR(CheckPluginAdmission(file, options.allow_unsafe));
  DQA_ASSIGN_OR_RETURN(std::unique_ptr<LoadedPlugin> plugin, Open(file));
  DQA_ASSIGN_OR_RETURN(plugin->info_, ValidateDescriptor(CopyDescriptor(*plugin->api_), file));
  return plugin;
}

Result<RawDescriptor> LoadedPlugin::ReadDescriptorForProbe(const std::string& file) {
  DQA_ASSIGN_OR_RETURN(std::unique_ptr<LoadedPlugin> plugin, Open(file));
  RawDescriptor raw = CopyDescriptor(*plugin->api_);
  // Mapped for good (RTLD_NODELETE); the probe exits right after. Kept reachable rather than
  // released, so that a leak checker sees it is on purpose.
  static std::mutex mutex;
  static auto* kept = new std::vector<std::unique_ptr<LoadedPlugin>>();
  const std::lock_guard<std::mutex> lock(mutex);
  kept->push_back(std::move(plugin));
  return raw;
}

}  // namespace dqa::plugins
