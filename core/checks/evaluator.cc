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
  if (row.rowid == nullptr) rowids_ = false;
  const int64_t rowid = row.rowid != nullptr ? *row.rowid : 0;
  if (static_cast<int64_t>(listed_.size()) < kListedFailingRows) {
    listed_.push_back(key);
    listed_rowids_.push_back(rowid);
  }
  if (sample) {
    samples_.push_back(std::move(key));
    sample_rowids_.push_back(rowid);
  }
}

size_t RowEvaluator::DeclareMovingBound(BoundMoves how, int64_t value, int64_t window) {
  MovingBound m;
  m.how = how;
  m.value = value;
  // The rows that turn, or are released, within the window are kept.
  m.horizon = window > 0 && value <= std::numeric_limits<int64_t>::max() - window
                  ? value + window
                  : value;
  moving_.push_back(std::move(m));
  return moving_.size() - 1;
}

void RowEvaluator::NoteTurning(size_t bound, const ScanRow& row, int64_t turn) {
  if (turn > moving_[bound].horizon || !keep_turning_) return;
  KeepTurning(bound, row, turn);
}

void RowEvaluator::NoteRelease(size_t bound, const ScanRow& row, int64_t release) {
  MovingBound& m = moving_[bound];
  if (release > m.horizon || !keep_turning_ || !KeepTurning(bound, row, release)) {
    m.release = std::min(m.release, release);
  }
}

void RowEvaluator::EndWindowBefore(size_t bound, int64_t turn) {
  MovingBound& m = moving_[bound];
  if (turn > m.horizon) return;
  m.horizon = turn > std::numeric_limits<int64_t>::min() ? turn - 1 : turn;
  std::erase_if(m.turning, [&](const TurningRow& t) { return t.turn > m.horizon; });
}

bool RowEvaluator::KeepTurning(size_t bound, const ScanRow& row, int64_t turn) {
  MovingBound& m = moving_[bound];
  if (row.rowid == nullptr || unit_factory_) {
    // No place among the samples (no rowid), or units with evaluators of their own: not movable.
    m.horizon = m.value;
    m.turning.clear();
    return false;
  }
  TurningRow t;
  t.turn = turn;
  t.rowid = *row.rowid;
  t.key.reserve(row.keys.size());
  for (const Value& v : row.keys) t.key.push_back(TruncateForDisplay(TextForm(v, unit_scratch_)));
  for (size_t e = 0; e < unit_cells_.size(); ++e) {
    const Value& v = row.cells[static_cast<size_t>(unit_cells_[e])];
    std::optional<std::string_view> text;
    if (!v.is_null()) text = TextForm(v, unit_scratch_);
    t.units.emplace_back(UnitView(e, text));
  }
  m.turning.push_back(std::move(t));
  if (m.turning.size() >= 2 * kMaxTurning) TrimTurning(m);
  return true;
}

void RowEvaluator::TrimTurning(MovingBound& m) {
  if (m.turning.size() <= kMaxTurning) return;
  std::vector<int64_t> turns;
  turns.reserve(m.turning.size());
  for (const TurningRow& t : m.turning) turns.push_back(t.turn);
  std::nth_element(turns.begin(), turns.begin() + kMaxTurning, turns.end());
  // Every row turning before the first left out is kept (rowid order stays).
  m.horizon = std::min(m.horizon, turns[kMaxTurning] - 1);
  std::erase_if(m.turning, [&](const TurningRow& t) { return t.turn > m.horizon; });
}

namespace {

// Puts the row `key` with `rowid` in its place among `rows` (in rowid order, with `rowids`), when
// it is among the first `limit`.
void InsertByRowid(std::vector<std::vector<std::string>>& rows, std::vector<int64_t>& rowids,
                   const std::vector<std::string>& key, int64_t rowid, int64_t limit) {
  const auto at = std::lower_bound(rowids.begin(), rowids.end(), rowid);
  const auto index = at - rowids.begin();
  if (index >= limit) return;
  rows.insert(rows.begin() + index, key);
  rowids.insert(at, rowid);
  if (static_cast<int64_t>(rows.size()) > limit) {
    rows.pop_back();
    rowids.pop_back();
  }
}

}  // namespace

