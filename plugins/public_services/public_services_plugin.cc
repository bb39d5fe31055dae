// The public_services plugin: one-stop dossiers (Trung tâm Phục vụ hành chính công).
#include <dqaudit/plugin.h>
#include <dqaudit/sql.h>

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "dossier.h"

namespace {

using dqa::sdk::Param;
using dqa::sdk::ParamType;
using dqa::sdk::QuoteIdentifier;
namespace ps = dqa::public_services;

// A timestamp cell: ISO text, INTEGER or REAL Unix seconds; nullopt for NULL or unparseable.
std::optional<int64_t> TimeAt(const dqa::sdk::Row& row, int index) {
  switch (row.TypeAt(index)) {
    case dqa::sdk::ValueType::kInteger:
    case dqa::sdk::ValueType::kReal:
      return row.IntAt(index);
    case dqa::sdk::ValueType::kText:
      return ps::ParseTimestamp(*row.TextAt(index));
    default:
      return std::nullopt;
  }
}
std::optional<int64_t> Time(const dqa::sdk::Row& row, const char* name) {
  return TimeAt(row, row.Find(name));
}

std::vector<std::string> ListOr(const dqa::sdk::Params& p, const char* name,
                                std::vector<std::string> fallback) {
  return p.Has(name) ? p.GetStringList(name) : fallback;
}

// Row checks that judge only some rows report their own rows_checked.
class CountingCheck : public dqa::sdk::RowCheck {
 public:
  void Finish(dqa::sdk::Result& result) override { result.SetCounts(violations_, judged_); }

 protected:
  bool Judge(bool violates) {
    ++judged_;
    violations_ += violates;
    return violates;
  }

 private:
  int64_t judged_ = 0;
  int64_t violations_ = 0;
};

// Status says returned ("da_tra") but there is no return date. Rows checked: returned dossiers.
class ReturnedWithoutDateCheck : public CountingCheck {
 public:
  explicit ReturnedWithoutDateCheck(const dqa::sdk::Params& p)
      : returned_statuses_(ListOr(p, "returned_values", {"da_tra"})) {}

  bool Observe(const dqa::sdk::Row& row) override {
    const std::string_view status = *row.Text("status");
    if (std::find(returned_statuses_.begin(), returned_statuses_.end(), status) ==
        returned_statuses_.end()) {
      return false;
    }
    // A returned status with no (or a blank) return date is exactly "not pending by date".
    return Judge(ps::IsPending(row.Text("returned"), std::nullopt, {}));
  }

 private:
  std::vector<std::string> returned_statuses_;
};

// Return date before the reception date. Rows checked: both timestamps parse.
class ReturnedBeforeReceivedCheck : public CountingCheck {
 public:
  explicit ReturnedBeforeReceivedCheck(const dqa::sdk::Params&) {}

  bool Observe(const dqa::sdk::Row& row) override {
    const auto returned = Time(row, "returned");
    const auto received = Time(row, "received");
    if (!returned || !received) return false;
    return Judge(*returned < *received);
  }
};

// Pending dossiers (no return date, status not returned) whose due date has passed.
class OverduePendingCheck : public CountingCheck {
 public:
  explicit OverduePendingCheck(const dqa::sdk::Params& p)
      : returned_statuses_(ListOr(p, "returned_values", {"da_tra", "tra_lai"})),
        today_(p.context().today_day) {}

  bool Observe(const dqa::sdk::Row& row) override {
    if (!ps::IsPending(row.Text("returned"), row.Text("status"), returned_statuses_)) return false;
    const auto due = Time(row, "due");
    if (!due) return false;
    return Judge(ps::IsOverdue(*due, today_));
  }

 private:
  std::vector<std::string> returned_statuses_;
  int64_t today_;
};

// Pending dossiers whose last update is older than `days` days.
class StalePendingCheck : public CountingCheck {
 public:
  explicit StalePendingCheck(const dqa::sdk::Params& p)
      : returned_statuses_(ListOr(p, "returned_values", {"da_tra", "tra_lai"})),
        days_(p.GetInteger("days")),
        now_(p.context().now_unix) {
    if (days_ < 0) throw dqa::sdk::Error("days must not be negative");
  }

