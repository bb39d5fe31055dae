// The social_protection plugin: payments after death, cashless coverage, double enrolment, one
// person enrolled as two citizens (Sở LĐ-TB&XH).
#include <dqaudit/plugin.h>
#include <dqaudit/sql.h>

#include <algorithm>
#include <optional>
#include <set>
#include <string>

#include "benefits.h"

namespace {

using dqa::sdk::DateFormatParam;
using dqa::sdk::Param;
using dqa::sdk::ParamType;
using dqa::sdk::QuoteQualifiedName;  // names may be qualified: "civil.khai_tu"
namespace sp = dqa::social_protection;

// "?, ?" for an SQL IN list of `values`, their binds appended to `binds`.
std::string Placeholders(const std::vector<std::string>& values,
                         std::vector<dqa::sdk::Bind>& binds) {
  std::string in;
  for (const std::string& v : values) {
    in += in.empty() ? "?" : ", ?";
    binds.emplace_back(v);
  }
  return in;
}

// Payments of this table dated after the beneficiary's death registered in civil registration.
class PaidAfterDeathCheck : public dqa::sdk::QueryCheck {
 public:
  explicit PaidAfterDeathCheck(const dqa::sdk::Params& p)
      : table_(p.context().table),
        key_(p.GetString("key", "id")),
        beneficiary_(p.GetString("beneficiary", "doi_tuong_id")),
        paid_on_(p.GetString("paid_on", "ngay_chi")),
        amount_(p.GetString("amount", "")),
        beneficiaries_(p.GetString("beneficiaries", "doi_tuong")),
        beneficiary_key_(p.GetString("beneficiary_key", "id")),
        beneficiary_id_(p.GetString("beneficiary_id", "so_cccd")),
        deaths_(p.GetString("deaths")),
        death_id_(p.GetString("death_id", "so_cccd")),
        death_date_(p.GetString("death_date", "ngay_mat")),
        paid_format_(p.GetDateFormat("date_format")),
        death_format_(p.GetDateFormat("death_date_format")) {}

  void Run(const dqa::sdk::Query& query, dqa::sdk::Result& result) override {
    const auto rows = query.Scalar("SELECT count(*) FROM " + QuoteQualifiedName(table_));
    // One result row per (payment, death record); a person registered dead twice is judged
    // against the earliest parseable death day.
    const std::string sql =
        "SELECT p.rowid, CAST(p." + QuoteQualifiedName(key_) + " AS TEXT), p." +
        QuoteQualifiedName(paid_on_) + ", k." + QuoteQualifiedName(death_date_) + ", " +
        (amount_.empty() ? "NULL" : "p." + QuoteQualifiedName(amount_)) + ", CAST(b." +
        QuoteQualifiedName(beneficiary_id_) + " AS TEXT) FROM " + QuoteQualifiedName(table_) +
        " p JOIN " + QuoteQualifiedName(beneficiaries_) + " b ON b." +
        QuoteQualifiedName(beneficiary_key_) + " = p." + QuoteQualifiedName(beneficiary_) +
        " JOIN " + QuoteQualifiedName(deaths_) + " k ON k." + QuoteQualifiedName(death_id_) +
        " = b." + QuoteQualifiedName(beneficiary_id_) + " WHERE b." +
        QuoteQualifiedName(beneficiary_id_) + " IS NOT NULL ORDER BY p.rowid";
    struct Payment {
      std::string row;  // the row's identity, as text (the engines' row ids differ in type)
      std::string key, person;
      std::optional<int64_t> paid, death;
      double amount = 0;
    };
    std::optional<Payment> current;
    int64_t violations = 0;
    double amount_after_death = 0;
    std::set<std::string> people;
    auto flush = [&] {
      if (!current || !sp::PaidAfterDeath(current->paid, current->death)) return;
      ++violations;
      amount_after_death += current->amount;
      people.insert(current->person);
      result.AddSample({current->key});
    };
    query.ForEach(sql, {}, [&](const dqa::sdk::Row& row) {
      const std::string_view id = row.TextAt(0).value_or("");
      if (!current || current->row != id) {
        flush();
        current = Payment{std::string(id),
                          std::string(row.TextAt(1).value_or("")),
                          std::string(row.TextAt(5).value_or("")),
                          row.DateDayAt(2, paid_format_),
                          std::nullopt,
                          row.DoubleAt(4).value_or(0)};
      }
      current->death = sp::EarliestDay(current->death, row.DateDayAt(3, death_format_));
    });
    flush();
    result.SetCounts(violations, static_cast<int64_t>(rows.value_or(0)));
    result.AddMetric("beneficiaries_affected", static_cast<double>(people.size()));
    if (!amount_.empty()) result.AddMetric("amount_paid_after_death", amount_after_death);
  }