Status RowEvaluator::MoveTo(std::vector<MovingBound> stored) {
  if (stored.size() != moving_.size()) {
    return InvalidArgument("stored state has other moving bounds");
  }
  for (size_t b = 0; b < stored.size(); ++b) {
    const MovingBound& was = stored[b];
    const int64_t now = moving_[b].value;
    if (was.how != moving_[b].how) return InvalidArgument("stored state has other moving bounds");
    if (now == was.value) continue;
    if (now < was.value || now > was.horizon || now >= was.release) {
      return Unavailable("the stored state's bounds cannot be moved to this run's");
    }
    if (!was.turning.empty() && (!rowids_ || sample_rowids_.size() != samples_.size() ||
                                 listed_rowids_.size() != listed_.size())) {
      return Unavailable("the stored state's rows have no rowids");
    }
  }
  // The released rows first: a list that is not full holds every violation, and still does once
  // they leave it; then the rows that turned take their places.
  for (const BoundMoves pass : {BoundMoves::kReleasesAbove, BoundMoves::kAddsBelow}) {
    for (size_t b = 0; b < stored.size(); ++b) {
      const MovingBound& was = stored[b];
      const int64_t now = moving_[b].value;
      if (was.how != pass || now == was.value) continue;
      for (const TurningRow& t : was.turning) {
        if (t.turn > now) continue;
        if (t.units.size() != tallies_.size()) return InvalidArgument("stored state has other units");
        if (pass == BoundMoves::kReleasesAbove) {
          DQA_RETURN_IF_ERROR(Release(t));
          continue;
        }
        ++violations_;
        for (size_t e = 0; e < t.units.size(); ++e) ++tallies_[e][t.units[e]].violations;
        InsertByRowid(samples_, sample_rowids_, t.key, t.rowid, context_.samples);
        InsertByRowid(listed_, listed_rowids_, t.key, t.rowid, kListedFailingRows);
      }
    }
  }
  return Status::Ok();
}

Status RowEvaluator::Release(const TurningRow& row) {
  // The samples are the first of the listed rows (both the first violations in rowid order) when
  // the listed rows are the longer list: a sample that leaves a full list is then followed by the
  // listed row after it.
  const size_t samples = samples_.size();
  const bool prefix = samples <= listed_.size() &&
                      std::equal(sample_rowids_.begin(), sample_rowids_.end(), listed_rowids_.begin());
  // Out of a list of the first rows: exact unless the list is full, when the row after its last
  // would take the place and is not known.
  const auto leave = [&](std::vector<std::vector<std::string>>& rows, std::vector<int64_t>& rowids,
                         int64_t limit, bool refill) {
    const auto at = std::lower_bound(rowids.begin(), rowids.end(), row.rowid);
    if (at == rowids.end() || *at != row.rowid) return Status::Ok();
    if (static_cast<int64_t>(rows.size()) >= limit && !refill) {
      return Unavailable("a released row leaves a full list of rows");
    }
    rows.erase(rows.begin() + (at - rowids.begin()));
    rowids.erase(at);
    return Status::Ok();
  };
  DQA_RETURN_IF_ERROR(leave(listed_, listed_rowids_, kListedFailingRows, false));
  // The listed rows, not full or without the row, hold every violation up to their last.
  DQA_RETURN_IF_ERROR(leave(samples_, sample_rowids_, context_.samples, prefix));
  if (prefix && samples_.size() < samples && listed_.size() >= samples) {
    samples_.push_back(listed_[samples - 1]);
    sample_rowids_.push_back(listed_rowids_[samples - 1]);
  }
  if (violations_ <= 0) return InvalidArgument("stored state releases more rows than it counts");
  --violations_;
  for (size_t e = 0; e < row.units.size(); ++e) {
    const auto unit = tallies_[e].find(row.units[e]);
    if (unit == tallies_[e].end() || unit->second.violations <= 0) {
      return InvalidArgument("stored state has other units");
    }
    --unit->second.violations;
  }
  return Status::Ok();
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
// The rows' rowids go along.
void AppendFirst(std::vector<std::vector<std::string>>& into, std::vector<int64_t>& into_rowids,
                 std::vector<std::vector<std::string>>& later, std::vector<int64_t>& later_rowids,
                 int64_t limit) {
  for (size_t i = 0; i < later.size(); ++i) {
    if (static_cast<int64_t>(into.size()) >= limit) break;
    into.push_back(std::move(later[i]));
    if (i < later_rowids.size()) into_rowids.push_back(later_rowids[i]);
  }
  later.clear();
  later_rowids.clear();
}

}  // namespace

