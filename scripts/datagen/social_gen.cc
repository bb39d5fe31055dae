// social.db: social-protection beneficiaries of the labour and social affairs department
// (Sở Lao động - Thương binh và Xã hội).
//   doi_tuong  beneficiaries (living citizens of population.db), muc_huong in dong
//   tai_khoan  bank accounts that allowances are paid into
//   chi_tra    monthly payments (ky_chi 'YYYY-MM') of the last twelve periods
#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <unordered_set>

#include <fmt/format.h>

#include "scripts/datagen/db_writer.h"
#include "scripts/datagen/defect_plan.h"
#include "scripts/datagen/formats.h"
#include "scripts/datagen/generators.h"
#include "scripts/datagen/table.h"

namespace dqa::datagen {
namespace {

enum DtCol : size_t { kDtId, kDtCccd, kDtName, kDtBirth, kDtGender, kDtType, kDtMaXa, kDtSince, kDtAmount,
                      kDtAccount, kDtStatus };
enum DtTag : uint16_t {
  kDtClean = 0,
  kDtDupOriginal,     // paid twice under the same allowance: an appended copy
  kDtDupExtra,
  kDtSecondOriginal,  // legitimately receives a second, different allowance
  kDtSecondExtra,
  kDtCccdNull,
  kDtTypeBad,         // loai_tro_cap written as a label or abbreviation
  kDtAmountZero,
  kDtAmountText,      // "1,2 triệu": not a number
  kDtAmountHuge,      // extra zeros typed
  kDtAccountTypo,     // account number not in tai_khoan
  kDtDeadBeneficiary, // role: died (registered in civil.db) but still paid; kept clean
  kDtTwoCitizens,     // role: enrolled as a citizen and as their re-entered copy; kept clean
};

enum TkCol : size_t { kTkId, kTkNumber, kTkBank, kTkHolder, kTkOwner };
enum TkTag : uint16_t { kTkClean = 0, kTkSharedOriginal, kTkSharedExtra, kTkMalformed };

enum CtCol : size_t { kCtId, kCtOwner, kCtPeriod, kCtAmount, kCtPaidOn, kCtMethod };
enum CtTag : uint16_t { kCtClean = 0, kCtDupOriginal, kCtDupExtra, kCtAmountBad, kCtAmountNull, kCtOrphan };

struct Allowance {
  const char* code;
  int64_t amount;  // dong per month (base 360,000 x coefficient)
};

const Allowance kElderly{"nguoi_cao_tuoi", 540'000};
const Allowance kDisabled{"khuyet_tat", 720'000};
const Allowance kOrphan{"tre_mo_coi", 900'000};
const Allowance kPoor{"ho_ngheo", 360'000};
const Allowance kMerit{"nguoi_co_cong", 2'055'000};

const std::vector<std::string> kBanks = {"Agribank", "Vietcombank", "VietinBank", "BIDV", "Sacombank",
                                         "LienVietPostBank"};

}  // namespace

Status GenerateSocial(const GenContext& ctx, const CatalogInfo& catalog, const PopulationInfo& population,
                      const CivilInfo& civil, GroundTruth& truth) {
  (void)catalog;
  Rng rng = SourceRng(ctx.seed, 3);
  std::unordered_set<std::string> accounts;
  auto new_account = [&] {
    while (true) {
      const int64_t digits = rng.Uniform(10, 14);
      std::string s = fmt::format("{}", rng.Uniform(1, 9));
      for (int64_t i = 1; i < digits; ++i) s += static_cast<char>('0' + rng.Uniform(0, 9));
      if (accounts.insert(s).second) return s;
    }
  };

  // ---- doi_tuong (base rows) ----
  Table dt{"doi_tuong",
           {{"id", "INTEGER PRIMARY KEY"}, {"so_cccd", "TEXT"}, {"ho_ten", "TEXT"}, {"ngay_sinh", "TEXT"},
            {"gioi_tinh", "TEXT"}, {"loai_tro_cap", "TEXT"}, {"ma_xa", "TEXT"}, {"ngay_huong", "TEXT"},
            {"muc_huong", "INTEGER"}, {"so_tai_khoan", "TEXT"}, {"trang_thai", "TEXT"}},
           {},
           {}};
  // One person enrolled twice as two citizens (found by the social_protection plugin's
  // enrolled_as_two_citizens): a living citizen and a re-entered copy of them that population
  // holds under another identity number. Only copies that any sane matcher links are planted, so
  // that the truth is exact: the name differs in case, spacing or Unicode form only, the birth
  // date and commune are the original's and the CCCD differs in one digit.
  std::vector<const ReenteredCitizen*> two_citizens;
  {
    static const std::set<std::string> kSure = {"upper_case", "extra_spaces", "nfd", "cccd_transposition",
                                                "cccd_substitution"};
    std::set<int64_t> originals;
    for (const ReenteredCitizen& rc : population.reentered) {
      bool sure = !rc.copy.so_cccd.empty() && !rc.original.so_cccd.empty() && !rc.original.ma_xa.empty();
      for (const std::string& k : rc.corruptions) sure = sure && kSure.count(k) != 0;
      if (sure && originals.insert(rc.original.id).second) two_citizens.push_back(&rc);
    }
    const auto want = static_cast<size_t>(ctx.Defects(0.0005, static_cast<int64_t>(population.living.size()), 3));
    two_citizens.resize(std::min(two_citizens.size(), want));
  }
  std::set<int64_t> planted_ids;
  for (const ReenteredCitizen* rc : two_citizens) planted_ids.insert(rc->original.id);
  std::vector<size_t> pick;
  for (size_t i = 0; i < population.living.size(); ++i) {
    if (planted_ids.count(population.living[i].id) == 0) pick.push_back(i);
  }
  rng.Shuffle(pick);
  const size_t nb = std::min(pick.size(), static_cast<size_t>(std::max<int64_t>(60, std::llround(55'000 * ctx.scale))));
  pick.resize(nb);
  std::sort(pick.begin(), pick.end());
  std::vector<int64_t> clean_amount;
  // Beneficiaries whose death civil registration recorded but whose payments went on (found by the
  // social_protection plugin's paid_after_death); appended after the living ones.
  std::vector<RegisteredDeath> dead_pool = civil.deaths;
  rng.Shuffle(dead_pool);
  dead_pool.resize(std::min(dead_pool.size(), static_cast<size_t>(ctx.Defects(0.002, static_cast<int64_t>(nb), 2))));
  std::map<int64_t, int64_t> death_of_beneficiary;  // doi_tuong.id -> death day
  const size_t n_dead_end = nb + dead_pool.size();
  for (size_t i = 0; i < n_dead_end + 2 * two_citizens.size(); ++i) {
    const bool dead = i >= nb && i < n_dead_end;
    const bool planted = i >= n_dead_end;
    const ReenteredCitizen* rc = planted ? two_citizens[(i - n_dead_end) / 2] : nullptr;
    const CitizenRef& c = planted ? ((i - n_dead_end) % 2 == 0 ? rc->original : rc->copy)
                          : dead  ? dead_pool[i - nb].person
                                  : population.living[pick[i]];
    const int64_t age = (ctx.today - c.birth_day) / 365;
    const Allowance* a = &kDisabled;
    if (age >= 80 && rng.Chance(0.8)) {
      a = &kElderly;
    } else if (age < 16) {
      a = rng.Chance(0.6) ? &kOrphan : &kDisabled;
    } else {
      const int64_t x = rng.Uniform(0, 99);
      a = x < 50 ? &kDisabled : x < 85 ? &kPoor : &kMerit;
    }
    const int64_t status = dead || planted ? 0 : rng.Uniform(0, 99);
    const int64_t since = dead ? dead_pool[i - nb].death_day - rng.Uniform(400, 3000) : ctx.today - rng.Uniform(30, 10 * 365);
    dt.AddRow({static_cast<int64_t>(i + 1), c.so_cccd, c.ho_ten, IsoDate(c.birth_day),
               std::string(c.gender == Gender::kMale ? "Nam" : "Nữ"), std::string(a->code), c.ma_xa,
               IsoDate(since), a->amount,
               rng.Chance(0.85) ? Cell(new_account()) : kNull,
               std::string(status < 94 ? "dang_huong" : status < 98 ? "tam_dung" : "cat_giam")});
    clean_amount.push_back(a->amount);
    if (dead) death_of_beneficiary[static_cast<int64_t>(i + 1)] = dead_pool[i - nb].death_day;
  }

  // ---- tai_khoan: one row per account of the base beneficiaries ----
  Table tk{"tai_khoan",
           {{"id", "INTEGER PRIMARY KEY"}, {"so_tai_khoan", "TEXT"}, {"ngan_hang", "TEXT"},
            {"chu_tai_khoan", "TEXT"}, {"doi_tuong_id", "INTEGER"}},
           {},
           {}};
  for (const auto& row : dt.rows) {
    if (IsNull(row[kDtAccount])) continue;
    tk.AddRow({static_cast<int64_t>(tk.rows.size() + 1), row[kDtAccount], rng.Pick(kBanks), row[kDtName],
               row[kDtId]});
  }

  DefectPlan dplan(dt.rows.size(), rng);
  for (size_t r = nb; r < n_dead_end; ++r) dplan.Protect(r, kDtDeadBeneficiary);
  for (size_t r = n_dead_end; r < dt.rows.size(); ++r) dplan.Protect(r, kDtTwoCitizens);
  const int64_t n_dt = static_cast<int64_t>(dt.rows.size());
  const auto dt_dups = dplan.Take(kDtDupOriginal, ctx.Defects(0.004, n_dt, 1));
  const auto dt_seconds = dplan.Take(kDtSecondOriginal, ctx.Defects(0.003, n_dt, 1));
  const auto cccd_null = dplan.Take(kDtCccdNull, ctx.Defects(0.02, n_dt, 2));
  const auto type_bad = dplan.Take(kDtTypeBad, ctx.Defects(0.005, n_dt, 1));
  const auto amount_zero = dplan.Take(kDtAmountZero, ctx.Defects(0.005, n_dt, 1));
  const auto amount_text = dplan.Take(kDtAmountText, ctx.Defects(0.002, n_dt, 1));
  const auto amount_huge = dplan.Take(kDtAmountHuge, ctx.Defects(0.002, n_dt, 1));
  const auto account_typo = dplan.Take(kDtAccountTypo, ctx.Defects(0.01, n_dt, 2));
  for (size_t r : cccd_null) dt.rows[r][kDtCccd] = kNull;
  for (size_t k = 0; k < type_bad.size(); ++k) {
    static const std::vector<std::string> kBad = {"NCT", "Người cao tuổi", "khuyet tat"};
    dt.rows[type_bad[k]][kDtType] = kBad[k % kBad.size()];
  }
  for (size_t r : amount_zero) dt.rows[r][kDtAmount] = int64_t{0};
  for (size_t r : amount_text) dt.rows[r][kDtAmount] = std::string("1,2 triệu");
  for (size_t r : amount_huge) dt.rows[r][kDtAmount] = clean_amount[r] * 100;
  for (size_t r : account_typo) dt.rows[r][kDtAccount] = new_account();  // never put in tai_khoan

  // Accounts: one number registered twice (two holders), and numbers typed with separators. A
  // malformed number is copied to its owner so doi_tuong still references it exactly.
  DefectPlan tplan(tk.rows.size(), rng);
  const int64_t n_tk = static_cast<int64_t>(tk.rows.size());
  const auto tk_shared = tplan.Take(kTkSharedOriginal, ctx.Defects(0.005, n_tk, 1));
  const auto tk_bad = tplan.TakeIf(kTkMalformed, ctx.Defects(0.003, n_tk, 1), [&](size_t r) {
    const auto owner = static_cast<size_t>(std::get<int64_t>(tk.rows[r][kTkOwner]) - 1);
    return dplan.tag(owner) == kDtClean;
  });
  for (size_t k = 0; k < tk_bad.size(); ++k) {
    auto& row = tk.rows[tk_bad[k]];
    const std::string clean = TextOf(row[kTkNumber]);
    std::string bad = k % 2 ? "STK " + clean : clean.substr(0, 4) + " " + clean.substr(4, 4) + " " + clean.substr(8);
    row[kTkNumber] = bad;
    dt.rows[static_cast<size_t>(std::get<int64_t>(row[kTkOwner]) - 1)][kDtAccount] = bad;
  }
  tk.tags = tplan.tags();
  for (size_t r : tk_shared) {
    auto copy = tk.rows[r];
    copy[kTkId] = static_cast<int64_t>(tk.rows.size() + 1);
    copy[kTkHolder] = RandomFullName(rng, rng.Chance(0.5) ? Gender::kMale : Gender::kFemale);
    tk.AddRow(std::move(copy), kTkSharedExtra);
  }

  dt.tags = dplan.tags();
  for (size_t r : dt_dups) {
    auto copy = dt.rows[r];
    copy[kDtId] = static_cast<int64_t>(dt.rows.size() + 1);
    copy[kDtSince] = IsoDate(ctx.today - rng.Uniform(30, 365));
    dt.AddRow(std::move(copy), kDtDupExtra);
    clean_amount.push_back(clean_amount[r]);
  }
  for (size_t r : dt_seconds) {
    auto copy = dt.rows[r];
    copy[kDtId] = static_cast<int64_t>(dt.rows.size() + 1);
    const bool merit = TextOf(copy[kDtType]) == kMerit.code;
    copy[kDtType] = std::string(merit ? kDisabled.code : kMerit.code);
    copy[kDtAmount] = merit ? kDisabled.amount : kMerit.amount;
    dt.AddRow(std::move(copy), kDtSecondExtra);
    clean_amount.push_back(merit ? kDisabled.amount : kMerit.amount);
  }

  // ---- chi_tra: the last twelve periods, up to the month of (today - 11 days) ----
  Table ct{"chi_tra",
           {{"id", "INTEGER PRIMARY KEY"}, {"doi_tuong_id", "INTEGER"}, {"ky_chi", "TEXT"}, {"so_tien", "INTEGER"},
            {"ngay_chi", "TEXT"}, {"hinh_thuc", "TEXT"}},
           {},
           {}};
  const CivilDate last = CivilFromDays(ctx.today - 11);
  std::vector<int64_t> period_first_day;  // oldest first
  for (int i = 11; i >= 0; --i) {
    int64_t total = last.year * 12 + (last.month - 1) - i;
    period_first_day.push_back(*DaysFromCivil(total / 12, static_cast<int>(total % 12) + 1, 1));
  }
  for (size_t r = 0; r < dt.rows.size(); ++r) {
    const auto& row = dt.rows[r];
    const int64_t since = *ParseIsoDay(TextOf(row[kDtSince]));
    const CivilDate s = CivilFromDays(since);
    const int64_t since_month_first = *DaysFromCivil(s.year, s.month, 1);
    const std::string& status = TextOf(row[kDtStatus]);
    const size_t stop = status == "dang_huong" ? period_first_day.size() : static_cast<size_t>(rng.Uniform(0, 11));
    const std::string method = IsNull(row[kDtAccount]) ? "tien_mat" : "chuyen_khoan";
    for (size_t p = 0; p < stop; ++p) {
      if (period_first_day[p] < since_month_first) continue;
      const CivilDate c = CivilFromDays(period_first_day[p]);
      ct.AddRow({static_cast<int64_t>(ct.rows.size() + 1), row[kDtId], fmt::format("{:04d}-{:02d}", c.year, c.month),
                 clean_amount[r], IsoDate(period_first_day[p] + rng.Uniform(0, 9)), method});
    }
  }
  const int64_t n_pay = static_cast<int64_t>(ct.rows.size());
  DefectPlan cplan(ct.rows.size(), rng);
  const auto pay_dups = cplan.Take(kCtDupOriginal, ctx.Defects(0.0005, n_pay, 1));
  const auto pay_bad = cplan.Take(kCtAmountBad, ctx.Defects(0.0002, n_pay, 2));
  const auto pay_null = cplan.Take(kCtAmountNull, ctx.Defects(0.0001, n_pay, 1));
  for (size_t k = 0; k < pay_bad.size(); ++k) {
    ct.rows[pay_bad[k]][kCtAmount] = k % 2 ? -std::get<int64_t>(ct.rows[pay_bad[k]][kCtAmount]) : int64_t{0};
  }
  for (size_t r : pay_null) ct.rows[r][kCtAmount] = kNull;
  ct.tags = cplan.tags();
  for (size_t r : pay_dups) {
    auto copy = ct.rows[r];
    copy[kCtId] = static_cast<int64_t>(ct.rows.size() + 1);
    ct.AddRow(std::move(copy), kCtDupExtra);
  }
  const int64_t orphans = ctx.Defects(0.0001, n_pay, 1);
  for (int64_t i = 0; i < orphans; ++i) {
    const size_t p = period_first_day.size() - 1;
    const CivilDate c = CivilFromDays(period_first_day[p]);
    ct.AddRow({static_cast<int64_t>(ct.rows.size() + 1), static_cast<int64_t>(dt.rows.size()) + 1000 + i,
               fmt::format("{:04d}-{:02d}", c.year, c.month), kElderly.amount,
               IsoDate(period_first_day[p] + rng.Uniform(0, 9)), std::string("tien_mat")},
              kCtOrphan);
  }

  DQA_RETURN_IF_ERROR(WriteDatabase(ctx.out_dir + "/social.db", {&dt, &tk, &ct}));

  // ---- Ground truth ----
  const int64_t dt_rows = static_cast<int64_t>(dt.rows.size());
  const int64_t tk_rows = static_cast<int64_t>(tk.rows.size());
  const int64_t ct_rows = static_cast<int64_t>(ct.rows.size());
  int64_t dt_cccd_nonnull = 0, dt_account_nonnull = 0;
  for (const auto& row : dt.rows) {
    dt_cccd_nonnull += !IsNull(row[kDtCccd]);
    dt_account_nonnull += !IsNull(row[kDtAccount]);
  }
  int64_t ct_amount_nonnull = 0;
  for (const auto& row : ct.rows) ct_amount_nonnull += !IsNull(row[kCtAmount]);
  auto sz = [](const std::vector<size_t>& v) { return static_cast<int64_t>(v.size()); };

  SourceTruth& src = truth.source("social");
  src.table_rows["doi_tuong"] = dt_rows;
  src.table_rows["tai_khoan"] = tk_rows;
  src.table_rows["chi_tra"] = ct_rows;
  auto add = [&](CheckTruth c) { return truth.Add("social", std::move(c)); };
  // The file is dated 06:00 of the reference day (main.cc), due by 05:00: one due delivery, late.
  DQA_RETURN_IF_ERROR(add({.id = "delivery:social", .type = "delivery", .violations = 1,
                           .rows_checked = 1, .policy = AnyViolation(Severity::kWarn)}));
  DQA_RETURN_IF_ERROR(add({.id = "row_count:doi_tuong", .type = "row_count", .violations = dt_rows < 50,
                           .rows_checked = dt_rows, .value = static_cast<double>(dt_rows), .policy = AnyViolation()}));
  DQA_RETURN_IF_ERROR(add({.id = "missing:doi_tuong.so_cccd", .type = "missing", .violations = sz(cccd_null),
                           .rows_checked = dt_rows, .policy = FailAbovePercent(1)}));
  DQA_RETURN_IF_ERROR(add({.id = "huong_trung_che_do", .type = "duplicate", .violations = sz(dt_dups),
                           .rows_checked = dt_cccd_nonnull, .groups = sz(dt_dups),
                           .policy = AnyViolation(Severity::kCritical)}));
  DQA_RETURN_IF_ERROR(add({.id = "allowed:doi_tuong.loai_tro_cap", .type = "allowed", .violations = sz(type_bad),
                           .rows_checked = dt_rows, .policy = AnyViolation(Severity::kWarn)}));
  DQA_RETURN_IF_ERROR(add({.id = "range:doi_tuong.muc_huong", .type = "range",
                           .violations = sz(amount_zero) + sz(amount_text) + sz(amount_huge), .rows_checked = dt_rows,
                           .unparseable = sz(amount_text), .policy = AnyViolation()}));
  DQA_RETURN_IF_ERROR(add({.id = "reference:doi_tuong.so_tai_khoan", .type = "reference",
                           .violations = sz(account_typo), .rows_checked = dt_account_nonnull,
                           .policy = WarnFailPercent(0.5, 5)}));
  DQA_RETURN_IF_ERROR(add({.id = "duplicate:tai_khoan.so_tai_khoan", .type = "duplicate",
                           .violations = sz(tk_shared), .rows_checked = tk_rows, .groups = sz(tk_shared),
                           .policy = WarnAboveCount(0)}));
  DQA_RETURN_IF_ERROR(add({.id = "pattern:tai_khoan.so_tai_khoan", .type = "pattern", .violations = sz(tk_bad),
                           .rows_checked = tk_rows, .policy = AnyViolation(Severity::kWarn)}));
  DQA_RETURN_IF_ERROR(add({.id = "row_count:chi_tra", .type = "row_count", .violations = ct_rows < 1000,
                           .rows_checked = ct_rows, .value = static_cast<double>(ct_rows), .policy = AnyViolation()}));
  DQA_RETURN_IF_ERROR(add({.id = "chi_trung_ky", .type = "duplicate", .violations = sz(pay_dups),
                           .rows_checked = ct_rows, .groups = sz(pay_dups),
                           .policy = FailAboveCount(0, Severity::kCritical)}));
  DQA_RETURN_IF_ERROR(add({.id = "so_tien_khong_hop_le", .type = "condition", .violations = sz(pay_bad),
                           .rows_checked = ct_rows, .policy = AnyViolation(Severity::kWarn)}));
  DQA_RETURN_IF_ERROR(add({.id = "freshness:chi_tra.ngay_chi", .type = "freshness", .violations = 0,
                           .rows_checked = ct_rows, .unparseable = 0, .policy = AnyViolation()}));
  DQA_RETURN_IF_ERROR(add({.id = "chi_tra_khong_co_doi_tuong", .type = "sql", .violations = orphans > 0,
                           .rows_checked = 1, .value = static_cast<double>(orphans),
                           .policy = AnyViolation(Severity::kWarn)}));

  // metric (docs/checks.md "Metric"): the exact 0.95 quantile of the allowances that are numbers
  // (linear interpolation between the closest ranks), and the mean payment.
  std::vector<double> allowances;
  for (const auto& row : dt.rows) {
    if (const auto* v = std::get_if<int64_t>(&row[kDtAmount])) allowances.push_back(static_cast<double>(*v));
  }
  std::sort(allowances.begin(), allowances.end());
  const double rank = static_cast<double>(allowances.size() - 1) * 0.95;
  const size_t below = static_cast<size_t>(std::floor(rank));
  const size_t above = std::min(below + 1, allowances.size() - 1);
  const double p95 = allowances[below] + (rank - static_cast<double>(below)) * (allowances[above] - allowances[below]);
  DQA_RETURN_IF_ERROR(add({.id = "muc_huong_p95", .type = "metric", .violations = 0, .rows_checked = dt_rows,
                           .unparseable = sz(amount_text), .value = p95, .policy = AnyViolation()}));
  int64_t paid_sum = 0, paid_count = 0;
  for (const auto& row : ct.rows) {
    if (const auto* v = std::get_if<int64_t>(&row[kCtAmount])) {
      paid_sum += *v;
      ++paid_count;
    }
  }
  DQA_RETURN_IF_ERROR(add({.id = "so_tien_trung_binh", .type = "metric", .violations = 0,
                           .rows_checked = ct_amount_nonnull, .unparseable = ct_amount_nonnull - paid_count,
                           .value = static_cast<double>(paid_sum) / static_cast<double>(paid_count),
                           .policy = AnyViolation()}));

  // Plugin checks (plugins/social_protection; explicit ids in rules/demo/social.yaml).
  int64_t after_death = 0;
  double amount_after_death = 0;
  std::set<int64_t> affected;
  for (const auto& row : ct.rows) {
    const auto death = death_of_beneficiary.find(std::get<int64_t>(row[kCtOwner]));
    if (death == death_of_beneficiary.end() || *ParseIsoDay(TextOf(row[kCtPaidOn])) <= death->second) continue;
    ++after_death;
    if (!IsNull(row[kCtAmount])) amount_after_death += static_cast<double>(std::get<int64_t>(row[kCtAmount]));
    affected.insert(death->first);
  }
  DQA_RETURN_IF_ERROR(add({.id = "chi_tra_sau_khi_mat", .type = "social_protection.paid_after_death",
                           .violations = after_death, .rows_checked = ct_rows, .policy = AnyViolation(Severity::kCritical),
                           .metrics = {{"amount_paid_after_death", amount_after_death},
                                       {"beneficiaries_affected", static_cast<double>(affected.size())}}}));
  const int64_t cash = dt_rows - dt_account_nonnull;  // no account is NULL; none is blank
  DQA_RETURN_IF_ERROR(add({.id = "doi_tuong_chua_co_tai_khoan", .type = "social_protection.no_bank_account",
                           .violations = cash, .rows_checked = dt_rows, .policy = WarnFailPercent(5, 50),
                           .metrics = {{"cashless_coverage_percent",
                                        100.0 * static_cast<double>(dt_rows - cash) / static_cast<double>(dt_rows)}},
                           .indicators = {ShareIndicator("cashless", "Chi trả không dùng tiền mặt", dt_rows - cash,
                                                         dt_rows, 90)}}));
  // The built-in indicator on the payments (rules/demo/social.yaml): paid by transfer.
  int64_t transfers = 0;
  for (const auto& row : ct.rows) transfers += TextOf(row[kCtMethod]) == "chuyen_khoan";
  DQA_RETURN_IF_ERROR(add({.id = "chi_tra_khong_tien_mat", .type = "indicator", .violations = ct_rows - transfers,
                           .rows_checked = ct_rows,
                           .value = 100.0 * static_cast<double>(transfers) / static_cast<double>(ct_rows),
                           .indicators = {ShareIndicator("chi_tra_khong_tien_mat", "Chi trả không dùng tiền mặt",
                                                         transfers, ct_rows, 90, 10)}}));
  // Active enrolments with an identity number; the same allowance twice is one person enrolled
  // twice, a second allowance next to nguoi_co_cong is allowed (combinable in the rule).
  const size_t twice_people = two_citizens.size();
  int64_t active_with_id = 0, twice = 0;
  for (size_t r = 0; r < dt.rows.size(); ++r) {
    const bool active = TextOf(dt.rows[r][kDtStatus]) == "dang_huong" && !IsNull(dt.rows[r][kDtCccd]);
    active_with_id += active;
    twice += active && dt.tags[r] == kDtDupOriginal;
  }
  // Not in rules/demo (which does not attach population): tests/integration run it.
  DQA_RETURN_IF_ERROR(truth.AddOther(
      "social", {.id = "huong_hai_ho_so_cong_dan", .type = "social_protection.enrolled_as_two_citizens",
                 .violations = static_cast<int64_t>(twice_people), .rows_checked = active_with_id,
                 .policy = AnyViolation(Severity::kCritical),
                 .metrics = {{"extra_identities", static_cast<double>(twice_people)}}}));
  DQA_RETURN_IF_ERROR(add({.id = "huong_nhieu_noi", .type = "social_protection.enrolled_twice", .violations = twice,
                           .rows_checked = active_with_id, .policy = AnyViolation(Severity::kCritical),
                           .metrics = {{"extra_enrolments", static_cast<double>(twice)}}}));

  // population.yaml's reconcile check huong_tro_cap_khop_dan_cu: per commune, the living citizens
  // whose CCCD an active beneficiary carries against the active beneficiaries. They disagree
  // where a beneficiary is dead, has no or a mistyped CCCD, is enrolled twice, or where the
  // population register holds a CCCD twice.
  std::set<std::string> active_cccd;
  std::map<std::string, double> beneficiaries, living;
  for (const auto& row : dt.rows) {
    if (IsNull(row[kDtStatus]) || TextOf(row[kDtStatus]) != "dang_huong") continue;
    beneficiaries[IsNull(row[kDtMaXa]) ? "NULL" : TextOf(row[kDtMaXa])] += 1;
    if (!IsNull(row[kDtCccd])) active_cccd.insert(TextOf(row[kDtCccd]));
  }
  for (const PopulationInfo::Row& row : population.rows) {
    if (row.trang_thai == "song" && row.so_cccd && active_cccd.count(*row.so_cccd) != 0) {
      living[row.ma_xa.value_or("NULL")] += 1;
    }
  }
  DQA_RETURN_IF_ERROR(truth.Add("population",
                                ReconcileCheckTruth("huong_tro_cap_khop_dan_cu",
                                                    Reconcile(living, beneficiaries, std::nullopt, std::nullopt),
                                                    WarnFailPercent(5, 25))));
  return Status::Ok();
}

}  // namespace dqa::datagen
