// The population plugin: checks of the citizen register (Công an tỉnh), built with the dqaudit SDK.
#include <dqaudit/plugin.h>
#include <dqaudit/sql.h>

#include <map>
#include <string>
#include <unordered_set>

#include "birth_date.h"
#include "cccd.h"
#include "phone.h"

namespace {

using dqa::sdk::Param;
using dqa::sdk::ParamType;
using dqa::sdk::QuoteQualifiedName;  // names may be qualified: "civil.khai_tu"
namespace pop = dqa::population;

class CccdCheck : public dqa::sdk::RowCheck {
 public:
  explicit CccdCheck(const dqa::sdk::Params& p)
      : format_(p.GetDateFormat("date_format")),
        has_birth_(p.Has("birth_date")),
        has_gender_(p.Has("gender")),
        genders_(p.Has("male") || p.Has("female")
                     ? pop::GenderReader(p.GetStringList("male"), p.GetStringList("female"))
                     : pop::GenderReader()) {}

  bool Observe(const dqa::sdk::Row& row) override {
    std::optional<int64_t> year;
    if (has_birth_) {
      if (auto day = row.DateDay("birth_date", format_)) year = dqa::sdk::CivilFromDays(*day).year;
    }
    const pop::Gender gender =
        has_gender_ ? genders_.Read(row.Text("gender")) : pop::Gender::kUnknown;
    const pop::CccdVerdict v = pop::CheckCccd(*row.Text("column"), year, gender);
    if (v == pop::CccdVerdict::kValid) return false;
    ++by_verdict_[v];
    return true;
  }

  void Finish(dqa::sdk::Result& result) override {
    // One part per reason, in verdict order: "không đủ 12 chữ số: 142; mã tỉnh không tồn tại: 70".
    for (const auto& [verdict, count] : by_verdict_) {
      result.AddMessage(VerdictKey(verdict), {{"n_count", std::to_string(count)}});
    }
  }

  // The catalog key of a failing verdict (kMessages).
  static std::string VerdictKey(pop::CccdVerdict verdict) {
    switch (verdict) {
      case pop::CccdVerdict::kNotTwelveDigits: return "cccd.not_twelve_digits";
      case pop::CccdVerdict::kUnknownProvince: return "cccd.unknown_province";
      case pop::CccdVerdict::kGenderMismatch: return "cccd.gender_mismatch";
      case pop::CccdVerdict::kCenturyMismatch: return "cccd.century_mismatch";
      case pop::CccdVerdict::kBirthYearMismatch: return "cccd.birth_year_mismatch";
      case pop::CccdVerdict::kValid: break;
    }
    return "cccd.valid";
  }

 private:
  dqa::sdk::DateFormat format_;
  bool has_birth_;
  bool has_gender_;
  pop::GenderReader genders_;
  std::map<pop::CccdVerdict, int64_t> by_verdict_;
};

class PhoneCheck : public dqa::sdk::RowCheck {
 public:
  explicit PhoneCheck(const dqa::sdk::Params& p) {
    options_.allow_international = p.GetBool("allow_international");
    options_.allow_landline = p.GetBool("allow_landline");
  }

  bool Observe(const dqa::sdk::Row& row) override {
    const pop::PhoneVerdict v = pop::ClassifyPhone(*row.Text("column"), options_);
    if (v == pop::PhoneVerdict::kMobile) ++mobile_;
    if (v == pop::PhoneVerdict::kLandline) ++landline_;
    return !pop::IsValid(v);
  }

  void Finish(dqa::sdk::Result& result) override {
    result.AddMetric("mobile", static_cast<double>(mobile_));
    result.AddMetric("landline", static_cast<double>(landline_));
  }

 private:
  pop::PhoneOptions options_;
  int64_t mobile_ = 0;
  int64_t landline_ = 0;
};

class BirthDateCheck : public dqa::sdk::RowCheck {
 public:
  explicit BirthDateCheck(const dqa::sdk::Params& p)
      : format_(p.GetDateFormat("date_format")),
        max_age_(p.GetInteger("max_age")),
        today_(p.context().today_day) {
    if (max_age_ < 0) throw dqa::sdk::Error("max_age must not be negative");
  }

  bool Observe(const dqa::sdk::Row& row) override {
    const pop::BirthDateVerdict v =
        pop::CheckBirthDate(row.DateDay("column", format_), today_, max_age_);
    if (v == pop::BirthDateVerdict::kUnparseable) ++unparseable_;
    return v != pop::BirthDateVerdict::kValid;
  }

  void Finish(dqa::sdk::Result& result) override {
    result.AddMetric("unparseable", static_cast<double>(unparseable_));
  }

 private:
  dqa::sdk::DateFormat format_;
  int64_t max_age_;
  int64_t today_;
  int64_t unparseable_ = 0;
};

// Citizens still 'song' in the register although civil registration has registered their death.
class DeathNotPropagatedCheck : public dqa::sdk::QueryCheck {
 public:
  explicit DeathNotPropagatedCheck(const dqa::sdk::Params& p)
      : table_(p.context().table),
        key_(p.GetString("key")),
        id_(p.GetString("identity")),
        status_(p.GetString("status")),
        alive_(p.GetString("alive_value")),
        deaths_(p.GetString("deaths")),
        death_id_(p.GetString("death_id")) {}

