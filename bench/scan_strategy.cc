// Compares two ways of evaluating the row checks of one table on ~1 million rows:
//  (a1) one fused aggregate SQL query using SQLite built-ins only (approximate semantics: ASCII
//       trim, GLOB instead of re2, no NFC),
//  (a2) one fused aggregate SQL query calling registered C++ functions (exact semantics),
//  (b)  one streamed SELECT evaluated by the engine's C++ evaluators (ScanSource, exact semantics,
//       samples included).
// Usage: dqa_bench_scan_strategy [rows=1000000] [repeats=3] [only=a1|a2|b]. Results:
// docs/engine.md.
#include <fmt/format.h>
#include <re2/re2.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "core/engine/audit.h"
#include "core/sources/sqlite_db.h"
#include "core/util/dates.h"
#include "core/util/text.h"

namespace dqa {
namespace {

constexpr int64_t kToday = 20758;  // 2026-11-01

uint64_t Next(uint64_t& state) {
  state = state * 6364136223846793005ULL + 1442695040888963407ULL;
  return state >> 33;
}

// A province-like table: names with a few blanks (some with non-ASCII spaces), phone numbers,
// genders partly typed in NFD, birth dates and update dates with a few unparseable values.
void CreateTable(const std::string& path, int64_t rows) {
  auto db = SqliteDb::OpenReadWrite(path, true);
  if (!db.ok()) std::abort();
  (void)(*db)->Exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; BEGIN");
  (void)(*db)->Exec(
      "CREATE TABLE cong_dan(id INTEGER PRIMARY KEY, ho_ten TEXT, dia_chi TEXT, "
      "so_dien_thoai TEXT, gioi_tinh TEXT, ngay_sinh TEXT, ngay_cap_nhat TEXT)");
  auto stmt = (*db)->Prepare("INSERT INTO cong_dan VALUES (?, ?, ?, ?, ?, ?, ?)");
  if (!stmt.ok()) std::abort();
  const char* names[] = {"Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung"};
  const char* genders[] = {"Nam", "N\u1EEF", "Nu\u031B\u0303", "nam", "Nam"};
  uint64_t s = 42;
  for (int64_t id = 1; id <= rows; ++id) {
    (void)stmt->Reset();
    (void)stmt->Bind(1, id);
    const uint64_t r = Next(s) % 1000;
    if (r < 5) {
      (void)stmt->BindNull(2);
    } else if (r < 8) {
      (void)stmt->Bind(2, std::string_view(r == 7 ? "\u00A0" : " "));
    } else {
      (void)stmt->Bind(2, std::string_view(names[Next(s) % 4]));
    }
    const uint64_t r2 = Next(s) % 100;
    if (r2 == 0) {
      (void)stmt->BindNull(3);
    } else {
      (void)stmt->Bind(3, std::string_view("Xã Tân Phú, huyện Đức Hòa"));
    }
    const std::string phone = fmt::format("0{}{:08d}", "3579"[Next(s) % 4], Next(s) % 100000000);
    const uint64_t r3 = Next(s) % 100;
    if (r3 == 0) {
      (void)stmt->BindNull(4);
    } else {
      (void)stmt->Bind(4, r3 == 1 ? std::string_view("0123") : std::string_view(phone));
    }
    (void)stmt->Bind(5, std::string_view(genders[Next(s) % 5]));
    const int64_t birth = kToday - 365 * 5 - static_cast<int64_t>(Next(s) % (365 * 90));
    (void)stmt->Bind(6, Next(s) % 500 == 0 ? std::string("31/02/1990") : FormatDay(birth));
    const int64_t updated = kToday - static_cast<int64_t>(Next(s) % 1500);
    (void)stmt->Bind(7, FormatTimestamp(updated * kSecondsPerDay + 3600));
    if (!stmt->Step().ok()) std::abort();
  }
  (void)(*db)->Exec("COMMIT");
}

// ---- (a2) registered functions with the exact semantics ----
struct Functions {
  RE2 phone{"^0[35789][0-9]{8}$"};
  std::vector<std::string> allowed{"Nam", "N\u1EEF"};
  int64_t min_day = 0, max_day = 0, stale_cutoff = 0;
};

std::string_view ValueText(sqlite3_value* v) {
  const auto* p = reinterpret_cast<const char*>(sqlite3_value_text(v));
  return p == nullptr ? std::string_view()
                      : std::string_view(p, static_cast<size_t>(sqlite3_value_bytes(v)));
}

void DqMissing(sqlite3_context* ctx, int, sqlite3_value** argv) {
  const int type = sqlite3_value_type(argv[0]);
  sqlite3_result_int(ctx,
                     type == SQLITE_NULL || (type == SQLITE_TEXT && IsBlank(ValueText(argv[0]))));
}

void DqPattern(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_int(ctx, 0);
  const auto* f = static_cast<Functions*>(sqlite3_user_data(ctx));
  std::string scratch;
  sqlite3_result_int(ctx, !RE2::PartialMatch(NfcView(ValueText(argv[0]), scratch), f->phone));
}

void DqAllowed(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_int(ctx, 0);
  const auto* f = static_cast<Functions*>(sqlite3_user_data(ctx));
  std::string scratch;
  const std::string_view text = NfcView(ValueText(argv[0]), scratch);
  sqlite3_result_int(ctx,
                     std::find(f->allowed.begin(), f->allowed.end(), text) == f->allowed.end());
}

std::optional<int64_t> ValueDate(sqlite3_value* v) {
  switch (sqlite3_value_type(v)) {
    case SQLITE_INTEGER:
      return sqlite3_value_int64(v);
    case SQLITE_TEXT:
      return ParseDateText(TrimWhitespace(ValueText(v)), DateFormat::kIso);
    default:
      return std::nullopt;
  }
}

void DqRange(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_int(ctx, 0);
  const auto* f = static_cast<Functions*>(sqlite3_user_data(ctx));
  const auto t = ValueDate(argv[0]);
  sqlite3_result_int(ctx, !t || DayOf(*t) < f->min_day || DayOf(*t) > f->max_day);
}

void DqStale(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_int(ctx, 0);
  const auto* f = static_cast<Functions*>(sqlite3_user_data(ctx));
  const auto t = ValueDate(argv[0]);
  sqlite3_result_int(ctx, !t || *t < f->stale_cutoff);
}

using Clock = std::chrono::steady_clock;

double Millis(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

std::vector<int64_t> RunAggregate(const std::string& path, const std::string& sql, Functions* f) {
  auto db = SqliteDb::OpenReadOnly(path);
  if (!db.ok()) std::abort();
  if (f != nullptr) {
    const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;
    sqlite3* raw = (*db)->raw();
    sqlite3_create_function(raw, "dq_missing", 1, flags, f, DqMissing, nullptr, nullptr);
    sqlite3_create_function(raw, "dq_pattern", 1, flags, f, DqPattern, nullptr, nullptr);
    sqlite3_create_function(raw, "dq_allowed", 1, flags, f, DqAllowed, nullptr, nullptr);
    sqlite3_create_function(raw, "dq_range", 1, flags, f, DqRange, nullptr, nullptr);
    sqlite3_create_function(raw, "dq_stale", 1, flags, f, DqStale, nullptr, nullptr);
  }
  auto stmt = (*db)->Prepare(sql);
  if (!stmt.ok()) {
    std::fprintf(stderr, "%s\n", stmt.status().message().c_str());
    std::abort();
  }
  if (!stmt->Step().ok()) std::abort();
  std::vector<int64_t> out;
  for (int i = 0; i < stmt->ColumnCount(); ++i) out.push_back(stmt->ColumnInt(i));
  return out;
}

CheckSpec Check(std::string type, nlohmann::json params, std::string column) {
  CheckSpec spec;
  spec.type = std::move(type);
  spec.table = "cong_dan";
  spec.columns = {column};
  spec.id = spec.type + ":cong_dan." + column;
  spec.params = params.is_null() ? nlohmann::json::object() : std::move(params);
  return spec;
}

std::vector<int64_t> RunEngine(const std::string& path) {
  TableSpec table;
  table.name = "cong_dan";
  table.key = {"id"};
  table.checks = {
      Check("missing", {}, "ho_ten"),
      Check("missing", {}, "dia_chi"),
      Check("missing", {}, "so_dien_thoai"),
      Check("pattern", {{"regex", "^0[35789][0-9]{8}$"}}, "so_dien_thoai"),
      Check("allowed", {{"values", {"Nam", "N\u1EEF"}}}, "gioi_tinh"),
      Check("range", {{"min", "today-120y"}, {"max", "today"}}, "ngay_sinh"),
      Check("stale", {{"older_than", "730d"}}, "ngay_cap_nhat"),
  };
  SourcePlan plan;
  plan.source.id = "bench";
  plan.source.db_path = path;
  plan.source.tables = {table};
  plan.today_day = kToday;
  plan.now_unix = kToday * kSecondsPerDay;
  const SourceResult r = ScanSource(plan, [](const CheckResult&) {});
  std::vector<int64_t> out;
  for (const CheckResult& c : r.results) out.push_back(c.violations);
  return out;
}

}  // namespace
}  // namespace dqa

int main(int argc, char** argv) {
  using namespace dqa;
  const int64_t rows = argc > 1 ? std::stoll(argv[1]) : 1000000;
  const int repeats = argc > 2 ? std::stoi(argv[2]) : 3;
  const std::string only = argc > 3 ? argv[3] : "";
  const std::string path =
      (std::filesystem::temp_directory_path() / fmt::format("dqa_bench_{}.db", ::getpid()))
          .string();
  auto start = Clock::now();
  CreateTable(path, rows);
  fmt::print("created {} rows in {:.0f} ms ({} MB)\n", rows, Millis(start),
             std::filesystem::file_size(path) / (1024 * 1024));

  const std::string builtins = R"sql(
    SELECT sum(ho_ten IS NULL OR trim(ho_ten) = ''), sum(dia_chi IS NULL OR trim(dia_chi) = ''),
      sum(so_dien_thoai IS NULL OR trim(so_dien_thoai) = ''),
      sum(so_dien_thoai IS NOT NULL AND NOT (so_dien_thoai GLOB '0[35789][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]')),
      sum(gioi_tinh IS NOT NULL AND gioi_tinh NOT IN ('Nam', 'Nữ')),
      sum(ngay_sinh IS NOT NULL AND (date(ngay_sinh) IS NULL OR date(ngay_sinh) < '1906-11-01'
          OR date(ngay_sinh) > '2026-11-01')),
      sum(ngay_cap_nhat IS NOT NULL AND (julianday(ngay_cap_nhat) IS NULL
          OR julianday(ngay_cap_nhat) < julianday('2024-11-01')))
    FROM cong_dan)sql";
  const std::string registered = R"sql(
    SELECT sum(dq_missing(ho_ten)), sum(dq_missing(dia_chi)), sum(dq_missing(so_dien_thoai)),
      sum(dq_pattern(so_dien_thoai)), sum(dq_allowed(gioi_tinh)), sum(dq_range(ngay_sinh)),
      sum(dq_stale(ngay_cap_nhat))
    FROM cong_dan)sql";
  Functions functions;
  functions.min_day = DayOf(ShiftBy(kToday * kSecondsPerDay, {120, Duration::Unit::kYears}, -1));
  functions.max_day = kToday;
  functions.stale_cutoff = ShiftBy(kToday * kSecondsPerDay, {730, Duration::Unit::kDays}, -1);

  struct Strategy {
    const char* name;
    std::function<std::vector<int64_t>()> run;
    double best_ms = 1e300;
    std::vector<int64_t> counts;
  };
  std::vector<Strategy> strategies = {
      {"(a1) aggregate SQL, built-ins (approximate)",
       [&] { return RunAggregate(path, builtins, nullptr); }},
      {"(a2) aggregate SQL, registered C++ functions",
       [&] { return RunAggregate(path, registered, &functions); }},
      {"(b)  streamed SELECT + C++ evaluators (ScanSource)", [&] { return RunEngine(path); }},
  };
  for (int i = 0; i < repeats; ++i) {
    for (Strategy& s : strategies) {
      if (!only.empty() && std::string_view(s.name).substr(1, only.size()) != only) continue;
      start = Clock::now();
      s.counts = s.run();
      s.best_ms = std::min(s.best_ms, Millis(start));
    }
  }
  for (const Strategy& s : strategies) {
    if (s.counts.empty()) continue;
    fmt::print("{:<52} best of {}: {:8.0f} ms  violations [{}]\n", s.name, repeats, s.best_ms,
               fmt::join(s.counts, ", "));
  }
  std::filesystem::remove(path);
  return 0;
}
