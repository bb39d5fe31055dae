// SDK internals: turns CheckDefs into the C descriptor and trampolines that catch every exception.
#pragma once

#include <cstring>
#include <exception>
#include <map>
#include <memory>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "dqaudit/plugin.h"

namespace dqa::sdk::detail {

inline void WriteError(char* err, size_t cap, const char* message) {
  if (err == nullptr || cap == 0) return;
  const size_t n = std::strlen(message);
  const size_t len = n < cap - 1 ? n : cap - 1;
  std::memcpy(err, message, len);
  err[len] = '\0';
}

// Owns the descriptor arrays for the lifetime of the library.
class PluginData {
 public:
  PluginData(const char* name, const char* version, const char* sector, const char* description,
             std::vector<PluginPart> parts) {
    std::string vi, en;  // the ABI 1.4 messages_json, one language at a time
    for (PluginPart& part : parts) {
      if (part.check) checks_.push_back(std::move(*part.check));
      if (!part.messages) continue;
      for (const Message& m : part.messages->entries) {
        if (!vi.empty()) vi += ",";
        if (!en.empty()) en += ",";
        vi += JsonQuote(m.key) + ":" + JsonQuote(m.vi == nullptr ? "" : m.vi);
        en += JsonQuote(m.key) + ":" + JsonQuote(m.en == nullptr ? "" : m.en);
      }
    }
    messages_json_ = "{\"vi\":{" + vi + "},\"en\":{" + en + "}}";
    param_descs_.resize(checks_.size());
    defaults_.resize(checks_.size());
    std::string schema;  // the ABI 1.1 params_schema_json, built check by check
    for (size_t i = 0; i < checks_.size(); ++i) {
      std::string check_schema;
      std::string defaults = "{";
      for (const Param& p : checks_[i].params) {
        param_descs_[i].push_back(
            dqa_param_desc{p.name, static_cast<int>(p.type), p.required ? 1 : 0, p.description});
        const std::string constraints = ConstraintsJson(p);
        if (constraints.empty()) continue;
        if (!check_schema.empty()) check_schema += ",";
        check_schema += JsonQuote(p.name) + ":{" + constraints + "}";
        if (p.default_json.empty()) continue;
        if (defaults.size() > 1) defaults += ",";
        defaults += JsonQuote(p.name) + ":" + p.default_json;
      }
      if (!check_schema.empty()) {
        if (!schema.empty()) schema += ",";
        schema += JsonQuote(checks_[i].name) + ":{" + check_schema + "}";
      }
      // Written by ToJson, so it parses; the host validated it against the types when it loaded us.
      std::string error;
      FlatJsonParser(defaults + "}").Parse(defaults_[i], error);
      const CheckDef& c = checks_[i];
      check_descs_.push_back(dqa_check_desc{c.name, c.description, c.dimension,
                                            static_cast<int>(c.kind), param_descs_[i].data(),
                                            param_descs_[i].size()});
    }
    plugin_ = dqa_plugin{};
    plugin_.abi_major = DQA_PLUGIN_ABI_MAJOR;
    plugin_.abi_minor = DQA_PLUGIN_ABI_MINOR;
    plugin_.struct_size = static_cast<uint32_t>(sizeof(dqa_plugin));
    plugin_.name = name;
    plugin_.version = version;
    plugin_.sector = sector;
    plugin_.description = description;
    plugin_.checks = check_descs_.data();
    plugin_.check_count = check_descs_.size();
    schema_json_ = "{" + schema + "}";
    plugin_.params_schema_json = schema_json_.c_str();
    plugin_.messages_json = messages_json_.c_str();
  }
  PluginData(const PluginData&) = delete;
  PluginData& operator=(const PluginData&) = delete;

  dqa_plugin& plugin() { return plugin_; }
  const std::vector<CheckDef>& checks() const { return checks_; }
  // The declared defaults of check `index`'s parameters, by name.
  const std::map<std::string, JsonValue>& defaults(size_t index) const { return defaults_[index]; }

 private:
  // "choices":[...],"min":..,"max":..,"default":.. of what `p` declares; "" when nothing.
  static std::string ConstraintsJson(const Param& p) {
    std::string out;
    const auto add = [&out](const char* key, const std::string& value) {
      if (!out.empty()) out += ",";
      out += JsonQuote(key) + ":" + value;
    };
    if (!p.choices.empty()) add("choices", ToJson(p.choices));
    if (p.min) add("min", JsonNumber(*p.min));
    if (p.max) add("max", JsonNumber(*p.max));
    if (!p.default_json.empty()) add("default", p.default_json);
    return out;
  }

