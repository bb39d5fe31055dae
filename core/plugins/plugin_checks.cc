#include "core/plugins/plugin_checks.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/i18n/catalog.h"
#include "core/plugins/fuzzy_clusters.h"
#include "core/plugins/registry.h"
#include "core/util/activity.h"
#include "core/util/text.h"

namespace dqa::plugins {
namespace {

constexpr size_t kErrorCap = 2048;

bool EqualsNoCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}


// The check, its plugin loaded in this process (only known plugins have a function table).
Result<PluginCheckRef> Resolve(const CheckSpec& spec) {
  if (auto ref = ProcessPluginRegistry().FindCheck(spec.type)) {
    if (ref->plugin->api() != nullptr) return *ref;
    std::string why = fmt::format("its library {} is not loaded in this process",
                                  ref->plugin->info().file);
    for (const PluginLoadFailure& f : ProcessPluginRegistry().failures()) {
      if (f.file == ref->plugin->info().file) why = f.reason;
    }
    return NotFound(fmt::format("plugin check {} is not available: {}", spec.type, why));
  }
  return NotFound(MissingPluginCheckMessage(spec.type));
}

dqa_host_context HostContext(const CheckSpec& spec, const CheckContext& context) {
  dqa_host_context h{};
  h.struct_size = sizeof(dqa_host_context);
  h.now_unix = context.now_unix;
  h.today_day = context.today_day;
  h.source = context.source.c_str();
  h.table = spec.table.c_str();
  return h;
}

// Where a check's plugin calls are published (core/util/activity.h): the plugin's library and
// the check, as indexes of the scanning process's plan.
struct CallSlots {
  int plugin = -1;
  int check = -1;
};

CallSlots SlotsOf(const PluginCheckRef& ref, const CheckSpec& spec) {
  return {ActivityPluginSlot(ref.plugin->info().file), ActivityCheckSlot(spec.id)};
}

// An instance of a plugin check, destroyed by its plugin.
class Instance {
 public:
  Instance(const dqa_plugin& api, void* handle, CallSlots slots)
      : api_(api), handle_(handle), slots_(slots) {}
  Instance(const Instance&) = delete;
  Instance& operator=(const Instance&) = delete;
  ~Instance() {
    if (handle_ == nullptr) return;
    const PluginCall call = Call();
    api_.destroy(handle_);
  }
  void* handle() const { return handle_; }
  // Publishes this check's plugin as running for the lifetime of the returned object.
  PluginCall Call() const { return PluginCall(slots_.plugin, slots_.check); }

