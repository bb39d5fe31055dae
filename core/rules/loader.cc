#include "core/rules/loader.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "core/rules/diagnostics.h"
#include "core/rules/parser.h"
#include "core/rules/plugin_warnings.h"
#include "core/util/input_file.h"

namespace dqa {
namespace {

namespace fs = std::filesystem;
using rules::Diagnostics;
using rules::ParsedRuleFile;

bool IsRuleFile(const fs::path& p) {
  const std::string ext = p.extension().string();
  return ext == ".yaml" || ext == ".yml";
}

struct RuleFileCandidate {
  std::string path;
  std::string folder;  // the folder argument it was found in; "" when named directly
};

// True when `target` (canonical) lies inside `folder` (canonical).
bool IsInside(const fs::path& target, const fs::path& folder) {
  const fs::path relative = target.lexically_relative(folder);
  return !relative.empty() && *relative.begin() != "..";
}

// One entry of a rules folder whose name is a rule file's: added when it is (or links to) a
// regular file inside the folder. Anything else that is not a file (a FIFO, a device, a socket, a
// broken link) is skipped with a warning: it cannot hold rules, and the nightly run should not
// stop for it. A symbolic link that leads outside the folder is refused: whoever may drop files
// into the folder must not make dqaudit read files elsewhere (docs/rules.md "Limits").
void AddFolderEntry(const fs::directory_entry& entry, const fs::path& folder_canonical,
                    const std::string& folder, Diagnostics& diags,
                    std::vector<fs::path>& found) {
  std::error_code ec;
  const fs::path& p = entry.path();
  const bool link = entry.is_symlink(ec);
  const fs::file_status status = entry.status(ec);  // follows links
  if (link) {
    const fs::path target = fs::canonical(p, ec);
    if (ec) {
      spdlog::warn("{}: skipped: a symbolic link to a file that does not exist", p.string());
      return;
    }
    if (!IsInside(target, folder_canonical)) {
      diags.Add({p.string(), 0, 0},
                fmt::format("symbolic link to {}, outside the rules folder {}: refused (copy the "
                            "file into the folder, or name it on the command line)",
                            target.string(), folder));
      return;
    }
  }
  if (fs::is_regular_file(status)) {
    found.push_back(p);
  } else if (!fs::is_directory(status)) {
    struct stat st {};
    const std::string kind =
        ::stat(p.c_str(), &st) == 0 ? std::string(FileKindName(st.st_mode)) : "not a file";
    spdlog::warn("{}: skipped: not a regular file ({})", p.string(), kind);
  }
}

// Expands `paths` into rule files: files as given, folders into their *.yaml/*.yml files
// (recursively, sorted). A file reached twice is loaded once.
std::vector<RuleFileCandidate> CollectFiles(const std::vector<std::string>& paths,
                                            Diagnostics& diags) {
  std::vector<RuleFileCandidate> files;
  std::set<std::string> seen;
  const auto add = [&](const fs::path& p, const std::string& folder) {
    std::error_code ec;
    const fs::path canonical = fs::weakly_canonical(p, ec);
    if (seen.insert(ec ? p.string() : canonical.string()).second) {
      files.push_back({p.string(), folder});
    }
  };
  for (const std::string& path : paths) {
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (!fs::exists(status)) {
      diags.Add({path, 0, 0}, "no such file or directory");
      continue;
    }
    if (fs::is_directory(status)) {
      const fs::path folder_canonical = fs::canonical(path, ec);
      std::vector<fs::path> found;
      for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
        if (IsRuleFile(it->path()) && !it->is_directory(ec)) {
          AddFolderEntry(*it, folder_canonical, path, diags, found);
        }
      }
      if (ec) {
        diags.Add({path, 0, 0}, fmt::format("cannot read folder: {}", ec.message()));
        continue;
      }
      if (found.empty()) {
        diags.Add({path, 0, 0}, "no rule files (*.yaml, *.yml) in this folder");
        continue;
      }
      std::sort(found.begin(), found.end());
      for (const fs::path& f : found) add(f, path);
    } else {
      add(path, "");
    }
  }
  return files;
}

}  // namespace

