#include "core/util/file_bytes.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <utility>

namespace dqa {
namespace {

constexpr size_t kHugePage = size_t{2} << 20;

// Opens `path` read-only when it is a regular file; -1 otherwise. `size` receives its size.
int OpenRegular(const std::string& path, size_t& size) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 0) {
    ::close(fd);
    return -1;
  }
  size = static_cast<size_t>(st.st_size);
  return fd;
}

// Reads `size` bytes of `fd` from its start into `out`; false on an error or a short file.
bool ReadAll(int fd, char* out, size_t size) {
  size_t got = 0;
  while (got < size) {
    const ssize_t n = ::pread(fd, out + got, size - got, static_cast<off_t>(got));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    got += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

std::optional<FileBytes> FileBytes::Map(const std::string& path) {
  size_t size = 0;
  const int fd = OpenRegular(path, size);
  if (fd < 0) return std::nullopt;
  FileBytes out;
  if (size > 0) {
    void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (p == MAP_FAILED) {
      ::close(fd);
      return std::nullopt;
    }
    out.region_ = p;
    out.region_size_ = size;
    out.data_ = static_cast<const char*>(p);
    out.size_ = size;
  }
  ::close(fd);
  return out;
}

std::optional<FileBytes> FileBytes::Read(const std::string& path) {
  size_t size = 0;
  const int fd = OpenRegular(path, size);
  if (fd < 0) return std::nullopt;
  FileBytes out;
  bool ok = true;
  if (size < kHugePage) {
    out.owned_.resize(size);
    ok = ReadAll(fd, out.owned_.data(), size);
  } else {
    // A huge page's worth more than needed, so that the bytes can start on a huge page boundary.
    const size_t length = (size + kHugePage - 1) / kHugePage * kHugePage + kHugePage;
    void* p = ::mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
      ::close(fd);
      return std::nullopt;
    }
    out.region_ = p;
    out.region_size_ = length;
    const auto start = (reinterpret_cast<uintptr_t>(p) + kHugePage - 1) / kHugePage * kHugePage;
    char* data = reinterpret_cast<char*>(start);
    (void)::madvise(data, length - (start - reinterpret_cast<uintptr_t>(p)), MADV_HUGEPAGE);
    ok = ReadAll(fd, data, size);
    out.data_ = data;
    out.size_ = size;
  }
  ::close(fd);
  if (!ok) return std::nullopt;
  return out;
}

FileBytes::FileBytes(FileBytes&& other) noexcept
    : owned_(std::move(other.owned_)),
      region_(std::exchange(other.region_, nullptr)),
      region_size_(std::exchange(other.region_size_, 0)),
      data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)) {}

FileBytes& FileBytes::operator=(FileBytes&& other) noexcept {
  if (this != &other) {
    Unmap();
    owned_ = std::move(other.owned_);
    region_ = std::exchange(other.region_, nullptr);
    region_size_ = std::exchange(other.region_size_, 0);
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

FileBytes::~FileBytes() { Unmap(); }

void FileBytes::Unmap() {
  if (region_ != nullptr) ::munmap(region_, region_size_);
  region_ = nullptr;
  region_size_ = 0;
  data_ = nullptr;
  size_ = 0;
}

bool FeedPieces(std::string_view bytes, size_t piece,
                const std::function<bool(std::string_view)>& consume) {
  if (piece == 0) return false;
  for (size_t at = 0; at < bytes.size(); at += piece) {
    if (!consume(bytes.substr(at, piece))) return false;
  }
  return true;
}

}  // namespace dqa
