#include "core/plugins/registry.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/dll/runtime_symbol_info.hpp>
#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace dqa::plugins {
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
    boost::system::error_code ec;
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
  for (size_t i = 0; i < dirs.size(); ++i) {
    const bool explicit_dir = i < options.plugin_dirs.size();
    std::error_code err;
    if (!fs::is_directory(dirs[i], err)) {
      if (explicit_dir) {
        std::lock_guard lock(mu_);
        failures_.push_back({dirs[i], "--plugin-dir is not a directory"});
      }
      continue;
    }
    std::vector<std::string> files;
    for (const auto& entry : fs::directory_iterator(dirs[i], err)) {
      if (entry.path().extension() == ".so") files.push_back(entry.path().string());
    }
    std::sort(files.begin(), files.end());
    for (const std::string& f : files) (void)LoadFile(f);
  }
}

Result<const LoadedPlugin*> PluginRegistry::LoadFile(const std::string& path) {
  std::error_code err;
  const fs::path canon = fs::canonical(path, err);
  const std::string key = err ? path : canon.string();
  std::lock_guard lock(mu_);
  for (const auto& p : plugins_) {
    if (p->info().file == key) return p.get();
  }
  auto fail = [&](Status s, bool refused) -> Result<const LoadedPlugin*> {
    failures_.push_back({key, s.message(), refused});
    return s;
  };
  if (std::find(attempted_.begin(), attempted_.end(), key) != attempted_.end()) {
    for (const PluginLoadFailure& f : failures_) {
      if (f.file == key) return InvalidArgument(f.reason);
    }
  }
  attempted_.push_back(key);
  LoadOptions load_options;
  load_options.allow_unsafe = allow_unsafe_.value_or(false);
  if (!allow_unsafe_) {
    const char* env = std::getenv("DQAUDIT_ALLOW_UNSAFE_PLUGINS");
    load_options.allow_unsafe = env != nullptr && std::string_view(env) == "1";
  }
  Result<std::unique_ptr<LoadedPlugin>> loaded = LoadedPlugin::Load(path, load_options);
  if (!loaded.ok()) {
    spdlog::warn("{}", loaded.status().message());
    return fail(loaded.status(), /*refused=*/true);
  }
  const PluginInfo& info = (*loaded)->info();
  for (const auto& p : plugins_) {
    const PluginInfo& other = p->info();
    if (other.sector == info.sector || other.name == info.name) {
      Status dup = InvalidArgument(fmt::format(
          "duplicate plugin {} (sector {}) in {}: already loaded from {}; the first one found "
          "wins",
          info.name, info.sector, key, other.file));
      spdlog::warn("{}", dup.message());
      // The library stays mapped (RTLD_NODELETE); only its registration is refused.
      return fail(dup, /*refused=*/false);
    }
  }
  plugins_.push_back(std::move(loaded).value());
  return plugins_.back().get();
}

void PluginRegistry::set_allow_unsafe(bool allow) {
  std::lock_guard lock(mu_);
  allow_unsafe_ = allow;
}

bool PluginRegistry::allow_unsafe() const {
  std::lock_guard lock(mu_);
  if (allow_unsafe_) return *allow_unsafe_;
  const char* env = std::getenv("DQAUDIT_ALLOW_UNSAFE_PLUGINS");
  return env != nullptr && std::string_view(env) == "1";
}

std::vector<const LoadedPlugin*> PluginRegistry::plugins() const {
  std::lock_guard lock(mu_);
  std::vector<const LoadedPlugin*> out;
  for (const auto& p : plugins_) out.push_back(p.get());
  return out;
}

std::vector<PluginLoadFailure> PluginRegistry::failures() const {
  std::lock_guard lock(mu_);
  return failures_;
}

const LoadedPlugin* PluginRegistry::FindPlugin(std::string_view sector_or_name) const {
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

std::optional<PluginLoadFailure> PluginRegistry::RefusedLibraryFor(std::string_view sector) const {
  std::lock_guard lock(mu_);
  for (const auto& p : plugins_) {
    if (p->info().sector == sector) return std::nullopt;
  }
  for (const PluginLoadFailure& f : failures_) {
    if (!f.refused) continue;
    const std::string_view name = std::string_view(f.file).substr(f.file.find_last_of('/') + 1);
    const std::string_view stem = name.substr(0, name.find('.'));
    if (stem == sector || (stem.starts_with("lib") && stem.substr(3) == sector)) return f;
  }
  return std::nullopt;
}

PluginRegistry& ProcessPluginRegistry() {
  static PluginRegistry registry;
  return registry;
}

}  // namespace dqa::plugins
