#include "benefits.h"

namespace dqa::social_protection {

bool PaidAfterDeath(std::optional<int64_t> paid_day, std::optional<int64_t> death_day) {
  return paid_day && death_day && *paid_day > *death_day;
}

std::optional<int64_t> EarliestDay(std::optional<int64_t> a, std::optional<int64_t> b) {
  if (!a) return b;
  if (!b) return a;
  return *a < *b ? a : b;
}

bool LacksAccount(std::optional<std::string_view> account) {
  if (!account) return true;
  for (char c : *account) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return false;
  }
  return true;
}

double CashlessCoveragePercent(int64_t rows, int64_t without_account) {
  if (rows <= 0) return 0;
  return 100.0 * static_cast<double>(rows - without_account) / static_cast<double>(rows);
}

void EnrolmentCounter::Add(const std::string& person, const std::string& key, const std::string& type) {
  ++enrolments_;
  if (combinable_.count(type) != 0) return;
  auto [it, inserted] = counted_.try_emplace(person);
  if (inserted) order_.push_back(person);
  it->second.push_back(key);
}

int64_t EnrolmentCounter::people_enrolled_twice() const {
  int64_t n = 0;
  for (const auto& [person, keys] : counted_) n += keys.size() > 1;
  return n;
}

int64_t EnrolmentCounter::extra_enrolments() const {
  int64_t n = 0;
  for (const auto& [person, keys] : counted_) {
    if (keys.size() > 1) n += static_cast<int64_t>(keys.size()) - 1;
  }
  return n;
}

std::vector<std::string> EnrolmentCounter::violating_keys() const {
  std::vector<std::string> out;
  for (const std::string& person : order_) {
    const auto& keys = counted_.at(person);
    if (keys.size() > 1) out.insert(out.end(), keys.begin(), keys.end());
  }
  return out;
}

}  // namespace dqa::social_protection