 private:
  const dqa_plugin& api_;
  void* handle_;
  CallSlots slots_;
};

Result<std::unique_ptr<Instance>> Create(const PluginCheckRef& ref, const CheckSpec& spec,
                                         const CheckContext& context) {
  const dqa_plugin& api = *ref.plugin->api();
  const dqa_host_context host = HostContext(spec, context);
  char err[kErrorCap] = {0};
  void* handle = nullptr;
  const CallSlots slots = SlotsOf(ref, spec);
  int rc = DQA_ERR;
  {
    const PluginCall call(slots.plugin, slots.check);
    const std::string params = spec.params.dump();
    rc = api.create(ref.index, params.c_str(), &host, &handle, err, sizeof(err));
  }
  if (rc != DQA_OK || handle == nullptr) {
    return InvalidArgument(fmt::format("plugin {} could not create check {}: {}",
                                       ref.plugin->info().name, spec.type,
                                       err[0] != '\0' ? err : "no reason given"));
  }
  return std::make_unique<Instance>(api, handle, slots);
}

// A part of a plugin's message in words (dqa_result_sink::add_message_words).
struct WordsPart {
  std::string key;
  MessageArgs args;
};

// The arguments named in a catalog text by their bare names ("n_count" fills {count}).
std::vector<i18n::Catalog::Arg> BareArgs(const MessageArgs& args) {
  std::vector<i18n::Catalog::Arg> bare;
  for (const auto& [name, value] : args) {
    const bool kind = name.size() > 2 && name[1] == '_';
    bare.emplace_back(kind ? std::string_view(name).substr(2) : std::string_view(name), value);
  }
  return bare;
}

// Turns a plugin's message parts into the result's words: message_key "<sector>.<first key>",
// the parts' arguments (those of part i > 0 renamed "<name>_<i>", their placeholders too, so that
// parts do not overwrite each other), and the composed texts of both languages carried as
// arguments "@vi:<message_key>" / "@en:<message_key>" (kPluginTextArg): a report renders them in
// its language long after the run, without the plugin. Returns the English text for `message`;
// a key the plugin's catalog lacks is shown as the key and its arguments in both languages.
std::string ApplyWords(const PluginInfo& info, const std::vector<WordsPart>& parts,
                       CheckResult& result) {
  std::string vi, en;
  MessageArgs args;
  for (size_t i = 0; i < parts.size(); ++i) {
    const WordsPart& part = parts[i];
    const auto entry = info.messages.find(part.key);
    std::string part_vi, part_en;
    if (entry != info.messages.end()) {
      part_vi = entry->second.vi;
      part_en = entry->second.en;
    } else {
      part_vi = part.key;
      for (const auto& [name, value] : BareArgs(part.args)) {
        part_vi += fmt::format(" {}={{{}}}", name, name);
      }
      part_en = part_vi;
    }
    for (const auto& [name, value] : part.args) {
      std::string renamed = name;
      if (i > 0) {
        renamed = fmt::format("{}_{}", name, i);
        const auto bare = BareArgs({{name, ""}}).front().first;
        const std::string from = fmt::format("{{{}}}", bare);
        const std::string to = fmt::format("{{{}_{}}}", bare, i);
        for (std::string* text : {&part_vi, &part_en}) {
          for (size_t at = text->find(from); at != std::string::npos;
               at = text->find(from, at + to.size())) {
            text->replace(at, from.size(), to);
          }
        }
      }
      args.emplace_back(std::move(renamed), value);
    }
    vi += (i > 0 ? "; " : "") + part_vi;
    en += (i > 0 ? "; " : "") + part_en;
  }
  const std::string english = i18n::Catalog::Substitute(en, BareArgs(args));
  result.message_key = info.sector + "." + parts.front().key;
  args.emplace_back(PluginTextArg("vi", result.message_key), TruncateForDisplay(vi, kMaxMessageBytes));
  args.emplace_back(PluginTextArg("en", result.message_key), TruncateForDisplay(en, kMaxMessageBytes));
  result.message_args = std::move(args);
  return english;
}

// Carries the human names of the result's metrics ("metric.<name>") and the titles of its
// indicators ("indicator.<id>") from the plugin's catalog, in both languages, as arguments of the
// result's words (after SetWords or ApplyWords, which set them).
void CarryNames(const PluginInfo& info, CheckResult& result) {
  std::vector<std::string> keys;
  for (const auto& [name, value] : result.metrics) keys.push_back("metric." + name);
  for (const Indicator& i : result.indicators) keys.push_back("indicator." + i.id);
  for (const std::string& key : keys) {
    const auto entry = info.messages.find(key);
    if (entry == info.messages.end()) continue;
    result.message_args.emplace_back(PluginTextArg("vi", key), entry->second.vi);
    result.message_args.emplace_back(PluginTextArg("en", key), entry->second.en);
  }
}

// Collects what a plugin reports through dqa_result_sink. The callbacks run inside plugin code,
// so they never throw.
struct Sink {
  std::optional<std::pair<int64_t, int64_t>> counts;
  std::vector<std::pair<std::string, double>> metrics;
  std::string message;
  std::vector<std::vector<std::string>> samples;
  std::vector<Indicator> indicators;
  std::vector<WordsPart> words;  // ABI 1.4: the message in words, part by part
  int max_samples = 5;

