#include "core/audit/inputs.h"

#include <fmt/format.h>

#include <filesystem>

#include "core/util/input_file.h"
#include "core/util/yaml_load.h"

namespace dqa {

void AddAuditInputs(const std::vector<SourcePlan>& plans, InputFiles& inputs) {
  for (const SourcePlan& plan : plans) {
    const std::string& id = plan.source.id;
    inputs.Add(plan.source.rule_file, fmt::format("the rule file of source {}", id));
    inputs.Add(plan.source.db_path, fmt::format("the database of source {}", id));
    for (const auto& [alias, path] : plan.attach_paths) {
      inputs.Add(path, fmt::format("the database attached as {} by source {}", alias, id));
    }
    for (const std::string& plugin : plan.plugin_files) {
      inputs.Add(plugin, fmt::format("a plugin library of source {}", id));
    }
  }
}

namespace {

// Adds a rule file and, when it can already be read, the SQLite database its `database:` names
// (resolved as the loader does): enough to refuse an output onto a source before the rules are
// loaded. Attached databases are other sources' databases, found through their own rule files.
void AddRuleFile(const std::filesystem::path& file, InputFiles& inputs) {
  inputs.Add(file.string(), "a rule file");
  Result<std::string> text = ReadInputFile(file.string());
  if (!text.ok()) return;  // the loader reports it
  const LoadedYaml yaml = LoadYaml(*text);
  if (yaml.problem || !yaml.root.IsMap() || !yaml.root["database"].IsScalar()) return;
  const std::string database = yaml.root["database"].Scalar();
  if (!database.starts_with("sqlite:") || database.size() == 7) return;
  std::filesystem::path db(database.substr(7));
  if (db.is_relative()) db = file.parent_path() / db;
  const std::string source =
      yaml.root["source"].IsScalar() ? yaml.root["source"].Scalar() : file.filename().string();
  inputs.Add(db.lexically_normal().string(), fmt::format("the database of source {}", source));
}

}  // namespace

namespace {

// Calls `fn` with each rule file `paths` name: files as given, folders' *.yaml/*.yml files
// (recursively), as LoadRules reads them.
template <typename Fn>
void ForEachRuleFile(const std::vector<std::string>& paths, Fn&& fn) {
  namespace fs = std::filesystem;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (!fs::is_directory(path, ec)) {
      fn(fs::path(path));
      continue;
    }
    for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
      const std::string ext = it->path().extension().string();
      if ((ext == ".yaml" || ext == ".yml") && it->is_regular_file(ec)) fn(it->path());
    }
  }
}

}  // namespace

void AddRulePaths(const std::vector<std::string>& paths, InputFiles& inputs) {
  ForEachRuleFile(paths, [&](const std::filesystem::path& file) { AddRuleFile(file, inputs); });
}

size_t CountRuleFiles(const std::vector<std::string>& paths) {
  size_t n = 0;
  ForEachRuleFile(paths, [&](const std::filesystem::path&) { ++n; });
  return n;
}

}  // namespace dqa