 private:
  std::string table_, key_, beneficiary_, paid_on_, amount_, beneficiaries_, beneficiary_key_,
      beneficiary_id_, deaths_, death_id_, death_date_;
  dqa::sdk::DateFormat paid_format_, death_format_;
};

// Beneficiaries without a bank account (paid in cash); reports the cashless coverage.
class NoBankAccountCheck : public dqa::sdk::QueryCheck {
 public:
  explicit NoBankAccountCheck(const dqa::sdk::Params& p)
      : table_(p.context().table),
        column_(p.GetColumn("column")),
        key_(p.GetString("key", "id")),
        target_(p.Has("target_percent") ? std::optional<double>(p.GetNumber("target_percent"))
                                        : std::nullopt) {}

  void Run(const dqa::sdk::Query& query, dqa::sdk::Result& result) override {
    int64_t rows = 0, violations = 0;
    query.ForEach("SELECT CAST(" + QuoteQualifiedName(key_) + " AS TEXT), CAST(" +
                      QuoteQualifiedName(column_) + " AS TEXT) FROM " + QuoteQualifiedName(table_) +
                      " ORDER BY rowid",
                  {}, [&](const dqa::sdk::Row& row) {
                    ++rows;
                    if (!sp::LacksAccount(row.TextAt(1))) return;
                    ++violations;
                    result.AddSample({std::string(row.TextAt(0).value_or(""))});
                  });
    result.SetCounts(violations, rows);
    result.AddMetric("cashless_coverage_percent", sp::CashlessCoveragePercent(rows, violations));
    dqa::sdk::Indicator cashless = dqa::sdk::Indicator::Share("cashless", rows - violations, rows);
    cashless.title = "Chi trả không dùng tiền mặt";
    cashless.target = target_;
    result.AddIndicator(cashless);
  }

 private:
  std::string table_, column_, key_;
  std::optional<double> target_;
};

// The same person (identity number) with more than one active enrolment.
class EnrolledTwiceCheck : public dqa::sdk::QueryCheck {
 public:
  explicit EnrolledTwiceCheck(const dqa::sdk::Params& p)
      : table_(p.context().table),
        id_(p.GetString("identity", "so_cccd")),
        status_(p.GetString("status", "trang_thai")),
        type_(p.GetString("type", "")),
        key_(p.GetString("key", "id")),
        active_(p.Has("active_values") ? p.GetStringList("active_values")
                                       : std::vector<std::string>{"dang_huong"}),
        combinable_(p.GetStringList("combinable")) {
    if (active_.empty()) throw dqa::sdk::Error("active_values must not be empty");
    if (!combinable_.empty() && type_.empty())
      throw dqa::sdk::Error("combinable needs the type column");
  }

  void Run(const dqa::sdk::Query& query, dqa::sdk::Result& result) override {
    std::vector<dqa::sdk::Bind> binds;
    const std::string in = Placeholders(active_, binds);
    sp::EnrolmentCounter counter(std::set<std::string>(combinable_.begin(), combinable_.end()));
    query.ForEach("SELECT CAST(" + QuoteQualifiedName(key_) + " AS TEXT), CAST(" +
                      QuoteQualifiedName(id_) + " AS TEXT), " +
                      (type_.empty() ? "''" : "CAST(" + QuoteQualifiedName(type_) + " AS TEXT)") +
                      " FROM " + QuoteQualifiedName(table_) + " WHERE " + QuoteQualifiedName(id_) +
                      " IS NOT NULL AND " + QuoteQualifiedName(status_) + " IN (" + in +
                      ") ORDER BY rowid",
                  binds, [&](const dqa::sdk::Row& row) {
                    counter.Add(std::string(row.TextAt(1).value_or("")),
                                std::string(row.TextAt(0).value_or("")),
                                std::string(row.TextAt(2).value_or("")));
                  });
    for (const std::string& key : counter.violating_keys()) result.AddSample({key});
    result.SetCounts(counter.people_enrolled_twice(), counter.enrolments());
    result.AddMetric("extra_enrolments", static_cast<double>(counter.extra_enrolments()));
  }