  void Run(const dqa::sdk::Query& query, dqa::sdk::Result& result) override {
    const std::string living = " FROM " + QuoteQualifiedName(table_) + " c WHERE c." +
                               QuoteQualifiedName(status_) + " = ? AND c." +
                               QuoteQualifiedName(id_) + " IS NOT NULL";
    const auto checked = query.Scalar("SELECT count(*)" + living, {alive_});
    int64_t violations = 0;
    // IN (subquery), not a correlated EXISTS: SQLite builds the set of registered identities once
    // (an ephemeral index) instead of scanning the death register for every citizen, which made
    // this check quadratic (hours for a real province).
    query.ForEach("SELECT CAST(c." + QuoteQualifiedName(key_) + " AS TEXT)" + living + " AND c." +
                      QuoteQualifiedName(id_) + " IN (SELECT d." + QuoteQualifiedName(death_id_) +
                      " FROM " + QuoteQualifiedName(deaths_) + " d WHERE d." +
                      QuoteQualifiedName(death_id_) + " IS NOT NULL) ORDER BY c.rowid",
                  {alive_}, [&](const dqa::sdk::Row& row) {
                    ++violations;
                    result.AddSample({std::string(row.TextAt(0).value_or(""))});
                  });
    result.SetCounts(violations, static_cast<int64_t>(checked.value_or(0)));
  }

 private:
  std::string table_, key_, id_, status_, alive_, deaths_, death_id_;
};

// The plugin's words in both report languages (docs/plugins.md "Messages").
const dqa::sdk::Messages kMessages{{
    {"cccd.not_twelve_digits", "không đủ 12 chữ số: {count}", "not 12 digits: {count}"},
    {"cccd.unknown_province", "mã tỉnh không tồn tại: {count}", "unknown province code: {count}"},
    {"cccd.gender_mismatch", "mã giới tính không khớp giới tính: {count}",
     "gender digit does not match the gender: {count}"},
    {"cccd.century_mismatch", "mã thế kỷ không khớp năm sinh: {count}",
     "century digit does not match the birth year: {count}"},
    {"cccd.birth_year_mismatch", "hai số năm sinh không khớp: {count}",
     "birth year digits do not match: {count}"},
    {"cccd.valid", "hợp lệ: {count}", "valid: {count}"},
    {"metric.mobile", "Số di động", "Mobile numbers"},
    {"metric.landline", "Số cố định", "Landline numbers"},
    {"metric.unparseable", "Ngày không đọc được", "Unreadable dates"},
}};

const Param kDateFormat = dqa::sdk::DateFormatParam("date_format", "how date texts are written");

}  // namespace

DQA_PLUGIN(
    "population", "1.0.0", "population",
    "Citizen register: CCCD structure, phone numbering, birth dates, deaths not propagated",
    kMessages,
    dqa::sdk::MakeRowCheck<CccdCheck>(
        "cccd",
        "CCCD number: 12 digits, official province code, century/gender digit and birth year agree",
        "validity",
        {Param{"column", ParamType::kColumn, true, "the CCCD number"},
         Param{"birth_date", ParamType::kColumn, false,
               "birth date (ISO, D/M/YYYY or Unix seconds)"},
         Param{"gender", ParamType::kColumn, false, "gender text (Nam / Nữ)"},
         kDateFormat,
         Param{"male", ParamType::kStringList, false, "spellings of male (default [Nam])"},
         Param{"female", ParamType::kStringList, false,
               "spellings of female (default [Nữ], NFC and NFD)"}}),
    dqa::sdk::MakeRowCheck<PhoneCheck>(
        "phone",
        "Vietnamese mobile (10 digits, allocated prefix) or landline (11 digits, area code)",
        "validity",
        {Param{"column", ParamType::kColumn, true, "the phone number"},
         Param{"allow_international", ParamType::kBool, false, "accept +84/84 forms"}.Default(true),
         Param{"allow_landline", ParamType::kBool, false, "accept fixed lines"}.Default(true)}),
    dqa::sdk::MakeRowCheck<BirthDateCheck>(
        "birth_date", "Birth date is a real date, not in the future, age at most max_age years",
        "validity",
        {Param{"column", ParamType::kColumn, true, "the birth date"},
         kDateFormat,
         Param{"max_age", ParamType::kInteger, false, "oldest plausible age in years"}
             .Min(0)
             .Default(120)}),
    dqa::sdk::MakeQueryCheck<DeathNotPropagatedCheck>(
        "death_not_propagated",
        "Citizens still alive in the register whose death civil registration recorded", "validity",
        {Param{"deaths", ParamType::kString, true,
               "death register table, e.g. civil.khai_tu (attach alias)"},
         Param{"death_id", ParamType::kString, false, "identity column of the death register"}
             .Default("so_cccd"),
         Param{"identity", ParamType::kColumn, false, "identity column of this table"}
             .Default("so_cccd"),
         Param{"status", ParamType::kColumn, false, "status column"}.Default("trang_thai"),
         Param{"alive_value", ParamType::kString, false, "status of living citizens"}
             .Default("song"),
         Param{"key", ParamType::kColumn, false, "row key reported in samples"}.Default("id")}))
