#include "core/plugins/plugin_info.h"

namespace dqa::plugins {

std::string_view ToString(ParamType type) {
  switch (type) {
    case ParamType::kColumn: return "column";
    case ParamType::kString: return "string";
    case ParamType::kNumber: return "number";
    case ParamType::kInteger: return "integer";
    case ParamType::kDuration: return "duration";
    case ParamType::kBool: return "bool";
    case ParamType::kStringList: return "string_list";
  }
  return "?";
}

std::string_view ToString(CheckKind kind) { return kind == CheckKind::kRow ? "row" : "query"; }

std::vector<std::string> PluginCheckInfo::ColumnParams() const {
  std::vector<std::string> out;
  for (const ParamInfo& p : params) {
    if (p.type == ParamType::kColumn) out.push_back(p.name);
  }
  return out;
}

const PluginCheckInfo* PluginInfo::FindCheck(std::string_view check_name) const {
  for (const PluginCheckInfo& c : checks) {
    if (c.name == check_name) return &c;
  }
  return nullptr;
}

}  // namespace dqa::plugins
