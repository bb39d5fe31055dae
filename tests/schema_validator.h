// A small JSON Schema validator for the tests of the documented JSON documents (the report, the
// nightly feed): the keywords their schemas use, with "$ref" to "#/$defs/NAME" only.
#pragma once

#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

namespace dqa::testing {

// A JSON Schema validator for the keywords docs/report.schema.json and docs/feed.schema.json use (type, enum, const,
// properties, required, additionalProperties, items, minItems, minimum, maximum, pattern, $ref,
// anyOf, allOf). Appends "path: problem" lines to `errors`.
class SchemaValidator {
 public:
  explicit SchemaValidator(nlohmann::json root) : root_(std::move(root)) {}

  void Validate(const nlohmann::json& value, const nlohmann::json& schema, const std::string& path,
                std::vector<std::string>& errors) const {
    if (schema.contains("$ref")) {
      const std::string ref = schema["$ref"];
      Validate(value, root_["$defs"][ref.substr(ref.rfind('/') + 1)], path, errors);
    }
    if (schema.contains("type") && !TypeMatches(value, schema["type"])) {
      errors.push_back(path + ": type " + std::string(value.type_name()) + " not " +
                       schema["type"].dump());
      return;
    }
    if (schema.contains("enum")) {
      bool found = false;
      for (const auto& e : schema["enum"]) found = found || e == value;
      if (!found) errors.push_back(path + ": " + value.dump() + " not in " + schema["enum"].dump());
    }
    if (schema.contains("const") && schema["const"] != value) {
      errors.push_back(path + ": not " + schema["const"].dump());
    }
    if (value.is_number()) {
      if (schema.contains("minimum") && value.get<double>() < schema["minimum"].get<double>()) {
        errors.push_back(path + ": below minimum");
      }
      if (schema.contains("maximum") && value.get<double>() > schema["maximum"].get<double>()) {
        errors.push_back(path + ": above maximum");
      }
    }
    if (value.is_string() && schema.contains("pattern") &&
        !std::regex_search(value.get<std::string>(),
                           std::regex(schema["pattern"].get<std::string>()))) {
      errors.push_back(path + ": does not match " + schema["pattern"].get<std::string>());
    }
    if (value.is_object()) {
      for (const auto& key : schema.value("required", nlohmann::json::array())) {
        if (!value.contains(key)) errors.push_back(path + ": missing " + key.get<std::string>());
      }
      const nlohmann::json properties = schema.value("properties", nlohmann::json::object());
      for (const auto& [key, item] : value.items()) {
        if (properties.contains(key)) {
          Validate(item, properties[key], path + "." + key, errors);
        } else if (schema.contains("additionalProperties")) {
          const auto& extra = schema["additionalProperties"];
          if (extra.is_boolean() && !extra.get<bool>()) {
            errors.push_back(path + ": unexpected key " + key);
          } else if (extra.is_object()) {
            Validate(item, extra, path + "." + key, errors);
          }
        }
      }
    }
    if (value.is_array()) {
      if (schema.contains("minItems") && value.size() < schema["minItems"].get<size_t>()) {
        errors.push_back(path + ": too few items");
      }
      if (schema.contains("items")) {
        for (size_t i = 0; i < value.size(); ++i) {
          Validate(value[i], schema["items"], path + "[" + std::to_string(i) + "]", errors);
        }
      }
    }
    for (const auto& sub : schema.value("allOf", nlohmann::json::array())) {
      Validate(value, sub, path, errors);
    }
    if (schema.contains("anyOf")) {
      bool any = false;
      for (const auto& sub : schema["anyOf"]) {
        std::vector<std::string> sub_errors;
        Validate(value, sub, path, sub_errors);
        any = any || sub_errors.empty();
      }
      if (!any) errors.push_back(path + ": matches none of anyOf");
    }
  }

 private:
  static bool TypeMatches(const nlohmann::json& v, const nlohmann::json& type) {
    if (type.is_array()) {
      for (const auto& t : type) {
        if (TypeMatches(v, t)) return true;
      }
      return false;
    }
    const std::string t = type;
    if (t == "object") return v.is_object();
    if (t == "array") return v.is_array();
    if (t == "string") return v.is_string();
    if (t == "integer") return v.is_number_integer();
    if (t == "number") return v.is_number();
    if (t == "boolean") return v.is_boolean();
    if (t == "null") return v.is_null();
    return false;
  }
  nlohmann::json root_;
};

}  // namespace dqa::testing
