// services.db `ho_so`: dossiers of the provincial one-stop public service centre (Trung tâm Phục vụ
// hành chính công) for the last twelve months. Dates are ISO text ("YYYY-MM-DD HH:MM:SS") except
// ngay_cap_nhat, which the centre's system stores as INTEGER Unix seconds.
#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "scripts/datagen/db_writer.h"
#include "scripts/datagen/defect_plan.h"
#include "scripts/datagen/formats.h"
#include "scripts/datagen/generators.h"
#include "scripts/datagen/table.h"

namespace dqa::datagen {
namespace {

enum Col : size_t { kId, kCode, kField, kReceived, kDue, kReturned, kStatus, kChannel, kDigital, kMaXa, kUpdated };
enum Tag : uint16_t {
  kClean = 0,
  kNewest,            // row 0: received yesterday, keeps the table fresh
  kDupOriginal,
  kDupExtra,          // the same ma_ho_so entered twice
  kReturnedBefore,    // ngay_tra_kq before ngay_tiep_nhan
  kDoneNoDate,        // 'da_tra' without ngay_tra_kq
  kStale,             // 'dang_xu_ly' untouched for more than 90 days
  kUpdatedReal,       // ngay_cap_nhat stored as REAL: unparseable
  kUpdatedText,       // ngay_cap_nhat "không rõ"
  kUpdatedIsoText,    // ngay_cap_nhat stored as ISO text: parseable, recent
  kDigitalBad,        // ket_qua_dien_tu outside [0, 1]
  kMaXaUnknown,
  kMaXaBlank,         // '': missing and not a commune
  kFieldNull,
  kFieldBlank,        // U+00A0 only
};

struct Field {
  const char* name;
  int64_t quota_days;
};

const std::vector<Field> kFields = {
    {"Hộ tịch", 3},        {"Đất đai", 15},  {"Xây dựng", 12},         {"Đăng ký kinh doanh", 3},
    {"Chứng thực", 1},     {"Tư pháp", 5},   {"Lao động - Thương binh và Xã hội", 7},
    {"Giao thông vận tải", 5}, {"Y tế", 10}, {"Giáo dục và Đào tạo", 5}, {"Tài nguyên và Môi trường", 10},
};
const std::vector<int64_t> kFieldWeights = {30, 14, 8, 8, 12, 5, 6, 7, 3, 3, 4};

}  // namespace

Status GenerateServices(const GenContext& ctx, const CatalogInfo& catalog, GroundTruth& truth) {
  Rng rng = SourceRng(ctx.seed, 4);
  Table t{"ho_so",
          {{"id", "INTEGER PRIMARY KEY"}, {"ma_ho_so", "TEXT"}, {"linh_vuc", "TEXT"}, {"ngay_tiep_nhan", "TEXT"},
           {"ngay_hen_tra", "TEXT"}, {"ngay_tra_kq", "TEXT"}, {"trang_thai", "TEXT"}, {"kenh", "TEXT"},
           {"ket_qua_dien_tu", "INTEGER"}, {"ma_xa", "TEXT"}, {"ngay_cap_nhat", "INTEGER"}},
          {},
          {}};
  const int64_t n = std::max<int64_t>(1200, std::llround(450'000 * ctx.scale));
  std::vector<int64_t> received_at(static_cast<size_t>(n));
  std::vector<int64_t> quota(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    const int64_t day = i == 0 ? ctx.today - 1 : ctx.today - rng.Uniform(1, 365);
    received_at[static_cast<size_t>(i)] = day * kSecondsPerDay + rng.Uniform(7 * 3600 + 1800, 16 * 3600 + 1800);
    quota[static_cast<size_t>(i)] = 0;
  }
  // ma_ho_so numbers are per reception day, so they follow reception order within a day.
  std::map<int64_t, int64_t> per_day;
  for (int64_t i = 0; i < n; ++i) {
    const auto u = static_cast<size_t>(i);
    const int64_t received = received_at[u];
    const Field& f = kFields[rng.Weighted(kFieldWeights)];
    quota[u] = f.quota_days;
    const int64_t due = (DayOf(received) + f.quota_days) * kSecondsPerDay + 16 * 3600;
    const bool late = rng.Chance(0.15);
    const int64_t days = late ? f.quota_days + rng.Uniform(1, 10) : rng.Uniform(0, f.quota_days);
    const int64_t returned = received + days * kSecondsPerDay + rng.Uniform(3600, 8 * 3600);
    Cell returned_cell = kNull;
    std::string status;
    int64_t updated = 0;
    if (returned < ctx.now) {
      status = rng.Chance(0.02) ? "tra_lai" : "da_tra";
      returned_cell = IsoDateTime(returned);
      updated = returned;
    } else {
      status = due < ctx.now ? "qua_han" : "dang_xu_ly";
      updated = received + rng.Uniform(0, ctx.now - 1 - received);
    }
    const int64_t ch = rng.Uniform(0, 99);
    const std::string channel = ch < 45 ? "truc_tuyen" : ch < 95 ? "truc_tiep" : "buu_chinh";
    const int64_t digital = rng.Chance(channel == "truc_tuyen" ? 0.8 : 0.2) ? 1 : 0;
    const CivilDate c = CivilFromDays(DayOf(received));
    const std::string code = fmt::format("H58.22-{:02d}{:02d}{:02d}-{:04d}", c.year % 100, c.month, c.day,
                                         ++per_day[DayOf(received)]);
    const std::string ma_xa = rng.Pick(catalog.active_codes);
    t.AddRow({i + 1, code, std::string(f.name), IsoDateTime(received), IsoDateTime(due), returned_cell, status,
              channel, digital, ma_xa, updated});
  }

  DefectPlan plan(t.rows.size(), rng);
  plan.Protect(0, kNewest);
  auto is_done = [&](size_t r) { return TextOf(t.rows[r][kStatus]) == "da_tra"; };
  const auto dups = plan.Take(kDupOriginal, ctx.Defects(0.001, n, 1));
  const auto before = plan.TakeIf(kReturnedBefore, ctx.Defects(0.003, n, 2), is_done);
  const auto no_date = plan.TakeIf(kDoneNoDate, ctx.Defects(0.002, n, 1), is_done);
  const auto stale = plan.Take(kStale, ctx.Defects(0.005, n, 2));
  const auto upd_real = plan.Take(kUpdatedReal, 1);
  const auto upd_text = plan.Take(kUpdatedText, 1);
  const auto upd_iso = plan.Take(kUpdatedIsoText, 2);
  const auto digital_bad = plan.Take(kDigitalBad, ctx.Defects(0.0005, n, 2));
  const auto maxa_unknown = plan.Take(kMaXaUnknown, ctx.Defects(0.002, n, 3));
  const auto maxa_blank = plan.Take(kMaXaBlank, ctx.Defects(0.003, n, 1));
  const auto field_null = plan.Take(kFieldNull, ctx.Defects(0.005, n, 1));
  const auto field_blank = plan.Take(kFieldBlank, ctx.Defects(0.001, n, 1));

  for (size_t r : before) {
    const int64_t received = received_at[r];
    t.rows[r][kReturned] = IsoDateTime(received - rng.Uniform(kSecondsPerDay, 5 * kSecondsPerDay));
  }
  for (size_t r : no_date) t.rows[r][kReturned] = kNull;
  // Still "in progress" with a reception date and last update long ago, or recent with a broken
  // update time.
  auto make_in_progress = [&](size_t r, int64_t received) {
    auto& row = t.rows[r];
    row[kReceived] = IsoDateTime(received);
    row[kDue] = IsoDateTime((DayOf(received) + quota[r]) * kSecondsPerDay + 16 * 3600);
    row[kReturned] = kNull;
    row[kStatus] = std::string("dang_xu_ly");
  };
  for (size_t r : stale) {
    const int64_t received = (ctx.today - rng.Uniform(100, 300)) * kSecondsPerDay + 9 * 3600;
    make_in_progress(r, received);
    t.rows[r][kUpdated] = received + rng.Uniform(0, 5 * kSecondsPerDay);
    t.rows[r][kStatus] = std::string("dang_xu_ly");
  }
  for (const auto* rows : {&upd_real, &upd_text, &upd_iso}) {
    for (size_t r : *rows) {
      const int64_t received = (ctx.today - rng.Uniform(2, 10)) * kSecondsPerDay + 9 * 3600;
      make_in_progress(r, received);
      const int64_t updated = received + 3600;
      if (rows == &upd_real) t.rows[r][kUpdated] = static_cast<double>(updated) + 0.5;
      if (rows == &upd_text) t.rows[r][kUpdated] = std::string("không rõ");
      if (rows == &upd_iso) t.rows[r][kUpdated] = IsoDateTime(updated);
    }
  }
  for (size_t k = 0; k < digital_bad.size(); ++k) t.rows[digital_bad[k]][kDigital] = int64_t{k % 2 ? -1 : 2};
  for (size_t k = 0; k < maxa_unknown.size(); ++k) {
    static const std::vector<std::string> kBad = {"99999", "28999", "Phường 1"};
    t.rows[maxa_unknown[k]][kMaXa] = kBad[k % kBad.size()];
  }
  for (size_t r : maxa_blank) t.rows[r][kMaXa] = std::string();
  for (size_t r : field_null) t.rows[r][kField] = kNull;
  for (size_t r : field_blank) t.rows[r][kField] = std::string("\u00A0");
  t.tags = plan.tags();
  for (size_t r : dups) {
    auto copy = t.rows[r];
    copy[kId] = static_cast<int64_t>(t.rows.size() + 1);
    t.AddRow(std::move(copy), kDupExtra);
  }

  // ---- bao_cao_tiep_nhan: the centre's own year-to-date totals of dossiers received per commune ----
  // Built from the dossiers of each commune of the catalogue, then misreported on purpose (its own
  // random stream, so ho_so does not change): a few totals a little off (within the reconcile
  // check's tolerance of 2), some far off, some communes left out. Blank and unknown ma_xa of
  // ho_so are never reported. The reconcile check ho_so_khop_bao_cao finds the groups that differ
  // by more than 2.
  std::map<std::string, double> received;
  for (const auto& row : t.rows) received[IsNull(row[kMaXa]) ? "NULL" : TextOf(row[kMaXa])] += 1;
  Table report{"bao_cao_tiep_nhan", {{"id", "INTEGER PRIMARY KEY"}, {"ma_xa", "TEXT"}, {"so_ho_so", "INTEGER"}}, {}, {}};
  std::map<std::string, double> reported;
  {
    Rng report_rng = SourceRng(ctx.seed, 14);
    for (const std::string& code : catalog.all_codes) {
      const auto it = received.find(code);
      if (it == received.end()) continue;
      auto total = static_cast<int64_t>(it->second);
      const int64_t x = report_rng.Uniform(0, 99);
      if (x < 3) continue;  // left out of the report
      if (x < 13) total += report_rng.Chance(0.5) ? report_rng.Uniform(1, 2) : -report_rng.Uniform(1, 2);
      if (x >= 13 && x < 20) total += report_rng.Uniform(3, 40);
      total = std::max<int64_t>(total, 0);
      report.AddRow({static_cast<int64_t>(report.rows.size() + 1), code, total});
      reported[code] = static_cast<double>(total);
    }
  }

  DQA_RETURN_IF_ERROR(WriteDatabase(ctx.out_dir + "/services.db", {&t, &report}));

  // ---- Ground truth ----
  const int64_t rows = static_cast<int64_t>(t.rows.size());
  int64_t updated_nonnull = 0, stale_scope = 0;
  for (const auto& row : t.rows) {
    updated_nonnull += !IsNull(row[kUpdated]);
    stale_scope += !IsNull(row[kUpdated]) && TextOf(row[kStatus]) == "dang_xu_ly";
  }
  auto sz = [](const std::vector<size_t>& v) { return static_cast<int64_t>(v.size()); };
  const int64_t unparseable = sz(upd_real) + sz(upd_text);
  SourceTruth& src = truth.source("services");
  src.table_rows["ho_so"] = rows;
  src.table_rows["bao_cao_tiep_nhan"] = static_cast<int64_t>(report.rows.size());
  auto add = [&](CheckTruth c) { return truth.Add("services", std::move(c)); };
  DQA_RETURN_IF_ERROR(add({.id = "row_count:ho_so", .type = "row_count", .violations = rows < 1000,
                           .rows_checked = rows, .value = static_cast<double>(rows), .policy = AnyViolation()}));
  DQA_RETURN_IF_ERROR(add({.id = "duplicate:ho_so.ma_ho_so", .type = "duplicate", .violations = sz(dups),
                           .rows_checked = rows, .groups = sz(dups), .policy = AnyViolation()}));
  DQA_RETURN_IF_ERROR(add({.id = "missing:ho_so.linh_vuc", .type = "missing",
                           .violations = sz(field_null) + sz(field_blank), .rows_checked = rows,
                           .policy = FailAbovePercent(2)}));
  DQA_RETURN_IF_ERROR(add({.id = "missing:ho_so.ma_xa", .type = "missing", .violations = sz(maxa_blank),
                           .rows_checked = rows, .policy = FailAbovePercent(2)}));
  DQA_RETURN_IF_ERROR(add({.id = "allowed:ho_so.kenh", .type = "allowed", .violations = 0, .rows_checked = rows,
                           .policy = AnyViolation()}));
  DQA_RETURN_IF_ERROR(add({.id = "allowed:ho_so.trang_thai", .type = "allowed", .violations = 0,
                           .rows_checked = rows, .policy = AnyViolation()}));
  DQA_RETURN_IF_ERROR(add({.id = "tra_truoc_nhan", .type = "condition", .violations = sz(before),
                           .rows_checked = rows, .policy = AnyViolation(Severity::kCritical)}));
  DQA_RETURN_IF_ERROR(add({.id = "ho_so_treo", .type = "stale", .violations = sz(stale) + unparseable,
                           .rows_checked = stale_scope, .unparseable = unparseable,
                           .policy = WarnFailPercent(5, 50)}));
  DQA_RETURN_IF_ERROR(add({.id = "freshness:ho_so.ngay_cap_nhat", .type = "freshness", .violations = 0,
                           .rows_checked = updated_nonnull, .unparseable = unparseable, .policy = AnyViolation()}));
  DQA_RETURN_IF_ERROR(add({.id = "range:ho_so.ket_qua_dien_tu", .type = "range", .violations = sz(digital_bad),
                           .rows_checked = rows, .unparseable = 0, .policy = FailAbovePercent(1)}));
  DQA_RETURN_IF_ERROR(add({.id = "reference:ho_so.ma_xa", .type = "reference",
                           .violations = sz(maxa_unknown) + sz(maxa_blank), .rows_checked = rows,
                           .policy = FailAbovePercent(1)}));
  DQA_RETURN_IF_ERROR(add({.id = "da_tra_khong_co_ngay_tra", .type = "sql", .violations = sz(no_date) > 0,
                           .rows_checked = 1, .value = static_cast<double>(sz(no_date)),
                           .policy = AnyViolation(Severity::kWarn)}));

  // Plugin checks (plugins/public_services; explicit ids in rules/demo/services.yaml). The defect
  // classes above are what they find; the timing of clean rows (overdue, late, stuck) follows from
  // the times this generator drew, read back from the cells it wrote.
  auto time_of = [](const Cell& c) -> std::optional<int64_t> {
    if (const auto* i = std::get_if<int64_t>(&c)) return *i;
    if (const auto* d = std::get_if<double>(&c)) return static_cast<int64_t>(*d);
    if (const auto* text = std::get_if<std::string>(&c)) return ParseDateText(*text, DateFormat::kIso);
    return std::nullopt;
  };
  int64_t done = 0, with_return = 0, pending = 0, overdue = 0, pending_dated = 0, stuck = 0, late = 0, online = 0;
  int64_t electronic = 0;
  for (const auto& row : t.rows) {
    const std::string& status = TextOf(row[kStatus]);
    done += status == "da_tra";
    online += TextOf(row[kChannel]) == "truc_tuyen";
    const int64_t due = *time_of(row[kDue]);
    if (!IsNull(row[kReturned])) {
      const int64_t returned = *time_of(row[kReturned]);
      ++with_return;
      late += DayOf(returned) > DayOf(due);
      electronic += std::get<int64_t>(row[kDigital]) == 1;
      continue;
    }
    if (status == "da_tra" || status == "tra_lai") continue;
    ++pending;
    overdue += DayOf(due) < ctx.today;
    if (const auto updated = time_of(row[kUpdated])) {
      ++pending_dated;
      stuck += *updated < ctx.now - 30 * kSecondsPerDay;
    }
  }
  auto percent = [](int64_t part, int64_t whole) {
    return whole == 0 ? 0.0 : 100.0 * static_cast<double>(part) / static_cast<double>(whole);
  };
  DQA_RETURN_IF_ERROR(add({.id = "da_tra_thieu_ngay_tra", .type = "public_services.returned_without_date",
                           .violations = sz(no_date), .rows_checked = done, .policy = AnyViolation(Severity::kWarn)}));
  DQA_RETURN_IF_ERROR(add({.id = "tra_truoc_khi_nhan", .type = "public_services.returned_before_received",
                           .violations = sz(before), .rows_checked = with_return,
                           .policy = AnyViolation(Severity::kCritical)}));
  DQA_RETURN_IF_ERROR(add({.id = "qua_han_chua_tra", .type = "public_services.overdue_pending", .violations = overdue,
                           .rows_checked = pending, .policy = AnyViolation(Severity::kWarn)}));
  DQA_RETURN_IF_ERROR(add({.id = "cho_xu_ly_khong_cap_nhat", .type = "public_services.stale_pending",
                           .violations = stuck, .rows_checked = pending_dated, .policy = AnyViolation(Severity::kWarn)}));
  DQA_RETURN_IF_ERROR(add({.id = "chi_so_phuc_vu", .type = "public_services.service_indicators", .violations = late,
                           .rows_checked = with_return, .policy = WarnFailPercent(10, 30),
                           .metrics = {{"on_time_rate_percent", percent(with_return - late, with_return)},
                                       {"online_rate_percent", percent(online, rows)},
                                       {"electronic_result_rate_percent", percent(electronic, with_return)}},
                           .indicators = {ShareIndicator("on_time", "Hồ sơ trả đúng hạn", with_return - late,
                                                         with_return, 95),
                                          ShareIndicator("online", "Hồ sơ nộp trực tuyến", online, rows, 30),
                                          ShareIndicator("electronic_result", "Kết quả trả bản điện tử",
                                                         electronic, with_return, 50)}}));
  // Built-in indicators (rules/demo/services.yaml): returned on time by calendar day, results
  // delivered electronically, both among the dossiers with a return date.
  DQA_RETURN_IF_ERROR(add({.id = "ho_so_tra_dung_han", .type = "indicator", .violations = late,
                           .rows_checked = with_return, .value = percent(with_return - late, with_return),
                           .indicators = {ShareIndicator("ho_so_tra_dung_han", "Hồ sơ trả đúng hạn",
                                                         with_return - late, with_return, 95, 5)}}));
  DQA_RETURN_IF_ERROR(add({.id = "ket_qua_truc_tuyen", .type = "indicator", .violations = with_return - electronic,
                           .rows_checked = with_return, .value = percent(electronic, with_return),
                           .indicators = {ShareIndicator("ket_qua_truc_tuyen", "Kết quả trả bản điện tử",
                                                         electronic, with_return, 50)}}));
  DQA_RETURN_IF_ERROR(add(ReconcileCheckTruth("ho_so_khop_bao_cao", Reconcile(received, reported, 2, std::nullopt),
                                              WarnFailPercent(5, 20))));
  return Status::Ok();
}

}  // namespace dqa::datagen
