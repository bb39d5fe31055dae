#include "core/plugins/registry.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/dll/runtime_symbol_info.hpp>
#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "core/checks/catalog.h"
#include "core/plugins/file_safety.h"
#include "core/plugins/plugin_checks.h"

namespace dqa::plugins {

namespace {

// The checks a refused library would provide, by dqaudit's file naming (dqaudit_add_plugin:
// "<sector>.so", also accepted "lib<sector>.so"), become unavailable types in the catalogue: a
// rule that uses one is not wrong, the installation is, so the check ends in error with this
// reason.
void MarkUnavailable(const PluginLoadFailure& failure) {
  const std::string_view name =
      std::string_view(failure.file).substr(failure.file.find_last_of('/') + 1);
  const std::string_view stem = name.substr(0, name.find('.'));
  for (std::string_view sector : {stem, stem.starts_with("lib") ? stem.substr(3) : ""}) {
    if (sector.empty()) continue;
    Catalog().AddUnavailable(std::string(sector) + ".",
                             fmt::format("plugin {} unavailable: {}", sector, failure.reason));
  }
}

}  // namespace

namespace fs = std::filesystem;

std::vector<std::string> PluginRegistry::SearchPath(const DiscoveryOptions& options) {
  std::vector<std::string> dirs = options.plugin_dirs;
  if (options.use_environment) {
    if (const char* env = std::getenv("DQAUDIT_PLUGIN_PATH"); env != nullptr) {
      std::string_view rest(env);
      while (!rest.empty()) {
        const size_t colon = rest.find(':');
        const std::string_view item = rest.substr(0, colon);
        if (!item.empty()) dirs.emplace_back(item);
        if (colon == std::string_view::npos) break;
        rest.remove_prefix(colon + 1);
      }
    }
  }
  if (options.use_default_dirs) {
    boost::dll::fs::error_code ec;
    const boost::dll::fs::path exe = boost::dll::program_location(ec);
    if (!ec) dirs.push_back((exe.parent_path() / "plugins").string());
#ifdef DQA_INSTALL_PREFIX
    dirs.push_back(std::string(DQA_INSTALL_PREFIX) + "/lib/dqaudit/plugins");
#endif
  }
  // The same directory twice (e.g. the binary lives in the install prefix) is searched once.
  std::vector<std::string> unique;
  std::vector<std::string> seen;
  for (const std::string& d : dirs) {
    std::error_code err;
    fs::path canon = fs::weakly_canonical(d, err);
    const std::string key = err ? d : canon.string();
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
    seen.push_back(key);
    unique.push_back(d);
  }
  return unique;
}

void PluginRegistry::Discover(const DiscoveryOptions& options) {
  const std::vector<std::string> dirs = SearchPath(options);
  // Everything found, in discovery order: a failure already known, or a file to probe.
  struct Found {
    std::optional<PluginLoadFailure> failure;
    size_t probe = 0;  // index in to_probe when !failure
  };
  std::vector<Found> found;
  std::vector<std::string> to_probe;
  const bool allow_unsafe = this->allow_unsafe();
  for (size_t i = 0; i < dirs.size(); ++i) {
    const bool explicit_dir = i < options.plugin_dirs.size();
    std::error_code err;
    if (!fs::is_directory(dirs[i], err)) {
      if (explicit_dir) {
        found.push_back({PluginLoadFailure{dirs[i], "--plugin-dir is not a directory"}});
      }
      continue;
    }
    std::vector<std::string> files;
    for (const auto& entry : fs::directory_iterator(dirs[i], err)) {
      if (entry.path().extension() == ".so") files.push_back(entry.path().string());
    }
    std::sort(files.begin(), files.end());
    for (const std::string& f : files) {
      const fs::path canon = fs::canonical(f, err);
      if (err) {
        found.push_back({PluginLoadFailure{f, fmt::format("plugin {}: {}", f, err.message()), true}});
        continue;
      }
      const std::string key = canon.string();
      {
        std::lock_guard lock(mu_);
        if (std::find(probed_.begin(), probed_.end(), key) != probed_.end()) continue;
        probed_.push_back(key);
      }
      // Admitted before any of its code runs, even in the helper.
      if (Status s = CheckPluginAdmission(key, allow_unsafe); !s.ok()) {
        found.push_back({PluginLoadFailure{key, s.message(), true}});
        continue;
      }
      found.push_back({std::nullopt, to_probe.size()});
      to_probe.push_back(key);
    }
  }
  std::vector<Result<PluginInfo>> probed = ProbePlugins(to_probe, options.probe);
  std::lock_guard lock(mu_);
  for (Found& f : found) {
    if (!f.failure) {
      Result<PluginInfo>& info = probed[f.probe];
      if (info.ok()) {
        (void)RegisterLocked(std::move(info).value());  // a duplicate is recorded and logged
        continue;
      }
      f.failure = PluginLoadFailure{to_probe[f.probe], info.status().message(), true};
    }
    if (f.failure->refused) {
      spdlog::warn("{}", f.failure->reason);
      MarkUnavailable(*f.failure);
    }
    failures_.push_back(std::move(*f.failure));
  }
}

Result<RegisteredPlugin*> PluginRegistry::RegisterLocked(PluginInfo info) {
  for (const auto& p : plugins_) {
    const PluginInfo& other = p->info();
    if (other.sector == info.sector || other.name == info.name) {
      Status dup = InvalidArgument(fmt::format(
          "duplicate plugin {} (sector {}) in {}: already loaded from {}; the first one found "
          "wins",
          info.name, info.sector, info.file, other.file));
      spdlog::warn("{}", dup.message());
      failures_.push_back({info.file, dup.message(), /*refused=*/false});
      return dup;
    }
  }
  plugins_.push_back(std::make_unique<RegisteredPlugin>(std::move(info)));
  RegisteredPlugin* plugin = plugins_.back().get();
  // The plugin's checks join the catalogue, next to the built-in ones.
  for (size_t i = 0; i < plugin->info().checks.size(); ++i) {
    (void)Catalog().Add(MakePluginCheckType(*plugin, i));
  }
  return plugin;
}

Result<const RegisteredPlugin*> PluginRegistry::LoadFile(const std::string& path) {
  std::error_code err;
  const fs::path canon = fs::canonical(path, err);
  const std::string key = err ? path : canon.string();
  std::lock_guard lock(mu_);
  RegisteredPlugin* known = nullptr;  // from its probe, not loaded yet
  for (const auto& p : plugins_) {
    if (p->info().file != key) continue;
    if (p->api() != nullptr) return p.get();
    known = p.get();
  }
  if (std::find(attempted_.begin(), attempted_.end(), key) != attempted_.end()) {
    for (const PluginLoadFailure& f : failures_) {
      if (f.file == key) return InvalidArgument(f.reason);
    }
    return InvalidArgument(fmt::format("plugin {} could not be loaded", key));
  }
  attempted_.push_back(key);
  auto fail = [&](Status s, bool refused) -> Result<const RegisteredPlugin*> {
    spdlog::warn("{}", s.message());
    failures_.push_back({key, s.message(), refused});
    if (refused) MarkUnavailable(failures_.back());
    return s;
  };
  LoadOptions load_options;
  load_options.allow_unsafe = AllowUnsafeLocked();
  Result<std::unique_ptr<LoadedPlugin>> loaded = LoadedPlugin::Load(path, load_options);
  if (!loaded.ok()) return fail(loaded.status(), /*refused=*/true);
  RegisteredPlugin* plugin = known;
  if (plugin != nullptr && !((*loaded)->info() == plugin->info())) {
    return fail(InvalidArgument(fmt::format("plugin {} changed since it was probed: its "
                                            "descriptor differs; run the command again",
                                            key)),
                /*refused=*/true);
  }
  if (plugin == nullptr) {
    Result<RegisteredPlugin*> registered = RegisterLocked((*loaded)->info());
    // The library stays mapped (RTLD_NODELETE); only its registration is refused.
    if (!registered.ok()) return registered.status();
    plugin = *registered;
  }
  plugin->loaded_ = std::move(loaded).value();
  plugin->api_.store(&plugin->loaded_->api(), std::memory_order_release);
  return plugin;
}

void PluginRegistry::set_allow_unsafe(bool allow) {
  std::lock_guard lock(mu_);
  allow_unsafe_ = allow;
}

bool PluginRegistry::allow_unsafe() const {
  std::lock_guard lock(mu_);
  return AllowUnsafeLocked();
}

bool PluginRegistry::AllowUnsafeLocked() const {
  if (allow_unsafe_) return *allow_unsafe_;
  const char* env = std::getenv("DQAUDIT_ALLOW_UNSAFE_PLUGINS");
  return env != nullptr && std::string_view(env) == "1";
}

std::vector<const RegisteredPlugin*> PluginRegistry::plugins() const {
  std::lock_guard lock(mu_);
  std::vector<const RegisteredPlugin*> out;
  for (const auto& p : plugins_) out.push_back(p.get());
  return out;
}

std::vector<PluginLoadFailure> PluginRegistry::failures() const {
  std::lock_guard lock(mu_);
  return failures_;
}

const RegisteredPlugin* PluginRegistry::FindPlugin(std::string_view sector_or_name) const {
  std::lock_guard lock(mu_);
  for (const auto& p : plugins_) {
    if (p->info().sector == sector_or_name) return p.get();
  }
  for (const auto& p : plugins_) {
    if (p->info().name == sector_or_name) return p.get();
  }
  return nullptr;
}

std::optional<PluginCheckRef> PluginRegistry::FindCheck(std::string_view type) const {
  const size_t dot = type.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  const std::string_view sector = type.substr(0, dot);
  const std::string_view check = type.substr(dot + 1);
  std::lock_guard lock(mu_);
  for (const auto& p : plugins_) {
    if (p->info().sector != sector) continue;
    const std::vector<PluginCheckInfo>& checks = p->info().checks;
    for (size_t i = 0; i < checks.size(); ++i) {
      if (checks[i].name == check) return PluginCheckRef{p.get(), i};
    }
  }
  return std::nullopt;
}

std::vector<std::string> PluginRegistry::CheckTypes() const {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  for (const auto& p : plugins_) {
    for (const PluginCheckInfo& c : p->info().checks) out.push_back(p->info().sector + "." + c.name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

PluginRegistry& ProcessPluginRegistry() {
  static PluginRegistry registry;
  return registry;
}

}  // namespace dqa::plugins
