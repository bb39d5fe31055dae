#include "core/checks/evaluator.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "core/checks/params.h"
#include "core/sources/sqlite_db.h"
#include "core/util/text.h"
#include "dqaudit/text.h"

namespace dqa {

RowEvaluator::RowEvaluator(const CheckSpec& spec, const CheckContext& context)
    : spec_(spec), context_(context) {}

void RowEvaluator::Bind(std::vector<int> cells, int where_flag, std::vector<int> expr_flags) {
  cells_ = std::move(cells);
  where_flag_ = where_flag;
  expr_flags_ = std::move(expr_flags);
}

void RowEvaluator::AddViolation(const ScanRow& row) {
  ++violations_;
  const bool sample = static_cast<int64_t>(samples_.size()) < context_.samples;
  if (!sample && static_cast<int64_t>(listed_.size()) >= kListedFailingRows) return;
  std::vector<std::string> key;
  key.reserve(row.keys.size());
  std::string scratch;
  // Truncated here, at capture: a 100 MB key must not be copied (memory stays bounded by the
  // configuration), and every output after this sees the short form.
  for (const Value& v : row.keys) key.push_back(TruncateForDisplay(TextForm(v, scratch)));
  if (static_cast<int64_t>(listed_.size()) < kListedFailingRows) listed_.push_back(key);
  if (sample) samples_.push_back(std::move(key));
}

void RowEvaluator::ForkInto(RowEvaluator& fork) const {
  fork.cells_ = cells_;
  fork.where_flag_ = where_flag_;
  fork.expr_flags_ = expr_flags_;
  fork.unit_cells_ = unit_cells_;
  fork.unit_factory_ = unit_factory_;
  fork.unit_maps_ = unit_maps_;
  fork.unit_labels_ = unit_labels_;
  fork.tallies_.clear();
  fork.tallies_.resize(tallies_.size());
  fork.SharePrepared(*this);
}

namespace {

// Appends `later`'s lists to `into` while `into` has fewer than `limit`: both hold the first rows of
// their range in rowid order, so the result is the first `limit` of the two ranges together.
void AppendFirst(std::vector<std::vector<std::string>>& into,
                 std::vector<std::vector<std::string>>& later, int64_t limit) {
  for (auto& row : later) {
    if (static_cast<int64_t>(into.size()) >= limit) break;
    into.push_back(std::move(row));
  }
  later.clear();
}

}  // namespace

void RowEvaluator::MergeFrom(RowEvaluator& later) {
  if (error_.empty() && !later.error_.empty()) error_ = later.error_;
  violations_ += later.violations_;
  rows_checked_ += later.rows_checked_;
  AppendFirst(samples_, later.samples_, context_.samples);
  AppendFirst(listed_, later.listed_, kListedFailingRows);
  for (size_t e = 0; e < tallies_.size() && e < later.tallies_.size(); ++e) {
    for (auto& [unit, theirs] : later.tallies_[e]) {
      UnitTally& mine = tallies_[e][unit];
      mine.violations += theirs.violations;
      mine.rows_checked += theirs.rows_checked;
      mine.extra += theirs.extra;
      if (!theirs.own) continue;
      if (mine.own) {
        mine.own->MergeFrom(*theirs.own);
      } else {
        mine.own = std::move(theirs.own);
      }
    }
  }
  MergeState(later);
}

namespace {

// Rows of key values as one binary JSON value (per row: its number of values, then each value's
// length and bytes, 4-byte counts in this machine's byte order): thousands of listed rows per range
// read back without a JSON array per row.
nlohmann::json PackRows(const std::vector<std::vector<std::string>>& rows) {
  std::vector<uint8_t> out;
  auto put = [&out](uint32_t n) {
    const auto* p = reinterpret_cast<const uint8_t*>(&n);
    out.insert(out.end(), p, p + 4);
  };
  put(static_cast<uint32_t>(rows.size()));
  for (const auto& row : rows) {
    put(static_cast<uint32_t>(row.size()));
    for (const std::string& v : row) {
      put(static_cast<uint32_t>(v.size()));
      out.insert(out.end(), v.begin(), v.end());
    }
  }
  return nlohmann::json::binary(std::move(out));
}

std::vector<std::vector<std::string>> UnpackRows(const nlohmann::json& packed) {
  const auto& bytes = packed.get_binary();
  size_t at = 0;
  auto get = [&]() {
    if (bytes.size() - at < 4) throw std::invalid_argument("packed rows cut short");
    uint32_t n = 0;
    std::memcpy(&n, bytes.data() + at, 4);
    at += 4;
    return n;
  };
  std::vector<std::vector<std::string>> rows(get());
  for (auto& row : rows) {
    row.resize(get());
    for (std::string& v : row) {
      const uint32_t n = get();
      if (bytes.size() - at < n) throw std::invalid_argument("packed rows cut short");
      v.assign(reinterpret_cast<const char*>(bytes.data() + at), n);
      at += n;
    }
  }
  return rows;
}

}  // namespace

nlohmann::json RowEvaluator::SaveState() const {
  nlohmann::json units = nlohmann::json::array();
  for (const auto& entry : tallies_) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& [unit, tally] : entry) {
      out.push_back({unit, tally.violations, tally.rows_checked, tally.extra,
                     tally.own ? tally.own->SaveState() : nlohmann::json()});
    }
    units.push_back(std::move(out));
  }
  return {{"violations", violations_}, {"rows_checked", rows_checked_},
          {"samples", PackRows(samples_)}, {"listed", PackRows(listed_)},
          {"error", error_},           {"units", std::move(units)},
          {"own", SaveOwnState()}};
}