  std::vector<CheckDef> checks_;
  std::vector<std::map<std::string, JsonValue>> defaults_;
  std::string schema_json_;
  std::string messages_json_;
  std::vector<std::vector<dqa_param_desc>> param_descs_;
  std::vector<dqa_check_desc> check_descs_;
  dqa_plugin plugin_;
};

// One live check, owned by the plugin; the host holds it as an opaque pointer.
struct Instance {
  std::unique_ptr<RowCheck> row;
  std::unique_ptr<QueryCheck> query;
};

// Definition is a type with internal linkage made by DQA_PLUGIN, so every plugin gets its own copy.
template <class Definition>
struct Entry {
  static const dqa_plugin* Descriptor() noexcept {
    try {
      PluginData* data = Definition::Make();
      dqa_plugin& p = data->plugin();
      p.create = &Create;
      p.observe = &Observe;
      p.run_query = &RunQuery;
      p.finish = &Finish;
      p.destroy = &Destroy;
      return &p;
    } catch (...) {
      return nullptr;
    }
  }

  static int Create(size_t check_index, const char* params_json, const dqa_host_context* context,
                    void** instance, char* err, size_t err_cap) noexcept {
    try {
      const PluginData* data = Definition::Make();
      if (check_index >= data->checks().size()) {
        WriteError(err, err_cap, "check index out of range");
        return DQA_ERR;
      }
      std::map<std::string, JsonValue> values;
      std::string error;
      if (!FlatJsonParser(params_json == nullptr ? "{}" : params_json).Parse(values, error)) {
        WriteError(err, err_cap, error.c_str());
        return DQA_ERR;
      }
      Context ctx;
      if (context != nullptr) {
        ctx.now_unix = context->now_unix;
        ctx.today_day = context->today_day;
        ctx.source = context->source == nullptr ? "" : context->source;
        ctx.table = context->table == nullptr ? "" : context->table;
      }
      const Params params(std::move(values), std::move(ctx), &data->defaults(check_index));
      const CheckDef& def = data->checks()[check_index];
      auto inst = std::make_unique<Instance>();
      if (def.kind == DQA_CHECK_ROW) {
        inst->row = def.make_row(params);
      } else {
        inst->query = def.make_query(params);
      }
      *instance = inst.release();  // freed by Destroy, in this library
      return DQA_OK;
    } catch (const std::exception& e) {
      WriteError(err, err_cap, e.what());
    } catch (...) {
      WriteError(err, err_cap, "unknown exception");
    }
    return DQA_ERR;
  }

  static int Observe(void* instance, const dqa_row* row, char* err, size_t err_cap) noexcept {
    try {
      Instance& inst = *static_cast<Instance*>(instance);
      if (!inst.row) {
        WriteError(err, err_cap, "not a row check");
        return DQA_ERR;
      }
      return inst.row->Observe(Row(*row)) ? 1 : 0;
    } catch (const std::exception& e) {
      WriteError(err, err_cap, e.what());
    } catch (...) {
      WriteError(err, err_cap, "unknown exception");
    }
    return DQA_ERR;
  }

  static int RunQuery(void* instance, const dqa_query_api* api, const dqa_result_sink* sink,
                      char* err, size_t err_cap) noexcept {
    try {
      Instance& inst = *static_cast<Instance*>(instance);
      if (!inst.query) {
        WriteError(err, err_cap, "not a query check");
        return DQA_ERR;
      }
      Result result(*sink);
      inst.query->Run(Query(*api), result);
      return DQA_OK;
    } catch (const std::exception& e) {
      WriteError(err, err_cap, e.what());
    } catch (...) {
      WriteError(err, err_cap, "unknown exception");
    }
    return DQA_ERR;
  }

  static int Finish(void* instance, const dqa_result_sink* sink, char* err,
                    size_t err_cap) noexcept {
    try {
      Instance& inst = *static_cast<Instance*>(instance);
      if (inst.row) {
        Result result(*sink);
        inst.row->Finish(result);
      }
      return DQA_OK;
    } catch (const std::exception& e) {
      WriteError(err, err_cap, e.what());
    } catch (...) {
      WriteError(err, err_cap, "unknown exception");
    }
    return DQA_ERR;
  }

  static void Destroy(void* instance) noexcept {
    std::unique_ptr<Instance> owned(static_cast<Instance*>(instance));
  }
};

}  // namespace dqa::sdk::detail