 private:
  std::string table_, id_, status_, type_, key_;
  std::vector<std::string> active_, combinable_;
};

// One person enrolled under two citizen records: the host clusters the citizens of population
// (fuzzy duplicates: a re-entered citizen with another spelling and a mistyped identity number),
// and a cluster whose records' identity numbers both have an active enrolment here is one person
// paid twice. Counts people; samples the keys of their enrolments.
class EnrolledAsTwoCitizensCheck : public dqa::sdk::QueryCheck {
 public:
  explicit EnrolledAsTwoCitizensCheck(const dqa::sdk::Params& p)
      : table_(p.context().table),
        citizens_(p.GetString("citizens")),
        id_(p.GetString("identity", "so_cccd")),
        status_(p.GetString("status", "trang_thai")),
        key_(p.GetString("key", "id")),
        active_(p.Has("active_values") ? p.GetStringList("active_values")
                                       : std::vector<std::string>{"dang_huong"}) {
    request_.name = p.GetString("citizen_name", "ho_ten");
    request_.same = p.Has("same") ? p.GetStringList("same") : std::vector<std::string>{"ngay_sinh"};
    request_.also = p.Has("also") ? p.GetStringList("also")
                                  : std::vector<std::string>{"ma_xa", "so_cccd"};
    request_.threshold = p.GetNumber("threshold", 0.9);
    request_.key = {p.GetString("citizen_id", "so_cccd")};
    if (active_.empty()) throw dqa::sdk::Error("active_values must not be empty");
  }

  void Run(const dqa::sdk::Query& query, dqa::sdk::Result& result) override {
    std::vector<dqa::sdk::Bind> binds;
    const std::string in = Placeholders(active_, binds);
    sp::ClusterEnrolments enrolments;
    query.ForEach("SELECT CAST(" + QuoteQualifiedName(key_) + " AS TEXT), CAST(" +
                      QuoteQualifiedName(id_) + " AS TEXT) FROM " + QuoteQualifiedName(table_) +
                      " WHERE " + QuoteQualifiedName(id_) + " IS NOT NULL AND " +
                      QuoteQualifiedName(status_) + " IN (" + in + ") ORDER BY rowid",
                  binds, [&](const dqa::sdk::Row& row) {
                    enrolments.AddEnrolment(std::string(row.TextAt(1).value_or("")),
                                            std::string(row.TextAt(0).value_or("")));
                  });
    for (const dqa::sdk::ClusterRecord& r : query.FuzzyClusters(citizens_, request_)) {
      enrolments.AddClusterRecord(r.group, r.key.empty() ? "" : r.key[0]);
    }
    for (const std::string& key : enrolments.violating_keys()) result.AddSample({key});
    result.SetCounts(enrolments.people_enrolled_twice(), enrolments.enrolments());
    result.AddMetric("extra_identities", static_cast<double>(enrolments.extra_identities()));
  }

 private:
  std::string table_, citizens_, id_, status_, key_;
  std::vector<std::string> active_;
  dqa::sdk::FuzzyClusterRequest request_;
};

// The plugin's words in both report languages (docs/plugins.md "Messages").
const dqa::sdk::Messages kMessages{{
    {"metric.beneficiaries_affected", "Số đối tượng bị ảnh hưởng", "Beneficiaries affected"},
    {"metric.amount_paid_after_death", "Số tiền chi trả sau khi mất (đồng)",
     "Amount paid after death (VND)"},
    {"metric.cashless_coverage_percent", "Tỷ lệ chi trả không dùng tiền mặt", "Cashless payments"},
    {"metric.extra_enrolments", "Số lượt hưởng trùng", "Extra enrolments"},
    {"metric.extra_identities", "Số định danh thừa", "Extra identities"},
    {"indicator.cashless", "Chi trả không dùng tiền mặt", "Welfare paid cashless"},
}};

}  // namespace

