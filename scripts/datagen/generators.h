// The per-source generators of the synthetic province and what they hand to each other.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/util/status.h"
#include "scripts/datagen/defect_plan.h"
#include "scripts/datagen/rng.h"
#include "scripts/datagen/truth.h"
#include "scripts/datagen/vn_data.h"

namespace dqa::datagen {

struct GenContext {
  uint64_t seed = 0;
  double scale = 0;
  int64_t today = 0;  // days since 1970-01-01
  int64_t now = 0;    // Unix seconds of 00:00:00 UTC of `today` (docs/checks.md "today")
  std::string out_dir;
  // Multiplies the rate of every injected defect class of the source being generated (--defects;
  // 1 = the standard demo province). Main sets it per source before calling its generator.
  double defect_factor = 1.0;
  // Share of citizens entered a second (20 %: also a third) time with corruptions (--reentered),
  // also multiplied by the population defect factor.
  double reentry_rate = 0.01;

  // DefectCount() of `rate` scaled by defect_factor: with the factor 1 exactly the standard count.
  int64_t Defects(double rate, int64_t rows, int64_t min_count) const {
    return DefectCount(rate * defect_factor, rows, min_count);
  }
};

// Each source draws from its own stream, so adding a defect class to one source does not change
// the data of the others.
Rng SourceRng(uint64_t seed, uint64_t stream);

struct CatalogInfo {
  std::vector<std::string> all_codes;      // every ma_xa in dm_xa
  std::vector<std::string> active_codes;   // communes where citizens, dossiers... are generated
  std::vector<std::string> empty_codes;    // new communes without any citizen row
  std::string test_only_code;              // a commune whose only citizen rows are test records
};

// A citizen as other departments know them (identity fields copied verbatim from population.db).
struct CitizenRef {
  int64_t id = 0;
  std::string so_cccd;
  std::string ho_ten;
  int64_t birth_day = 0;
  Gender gender = Gender::kMale;
  std::string ma_xa;
};

// A living citizen entered again (ground_truth.json "fuzzy_duplicates", kind "reentered"): the
// original record and one re-entered copy, with the copy's corruptions (CorruptionName()s).
struct ReenteredCitizen {
  CitizenRef original, copy;
  std::vector<std::string> corruptions;
};

struct PopulationInfo {
  std::vector<CitizenRef> deceased;  // trang_thai 'da_mat', identity clean: get a death record
  std::vector<CitizenRef> living;    // trang_thai 'song', row clean: candidates for benefits
  // Still 'song' here but dead: civil registration gets their death record (the population
  // plugin's death_not_propagated finds them).
  std::vector<CitizenRef> unpropagated_deaths;
  // Every re-entered copy of a living citizen, in ground-truth order (not in `living`).
  std::vector<ReenteredCitizen> reentered;
  // Every row of cong_dan as written (nullopt = NULL), for the reconcile checks' truth.
  struct Row {
    std::optional<std::string> so_cccd, ma_xa, trang_thai;
  };
  std::vector<Row> rows;
};

// A death registered in civil.db with a clean identity and death date.
struct RegisteredDeath {
  CitizenRef person;
  int64_t death_day = 0;
};

struct CivilInfo {
  std::vector<RegisteredDeath> deaths;  // linked deaths without any defect, in khai_tu order
};

Status GenerateCatalog(const GenContext& ctx, GroundTruth& truth, CatalogInfo& info);
Status GeneratePopulation(const GenContext& ctx, const CatalogInfo& catalog, GroundTruth& truth,
                          PopulationInfo& info);
Status GenerateCivil(const GenContext& ctx, const CatalogInfo& catalog,
                     const PopulationInfo& population, GroundTruth& truth, CivilInfo& info);
Status GenerateSocial(const GenContext& ctx, const CatalogInfo& catalog,
                      const PopulationInfo& population, const CivilInfo& civil, GroundTruth& truth);
Status GenerateServices(const GenContext& ctx, const CatalogInfo& catalog, GroundTruth& truth);

}  // namespace dqa::datagen
