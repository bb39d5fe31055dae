// civil.db: civil registration of the justice department (Sở Tư pháp). Its legacy system writes
// dates as DD/MM/YYYY text (`date_format: dmy`), zero-padded or not.
//   khai_tu   death registrations; one per deceased citizen of population.db, plus deaths of
//             people whose papers were not found (so_cccd NULL).
//   khai_sinh birth registrations of the last two years.
// Registrations reach the province late: the newest death registration is at least 45 days old,
// so the freshness check fails by design.
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

enum DeathCol : size_t { kDId, kDSoDangKy, kDCccd, kDName, kDGender, kDBirth, kDDeath, kDRegistered, kDPlace };
enum DeathTag : uint16_t {
  kDClean = 0,
  kDUnidentified,  // so_cccd NULL
  kDDeathBadDay,   // "31/02/2025": no such date
  kDDeathText,     // "không rõ"
  kDDeathIso,      // "2025-03-12": ISO in a dmy column is unparseable
  kDDeathFuture,   // year typed wrong: after today
  kDDeathTooOld,   // before 2000-01-01, the lower bound
  kDDeathNull,
  kDPlaceUnknown,  // noi_dang_ky not in dm_xa
  // Found by the civil_registration and population plugins (docs/sector-plugins.md):
  kDNotPropagated,        // role: death of a citizen still 'song' in population.db, kept clean
  kDRegisteredBefore,     // ngay_dang_ky before ngay_mat
  kDLate,                 // registered more than 15 days after the death
  kDIdentityPlaceholder,  // so_cccd "không có" / "0": no identity number, but not blank
};

enum BirthCol : size_t { kBId, kBSoDangKy, kBName, kBGender, kBBirth, kBMother, kBFather, kBRegistered, kBPlace };
enum BirthTag : uint16_t {
  kBClean = 0, kBDupOriginal, kBDupExtra, kBFatherNull, kBFatherBlank, kBGenderNfd,
  kBRegisteredBefore,  // ngay_dang_ky before ngay_sinh
  kBLate,              // registered more than 60 days after the birth
};

constexpr const char* kNuNfd = "Nu\xCC\x9B\xCC\x83";

// Registration numbers "<n>/<year>", counted per commune and year as the commune's book does.
class RegisterBook {
 public:
  std::string Next(const std::string& commune, int64_t day) {
    const int64_t year = YearOf(day);
    return fmt::format("{}/{}", ++counters_[{commune, year}], year);
  }

 private:
  std::map<std::pair<std::string, int64_t>, int64_t> counters_;
};

std::string GenderText(Gender g) { return g == Gender::kMale ? "Nam" : "Nữ"; }

bool IsOneOf(uint16_t tag, std::initializer_list<uint16_t> tags) {
  return std::find(tags.begin(), tags.end(), tag) != tags.end();
}

}  // namespace