Result<std::vector<SourceSpec>> LoadRules(const std::vector<std::string>& paths) {
  Diagnostics diags;
  if (paths.empty()) return InvalidArgument("no rule files given");
  std::vector<ParsedRuleFile> parsed;
  // Per folder argument: how many rule files it gave, and the YAML files skipped as not rule files.
  struct FolderCount {
    int rule_files = 0;
    std::vector<std::string> skipped;
  };
  std::map<std::string, FolderCount> folders;
  for (const auto& [file, folder] : CollectFiles(paths, diags)) {
    // Named directly, a FIFO, a device or a huge file is refused here, without blocking on it or
    // reading it whole.
    Result<std::string> text = ReadInputFile(file);
    if (!text.ok()) {
      const std::string message = text.status().message();
      // ReadInputFile's messages start with "<file>: "; the diagnostic adds the file itself.
      diags.Add({file, 0, 0}, message.starts_with(file + ": ") ? message.substr(file.size() + 2)
                                                                : message);
      continue;
    }
    // Another YAML file that lives next to the rule files (a schedule or nightly configuration)
    // is skipped when a folder is loaded; named directly, it is a rule file with errors.
    if (!folder.empty() && !rules::LooksLikeRuleFile(*text)) {
      spdlog::warn("{}: skipped: not a rule file (none of the keys {} at the top level)", file,
                   rules::JoinNames(rules::RuleFileTopLevelKeys()));
      folders[folder].skipped.push_back(fs::path(file).filename().string());
      continue;
    }
    if (!folder.empty()) ++folders[folder].rule_files;
    parsed.push_back(rules::ParseRuleFile(*text, file, diags));
  }
  for (const auto& [folder, count] : folders) {
    if (count.rule_files == 0) {
      diags.Add({folder, 0, 0},
                fmt::format("no rule files in this folder ({} skipped: not rule files)",
                            rules::JoinNames(std::vector<std::string_view>(count.skipped.begin(),
                                                                           count.skipped.end()))));
    }
  }

  // Cross-file checks: source ids are unique, attach names a loaded source.
  std::map<std::string, const ParsedRuleFile*> by_id;
  for (const ParsedRuleFile& p : parsed) {
    if (!p.has_id) continue;
    const auto [it, inserted] = by_id.emplace(p.source.id, &p);
    if (!inserted) {
      diags.Add(p.source.location,
                fmt::format("duplicate source id '{}': also defined at {}", p.source.id,
                            it->second->source.location.ToString()));
    }
  }
  for (const ParsedRuleFile& p : parsed) {
    for (const auto& [alias, target] : p.source.attach) {
      if (by_id.count(target) == 0) {
        std::vector<std::string_view> known;
        for (const auto& [id, file] : by_id) known.push_back(id);
        diags.Add(p.attach_locations.at(alias),
                  fmt::format("attach '{}' names unknown source '{}' (loaded sources: {})", alias,
                              target, known.empty() ? "none" : rules::JoinNames(known)));
      }
    }
  }
  DQA_RETURN_IF_ERROR(diags.ToStatus());

  std::vector<SourceSpec> sources;
  sources.reserve(parsed.size());
  for (ParsedRuleFile& p : parsed) sources.push_back(std::move(p.source));
  for (const rules::Diagnostic& w : rules::PluginWarnings(sources)) {
    spdlog::warn("{}: {}", w.location.ToString(), w.message);
  }
  return sources;
}

Result<SourceSpec> ParseRuleText(const std::string& yaml_text, const std::string& file_name) {
  Diagnostics diags;
  ParsedRuleFile parsed = rules::ParseRuleFile(yaml_text, file_name, diags);
  DQA_RETURN_IF_ERROR(diags.ToStatus());
  return std::move(parsed.source);
}

}  // namespace dqa
