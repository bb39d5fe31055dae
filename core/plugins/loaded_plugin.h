// LoadedPlugin: one plugin library opened with Boost.DLL, its ABI verified and its descriptor read.
#pragma once

#include <memory>
#include <string>

#include "core/plugins/descriptor.h"
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
  // allow_unsafe) and the directory's plugins.allow (CheckPluginAdmission), then boost::dll::shared_library with rtld_now | rtld_local (and RTLD_NODELETE:
  // code from a plugin is never unmapped), then the entry point DQA_PLUGIN_ENTRY_NAME is called
  // and ABI major == host, minor <= host and struct_size are verified before anything else of the
  // descriptor is read; last the descriptor is validated (names, kinds, types, dimensions).
  // Errors: NotFound (no such file), InvalidArgument (unsafe or not allowed file, not a library,
  // no entry point, ABI mismatch, malformed descriptor), each message naming the file.
  // Runs plugin code (initialisers, entry point): only in a process that scans (a worker, an
  // --in-process scan) or in the probe helper.
  static Result<std::unique_ptr<LoadedPlugin>> Load(const std::string& path,
                                                    const LoadOptions& options);

  // For the probe helper process only (core/plugins/probe.h): loads `file` (absolute, canonical,
  // admitted by the host) and copies its descriptor unvalidated; the host validates it. The
  // library stays mapped. Errors as Load for a file that is not a library or has no entry point.
  static Result<RawDescriptor> ReadDescriptorForProbe(const std::string& file);

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
  // dlopen and the entry point's descriptor, unvalidated (info_ has only the file).
  static Result<std::unique_ptr<LoadedPlugin>> Open(const std::string& file);

  std::unique_ptr<boost::dll::shared_library> library_;
  const dqa_plugin* api_ = nullptr;
  PluginInfo info_;
};

}  // namespace dqa::plugins
