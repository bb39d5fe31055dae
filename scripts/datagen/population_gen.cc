// population.db `cong_dan`: the citizen register of the provincial police (Công an tỉnh).
//
// How defects are injected and counted: every base row is generated clean, then DefectPlan hands
// each defect class its own disjoint rows (tag = class), the class's value is written over the
// clean one, and the ground truth is tallied from the tags in one pass. Extra rows (duplicates)
// are appended at the end. To add a defect class: add a tag, Take() rows for it, write its value
// in ApplyDefect(), and say which checks it violates in CountTruth().
#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_set>

#include <fmt/format.h>

#include "core/util/text.h"
#include "scripts/datagen/db_writer.h"
#include "scripts/datagen/defect_plan.h"
#include "scripts/datagen/formats.h"
#include "scripts/datagen/generators.h"
#include "scripts/datagen/legacy_encoding.h"
#include "scripts/datagen/name_variants.h"
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
  // Record linkage (fuzzy_duplicate): a citizen entered again with corruptions (the first record
  // keeps kReentryOriginal), and near misses that are different people: twins and common names.
  kReentryOriginal, kReentry, kTwinOriginal, kTwin, kCommonName,
};

constexpr const char* kNam = "Nam";
constexpr const char* kNu = "Nữ";                          // NFC: U+1EEF
constexpr const char* kNuNfd = "Nu\xCC\x9B\xCC\x83";       // N u U+031B U+0303 (NFD)

int64_t Cells(const std::vector<Cell>& row, Col c) { return std::get<int64_t>(row[c]); }

// How a row's ho_ten was written: in standard form, or not (docs/checks.md "Standard text"):
// a re-entered copy in TCVN3 or VNI, or in NFD.
enum class NameForm : uint8_t { kStandard, kLegacy, kNotNfc };

