// dqa_datagen: generates the synthetic demo province (five department databases) and the exact
// ground truth of every check in rules/demo. See docs/demo-province.md.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "core/util/dates.h"
#include "scripts/datagen/generators.h"
#include "scripts/datagen/truth.h"

namespace {

dqa::Status Run(const dqa::datagen::GenContext& ctx, const std::string& truth_path) {
  using namespace dqa::datagen;
  GroundTruth truth(ctx.seed, ctx.scale, dqa::FormatDay(ctx.today));
  CatalogInfo catalog;
  PopulationInfo population;
  CivilInfo civil;
  DQA_RETURN_IF_ERROR(GenerateCatalog(ctx, truth, catalog));
  DQA_RETURN_IF_ERROR(GeneratePopulation(ctx, catalog, truth, population));
  DQA_RETURN_IF_ERROR(GenerateCivil(ctx, catalog, population, truth, civil));
  DQA_RETURN_IF_ERROR(GenerateSocial(ctx, catalog, population, civil, truth));
  DQA_RETURN_IF_ERROR(GenerateServices(ctx, catalog, truth));
  return truth.WriteJson(truth_path);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Generates the synthetic demo province databases and their ground truth"};
  std::string out_dir;
  double scale = 0.05;
  uint64_t seed = 20261101;
  std::string today_text;
  std::string truth_path;
  app.add_option("--out", out_dir, "Output folder (catalog.db, population.db, civil.db, social.db, services.db)")
      ->required();
  app.add_option("--scale", scale, "1.0 = a real province (1.4 million citizens)")
      ->check(CLI::Range(0.0001, 10.0))
      ->capture_default_str();
  app.add_option("--seed", seed, "Random seed: same seed, scale and today give byte-identical files")
      ->capture_default_str();
  app.add_option("--today", today_text, "Reference date YYYY-MM-DD (default: today's UTC date)");
  app.add_option("--ground-truth", truth_path, "Ground-truth JSON (default: OUT/ground_truth.json)");
  CLI11_PARSE(app, argc, argv);

  dqa::datagen::GenContext ctx;
  ctx.seed = seed;
  ctx.scale = scale;
  if (today_text.empty()) {
    const auto secs = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
    ctx.today = dqa::DayOf(static_cast<int64_t>(secs));
  } else {
    auto day = dqa::ParseIsoDay(today_text);
    if (!day) {
      std::fprintf(stderr, "dqa_datagen: --today must be YYYY-MM-DD, got '%s'\n", today_text.c_str());
      return 2;
    }
    ctx.today = *day;
  }
  ctx.now = ctx.today * dqa::kSecondsPerDay;
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) {
    std::fprintf(stderr, "dqa_datagen: cannot create %s: %s\n", out_dir.c_str(), ec.message().c_str());
    return 3;
  }
  ctx.out_dir = out_dir;
  if (truth_path.empty()) truth_path = out_dir + "/ground_truth.json";

  const auto start = std::chrono::steady_clock::now();
  dqa::Status status = Run(ctx, truth_path);
  if (!status.ok()) {
    std::fprintf(stderr, "dqa_datagen: %s\n", status.message().c_str());
    return 3;
  }
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fprintf(stderr, "dqa_datagen: wrote %s (scale %g, seed %llu, today %s) in %.1f s\n", out_dir.c_str(),
               scale, static_cast<unsigned long long>(seed), dqa::FormatDay(ctx.today).c_str(), secs);
  return 0;
}