Status RowEvaluator::LoadState(const nlohmann::json& state) {
  try {
    violations_ = state.at("violations").get<int64_t>();
    rows_checked_ = state.at("rows_checked").get<int64_t>();
    samples_ = UnpackRows(state.at("samples"));
    listed_ = UnpackRows(state.at("listed"));
    error_ = state.at("error").get<std::string>();
    const nlohmann::json& units = state.at("units");
    if (units.size() != tallies_.size()) return InvalidArgument("stored state has other breakdowns");
    for (size_t e = 0; e < tallies_.size(); ++e) {
      tallies_[e].clear();
      for (const nlohmann::json& u : units[e]) {
        UnitTally& tally = tallies_[e][u.at(0).get<std::string>()];
        tally.violations = u.at(1).get<int64_t>();
        tally.rows_checked = u.at(2).get<int64_t>();
        tally.extra = u.at(3).get<int64_t>();
        if (u.at(4).is_null()) continue;
        if (!unit_factory_ || !(tally.own = unit_factory_())) {
          return InvalidArgument("stored state has a unit evaluator this check cannot make");
        }
        tally.own->Bind(cells_, -1, expr_flags_);
        DQA_RETURN_IF_ERROR(tally.own->LoadState(u.at(4)));
      }
    }
    LoadOwnState(state.at("own"));
  } catch (const std::exception& e) {  // nlohmann::json's, or a type's own refusal
    return InvalidArgument(fmt::format("stored state of check {} is malformed: {}", spec_.id,
                                       e.what()));
  }
  return Status::Ok();
}

void RowEvaluator::AddPushedSample(std::vector<std::string> key) {
  if (!WantsSamples()) return;
  for (std::string& k : key) k = TruncateForDisplay(k);
  samples_.push_back(std::move(key));
}

void RowEvaluator::AddPushedUnit(size_t entry, const std::string& unit, int64_t rows_checked,
                                 int64_t violations, int64_t extra) {
  if (entry >= tallies_.size()) return;
  UnitTally& tally = tallies_[entry][unit];
  tally.rows_checked += rows_checked;
  tally.violations += violations;
  tally.extra += extra;
  if (!unit_factory_) return;
  // A split check's unit figures are its own evaluator's: the unit's counts are summed over the
  // codes that map to it, then handed over whole at the end (FinishBreakdowns).
  if (!tally.own) tally.own = unit_factory_();
  if (tally.own) tally.own->TakePushedCounts(tally.rows_checked, tally.violations, tally.extra);
}

CheckResult RowEvaluator::Finish() {
  BeforeFinish();
  if (!error_.empty()) return ErrorResult(spec_, context_, error_);
  CheckResult result = BlankResult(spec_, context_);
  result.violations = violations_;
  result.rows_checked = rows_checked_;
  result.samples = samples_;
  if (!listed_.empty()) {
    result.failing_rows = listed_;
    result.failing_rows_total = ListedTotal();
  }
  const std::string what = Complete(result);
  Decide(result, what);
  if (!spec_.by.empty()) result.breakdowns = FinishBreakdowns();
  return result;
}

void RowEvaluator::Decide(CheckResult& result, const std::string& what) {
  DecideResult(result, what);
}

std::vector<std::string> RowEvaluator::LookupTables() const {
  std::vector<std::string> out;
  for (const BySpec& b : spec_.by) {
    if (!b.map_table.empty()) out.push_back(b.map_table);
    if (!b.label_table.empty()) out.push_back(b.label_table);
  }
  return out;
}

std::vector<std::string> RowEvaluator::ByColumns() const {
  std::vector<std::string> out;
  for (const BySpec& b : spec_.by) out.push_back(b.column);
  return out;
}

