// The civil_registration plugin: timeliness and identity of birth and death registrations (Sở Tư
// pháp).
#include <dqaudit/plugin.h>
#include <dqaudit/sql.h>

#include <string>

#include "registration.h"

namespace {

using dqa::sdk::Param;
using dqa::sdk::ParamType;
using dqa::sdk::QuoteIdentifier;
namespace cr = dqa::civil_registration;

// Shared by both timeliness checks: rows where either date is missing or unparseable are not
// judged, so rows_checked counts only the registrations the check could decide.
class TimelinessCheck : public dqa::sdk::RowCheck {
 public:
  TimelinessCheck(const dqa::sdk::Params& p, cr::TimelinessVerdict counted, int64_t deadline_days)
      : counted_(counted), deadline_days_(deadline_days), format_(p.GetDateFormat("date_format")) {}

  bool Observe(const dqa::sdk::Row& row) override {
    const cr::TimelinessVerdict v = cr::JudgeRegistration(
        row.DateDay("event", format_), row.DateDay("registered", format_), deadline_days_);
    if (v == cr::TimelinessVerdict::kUnjudged) {
      ++unjudged_;
      return false;
    }
    ++judged_;
    if (v != counted_) return false;
    ++violations_;
    return true;
  }

  void Finish(dqa::sdk::Result& result) override {
    result.SetCounts(violations_, judged_);
    result.AddMetric("unjudged", static_cast<double>(unjudged_));
  }

 private:
  cr::TimelinessVerdict counted_;
  int64_t deadline_days_;
  dqa::sdk::DateFormat format_;
  int64_t judged_ = 0;
  int64_t violations_ = 0;
  int64_t unjudged_ = 0;
};

class RegisteredBeforeEventCheck : public TimelinessCheck {
 public:
  explicit RegisteredBeforeEventCheck(const dqa::sdk::Params& p)
      : TimelinessCheck(p, cr::TimelinessVerdict::kBeforeEvent, 0) {}
};

int64_t DeadlineParam(const dqa::sdk::Params& p) {
  if (p.Has("max_days")) {
    const int64_t days = p.GetInteger("max_days");
    if (days < 0) throw dqa::sdk::Error("max_days must not be negative");
    return days;
  }
  if (!p.Has("kind")) throw dqa::sdk::Error("give kind (birth or death) or max_days");
  const auto kind = cr::ParseEventKind(p.GetString("kind"));
  if (!kind)
    throw dqa::sdk::Error("kind must be birth or death, got '" + p.GetString("kind") + "'");
  return cr::LegalDeadlineDays(*kind);
}

class LateRegistrationCheck : public TimelinessCheck {
 public:
  explicit LateRegistrationCheck(const dqa::sdk::Params& p)
      : TimelinessCheck(p, cr::TimelinessVerdict::kLate, DeadlineParam(p)) {}
};

// Death records whose identity column is NULL, blank, or not a 12-digit CCCD / 9-digit CMND.
class DeathWithoutIdentityCheck : public dqa::sdk::QueryCheck {
 public:
  explicit DeathWithoutIdentityCheck(const dqa::sdk::Params& p)
      : table_(p.context().table), column_(p.GetColumn("column")), key_(p.GetString("key")) {}

  void Run(const dqa::sdk::Query& query, dqa::sdk::Result& result) override {
    int64_t rows = 0, violations = 0;
    query.ForEach("SELECT CAST(" + QuoteIdentifier(key_) + " AS TEXT), CAST(" +
                      QuoteIdentifier(column_) + " AS TEXT) FROM " + QuoteIdentifier(table_) +
                      " ORDER BY rowid",
                  {}, [&](const dqa::sdk::Row& row) {
                    ++rows;
                    const auto id = row.TextAt(1);
                    if (id && cr::IsIdentityNumber(*id)) return;
                    ++violations;
                    result.AddSample({std::string(row.TextAt(0).value_or(""))});
                  });
    result.SetCounts(violations, rows);
  }

 private:
  std::string table_, column_, key_;
};

const std::vector<Param> kTimelinessParams = {
    Param{"event", ParamType::kColumn, true, "date of the event (ngay_sinh, ngay_mat)"},
    Param{"registered", ParamType::kColumn, true, "date of registration (ngay_dang_ky)"},
    dqa::sdk::DateFormatParam("date_format", "how date texts are written")};

std::vector<Param> LateParams() {
  std::vector<Param> params = kTimelinessParams;
  params.push_back(Param{"kind", ParamType::kString, false, "birth (60 days) or death (15 days)"}
                       .Choices({"birth", "death"}));
  params.push_back(
      Param{"max_days", ParamType::kInteger, false, "deadline in days, overrides kind"}.Min(0));
  return params;
}

// The plugin's words in both report languages (docs/plugins.md "Messages").
const dqa::sdk::Messages kMessages{{
    {"metric.unjudged", "Bản ghi không đánh giá được (thiếu ngày)",
     "Records that could not be judged (missing dates)"},
}};

}  // namespace

DQA_PLUGIN(
    "civil_registration", "1.0.0", "civil_registration",
    "Civil status registers: registrations before the event, late registrations, deaths without "
    "identity",
    kMessages,
    dqa::sdk::MakeRowCheck<RegisteredBeforeEventCheck>(
        "registered_before_event", "Registration dated before the birth or death it records",
        "validity", kTimelinessParams),
    dqa::sdk::MakeRowCheck<LateRegistrationCheck>(
        "late_registration", "Registered after the legal deadline (birth 60 days, death 15 days)",
        "freshness", LateParams()),
    dqa::sdk::MakeQueryCheck<DeathWithoutIdentityCheck>(
        "death_without_identity", "Death records without a CCCD (12 digits) or CMND (9 digits)",
        "completeness",
        {Param{"column", ParamType::kColumn, true, "identity number column (so_cccd)"},
         Param{"key", ParamType::kColumn, false, "row key reported in samples"}.Default("id")}))