  dqa_result_sink Api() {
    dqa_result_sink s{};
    s.ctx = this;
    s.set_counts = [](void* ctx, int64_t violations, int64_t rows) {
      static_cast<Sink*>(ctx)->counts = std::make_pair(violations, rows);
    };
    s.add_metric = [](void* ctx, const char* name, double value) {
      try {
        static_cast<Sink*>(ctx)->metrics.emplace_back(
            name == nullptr ? "" : TruncateForDisplay(name), value);
      } catch (...) {  // out of memory: drop the metric rather than unwind through the plugin
      }
    };
    s.set_message = [](void* ctx, const char* text) {
      try {
        // A plugin's message can quote data: bounded like every message.
        static_cast<Sink*>(ctx)->message =
            text == nullptr ? "" : TruncateForDisplay(text, kMaxMessageBytes);
      } catch (...) {
      }
    };
    s.add_message_words = [](void* ctx, const char* key, const char* const* names,
                             const char* const* values, size_t count) {
      try {
        WordsPart part;
        part.key = key == nullptr ? "" : TruncateForDisplay(key);
        for (size_t i = 0; i < count; ++i) {
          part.args.emplace_back(names[i] == nullptr ? "" : TruncateForDisplay(names[i]),
                                 values[i] == nullptr ? "" : TruncateForDisplay(values[i]));
        }
        static_cast<Sink*>(ctx)->words.push_back(std::move(part));
      } catch (...) {  // out of memory: drop the part rather than unwind through the plugin
      }
    };
    s.add_sample = [](void* ctx, const char* const* values, size_t count) {
      try {
        Sink& self = *static_cast<Sink*>(ctx);
        if (static_cast<int>(self.samples.size()) >= self.max_samples) return;
        std::vector<std::string> key;
        for (size_t i = 0; i < count; ++i) {
          key.push_back(values[i] == nullptr ? "" : TruncateForDisplay(values[i]));
        }
        self.samples.push_back(std::move(key));
      } catch (...) {
      }
    };
    s.add_indicator = [](void* ctx, const dqa_indicator* d) {
      if (d == nullptr) return;
      try {
        Indicator i;
        i.id = d->id == nullptr ? "" : TruncateForDisplay(d->id);
        i.title = d->title == nullptr ? "" : TruncateForDisplay(d->title);
        if (d->has_value != 0) i.value = d->value;
        if (d->has_target != 0) i.target = d->target;
        i.direction = d->direction == DQA_DIRECTION_LOWER ? Direction::kLower : Direction::kHigher;
        i.warn_within = d->warn_within > 0 ? d->warn_within : 0;
        i.unit = d->unit == nullptr ? "" : TruncateForDisplay(d->unit);
        i.numerator = d->numerator;
        i.denominator = d->denominator;
        static_cast<Sink*>(ctx)->indicators.push_back(std::move(i));
      } catch (...) {  // out of memory: drop the indicator rather than unwind through the plugin
      }
    };
    return s;
  }
};

std::string DefaultMessage(const CheckResult& r, std::string_view noun) {
  return fmt::format("{} fail {}", CountText(r.violations, r.rows_checked, noun), r.type);
}

// The row evaluator adapter: the plugin sees the check's column parameters by name.
class PluginRowEvaluator : public RowEvaluator {
 public:
  PluginRowEvaluator(const CheckSpec& spec, const CheckContext& context, PluginCheckRef ref,
                     std::unique_ptr<Instance> instance)
      : RowEvaluator(spec, context),
        ref_(ref),
        instance_(std::move(instance)),
        scratch_(spec.columns.size()) {
    // spec.columns holds the given column parameters in declaration order (the rule parser's
    // contract); map them back to their parameter names.
    const nlohmann::json& params = spec.params;
    for (const std::string& name : ref.check().ColumnParams()) {
      if (params.is_object() && params.contains(name)) param_names_.push_back(name);
    }
    param_names_.resize(spec.columns.size());
    row_api_.ctx = this;
    row_api_.column_count = [](const void* ctx) {
      return static_cast<int>(static_cast<const PluginRowEvaluator*>(ctx)->param_names_.size());
    };
    row_api_.find = [](const void* ctx, const char* name) {
      const auto* self = static_cast<const PluginRowEvaluator*>(ctx);
      if (name == nullptr) return -1;
      for (size_t i = 0; i < self->param_names_.size(); ++i) {
        if (self->param_names_[i] == name) return static_cast<int>(i);
      }
      return -1;
    };
    row_api_.type = [](const void* ctx, int i) {
      const Value* v = static_cast<const PluginRowEvaluator*>(ctx)->At(i);
      if (v == nullptr) return static_cast<int>(DQA_VALUE_NULL);
      switch (v->type) {
        case Value::Type::kInteger: return static_cast<int>(DQA_VALUE_INTEGER);
        case Value::Type::kReal: return static_cast<int>(DQA_VALUE_REAL);
        case Value::Type::kText: return static_cast<int>(DQA_VALUE_TEXT);
        case Value::Type::kBlob: return static_cast<int>(DQA_VALUE_BLOB);
        default: return static_cast<int>(DQA_VALUE_NULL);
      }
    };
    row_api_.get_int = [](const void* ctx, int i) -> int64_t {
      const Value* v = static_cast<const PluginRowEvaluator*>(ctx)->At(i);
      if (v == nullptr) return 0;
      return v->type == Value::Type::kReal ? static_cast<int64_t>(v->real) : v->integer;
    };
    row_api_.get_double = [](const void* ctx, int i) -> double {
      const Value* v = static_cast<const PluginRowEvaluator*>(ctx)->At(i);
      if (v == nullptr) return 0;
      return v->type == Value::Type::kInteger ? static_cast<double>(v->integer) : v->real;
    };
    row_api_.get_text = [](const void* ctx, int i, size_t* len) -> const char* {
      auto* self = const_cast<PluginRowEvaluator*>(static_cast<const PluginRowEvaluator*>(ctx));
      const Value* v = self->At(i);
      if (v == nullptr || v->is_null()) {
        if (len != nullptr) *len = 0;
        return "";
      }
      // TextForm may format into the scratch string (numbers); TEXT is returned as stored. The
      // view of a TEXT value is not NUL-terminated, so it is copied too: plugins get C strings.
      std::string& scratch = self->scratch_[static_cast<size_t>(i)];
      const std::string_view text = TextForm(*v, scratch);
      if (text.data() != scratch.data()) {
        try {
          scratch.assign(text);
        } catch (...) {
          scratch.clear();
        }
      }
      if (len != nullptr) *len = scratch.size();
      return scratch.c_str();
    };
  }

