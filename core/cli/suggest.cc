// Did-you-mean: CLI11 knows the options and subcommands; the nearest one is found with the rule
// loader's edit distance (rules::EditDistance), department names through the folding of the
// Vietnamese name matcher (NormalizeName), so both are measured the way the rest of dqaudit does.
#include "core/cli/suggest.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <utility>

#include "core/checks/name_match.h"
#include "core/rules/diagnostics.h"

namespace dqa::cli {
namespace {

// The deepest selected subcommand of `app` (the command whose arguments are being read).
const CLI::App* SelectedCommand(const CLI::App& app) {
  const CLI::App* current = &app;
  while (!current->get_subcommands().empty()) current = current->get_subcommands().front();
  return current;
}

// "dqaudit inspections add" for the selected command.
std::string CommandPath(const CLI::App* command) {
  std::string path;
  for (const CLI::App* a = command; a != nullptr; a = a->get_parent()) {
    path = path.empty() ? a->get_name() : a->get_name() + " " + path;
  }
  return path;
}

}  // namespace

std::string FoldForMatching(std::string_view text) { return NormalizeName(text).folded; }

std::vector<std::string> NearestNames(std::string_view wanted,
                                      const std::vector<std::string>& candidates, size_t limit) {
  const std::string folded = FoldForMatching(wanted);
  const size_t tolerance = std::max<size_t>(3, folded.size() / 2);
  std::vector<std::pair<size_t, std::string>> ranked;
  for (const std::string& candidate : candidates) {
    const std::string other = FoldForMatching(candidate);
    const size_t distance = !folded.empty() && other.find(folded) != std::string::npos
                                ? 0
                                : rules::EditDistance(folded, other);
    if (distance <= tolerance) ranked.emplace_back(distance, candidate);
  }
  std::sort(ranked.begin(), ranked.end());
  ranked.erase(std::unique(ranked.begin(), ranked.end()), ranked.end());
  std::vector<std::string> out;
  for (auto& [distance, name] : ranked) {
    if (out.size() == limit) break;
    out.push_back(std::move(name));
  }
  return out;
}

std::string UnknownArgumentMessage(const CLI::App& app) {
  // Whatever CLI11 could not place ends in the remaining arguments of the root (options fall
  // through to it) or of the selected command.
  std::vector<std::string> left = app.remaining(true);
  if (left.empty()) return "";
  const CLI::App* command = SelectedCommand(app);
  std::string word = left.front();
  std::vector<std::string> names;
  std::string what;
  if (word.size() > 1 && word[0] == '-') {
    word = word.substr(0, word.find('='));
    what = "option";
    for (const CLI::App* a = command; a != nullptr; a = a->get_parent()) {
      for (const CLI::Option* option : a->get_options()) {
        for (const std::string& name : option->get_lnames()) names.push_back("--" + name);
        for (const std::string& name : option->get_snames()) names.push_back("-" + name);
      }
    }
  } else {
    // A word where a subcommand was expected (`dqaudit scna`, `dqaudit inspections ad`), or a
    // stray argument of a command that takes none.
    what = command->get_subcommands({}).empty() ? "argument" : "subcommand";
    for (const CLI::App* sub : command->get_subcommands({})) names.push_back(sub->get_name());
  }
  std::vector<std::string_view> views(names.begin(), names.end());
  const std::string close = rules::ClosestMatch(word, views);
  return fmt::format("{}: unknown {} '{}'{}", CommandPath(command), what, word,
                     close.empty() ? "" : fmt::format("; did you mean {}?", close));
}

}  // namespace dqa::cli
