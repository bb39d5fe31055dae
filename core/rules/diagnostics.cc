#include "core/rules/diagnostics.h"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

namespace dqa::rules {

void Diagnostics::Redact(std::string expanded, std::string written) {
  // A one-byte value is no secret, and replacing it everywhere would garble every message.
  if (expanded.size() >= 2) redactions_.emplace_back(std::move(expanded), std::move(written));
}

void Diagnostics::Add(SourceLocation location, std::string message) {
  for (const auto& [expanded, written] : redactions_) {
    for (size_t at = message.find(expanded); at != std::string::npos;
         at = message.find(expanded, at + written.size())) {
      message.replace(at, expanded.size(), written);
    }
  }
  // Messages quote names from the rule file, which YAML lets hold any byte ("a\nb" is a valid key):
  // control characters are escaped so that a problem stays on one line and cannot forge another
  // "file:line:column:" line (found by tests/fuzz/rule_parser_fuzz.cc).
  std::string shown;
  shown.reserve(message.size());
  for (const char c : message) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x20 || b == 0x7F) {
      shown += fmt::format("\\x{:02X}", b);
    } else {
      shown += c;
    }
  }
  items_.push_back({std::move(location), std::move(shown)});
}

std::string Diagnostics::Render() const {
  std::vector<const Diagnostic*> sorted;
  sorted.reserve(items_.size());
  for (const Diagnostic& d : items_) sorted.push_back(&d);
  std::stable_sort(sorted.begin(), sorted.end(), [](const Diagnostic* a, const Diagnostic* b) {
    return std::tie(a->location.file, a->location.line, a->location.column) <
           std::tie(b->location.file, b->location.line, b->location.column);
  });
  std::string out;
  for (const Diagnostic* d : sorted) {
    if (!out.empty()) out += '\n';
    out += d->location.ToString();
    out += ": ";
    out += d->message;
  }
  return out;
}

Status Diagnostics::ToStatus() const {
  if (items_.empty()) return Status::Ok();
  return InvalidArgument(Render());
}

size_t EditDistance(std::string_view a, std::string_view b) {
  // Full matrix: keys are short, and the transposition rule needs the row before the previous one.
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1, 0));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

std::string ClosestMatch(std::string_view word, const std::vector<std::string_view>& candidates) {
  // Short words tolerate fewer edits, or every two-letter key would "resemble" every other.
  const size_t limit = word.size() <= 4 ? 1 : (word.size() <= 8 ? 2 : 3);
  std::string best;
  size_t best_distance = limit + 1;
  for (std::string_view c : candidates) {
    const size_t distance = EditDistance(word, c);
    if (distance < best_distance) {
      best_distance = distance;
      best = std::string(c);
    }
  }
  return best;
}

std::string JoinNames(const std::vector<std::string_view>& names) {
  std::string out;
  for (std::string_view n : names) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

}  // namespace dqa::rules