 protected:
  // The plugin keeps its own state across rows (its finish call reports it): one evaluator must
  // see every row.
  bool Splittable() const override { return false; }
  nlohmann::json SaveOwnState() const override { return nullptr; }
  void LoadOwnState(const nlohmann::json&) override {}
  void MergeState(RowEvaluator&) override {}
  void ObserveInScope(const ScanRow& row) override {
    if (failed_) return;
    if (!spec_.columns.empty() && Cell(row, 0).is_null()) return;  // NULLs are `missing`'s
    ++rows_checked_;
    current_ = &row;
    char err[kErrorCap] = {0};
    int rc = DQA_ERR;
    {
      const PluginCall call = instance_->Call();
      rc = ref_.plugin->api()->observe(instance_->handle(), &row_api_, err, sizeof(err));
    }
    current_ = nullptr;
    if (rc == 1) {
      AddViolation(row);
    } else if (rc != 0) {
      failed_ = true;
      SetError(fmt::format("plugin {} failed in check {}: {}", ref_.plugin->info().name, spec_.type,
                           err[0] != '\0' ? err : "no reason given"));
    }
  }

  void BeforeFinish() override {
    if (failed_ || has_error()) return;
    sink_.max_samples = context_.samples;
    const dqa_result_sink api = sink_.Api();
    char err[kErrorCap] = {0};
    int rc = DQA_ERR;
    {
      const PluginCall call = instance_->Call();
      rc = ref_.plugin->api()->finish(instance_->handle(), &api, err, sizeof(err));
    }
    if (rc != DQA_OK) {
      SetError(fmt::format("plugin {} failed to finish check {}: {}", ref_.plugin->info().name,
                           spec_.type, err[0] != '\0' ? err : "no reason given"));
    }
  }

  std::string Complete(CheckResult& result) override {
    if (sink_.counts) {
      result.violations = sink_.counts->first;
      result.rows_checked = sink_.counts->second;
    }
    result.metrics = sink_.metrics;
    result.indicators = sink_.indicators;
    std::string what = sink_.message;
    if (!sink_.words.empty()) {
      what = ApplyWords(ref_.plugin->info(), sink_.words, result);
    } else if (sink_.message.empty()) {
      SetWords(result, "check.plugin", CountArgs(result, {{"check", result.type}}));
      what = DefaultMessage(result, "rows");
    }
    CarryNames(ref_.plugin->info(), result);
    return what;
  }

