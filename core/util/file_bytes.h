// The bytes of a file read back whole: a read-only mapping of the file (no copy, no buffer to fill),
// or bytes held in memory (a store in memory, an empty file).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace dqa {

class FileBytes {
 public:
  FileBytes() = default;
  explicit FileBytes(std::string bytes) : owned_(std::move(bytes)) {}
  // The file at `path` mapped read-only with its pages read in at once (MAP_POPULATE); nullopt when
  // it cannot be opened or mapped. The file is not held open.
  static std::optional<FileBytes> Map(const std::string& path);

  FileBytes(FileBytes&& other) noexcept;
  FileBytes& operator=(FileBytes&& other) noexcept;
  FileBytes(const FileBytes&) = delete;
  FileBytes& operator=(const FileBytes&) = delete;
  ~FileBytes();

  std::string_view view() const {
    return mapped_ != nullptr ? std::string_view(mapped_, size_) : std::string_view(owned_);
  }

 private:
  void Unmap();
  std::string owned_;
  const char* mapped_ = nullptr;
  size_t size_ = 0;
};

}  // namespace dqa
