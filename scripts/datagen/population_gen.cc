// population.db `cong_dan`: the citizen register of the provincial police (Công an tỉnh).
//
// How defects are injected and counted: every base row is generated clean, then DefectPlan hands
// each defect class its own disjoint rows (tag = class), the class's value is written over the
// clean one, and the ground truth is tallied from the tags in one pass. Extra rows (duplicates)
// are appended at the end. To add a defect class: add a tag, Take() rows for it, write its value
// in ApplyDefect(), and say which checks it violates in CountTruth().
#include <algorithm>
#include <cmath>
#include <unordered_set>

#include <fmt/format.h>

#include "scripts/datagen/db_writer.h"
#include "scripts/datagen/defect_plan.h"
#include "scripts/datagen/formats.h"
#include "scripts/datagen/generators.h"
#include "scripts/datagen/table.h"

namespace dqa::datagen {
namespace {

enum Col : size_t { kId, kCccd, kName, kBirth, kGender, kMaXa, kPhone, kStatus, kUpdated, kNumCols };

enum Tag : uint16_t {
  kClean = 0,
  // Roles: clean rows that must stay clean.
  kAnchor,         // first row of each active commune (guarantees coverage)
  kDupOriginal,    // first row of a duplicate so_cccd group
  kDupExtra,       // appended copy in a duplicate group
  kTestDupTarget,  // real row whose so_cccd a test record copies (not a duplicate: filtered)
  kTestDupExtra,   // appended test record copying a real so_cccd
  kTestRecord,     // trang_thai 'thu_nghiem' carrying several defects, excluded by the filter
  // ho_ten
  kNameNull, kNameEmpty, kNameSpaces, kNameNbsp, kNameIdeoSpace, kNameZeroWidth, kNamePlaceholder,
  // ngay_sinh
  kBirthNull, kBirthEmpty, kBirthPlaceholder, kBirthFuture, kBirthTooOld, kBirthBadDay,
  kBirthDmy, kBirthToday,
  // so_cccd
  kCccdNull, kCccdEmpty, kCccdCmnd,
  // so_dien_thoai
  kPhoneNull, kPhoneEmpty, kPhoneBlank, kPhonePlaceholder, kPhoneMalformed,
  // gioi_tinh
  kGenderBad, kGenderNfd, kGenderNull,
  // ma_xa
  kMaXaUnknown, kMaXaNull,
  // ngay_cap_nhat (and trang_thai)
  kStaleAlive, kStaleEqualBoundary, kStaleJustOver, kStaleDead, kUpdateUnparseable, kUpdateNull,
  // Found by the population plugin (docs/sector-plugins.md): 12-digit CCCDs that break the
  // structure of Circular 07/2016/TT-BCA, numbers outside the 2018 numbering plan, and citizens
  // whose death civil registration recorded but who are still 'song' here.
  kCccdBadProvince, kCccdGenderDigit, kCccdCenturyDigit, kCccdYearDigits,
  kPhoneBadPrefix, kPhoneOldMobile,
  kDeathNotPropagated,
};

constexpr const char* kNam = "Nam";
constexpr const char* kNu = "Nữ";                          // NFC: U+1EEF
constexpr const char* kNuNfd = "Nu\xCC\x9B\xCC\x83";       // N u U+031B U+0303 (NFD)

int64_t Cells(const std::vector<Cell>& row, Col c) { return std::get<int64_t>(row[c]); }

// Ages in five-year bands, weighted like a Mekong-delta population pyramid (0-4 ... 95-99).
const std::vector<int64_t> kAgeBandWeights = {16, 16, 16, 15, 15, 16, 16, 15, 14, 14,
                                              13, 12, 10, 8,  6,  4,  3,  2,  1,  1};

struct Generator {
  const GenContext& ctx;
  const CatalogInfo& catalog;
  Rng rng;
  Table table{"cong_dan",
              {{"id", "INTEGER PRIMARY KEY"}, {"so_cccd", "TEXT"}, {"ho_ten", "TEXT"},
               {"ngay_sinh", "TEXT"}, {"gioi_tinh", "TEXT"}, {"ma_xa", "TEXT"},
               {"so_dien_thoai", "TEXT"}, {"trang_thai", "TEXT"}, {"ngay_cap_nhat", "TEXT"}},
              {},
              {}};
  std::vector<int64_t> birth_days;  // clean birth day of each row (before defects)
  std::vector<Gender> genders;
  std::unordered_set<uint64_t> used_cccd;
  std::unordered_set<uint64_t> used_cmnd;
  std::vector<int64_t> commune_weights;
  // Bookkeeping for the plugin checks: the birth day as written (nullopt: NULL or not a date in
  // ISO or D/M/YYYY), and whether a malformed phone is still a valid number in another form.
  std::vector<std::optional<int64_t>> written_birth;
  std::vector<bool> phone_still_valid;