  bool Observe(const dqa::sdk::Row& row) override {
    if (!ps::IsPending(row.Text("returned"), row.Text("status"), returned_statuses_)) return false;
    const auto updated = Time(row, "updated");
    if (!updated) return false;
    return Judge(ps::IsStuck(*updated, now_, days_));
  }

 private:
  std::vector<std::string> returned_statuses_;
  int64_t days_;
  int64_t now_;
};

// Dossiers returned after their due date, with the Decision 766/QĐ-TTg service indicators.
class ServiceIndicatorsCheck : public dqa::sdk::QueryCheck {
 public:
  explicit ServiceIndicatorsCheck(const dqa::sdk::Params& p)
      : table_(p.context().table),
        key_(p.GetString("key")),
        due_(p.GetString("due")),
        returned_(p.GetString("returned")),
        channel_(p.GetString("channel")),
        electronic_(p.GetString("electronic")),
        online_(p.GetStringList("online_values")) {
    for (const char* name : {"on_time_target_percent", "online_target_percent",
                             "electronic_target_percent"}) {
      targets_.push_back(p.Has(name) ? std::optional<double>(p.GetNumber(name)) : std::nullopt);
    }
  }

  void Run(const dqa::sdk::Query& query, dqa::sdk::Result& result) override {
    int64_t rows = 0, returned = 0, late = 0, online = 0, electronic = 0;
    query.ForEach(
        "SELECT CAST(" + QuoteIdentifier(key_) + " AS TEXT), " + QuoteIdentifier(due_) + ", " +
            QuoteIdentifier(returned_) + ", CAST(" + QuoteIdentifier(channel_) + " AS TEXT), " +
            QuoteIdentifier(electronic_) + " FROM " + QuoteIdentifier(table_) + " ORDER BY rowid",
        {}, [&](const dqa::sdk::Row& row) {
          ++rows;
          const auto channel = row.TextAt(3);
          if (channel && std::find(online_.begin(), online_.end(), *channel) != online_.end())
            ++online;
          const auto returned_at = TimeAt(row, 2);
          const auto due_at = TimeAt(row, 1);
          if (!returned_at || !due_at) return;
          ++returned;
          if (row.TypeAt(4) == dqa::sdk::ValueType::kInteger && *row.IntAt(4) == 1) ++electronic;
          if (!ps::ReturnedLate(*returned_at, *due_at)) return;
          ++late;
          result.AddSample({std::string(row.TextAt(0).value_or(""))});
        });
    result.SetCounts(late, returned);
    result.AddMetric("on_time_rate_percent", ps::Percent(returned - late, returned));
    result.AddMetric("online_rate_percent", ps::Percent(online, rows));
    result.AddMetric("electronic_result_rate_percent", ps::Percent(electronic, returned));
    // The same three figures as indicators, against the rule's targets (Decision 766/QĐ-TTg).
    const std::array<dqa::sdk::Indicator, 3> indicators = {
        dqa::sdk::Indicator::Share("on_time", returned - late, returned),
        dqa::sdk::Indicator::Share("online", online, rows),
        dqa::sdk::Indicator::Share("electronic_result", electronic, returned)};
    const std::array<const char*, 3> titles = {"Hồ sơ trả đúng hạn", "Hồ sơ nộp trực tuyến",
                                               "Kết quả trả bản điện tử"};
    for (size_t i = 0; i < indicators.size(); ++i) {
      dqa::sdk::Indicator indicator = indicators[i];
      indicator.title = titles[i];
      indicator.target = targets_[i];
      result.AddIndicator(indicator);
    }
  }

