#include "core/scoring/config.h"

#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "core/scoring/yaml_map.h"
#include "core/util/input_file.h"

namespace dqa {
namespace {

// Upper bounds of the knobs (docs/scoring.md "Configuration"): a weight is a ratio between checks
// or dimensions, so 1000 is already extreme, and bounded values keep every sum finite.
constexpr double kMaxWeight = 1000;
constexpr double kMaxSaturation = 1000;

Status ParseInto(const YAML::Node& root, const std::string& name, ScoringConfig& c) {
  DQA_ASSIGN_OR_RETURN(
      config::YamlMap top,
      config::YamlMap::Read(root, name, "scoring configuration",
                            {"weights", "severity_weights", "warn_loss", "saturation",
                             "zero_limit_percent", "errors", "error_loss", "grades", "trends"}));
  if (top.Has("weights")) {
    DQA_ASSIGN_OR_RETURN(
        config::YamlMap weights,
        config::YamlMap::Read(top.Get("weights"), name, "weights",
                              {"validity", "completeness", "uniqueness", "freshness"}));
    for (Dimension d : {Dimension::kValidity, Dimension::kCompleteness, Dimension::kUniqueness,
                        Dimension::kFreshness}) {
      DQA_RETURN_IF_ERROR(
          weights.Number(ToString(d), 0, kMaxWeight, false, c.dimension_weights[static_cast<size_t>(d)]));
    }
    double total = 0;
    for (double w : c.dimension_weights) total += w;
    if (total <= 0) return top.Error("weights", "at least one dimension weight must be > 0");
  }
  if (top.Has("severity_weights")) {
    DQA_ASSIGN_OR_RETURN(config::YamlMap weights,
                         config::YamlMap::Read(top.Get("severity_weights"), name,
                                               "severity_weights", {"warn", "fail", "critical"}));
    for (Severity s : {Severity::kWarn, Severity::kFail, Severity::kCritical}) {
      DQA_RETURN_IF_ERROR(
          weights.Number(ToString(s), 0, kMaxWeight, true, c.severity_weights[static_cast<size_t>(s)]));
    }
  }
  DQA_RETURN_IF_ERROR(top.Number("warn_loss", 0, 1, false, c.warn_loss));
  DQA_RETURN_IF_ERROR(top.Number("saturation", 1, kMaxSaturation, true, c.saturation));
  DQA_RETURN_IF_ERROR(top.Number("zero_limit_percent", 0, 100, true, c.zero_limit_percent));
  DQA_RETURN_IF_ERROR(top.Number("error_loss", 0, 1, false, c.error_loss));
  std::string errors;
  DQA_RETURN_IF_ERROR(top.Choice("errors", {"penalize", "exclude"}, errors));
  if (!errors.empty()) {
    c.errors = errors == "exclude" ? ErrorPolicy::kExclude : ErrorPolicy::kPenalize;
  }
  if (top.Has("grades")) {
    DQA_ASSIGN_OR_RETURN(config::YamlMap grades,
                         config::YamlMap::Read(top.Get("grades"), name, "grades",
                                               {"good", "fair", "average", "poor"}));
    DQA_RETURN_IF_ERROR(grades.Number("good", 0, 100, false, c.grades.good));
    DQA_RETURN_IF_ERROR(grades.Number("fair", 0, 100, false, c.grades.fair));
    DQA_RETURN_IF_ERROR(grades.Number("average", 0, 100, false, c.grades.average));
    DQA_RETURN_IF_ERROR(grades.Number("poor", 0, 100, false, c.grades.poor));
    const GradeCuts& g = c.grades;
    if (!(g.good > g.fair && g.fair > g.average && g.average > g.poor)) {
      return top.Error("grades", fmt::format("grade bounds must decrease: good ({}) > fair ({}) > "
                                             "average ({}) > poor ({})",
                                             g.good, g.fair, g.average, g.poor));
    }
  }
  return Status::Ok();
}

}  // namespace

Status ValidateScoringConfig(const ScoringConfig& c) {
  double total = 0;
  for (double w : c.dimension_weights) {
    if (!(w >= 0) || !std::isfinite(w)) return InvalidArgument("weights: must be >= 0");
    total += w;
  }
  if (total <= 0) return InvalidArgument("weights: at least one dimension weight must be > 0");
  for (double w : c.severity_weights) {
    if (!(w > 0) || !std::isfinite(w)) return InvalidArgument("severity_weights: must be > 0");
  }
  if (!(c.warn_loss >= 0 && c.warn_loss <= 1)) return InvalidArgument("warn_loss: must be 0..1");
  if (!(c.saturation > 1) || !std::isfinite(c.saturation)) {
    return InvalidArgument("saturation: must be > 1");
  }
  if (!(c.zero_limit_percent > 0) || !std::isfinite(c.zero_limit_percent)) {
    return InvalidArgument("zero_limit_percent: must be > 0");
  }
  if (!(c.error_loss >= 0 && c.error_loss <= 1)) return InvalidArgument("error_loss: must be 0..1");
  const GradeCuts& g = c.grades;
  if (!(g.good > g.fair && g.fair > g.average && g.average > g.poor && g.poor >= 0 &&
        g.good <= 100)) {
    return InvalidArgument("grades: bounds must decrease within 0..100");
  }
  return Status::Ok();
}

Result<ScoringConfig> ParseScoringConfig(const std::string& yaml_text, const std::string& name) {
  DQA_ASSIGN_OR_RETURN(YAML::Node root, config::LoadRoot(yaml_text, name));
  ScoringConfig c;
  try {
    DQA_RETURN_IF_ERROR(ParseInto(root, name, c));
  } catch (const YAML::Exception& e) {
    // Only reachable through a yaml-cpp bug: every access checks the node type first.
    return InvalidArgument(fmt::format("{}: YAML error: {}", name, e.what()));
  }
  DQA_RETURN_IF_ERROR(ValidateScoringConfig(c).WithContext(name));
  return c;
}

Result<std::string> ReadConfigFile(const std::string& path) {
  Result<std::string> text = ReadInputFile(path);
  if (!text.ok() && text.status().code() == StatusCode::kNotFound) {
    return NotFound(fmt::format("configuration file not found: {}", path));
  }
  return text;
}

Result<ScoringConfig> LoadScoringConfig(const std::string& path) {
  DQA_ASSIGN_OR_RETURN(std::string text, ReadConfigFile(path));
  return ParseScoringConfig(text, path);
}

}  // namespace dqa
