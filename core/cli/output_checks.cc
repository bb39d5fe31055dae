#include "core/cli/output_checks.h"

#include <fmt/format.h>

#include <filesystem>

namespace dqa::cli {

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

void AddRulePaths(const std::vector<std::string>& paths, InputFiles& inputs) {
  namespace fs = std::filesystem;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (!fs::is_directory(path, ec)) {
      inputs.Add(path, "a rule file");
      continue;
    }
    for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
      const std::string ext = it->path().extension().string();
      if (ext == ".yaml" || ext == ".yml") inputs.Add(it->path().string(), "a rule file");
    }
  }
}

Status CheckScheduleOutputs(const InputFiles& inputs, std::string_view option,
                            const std::string& dir, const std::vector<ScheduleFormat>& formats) {
  for (ScheduleFormat f : formats) {
    DQA_RETURN_IF_ERROR(
        inputs.CheckOutput(option, (std::filesystem::path(dir) / ScheduleFileName(f)).string()));
  }
  return Status::Ok();
}

}  // namespace dqa::cli
