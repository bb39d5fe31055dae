#include "core/checks/record_linkage.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace dqa {

MatchModel::MatchModel(std::vector<FieldModel> fields, double prior)
    : fields_(std::move(fields)), prior_weight_(std::log2(prior / (1 - prior))) {}

double MatchModel::Weight(size_t f, int level) const {
  if (level == kUnknownLevel) return 0;
  const FieldModel& field = fields_[f];
  const auto l = static_cast<size_t>(level);
  return std::log2(field.m[l] / field.u[l]);
}

double MatchModel::MatchWeight(const std::vector<int>& levels) const {
  double w = prior_weight_;
  for (size_t f = 0; f < levels.size() && f < fields_.size(); ++f) w += Weight(f, levels[f]);
  return w;
}

double MatchModel::Probability(double match_weight) {
  return 1.0 / (1.0 + std::exp2(-match_weight));
}

void MatchModel::EstimateU(size_t f, const std::vector<int64_t>& counts) {
  FieldModel& field = fields_[f];
  const double total =
      static_cast<double>(std::accumulate(counts.begin(), counts.end(), int64_t{0}));
  if (total <= 0) return;  // nothing observed: keep the defaults
  const double levels = static_cast<double>(field.u.size());
  for (size_t l = 0; l < field.u.size(); ++l) {
    const double seen = l < counts.size() ? static_cast<double>(counts[l]) : 0;
    field.u[l] = (seen + 0.5) / (total + 0.5 * levels);
  }
}

double MatchModel::prior() const {
  const double odds = std::exp2(prior_weight_);
  return odds / (1 + odds);
}

int MatchModel::EstimateM(const std::vector<LevelPattern>& patterns, double all_pairs,
                          int max_iterations, double pseudo) {
  const std::vector<FieldModel> start = fields_;
  int iteration = 0;
  for (; iteration < max_iterations; ++iteration) {
    std::vector<std::vector<double>> mass(fields_.size());
    for (size_t f = 0; f < fields_.size(); ++f) mass[f].assign(fields_[f].m.size(), 0);
    double matches = 0;
    for (const LevelPattern& p : patterns) {
      const double g = Probability(MatchWeight(p.levels)) * static_cast<double>(p.count);
      matches += g;
      for (size_t f = 0; f < fields_.size() && f < p.levels.size(); ++f) {
        if (p.levels[f] != kUnknownLevel) mass[f][static_cast<size_t>(p.levels[f])] += g;
      }
    }
    if (matches < 1) return 0;
    const double prior = std::clamp(matches / std::max(all_pairs, 1.0), 1e-15, 0.5);
    prior_weight_ = std::log2(prior / (1 - prior));
    double moved = 0;
    for (size_t f = 0; f < fields_.size(); ++f) {
      std::vector<double>& m = fields_[f].m;
      double total = pseudo;
      for (double x : mass[f]) total += x;
      for (size_t l = 0; l < m.size(); ++l) {
        const double next = (mass[f][l] + pseudo * start[f].m[l]) / total;
        moved = std::max(moved, std::abs(next - m[l]));
        m[l] = next;
      }
    }
    if (moved < 1e-5) return iteration + 1;
  }
  return iteration;
}

DisjointSets::DisjointSets(size_t n) : parent_(n), size_(n, 1) {
  std::iota(parent_.begin(), parent_.end(), 0u);
}

size_t DisjointSets::Find(size_t x) {
  while (parent_[x] != x) {
    parent_[x] = parent_[parent_[x]];
    x = parent_[x];
  }
  return x;
}

bool DisjointSets::Union(size_t x, size_t y) {
  size_t a = Find(x), b = Find(y);
  if (a == b) return false;
  if (size_[a] < size_[b]) std::swap(a, b);
  parent_[b] = static_cast<uint32_t>(a);
  size_[a] += size_[b];
  return true;
}

}  // namespace dqa
