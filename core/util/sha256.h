// SHA-256 (FIPS 180-4): plugin allowlists and the tests' proof that source files are untouched.
// In-tree because none of the libraries dqaudit already links (Boost 1.74, SQLite, ICU...) exposes
// SHA-256, and a whole crypto library for one hash is not worth a new dependency.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/util/status.h"

namespace dqa {

// Incremental SHA-256. Update() any number of times, then HexDigest() once.
class Sha256 {
 public:
  Sha256();
  void Update(std::string_view bytes);
  // The digest as 64 lower-case hex digits (sha256sum's form). Ends the computation: the object
  // must not be updated afterwards.
  std::string HexDigest();

 private:
  void Block(const unsigned char* block);

  std::array<uint32_t, 8> state_;
  std::array<unsigned char, 64> buffer_{};
  size_t buffered_ = 0;
  uint64_t length_ = 0;  // bytes hashed so far
};

// The hex digest of `bytes`.
std::string Sha256Hex(std::string_view bytes);

// The hex digest of the file at `path`, read in chunks. IoError naming the file when it cannot be
// opened or read.
Result<std::string> Sha256File(const std::string& path);

}  // namespace dqa