 private:
  const Value* At(int i) const {
    if (current_ == nullptr || i < 0 || static_cast<size_t>(i) >= param_names_.size()) {
      return nullptr;
    }
    return &Cell(*current_, static_cast<size_t>(i));
  }

  PluginCheckRef ref_;
  std::unique_ptr<Instance> instance_;
  std::vector<std::string> param_names_;  // parallel to spec.columns
  std::vector<std::string> scratch_;      // per column: the C string handed to the plugin
  dqa_row row_api_{};
  const ScanRow* current_ = nullptr;
  bool failed_ = false;
  Sink sink_;
};

// A result row of a plugin query, seen through dqa_row.
struct QueryRow {
  Statement* stmt;
  static dqa_row Api(QueryRow& self) {
    dqa_row r{};
    r.ctx = &self;
    r.column_count = [](const void* ctx) {
      return static_cast<const QueryRow*>(ctx)->stmt->ColumnCount();
    };
    r.find = [](const void* ctx, const char* name) {
      const Statement& s = *static_cast<const QueryRow*>(ctx)->stmt;
      if (name == nullptr) return -1;
      for (int i = 0; i < s.ColumnCount(); ++i) {
        if (EqualsNoCase(s.ColumnName(i), name)) return i;
      }
      return -1;
    };
    r.type = [](const void* ctx, int i) {
      const Statement& s = *static_cast<const QueryRow*>(ctx)->stmt;
      if (i < 0 || i >= s.ColumnCount()) return static_cast<int>(DQA_VALUE_NULL);
      switch (s.ColumnType(i)) {
        case Value::Type::kInteger: return static_cast<int>(DQA_VALUE_INTEGER);
        case Value::Type::kReal: return static_cast<int>(DQA_VALUE_REAL);
        case Value::Type::kText: return static_cast<int>(DQA_VALUE_TEXT);
        case Value::Type::kBlob: return static_cast<int>(DQA_VALUE_BLOB);
        default: return static_cast<int>(DQA_VALUE_NULL);
      }
    };
    r.get_int = [](const void* ctx, int i) -> int64_t {
      const Statement& s = *static_cast<const QueryRow*>(ctx)->stmt;
      return i < 0 || i >= s.ColumnCount() ? 0 : s.ColumnInt(i);
    };
    r.get_double = [](const void* ctx, int i) -> double {
      const Statement& s = *static_cast<const QueryRow*>(ctx)->stmt;
      return i < 0 || i >= s.ColumnCount() ? 0 : s.ColumnDouble(i);
    };
    r.get_text = [](const void* ctx, int i, size_t* len) -> const char* {
      const Statement& s = *static_cast<const QueryRow*>(ctx)->stmt;
      if (i < 0 || i >= s.ColumnCount()) {
        if (len != nullptr) *len = 0;
        return "";
      }
      // Every engine's ColumnText is NUL-terminated (the SDK's contract).
      const std::string_view text = s.ColumnText(i);
      if (len != nullptr) *len = text.data() == nullptr ? 0 : text.size();
      return text.data() == nullptr ? "" : text.data();
    };
    return r;
  }
};

// A row of a ClusterTable, seen through dqa_row (JSON scalars as SQLite values).
struct ClusterRow {
  const ClusterTable* table;
  const std::vector<nlohmann::json>* cells;
  std::string text;  // the C string of the last get_text of a number

