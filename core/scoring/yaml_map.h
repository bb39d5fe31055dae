// YamlMap: strict reading of a small YAML configuration map (known keys, typed values, positions in
// errors). Shared by the scoring and trend configuration loaders; not a public API.
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/util/status.h"

namespace dqa::config {

// Parses `text` as a YAML document whose root is a map (or empty: an empty map). Never throws.
Result<YAML::Node> LoadRoot(const std::string& text, const std::string& name);

// A YAML map whose keys must be among `allowed`. Methods never throw; they return the first error.
class YamlMap {
 public:
  // InvalidArgument if `node` is not a map or has a key outside `allowed` ("did you mean").
  static Result<YamlMap> Read(const YAML::Node& node, const std::string& name, std::string context,
                              std::vector<std::string_view> allowed);

  bool Has(std::string_view key) const;
  YAML::Node Get(std::string_view key) const;
  // A number in [min, max] (min_exclusive: > min). Unset keys leave `out` unchanged.
  Status Number(std::string_view key, double min, double max, bool min_exclusive,
                double& out) const;
  Status Integer(std::string_view key, int min, int max, int& out) const;
  // A string that must be one of `values`.
  Status Choice(std::string_view key, const std::vector<std::string_view>& values,
                std::string& out) const;
  // "<name>:<line>:<col>: <context>: <message>" at the node of `key` (or of the map).
  Status Error(std::string_view key, const std::string& message) const;

 private:
  YamlMap(YAML::Node node, std::string name, std::string context)
      : node_(std::move(node)), name_(std::move(name)), context_(std::move(context)) {}
  YAML::Node node_;
  std::string name_;
  std::string context_;
};

}  // namespace dqa::config
