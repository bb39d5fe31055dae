// Diagnostics: the rule-file problems collected by the loader, rendered as "file:line:col:
// message".
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/model/types.h"
#include "core/util/status.h"

namespace dqa::rules {

struct Diagnostic {
  SourceLocation location;
  std::string message;
};

// Collects every problem found instead of stopping at the first one.
class Diagnostics {
 public:
  // Control characters in `message` (bytes < 0x20 and 0x7F) are written as "\xNN"; every
  // registered `expanded` text (Redact) is written as its `written` form.
  void Add(SourceLocation location, std::string message);
  // From now on, messages show `written` (a rule value as written, "${DQA_PG_PASSWORD}") wherever
  // they would quote `expanded` (that value after substitution): environment values stay out.
  void Redact(std::string expanded, std::string written);
  bool empty() const { return items_.empty(); }
  size_t size() const { return items_.size(); }
  const std::vector<Diagnostic>& items() const { return items_; }

  // One "file:line:column: message" line per problem ("file: message" when the line is unknown),
  // sorted by file, then line, then column; problems at the same place keep their order.
  std::string Render() const;
  // OK when empty, else InvalidArgument(Render()).
  Status ToStatus() const;

 private:
  std::vector<Diagnostic> items_;
  std::vector<std::pair<std::string, std::string>> redactions_;  // expanded, written
};

// Edit distance with adjacent transpositions counted as one edit (optimal string alignment).
size_t EditDistance(std::string_view a, std::string_view b);

// The candidate closest to `word` when it is close enough to be a likely typo, else "".
std::string ClosestMatch(std::string_view word, const std::vector<std::string_view>& candidates);

// "a, b, c".
std::string JoinNames(const std::vector<std::string_view>& names);

}  // namespace dqa::rules
