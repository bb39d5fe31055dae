#include "core/util/file_bytes.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <system_error>
#include <thread>
#include <utility>

#include "core/util/record_hash.h"

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

size_t SplitPoint(size_t size) { return size / 2 / 4096 * 4096; }

namespace {

// MemoHash from the hashes of its two parts.
Hash128 JoinPartHashes(const Hash128& first, const Hash128& second, size_t size) {
  const uint64_t words[5] = {first.high, first.low, second.high, second.low,
                             static_cast<uint64_t>(size)};
  return BulkHash128(words, sizeof words);
}

}  // namespace

Hash128 MemoHash(std::string_view bytes) {
  const size_t split = SplitPoint(bytes.size());
  return JoinPartHashes(BulkHash128(bytes.data(), split),
                        BulkHash128(bytes.data() + split, bytes.size() - split), bytes.size());
}

bool FeedSplit(std::string_view bytes, size_t align, size_t piece,
               const std::function<bool(std::string_view)>& start,
               const std::function<bool(std::string_view)>& first,
               const std::function<bool(std::string_view)>& second) {
  if (align == 0 || 4096 % align != 0) return false;
  const size_t split = SplitPoint(bytes.size());
  return start(bytes.substr(split, align)) && FeedPieces(bytes.substr(0, split), piece, first) &&
         FeedPieces(bytes.substr(split), piece, second);
}

PartsRead ReadInParts(const std::string& path, size_t align, size_t piece,
                      const std::function<bool(std::string_view)>& start,
                      const std::function<bool(std::string_view)>& first,
                      const std::function<bool(std::string_view)>& second, Hash128* hash) {
  if (align == 0 || piece == 0 || piece % align != 0 || (second && 4096 % align != 0)) {
    return PartsRead::kStopped;
  }
  size_t size = 0;
  const int fd = OpenRegular(path, size);
  if (fd < 0) return PartsRead::kStopped;
  struct Close {
    int fd;
    ~Close() { ::close(fd); }
  } close_fd{fd};
  const size_t split = second ? SplitPoint(size) : size;
  std::atomic<bool> stop{false};  // a part failed: the other stops at its next piece
  // Reads [from, to) a piece at a time into `into`, each piece to `consume`.
  const auto read = [&](size_t from, size_t to, char* into, const auto& consume) {
    for (size_t offset = from; offset < to;) {
      if (stop.load(std::memory_order_relaxed)) return PartsRead::kStopped;
      const size_t want = std::min(piece, to - offset);
      size_t got = 0;
      while (got < want) {
        const ssize_t n = ::pread(fd, into + got, want - got, static_cast<off_t>(offset + got));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        got += static_cast<size_t>(n);
      }
      if (got < want) return PartsRead::kShort;
      if (!consume(std::string_view(into, want))) return PartsRead::kStopped;
      offset += want;
    }
    return PartsRead::kWhole;
  };
  if (second) {
    std::string head(std::min(align, size - split), '\0');
    const PartsRead got = read(split, split + head.size(), head.data(),
                               [](std::string_view) { return true; });
    if (got != PartsRead::kWhole) return got;
    if (!start(head)) return PartsRead::kStopped;
  }
  // This thread's buffer is reused from call to call; the other thread's is taken here, from this
  // thread's heap (a fresh thread's allocations come from an arena of fresh memory).
  thread_local std::string buffer;
  if (buffer.size() < piece) buffer.resize(piece);
  const bool two = second && split < size;
  std::string other_buffer(two ? piece : 0, '\0');
  PartsRead other = PartsRead::kWhole;
  // The hashes of the two parts MemoHash cuts the file in (`split` itself when `second` is given).
  const size_t hash_split = SplitPoint(size);
  BulkHasher128 first_hasher(hash_split);
  BulkHasher128 second_hasher(size - hash_split);
  const auto read_second = [&] {
    try {
      other = read(split, size, other_buffer.data(), [&](std::string_view p) {
        second_hasher.Update(p.data(), p.size());
        return second(p);
      });
    } catch (const std::exception&) {
      other = PartsRead::kStopped;
    }
    if (other != PartsRead::kWhole) stop = true;
  };
  std::thread thread;
  if (two) {
    try {
      thread = std::thread(read_second);
    } catch (const std::system_error&) {
      // no thread to be had (a worker near its limits): the second part after the first, here
    }
  }
  struct Join {  // (an exception from `first` stops the other thread and waits for it)
    std::thread& thread;
    std::atomic<bool>& stop;
    ~Join() {
      if (thread.joinable()) {
        stop = true;
        thread.join();
      }
    }
  } join{thread, stop};
  size_t at = 0;  // bytes of this thread's part hashed so far
  PartsRead mine = read(0, split, buffer.data(), [&](std::string_view p) {
    // (one part read alone: its bytes from hash_split on are the second part's)
    const size_t in_first = at < hash_split ? std::min(p.size(), hash_split - at) : 0;
    first_hasher.Update(p.data(), in_first);
    // (never with two parts read at once: the other thread feeds second_hasher then)
    if (in_first < p.size()) second_hasher.Update(p.data() + in_first, p.size() - in_first);
    at += p.size();
    return first(p);
  });
  if (mine != PartsRead::kWhole) stop = true;
  if (thread.joinable()) {
    thread.join();
  } else if (two && mine == PartsRead::kWhole) {
    read_second();
  }
  if (mine == PartsRead::kShort || other == PartsRead::kShort) return PartsRead::kShort;
  if (mine != PartsRead::kWhole || other != PartsRead::kWhole) return PartsRead::kStopped;
  *hash = JoinPartHashes(first_hasher.Finish(), second_hasher.Finish(), size);
  return PartsRead::kWhole;
}

}  // namespace dqa