  Generator(const GenContext& c, const CatalogInfo& cat) : ctx(c), catalog(cat), rng(SourceRng(c.seed, 1)) {
    // Wards of the cities are denser than rural communes.
    for (size_t i = 0; i < catalog.active_codes.size(); ++i) commune_weights.push_back(rng.Uniform(2, 9));
  }

  std::string NewCccd(int64_t birth_day, Gender gender) {
    const int64_t year = YearOf(birth_day);
    const int century_gender = (year >= 2000 ? 2 : 0) + (gender == Gender::kFemale ? 1 : 0);
    while (true) {
      std::string province = kDemoProvinceCode;
      if (rng.Chance(0.1)) province = rng.Pick(Provinces()).code;
      std::string s = fmt::format("{}{}{:02d}{:06d}", province, century_gender, year % 100,
                                  rng.Uniform(0, 999999));
      if (used_cccd.insert(std::stoull(s)).second) return s;
    }
  }

  std::string NewCmnd() {
    while (true) {
      std::string s = fmt::format("31{:07d}", rng.Uniform(0, 9999999));
      if (used_cmnd.insert(std::stoull(s)).second) return s;
    }
  }

  // Mobile numbers with a prefix allocated since the 2018 conversion (plugins/population/phone.h).
  std::string NewPhone() {
    static const std::vector<std::string> kPrefixes = {
        "032", "033", "034", "035", "036", "037", "038", "039", "052", "055", "056", "058", "059", "070",
        "076", "077", "078", "079", "081", "082", "083", "084", "085", "086", "087", "088", "089", "090",
        "091", "092", "093", "094", "096", "097", "098", "099"};
    return fmt::format("{}{:07d}", rng.Pick(kPrefixes), rng.Uniform(0, 9999999));
  }

  // `cccd` with `replace` written at `pos`; the last six digits are redrawn until it is unique.
  std::string AlteredCccd(const std::string& cccd, size_t pos, const std::string& replace) {
    std::string s = cccd;
    s.replace(pos, replace.size(), replace);
    while (!used_cccd.insert(std::stoull(s)).second) {
      s.replace(6, 6, fmt::format("{:06d}", rng.Uniform(0, 999999)));
    }
    return s;
  }

  std::string CleanUpdate() {
    const int64_t day = ctx.today - rng.Uniform(1, 1460);
    return IsoDateTime(day * kSecondsPerDay + rng.Uniform(7 * 3600, 18 * 3600));
  }

  void AddBaseRow(size_t index) {
    const Gender gender = rng.Chance(0.5) ? Gender::kMale : Gender::kFemale;
    const int64_t band = static_cast<int64_t>(rng.Weighted(kAgeBandWeights));
    const int64_t age_days = band * 1826 + rng.Uniform(1, 1826);
    const int64_t birth = ctx.today - std::min<int64_t>(age_days, 100 * 365);
    std::string ma_xa = index < catalog.active_codes.size()
                            ? catalog.active_codes[index]
                            : catalog.active_codes[rng.Weighted(commune_weights)];
    const double p_dead = age_days >= 50 * 365 ? 0.06 : (age_days >= 365 ? 0.005 : 0.0);
    std::string status = rng.Chance(p_dead) ? "da_mat" : "song";
    std::string cccd = NewCccd(birth, gender);
    std::string name = RandomFullName(rng, gender);
    std::string phone = NewPhone();
    std::string updated = index == 0 ? IsoDateTime((ctx.today - 1) * kSecondsPerDay + 36900)
                                     : CleanUpdate();
    table.AddRow({static_cast<int64_t>(index + 1), cccd, name, IsoDate(birth),
                  std::string(gender == Gender::kMale ? kNam : kNu), ma_xa, phone, status, updated});
    birth_days.push_back(birth);
    genders.push_back(gender);
    written_birth.emplace_back(birth);
    phone_still_valid.push_back(true);
  }

