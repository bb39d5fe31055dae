// Social-protection rules on beneficiaries and payments (Decree 20/2021/NĐ-CP), plain C++.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace dqa::social_protection {

// A payment is made after death when it is dated strictly after the earliest registered death
// day of its beneficiary. Unknown dates (nullopt) never count.
bool PaidAfterDeath(std::optional<int64_t> paid_day, std::optional<int64_t> death_day);

// Earliest of two optional days (nullopt is "unknown", not "earliest").
std::optional<int64_t> EarliestDay(std::optional<int64_t> a, std::optional<int64_t> b);

// True when a bank account value is absent: NULL (nullopt), empty or only ASCII whitespace.
bool LacksAccount(std::optional<std::string_view> account);

// Percent of beneficiaries paid without cash: 100 * (rows - without_account) / rows; 0 for 0 rows.
double CashlessCoveragePercent(int64_t rows, int64_t without_account);

// Counts people with more than one active enrolment. A person is enrolled twice when the same
// allowance type appears twice, or when they hold two different types that are not `combinable`
// (e.g. nguoi_co_cong, paid under the Ordinance on people with meritorious services, may be
// received next to one social-assistance allowance; Decree 20/2021 Art. 8 allows only the highest
// social-assistance allowance).
class EnrolmentCounter {
 public:
  explicit EnrolmentCounter(std::set<std::string> combinable)
      : combinable_(std::move(combinable)) {}

  // One active enrolment of `person` with row key `key` and allowance type `type` (may be empty).
  void Add(const std::string& person, const std::string& key, const std::string& type);

  int64_t enrolments() const { return enrolments_; }
  int64_t people_enrolled_twice() const;
  // Enrolments beyond what is allowed: repeats of a type, plus distinct non-combinable types - 1.
  int64_t extra_enrolments() const;
  // Keys of every active enrolment of the people enrolled twice, in Add order of the people.
  std::vector<std::string> violating_keys() const;

 private:
  struct Enrolment {
    std::string key, type;
  };
  int64_t Extra(const std::vector<Enrolment>& list) const;

  std::set<std::string> combinable_;
  int64_t enrolments_ = 0;
  std::map<std::string, std::vector<Enrolment>> by_person_;
  std::vector<std::string> order_;  // persons in first-seen order
};

// People enrolled under two citizen records: active enrolments by identity number, and the
// records of fuzzy-duplicate clusters of citizens (one cluster = one person) by identity number.
// A cluster whose records carry two or more distinct enrolled identity numbers is one person
// enrolled twice under different identities.
class ClusterEnrolments {
 public:
  // One active enrolment with row key `key` of identity number `identity`.
  void AddEnrolment(const std::string& identity, const std::string& key);
  // A record of cluster `group` with identity number `identity` ("" for none).
  void AddClusterRecord(int64_t group, const std::string& identity);

  int64_t enrolments() const { return enrolments_; }
  // Clusters with two or more distinct enrolled identity numbers.
  int64_t people_enrolled_twice() const;
  // Over those clusters: enrolled identity numbers beyond the first.
  int64_t extra_identities() const;
  // Keys of the enrolments of those clusters, cluster by cluster (groups ascending), each
  // identity's keys in AddEnrolment order.
  std::vector<std::string> violating_keys() const;

 private:
  // The distinct enrolled identity numbers of each cluster, in AddClusterRecord order.
  std::map<int64_t, std::vector<std::string>> EnrolledByCluster() const;

  int64_t enrolments_ = 0;
  std::map<std::string, std::vector<std::string>> keys_by_identity_;
  std::map<int64_t, std::vector<std::string>> identities_by_group_;
};

}  // namespace dqa::social_protection