DQA_PLUGIN(
    "social_protection", "1.0.0", "social_protection",
    "Social protection: payments after death, cashless coverage, people enrolled twice",
    kMessages,
    dqa::sdk::MakeQueryCheck<PaidAfterDeathCheck>(
        "paid_after_death", "Payments dated after the beneficiary's registered death", "freshness",
        {Param{"deaths", ParamType::kString, true,
               "death register, e.g. civil.khai_tu (attach alias)"},
         Param{"death_id", ParamType::kString, false,
               "identity column of the death register (so_cccd)"},
         Param{"death_date", ParamType::kString, false, "death date column (ngay_mat)"},
         DateFormatParam("death_date_format", "death date format"),
         Param{"beneficiary", ParamType::kColumn, false,
               "payment's beneficiary reference (doi_tuong_id)"},
         Param{"paid_on", ParamType::kColumn, false, "payment date (ngay_chi)"},
         DateFormatParam("date_format", "payment date format"),
         Param{"amount", ParamType::kColumn, false,
               "amount column: adds metric amount_paid_after_death"},
         Param{"beneficiaries", ParamType::kString, false, "beneficiary table (doi_tuong)"},
         Param{"beneficiary_key", ParamType::kString, false, "its key the payments reference (id)"},
         Param{"beneficiary_id", ParamType::kString, false, "its identity number column (so_cccd)"},
         Param{"key", ParamType::kColumn, false, "row key reported in samples (default id)"}}),
    dqa::sdk::MakeQueryCheck<NoBankAccountCheck>(
        "no_bank_account", "Beneficiaries without a bank account; indicator cashless",
        "completeness",
        {Param{"column", ParamType::kColumn, true, "bank account column (so_tai_khoan)"},
         Param{"key", ParamType::kColumn, false, "row key reported in samples (default id)"},
         Param{"target_percent", ParamType::kNumber, false,
               "target of the cashless share of beneficiaries (indicator cashless)"}
             .Range(0, 100)}),
    dqa::sdk::MakeQueryCheck<EnrolledTwiceCheck>(
        "enrolled_twice", "The same person with more than one active enrolment", "uniqueness",
        {Param{"identity", ParamType::kColumn, false, "identity number column (default so_cccd)"},
         Param{"status", ParamType::kColumn, false, "status column (default trang_thai)"},
         Param{"active_values", ParamType::kStringList, false,
               "active statuses (default [dang_huong])"},
         Param{"type", ParamType::kColumn, false, "allowance type column"},
         Param{"combinable", ParamType::kStringList, false,
               "types that may be combined with another"},
         Param{"key", ParamType::kColumn, false, "row key reported in samples (default id)"}}),
    dqa::sdk::MakeQueryCheck<EnrolledAsTwoCitizensCheck>(
        "enrolled_as_two_citizens",
        "One person enrolled under two citizen records (a re-entered citizen, fuzzy duplicates)",
        "uniqueness",
        {Param{"citizens", ParamType::kString, true,
               "citizen register, e.g. population.cong_dan (attach alias)"},
         Param{"citizen_name", ParamType::kString, false, "its full-name column (ho_ten)"},
         Param{"citizen_id", ParamType::kString, false, "its identity number column (so_cccd)"},
         Param{"same", ParamType::kStringList, false,
               "its fields that must agree (default [ngay_sinh])"},
         Param{"also", ParamType::kStringList, false,
               "its fields that add evidence (default [ma_xa, so_cccd])"},
         Param{"threshold", ParamType::kNumber, false, "match probability of one person"}
             .Range(0.5, 1)
             .Default(0.9),
         Param{"identity", ParamType::kColumn, false, "identity number column (default so_cccd)"},
         Param{"status", ParamType::kColumn, false, "status column (default trang_thai)"},
         Param{"active_values", ParamType::kStringList, false,
               "active statuses (default [dang_huong])"},
         Param{"key", ParamType::kColumn, false, "row key reported in samples (default id)"}}))
