// Did-you-mean for the command line: the nearest option or subcommand to a mistyped one, and the
// nearest department names to one that the rules do not have (accents and case ignored).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace CLI {
class App;
}

namespace dqa::cli {

// `text` compared without accents or case: lower case, Vietnamese tone and vowel marks dropped,
// đ/Đ -> d, whitespace collapsed ("Sở Tư  pháp" -> "so tu phap"; NormalizeName's folded form).
std::string FoldForMatching(std::string_view text);

// The candidates nearest to `wanted` by edit distance of their folded forms (FoldForMatching),
// nearest first, ties by name; at most `limit` of them. A candidate whose folded form equals
// wanted's, or contains it, comes first (distance 0). Only candidates within an edit distance of
// max(3, half the folded length of `wanted`) are returned, so an unrelated name is never offered.
std::vector<std::string> NearestNames(std::string_view wanted,
                                      const std::vector<std::string>& candidates, size_t limit);

// After a parse error of `app` (the root): "dqaudit scan: unknown option '--jsn'; did you mean
// --json?" for the first argument CLI11 could not place, the suggestion being the closest option
// of the selected (sub)command or of its parents (options fall through), or the closest
// subcommand of it for a bare word (rules::ClosestMatch; none when nothing is close). "" when
// every argument was placed (the error is of another kind: a missing or invalid value).
std::string UnknownArgumentMessage(const CLI::App& app);

}  // namespace dqa::cli
