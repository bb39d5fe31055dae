// Record linkage for fuzzy duplicate detection: Fellegi-Sunter match weights over discrete field
// agreement levels, the estimation of the non-match probabilities from random pairs (as Splink
// does), and clusters of matched records by union-find. docs/checks.md "Fuzzy duplicates" gives
// the model and its defaults.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace dqa {

// One compared field. Levels are 0 (disagree) .. levels-1 (exact agreement); a pair whose value
// is missing on either side gets no level (kUnknownLevel) and adds no evidence either way.
// m[l] = P(level l | same entity), u[l] = P(level l | different entities).
struct FieldModel {
  std::string name;
  std::vector<double> m;
  std::vector<double> u;
};

inline constexpr int kUnknownLevel = -1;

// How many compared pairs had one combination of levels (one per field, kUnknownLevel allowed).
struct LevelPattern {
  std::vector<int> levels;
  int64_t count = 0;
};

class MatchModel {
 public:
  // `prior` = P(two records of one block are the same entity) before any field is compared.
  MatchModel(std::vector<FieldModel> fields, double prior);

  const std::vector<FieldModel>& fields() const { return fields_; }
  // log2(m/u) of `level` for field `f`; 0 for kUnknownLevel.
  double Weight(size_t f, int level) const;
  // The prior's weight plus each field's weight.
  double MatchWeight(const std::vector<int>& levels) const;
  // 1 / (1 + 2^-weight).
  static double Probability(double match_weight);

  // Replaces u of field `f` by the level frequencies observed over random (nearly always
  // non-matching) pairs: counts[l] pairs at level l. Additive smoothing keeps every u > 0, so a
  // level never seen among random pairs still has a finite (large) weight.
  void EstimateU(size_t f, const std::vector<int64_t>& counts);

  // Re-estimates m of every field and the prior from the level patterns of the compared pairs by
  // expectation-maximisation, with u fixed (as Splink trains a model): each pattern's match
  // probability under the current model weighs its levels, m[l] becomes the weighted share of
  // level l, and the prior the expected matches over `all_pairs` (every pair of records: blocking
  // compares nearly every true pair, so the expected matches among the compared pairs are those of
  // all pairs). `pseudo` pairs spread as the starting m keep a level never seen among likely
  // matches above 0. Stops when no m moves by more than 1e-5, or after `max_iterations`; returns
  // the iterations run (0 when the patterns hold no likely match: the model is left as it was).
  int EstimateM(const std::vector<LevelPattern>& patterns, double all_pairs,
                int max_iterations = 30, double pseudo = 10);
  double prior() const;

 private:
  std::vector<FieldModel> fields_;
  double prior_weight_;
};

// Disjoint sets over 0..n-1 with path halving and union by size.
class DisjointSets {
 public:
  explicit DisjointSets(size_t n);
  size_t Find(size_t x);
  // True when x and y were in different sets.
  bool Union(size_t x, size_t y);

 private:
  std::vector<uint32_t> parent_;
  std::vector<uint32_t> size_;
};

}  // namespace dqa