namespace {

using Lookup = std::map<std::string, std::string, std::less<>>;

// `table`'s `key` -> `value` pairs for a `by` entry's `what` ("map", "labels"): rows with a NULL
// key, or a NULL or blank value, are left out; of two rows with one key, the smaller value wins
// (the same whatever order the database keeps its rows in).
Result<Lookup> ReadLookup(SourceDb& db, const std::string& table, const std::string& key,
                          const std::string& value, std::string_view what) {
  const TableRef ref = SplitTableRef(table);
  // The columns are looked up first: a double-quoted name SQLite does not know would otherwise
  // read as a string literal, and every code would map to that text.
  const std::string schema = db.SchemaOr(ref.schema);
  auto columns = db.TableColumns(schema, ref.table);
  if (!columns.ok()) {
    return InvalidArgument(
        fmt::format("by {} {} does not work: {}", what, table, columns.status().message()));
  }
  for (const std::string* name : {&key, &value}) {
    const bool found = std::any_of(columns->begin(), columns->end(), [&](const ColumnInfo& c) {
      return sdk::ToLowerAscii(c.name) == sdk::ToLowerAscii(*name);
    });
    if (!found) {
      return InvalidArgument(fmt::format("by {} {} does not work: column {} not found in table {}",
                                         what, table, *name, ref.table));
    }
  }
  const std::string sql = fmt::format("SELECT {0}, {1} FROM {2}.{3} WHERE {0} IS NOT NULL AND {1} "
                                      "IS NOT NULL ORDER BY 1, 2",
                                      QuoteIdent(key), QuoteIdent(value), QuoteIdent(schema),
                                      QuoteIdent(ref.table));
  auto stmt = db.Prepare(sql, StepBudget::kPerStep);
  if (!stmt.ok()) {
    return InvalidArgument(
        fmt::format("by {} {} does not work: {}", what, table, stmt.status().message()));
  }
  Lookup out;
  while (true) {
    DQA_ASSIGN_OR_RETURN(bool has_row, stmt->Step());
    if (!has_row) break;
    // A blank value leaves the key unknown (absent from the lookup).
    std::string text(stmt->ColumnText(1));
    if (TrimWhitespace(text).empty()) continue;
    out.emplace(std::string(stmt->ColumnText(0)), std::move(text));
  }
  return out;
}

}  // namespace

Status RowEvaluator::PrepareBreakdown(SourceDb& db) {
  unit_maps_.assign(spec_.by.size(), {});
  unit_labels_.assign(spec_.by.size(), {});
  tallies_.clear();
  tallies_.resize(spec_.by.size());
  for (size_t e = 0; e < spec_.by.size(); ++e) {
    const BySpec& b = spec_.by[e];
    if (!b.map_table.empty()) {
      DQA_ASSIGN_OR_RETURN(unit_maps_[e],
                           ReadLookup(db, b.map_table, b.map_key, b.map_unit, "map"));
    }
    if (!b.label_table.empty()) {
      DQA_ASSIGN_OR_RETURN(unit_labels_[e],
                           ReadLookup(db, b.label_table, b.label_key, b.label_column, "labels"));
    }
  }
  return Status::Ok();
}

std::string RowEvaluator::UnitOf(size_t entry, std::optional<std::string_view> text) const {
  return std::string(UnitView(entry, text));
}

std::string_view RowEvaluator::UnitView(size_t entry, std::optional<std::string_view> text) const {
  if (!text || TrimWhitespace(*text).empty()) return kUnknownUnit;
  if (spec_.by[entry].map_table.empty()) return *text;
  const auto& map = unit_maps_[entry];
  const auto it = map.find(*text);
  return it == map.end() ? kUnknownUnit : std::string_view(it->second);
}

void RowEvaluator::AddUnitViolations(size_t entry, const std::string& unit, int64_t count) {
  if (entry >= tallies_.size()) return;
  tallies_[entry][unit].violations += count;
}

void RowEvaluator::ObserveWithUnits(const ScanRow& row) {
  const int64_t rows_before = rows_checked_;
  const int64_t violations_before = violations_;
  if (!unit_factory_) ObserveInScope(row);
  for (size_t e = 0; e < unit_cells_.size() && e < tallies_.size(); ++e) {
    const Value& v = row.cells[static_cast<size_t>(unit_cells_[e])];
    std::optional<std::string_view> text;
    if (!v.is_null()) text = TextForm(v, unit_scratch_);
    // Looked up by view: the unit's string is built once, when the unit is first seen.
    const std::string_view unit = UnitView(e, text);
    auto it = tallies_[e].find(unit);
    if (it == tallies_[e].end()) it = tallies_[e].emplace(std::string(unit), UnitTally{}).first;
    UnitTally& tally = it->second;
    if (unit_factory_) {
      if (!tally.own) {
        tally.own = unit_factory_();
        if (!tally.own) continue;
        tally.own->Bind(cells_, -1, expr_flags_);
      }
      tally.own->Observe(row);
    } else {
      tally.rows_checked += rows_checked_ - rows_before;
      tally.violations += violations_ - violations_before;
    }
  }
  // The province-wide figures of a split check come from its own evaluator too.
  if (unit_factory_) ObserveInScope(row);
}

