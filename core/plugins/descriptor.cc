#include "core/plugins/descriptor.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <set>
#include <string_view>

#include "core/util/duration.h"

namespace dqa::plugins {
namespace {

using nlohmann::json;

// Size of the ABI 1.0 descriptor: every plugin of major 1 has at least these fields.
constexpr size_t kMinDescriptorSize = offsetof(dqa_plugin, destroy) + sizeof(dqa_plugin::destroy);
// Size of the ABI 1.1 descriptor: a plugin whose struct_size reaches it has params_schema_json.
constexpr size_t kSchemaDescriptorSize =
    offsetof(dqa_plugin, params_schema_json) + sizeof(dqa_plugin::params_schema_json);

// Size of the ABI 1.4 descriptor: a plugin whose struct_size reaches it has messages_json.
constexpr size_t kMessagesDescriptorSize =
    offsetof(dqa_plugin, messages_json) + sizeof(dqa_plugin::messages_json);

std::optional<std::string> Copy(const char* s) {
  return s == nullptr ? std::nullopt : std::optional<std::string>(s);
}

bool IsName(const std::optional<std::string>& s) {
  if (!s || s->empty()) return false;
  for (const char c : *s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

std::string Text(const std::optional<std::string>& s) { return s.value_or(""); }

// A whole number that a double represents exactly (integer parameters' bounds and defaults).
bool IsWhole(double v) { return std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 9.0e15; }

// Checks that `value` is a valid value of `param` (its type, choices and range); "" when it is,
// else what is wrong.
std::string ValueProblem(const ParamInfo& param, CheckKind kind, const json& value) {
  const auto in_choices = [&](const std::string& s) {
    return param.choices.empty() ||
           std::find(param.choices.begin(), param.choices.end(), s) != param.choices.end();
  };
  const auto in_range = [&](double v) {
    return (!param.min || v >= *param.min) && (!param.max || v <= *param.max);
  };
  switch (param.type) {
    case ParamType::kColumn:
      if (kind == CheckKind::kRow) {
        return "a column parameter of a row check cannot have a default (the host reads only the "
               "columns a rule names)";
      }
      return value.is_string() && !value.get<std::string>().empty() ? "" : "expected a column name";
    case ParamType::kString:
      if (!value.is_string()) return "expected a string";
      return in_choices(value.get<std::string>()) ? "" : "not one of its choices";
    case ParamType::kNumber:
      if (!value.is_number()) return "expected a number";
      return in_range(value.get<double>()) ? "" : "outside its min/max";
    case ParamType::kInteger:
      if (!value.is_number() || !IsWhole(value.get<double>())) return "expected a whole number";
      return in_range(value.get<double>()) ? "" : "outside its min/max";
    case ParamType::kDuration:
      return value.is_string() && Duration::Parse(value.get<std::string>())
                 ? ""
                 : "expected a duration like 30d, 12h, 2w, 6m or 1y";
    case ParamType::kBool:
      return value.is_boolean() ? "" : "expected true or false";
    case ParamType::kStringList:
      if (!value.is_array()) return "expected a list of strings";
      for (const json& item : value) {
        if (!item.is_string()) return "expected a list of strings";
        if (!in_choices(item.get<std::string>())) return "not one of its choices";
      }
      return "";
  }
  return "unknown parameter type";
}

// Reads one parameter's constraints (`c`, an object) into `param`; "" or what is wrong.
std::string ReadConstraints(const json& c, CheckKind kind, ParamInfo& param) {
  if (!c.is_object()) return "expected an object of choices, min, max and default";
  const bool textual = param.type == ParamType::kString || param.type == ParamType::kStringList;
  const bool numeric = param.type == ParamType::kNumber || param.type == ParamType::kInteger;
  for (const auto& [key, value] : c.items()) {
    if (key == "choices") {
      if (!textual) return "choices are only for string and string_list parameters";
      if (!value.is_array() || value.empty()) return "choices must be a non-empty list of strings";
      std::set<std::string> seen;
      for (const json& choice : value) {
        if (!choice.is_string() || choice.get<std::string>().empty() ||
            !seen.insert(choice.get<std::string>()).second) {
          return "choices must be distinct non-empty strings";
        }
        param.choices.push_back(choice.get<std::string>());
      }
    } else if (key == "min" || key == "max") {
      if (!numeric) return key + " is only for number and integer parameters";
      if (!value.is_number() || !std::isfinite(value.get<double>())) {
        return key + " must be a number";
      }
      const double bound = value.get<double>();
      if (param.type == ParamType::kInteger && !IsWhole(bound)) {
        return key + " of an integer parameter must be a whole number";
      }
      (key == "min" ? param.min : param.max) = bound;
    } else if (key != "default") {
      return fmt::format("unknown key '{}' (expected choices, min, max or default)", key);
    }
  }
  if (param.min && param.max && *param.min > *param.max) return "min is greater than max";
  // The default last: it must satisfy the constraints read above, whatever the key order.
  if (const auto it = c.find("default"); it != c.end()) {
    if (param.required) return "a required parameter cannot have a default";
    if (it->is_null()) return "default must not be null";
    if (std::string why = ValueProblem(param, kind, *it); !why.empty()) {
      return fmt::format("default {}: {}", it->dump(), why);
    }
    // An integer's default in integer form, whatever the plugin wrote (120.0 is shown as 120).
    param.default_value =
        param.type == ParamType::kInteger ? json(static_cast<int64_t>(it->get<double>())) : *it;
  }
  return "";
}

// ABI 1.1: applies dqa_plugin::params_schema_json to the checks read by ReadDescriptor.
Status ReadSchema(const std::string& text, PluginInfo& info) {
  const std::string where = fmt::format("plugin {}: params_schema_json", info.name);
  const json schema = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (schema.is_discarded()) return InvalidArgument(where + " is not valid JSON");
  if (!schema.is_object()) return InvalidArgument(where + " must be a JSON object of checks");
  for (const auto& [check_name, params] : schema.items()) {
    PluginCheckInfo* check = nullptr;
    for (PluginCheckInfo& c : info.checks) {
      if (c.name == check_name) check = &c;
    }
    if (check == nullptr) {
      return InvalidArgument(fmt::format("{} names unknown check '{}'", where, check_name));
    }
    if (!params.is_object()) {
      return InvalidArgument(
          fmt::format("{}: check {} must map parameter names to constraints", where, check_name));
    }
    for (const auto& [param_name, constraints] : params.items()) {
      auto param = std::find_if(check->params.begin(), check->params.end(),
                                [&name = param_name](const ParamInfo& p) { return p.name == name; });
      if (param == check->params.end()) {
        return InvalidArgument(fmt::format("{}: check {} has no parameter '{}'", where,
                                           check_name, param_name));
      }
      if (std::string why = ReadConstraints(constraints, check->kind, *param); !why.empty()) {
        return InvalidArgument(fmt::format("{}: parameter {} of check {}: {}", where, param_name,
                                           check_name, why));
      }
    }
  }
  return Status::Ok();
}

// Names, kinds, types and dimensions, into host types (after the ABI checks).
Status ReadMessages(const std::string& text, PluginInfo& info);

Status ReadDescriptor(const RawDescriptor& d, PluginInfo& info) {
  if (!IsName(d.name)) {
    return InvalidArgument("plugin name must be lower-case letters, digits and '_'");
  }
  const std::string& name = *d.name;
  if (!IsName(d.sector)) {
    return InvalidArgument(fmt::format("plugin {}: sector must be lower-case letters, digits and "
                                       "'_'",
                                       name));
  }
  if (!d.functions_present) {
    return InvalidArgument(fmt::format("plugin {}: a function pointer is NULL", name));
  }
  if (d.checks_null) return InvalidArgument(fmt::format("plugin {}: checks is NULL", name));
  info.name = name;
  info.version = Text(d.version);
  info.sector = *d.sector;
  info.description = Text(d.description);
  info.abi_major = d.abi_major;
  info.abi_minor = d.abi_minor;
  std::set<std::string> names;
  for (size_t i = 0; i < d.checks.size(); ++i) {
    const RawCheck& c = d.checks[i];
    if (!IsName(c.name)) {
      return InvalidArgument(fmt::format("plugin {}: check #{} has an invalid name", name, i + 1));
    }
    const std::string& check_name = *c.name;
    if (!names.insert(check_name).second) {
      return InvalidArgument(
          fmt::format("plugin {}: check {} is declared twice", name, check_name));
    }
    PluginCheckInfo check;
    check.name = check_name;
    check.description = Text(c.description);
    const std::optional<Dimension> dim = ParseDimension(Text(c.dimension));
    if (!dim) {
      return InvalidArgument(fmt::format("plugin {}: check {} has unknown dimension '{}'", name,
                                         check_name, Text(c.dimension)));
    }
    check.dimension = *dim;
    if (c.kind != DQA_CHECK_ROW && c.kind != DQA_CHECK_QUERY) {
      return InvalidArgument(
          fmt::format("plugin {}: check {} has unknown kind {}", name, check_name, c.kind));
    }
    check.kind = c.kind == DQA_CHECK_ROW ? CheckKind::kRow : CheckKind::kQuery;
    if (c.params_null) {
      return InvalidArgument(fmt::format("plugin {}: check {} has NULL params", name, check_name));
    }
    std::set<std::string> param_names;
    for (const RawParam& p : c.params) {
      if (!IsName(p.name) || !param_names.insert(*p.name).second) {
        return InvalidArgument(fmt::format(
            "plugin {}: check {} has an invalid or repeated parameter name", name, check_name));
      }
      if (p.type < DQA_PARAM_COLUMN || p.type > DQA_PARAM_STRING_LIST) {
        return InvalidArgument(fmt::format("plugin {}: parameter {} of check {} has unknown type {}",
                                           name, *p.name, check_name, p.type));
      }
      check.params.push_back(ParamInfo{*p.name, static_cast<ParamType>(p.type - DQA_PARAM_COLUMN),
                                       p.required != 0, Text(p.description)});
    }
    info.checks.push_back(std::move(check));
  }
  if (d.params_schema) DQA_RETURN_IF_ERROR(ReadSchema(*d.params_schema, info));
  if (d.messages) return ReadMessages(*d.messages, info);
  return Status::Ok();
}

// The {placeholders} of a catalog text, sorted.
std::set<std::string> Placeholders(const std::string& text) {
  std::set<std::string> names;
  for (size_t open = text.find('{'); open != std::string::npos; open = text.find('{', open + 1)) {
    const size_t close = text.find('}', open);
    if (close == std::string::npos) break;
    names.insert(text.substr(open + 1, close - open - 1));
  }
  return names;
}

// ABI 1.4: reads dqa_plugin::messages_json. A malformed catalog refuses the plugin rather than
// warning: a key without its English or Vietnamese text would put the other language (or a bare
// key) into a committee's report at every run, and the plugin's author sees the refusal the first
// time the plugin is loaded (`dqaudit plugins check`), as for a malformed params_schema_json.
Status ReadMessages(const std::string& text, PluginInfo& info) {
  const std::string where = fmt::format("plugin {}: messages_json", info.name);
  const json catalog = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (catalog.is_discarded()) return InvalidArgument(where + " is not valid JSON");
  if (!catalog.is_object() || !catalog.contains("vi") || !catalog.contains("en") ||
      catalog.size() != 2 || !catalog["vi"].is_object() || !catalog["en"].is_object()) {
    return InvalidArgument(where + " must be an object {\"vi\": {...}, \"en\": {...}}");
  }
  const json& vi = catalog["vi"];
  const json& en = catalog["en"];
  // Every key of `texts` has a non-empty text there and a key in `other`.
  const auto complete = [&](const json& texts, std::string_view lang, const json& other,
                            std::string_view other_lang) -> Status {
    for (const auto& [key, value] : texts.items()) {
      if (key.empty()) return InvalidArgument(where + ": an empty key");
      if (!value.is_string() || value.get<std::string>().empty()) {
        return InvalidArgument(fmt::format("{}: key '{}' has no {} text", where, key, lang));
      }
      if (!other.contains(key)) {
        return InvalidArgument(fmt::format("{}: key '{}' has no {} text", where, key, other_lang));
      }
    }
    return Status::Ok();
  };
  DQA_RETURN_IF_ERROR(complete(vi, "vi", en, "en"));
  DQA_RETURN_IF_ERROR(complete(en, "en", vi, "vi"));
  for (const auto& [key, value] : vi.items()) {
    const std::string vi_text = value.get<std::string>();
    const std::string en_text = en[key].get<std::string>();
    if (Placeholders(vi_text) != Placeholders(en_text)) {
      return InvalidArgument(fmt::format(
          "{}: key '{}' has different placeholders in vi and en: {} / {}", where, key,
          fmt::join(Placeholders(vi_text), ","), fmt::join(Placeholders(en_text), ",")));
    }
    info.messages[key] = PluginMessage{vi_text, en_text};
  }
  return Status::Ok();
}

json Optional(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }

std::optional<std::string> OptionalFrom(const json& j, const char* key) {
  const json& v = j.at(key);
  if (v.is_null()) return std::nullopt;
  return v.get<std::string>();
}

}  // namespace

RawDescriptor CopyDescriptor(const dqa_plugin& d) {
  RawDescriptor raw;
  raw.abi_major = d.abi_major;
  raw.abi_minor = d.abi_minor;
  raw.struct_size = d.struct_size;
  if (d.abi_major != DQA_PLUGIN_ABI_MAJOR || d.abi_minor > DQA_PLUGIN_ABI_MINOR ||
      d.struct_size < kMinDescriptorSize) {
    return raw;
  }
  raw.name = Copy(d.name);
  raw.version = Copy(d.version);
  raw.sector = Copy(d.sector);
  raw.description = Copy(d.description);
  raw.functions_present = d.create != nullptr && d.observe != nullptr &&
                          d.run_query != nullptr && d.finish != nullptr && d.destroy != nullptr;
  raw.checks_null = d.check_count > 0 && d.checks == nullptr;
  if (raw.checks_null) return raw;
  for (size_t i = 0; i < d.check_count; ++i) {
    const dqa_check_desc& c = d.checks[i];
    RawCheck check;
    check.name = Copy(c.name);
    check.description = Copy(c.description);
    check.dimension = Copy(c.dimension);
    check.kind = c.kind;
    check.params_null = c.param_count > 0 && c.params == nullptr;
    for (size_t j = 0; !check.params_null && j < c.param_count; ++j) {
      const dqa_param_desc& p = c.params[j];
      check.params.push_back(RawParam{Copy(p.name), p.type, p.required, Copy(p.description)});
    }
    raw.checks.push_back(std::move(check));
  }
  if (d.struct_size >= kSchemaDescriptorSize) raw.params_schema = Copy(d.params_schema_json);
  if (d.struct_size >= kMessagesDescriptorSize) raw.messages = Copy(d.messages_json);
  return raw;
}

Result<PluginInfo> ValidateDescriptor(const RawDescriptor& d, const std::string& file) {
  // ABI first: nothing else of the descriptor is looked at before these three fields check out.
  if (d.abi_major != DQA_PLUGIN_ABI_MAJOR) {
    return InvalidArgument(fmt::format(
        "plugin {} was built for plugin ABI {}.{}, this dqaudit speaks ABI {}.{}: rebuild it "
        "against this dqaudit's SDK",
        file, d.abi_major, d.abi_minor, DQA_PLUGIN_ABI_MAJOR, DQA_PLUGIN_ABI_MINOR));
  }
  if (d.abi_minor > DQA_PLUGIN_ABI_MINOR) {
    return InvalidArgument(fmt::format(
        "plugin {} needs plugin ABI {}.{}, newer than this dqaudit's {}.{}: upgrade dqaudit",
        file, d.abi_major, d.abi_minor, DQA_PLUGIN_ABI_MAJOR, DQA_PLUGIN_ABI_MINOR));
  }
  if (d.struct_size < kMinDescriptorSize) {
    return InvalidArgument(fmt::format(
        "plugin {}: descriptor struct_size {} is smaller than the ABI {}.0 descriptor ({} bytes)",
        file, d.struct_size, DQA_PLUGIN_ABI_MAJOR, kMinDescriptorSize));
  }
  PluginInfo info;
  info.file = file;
  if (Status s = ReadDescriptor(d, info); !s.ok()) return s.WithContext(fmt::format("plugin {}", file));
  return info;
}

json DescriptorToJson(const RawDescriptor& d) {
  json checks = json::array();
  for (const RawCheck& c : d.checks) {
    json params = json::array();
    for (const RawParam& p : c.params) {
      params.push_back({{"name", Optional(p.name)},
                        {"type", p.type},
                        {"required", p.required},
                        {"description", Optional(p.description)}});
    }
    checks.push_back({{"name", Optional(c.name)},
                      {"description", Optional(c.description)},
                      {"dimension", Optional(c.dimension)},
                      {"kind", c.kind},
                      {"params_null", c.params_null},
                      {"params", std::move(params)}});
  }
  return {{"abi_major", d.abi_major},
          {"abi_minor", d.abi_minor},
          {"struct_size", d.struct_size},
          {"name", Optional(d.name)},
          {"version", Optional(d.version)},
          {"sector", Optional(d.sector)},
          {"description", Optional(d.description)},
          {"functions_present", d.functions_present},
          {"checks_null", d.checks_null},
          {"checks", std::move(checks)},
          {"params_schema", Optional(d.params_schema)},
          {"messages", Optional(d.messages)}};
}

Result<RawDescriptor> DescriptorFromJson(const json& j) {
  try {
    RawDescriptor d;
    d.abi_major = j.at("abi_major").get<uint32_t>();
    d.abi_minor = j.at("abi_minor").get<uint32_t>();
    d.struct_size = j.at("struct_size").get<uint64_t>();
    d.name = OptionalFrom(j, "name");
    d.version = OptionalFrom(j, "version");
    d.sector = OptionalFrom(j, "sector");
    d.description = OptionalFrom(j, "description");
    d.functions_present = j.at("functions_present").get<bool>();
    d.checks_null = j.at("checks_null").get<bool>();
    for (const json& c : j.at("checks")) {
      RawCheck check;
      check.name = OptionalFrom(c, "name");
      check.description = OptionalFrom(c, "description");
      check.dimension = OptionalFrom(c, "dimension");
      check.kind = c.at("kind").get<int>();
      check.params_null = c.at("params_null").get<bool>();
      for (const json& p : c.at("params")) {
        check.params.push_back(RawParam{OptionalFrom(p, "name"), p.at("type").get<int>(),
                                        p.at("required").get<int>(),
                                        OptionalFrom(p, "description")});
      }
      d.checks.push_back(std::move(check));
    }
    d.params_schema = OptionalFrom(j, "params_schema");
    d.messages = j.contains("messages") ? OptionalFrom(j, "messages") : std::nullopt;
    return d;
  } catch (const json::exception& e) {
    return InvalidArgument(fmt::format("not a plugin descriptor: {}", e.what()));
  }
}

}  // namespace dqa::plugins