void RowEvaluator::MergeFrom(RowEvaluator& later) {
  if (error_.empty() && !later.error_.empty()) error_ = later.error_;
  violations_ += later.violations_;
  rows_checked_ += later.rows_checked_;
  rowids_ = rowids_ && later.rowids_;
  AppendFirst(samples_, sample_rowids_, later.samples_, later.sample_rowids_, context_.samples);
  AppendFirst(listed_, listed_rowids_, later.listed_, later.listed_rowids_, kListedFailingRows);
  if (!rowids_) {  // never half of them
    sample_rowids_.clear();
    listed_rowids_.clear();
  }
  // A merged evaluator's state is never stored: its rows that turn later are not kept.
  for (size_t b = 0; b < moving_.size() && b < later.moving_.size(); ++b) {
    moving_[b].horizon = moving_[b].value;
    moving_[b].turning.clear();
    moving_[b].release = std::min(moving_[b].release, later.moving_[b].release);
  }
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

// Integers as one binary JSON value (8 bytes each in this machine's byte order).
nlohmann::json PackIntegers(const std::vector<int64_t>& values) {
  std::vector<uint8_t> out(values.size() * sizeof(int64_t));
  if (!values.empty()) std::memcpy(out.data(), values.data(), out.size());
  return nlohmann::json::binary(std::move(out));
}

std::vector<int64_t> UnpackIntegers(const nlohmann::json& packed) {
  const auto& bytes = packed.get_binary();
  if (bytes.size() % sizeof(int64_t) != 0) throw std::invalid_argument("packed integers cut short");
  std::vector<int64_t> values(bytes.size() / sizeof(int64_t));
  if (!values.empty()) std::memcpy(values.data(), bytes.data(), bytes.size());
  return values;
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
  nlohmann::json state = {{"violations", violations_}, {"rows_checked", rows_checked_},
                           {"samples", PackRows(samples_)}, {"listed", PackRows(listed_)},
                           {"error", error_},           {"units", std::move(units)},
                           {"own", SaveOwnState()}};
  if (!moving_.empty()) {
    // Where rows that turn go among the samples and listed rows.
    if (rowids_) state["rowids"] = {PackIntegers(sample_rowids_), PackIntegers(listed_rowids_)};
    nlohmann::json moving = nlohmann::json::array();
    for (const MovingBound& m0 : moving_) {
      MovingBound m = m0;
      if (!keep_turning_) m.horizon = m.value;  // none kept
      TrimTurning(m);
      std::vector<int64_t> places;
      std::vector<std::vector<std::string>> keys, turning_units;
      for (const TurningRow& t : m.turning) {
        places.push_back(t.turn);
        places.push_back(t.rowid);
        keys.push_back(t.key);
        turning_units.push_back(t.units);
      }
      moving.push_back({static_cast<int>(m.how), m.value, m.horizon, m.release,
                        PackIntegers(places), PackRows(keys), PackRows(turning_units)});
    }
    state["moving"] = std::move(moving);
  }
  return state;
}

Status RowEvaluator::LoadState(const nlohmann::json& state, bool with_own) {
  try {
    violations_ = state.at("violations").get<int64_t>();
    rows_checked_ = state.at("rows_checked").get<int64_t>();
    const bool skip_samples = skip_samples_, skip_listed = skip_listed_;
    skip_samples_ = skip_listed_ = false;
    samples_.clear();
    listed_.clear();
    if (!skip_samples) samples_ = UnpackRows(state.at("samples"));
    if (!skip_listed) listed_ = UnpackRows(state.at("listed"));
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
    if (with_own) LoadOwnState(state.at("own"));
    rowids_ = state.contains("rowids");
    sample_rowids_.clear();
    listed_rowids_.clear();
    if (rowids_) {
      if (!skip_samples) sample_rowids_ = UnpackIntegers(state.at("rowids").at(0));
      if (!skip_listed) listed_rowids_ = UnpackIntegers(state.at("rowids").at(1));
    }
    std::vector<MovingBound> stored;
    if (state.contains("moving")) {
      for (const nlohmann::json& m : state.at("moving")) {
        MovingBound b;
        b.how = static_cast<BoundMoves>(m.at(0).get<int>());
        b.value = m.at(1).get<int64_t>();
        b.horizon = m.at(2).get<int64_t>();
        b.release = m.at(3).get<int64_t>();
        const std::vector<int64_t> places = UnpackIntegers(m.at(4));
        std::vector<std::vector<std::string>> keys = UnpackRows(m.at(5));
        std::vector<std::vector<std::string>> turning_units = UnpackRows(m.at(6));
        if (places.size() != 2 * keys.size() || keys.size() != turning_units.size()) {
          throw std::invalid_argument("turning rows do not match");
        }
        for (size_t i = 0; i < keys.size(); ++i) {
          b.turning.push_back({places[2 * i], places[2 * i + 1], std::move(keys[i]),
                               std::move(turning_units[i])});
        }
        stored.push_back(std::move(b));
      }
    }
    // Unavailable (the range is read again) or malformed, reported as it is.
    if (Status moved = MoveTo(std::move(stored)); !moved.ok()) return moved;
  } catch (const std::exception& e) {  // nlohmann::json's, or a type's own refusal
    return InvalidArgument(fmt::format("stored state of check {} is malformed: {}", spec_.id,
                                       e.what()));
  }
  return Status::Ok();
}

void RowEvaluator::AddPushedSample(std::vector<std::string> key) {
  if (!WantsSamples()) return;
  rowids_ = false;
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
