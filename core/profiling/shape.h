// Value shapes ("patterns") of the profiler: 9 for a digit, A/a for an upper/lower-case letter.
#pragma once

#include <string>
#include <string_view>

namespace dqa::profiling {

// Longest shape kept, in code points; longer values end in "…" and get no regex.
constexpr size_t kMaxShapeLength = 64;

// The shape of `text` (expected NFC): ASCII digit -> '9'; a Unicode upper- or title-case letter
// -> 'A'; any other Unicode letter (lower-case, modifier, other) -> 'a' (so "Nguyễn" -> "Aaaaaa");
// whitespace and punctuation are kept as they are; control characters and invalid UTF-8 bytes
// -> '?'. Values longer than kMaxShapeLength code points are cut there and end in "…".
std::string ValueShape(std::string_view text);

// An anchored RE2 regex that matches exactly the values of `shape`: runs of one class become
// [0-9]{n}, [\p{Lu}\p{Lt}]{n}, [\p{Ll}\p{Lm}\p{Lo}]{n}; other characters are quoted. Empty for a
// cut shape (ending in "…") or one containing '?'.
std::string ShapeRegex(std::string_view shape);

}  // namespace dqa::profiling
