// `dqaudit rules check`: validate rule files against the rule language and the databases.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>

#include "core/cli/commands.h"
#include "core/cli/help_footer.h"
#include "core/rules/loader.h"

namespace dqa::cli {

CLI::App* AddRulesCheckCommand(CLI::App& app, RulesCheckOptions& o) {
  CLI::App* rules = app.add_subcommand("rules", "Work with rule files");
  rules->fallthrough();
  rules->require_subcommand(1);
  CLI::App* check = rules->add_subcommand(
      "check", "Validate rule files and check them against the databases, read-only");
  check->fallthrough();
  check->add_option("paths", o.paths, "Rule files (.yaml) or folders of rule files")
      ->required()
      ->check(CLI::ExistingPath);
  AddPluginOptions(*check, o.plugins);
  const std::string footer =
      ExitCodesFooter({{0, "the rule files are valid against the databases"},
                       {2, "rule errors (each as file:line:column: message) or a bad option"}});
  rules->footer(footer);
  check->footer(footer);
  return check;
}

int RunRulesCheck(const RulesCheckOptions& o) {
  LoadPlugins(o.plugins);  // plugin check types are resolved while the rules load
  Result<std::vector<SourceSpec>> sources = LoadRules(o.paths);
  if (!sources.ok()) {
    fmt::print(stderr, "{}\n", sources.status().message());
    return kExitUsage;
  }
  std::vector<std::string> unreachable;
  if (Status s = ValidateAgainstDatabases(*sources, &unreachable); !s.ok()) {
    fmt::print(stderr, "{}\n", s.message());
    return kExitUsage;
  }
  for (const std::string& id : unreachable) {
    spdlog::warn("source {}: its database cannot be opened; a scan will report it as an error", id);
  }
  size_t checks = 0;
  for (const SourceSpec& s : *sources) {
    for (const TableSpec& t : s.tables) checks += t.checks.size();
  }
  fmt::print("OK: {} source{}, {} check{}\n", sources->size(), sources->size() == 1 ? "" : "s",
             checks, checks == 1 ? "" : "s");
  return kExitOk;
}

}  // namespace dqa::cli
