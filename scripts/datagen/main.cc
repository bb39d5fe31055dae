// dqa_datagen: generates the synthetic demo province (five department databases) and the exact
// ground truth of every check in rules/demo. See docs/demo-province.md.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/util/dates.h"
#include "scripts/datagen/generators.h"
#include "scripts/datagen/truth.h"

namespace {

using DefectFactors = std::map<std::string, double>;

// The sources whose defect rates --defects can change (the catalog has no injected defects).
const std::vector<std::string> kDefectSources = {"population", "civil", "social", "services"};
constexpr double kMaxDefectFactor = 5.0;

// Parses --defects values "SOURCE=FACTOR" (each may hold several, comma-separated: CLI11 splits
// them). Returns "" or the first problem.
std::string ParseDefectFactors(const std::vector<std::string>& items, DefectFactors& out) {
  for (const std::string& item : items) {
    const size_t eq = item.find('=');
    const std::string source = item.substr(0, eq);
    if (eq == std::string::npos ||
        std::find(kDefectSources.begin(), kDefectSources.end(), source) == kDefectSources.end()) {
      return fmt::format("--defects takes SOURCE=FACTOR with SOURCE one of {}, got '{}'",
                         fmt::join(kDefectSources, ", "), item);
    }
    const std::string number = item.substr(eq + 1);
    char* end = nullptr;
    const double factor = std::strtod(number.c_str(), &end);
    if (number.empty() || *end != '\0' || !(factor >= 0.0 && factor <= kMaxDefectFactor)) {
      return fmt::format("--defects: the factor of {} must be a number from 0 to {}, got '{}'",
                         source, kMaxDefectFactor, number);
    }
    out[source] = factor;
  }
  return "";
}

// Every database was "delivered" at 06:00 (+07:00) of the reference day: the file times are part
// of the generated province, so the delivery findings of rules/demo are exact (civil is due by
// 07:00: on time; social by 05:00: late).
dqa::Status SetDeliveryTimes(const dqa::datagen::GenContext& ctx) {
  const timespec at{.tv_sec = static_cast<time_t>(ctx.today * dqa::kSecondsPerDay - 3600),
                    .tv_nsec = 0};
  const timespec times[2] = {at, at};
  for (const char* name : {"catalog.db", "population.db", "civil.db", "social.db", "services.db"}) {
    const std::string path = ctx.out_dir + "/" + name;
    if (::utimensat(AT_FDCWD, path.c_str(), times, 0) != 0) {
      return dqa::IoError(fmt::format("cannot set the file time of {}", path));
    }
  }
  return dqa::Status::Ok();
}

dqa::Status Run(const dqa::datagen::GenContext& base, const DefectFactors& factors,
                const std::string& truth_path) {
  using namespace dqa::datagen;
  const auto ctx = [&](const std::string& source) {
    GenContext c = base;
    const auto it = factors.find(source);
    if (it != factors.end()) c.defect_factor = it->second;
    return c;
  };
  GroundTruth truth(base.seed, base.scale, dqa::FormatDay(base.today));
  truth.SetDefectFactors(factors);
  CatalogInfo catalog;
  PopulationInfo population;
  CivilInfo civil;
  DQA_RETURN_IF_ERROR(GenerateCatalog(base, truth, catalog));
  DQA_RETURN_IF_ERROR(GeneratePopulation(ctx("population"), catalog, truth, population));
  DQA_RETURN_IF_ERROR(GenerateCivil(ctx("civil"), catalog, population, truth, civil));
  DQA_RETURN_IF_ERROR(GenerateSocial(ctx("social"), catalog, population, civil, truth));
  DQA_RETURN_IF_ERROR(GenerateServices(ctx("services"), catalog, truth));
  DQA_RETURN_IF_ERROR(SetDeliveryTimes(base));
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
  std::vector<std::string> defect_items;
  double reentry_rate = 0.01;
  app.add_option("--out", out_dir, "Output folder (catalog.db, population.db, civil.db, social.db, services.db)")
      ->required();
  app.add_option("--scale", scale, "1.0 = a real province (1.4 million citizens)")
      ->check(CLI::Range(0.0001, 10.0))
      ->capture_default_str();
  app.add_option("--seed", seed, "Random seed: same seed, scale and today give byte-identical files")
      ->capture_default_str();
  app.add_option("--today", today_text, "Reference date YYYY-MM-DD (default: today's UTC date)");
  app.add_option("--ground-truth", truth_path, "Ground-truth JSON (default: OUT/ground_truth.json)");
  app.add_option("--defects", defect_items,
                 "SOURCE=FACTOR[,...]: multiply the rate of every defect class injected into "
                 "population, civil, social or services (default 1 = the standard province)")
      ->delimiter(',');
  app.add_option("--reentered", reentry_rate,
                 "Share of citizens entered again with corruptions, for fuzzy duplicates "
                 "(ground_truth.json \"fuzzy_duplicates\")")
      ->check(CLI::Range(0.0, 0.03))
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  DefectFactors factors;
  if (const std::string problem = ParseDefectFactors(defect_items, factors); !problem.empty()) {
    std::fprintf(stderr, "dqa_datagen: %s\n", problem.c_str());
    return 2;
  }

  dqa::datagen::GenContext ctx;
  ctx.seed = seed;
  ctx.scale = scale;
  ctx.reentry_rate = reentry_rate;
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
  dqa::Status status = Run(ctx, factors, truth_path);
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
