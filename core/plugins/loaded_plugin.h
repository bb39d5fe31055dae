// LoadedPlugin: one plugin library opened with Boost.DLL, its ABI verified and its descriptor read.
#pragma once

#include <memory>
#include <string>

#include "core/plugins/plugin_info.h"
#include "core/util/status.h"
#include "dqaudit/plugin_abi.h"

namespace boost::dll {
class shared_library;
}

namespace dqa::plugins {

struct LoadOptions {
  bool allow_unsafe = false;  // skip CheckPluginFileSafety (--allow-unsafe-plugins)
};

class LoadedPlugin {
 public:
  // Loads the library at `path` (made absolute and canonical first): permission checks (unless
  // allow_unsafe), then boost::dll::shared_library with rtld_now | rtld_local (and RTLD_NODELETE:
  // code from a plugin is never unmapped), then the entry point DQA_PLUGIN_ENTRY_NAME is called
  // and ABI major == host, minor <= host and struct_size are verified before anything else of the
  // descriptor is read; last the descriptor is validated (names, kinds, types, dimensions).
  // Errors: NotFound (no such file), InvalidArgument (unsafe file, not a library, no entry point,
  // ABI mismatch, malformed descriptor), each message naming the file.
  static Result<std::unique_ptr<LoadedPlugin>> Load(const std::string& path,
                                                    const LoadOptions& options);

  // Only Load() can make one (passkey): a LoadedPlugin always holds a verified library.
  class Key {
    friend class LoadedPlugin;
    Key() = default;
  };
  explicit LoadedPlugin(Key key);
  LoadedPlugin(const LoadedPlugin&) = delete;
  LoadedPlugin& operator=(const LoadedPlugin&) = delete;
  ~LoadedPlugin();

  const PluginInfo& info() const { return info_; }
  // The plugin's function table; valid as long as this object (the process, in the registry).
  const dqa_plugin& api() const { return *api_; }

 private:
  std::unique_ptr<boost::dll::shared_library> library_;
  const dqa_plugin* api_ = nullptr;
  PluginInfo info_;
};

}  // namespace dqa::plugins