  const nlohmann::json* At(int i) const {
    return i < 0 || static_cast<size_t>(i) >= cells->size() ? nullptr
                                                            : &(*cells)[static_cast<size_t>(i)];
  }
  static dqa_row Api(ClusterRow& row) {
    dqa_row r{};
    r.ctx = &row;
    r.column_count = [](const void* ctx) {
      return static_cast<int>(static_cast<const ClusterRow*>(ctx)->table->columns.size());
    };
    r.find = [](const void* ctx, const char* name) {
      const std::vector<std::string>& columns = static_cast<const ClusterRow*>(ctx)->table->columns;
      for (size_t i = 0; name != nullptr && i < columns.size(); ++i) {
        if (EqualsNoCase(columns[i], name)) return static_cast<int>(i);
      }
      return -1;
    };
    r.type = [](const void* ctx, int i) {
      const nlohmann::json* v = static_cast<const ClusterRow*>(ctx)->At(i);
      if (v == nullptr || v->is_null()) return static_cast<int>(DQA_VALUE_NULL);
      if (v->is_number_integer()) return static_cast<int>(DQA_VALUE_INTEGER);
      if (v->is_number()) return static_cast<int>(DQA_VALUE_REAL);
      return static_cast<int>(DQA_VALUE_TEXT);
    };
    r.get_int = [](const void* ctx, int i) -> int64_t {
      const nlohmann::json* v = static_cast<const ClusterRow*>(ctx)->At(i);
      if (v == nullptr || !v->is_number()) return 0;
      return v->is_number_integer() ? v->get<int64_t>() : static_cast<int64_t>(v->get<double>());
    };
    r.get_double = [](const void* ctx, int i) -> double {
      const nlohmann::json* v = static_cast<const ClusterRow*>(ctx)->At(i);
      return v == nullptr || !v->is_number() ? 0 : v->get<double>();
    };
    r.get_text = [](const void* ctx, int i, size_t* len) -> const char* {
      auto* self = const_cast<ClusterRow*>(static_cast<const ClusterRow*>(ctx));
      const nlohmann::json* v = self->At(i);
      const char* p = "";
      size_t n = 0;
      if (v != nullptr && v->is_string()) {
        const std::string& s = v->get_ref<const std::string&>();
        p = s.c_str();
        n = s.size();
      } else if (v != nullptr && v->is_number()) {
        // As SQLite renders numbers (the text form of docs/checks.md).
        try {
          self->text = v->is_number_integer()
                           ? TextFormCopy(Value::Integer(v->get<int64_t>()))
                           : TextFormCopy(Value::Real(v->get<double>()));
        } catch (...) {
          self->text.clear();
        }
        p = self->text.c_str();
        n = self->text.size();
      }
      if (len != nullptr) *len = n;
      return p;
    };
    return r;
  }
};

// The host query API over one connection. Callbacks never throw.
struct QueryHost {
  SourceDb* db;

  static void WriteError(char* err, size_t cap, const std::string& message) {
    if (err == nullptr || cap == 0) return;
    const size_t n = std::min(message.size(), cap - 1);
    message.copy(err, n);
    err[n] = '\0';
  }

  static int Run(void* ctx, const char* sql, const dqa_value* binds, size_t bind_count,
                 dqa_row_callback callback, void* user, char* err, size_t err_cap) noexcept {
    try {
      SourceDb& db = *static_cast<QueryHost*>(ctx)->db;
      if (sql == nullptr) {
        WriteError(err, err_cap, "no SQL given");
        return DQA_ERR;
      }
      // One read-only statement, behind the connection's guard and time budget, like rule SQL.
      Result<Statement> prepared = db.PrepareQuery(sql);
      if (!prepared.ok()) {
        WriteError(err, err_cap, prepared.status().message());
        return DQA_ERR;
      }
      Statement& stmt = *prepared;
      for (size_t i = 0; i < bind_count; ++i) {
        const int index = static_cast<int>(i) + 1;
        const dqa_value& v = binds[i];
        Status s;
        switch (v.type) {
          case DQA_VALUE_INTEGER: s = stmt.Bind(index, v.int_value); break;
          case DQA_VALUE_REAL: s = stmt.Bind(index, v.real_value); break;
          case DQA_VALUE_TEXT:
            s = stmt.Bind(index, std::string_view(v.text == nullptr ? "" : v.text,
                                                  v.text == nullptr ? 0 : v.text_len));
            break;
          case DQA_VALUE_NULL: s = stmt.BindNull(index); break;
          default: s = InvalidArgument(fmt::format("bind #{}: unsupported value type", index));
        }
        if (!s.ok()) {
          WriteError(err, err_cap, s.message());
          return DQA_ERR;
        }
      }
      QueryRow row{&stmt};
      const dqa_row row_api = QueryRow::Api(row);
      while (true) {
        Result<bool> has_row = stmt.Step();
        if (!has_row.ok()) {
          WriteError(err, err_cap, has_row.status().message());
          return DQA_ERR;
        }
        if (!*has_row) break;
        if (callback != nullptr && callback(user, &row_api) != 0) break;
      }
      return DQA_OK;
    } catch (const std::exception& e) {
      WriteError(err, err_cap, e.what());
    } catch (...) {
      WriteError(err, err_cap, "unknown error in the host query API");
    }
    return DQA_ERR;
  }

