#include "benefits.h"

#include <algorithm>

#include "dqaudit/text.h"

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
  return !account || sdk::TrimAscii(*account, " \t\n\r").empty();
}

double CashlessCoveragePercent(int64_t rows, int64_t without_account) {
  if (rows <= 0) return 0;
  return 100.0 * static_cast<double>(rows - without_account) / static_cast<double>(rows);
}

void EnrolmentCounter::Add(const std::string& person, const std::string& key,
                           const std::string& type) {
  ++enrolments_;
  auto [it, inserted] = by_person_.try_emplace(person);
  if (inserted) order_.push_back(person);
  it->second.push_back({key, type});
}

int64_t EnrolmentCounter::Extra(const std::vector<Enrolment>& list) const {
  std::map<std::string, int64_t> per_type;
  for (const Enrolment& e : list) ++per_type[e.type];
  int64_t extra = 0, other_types = 0;
  for (const auto& [type, count] : per_type) {
    extra += count - 1;
    other_types += combinable_.count(type) == 0;
  }
  return extra + (other_types > 1 ? other_types - 1 : 0);
}

int64_t EnrolmentCounter::people_enrolled_twice() const {
  int64_t n = 0;
  for (const auto& [person, list] : by_person_) n += Extra(list) > 0;
  return n;
}

int64_t EnrolmentCounter::extra_enrolments() const {
  int64_t n = 0;
  for (const auto& [person, list] : by_person_) n += Extra(list);
  return n;
}

std::vector<std::string> EnrolmentCounter::violating_keys() const {
  std::vector<std::string> out;
  for (const std::string& person : order_) {
    const auto& list = by_person_.at(person);
    if (Extra(list) == 0) continue;
    for (const Enrolment& e : list) out.push_back(e.key);
  }
  return out;
}

void ClusterEnrolments::AddEnrolment(const std::string& identity, const std::string& key) {
  ++enrolments_;
  keys_by_identity_[identity].push_back(key);
}

void ClusterEnrolments::AddClusterRecord(int64_t group, const std::string& identity) {
  identities_by_group_[group].push_back(identity);
}

std::map<int64_t, std::vector<std::string>> ClusterEnrolments::EnrolledByCluster() const {
  std::map<int64_t, std::vector<std::string>> out;
  for (const auto& [group, identities] : identities_by_group_) {
    std::vector<std::string> enrolled;
    for (const std::string& id : identities) {
      // Two citizen records with one identity number are the exact duplicate's business.
      if (id.empty() || keys_by_identity_.count(id) == 0 ||
          std::find(enrolled.begin(), enrolled.end(), id) != enrolled.end()) {
        continue;
      }
      enrolled.push_back(id);
    }
    if (enrolled.size() >= 2) out.emplace(group, std::move(enrolled));
  }
  return out;
}

int64_t ClusterEnrolments::people_enrolled_twice() const {
  return static_cast<int64_t>(EnrolledByCluster().size());
}

int64_t ClusterEnrolments::extra_identities() const {
  int64_t extra = 0;
  for (const auto& [group, ids] : EnrolledByCluster()) extra += static_cast<int64_t>(ids.size()) - 1;
  return extra;
}

std::vector<std::string> ClusterEnrolments::violating_keys() const {
  std::vector<std::string> keys;
  for (const auto& [group, ids] : EnrolledByCluster()) {
    for (const std::string& id : ids) {
      const std::vector<std::string>& k = keys_by_identity_.at(id);
      keys.insert(keys.end(), k.begin(), k.end());
    }
  }
  return keys;
}

}  // namespace dqa::social_protection
