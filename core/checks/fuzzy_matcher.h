// FuzzyMatcher: finds the records of one person among records typed differently (another spelling,
// no diacritics, a mistyped identity number or birth date, an old 8-bit encoding). Records are
// added one by one (the fuzzy_duplicate check adds them from the fused table scan; the plugin host
// from a query for a plugin that asks for a table's clusters); Run() blocks, compares, scores with
// Fellegi-Sunter weights and clusters. docs/checks.md "Fuzzy duplicates" gives the method.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/checks/params.h"
#include "core/checks/record_linkage.h"
#include "core/sources/value.h"

namespace dqa {

struct MatchField {
  std::string column;
  bool must_agree = false;  // `same`: a pair that differs on it is never a match
};

struct MatchSettings {
  std::string name_column;        // the full name (shown in agreements)
  std::vector<MatchField> fields;  // `same` then `also`, in the rule's order
  double threshold = 0.9;         // match probability from which a pair is the same person
  int64_t max_block = 500;        // larger blocks are not compared pair by pair
  DateFormat date_format;
};

// Why a clustered record was matched: the record of its cluster it matched with the highest
// probability, that probability, and how each field agreed, written as
// "ho_ten≈ ngay_sinh= so_cccd?" (docs/checks.md "Fuzzy duplicates": = same, ≈ same once folded,
// ~ similar, ≠ different, ? missing on one side).
struct MatchLink {
  uint32_t partner = 0;
  double probability = 0;
  std::string agreement;
};

// The columns that describe a record's best link, after its key columns, wherever a cluster is
// listed (check samples, `report --failing`, the plugins' fuzzy_clusters): the key of the record it
// matched best, that match's probability and how each field agreed (docs/checks.md).
inline constexpr std::array<std::string_view, 3> kLinkColumns = {"matched_with", "probability",
                                                                 "agreement"};

struct MatchOutcome {
  // Clusters of two or more records (indexes in the order they were added), each in that order,
  // the clusters in the order of their first record.
  std::vector<std::vector<uint32_t>> clusters;
  // The best link of every record in a cluster.
  std::unordered_map<uint32_t, MatchLink> links;
  int64_t candidate_pairs = 0;  // distinct pairs that shared a block
  int64_t matched_pairs = 0;    // of those, pairs at or above the threshold
  int64_t skipped_blocks = 0;   // blocks larger than max_block
  // The model the pairs were scored with: m after its estimation from the candidate pairs (the
  // name first, then the settings' fields), and the iterations that took.
  std::vector<FieldModel> m;
  double prior = 0;  // P(two records are one person), estimated with m
  int em_iterations = 0;
};

class FuzzyMatcher {
 public:
  explicit FuzzyMatcher(MatchSettings settings);
  ~FuzzyMatcher();
  FuzzyMatcher(const FuzzyMatcher&) = delete;
  FuzzyMatcher& operator=(const FuzzyMatcher&) = delete;

  // Adds a record: its name and one value per settings field (NULL = missing). A NULL or blank
  // name is not added (false). Record indexes count the added records from 0.
  bool Add(const Value& name, const std::vector<const Value*>& fields);
  size_t size() const;
  // Appends `later`'s records after this one's (their indexes follow on) and adds its word counts:
  // afterwards this matcher is what one matcher given both sets of rows in order would be.
  void Absorb(FuzzyMatcher& later);
  // Names that were in TCVN3 or VNI and were decoded before matching.
  int64_t legacy_names() const;

  // Blocks, compares and clusters every record added so far.
  MatchOutcome Run();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dqa
