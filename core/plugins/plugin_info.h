// PluginInfo: what a loaded plugin declares (name, version, sector, checks, parameters), as host types.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/model/types.h"

namespace dqa::plugins {

enum class ParamType { kColumn, kString, kNumber, kInteger, kDuration, kBool, kStringList };
enum class CheckKind { kRow, kQuery };

// "column", "string", "number", "integer", "duration", "bool", "string_list".
std::string_view ToString(ParamType type);
// "row", "query".
std::string_view ToString(CheckKind kind);

struct ParamInfo {
  std::string name;
  ParamType type = ParamType::kString;
  bool required = false;
  std::string description;
  // ABI 1.1 constraints (dqa_plugin::params_schema_json); empty for a 1.0 plugin.
  std::vector<std::string> choices;  // kString, kStringList: the allowed values (empty = any)
  std::optional<double> min, max;    // kNumber, kInteger: the inclusive range
  nlohmann::json default_value;      // null = none; the parameter's JSON form otherwise

  bool operator==(const ParamInfo&) const = default;
};

struct PluginCheckInfo {
  std::string name;  // "cccd"; the rule-file type is "<sector>.<name>"
  std::string description;
  Dimension dimension = Dimension::kValidity;
  CheckKind kind = CheckKind::kRow;
  std::vector<ParamInfo> params;  // in declaration order

  // Names of the column parameters, in declaration order.
  std::vector<std::string> ColumnParams() const;

  bool operator==(const PluginCheckInfo&) const = default;
};

// One entry of a plugin's message catalog (ABI 1.4 messages_json), in both report languages.
struct PluginMessage {
  std::string vi;
  std::string en;
  bool operator==(const PluginMessage&) const = default;
};

struct PluginInfo {
  std::string name;
  std::string version;
  std::string sector;  // rule-file prefix of its checks
  std::string description;
  uint32_t abi_major = 0;
  uint32_t abi_minor = 0;
  std::string file;  // absolute canonical path of the library
  std::vector<PluginCheckInfo> checks;
  // The message catalog by key (cccd.not_twelve_digits, metric.<name>, indicator.<id>); empty for
  // a plugin before ABI 1.4, whose messages are shown as written.
  std::map<std::string, PluginMessage, std::less<>> messages;

  // The check named `name`, or nullptr.
  const PluginCheckInfo* FindCheck(std::string_view name) const;

  bool operator==(const PluginInfo&) const = default;
};

}  // namespace dqa::plugins
