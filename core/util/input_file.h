// Reading the small text files dqaudit is configured with (rule files, nightly, schedule and
// scoring configurations): regular files only, of bounded size, checked as UTF-8 text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/util/status.h"

namespace dqa {

// The largest rule or configuration file dqaudit reads (docs/rules.md "Limits"). The largest
// shipped rule file is a few KiB; 4 MiB leaves room for generated ones and keeps memory bounded.
constexpr int64_t kMaxInputFileBytes = int64_t{4} << 20;

// Reads the whole of `path`, which must name a regular file (symbolic links are followed) of at
// most `max_bytes` bytes. The file is opened with O_NONBLOCK and checked with fstat() on the open
// descriptor, so a FIFO never blocks and a file swapped after the check is not read.
// Errors ("<path>: ..."): NotFound when it does not exist; InvalidArgument when it is not a
// regular file ("not a regular file (a FIFO)", "(a character device)", "(a directory)", ...) or is
// larger than `max_bytes` ("5242880 bytes, over the limit of 4 MiB"); IoError when it cannot be
// opened or read.
Result<std::string> ReadInputFile(const std::string& path, int64_t max_bytes = kMaxInputFileBytes);

// What kind of file `mode` (st_mode) is, for messages: "a FIFO", "a directory", "a socket", ...
std::string_view FileKindName(unsigned mode);

// The first problem that keeps `text` from being a text file: a NUL byte or a byte that is not
// valid UTF-8. Line and column are 1-based; columns count bytes from the start of the line, as
// yaml-cpp's do.
struct TextProblem {
  int line = 0;
  int column = 0;
  std::string message;  // "NUL byte (0x00)" / "invalid UTF-8 (byte 0xFF)"
};
std::optional<TextProblem> FindTextProblem(std::string_view text);

}  // namespace dqa
