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

}  // namespace dqa::social_protection
