#include "core/cli/checks_command.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/checks/catalog.h"
#include "core/cli/commands.h"
#include "core/cli/help_footer.h"
#include "core/rules/diagnostics.h"

namespace dqa::cli {
namespace {

// The parameters as `checks info --json` gives them; a map's fields in "fields", the same way.
nlohmann::ordered_json ParamsJson(const std::vector<ParamSpec>& specs) {
  nlohmann::ordered_json params = nlohmann::ordered_json::array();
  for (const ParamSpec& p : specs) {
    nlohmann::ordered_json j = {{"name", p.name},
                                {"type", ToString(p.type)},
                                {"required", p.required},
                                {"description", p.description}};
    if (!p.default_value.is_null()) j["default"] = p.default_value;
    if (p.min) j["min"] = *p.min;
    if (p.max) j["max"] = *p.max;
    if (!p.choices.empty()) j["choices"] = p.choices;
    if (p.type == ParamType::kStringList) j["non_empty"] = p.non_empty;
    if (!p.table_param.empty()) j["table_param"] = p.table_param;
    if (p.type == ParamType::kMap) j["fields"] = ParamsJson(p.fields);
    params.push_back(std::move(j));
  }
  return params;
}

nlohmann::ordered_json TypeJson(const CheckType& type) {
  const CheckTypeInfo& i = type.info();
  nlohmann::ordered_json params = ParamsJson(i.params);
  nlohmann::ordered_json j = {{"name", i.name},
                              {"summary", i.summary},
                              {"dimension", ToString(i.dimension)},
                              {"shape", ToString(i.shape)},
                              {"origin", i.origin},
                              {"takes_where", i.takes_where()},
                              {"yes_no", i.yes_no},
                              {"params", std::move(params)}};
  if (!i.per_column.empty()) j["per_column"] = i.per_column;
  return j;
}

std::string ShapeText(CheckShape shape) {
  switch (shape) {
    case CheckShape::kRow: return "row check: a test of each row, in the table's one scan";
    case CheckShape::kAggregate: return "aggregate: one figure over the rows of the table's scan";
    case CheckShape::kGrouped: return "grouped: rows of the table's scan, then a grouping query";
    case CheckShape::kQuery: return "query: runs its own read-only queries on the snapshot";
  }
  return "";
}

}  // namespace

ChecksCommands AddChecksCommand(CLI::App& app, ChecksCommandOptions& o) {
  CLI::App* checks = app.add_subcommand("checks", "Show the check types rule files can use");
  checks->fallthrough();
  checks->require_subcommand(1);
  CLI::App* list = checks->add_subcommand(
      "list", "List every check type, built-in and from plugins, with its dimension and shape");
  list->fallthrough();
  list->add_flag("--json", o.json, "Print the catalogue as JSON");
  AddPluginOptions(*list, o.plugins);
  CLI::App* info = checks->add_subcommand(
      "info", "Show a check type's parameters (type, required, default) and common keys");
  info->fallthrough();
  info->add_option("name", o.name, "Check type, e.g. coverage or population.cccd")->required();
  info->add_flag("--json", o.json, "Print the type as JSON");
  AddPluginOptions(*info, o.plugins);
  const std::string_view usage = "bad option or argument";
  checks->footer(ExitCodesFooter({{0, "listed or shown"}, {2, usage}}));
  list->footer(ExitCodesFooter({{0, "listed"}, {2, usage}}));
  info->footer(ExitCodesFooter({{0, "shown"}, {2, "no check type of that name, or a bad option"}}));
  return {list, info};
}

std::string DescribeCheckType(const CheckType& type) {
  const CheckTypeInfo& i = type.info();
  std::string out = fmt::format("{}: {}\n  dimension: {}\n  shape:     {}\n  origin:    {}\n",
                                i.name, i.summary, ToString(i.dimension), ShapeText(i.shape),
                                i.origin);
  if (!i.per_column.empty()) {
    out += fmt::format("  one check per column of '{}' (ids {}:<table>.<column>)\n", i.per_column,
                       i.name);
  }
  if (i.params.empty()) {
    out += "  parameters: none\n";
  } else {
    out += "  parameters:\n";
    size_t width = 0;
    for (const ParamSpec& p : i.params) width = std::max(width, p.name.size());
    for (const ParamSpec& p : i.params) {
      std::string extra;
      if (!p.default_value.is_null()) extra = fmt::format(" (default {})", p.default_value.dump());
      if (p.min && p.max) {
        extra += fmt::format(" (from {} to {})", *p.min, *p.max);
      } else if (p.min) {
        extra += fmt::format(" (at least {})", *p.min);
      } else if (p.max) {
        extra += fmt::format(" (at most {})", *p.max);
      }
      if (!p.choices.empty()) extra += fmt::format(" (one of {})", fmt::join(p.choices, ", "));
      out += fmt::format("    {:<{}}  {:<14}  {:<8}  {}{}\n", p.name, width, ToString(p.type),
                         p.required ? "required" : "optional", p.description, extra);
    }
  }
  out += fmt::format(
      "  common keys: id, severity, dimension, {}max_count, max_percent, warn, fail{}\n",
      i.takes_where() ? "where, " : "", i.takes_by() ? ", by" : "");
  return out;
}

int RunChecksList(const ChecksCommandOptions& o) {
  LoadPlugins(o.plugins);
  const std::vector<const CheckType*> types = Catalog().All();
  if (o.json) {
    nlohmann::ordered_json j = nlohmann::ordered_json::array();
    for (const CheckType* t : types) j.push_back(TypeJson(*t));
    fmt::print("{}\n", j.dump(2));
    return kExitOk;
  }
  size_t width = 0;
  for (const CheckType* t : types) width = std::max(width, t->name().size());
  for (const CheckType* t : types) {
    const CheckTypeInfo& i = t->info();
    fmt::print("{:<{}}  {:<12}  {:<9}  {}{}\n", i.name, width, ToString(i.dimension),
               ToString(i.shape), i.summary,
               i.origin == "built-in" ? "" : fmt::format(" [{}]", i.origin));
  }
  fmt::print("\n'dqaudit checks info NAME' shows a type's parameters; docs/checks.md has the "
             "exact semantics.\n");
  return kExitOk;
}

int RunChecksInfo(const ChecksCommandOptions& o) {
  LoadPlugins(o.plugins);
  const CheckType* type = Catalog().Find(o.name);
  if (type == nullptr) {
    std::vector<std::string_view> names;
    for (const CheckType* t : Catalog().All()) names.push_back(t->name());
    if (auto reason = Catalog().UnavailableReason(o.name)) {
      fmt::print(stderr, "dqaudit: check type '{}' is unavailable: {}\n", o.name, *reason);
      return kExitUsage;
    }
    std::string message = fmt::format("dqaudit: no check type named '{}'", o.name);
    if (const std::string suggestion = rules::ClosestMatch(o.name, names);
               !suggestion.empty()) {
      message += fmt::format("; did you mean '{}'?", suggestion);
    }
    fmt::print(stderr, "{} (types: {})\n", message, rules::JoinNames(names));
    return kExitUsage;
  }
  if (o.json) {
    fmt::print("{}\n", TypeJson(*type).dump(2));
  } else {
    fmt::print("{}", DescribeCheckType(*type));
  }
  return kExitOk;
}

}  // namespace dqa::cli
