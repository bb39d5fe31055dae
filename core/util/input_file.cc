#include "core/util/input_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>

#include "core/util/process.h"
#include "core/util/text.h"

namespace dqa {
namespace {

std::string SizeText(int64_t bytes) {
  if (bytes % (int64_t{1} << 20) == 0) return fmt::format("{} MiB", bytes >> 20);
  if (bytes % (int64_t{1} << 10) == 0) return fmt::format("{} KiB", bytes >> 10);
  return fmt::format("{} bytes", bytes);
}

}  // namespace

std::string_view FileKindName(unsigned mode) {
  switch (mode & S_IFMT) {
    case S_IFREG: return "a regular file";
    case S_IFDIR: return "a directory";
    case S_IFIFO: return "a FIFO";
    case S_IFCHR: return "a character device";
    case S_IFBLK: return "a block device";
    case S_IFSOCK: return "a socket";
    case S_IFLNK: return "a symbolic link";
    default: return "not a file";
  }
}

Result<std::string> ReadInputFile(const std::string& path, int64_t max_bytes) {
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
  Fd fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
  if (fd.get() < 0) {
    const int err = errno;
    if (err == ENOENT) return NotFound(fmt::format("{}: no such file", path));
    if (err == ENXIO) return InvalidArgument(fmt::format("{}: not a regular file (a socket)", path));
    return IoError(fmt::format("{}: cannot open: {}", path, std::strerror(err)));
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) {
    return IoError(fmt::format("{}: cannot read: {}", path, std::strerror(errno)));
  }
  if (!S_ISREG(st.st_mode)) {
    return InvalidArgument(fmt::format("{}: not a regular file ({})", path,
                                       FileKindName(static_cast<unsigned>(st.st_mode))));
  }
  const auto too_large = [&](int64_t size) {
    return InvalidArgument(fmt::format("{}: {} bytes, over the limit of {} for this file", path,
                                       size, SizeText(max_bytes)));
  };
  if (st.st_size > max_bytes) return too_large(st.st_size);
  std::string text;
  text.reserve(static_cast<size_t>(st.st_size));
  char buffer[65536];
  // Reads at most one byte past the limit: a file that grows after fstat() is still refused.
  while (true) {
    const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError(fmt::format("{}: cannot read: {}", path, std::strerror(errno)));
    }
    if (n == 0) break;
    text.append(buffer, static_cast<size_t>(n));
    if (static_cast<int64_t>(text.size()) > max_bytes) {
      return too_large(static_cast<int64_t>(text.size()));
    }
  }
  return text;
}

std::optional<TextProblem> FindTextProblem(std::string_view text) {
  int line = 1;
  size_t line_start = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[pos]);
    const auto problem = [&](std::string message) {
      return TextProblem{line, static_cast<int>(pos - line_start) + 1, std::move(message)};
    };
    if (c == 0) return problem("NUL byte (0x00)");
    if (c < 0x80) {
      ++pos;
      if (c == '\n') {
        ++line;
        line_start = pos;
      }
      continue;
    }
    if (!DecodeUtf8(text, pos)) return problem(fmt::format("invalid UTF-8 (byte 0x{:02X})", c));
  }
  return std::nullopt;
}

}  // namespace dqa
