// ScanSource: one source, one read-only connection, one snapshot, every check.
#include <fcntl.h>
#include <fmt/format.h>

#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <exception>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <system_error>
#include <vector>

#include "core/util/activity.h"
#include "core/engine/audit.h"
#include "core/engine/table_scan.h"
#include "core/engine/plan_plugins.h"
#include "core/sources/open_source.h"
#include "core/sources/sqlite_btree.h"
#include "core/sources/sqlite_db.h"
#include "core/util/atomic_file.h"
#include "core/util/clock.h"
#include "core/util/file_bytes.h"
#include "core/util/murmur3.h"
#include "core/util/record_hash.h"
#include "core/util/trash.h"

namespace dqa {
namespace {

OpenSourceOptions OpenOptionsOf(const SourcePlan& plan) {
  OpenSourceOptions options;
  options.statement_budget_ms = plan.statement_budget_ms;
  options.attach = plan.attach_paths;
  return options;
}

Result<std::unique_ptr<SourceDb>> OpenSource(const SourcePlan& plan) {
  DQA_ASSIGN_OR_RETURN(std::unique_ptr<SourceDb> db, OpenSourceDb(plan.source, OpenOptionsOf(plan)));
  NoteSnapshot();
  return db;
}

// Per-range states of incremental scans (docs/engine.md "Incremental scans"): a folder per table
// in plan.range_state_dir, "<hex source>.<hex table>", holding
// - "index": CBOR of {"version", "key", "full_scan_unix", "ranges": [{"first", "last", "digest",
//   "file", "part"}], "memos": {name: file}}, replaced whole after each scan that keeps states
//   (written aside and renamed, without fsync: an index that a crash of the machine left empty,
//   torn or as it was before costs a read of the table or of the ranges whose files it names no
//   longer, never a wrong result, since every file it names is checked against its name);
// - one file per range, "<hash>.range": the range's check states (EncodeStates), named by the
//   128-bit hash of its bytes (BulkHash128) and never changed once written, so an unchanged range
//   costs no write. Range files are written without fsync: one that a crash of the machine left
//   empty or torn no longer matches its name, and that range alone is read again;
// - for a range whose checks keep a table total (RowEvaluator::KeepsTableTotal), one more file
//   "<hash>.range" of the same form holding those checks' own states (RangeState::part);
// - one file per grouping memo (GroupingMemos) and table total, "<hash>.memo", written the same
//   way and named by its MemoHash (file_bytes.h); one that cannot be read back makes its check
//   take its slow exact path for that scan; the memo "range leaves" (kLeafMemoName) holds the
//   leaves of the table's fingerprints.
// Files the index does not name are moved to the table's trash after it is written (TrashFolder).
// A folder is only ever used through its key and its ranges' fingerprints, so a stale or foreign
// one is harmless.
// 7: range fingerprints are sums of their rows' parts (RowPart), not a MurmurHash3 of them.
// 8: memos are named by their MemoHash, not the BulkHash128 of their bytes.
constexpr int kStateVersion = 8;
constexpr std::string_view kRangeSuffix = ".range";
constexpr std::string_view kMemoSuffix = ".memo";

// The 128-bit MurmurHash3 of `bytes`, in hex (long folder names).
std::string HexHash(std::string_view bytes) {
  Murmur3Hasher hasher;
  hasher.Update(bytes.data(), bytes.size());
  return hasher.Finish().ToHex();
}

std::string StateFolder(const SourcePlan& plan, const std::string& table) {
  std::string name;
  for (const std::string* part : {&plan.source.id, &table}) {
    if (!name.empty()) name += '.';
    for (unsigned char c : *part) name += fmt::format("{:02x}", c);
  }
  // Long names (a folder name has at most 255 bytes) go by their hash.
  if (name.size() > 200) {
    name = "h" + HexHash(name);
  }
  return (std::filesystem::path(plan.range_state_dir) / name).string();
}

// The whole file at `path` into `bytes` (whose capacity is reused: range files are read one after
// another into one buffer). False when it cannot be read.
bool ReadWholeFile(const std::string& path, std::string& bytes) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return false;
  const std::streamoff size = in.tellg();
  if (size < 0) return false;
  bytes.resize(static_cast<size_t>(size));
  in.seekg(0);
  return static_cast<bool>(in.read(bytes.data(), size));
}

// The name of a range file holding `bytes`: their BulkHash128 in hex, then ".range"; a memo file's
// is their MemoHash (the BulkHash128 of each half, taken by the thread that reads it: ReadInParts)
// then ".memo". Every load hashes the file again, so a torn one is never read: at the speed of
// memory (0.8 ms for the 22 MB memo of a 1.4-million-row table, where MurmurHash3 takes 2.6 ms).
std::string HashName(std::string_view bytes) {
  return BulkHash128(bytes.data(), bytes.size()).ToHex() + std::string(kRangeSuffix);
}
std::string MemoName(std::string_view bytes) {
  return MemoHash(bytes).ToHex() + std::string(kMemoSuffix);
}

// A file name of the folder, a 128-bit hash in hex then `suffix` (and nothing that could leave the
// folder).
bool IsStateFileName(const std::string& name, std::string_view suffix) {
  if (name.size() != 32 + suffix.size() || !name.ends_with(suffix)) return false;
  return std::all_of(name.begin(), name.begin() + 32,
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}
bool IsRangeFileName(const std::string& name) { return IsStateFileName(name, kRangeSuffix); }

class RangeFolder : public RangeStore {
 public:
  explicit RangeFolder(std::string folder) : folder_(std::move(folder)) {}

  // All may be called from several threads at once.
  std::optional<std::vector<nlohmann::json>> Load(const RangeState& range) override {
    return LoadStates(range.file);
  }
  std::optional<std::vector<nlohmann::json>> LoadPart(const RangeState& range) override {
    return LoadStates(range.part);
  }

  Status Store(RangeState& range, const std::vector<nlohmann::json>& checks,
               const std::vector<nlohmann::json>& part) override {
    DQA_ASSIGN_OR_RETURN(range.file, StoreStates(checks));
    range.part.clear();
    if (!part.empty()) {
      DQA_ASSIGN_OR_RETURN(range.part, StoreStates(part));
    }
    return Status::Ok();
  }

  // A memo file: "<hash>.memo", named by the hash of its bytes as a range file is. Read whole
  // (FileBytes::Read: from 2 MB up into memory backed by huge pages): table totals and verdicts;
  // the duplicate check's memo of key hashes (16 bytes per row) is streamed instead (StreamMemo).
  std::optional<FileBytes> LoadMemo(const std::string& file) override {
    if (!IsStateFileName(file, kMemoSuffix)) return std::nullopt;
    std::optional<FileBytes> bytes = FileBytes::Read(Path(file));
    if (!bytes) return std::nullopt;
    if (MemoName(bytes->view()) != file) {
      DropTorn(file);
      return std::nullopt;
    }
    return bytes;
  }

  // Read a piece at a time into a buffer reused from piece to piece (256 KB, touched once), hashed
  // as it goes, never the whole file in memory: on the project's machine memory touched for the
  // first time costs more than the copy (docs/engine.md "Grouping memos"). Each piece is walked on
  // the thread that read it: a piece read and hashed on another thread cost a hand-over per piece
  // and its copy across cores (the walk of a 22 MB memo took twice as long).
  bool StreamMemo(const std::string& file, size_t align,
                  const std::function<bool(std::string_view)>& consume) override {
    return StreamMemoSplit(file, align, nullptr, consume, nullptr);
  }
  // The second part is read, hashed and walked by a thread of its own (ReadInParts), while this one
  // reads, hashes and walks the first: the bytes hashed are the bytes walked, since a memo file is
  // never changed once written (StoreMemo writes a new one aside and renames it).
  bool StreamMemoSplit(const std::string& file, size_t align,
                       const std::function<bool(std::string_view)>& start,
                       const std::function<bool(std::string_view)>& first,
                       const std::function<bool(std::string_view)>& second) override {
    constexpr size_t kPiece = 256 << 10;
    if (!IsStateFileName(file, kMemoSuffix) || align == 0 || align > kPiece) return false;
    Hash128 hash;
    const PartsRead read =
        ReadInParts(Path(file), align, kPiece / align * align, start, first, second, &hash);
    if (read == PartsRead::kShort ||
        (read == PartsRead::kWhole && hash.ToHex() + std::string(kMemoSuffix) != file)) {
      DropTorn(file);  // cut short or torn
      return false;
    }
    return read == PartsRead::kWhole;
  }

  // A memo file whose bytes no longer match its name (torn by a crash of the machine): removed,
  // so that StoreMemo writes it again.
  void DropTorn(const std::string& file) const {
    std::error_code ec;
    std::filesystem::remove(Path(file), ec);
  }

  Result<std::string> StoreMemo(std::string_view bytes) override {
    const std::string file = MemoName(bytes);
    std::error_code ec;
    // A file of that name and size holds these bytes (the next load checks its hash).
    if (std::filesystem::file_size(Path(file), ec) == bytes.size() && !ec) return file;
    std::filesystem::create_directories(folder_, ec);
    DQA_RETURN_IF_ERROR(WriteFileAtomically(Path(file), bytes, Durability::kUnsynced));
    return file;
  }

  std::string Path(const std::string& name) const {
    return (std::filesystem::path(folder_) / name).string();
  }

 private:
  std::optional<std::vector<nlohmann::json>> LoadStates(const std::string& file) {
    if (!IsRangeFileName(file)) return std::nullopt;
    thread_local std::string buffer;  // reused: range files are read one after another
    if (!ReadWholeFile(Path(file), buffer) || HashName(buffer) != file) return std::nullopt;
    try {
      return DecodeStates(buffer);
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }

  // The file that holds `states` (written unless it is there already).
  Result<std::string> StoreStates(const std::vector<nlohmann::json>& states) {
    const std::string bytes = EncodeStates(states);
    std::string file = HashName(bytes);
    const std::string path = Path(file);
    // A file of that name holds these bytes, unless a crash tore it: then it is written again.
    thread_local std::string there;
    if (ReadWholeFile(path, there) && HashName(there) == file) return file;
    std::error_code ec;
    std::filesystem::create_directories(folder_, ec);
    DQA_RETURN_IF_ERROR(WriteFileAtomically(path, bytes, Durability::kUnsynced));
    return file;
  }

  std::string folder_;
};

std::optional<TableState> LoadTableState(const std::string& folder) {
  const std::string path = (std::filesystem::path(folder) / "index").string();
  std::string bytes;
  if (!ReadWholeFile(path, bytes)) return std::nullopt;
  try {
    const nlohmann::json j = nlohmann::json::from_cbor(bytes);
    if (j.at("version").get<int>() != kStateVersion) return std::nullopt;
    TableState state;
    state.key = j.at("key").get<std::string>();
    state.full_scan_unix = j.at("full_scan_unix").get<int64_t>();
    state.file_identity = j.value("file_identity", std::string());  // (absent from older indexes: unknown)
    for (const nlohmann::json& r : j.at("ranges")) {
      state.ranges.push_back({r.at("first").get<int64_t>(), r.at("last").get<int64_t>(),
                              r.at("digest").get<std::string>(), r.at("file").get<std::string>(),
                              r.at("part").get<std::string>()});
    }
    state.memos = j.at("memos").get<std::map<std::string, std::string>>();
    return state;
  } catch (const std::exception& e) {
    spdlog::warn("range states {} cannot be read ({}); the table is scanned whole", path, e.what());
    return std::nullopt;
  }
}

// Where a table's superseded state files go (core/util/trash.h): beside its folder (a folder's
// name is hex digits and dots, or `h` and hex digits, so no table's folder has this name). The next
// scan of the table empties it while it reads.
std::filesystem::path TrashFolder(const std::string& folder) { return folder + ".trash"; }

// Writes the index of `state` (none: the folder goes) and moves what it does not name to the
// trash (TrashFolder).
void SaveTableState(const std::string& folder, const TableState& state) {
  std::error_code ec;
  if (state.ranges.empty()) {
    std::filesystem::remove_all(folder, ec);
    return;
  }
  nlohmann::json ranges = nlohmann::json::array();
  std::set<std::string> named = {"index"};
  for (const RangeState& r : state.ranges) {
    ranges.push_back({{"first", r.first},
                      {"last", r.last},
                      {"digest", r.digest},
                      {"file", r.file},
                      {"part", r.part}});
    named.insert(r.file);
    if (!r.part.empty()) named.insert(r.part);
  }
  for (const auto& [name, file] : state.memos) named.insert(file);
  const nlohmann::json j = {{"version", kStateVersion},
                            {"key", state.key},
                            {"full_scan_unix", state.full_scan_unix},
                            {"file_identity", state.file_identity},
                            {"ranges", std::move(ranges)},
                            {"memos", state.memos}};
  std::filesystem::create_directories(folder, ec);
  const std::vector<uint8_t> bytes = nlohmann::json::to_cbor(j);
  // The index this one replaces is linked into the trash first: renaming over it then frees
  // none of its blocks (core/util/trash.h says why that matters).
  const std::filesystem::path trash = TrashFolder(folder);
  LinkIntoTrash(std::filesystem::path(folder) / "index", trash, "index");
  if (Status s = WriteFileAtomically(
          (std::filesystem::path(folder) / "index").string(),
          std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()),
          Durability::kUnsynced);
      !s.ok()) {
    spdlog::warn("range states in {} could not be written ({}); the next run reads the table whole",
                 folder, s.message());
    std::filesystem::remove_all(folder, ec);
    return;
  }
  // What the index no longer names goes to the trash, not deleted here.
  std::vector<std::filesystem::path> superseded;
  std::filesystem::directory_iterator it(folder, ec);
  for (; !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    if (!named.contains(it->path().filename().string())) superseded.push_back(it->path());
  }
  for (const std::filesystem::path& file : superseded) MoveIntoTrash(file, trash);
}

// Scans `table` keeping (and, when allowed, reusing) its range states when the plan asks for them
// and the source is an SQLite file.
std::vector<CheckResult> ScanTableWithStates(SourceDb& db, const SourcePlan& plan,
                                             const CheckContext& context, const TableSpec& table,
                                             const SplitOptions& split) {
  auto* sqlite = dynamic_cast<SqliteDb*>(&db);
  if (plan.range_state_dir.empty() || sqlite == nullptr) return ScanTable(db, context, table, split);
  const std::string folder = StateFolder(plan, table.name);
  std::error_code ec;
  std::filesystem::remove(folder + ".state", ec);  // the single file of version 1, if any
  RangeFolder store(folder);
  TrashEmptier emptier(TrashFolder(folder));  // (joined before the save fills it again)
  const int64_t now = NowUnixMs() / 1000;
  std::optional<TableState> previous;
  if (plan.reuse_range_states) previous = LoadTableState(folder);
  if (previous && now - previous->full_scan_unix >= plan.full_rescan_after_s) {
    spdlog::info("{} table {}: last read whole {} s ago; every range is read again",
                 plan.source.id, table.name, now - previous->full_scan_unix);
    previous.reset();
  }
  TableState next;
  IncrementalOptions inc;
  inc.previous = previous ? &*previous : nullptr;
  inc.next = &next;
  inc.store = &store;
  inc.digest = [sqlite](const std::string& schema, const std::string& t,
                        const std::vector<RowidRange>& ranges) {
    return SqliteRangeDigests(*sqlite, schema, t, ranges);
  };
  inc.digest_with_leaves = [sqlite](const std::string& t, const std::vector<RowidRange>& ranges,
                                    IncrementalOptions::Leaves& leaves) {
    return SqliteRangeDigests(*sqlite, "", t, ranges, &leaves);
  };
  inc.identity = [sqlite]() -> Result<std::string> {
    DQA_ASSIGN_OR_RETURN(SqliteFileIdentity id, SnapshotFileIdentity(sqlite->raw(), sqlite->path()));
    return id.ToString();
  };
  SplitOptions with_states = split;
  with_states.incremental = &inc;
  std::vector<CheckResult> results = ScanTable(db, context, table, with_states);
  next.full_scan_unix = inc.reused_ranges == 0 || !previous ? now : previous->full_scan_unix;
  if (inc.scanned_ranges + inc.reused_ranges > 0) {
    spdlog::info("{} table {}: {} range(s) read{}, {} unchanged and merged from their stored state",
                 plan.source.id, table.name, inc.scanned_ranges,
                 inc.halved_ranges > 0
                     ? fmt::format(" ({} changed one(s) read as two halves, one per thread)",
                                   inc.halved_ranges)
                     : "",
                 inc.reused_ranges);
  }
  if (inc.reused_leaves > 0) {
    spdlog::debug("{} table {}: {} leaf page(s) of its fingerprints unchanged and not read again",
                  plan.source.id, table.name, inc.reused_leaves);
  }
  // A state is kept only when every check of the table came out without an error.
  for (const CheckResult& r : results) {
    if (r.outcome == Outcome::kError) next.ranges.clear();
  }
  emptier.Join();
  SaveTableState(folder, next);
  return results;
}

}  // namespace

SourceResult ScanSource(const SourcePlan& plan,
                        const std::function<void(const CheckResult&)>& emit,
                        const std::function<void()>& table_done) {
  const SourceSpec& source = plan.source;
  SourceResult result;
  result.source = source.id;
  result.department = source.department;
  result.database = source.database;
  result.started_unix_ms = NowUnixMs();
  CheckContext context{source.id, plan.now_unix, plan.today_day, plan.samples, {}};
  context.disabled_plugins = plan.disabled_plugins;
  context.disabled_reasons = plan.disabled_reasons;

  // Every check not reported yet gets an error result: the source as a whole failed.
  std::set<std::string> reported;
  auto fail_rest = [&](const std::string& why) {
    if (result.error.empty()) result.error = why;
    for (const TableSpec& table : source.tables) {
      CheckContext table_context = context;
      table_context.key_columns = table.key.empty() ? std::vector<std::string>{"rowid"} : table.key;
      for (const CheckSpec& spec : table.checks) {
        if (reported.contains(spec.id)) continue;
        CheckResult r = ErrorResult(
            spec, table_context, fmt::format("source {} could not be scanned: {}", source.id, why));
        emit(r);
        result.results.push_back(std::move(r));
      }
    }
  };

  try {
    LoadPlanPlugins(plan);  // no-op when loaded already (in-process) or not needed
    auto db = OpenSource(plan);
    if (!db.ok()) {
      fail_rest(db.status().message());
    } else {
      // More connections in the same snapshot for the ranges of a split table scan.
      SplitOptions split;
      split.threads = plan.scan_threads;
      split.open = [&plan] { return OpenSourceDb(plan.source, OpenOptionsOf(plan)); };
      // The results that do not wait for a table's grouping are emitted before it runs.
      split.finished = [&](const CheckResult& r) {
        emit(r);
        reported.insert(r.id);
      };
      for (const TableSpec& table : source.tables) {
        NoteTable(static_cast<int>(&table - source.tables.data()));
        for (CheckResult& r : ScanTableWithStates(**db, plan, context, table, split)) {
          if (reported.insert(r.id).second) emit(r);
          result.results.push_back(std::move(r));
        }
        if (table_done) table_done();
      }
      // Fails when a writer put a WAL beside a file read without one (SqliteDb::EndSnapshot):
      // the results of the source are not one state of it.
      if (Status s = (*db)->EndSnapshot(); !s.ok() && result.error.empty()) {
        result.error = s.message();
      }
    }
  } catch (const std::exception& e) {
    // Nothing below throws on purpose; this keeps an allocation failure from ending the audit.
    fail_rest(fmt::format("internal error: {}", e.what()));
  }
  result.finished_unix_ms = NowUnixMs();
  return result;
}

}  // namespace dqa