 private:
  std::string table_, key_, due_, returned_, channel_, electronic_;
  std::vector<std::string> online_;
  std::vector<std::optional<double>> targets_;  // on time, online, electronic result
};

const Param kReturnedValues{
    "returned_values", ParamType::kStringList, false,
    "statuses meaning returned (default [da_tra, tra_lai]; [da_tra] for returned_without_date)"};

// The plugin's words in both report languages (docs/plugins.md "Messages").
const dqa::sdk::Messages kMessages{{
    {"metric.on_time_rate_percent", "Tỷ lệ hồ sơ trả đúng hạn", "On-time dossiers"},
    {"metric.online_rate_percent", "Tỷ lệ hồ sơ nộp trực tuyến", "Dossiers filed online"},
    {"metric.electronic_result_rate_percent", "Tỷ lệ kết quả trả bản điện tử",
     "Results returned electronically"},
    {"indicator.on_time", "Hồ sơ trả đúng hạn", "Dossiers returned on time"},
    {"indicator.online", "Hồ sơ nộp trực tuyến", "Dossiers filed online"},
    {"indicator.electronic_result", "Kết quả trả bản điện tử", "Results returned electronically"},
}};

}  // namespace

DQA_PLUGIN(
    "public_services", "1.0.0", "public_services",
    "One-stop dossiers: return dates, overdue and stuck dossiers, on-time/online/electronic rates",
    kMessages,
    dqa::sdk::MakeRowCheck<ReturnedWithoutDateCheck>(
        "returned_without_date", "Status says returned but there is no return date", "completeness",
        {Param{"status", ParamType::kColumn, true, "status column (trang_thai)"},
         Param{"returned", ParamType::kColumn, true, "return date column (ngay_tra_kq)"},
         kReturnedValues}),
    dqa::sdk::MakeRowCheck<ReturnedBeforeReceivedCheck>(
        "returned_before_received", "Return date before the reception date", "validity",
        {Param{"returned", ParamType::kColumn, true, "return date (ngay_tra_kq)"},
         Param{"received", ParamType::kColumn, true, "reception date (ngay_tiep_nhan)"}}),
    dqa::sdk::MakeRowCheck<OverduePendingCheck>(
        "overdue_pending", "Not returned and the due date has passed", "freshness",
        {Param{"due", ParamType::kColumn, true, "due date (ngay_hen_tra)"},
         Param{"returned", ParamType::kColumn, true, "return date (ngay_tra_kq)"},
         Param{"status", ParamType::kColumn, true, "status column (trang_thai)"}, kReturnedValues}),
    dqa::sdk::MakeRowCheck<StalePendingCheck>(
        "stale_pending", "Not returned and not updated for `days` days", "freshness",
        {Param{"updated", ParamType::kColumn, true, "last update (ISO text or Unix seconds)"},
         Param{"returned", ParamType::kColumn, true, "return date (ngay_tra_kq)"},
         Param{"status", ParamType::kColumn, true, "status column (trang_thai)"},
         Param{"days", ParamType::kInteger, false, "days without update"}.Min(0).Default(30),
         kReturnedValues}),
    dqa::sdk::MakeQueryCheck<ServiceIndicatorsCheck>(
        "service_indicators",
        "Dossiers returned after the due date; indicators on-time, online and electronic-result rates",
        "validity",
        {Param{"due", ParamType::kColumn, false, "due date"}.Default("ngay_hen_tra"),
         Param{"returned", ParamType::kColumn, false, "return date"}.Default("ngay_tra_kq"),
         Param{"channel", ParamType::kColumn, false, "submission channel"}.Default("kenh"),
         Param{"online_values", ParamType::kStringList, false, "online channels"}.Default(
             std::vector<std::string>{"truc_tuyen"}),
         Param{"electronic", ParamType::kColumn, false, "1 = electronic result"}.Default(
             "ket_qua_dien_tu"),
         Param{"key", ParamType::kColumn, false, "row key reported in samples"}.Default("id"),
         Param{"on_time_target_percent", ParamType::kNumber, false,
               "target of the on-time share of returned dossiers (indicator on_time)"}
             .Range(0, 100),
         Param{"online_target_percent", ParamType::kNumber, false,
               "target of the online share of dossiers (indicator online)"}
             .Range(0, 100),
         Param{"electronic_target_percent", ParamType::kNumber, false,
               "target of the electronic-result share of returned dossiers (indicator "
               "electronic_result)"}
             .Range(0, 100)}))