std::vector<Breakdown> RowEvaluator::FinishBreakdowns() {
  std::vector<Breakdown> out;
  for (size_t e = 0; e < spec_.by.size() && e < tallies_.size(); ++e) {
    Breakdown b{spec_.by[e].Name(), {}};
    for (auto& [unit, tally] : tallies_[e]) {
      UnitFigures u{unit, tally.violations, tally.rows_checked, 0, std::nullopt, ""};
      if (e < unit_labels_.size()) {
        if (auto l = unit_labels_[e].find(unit); l != unit_labels_[e].end()) u.label = l->second;
      }
      if (tally.own) {
        const CheckResult own = tally.own->Finish();
        u.violations = own.violations;
        u.rows_checked = own.rows_checked;
        u.value = own.value;
      }
      u.percent = PercentOf(u.violations, u.rows_checked);
      b.units.push_back(std::move(u));
    }
    RankUnits(b.units);
    out.push_back(std::move(b));
  }
  return out;
}

CheckResult BlankResult(const CheckSpec& spec, const CheckContext& context) {
  CheckResult r;
  r.id = spec.id;
  r.type = spec.type;
  r.source = context.source;
  r.table = spec.table;
  r.columns = spec.columns;
  r.title = spec.title;
  r.dimension = spec.dimension;
  r.severity = spec.severity;
  r.thresholds = spec.thresholds;
  r.key_columns = context.key_columns;
  return r;
}

CheckResult ErrorResult(const CheckSpec& spec, const CheckContext& context, std::string message) {
  CheckResult r = BlankResult(spec, context);
  r.outcome = Outcome::kError;
  // Errors can quote data (a plugin's reason, a query's value).
  r.message = message.size() > kMaxMessageBytes ? TruncateForDisplay(message, kMaxMessageBytes)
                                                 : std::move(message);
  // The cause is the engine's or the database's own text: shown as it is, after words in the
  // report's language.
  SetWords(r, "check.error", {{"detail", r.message}});
  return r;
}

void SetWords(CheckResult& result, std::string key, MessageArgs args) {
  result.message_key = std::move(key);
  result.message_args = std::move(args);
}

MessageArgs CountArgs(const CheckResult& result, MessageArgs more) {
  MessageArgs args = {{"n_violations", std::to_string(result.violations)},
                      {"n_rows", std::to_string(result.rows_checked)},
                      {"p_percent", fmt::format("{:.17g}", PercentOf(result.violations,
                                                                    result.rows_checked))}};
  args.insert(args.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
  return args;
}

std::string FormatPercent(double percent) {
  std::string s = fmt::format("{:.2f}", percent);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

double PercentOf(int64_t violations, int64_t rows) {
  return rows > 0 ? 100.0 * static_cast<double>(violations) / static_cast<double>(rows) : 0.0;
}

std::string CountText(int64_t violations, int64_t rows, std::string_view noun) {
  return fmt::format("{} of {} {} ({}%)", violations, rows, noun,
                     FormatPercent(PercentOf(violations, rows)));
}

std::string JoinColumns(const std::vector<std::string>& columns) {
  return fmt::format("{}", fmt::join(columns, ", "));
}

namespace {

std::string LimitText(const Limits& limits) {
  std::string out;
  if (limits.max_count) out = fmt::format("{}", *limits.max_count);
  if (limits.max_percent) {
    if (!out.empty()) out += " or ";
    out += FormatPercent(*limits.max_percent) + "%";
  }
  return out;
}

}  // namespace

void DecideResult(CheckResult& r, const std::string& what) {
  r.percent = PercentOf(r.violations, r.rows_checked);
  r.outcome = DecideOutcome(r.violations, r.percent, r.thresholds, r.severity);
  r.message = TruncateForDisplay(what, kMaxMessageBytes);
  if (r.outcome == Outcome::kPass) return;
  Limits fail = r.thresholds.fail;
  if (r.thresholds.fail.empty() && r.thresholds.warn.empty()) fail.max_count = 0;
  // A warn outcome comes from the fail limit when severity is warn and that limit was exceeded.
  const Limits& exceeded = (r.outcome == Outcome::kFail || fail.Exceeded(r.violations, r.percent))
                               ? fail
                               : r.thresholds.warn;
  r.message +=
      fmt::format("; {} limit {}", &exceeded == &fail ? "fail" : "warn", LimitText(exceeded));
}

}  // namespace dqa