  static int FuzzyClustersOf(void* ctx, const char* table, const char* params_json,
                             dqa_row_callback callback, void* user, char* err,
                             size_t err_cap) noexcept {
    try {
      SourceDb& db = *static_cast<QueryHost*>(ctx)->db;
      if (table == nullptr || params_json == nullptr) {
        WriteError(err, err_cap, "fuzzy_clusters needs a table and parameters");
        return DQA_ERR;
      }
      Result<ClusterTable> clusters = FuzzyClusters(db, table, params_json);
      if (!clusters.ok()) {
        WriteError(err, err_cap, fmt::format("fuzzy clusters of {}: {}", table,
                                             clusters.status().message()));
        return DQA_ERR;
      }
      ClusterRow row{&*clusters, nullptr, {}};
      const dqa_row row_api = ClusterRow::Api(row);
      for (const std::vector<nlohmann::json>& cells : clusters->rows) {
        row.cells = &cells;
        if (callback != nullptr && callback(user, &row_api) != 0) break;
      }
      return DQA_OK;
    } catch (const std::exception& e) {
      WriteError(err, err_cap, e.what());
    } catch (...) {
      WriteError(err, err_cap, "unknown error in the host's fuzzy_clusters");
    }
    return DQA_ERR;
  }
};

}  // namespace

Result<std::unique_ptr<RowEvaluator>> MakePluginRowEvaluator(const CheckSpec& spec,
                                                             const CheckContext& context) {
  if (auto disabled = DisabledMessage(spec, context)) return InvalidArgument(*disabled);
  DQA_ASSIGN_OR_RETURN(PluginCheckRef ref, Resolve(spec));
  if (ref.check().kind != CheckKind::kRow) {
    return Internal(fmt::format("{} is a query check, not a row check", spec.type));
  }
  DQA_ASSIGN_OR_RETURN(std::unique_ptr<Instance> instance, Create(ref, spec, context));
  return std::unique_ptr<RowEvaluator>(
      std::make_unique<PluginRowEvaluator>(spec, context, ref, std::move(instance)));
}

CheckResult RunPluginQueryCheck(SourceDb& db, const CheckSpec& spec, const CheckContext& context) {
  if (auto disabled = DisabledMessage(spec, context)) {
    return ErrorResult(spec, context, *disabled);
  }
  Result<PluginCheckRef> ref = Resolve(spec);
  if (!ref.ok()) return ErrorResult(spec, context, ref.status().message());
  Result<std::unique_ptr<Instance>> instance = Create(*ref, spec, context);
  if (!instance.ok()) return ErrorResult(spec, context, instance.status().message());

  QueryHost host{&db};
  dqa_query_api api{};
  api.ctx = &host;
  api.query = &QueryHost::Run;
  api.fuzzy_clusters = &QueryHost::FuzzyClustersOf;
  Sink sink;
  sink.max_samples = context.samples;
  const dqa_result_sink sink_api = sink.Api();
  char err[kErrorCap] = {0};
  const std::string& plugin_name = ref->plugin->info().name;
  int rc = DQA_ERR;
  {
    const PluginCall call = (*instance)->Call();
    rc = ref->plugin->api()->run_query((*instance)->handle(), &api, &sink_api, err, sizeof(err));
  }
  if (rc != DQA_OK) {
    return ErrorResult(spec, context,
                       fmt::format("plugin {} failed in check {}: {}", plugin_name, spec.type,
                                   err[0] != '\0' ? err : "no reason given"));
  }
  if (!sink.counts) {
    return ErrorResult(spec, context,
                       fmt::format("plugin {} check {} reported no counts", plugin_name, spec.type));
  }
  CheckResult result = BlankResult(spec, context);
  result.violations = sink.counts->first;
  result.rows_checked = sink.counts->second;
  result.metrics = std::move(sink.metrics);
  result.indicators = std::move(sink.indicators);
  result.samples = std::move(sink.samples);
  const PluginInfo& info = ref->plugin->info();
  if (!sink.words.empty()) {
    DecideResult(result, ApplyWords(info, sink.words, result));
  } else {
    DecideResult(result, sink.message.empty() ? DefaultMessage(result, "rows") : sink.message);
    if (sink.message.empty()) {
      SetWords(result, "check.plugin", CountArgs(result, {{"check", result.type}}));
    }
  }
  CarryNames(info, result);
  return result;
}

