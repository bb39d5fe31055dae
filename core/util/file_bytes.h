// The bytes of a file read back whole: a read-only mapping of the file (no copy, no buffer to
// fill), the file read into memory of our own, or bytes held in memory (a store in memory, an
// empty file).
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/util/murmur3.h"

namespace dqa {

class FileBytes {
 public:
  FileBytes() = default;
  explicit FileBytes(std::string bytes) : owned_(std::move(bytes)) {}
  // The file at `path` mapped read-only with its pages read in at once (MAP_POPULATE); nullopt when
  // it cannot be opened or mapped. The file is not held open.
  static std::optional<FileBytes> Map(const std::string& path);
  // The file at `path` read whole into memory of its own: from 2 MB up, an anonymous mapping that
  // the kernel is asked to back with huge pages (MADV_HUGEPAGE), smaller files into a string.
  // Where a first touch of each page is dear (a virtual machine whose every page fault exits to
  // the hypervisor: some 2 microseconds a page of a file mapping and 15 of fresh memory on the
  // project's machine), reading 22 MB this way costs a few milliseconds where touching a mapping
  // of it page by page costs more than ten. nullopt when it cannot be opened or read whole.
  static std::optional<FileBytes> Read(const std::string& path);

  FileBytes(FileBytes&& other) noexcept;
  FileBytes& operator=(FileBytes&& other) noexcept;
  FileBytes(const FileBytes&) = delete;
  FileBytes& operator=(const FileBytes&) = delete;
  ~FileBytes();

  std::string_view view() const {
    return data_ != nullptr ? std::string_view(data_, size_) : std::string_view(owned_);
  }

 private:
  void Unmap();
  std::string owned_;
  void* region_ = nullptr;  // the mapping to unmap (a file's, or anonymous memory holding it)
  size_t region_size_ = 0;
  const char* data_ = nullptr;
  size_t size_ = 0;
};

// `bytes` to `consume` in pieces of `piece` bytes (the last one shorter), in order, while it
// returns true: true when every piece was taken (none for empty bytes). False for a zero `piece`.
bool FeedPieces(std::string_view bytes, size_t piece,
                const std::function<bool(std::string_view)>& consume);

// Where a memo of `size` bytes is cut into the two parts that are read at once (StreamSplit of
// GroupingMemos, StreamMemoSplit of RangeStore): at half of it, down to a multiple of 4096 bytes
// (whole pages, and whole pieces of any `align` that divides 4096).
size_t SplitPoint(size_t size);

// The hash that names a memo file of these bytes: the BulkHash128 (record_hash.h) of each of the
// two parts SplitPoint cuts them in, hashed together with their size. Each part's is taken by the
// thread that reads it (ReadInParts), so no thread reads the other's part again to hash the file.
Hash128 MemoHash(std::string_view bytes);

// `bytes` given as those two parts are: `start` gets the first `align` bytes of the part from
// SplitPoint (fewer when it has fewer), then the part before it goes to `first` and the rest to
// `second` in pieces of `piece` bytes (FeedPieces), one part after the other. False when a
// callback returned false, or `align` is zero or does not divide 4096.
bool FeedSplit(std::string_view bytes, size_t align, size_t piece,
               const std::function<bool(std::string_view)>& start,
               const std::function<bool(std::string_view)>& first,
               const std::function<bool(std::string_view)>& second);

// The file at `path` read a piece at a time (`piece` bytes, a multiple of `align`), in the two
// parts FeedSplit gives (one part, all to `first`, when `second` is empty): `start` as FeedSplit's;
// the second part read and given to `second` by a thread of its own with reads of its own (no
// piece crosses cores), while the calling thread reads the first part for `first`; each thread
// hashes the part it reads, for the file's MemoHash into `*hash`. A piece read on a thread is
// still in that core's cache when its callback walks it.
// kShort when the file ended before its size; kStopped when a callback returned false or threw
// (on the other thread), the file cannot be opened, or `piece` is not a multiple of `align` (or,
// with `second`, `align` does not divide 4096).
enum class PartsRead { kWhole, kStopped, kShort };
PartsRead ReadInParts(const std::string& path, size_t align, size_t piece,
                      const std::function<bool(std::string_view)>& start,
                      const std::function<bool(std::string_view)>& first,
                      const std::function<bool(std::string_view)>& second, Hash128* hash);

}  // namespace dqa