  std::string UnknownCommune(size_t k) {
    const std::vector<std::string> values = {"99999", "28999", " " + catalog.active_codes[0],
                                             catalog.active_codes[1] + " ", "", "Phường 1", "082"};
    return values[k % values.size()];
  }

  void ApplyDefect(size_t r, uint16_t tag, size_t k) {
    auto& row = table.rows[r];
    const int64_t stale_limit = ShiftBy(ctx.now, Duration{5, Duration::Unit::kYears}, -1);
    switch (tag) {
      case kNameNull: row[kName] = kNull; break;
      case kNameEmpty: row[kName] = std::string(); break;
      case kNameSpaces: row[kName] = std::string("   "); break;
      case kNameNbsp: row[kName] = std::string("\u00A0"); break;
      case kNameIdeoSpace: row[kName] = std::string("\u3000\u3000"); break;
      case kNameZeroWidth: row[kName] = std::string(k % 2 ? "\u200B" : " \uFEFF"); break;
      case kNamePlaceholder: row[kName] = std::string(k % 2 ? " N/A " : "N/A"); break;
      case kBirthNull: row[kBirth] = kNull; written_birth[r].reset(); break;
      case kBirthEmpty: row[kBirth] = std::string(); written_birth[r].reset(); break;
      case kBirthPlaceholder: row[kBirth] = std::string("không rõ"); written_birth[r].reset(); break;
      case kBirthFuture:
        written_birth[r] = ctx.today + rng.Uniform(1, 3 * 365);
        row[kBirth] = IsoDate(*written_birth[r]);
        break;
      case kBirthTooOld: {
        const int64_t year = 1800 + rng.Uniform(50, 99);
        written_birth[r] = *DaysFromCivil(year, 5, 17);
        row[kBirth] = fmt::format("{}-05-17", year);
        break;
      }
      case kBirthBadDay: row[kBirth] = std::string(k % 2 ? "2024-02-30" : "1985-04-31"); written_birth[r].reset(); break;
      case kBirthDmy:  // the plugins read D/M/YYYY: "15/08/1975" is a date to them, "31/02/2024" is not
        row[kBirth] = std::string(k % 2 ? "31/02/2024" : "15/08/1975");
        written_birth[r] = k % 2 ? std::nullopt : DaysFromCivil(1975, 8, 15);
        break;
      case kBirthToday: row[kBirth] = IsoDate(ctx.today); written_birth[r] = ctx.today; break;
      case kCccdNull: row[kCccd] = kNull; break;
      case kCccdEmpty: row[kCccd] = std::string(); break;
      case kCccdCmnd: row[kCccd] = NewCmnd(); break;
      case kPhoneNull: row[kPhone] = kNull; break;
      case kPhoneEmpty: row[kPhone] = std::string(); break;
      case kPhoneBlank: row[kPhone] = std::string(k % 3 == 0 ? " " : k % 3 == 1 ? "\u00A0" : "\u3000"); break;
      case kPhonePlaceholder: row[kPhone] = std::string(k % 3 == 0 ? "N/A" : k % 3 == 1 ? "không có" : " N/A"); break;
      case kPhoneMalformed: {
        const std::string digits = fmt::format("{:08d}", rng.Uniform(0, 99999999));
        switch (k % 6) {
          case 0: row[kPhone] = "+849" + digits; break;                    // international form
          case 1: row[kPhone] = "849" + digits; break;
          case 2: row[kPhone] = "09" + digits.substr(1); break;             // a digit short
          case 3: row[kPhone] = "09" + digits.substr(0, 2) + " " + digits.substr(2, 3) + " " + digits.substr(5); break;
          case 4: row[kPhone] = "0273" + digits.substr(0, 7); break;        // landline (11 digits)
          default: row[kPhone] = "09" + digits.substr(0, 2) + "." + digits.substr(2, 3) + "." + digits.substr(5); break;
        }
        // +84/84 forms of 09x numbers and the Tiền Giang landline are valid to the phone plugin.
        phone_still_valid[r] = k % 6 == 0 || k % 6 == 1 || k % 6 == 4;
        break;
      }
      case kPhoneBadPrefix: {  // ten digits, passes the regex, prefix never allocated to mobiles
        static const std::vector<std::string> kBad = {"030", "031", "050", "053", "071", "074", "080"};
        row[kPhone] = kBad[k % kBad.size()] + fmt::format("{:07d}", rng.Uniform(0, 9999999));
        break;
      }
      case kPhoneOldMobile:  // 11-digit mobile number from before the 2018 conversion
        row[kPhone] = fmt::format("016{}{:07d}", rng.Uniform(2, 9), rng.Uniform(0, 9999999));
        break;
      case kCccdBadProvince: {
        static const std::vector<std::string> kUnused = {"003", "099", "000", "081", "090", "053"};
        row[kCccd] = AlteredCccd(TextOf(row[kCccd]), 0, kUnused[k % kUnused.size()]);
        break;
      }
      case kCccdGenderDigit: {  // the other gender's digit of the same century
        const std::string& c = TextOf(row[kCccd]);
        row[kCccd] = AlteredCccd(c, 3, std::string(1, static_cast<char>('0' + ((c[3] - '0') ^ 1))));
        break;
      }
      case kCccdCenturyDigit: {  // 0/1 <-> 2/3: born in the other century
        const std::string& c = TextOf(row[kCccd]);
        row[kCccd] = AlteredCccd(c, 3, std::string(1, static_cast<char>('0' + ((c[3] - '0') ^ 2))));
        break;
      }
      case kCccdYearDigits: {  // digits 5-6 are not the birth year
        const std::string& c = TextOf(row[kCccd]);
        const int64_t yy = (std::stoi(c.substr(4, 2)) + rng.Uniform(1, 99)) % 100;
        row[kCccd] = AlteredCccd(c, 4, fmt::format("{:02d}", yy));
        break;
      }
      case kDeathNotPropagated: row[kStatus] = std::string("song"); break;
      case kGenderBad: {
        static const std::vector<std::string> kBad = {"nam", "NỮ", "Nu", "Khác", "1", "", "Nữ ", "F"};
        row[kGender] = kBad[k % kBad.size()];
        break;
      }
      case kGenderNfd: row[kGender] = std::string(kNuNfd); break;
      case kGenderNull: row[kGender] = kNull; break;
      case kMaXaUnknown: row[kMaXa] = UnknownCommune(k); break;
      case kMaXaNull: row[kMaXa] = kNull; break;
      case kStaleAlive:
      case kStaleDead:
        row[kUpdated] = IsoDateTime(stale_limit - rng.Uniform(kSecondsPerDay, 7 * 365 * kSecondsPerDay));
        row[kStatus] = std::string(tag == kStaleDead ? "da_mat" : "song");
        break;
      case kStaleEqualBoundary:  // exactly now - 5y: not older, so not stale
        row[kUpdated] = IsoDateTime(stale_limit);
        row[kStatus] = std::string("song");
        break;
      case kStaleJustOver:  // one second older than now - 5y: stale
        row[kUpdated] = IsoDateTime(stale_limit - 1);
        row[kStatus] = std::string("song");
        break;
      case kUpdateUnparseable: {
        static const std::vector<std::string> kBad = {"không rõ", "2025-13-01 08:00:00", "31/12/2024 08:00",
                                                      "2024-02-30"};
        row[kUpdated] = kBad[k % kBad.size()];
        row[kStatus] = std::string("song");
        break;
      }
      case kUpdateNull: row[kUpdated] = kNull; break;
      case kTestRecord: {
        row[kStatus] = std::string("thu_nghiem");
        row[kMaXa] = k % 2 == 0 ? catalog.test_only_code : std::string("00000");
        switch (k % 5) {
          case 0: row[kName] = kNull; row[kCccd] = std::string(); break;
          case 1: row[kBirth] = IsoDate(ctx.today + 30); row[kGender] = std::string("Test"); break;
          case 2: row[kPhone] = std::string("123"); row[kBirth] = std::string("không rõ"); break;
          case 3: row[kUpdated] = std::string("2001-01-01 00:00:00"); row[kCccd] = std::string(); break;
          default: row[kPhone] = std::string(); row[kName] = std::string("N/A"); break;
        }
        break;
      }
      default: break;
    }
  }
};

bool IsOneOf(uint16_t tag, std::initializer_list<uint16_t> tags) {
  return std::find(tags.begin(), tags.end(), tag) != tags.end();
}

}  // namespace

Status GeneratePopulation(const GenContext& ctx, const CatalogInfo& catalog, GroundTruth& truth,
                          PopulationInfo& info) {
  Generator g(ctx, catalog);
  const int64_t n = std::max<int64_t>(2000, std::llround(1'400'000 * ctx.scale));
  for (size_t i = 0; i < static_cast<size_t>(n); ++i) g.AddBaseRow(i);

  DefectPlan plan(static_cast<size_t>(n), g.rng);
  for (size_t i = 0; i < catalog.active_codes.size(); ++i) plan.Protect(i, kAnchor);
  const int64_t dup2 = ctx.Defects(0.001, n, 2);
  const int64_t dup3 = ctx.Defects(0.0003, n, 1);
  const auto dup_originals = plan.Take(kDupOriginal, dup2 + dup3);
  const auto test_dup_targets = plan.Take(kTestDupTarget, ctx.Defects(0.0002, n, 1));

  struct Class {
    uint16_t tag;
    double rate;
    int64_t min_count;
  };
  const std::vector<Class> classes = {
      {kTestRecord, 0.002, 5},
      {kNameNull, 0.001, 2},          {kNameEmpty, 0.0005, 1},      {kNameSpaces, 0.0005, 1},
      {kNameNbsp, 0.0003, 1},         {kNameIdeoSpace, 0.0003, 1},  {kNameZeroWidth, 0.0002, 2},
      {kNamePlaceholder, 0.0005, 2},
      {kBirthNull, 0.001, 1},         {kBirthEmpty, 0.0003, 1},     {kBirthPlaceholder, 0.0005, 1},
      {kBirthFuture, 0.0005, 2},      {kBirthTooOld, 0.0002, 1},    {kBirthBadDay, 0.0003, 2},
      {kBirthDmy, 0.0003, 2},         {kBirthToday, 0, 1},
      {kCccdNull, 0.001, 1},          {kCccdEmpty, 0, 2},           {kCccdCmnd, 0.002, 2},
      {kPhoneNull, 0.03, 1},          {kPhoneEmpty, 0.005, 1},      {kPhoneBlank, 0.001, 3},
      {kPhonePlaceholder, 0.003, 3},  {kPhoneMalformed, 0.02, 6},
      {kGenderBad, 0.003, 8},         {kGenderNull, 0.0005, 1},
      {kMaXaUnknown, 0.002, 7},       {kMaXaNull, 0.0005, 1},
      {kStaleAlive, 0.03, 1},         {kStaleEqualBoundary, 0, 1},  {kStaleJustOver, 0, 1},
      {kUpdateUnparseable, 0.001, 4}, {kUpdateNull, 0.0005, 1},
      {kCccdBadProvince, 0.001, 2},   {kCccdGenderDigit, 0.001, 2}, {kCccdCenturyDigit, 0.0005, 1},
      {kCccdYearDigits, 0.001, 2},    {kPhoneBadPrefix, 0.002, 3},  {kPhoneOldMobile, 0.001, 2},
  };
  std::vector<std::pair<uint16_t, std::vector<size_t>>> injected;
  // Dead citizens with an old update get a death record: they must be at least a year old.
  injected.emplace_back(kStaleDead, plan.TakeIf(kStaleDead, ctx.Defects(0.005, n, 1), [&](size_t r) {
    return g.birth_days[r] <= ctx.today - 365;
  }));
  for (const Class& c : classes) {
    // kCccdEmpty is exactly one group of two '' keys (0 * n rounds to 0, min_count gives 2).
    injected.emplace_back(c.tag, plan.Take(c.tag, ctx.Defects(c.rate, n, c.min_count)));
  }
  // Dead according to civil registration, alive here: old enough to have a death record.
  injected.emplace_back(kDeathNotPropagated,
                        plan.TakeIf(kDeathNotPropagated, ctx.Defects(0.001, n, 2),
                                    [&](size_t r) { return g.birth_days[r] <= ctx.today - 365; }));
  // NFD "Nữ" only makes sense on women's rows: take them among clean female rows.
  {
    std::vector<size_t> nfd;
    const int64_t want = ctx.Defects(0.002, n, 3);
    for (size_t r = 0; r < static_cast<size_t>(n) && static_cast<int64_t>(nfd.size()) < want; ++r) {
      const size_t row = (r * 7919) % static_cast<size_t>(n);  // spread over the table
      if (plan.tag(row) == kClean && g.genders[row] == Gender::kFemale) {
        plan.Protect(row, kGenderNfd);
        nfd.push_back(row);
      }
    }
    std::sort(nfd.begin(), nfd.end());
    injected.emplace_back(kGenderNfd, nfd);
  }
  for (size_t r : dup_originals) g.table.rows[r][kStatus] = std::string("song");
  for (size_t r : test_dup_targets) g.table.rows[r][kStatus] = std::string("song");
  for (const auto& [tag, rows] : injected) {
    for (size_t k = 0; k < rows.size(); ++k) g.ApplyDefect(rows[k], tag, k);
  }
  g.table.tags = plan.tags();

  // Appended rows: duplicate groups (sizes 2 and 3) and test records copying real numbers.
  auto append_copy = [&](size_t original, uint16_t tag, bool test) {
    const auto& src = g.table.rows[original];
    const Gender gender = g.genders[original];
    std::string ma_xa = test ? catalog.test_only_code : g.rng.Pick(catalog.active_codes);
    const size_t id = g.table.rows.size() + 1;
    g.table.AddRow({static_cast<int64_t>(id), src[kCccd], src[kName], src[kBirth], src[kGender], ma_xa,
                    g.NewPhone(), std::string(test ? "thu_nghiem" : "song"), g.CleanUpdate()},
                   tag);
    g.birth_days.push_back(g.birth_days[original]);
    g.genders.push_back(gender);
    g.written_birth.push_back(g.written_birth[original]);
    g.phone_still_valid.push_back(true);
  };
  for (size_t i = 0; i < dup_originals.size(); ++i) {
    const int copies = static_cast<int64_t>(i) < dup2 ? 1 : 2;
    for (int c = 0; c < copies; ++c) append_copy(dup_originals[i], kDupExtra, false);
  }
  for (size_t r : test_dup_targets) append_copy(r, kTestDupExtra, true);

  DQA_RETURN_IF_ERROR(WriteDatabase(ctx.out_dir + "/population.db", {&g.table}));

  // ---- Ground truth, one pass over the tags (docs/checks.md semantics) ----
  const auto& rows = g.table.rows;
  const auto& tags = g.table.tags;
  int64_t in_scope = 0, cccd_nonnull = 0, phone_nonnull = 0, gender_nonnull = 0, birth_nonnull = 0;
  int64_t maxa_nonnull = 0, updated_nonnull = 0, stale_scope = 0;
  int64_t miss_name = 0, miss_birth = 0, miss_phone = 0, cccd_bad = 0, phone_bad = 0, gender_bad = 0;
  int64_t birth_bad = 0, birth_unparseable = 0, maxa_bad = 0, stale_bad = 0, stale_unparseable = 0;
  int64_t update_unparseable = 0;
  int64_t cccd_plugin_bad = 0, phone_plugin_bad = 0, birth_plugin_bad = 0, alive_with_cccd = 0;
  int64_t not_propagated = 0;
  const int64_t oldest_birth = ShiftBy(ctx.now, Duration{120, Duration::Unit::kYears}, -1) / kSecondsPerDay;
  for (size_t r = 0; r < rows.size(); ++r) {
    const auto& row = rows[r];
    const uint16_t t = tags[r];
    if (TextOf(row[kStatus]) == "thu_nghiem") continue;  // filter: trang_thai <> 'thu_nghiem'
    ++in_scope;
    cccd_nonnull += !IsNull(row[kCccd]);
    phone_nonnull += !IsNull(row[kPhone]);
    gender_nonnull += !IsNull(row[kGender]);
    birth_nonnull += !IsNull(row[kBirth]);
    maxa_nonnull += !IsNull(row[kMaXa]);
    updated_nonnull += !IsNull(row[kUpdated]);
    const bool alive = TextOf(row[kStatus]) == "song";
    stale_scope += alive && !IsNull(row[kUpdated]);

    miss_name += IsOneOf(t, {kNameNull, kNameEmpty, kNameSpaces, kNameNbsp, kNameIdeoSpace, kNameZeroWidth,
                             kNamePlaceholder});
    miss_birth += IsOneOf(t, {kBirthNull, kBirthEmpty, kBirthPlaceholder});
    miss_phone += IsOneOf(t, {kPhoneNull, kPhoneEmpty, kPhoneBlank, kPhonePlaceholder});
    cccd_bad += IsOneOf(t, {kCccdEmpty, kCccdCmnd});
    phone_bad += IsOneOf(t, {kPhoneEmpty, kPhoneBlank, kPhonePlaceholder, kPhoneMalformed, kPhoneOldMobile});
    gender_bad += t == kGenderBad;
    birth_bad += IsOneOf(t, {kBirthEmpty, kBirthPlaceholder, kBirthFuture, kBirthTooOld, kBirthBadDay, kBirthDmy});
    birth_unparseable += IsOneOf(t, {kBirthEmpty, kBirthPlaceholder, kBirthBadDay, kBirthDmy});
    maxa_bad += t == kMaXaUnknown;
    update_unparseable += t == kUpdateUnparseable;
    if (alive) {
      stale_bad += IsOneOf(t, {kStaleAlive, kStaleJustOver, kUpdateUnparseable});
      stale_unparseable += t == kUpdateUnparseable;
    }
    // population.cccd: the structural classes, plus rows whose written birth year is not the one
    // the CCCD was generated for (gender spellings other than Nam/Nữ are not compared).
    const auto& wb = g.written_birth[r];
    cccd_plugin_bad += !IsNull(row[kCccd]) &&
                       (IsOneOf(t, {kCccdEmpty, kCccdCmnd, kCccdBadProvince, kCccdGenderDigit, kCccdCenturyDigit,
                                    kCccdYearDigits}) ||
                        (wb && YearOf(*wb) != YearOf(g.birth_days[r])));
    phone_plugin_bad += IsOneOf(t, {kPhoneEmpty, kPhoneBlank, kPhonePlaceholder, kPhoneBadPrefix, kPhoneOldMobile}) ||
                        (t == kPhoneMalformed && !g.phone_still_valid[r]);
    birth_plugin_bad += !IsNull(row[kBirth]) && (!wb || *wb > ctx.today || *wb < oldest_birth);
    alive_with_cccd += alive && !IsNull(row[kCccd]);
    not_propagated += t == kDeathNotPropagated;
  }
  const int64_t dup_violations = dup2 + 2 * dup3 + 1;  // + the group of two '' keys
  const int64_t dup_groups = dup2 + dup3 + 1;

  SourceTruth& src = truth.source("population");
  src.table_rows["cong_dan"] = static_cast<int64_t>(rows.size());
  auto add = [&](CheckTruth c) { return truth.Add("population", std::move(c)); };
  DQA_RETURN_IF_ERROR(add({.id = "row_count:cong_dan", .type = "row_count", .violations = in_scope < 5000,
                           .rows_checked = in_scope, .value = static_cast<double>(in_scope),
                           .policy = AnyViolation()}));
  DQA_RETURN_IF_ERROR(add({.id = "missing:cong_dan.ho_ten", .type = "missing", .violations = miss_name,
                           .rows_checked = in_scope, .policy = FailAbovePercent(1)}));
  DQA_RETURN_IF_ERROR(add({.id = "missing:cong_dan.ngay_sinh", .type = "missing", .violations = miss_birth,
                           .rows_checked = in_scope, .policy = FailAbovePercent(1)}));
  DQA_RETURN_IF_ERROR(add({.id = "missing:cong_dan.so_dien_thoai", .type = "missing", .violations = miss_phone,
                           .rows_checked = in_scope, .policy = WarnFailPercent(2, 10)}));
  DQA_RETURN_IF_ERROR(add({.id = "duplicate:cong_dan.so_cccd", .type = "duplicate", .violations = dup_violations,
                           .rows_checked = cccd_nonnull, .groups = dup_groups,
                           .policy = AnyViolation(Severity::kCritical)}));
  DQA_RETURN_IF_ERROR(add({.id = "cccd_12_chu_so", .type = "pattern", .violations = cccd_bad,
                           .rows_checked = cccd_nonnull, .policy = FailAbovePercent(0.5)}));
  DQA_RETURN_IF_ERROR(add({.id = "stale:cong_dan.ngay_cap_nhat", .type = "stale", .violations = stale_bad,
                           .rows_checked = stale_scope, .unparseable = stale_unparseable,
                           .policy = WarnFailPercent(1, 5)}));
  DQA_RETURN_IF_ERROR(add({.id = "freshness:cong_dan.ngay_cap_nhat", .type = "freshness", .violations = 0,
                           .rows_checked = updated_nonnull, .unparseable = update_unparseable,
                           .policy = AnyViolation()}));
  DQA_RETURN_IF_ERROR(add({.id = "so_dien_thoai_hop_le", .type = "pattern", .violations = phone_bad,
                           .rows_checked = phone_nonnull, .policy = FailAbovePercent(2)}));
  DQA_RETURN_IF_ERROR(add({.id = "allowed:cong_dan.gioi_tinh", .type = "allowed", .violations = gender_bad,
                           .rows_checked = gender_nonnull, .policy = AnyViolation(Severity::kWarn)}));
  DQA_RETURN_IF_ERROR(add({.id = "range:cong_dan.ngay_sinh", .type = "range", .violations = birth_bad,
                           .rows_checked = birth_nonnull, .unparseable = birth_unparseable,
                           .policy = AnyViolation(Severity::kCritical)}));
  DQA_RETURN_IF_ERROR(add({.id = "reference:cong_dan.ma_xa", .type = "reference", .violations = maxa_bad,
                           .rows_checked = maxa_nonnull, .policy = FailAbovePercent(0.5)}));
  DQA_RETURN_IF_ERROR(add({.id = "coverage:cong_dan.ma_xa", .type = "coverage",
                           .violations = static_cast<int64_t>(catalog.empty_codes.size()) + 1,
                           .rows_checked = static_cast<int64_t>(catalog.all_codes.size()),
                           .policy = WarnAboveCount(0)}));
  // Plugin checks (plugins/population; explicit ids in rules/demo/population.yaml).
  DQA_RETURN_IF_ERROR(add({.id = "cccd_dung_cau_truc", .type = "population.cccd", .violations = cccd_plugin_bad,
                           .rows_checked = cccd_nonnull, .policy = AnyViolation()}));
  DQA_RETURN_IF_ERROR(add({.id = "so_dien_thoai_dung_dau_so", .type = "population.phone",
                           .violations = phone_plugin_bad, .rows_checked = phone_nonnull,
                           .policy = AnyViolation(Severity::kWarn)}));
  DQA_RETURN_IF_ERROR(add({.id = "ngay_sinh_hop_ly", .type = "population.birth_date", .violations = birth_plugin_bad,
                           .rows_checked = birth_nonnull, .policy = AnyViolation(Severity::kCritical)}));
  DQA_RETURN_IF_ERROR(add({.id = "da_mat_chua_cap_nhat", .type = "population.death_not_propagated",
                           .violations = not_propagated, .rows_checked = alive_with_cccd,
                           .policy = AnyViolation(Severity::kCritical)}));

  // Hand-offs to the other departments' generators (identity copied verbatim).
  for (size_t r = 0; r < rows.size(); ++r) {
    const auto& row = rows[r];
    const uint16_t t = tags[r];
    CitizenRef ref{Cells(row, kId), IsNull(row[kCccd]) ? "" : TextOf(row[kCccd]),
                   IsNull(row[kName]) ? "" : TextOf(row[kName]), g.birth_days[r], g.genders[r],
                   IsNull(row[kMaXa]) ? "" : TextOf(row[kMaXa])};
    const std::string& status = TextOf(row[kStatus]);
    if (status == "da_mat" && IsOneOf(t, {kClean, kAnchor, kStaleDead})) info.deceased.push_back(ref);
    if (t == kDeathNotPropagated) info.unpropagated_deaths.push_back(ref);
    if (status == "song" && IsOneOf(t, {kClean, kAnchor})) info.living.push_back(std::move(ref));
  }
  return Status::Ok();
}

}  // namespace dqa::datagen