// Tolerances of the approximate checks, in percent of the true number (docs/demo-province.md
// "Approximate checks", measured there, about twice the worst seen): fuzzy_duplicate misses a few
// re-entries and seldom merges two people; legacy detection misses some names, never adds one.
constexpr Tolerance kFuzzyTolerance{.below_percent = 8, .above_percent = 3};
constexpr double kLegacyBelowPercent = 20;

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
  std::vector<NameForm> name_forms;  // per row

  Generator(const GenContext& c, const CatalogInfo& cat) : ctx(c), catalog(cat), rng(SourceRng(c.seed, 1)) {
    // Wards of the cities are denser than rural communes.
    for (size_t i = 0; i < catalog.active_codes.size(); ++i) commune_weights.push_back(rng.Uniform(2, 9));
  }

  std::string NewCccd(int64_t birth_day, Gender gender) { return NewCccd(birth_day, gender, rng); }
  std::string NewCccd(int64_t birth_day, Gender gender, Rng& r) {
    const int64_t year = YearOf(birth_day);
    const int century_gender = (year >= 2000 ? 2 : 0) + (gender == Gender::kFemale ? 1 : 0);
    while (true) {
      std::string province = kDemoProvinceCode;
      if (r.Chance(0.1)) province = r.Pick(Provinces()).code;
      std::string s = fmt::format("{}{}{:02d}{:06d}", province, century_gender, year % 100,
                                  r.Uniform(0, 999999));
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
  std::string NewPhone() { return NewPhone(rng); }
  std::string NewPhone(Rng& r) {
    static const std::vector<std::string> kPrefixes = {
        "032", "033", "034", "035", "036", "037", "038", "039", "052", "055", "056", "058", "059", "070",
        "076", "077", "078", "079", "081", "082", "083", "084", "085", "086", "087", "088", "089", "090",
        "091", "092", "093", "094", "096", "097", "098", "099"};
    return fmt::format("{}{:07d}", r.Pick(kPrefixes), r.Uniform(0, 9999999));
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

  std::string CleanUpdate() { return CleanUpdate(rng); }
  std::string CleanUpdate(Rng& r) {
    const int64_t day = ctx.today - r.Uniform(1, 1460);
    return IsoDateTime(day * kSecondsPerDay + r.Uniform(7 * 3600, 18 * 3600));
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
    name_forms.push_back(NameForm::kStandard);
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

// Record linkage ground truth (docs/demo-province.md "Re-entered citizens"). Rows are taken from
// the DefectPlan after every other class, and their values are drawn from a stream of their own,
// so the other classes keep their rows and values. A re-entered record overwrites a clean row
// rather than being appended: it is a citizen row like any other, counted by every check from the
// written values, and its CCCD is always corrupted or missing, so the exact duplicate check's
// planted groups stay exactly what they were.
struct LinkagePlanter {
  Generator& g;
  DefectPlan& plan;
  const GenContext& ctx;
  Rng rng;
  LinkageTruth truth;

  LinkagePlanter(Generator& gen, DefectPlan& p, const GenContext& c)
      : g(gen), plan(p), ctx(c), rng(SourceRng(c.seed, 5)) {
    truth.key = {"id"};
    truth.reentry_rate = c.reentry_rate;
    for (size_t k = 0; k < static_cast<size_t>(Corruption::kCount); ++k) {
      truth.corruption_kinds.emplace_back(CorruptionName(static_cast<Corruption>(k)));
    }
  }

  std::vector<Cell>& Row(size_t r) { return g.table.rows[r]; }
  const std::string& Name(size_t r) { return TextOf(Row(r)[kName]); }

  // The birth date with day and month swapped, when that is another valid date before today.
  std::optional<int64_t> SwappedBirth(int64_t day) const {
    const CivilDate c = CivilFromDays(day);
    if (c.day > 12 || c.day == c.month) return std::nullopt;
    const std::optional<int64_t> swapped = DaysFromCivil(c.year, c.day, c.month);
    if (!swapped || *swapped >= ctx.today) return std::nullopt;
    return swapped;
  }

  bool Applicable(Corruption kind, size_t r) {
    const std::string& name = Name(r);
    switch (kind) {
      case Corruption::kNfd: case Corruption::kNoDiacritics: case Corruption::kVni: return !IsAscii(name);
      case Corruption::kTcvn3: return !IsAscii(name) && EncodeTcvn3(name).has_value();
      case Corruption::kTonePlacement: return OtherTonePlacement(name).has_value();
      case Corruption::kDStroke: return name.find("đ") != std::string::npos || name.find("Đ") != std::string::npos;
      case Corruption::kSurnameSwap: return SwappedSurname(name).has_value();
      case Corruption::kBirthDayMonthSwap: return SwappedBirth(g.birth_days[r]).has_value();
      default: return true;
    }
  }

  static bool IsNameKind(Corruption k) { return k <= Corruption::kVni; }
  static bool IsEncoding(Corruption k) {
    return k == Corruption::kNfd || k == Corruption::kTcvn3 || k == Corruption::kVni || k == Corruption::kNoDiacritics;
  }
  static bool IsTypo(Corruption k) { return k >= Corruption::kTypoInsertion && k <= Corruption::kTypoTransposition; }
  static bool Compatible(Corruption a, Corruption b) {
    if (a == b || (IsEncoding(a) && IsEncoding(b)) || (IsTypo(a) && IsTypo(b))) return false;
    const auto either = [&](Corruption x, Corruption y) { return (a == x && b == y) || (a == y && b == x); };
    return !either(Corruption::kNoDiacritics, Corruption::kTonePlacement) &&
           !either(Corruption::kNoDiacritics, Corruption::kDStroke) &&
           !either(Corruption::kTcvn3, Corruption::kUpperCase);
  }

  // A random name kind applicable to row `r` and compatible with every kind in `with`.
  std::optional<Corruption> RandomNameKind(size_t r, const std::vector<Corruption>& with) {
    std::vector<Corruption> options;
    for (size_t k = 0; k <= static_cast<size_t>(Corruption::kVni); ++k) {
      const auto kind = static_cast<Corruption>(k);
      bool ok = Applicable(kind, r);
      for (Corruption w : with) ok = ok && Compatible(kind, w);
      if (ok) options.push_back(kind);
    }
    if (options.empty()) return std::nullopt;
    return options[rng.Index(options.size())];
  }

  // Applies the name kinds of `kinds` to `name` in a fixed order (edits, then case and spaces,
  // then the encoding); returns the kinds that changed the text.
  std::vector<Corruption> CorruptName(std::string& name, const std::vector<Corruption>& kinds) {
    static const std::vector<Corruption> kOrder = {
        Corruption::kSurnameSwap, Corruption::kTonePlacement, Corruption::kDStroke, Corruption::kNoDiacritics,
        Corruption::kTypoInsertion, Corruption::kTypoDeletion, Corruption::kTypoSubstitution,
        Corruption::kTypoTransposition, Corruption::kUpperCase, Corruption::kExtraSpaces, Corruption::kNfd,
        Corruption::kTcvn3, Corruption::kVni};
    std::vector<Corruption> applied;
    for (Corruption k : kOrder) {
      if (std::find(kinds.begin(), kinds.end(), k) == kinds.end()) continue;
      std::optional<std::string> next;
      switch (k) {
        case Corruption::kSurnameSwap: next = SwappedSurname(name); break;
        case Corruption::kTonePlacement: next = OtherTonePlacement(name); break;
        case Corruption::kDStroke: next = DStrokeToD(name); break;
        case Corruption::kNoDiacritics: next = StripDiacritics(name); break;
        case Corruption::kUpperCase: next = UpperCase(name); break;
        case Corruption::kExtraSpaces: next = WithExtraSpaces(name, rng); break;
        case Corruption::kNfd: next = ToNfd(name); break;
        case Corruption::kTcvn3: next = EncodeTcvn3(name); break;
        case Corruption::kVni: next = EncodeVni(name); break;
        default: next = WithTypo(name, k, rng); break;
      }
      if (next && *next != name) {
        name = std::move(*next);
        applied.push_back(k);
      }
    }
    return applied;
  }

  // `cccd` with one adjacent transposition or one substitution in its six serial digits (so the
  // structure the population plugin checks stays valid), unused by anyone; nullopt if none is.
  std::optional<std::string> CorruptCccd(const std::string& cccd, bool transpose) {
    for (int attempt = 0; attempt < 40; ++attempt) {
      std::string s = cccd;
      const size_t i = static_cast<size_t>(rng.Uniform(6, transpose ? 10 : 11));
      if (transpose) {
        if (s[i] == s[i + 1]) continue;
        std::swap(s[i], s[i + 1]);
      } else {
        char d = s[i];
        while (d == s[i]) d = static_cast<char>('0' + rng.Uniform(0, 9));
        s[i] = d;
      }
      if (g.used_cccd.insert(std::stoull(s)).second) return s;
    }
    return std::nullopt;
  }

  // Overwrites row `c` with a re-entry of row `o` carrying `kinds` (plus what is drawn here).
  LinkageCopy WriteCopy(size_t o, size_t c, Corruption primary, bool pure) {
    std::vector<Corruption> kinds{primary};
    if (!IsNameKind(primary) && rng.Chance(0.85)) {
      if (auto k = RandomNameKind(o, kinds)) kinds.push_back(*k);
    }
    if (!pure && rng.Chance(0.4)) {
      if (auto k = RandomNameKind(o, kinds)) kinds.push_back(*k);
    }
    const auto has = [&](Corruption k) { return std::find(kinds.begin(), kinds.end(), k) != kinds.end(); };
    if (!has(Corruption::kCccdTransposition) && !has(Corruption::kCccdSubstitution) && !has(Corruption::kCccdMissing)) {
      const double u = rng.Unit();
      kinds.push_back(u < 0.35 ? Corruption::kCccdTransposition
                               : u < 0.7 ? Corruption::kCccdSubstitution : Corruption::kCccdMissing);
    }
    if (!has(Corruption::kBirthDayMonthSwap) && Applicable(Corruption::kBirthDayMonthSwap, o) && rng.Chance(0.08)) {
      kinds.push_back(Corruption::kBirthDayMonthSwap);
    }
    if (!has(Corruption::kOtherCommune) && rng.Chance(0.1)) kinds.push_back(Corruption::kOtherCommune);

    std::vector<Corruption> applied;
    const auto& src = Row(o);
    std::string name = TextOf(src[kName]);
    for (Corruption k : CorruptName(name, kinds)) applied.push_back(k);
    Cell cccd = src[kCccd];
    if (has(Corruption::kCccdMissing)) {
      cccd = kNull;
      applied.push_back(Corruption::kCccdMissing);
    } else {
      const bool transpose = has(Corruption::kCccdTransposition);
      if (auto s = CorruptCccd(TextOf(src[kCccd]), transpose)) {
        cccd = *s;
        applied.push_back(transpose ? Corruption::kCccdTransposition : Corruption::kCccdSubstitution);
      } else {
        cccd = kNull;
        applied.push_back(Corruption::kCccdMissing);
      }
    }
    int64_t birth = g.birth_days[o];
    if (has(Corruption::kBirthDayMonthSwap)) {
      birth = *SwappedBirth(birth);
      applied.push_back(Corruption::kBirthDayMonthSwap);
    }
    std::string ma_xa = TextOf(src[kMaXa]);
    if (has(Corruption::kOtherCommune)) {
      while (ma_xa == TextOf(src[kMaXa])) ma_xa = rng.Pick(g.catalog.active_codes);
      applied.push_back(Corruption::kOtherCommune);
    }
    const Cell phone = rng.Chance(0.5) ? src[kPhone] : Cell(g.NewPhone(rng));
    Row(c) = {Row(c)[kId], cccd, name, IsoDate(birth), src[kGender], ma_xa, phone, std::string("song"),
              g.CleanUpdate(rng)};
    g.birth_days[c] = g.birth_days[o];
    g.genders[c] = g.genders[o];
    g.written_birth[c] = birth;
    g.phone_still_valid[c] = true;
    const auto applied_kind = [&](Corruption k) { return std::find(applied.begin(), applied.end(), k) != applied.end(); };
    g.name_forms[c] = applied_kind(Corruption::kTcvn3) || applied_kind(Corruption::kVni) ? NameForm::kLegacy
                      : applied_kind(Corruption::kNfd)                                    ? NameForm::kNotNfc
                                                                                           : NameForm::kStandard;
    LinkageCopy copy{Cells(Row(c), kId), {}};
    for (Corruption k : applied) copy.corruptions.emplace_back(CorruptionName(k));
    std::sort(copy.corruptions.begin(), copy.corruptions.end());  // as the pairs list them
    return copy;
  }

  void PlantReentries() {
    const int64_t kinds = static_cast<int64_t>(Corruption::kCount);
    const int64_t total = ctx.Defects(ctx.reentry_rate, static_cast<int64_t>(g.birth_days.size()), kinds);
    // Originals per primary kind, each fit for its kind (so every kind exists at every scale).
    std::vector<std::pair<size_t, Corruption>> originals;
    for (int64_t k = 0; k < kinds; ++k) {
      const auto kind = static_cast<Corruption>(k);
      const int64_t want = total / kinds + (k < total % kinds ? 1 : 0);
      for (size_t r : plan.TakeIf(kReentryOriginal, want, [&](size_t row) {
             return TextOf(Row(row)[kStatus]) == "song" && Applicable(kind, row);
           })) {
        originals.emplace_back(r, kind);
      }
    }
    std::vector<int> copies;
    int64_t copy_count = 0;
    for (size_t i = 0; i < originals.size(); ++i) {
      copies.push_back(rng.Chance(0.2) ? 2 : 1);
      copy_count += copies.back();
    }
    std::vector<size_t> rows = plan.Take(kReentry, copy_count);
    rng.Shuffle(rows);
    size_t next = 0;
    for (size_t i = 0; i < originals.size() && next < rows.size(); ++i) {
      const auto [o, primary] = originals[i];
      LinkageCluster cluster{"reentered", Cells(Row(o), kId), {}};
      for (int c = 0; c < copies[i] && next < rows.size(); ++c) {
        // The first original of each kind has exactly one name corruption (tests verify it).
        const bool pure = i < static_cast<size_t>(kinds) && c == 0;
        const Corruption kind = c == 0 ? primary : RandomNameKind(o, {}).value_or(Corruption::kExtraSpaces);
        cluster.copies.push_back(WriteCopy(o, rows[next++], kind, pure));
      }
      truth.clusters.push_back(std::move(cluster));
    }
  }

  // Twins: same surname, birth date and commune, other given names; different people.
  void PlantTwins() {
    const int64_t count = ctx.Defects(0.0005, static_cast<int64_t>(g.birth_days.size()), 3);
    const std::vector<size_t> firsts = plan.TakeIf(kTwinOriginal, count, [&](size_t r) {
      return TextOf(Row(r)[kStatus]) == "song";
    });
    const std::vector<size_t> seconds = plan.Take(kTwin, static_cast<int64_t>(firsts.size()));
    for (size_t i = 0; i < firsts.size() && i < seconds.size(); ++i) {
      const size_t a = firsts[i], b = seconds[i];
      const std::string& name = Name(a);
      const std::string surname = name.substr(0, name.find(' '));
      const std::string given = name.substr(name.rfind(' ') + 1);
      const Gender gender = rng.Chance(0.5) ? Gender::kMale : Gender::kFemale;
      std::string twin;
      do {
        twin = surname + " " + RandomMiddleAndGiven(rng, gender);
      } while (twin.substr(twin.rfind(' ') + 1) == given);
      const int64_t birth = g.birth_days[a];
      Row(b) = {Row(b)[kId], g.NewCccd(birth, gender, rng), twin, IsoDate(birth),
                std::string(gender == Gender::kMale ? kNam : kNu), Row(a)[kMaXa], g.NewPhone(rng),
                std::string("song"), g.CleanUpdate(rng)};
      g.birth_days[b] = birth;
      g.genders[b] = gender;
      g.written_birth[b] = birth;
      g.phone_still_valid[b] = true;
      truth.near_misses.push_back({Cells(Row(a), kId), Cells(Row(b), kId), "twins"});
    }
  }

  // Groups of three people with one common full name in one commune, born on different dates
  // (never equal up to a day/month swap).
  void PlantCommonNames() {
    const int64_t groups = ctx.Defects(0.0003, static_cast<int64_t>(g.birth_days.size()), 2);
    for (int64_t gi = 0; gi < groups; ++gi) {
      const Gender gender = gi % 2 == 0 ? Gender::kMale : Gender::kFemale;
      const std::string name = gender == Gender::kMale ? "Nguyễn Văn An" : "Nguyễn Thị Lan";
      const std::string ma_xa = rng.Pick(g.catalog.active_codes);
      std::vector<int64_t> births;
      const std::vector<size_t> rows = plan.TakeIf(kCommonName, 3, [&](size_t r) {
        if (g.genders[r] != gender) return false;
        const int64_t b = g.birth_days[r];
        const std::optional<int64_t> swapped = SwappedBirth(b);
        for (int64_t other : births) {
          if (other == b || (swapped && *swapped == other)) return false;
        }
        births.push_back(b);
        return true;
      });
      for (size_t r : rows) {
        Row(r)[kName] = name;
        Row(r)[kMaXa] = ma_xa;
      }
      for (size_t i = 0; i < rows.size(); ++i) {
        for (size_t j = i + 1; j < rows.size(); ++j) {
          truth.near_misses.push_back({Cells(Row(rows[i]), kId), Cells(Row(rows[j]), kId), "common_name"});
        }
      }
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
  LinkagePlanter linkage(g, plan, ctx);
  linkage.PlantReentries();
  linkage.PlantTwins();
  linkage.PlantCommonNames();
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
    g.name_forms.push_back(g.name_forms[original]);
  };
  for (size_t i = 0; i < dup_originals.size(); ++i) {
    const int copies = static_cast<int64_t>(i) < dup2 ? 1 : 2;
    LinkageCluster cluster{"same_cccd", Cells(g.table.rows[dup_originals[i]], kId), {}};
    for (int c = 0; c < copies; ++c) {
      append_copy(dup_originals[i], kDupExtra, false);
      const auto& copy = g.table.rows.back();
      cluster.copies.push_back({Cells(copy, kId), {}});
      if (TextOf(copy[kMaXa]) != TextOf(g.table.rows[dup_originals[i]][kMaXa])) {
        cluster.copies.back().corruptions.emplace_back(CorruptionName(Corruption::kOtherCommune));
      }
    }
    linkage.truth.clusters.push_back(std::move(cluster));
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
  int64_t name_nonnull = 0, name_legacy = 0, name_not_nfc = 0;
  std::optional<int64_t> newest_birth;  // the latest parseable birth date (metric max)
  const int64_t oldest_birth = ShiftBy(ctx.now, Duration{120, Duration::Unit::kYears}, -1) / kSecondsPerDay;
  // so_dien_thoai_hop_le is broken down by district (ma_xa through dm_xa) and by commune: a NULL,
  // blank or unlisted code is the unknown unit (docs/checks.md "Breakdowns by unit").
  std::map<std::string, std::string> district_of;
  for (const Commune& c : DemoCommunes()) district_of[c.code] = c.district_code;
  const std::string unknown_unit = "(không xác định)";
  std::map<std::string, std::pair<int64_t, int64_t>> phone_by_district, phone_by_commune;
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
    const bool phone_is_bad =
        IsOneOf(t, {kPhoneEmpty, kPhoneBlank, kPhonePlaceholder, kPhoneMalformed, kPhoneOldMobile});
    phone_bad += phone_is_bad;
    if (!IsNull(row[kPhone])) {
      const std::string code = IsNull(row[kMaXa]) ? "" : TextOf(row[kMaXa]);
      const bool blank = TrimWhitespace(code).empty();
      const auto district = district_of.find(code);
      auto& d = phone_by_district[blank || district == district_of.end() ? unknown_unit
                                                                         : district->second];
      auto& c = phone_by_commune[blank ? unknown_unit : code];
      d.first += phone_is_bad;
      c.first += phone_is_bad;
      ++d.second;
      ++c.second;
    }
    gender_bad += t == kGenderBad;
    birth_bad += IsOneOf(t, {kBirthEmpty, kBirthPlaceholder, kBirthFuture, kBirthTooOld, kBirthBadDay, kBirthDmy});
    birth_unparseable += IsOneOf(t, {kBirthEmpty, kBirthPlaceholder, kBirthBadDay, kBirthDmy});
    if (!IsNull(row[kBirth]) && !IsOneOf(t, {kBirthEmpty, kBirthPlaceholder, kBirthBadDay, kBirthDmy})) {
      newest_birth = std::max(newest_birth.value_or(INT64_MIN), *g.written_birth[r]);
    }
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
    name_nonnull += !IsNull(row[kName]);
    name_legacy += g.name_forms[r] == NameForm::kLegacy;
    name_not_nfc += g.name_forms[r] == NameForm::kNotNfc;
  }
  const int64_t dup_violations = dup2 + 2 * dup3 + 1;  // + the group of two '' keys
  const int64_t dup_groups = dup2 + dup3 + 1;

  SourceTruth& src = truth.source("population");
  src.table_rows["cong_dan"] = static_cast<int64_t>(rows.size());
  auto add = [&](CheckTruth c) { return truth.Add("population", std::move(c)); };
  // rules/demo/population.yaml's contract of cong_dan: its 9 columns, nothing else.
  DQA_RETURN_IF_ERROR(add({.id = "schema:cong_dan", .type = "schema", .violations = 0,
                           .rows_checked = 9, .policy = AnyViolation()}));
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
                           .rows_checked = phone_nonnull, .policy = FailAbovePercent(2),
                           .units = {{"ma_huyen", phone_by_district}, {"ma_xa", phone_by_commune}}}));
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

  // metric and drift (docs/checks.md "Metric", "Drift"): the newest parseable birth date as a day
  // number, the NULL share of the phone numbers (recorded, bounded at 0.1), and on a first scan
  // the drift of birth dates only records its baseline.
  DQA_RETURN_IF_ERROR(add({.id = "ngay_sinh_moi_nhat", .type = "metric", .violations = 0,
                           .rows_checked = birth_nonnull, .unparseable = birth_unparseable,
                           .value = static_cast<double>(*newest_birth), .policy = AnyViolation()}));
  const double phone_null_ratio =
      static_cast<double>(in_scope - phone_nonnull) / static_cast<double>(in_scope);
  DQA_RETURN_IF_ERROR(add({.id = "ty_le_null_so_dien_thoai", .type = "metric",
                           .violations = phone_null_ratio > 0.1, .rows_checked = in_scope,
                           .value = phone_null_ratio, .policy = AnyViolation()}));
  DQA_RETURN_IF_ERROR(add({.id = "ngay_sinh_on_dinh", .type = "drift", .violations = 0,
                           .rows_checked = 0, .policy = AnyViolation()}));

  // Only re-entered copies are written out of standard form (never an original, a NULL or a
  // number), counted by how the generator wrote them (docs/demo-province.md).
  linkage.truth.non_standard_names = {{"names", name_nonnull},   {"legacy", name_legacy},
                                      {"not_nfc", name_not_nfc}, {"invalid_utf8", 0},
                                      {"control", 0}};
  std::map<int64_t, size_t> row_of_id;
  for (size_t r = 0; r < rows.size(); ++r) row_of_id[Cells(rows[r], kId)] = r;

  // Approximate checks (docs/demo-province.md "Approximate checks"): their truth is what was
  // written, and dqaudit may miss a little of it. fuzzy_duplicate: the true clusters among the
  // records in scope with a name (a test record is no citizen), records beyond the first of each.
  int64_t cluster_extra = 0, cluster_groups = 0;
  for (const LinkageCluster& cluster : linkage.truth.clusters) {
    int64_t members = 0;
    std::vector<int64_t> ids{cluster.original};
    for (const LinkageCopy& copy : cluster.copies) ids.push_back(copy.id);
    for (int64_t id : ids) {
      const auto& row = rows[row_of_id.at(id)];
      members += TextOf(row[kStatus]) != "thu_nghiem" && !IsNull(row[kName]);
    }
    if (members < 2) continue;
    cluster_extra += members - 1;
    ++cluster_groups;
  }
  DQA_RETURN_IF_ERROR(add({.id = "trung_cong_dan_gan_dung", .type = "fuzzy_duplicate", .violations = cluster_extra,
                           .rows_checked = name_nonnull, .groups = cluster_groups,
                           .policy = WarnFailPercent(0.1, 0.5),
                           .tolerance = {{"violations", kFuzzyTolerance}, {"groups", kFuzzyTolerance}}}));
  // standard_text: every name has at most one reason here, so the violations are the sum. NFD,
  // invalid UTF-8 and control characters are exact; legacy detection never reports a name that
  // was not written so (the check is conservative) but misses some: a lower bound, and the
  // violations may fall short by as many names as it may miss.
  const Tolerance legacy_tolerance{kLegacyBelowPercent, 0};
  const int64_t text_violations = name_legacy + name_not_nfc;
  const Tolerance text_tolerance{
      text_violations == 0 ? 0 : kLegacyBelowPercent * static_cast<double>(name_legacy) / static_cast<double>(text_violations), 0};
  DQA_RETURN_IF_ERROR(add({.id = "ho_ten_chuan", .type = "standard_text", .violations = text_violations,
                           .rows_checked = name_nonnull,
                           .policy = AnyViolation(Severity::kWarn),
                           .metrics = {{"legacy", static_cast<double>(name_legacy)},
                                       {"not_nfc", static_cast<double>(name_not_nfc)},
                                       {"invalid_utf8", 0},
                                       {"control", 0}},
                           .tolerance = {{"violations", text_tolerance}, {"metrics.legacy", legacy_tolerance}}}));
  // Hand-offs to the other departments' generators (identity copied verbatim).
  const auto ref_of = [&](size_t r) {
    const auto& row = rows[r];
    return CitizenRef{Cells(row, kId), IsNull(row[kCccd]) ? "" : TextOf(row[kCccd]),
                      IsNull(row[kName]) ? "" : TextOf(row[kName]), g.birth_days[r], g.genders[r],
                      IsNull(row[kMaXa]) ? "" : TextOf(row[kMaXa])};
  };
  for (const LinkageCluster& cluster : linkage.truth.clusters) {
    if (cluster.kind != "reentered") continue;
    for (const LinkageCopy& copy : cluster.copies) {
      info.reentered.push_back({ref_of(row_of_id.at(cluster.original)), ref_of(row_of_id.at(copy.id)),
                                copy.corruptions});
    }
  }
  truth.SetLinkage("population", "cong_dan", std::move(linkage.truth));

  for (size_t r = 0; r < rows.size(); ++r) {
    const auto& row = rows[r];
    const uint16_t t = tags[r];
    CitizenRef ref = ref_of(r);
    const std::string& status = TextOf(row[kStatus]);
    // The record-linkage roles are clean identities; re-entered copies are not handed on.
    const bool linkage_clean = IsOneOf(t, {kReentryOriginal, kTwinOriginal, kTwin, kCommonName});
    if (status == "da_mat" && (linkage_clean || IsOneOf(t, {kClean, kAnchor, kStaleDead}))) {
      info.deceased.push_back(ref);
    }
    if (t == kDeathNotPropagated) info.unpropagated_deaths.push_back(ref);
    if (status == "song" && (linkage_clean || IsOneOf(t, {kClean, kAnchor}))) info.living.push_back(std::move(ref));
  }
  const auto text = [](const Cell& c) {
    return IsNull(c) ? std::nullopt : std::optional<std::string>(TextOf(c));
  };
  for (const auto& row : rows) info.rows.push_back({text(row[kCccd]), text(row[kMaXa]), text(row[kStatus])});
  return Status::Ok();
}

}  // namespace dqa::datagen