Status GenerateCivil(const GenContext& ctx, const CatalogInfo& catalog, const PopulationInfo& population,
                     GroundTruth& truth, CivilInfo& info) {
  Rng rng = SourceRng(ctx.seed, 2);
  auto dmy = [&](int64_t day) { return Dmy(day, !rng.Chance(0.2)); };

  // ---- khai_tu ----
  Table deaths{"khai_tu",
               {{"id", "INTEGER PRIMARY KEY"}, {"so_dang_ky", "TEXT"}, {"so_cccd", "TEXT"},
                {"ho_ten", "TEXT"}, {"gioi_tinh", "TEXT"}, {"ngay_sinh", "TEXT"}, {"ngay_mat", "TEXT"},
                {"ngay_dang_ky", "TEXT"}, {"noi_dang_ky", "TEXT"}},
               {},
               {}};
  RegisterBook death_book;
  std::vector<int64_t> death_days;                // clean death day of each row
  std::vector<const CitizenRef*> death_person;    // nullptr: unidentified
  auto add_death = [&](const std::string* cccd, const std::string& name, Gender gender, int64_t birth,
                       const std::string& place, uint16_t tag) {
    // Deceased citizens are at least a year old (population_gen.cc), so first < today - 60.
    const int64_t first = std::min(std::max(ctx.today - 3 * 365, birth + 1), ctx.today - 61);
    const int64_t death = rng.Uniform(first, ctx.today - 60);
    const int64_t registered = death + rng.Uniform(0, 15);
    death_days.push_back(death);
    deaths.AddRow({static_cast<int64_t>(deaths.rows.size() + 1), death_book.Next(place, registered),
                   cccd ? Cell(*cccd) : kNull, name, GenderText(gender), dmy(birth), dmy(death),
                   dmy(registered), place},
                  tag);
  };
  for (const CitizenRef& c : population.deceased) {
    add_death(&c.so_cccd, c.ho_ten, c.gender, c.birth_day, c.ma_xa, kDClean);
    death_person.push_back(&c);
  }
  const int64_t linked = static_cast<int64_t>(deaths.rows.size());
  for (const CitizenRef& c : population.unpropagated_deaths) {
    add_death(&c.so_cccd, c.ho_ten, c.gender, c.birth_day, c.ma_xa, kDNotPropagated);
    death_person.push_back(&c);
  }
  const size_t identified = deaths.rows.size();
  const int64_t unidentified = ctx.Defects(0.03, linked, 2);
  for (int64_t i = 0; i < unidentified; ++i) {
    const Gender gender = rng.Chance(0.6) ? Gender::kMale : Gender::kFemale;
    const std::string name = RandomFullName(rng, gender);
    const int64_t birth = ctx.today - rng.Uniform(40 * 365, 90 * 365);
    const std::string place = rng.Pick(catalog.active_codes);
    add_death(nullptr, name, gender, birth, place, kDUnidentified);
    death_person.push_back(nullptr);
  }
  const int64_t nd = static_cast<int64_t>(deaths.rows.size());
  DefectPlan dplan(deaths.rows.size(), rng);
  for (size_t r = static_cast<size_t>(linked); r < identified; ++r) dplan.Protect(r, kDNotPropagated);
  for (size_t r = identified; r < deaths.rows.size(); ++r) dplan.Protect(r, kDUnidentified);
  std::map<uint16_t, int64_t> dcount;
  for (auto [tag, rate] : std::vector<std::pair<uint16_t, double>>{{kDDeathBadDay, 0.002}, {kDDeathText, 0.002},
                                                                  {kDDeathIso, 0.002}, {kDDeathFuture, 0.002},
                                                                  {kDDeathTooOld, 0.001}, {kDDeathNull, 0.002},
                                                                  {kDPlaceUnknown, 0.003}}) {
    const auto rows = dplan.Take(tag, ctx.Defects(rate, nd, 1));
    dcount[tag] = static_cast<int64_t>(rows.size());
    for (size_t k = 0; k < rows.size(); ++k) {
      auto& row = deaths.rows[rows[k]];
      switch (tag) {
        case kDDeathBadDay: row[kDDeath] = std::string(k % 2 ? "31/02/2025" : "30/2/2024"); break;
        case kDDeathText: row[kDDeath] = std::string("không rõ"); break;
        case kDDeathIso: row[kDDeath] = IsoDate(ctx.today - rng.Uniform(60, 700)); break;
        case kDDeathFuture: row[kDDeath] = Dmy(ctx.today + rng.Uniform(30 * 365, 40 * 365)); break;
        case kDDeathTooOld: row[kDDeath] = Dmy(*DaysFromCivil(1985, 1, 1) + rng.Uniform(0, 14 * 365)); break;
        case kDDeathNull: row[kDDeath] = kNull; break;
        case kDPlaceUnknown: row[kDPlace] = std::string(k % 2 ? "28999" : "99999"); break;
        default: break;
      }
    }
  }
  const auto registered_before = dplan.Take(kDRegisteredBefore, ctx.Defects(0.003, nd, 1));
  for (size_t r : registered_before) deaths.rows[r][kDRegistered] = dmy(death_days[r] - rng.Uniform(1, 30));
  // Late but still at least 45 days ago, so the freshness check's newest registration is unchanged.
  const auto late_deaths = dplan.TakeIf(kDLate, ctx.Defects(0.01, nd, 2),
                                        [&](size_t r) { return death_days[r] <= ctx.today - 62; });
  for (size_t r : late_deaths) {
    const int64_t d = death_days[r];
    deaths.rows[r][kDRegistered] = dmy(rng.Uniform(d + 16, std::min(d + 400, ctx.today - 46)));
  }
  const auto no_identity = dplan.Take(kDIdentityPlaceholder, ctx.Defects(0.003, nd, 1));
  for (size_t k = 0; k < no_identity.size(); ++k) {
    deaths.rows[no_identity[k]][kDCccd] = std::string(k % 2 ? "0" : "không có");
  }
  deaths.tags = dplan.tags();
  for (size_t r = 0; r < deaths.rows.size(); ++r) {
    if (IsOneOf(deaths.tags[r], {kDClean, kDNotPropagated})) info.deaths.push_back({*death_person[r], death_days[r]});
  }

  // ---- khai_sinh ----
  Table births{"khai_sinh",
               {{"id", "INTEGER PRIMARY KEY"}, {"so_dang_ky", "TEXT"}, {"ho_ten", "TEXT"},
                {"gioi_tinh", "TEXT"}, {"ngay_sinh", "TEXT"}, {"ho_ten_me", "TEXT"}, {"ho_ten_cha", "TEXT"},
                {"ngay_dang_ky", "TEXT"}, {"noi_dang_ky", "TEXT"}},
               {},
               {}};
  RegisterBook birth_book;
  const int64_t nb = std::max<int64_t>(40, std::llround(1'400'000 * ctx.scale * 0.028));
  std::vector<Gender> birth_genders;
  std::vector<int64_t> born_days;
  for (int64_t i = 0; i < nb; ++i) {
    const Gender gender = rng.Chance(0.51) ? Gender::kMale : Gender::kFemale;
    const std::string surname = RandomSurname(rng);
    const int64_t born = ctx.today - rng.Uniform(1, 730);
    const int64_t registered = std::min(ctx.today - 1, born + rng.Uniform(0, 30));
    const std::string place = rng.Pick(catalog.active_codes);
    births.AddRow({i + 1, birth_book.Next(place, registered), surname + " " + RandomMiddleAndGiven(rng, gender),
                   GenderText(gender), dmy(born), RandomFullName(rng, Gender::kFemale),
                   surname + " " + RandomMiddleAndGiven(rng, Gender::kMale), dmy(registered), place});
    birth_genders.push_back(gender);
    born_days.push_back(born);
  }
  DefectPlan bplan(births.rows.size(), rng);
  const auto dup_originals = bplan.Take(kBDupOriginal, ctx.Defects(0.005, nb, 1));
  const auto father_null = bplan.Take(kBFatherNull, ctx.Defects(0.04, nb, 1));
  const auto father_blank = bplan.Take(kBFatherBlank, ctx.Defects(0.005, nb, 1));
  for (size_t r : father_null) births.rows[r][kBFather] = kNull;
  for (size_t r : father_blank) births.rows[r][kBFather] = std::string(" ");
  int64_t nfd = 0;
  for (size_t r = 0; r < births.rows.size() && nfd < ctx.Defects(0.01, nb, 1); ++r) {
    if (bplan.tag(r) == kBClean && birth_genders[r] == Gender::kFemale) {
      bplan.Protect(r, kBGenderNfd);
      births.rows[r][kBGender] = std::string(kNuNfd);
      ++nfd;
    }
  }
  const auto births_before = bplan.Take(kBRegisteredBefore, ctx.Defects(0.005, nb, 1));
  for (size_t r : births_before) births.rows[r][kBRegistered] = dmy(born_days[r] - rng.Uniform(1, 30));
  const auto births_late =
      bplan.TakeIf(kBLate, ctx.Defects(0.01, nb, 2), [&](size_t r) { return born_days[r] <= ctx.today - 62; });
  for (size_t r : births_late) {
    const int64_t b = born_days[r];
    births.rows[r][kBRegistered] = dmy(rng.Uniform(b + 61, std::min(b + 400, ctx.today - 1)));
  }
  births.tags = bplan.tags();
  // A registration entered twice: same book number and commune, re-typed a few days later.
  for (size_t r : dup_originals) {
    auto copy = births.rows[r];
    copy[kBId] = static_cast<int64_t>(births.rows.size() + 1);
    births.AddRow(std::move(copy), kBDupExtra);
  }

  DQA_RETURN_IF_ERROR(WriteDatabase(ctx.out_dir + "/civil.db", {&deaths, &births}));

  // ---- Ground truth ----
  const int64_t nb_all = static_cast<int64_t>(births.rows.size());
  SourceTruth& src = truth.source("civil");
  src.table_rows["khai_tu"] = nd;
  src.table_rows["khai_sinh"] = nb_all;
  auto add = [&](CheckTruth c) { return truth.Add("civil", std::move(c)); };
  // rules/demo/civil.yaml's contract of khai_tu: 5 columns named, 4 others allowed (9 in all).
  DQA_RETURN_IF_ERROR(add({.id = "schema:khai_tu", .type = "schema", .violations = 0,
                           .rows_checked = 9, .policy = AnyViolation()}));
  DQA_RETURN_IF_ERROR(add({.id = "row_count:khai_tu", .type = "row_count", .violations = nd < 1,
                           .rows_checked = nd, .value = static_cast<double>(nd), .policy = AnyViolation()}));
  DQA_RETURN_IF_ERROR(add({.id = "missing:khai_tu.so_cccd", .type = "missing", .violations = unidentified,
                           .rows_checked = nd, .policy = WarnAbovePercent(1)}));
  DQA_RETURN_IF_ERROR(add({.id = "missing:khai_tu.ngay_mat", .type = "missing",
                           .violations = dcount[kDDeathNull], .rows_checked = nd,
                           .policy = WarnAbovePercent(1)}));
  const int64_t death_unparseable = dcount[kDDeathBadDay] + dcount[kDDeathText] + dcount[kDDeathIso];
  DQA_RETURN_IF_ERROR(add({.id = "range:khai_tu.ngay_mat", .type = "range",
                           .violations = death_unparseable + dcount[kDDeathFuture] + dcount[kDDeathTooOld],
                           .rows_checked = nd - dcount[kDDeathNull], .unparseable = death_unparseable,
                           .policy = AnyViolation()}));
  // The file is dated 06:00 of the reference day (main.cc), due by 07:00: one due delivery, on time.
  DQA_RETURN_IF_ERROR(add({.id = "delivery:civil", .type = "delivery", .violations = 0,
                           .rows_checked = 1, .policy = AnyViolation(Severity::kWarn)}));
  DQA_RETURN_IF_ERROR(add({.id = "dang_ky_khai_tu_kip_thoi", .type = "freshness", .violations = 1,
                           .rows_checked = nd, .unparseable = 0, .policy = AnyViolation()}));
  DQA_RETURN_IF_ERROR(add({.id = "reference:khai_tu.noi_dang_ky", .type = "reference",
                           .violations = dcount[kDPlaceUnknown], .rows_checked = nd,
                           .policy = AnyViolation(Severity::kWarn)}));
  DQA_RETURN_IF_ERROR(add({.id = "row_count:khai_sinh", .type = "row_count", .violations = nb_all < 1,
                           .rows_checked = nb_all, .value = static_cast<double>(nb_all),
                           .policy = AnyViolation()}));
  const auto dups = static_cast<int64_t>(dup_originals.size());
  DQA_RETURN_IF_ERROR(add({.id = "duplicate:khai_sinh.so_dang_ky,noi_dang_ky", .type = "duplicate",
                           .violations = dups, .rows_checked = nb_all, .groups = dups, .policy = AnyViolation()}));
  DQA_RETURN_IF_ERROR(add({.id = "missing:khai_sinh.ho_ten_cha", .type = "missing",
                           .violations = static_cast<int64_t>(father_null.size() + father_blank.size()),
                           .rows_checked = nb_all, .policy = WarnAbovePercent(10)}));
  DQA_RETURN_IF_ERROR(add({.id = "allowed:khai_sinh.gioi_tinh", .type = "allowed", .violations = 0,
                           .rows_checked = nb_all, .policy = AnyViolation()}));

  // Plugin checks (plugins/civil_registration; explicit ids in rules/demo/civil.yaml). Rows whose
  // death date is NULL are not observed, unparseable ones are not judged: neither is checked.
  const int64_t deaths_judged = nd - dcount[kDDeathNull] - death_unparseable;
  auto sz = [](const std::vector<size_t>& v) { return static_cast<int64_t>(v.size()); };
  DQA_RETURN_IF_ERROR(add({.id = "khai_tu_dang_ky_truoc_khi_mat", .type = "civil_registration.registered_before_event",
                           .violations = dcount[kDDeathFuture] + sz(registered_before), .rows_checked = deaths_judged,
                           .policy = AnyViolation(), .metrics = {{"unjudged", static_cast<double>(death_unparseable)}}}));
  DQA_RETURN_IF_ERROR(add({.id = "khai_tu_dang_ky_tre_han", .type = "civil_registration.late_registration",
                           .violations = dcount[kDDeathTooOld] + sz(late_deaths), .rows_checked = deaths_judged,
                           .policy = AnyViolation(Severity::kWarn),
                           .metrics = {{"unjudged", static_cast<double>(death_unparseable)}}}));
  DQA_RETURN_IF_ERROR(add({.id = "khai_tu_khong_co_dinh_danh", .type = "civil_registration.death_without_identity",
                           .violations = unidentified + sz(no_identity), .rows_checked = nd,
                           .policy = AnyViolation(Severity::kWarn)}));
  DQA_RETURN_IF_ERROR(add({.id = "khai_sinh_dang_ky_truoc_khi_sinh",
                           .type = "civil_registration.registered_before_event", .violations = sz(births_before),
                           .rows_checked = nb_all, .policy = AnyViolation(), .metrics = {{"unjudged", 0.0}}}));
  DQA_RETURN_IF_ERROR(add({.id = "khai_sinh_dang_ky_tre_han", .type = "civil_registration.late_registration",
                           .violations = sz(births_late), .rows_checked = nb_all,
                           .policy = AnyViolation(Severity::kWarn), .metrics = {{"unjudged", 0.0}}}));

  // population.yaml's reconcile check tu_vong_khop_ho_tich: citizens 'da_mat' per ma_xa against
  // every death registration per noi_dang_ky, within 1 (a registration of the last days may not
  // have reached the population register yet). They disagree where a registration has no citizen
  // marked dead (death not propagated, unidentified people, a mistyped commune) or a dead
  // citizen's row is defective and got no registration here.
  std::map<std::string, double> dead, registered;
  for (const PopulationInfo::Row& row : population.rows) {
    if (row.trang_thai == "da_mat") dead[row.ma_xa.value_or("NULL")] += 1;
  }
  for (const auto& row : deaths.rows) registered[IsNull(row[kDPlace]) ? "NULL" : TextOf(row[kDPlace])] += 1;
  DQA_RETURN_IF_ERROR(truth.Add("population", ReconcileCheckTruth("tu_vong_khop_ho_tich",
                                                                  Reconcile(dead, registered, 1, std::nullopt),
                                                                  WarnFailPercent(5, 25))));
  return Status::Ok();
}

}  // namespace dqa::datagen
