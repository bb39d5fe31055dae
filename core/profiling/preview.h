// A value shown on one line in a profile or a drafted rule file: quoted, at most 40 code points
// ("…" after), with the characters that would break the line or hide in it replaced.
#pragma once

#include <string>
#include <string_view>

namespace dqa::profiling {

enum class PreviewStyle {
  // For a YAML comment: an invalid byte becomes '?', a control character or line separator a
  // space (the comment must stay one line; the exact bytes do not matter there).
  kComment,
  // For a person reading the profile: an invalid byte or control character is shown as \xNN,
  // whitespace other than the space as \uNNNN, so that what is in the data can be seen.
  kVisible,
};

std::string QuotedPreview(std::string_view value, PreviewStyle style);

}  // namespace dqa::profiling
