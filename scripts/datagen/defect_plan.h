// DefectPlan: assigns each injected defect class to its own disjoint set of rows.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "scripts/datagen/rng.h"

namespace dqa::datagen {

// How many rows a defect class gets: `rate` of `rows`, rounded, and at least `min_count` so that
// every class exists even at the smallest test scale.
inline int64_t DefectCount(double rate, int64_t rows, int64_t min_count) {
  return std::max(min_count, static_cast<int64_t>(std::llround(rate * static_cast<double>(rows))));
}

// Rows of a table start clean (tag 0). Take() hands out distinct, still-clean rows in random order,
// so two defect classes never share a row and the ground truth can be counted per class.
// Rows marked protected (anchors, duplicate originals...) are never handed out.
class DefectPlan {
 public:
  DefectPlan(size_t rows, Rng& rng) : tags_(rows, 0) {
    pool_.reserve(rows);
    for (size_t i = 0; i < rows; ++i) pool_.push_back(i);
    rng.Shuffle(pool_);
  }

  // Marks `row` as not available for defects (it keeps tag `tag`, usually a "role" tag).
  void Protect(size_t row, uint16_t tag) { tags_[row] = tag; }

  // Tags `count` clean rows with `tag` and returns them in ascending order. Returns fewer rows
  // only when the table has run out of clean rows (callers size rates so this never happens).
  std::vector<size_t> Take(uint16_t tag, int64_t count) {
    std::vector<size_t> taken;
    while (static_cast<int64_t>(taken.size()) < count && !pool_.empty()) {
      size_t row = pool_.back();
      pool_.pop_back();
      if (tags_[row] != 0) continue;  // protected after the pool was built
      tags_[row] = tag;
      taken.push_back(row);
    }
    std::sort(taken.begin(), taken.end());
    return taken;
  }

  // Like Take(), but only rows for which `pred(row)` holds; the others stay available.
  template <typename Pred>
  std::vector<size_t> TakeIf(uint16_t tag, int64_t count, Pred pred) {
    std::vector<size_t> taken;
    for (size_t i = pool_.size(); i > 0 && static_cast<int64_t>(taken.size()) < count; --i) {
      const size_t row = pool_[i - 1];
      if (tags_[row] != 0 || !pred(row)) continue;
      tags_[row] = tag;
      taken.push_back(row);
    }
    std::sort(taken.begin(), taken.end());
    return taken;
  }

  uint16_t tag(size_t row) const { return tags_[row]; }
  const std::vector<uint16_t>& tags() const { return tags_; }

 private:
  std::vector<uint16_t> tags_;
  std::vector<size_t> pool_;
};

}  // namespace dqa::datagen
