#include "core/scoring/yaml_map.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>

#include "core/rules/diagnostics.h"
#include "core/util/yaml_load.h"

namespace dqa::config {
namespace {

std::string Where(const std::string& name, const YAML::Mark& mark) {
  if (mark.line < 0) return name;
  return fmt::format("{}:{}:{}", name, mark.line + 1, mark.column + 1);
}

}  // namespace

Result<YAML::Node> LoadRoot(const std::string& text, const std::string& name) {
  LoadedYaml loaded = LoadYaml(text);
  if (loaded.problem) {
    return InvalidArgument(fmt::format("{}:{}:{}: {}", name, loaded.problem->line,
                                       loaded.problem->column, loaded.problem->message));
  }
  const YAML::Node root = loaded.root;
  if (!root.IsDefined() || root.IsNull()) return YAML::Node(YAML::NodeType::Map);
  if (!root.IsMap()) {
    return InvalidArgument(fmt::format("{}: expected a map of settings", Where(name, root.Mark())));
  }
  return root;
}

Result<YamlMap> YamlMap::Read(const YAML::Node& node, const std::string& name, std::string context,
                              std::vector<std::string_view> allowed) {
  if (!node.IsMap()) {
    return InvalidArgument(
        fmt::format("{}: {}: expected a map", Where(name, node.Mark()), context));
  }
  try {
    for (const auto& kv : node) {
      const std::string key = kv.first.Scalar();
      bool known = false;
      for (std::string_view a : allowed) known = known || a == key;
      if (known) continue;
      const std::string close = rules::ClosestMatch(key, allowed);
      return InvalidArgument(fmt::format(
          "{}: {}: unknown key '{}'{}; expected one of: {}", Where(name, kv.first.Mark()), context,
          key, close.empty() ? "" : fmt::format(" (did you mean '{}'?)", close),
          rules::JoinNames(allowed)));
    }
  } catch (const YAML::Exception& e) {
    return InvalidArgument(fmt::format("{}: YAML error: {}", name, e.what()));
  }
  return YamlMap(node, name, std::move(context));
}

bool YamlMap::Has(std::string_view key) const {
  for (const auto& kv : node_) {
    if (kv.first.Scalar() == key) return true;
  }
  return false;
}

YAML::Node YamlMap::Get(std::string_view key) const {
  for (const auto& kv : node_) {
    if (kv.first.Scalar() == key) return kv.second;
  }
  return YAML::Node();
}

Status YamlMap::Error(std::string_view key, const std::string& message) const {
  YAML::Mark mark = node_.Mark();
  for (const auto& kv : node_) {
    if (kv.first.Scalar() == key) mark = kv.second.Mark();
  }
  return InvalidArgument(fmt::format("{}: {}: {}", Where(name_, mark), context_, message));
}

Status YamlMap::Number(std::string_view key, double min, double max, bool min_exclusive,
                       double& out) const {
  if (!Has(key)) return Status::Ok();
  const YAML::Node v = Get(key);
  const std::string text = v.IsScalar() ? v.Scalar() : "";
  char* end = nullptr;
  const double d = text.empty() ? 0 : std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(d)) {
    return Error(key, fmt::format("'{}': expected a number, got '{}'", key, text));
  }
  if ((min_exclusive ? d <= min : d < min) || d > max) {
    const std::string low = fmt::format("{}{}", min_exclusive ? "> " : ">= ", min);
    const std::string high = std::isfinite(max) ? fmt::format(" and <= {}", max) : "";
    return Error(key, fmt::format("'{}': expected a number {}{}, got {}", key, low, high, text));
  }
  out = d;
  return Status::Ok();
}

Status YamlMap::Integer(std::string_view key, int min, int max, int& out) const {
  if (!Has(key)) return Status::Ok();
  const YAML::Node v = Get(key);
  const std::string text = v.IsScalar() ? v.Scalar() : "";
  char* end = nullptr;
  const long n = text.empty() ? 0 : std::strtol(text.c_str(), &end, 10);
  if (text.empty() || end != text.c_str() + text.size() || n < min || n > max) {
    return Error(key, fmt::format("'{}': expected a whole number from {} to {}, got '{}'", key, min,
                                  max, text));
  }
  out = static_cast<int>(n);
  return Status::Ok();
}

Status YamlMap::Choice(std::string_view key, const std::vector<std::string_view>& values,
                       std::string& out) const {
  if (!Has(key)) return Status::Ok();
  const YAML::Node v = Get(key);
  const std::string text = v.IsScalar() ? v.Scalar() : "";
  for (std::string_view value : values) {
    if (value == text) {
      out = text;
      return Status::Ok();
    }
  }
  return Error(
      key, fmt::format("'{}': expected one of {}, got '{}'", key, rules::JoinNames(values), text));
}

}  // namespace dqa::config
