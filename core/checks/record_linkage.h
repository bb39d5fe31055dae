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
