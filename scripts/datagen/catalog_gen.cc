// catalog.db: the province's commune list (dm_xa) and the national province codes (dm_tinh).
// Reference data is clean; its role is to be referenced (reference, coverage checks).
#include <algorithm>

#include "scripts/datagen/db_writer.h"
#include "scripts/datagen/generators.h"
#include "scripts/datagen/table.h"

namespace dqa::datagen {

Rng SourceRng(uint64_t seed, uint64_t stream) {
  // SplitMix64 of (seed, stream): independent, well-mixed seeds for each source's stream.
  uint64_t z = seed + 0x9E3779B97F4A7C15ULL * (stream + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return Rng(z ^ (z >> 31));
}

Status GenerateCatalog(const GenContext& ctx, GroundTruth& truth, CatalogInfo& info) {
  Rng rng = SourceRng(ctx.seed, 0);
  Table dm_xa{"dm_xa",
              {{"ma_xa", "TEXT PRIMARY KEY"}, {"ten_xa", "TEXT NOT NULL"}, {"cap", "TEXT"},
               {"ma_huyen", "TEXT"}, {"ten_huyen", "TEXT"}, {"ma_tinh", "TEXT"}},
              {},
              {}};
  for (const Commune& c : DemoCommunes()) {
    std::string cap = c.name.rfind("Phường", 0) == 0    ? "Phường"
                      : c.name.rfind("Thị trấn", 0) == 0 ? "Thị trấn"
                                                         : "Xã";
    dm_xa.AddRow({c.code, c.name, cap, c.district_code, c.district_name,
                  std::string(kDemoProvinceCode)});
    info.all_codes.push_back(c.code);
  }
  Table dm_tinh{"dm_tinh", {{"ma_tinh", "TEXT PRIMARY KEY"}, {"ten_tinh", "TEXT NOT NULL"}}, {}, {}};
  for (const Province& p : Provinces()) dm_tinh.AddRow({p.code, p.name});

  // Three communes get no citizen rows in scope: two newly established ones and one whose only
  // rows are test records (excluded by the table filter). They are the coverage findings.
  std::vector<size_t> order(info.all_codes.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  rng.Shuffle(order);
  info.empty_codes = {info.all_codes[order[0]], info.all_codes[order[1]]};
  info.test_only_code = info.all_codes[order[2]];
  std::sort(info.empty_codes.begin(), info.empty_codes.end());
  for (const auto& code : info.all_codes) {
    if (code != info.test_only_code &&
        std::find(info.empty_codes.begin(), info.empty_codes.end(), code) == info.empty_codes.end()) {
      info.active_codes.push_back(code);
    }
  }

  DQA_RETURN_IF_ERROR(WriteDatabase(ctx.out_dir + "/catalog.db", {&dm_xa, &dm_tinh}));

  const auto communes = static_cast<int64_t>(dm_xa.rows.size());
  const auto provinces = static_cast<int64_t>(dm_tinh.rows.size());
  SourceTruth& src = truth.source("catalog");
  src.table_rows["dm_xa"] = communes;
  src.table_rows["dm_tinh"] = provinces;
  auto add = [&](CheckTruth c) { return truth.Add("catalog", std::move(c)); };
  DQA_RETURN_IF_ERROR(add({.id = "row_count:dm_xa", .type = "row_count", .violations = communes < 100,
                           .rows_checked = communes, .value = static_cast<double>(communes),
                           .policy = AnyViolation()}));
  DQA_RETURN_IF_ERROR(add({.id = "duplicate:dm_xa.ma_xa", .type = "duplicate", .violations = 0,
                           .rows_checked = communes, .groups = 0, .policy = AnyViolation(Severity::kCritical)}));
  DQA_RETURN_IF_ERROR(add({.id = "missing:dm_xa.ten_xa", .type = "missing", .rows_checked = communes,
                           .policy = AnyViolation()}));
  DQA_RETURN_IF_ERROR(add({.id = "missing:dm_xa.ten_huyen", .type = "missing", .rows_checked = communes,
                           .policy = AnyViolation()}));
  DQA_RETURN_IF_ERROR(add({.id = "ma_xa_5_chu_so", .type = "pattern", .rows_checked = communes,
                           .policy = AnyViolation()}));
  DQA_RETURN_IF_ERROR(add({.id = "row_count:dm_tinh", .type = "row_count",
                           .violations = provinces != 63, .rows_checked = provinces,
                           .value = static_cast<double>(provinces), .policy = AnyViolation()}));
  DQA_RETURN_IF_ERROR(add({.id = "pattern:dm_tinh.ma_tinh", .type = "pattern", .rows_checked = provinces,
                           .policy = AnyViolation()}));
  return Status::Ok();
}

}  // namespace dqa::datagen