namespace {

dqa::ParamType CatalogueType(plugins::ParamType type) {
  switch (type) {
    case plugins::ParamType::kColumn: return dqa::ParamType::kColumn;
    case plugins::ParamType::kString: return dqa::ParamType::kString;
    case plugins::ParamType::kNumber: return dqa::ParamType::kNumber;
    case plugins::ParamType::kInteger: return dqa::ParamType::kInteger;
    case plugins::ParamType::kDuration: return dqa::ParamType::kDuration;
    case plugins::ParamType::kBool: return dqa::ParamType::kBool;
    case plugins::ParamType::kStringList: return dqa::ParamType::kStringList;
  }
  return dqa::ParamType::kString;
}

// A plugin's check in the catalogue: its descriptor as the type's info; evaluated by calling the
// plugin (a row check in the fused scan, a query check on the snapshot).
class PluginCheckType : public CheckType {
 public:
  PluginCheckType(const RegisteredPlugin& plugin, size_t index)
      : CheckType(InfoOf(plugin, index)) {}

  Result<std::unique_ptr<RowEvaluator>> MakeEvaluator(const CheckSpec& spec,
                                                      const CheckContext& context) const override {
    return MakePluginRowEvaluator(spec, context);
  }
  CheckResult RunQuery(SourceDb& db, const CheckSpec& spec,
                       const CheckContext& context) const override {
    return RunPluginQueryCheck(db, spec, context);
  }

 private:
  static CheckTypeInfo InfoOf(const RegisteredPlugin& plugin, size_t index) {
    const PluginInfo& p = plugin.info();
    const PluginCheckInfo& c = p.checks[index];
    CheckTypeInfo info;
    info.name = p.sector + "." + c.name;
    info.summary = c.description;
    info.dimension = c.dimension;
    info.shape = c.kind == CheckKind::kQuery ? CheckShape::kQuery : CheckShape::kRow;
    for (const ParamInfo& param : c.params) {
      dqa::ParamSpec spec;
      spec.name = param.name;
      spec.type = CatalogueType(param.type);
      spec.required = param.required;
      spec.description = param.description;
      // ABI 1.1 constraints: the rule parser enforces them when it reads the rule file.
      spec.choices = param.choices;
      spec.min = param.min;
      spec.max = param.max;
      spec.default_value = param.default_value;
      info.params.push_back(std::move(spec));
    }
    info.origin = fmt::format("plugin {} {} ({})", p.name, p.version, p.file);
    return info;
  }
};

}  // namespace

std::optional<std::string> DisabledMessage(const CheckSpec& spec, const CheckContext& context) {
  const std::string_view sector = spec.PluginSector();
  if (sector.empty()) return std::nullopt;  // a built-in check
  for (size_t i = 0; i < context.disabled_plugins.size(); ++i) {
    const std::string& name = context.disabled_plugins[i];
    const RegisteredPlugin* loaded = nullptr;
    bool match = name == sector;
    if (!match) {
      // Disabled by plugin name: only a registered plugin can tell its sector.
      loaded = ProcessPluginRegistry().FindPlugin(name);
      match = loaded != nullptr && loaded->info().sector == sector;
    }
    if (match) {
      const std::string reason =
          i < context.disabled_reasons.size() ? context.disabled_reasons[i] : "";
      return fmt::format("plugin {} disabled for this source: {}", name,
                         reason.empty() ? "no reason given" : reason);
    }
  }
  return std::nullopt;
}

std::unique_ptr<CheckType> MakePluginCheckType(const RegisteredPlugin& plugin, size_t index) {
  return std::make_unique<PluginCheckType>(plugin, index);
}

std::string MissingPluginCheckMessage(std::string_view type) {
  std::string why;
  for (const PluginLoadFailure& f : ProcessPluginRegistry().failures()) {
    why += fmt::format("; {}", f.reason);
  }
  return fmt::format("plugin check {} is not available: no loaded plugin provides it{}", type,
                     why);
}

}  // namespace dqa::plugins
