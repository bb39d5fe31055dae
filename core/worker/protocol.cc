#include "core/worker/protocol.h"

#include <fmt/format.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace dqa::worker {
namespace {

uint32_t ReadU32(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return static_cast<uint32_t>(u[0]) | static_cast<uint32_t>(u[1]) << 8 |
         static_cast<uint32_t>(u[2]) << 16 | static_cast<uint32_t>(u[3]) << 24;
}

void AppendU32(std::string& out, uint32_t n) {
  for (int shift = 0; shift < 32; shift += 8) out.push_back(static_cast<char>((n >> shift) & 0xff));
}

// The CRC covers the header without its CRC field, then the payload.
constexpr size_t kCrcOffset = 16;

bool KnownType(uint8_t t) {
  return t >= static_cast<uint8_t>(MessageType::kPlan) && t <= static_cast<uint8_t>(MessageType::kLog) &&
         t != 3;  // retired check-started
}

std::string BadMagic(std::string_view bytes) {
  std::string shown;
  for (unsigned char c : bytes) shown += fmt::format("{:02x}", c);
  return fmt::format("bad magic 0x{} (expected \"DQAW\")", shown);
}

// Validates a complete header; the payload length on success.
Result<size_t> ParseHeader(std::string_view h) {
  if (h.substr(0, 4) != kMagic) return InvalidArgument(BadMagic(h.substr(0, 4)));
  if (static_cast<uint8_t>(h[4]) != kProtocolVersion) {
    return InvalidArgument(fmt::format("protocol version {} (expected {})",
                                       static_cast<unsigned>(static_cast<uint8_t>(h[4])),
                                       kProtocolVersion));
  }
  if (!KnownType(static_cast<uint8_t>(h[5]))) {
    return InvalidArgument(fmt::format("unknown message type {}",
                                       static_cast<unsigned>(static_cast<uint8_t>(h[5]))));
  }
  if (h[6] != 0 || h[7] != 0) return InvalidArgument("non-zero reserved header bytes");
  const size_t length = ReadU32(h.data() + 8);
  if (length > kMaxPayload) {
    return InvalidArgument(
        fmt::format("frame length {} exceeds the maximum of {} bytes", length, kMaxPayload));
  }
  return length;
}

}  // namespace

std::string_view MessageTypeName(MessageType type) {
  switch (type) {
    case MessageType::kPlan: return "plan";
    case MessageType::kHello: return "hello";
    case MessageType::kResult: return "result";
    case MessageType::kSourceDone: return "source-done";
    case MessageType::kLog: return "log";
  }
  return "unknown";
}

uint32_t Crc32(std::string_view bytes, uint32_t crc) {
  static const auto kTable = [] {
    std::array<uint32_t, 256> table{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      table[i] = c;
    }
    return table;
  }();
  crc = ~crc;
  for (unsigned char b : bytes) crc = kTable[(crc ^ b) & 0xff] ^ (crc >> 8);
  return ~crc;
}

std::string EncodeFrame(MessageType type, std::string_view payload, uint32_t sequence) {
  std::string out;
  out.reserve(kHeaderSize + payload.size());
  out.append(kMagic);
  out.push_back(static_cast<char>(kProtocolVersion));
  out.push_back(static_cast<char>(type));
  out.push_back('\0');
  out.push_back('\0');
  AppendU32(out, static_cast<uint32_t>(payload.size()));
  AppendU32(out, sequence);
  AppendU32(out, Crc32(payload, Crc32(out)));
  out.append(payload);
  return out;
}

Result<std::optional<Frame>> FrameReader::Next() {
  if (!error_.empty()) return InvalidArgument(error_);
  const std::string_view rest = std::string_view(buffer_).substr(consumed_);
  // Check the magic as soon as its bytes are there: garbage is reported without waiting for more.
  const size_t magic_bytes = std::min(rest.size(), kMagic.size());
  if (rest.substr(0, magic_bytes) != kMagic.substr(0, magic_bytes)) {
    error_ = BadMagic(rest.substr(0, magic_bytes));
    return InvalidArgument(error_);
  }
  if (rest.size() < kHeaderSize) return std::optional<Frame>();
  auto length = ParseHeader(rest.substr(0, kHeaderSize));
  if (!length.ok()) {
    error_ = length.status().message();
    return length.status();
  }
  if (rest.size() < kHeaderSize + *length) return std::optional<Frame>();
  const std::string_view payload = rest.substr(kHeaderSize, *length);
  const uint32_t sent_crc = ReadU32(rest.data() + kCrcOffset);
  const uint32_t crc = Crc32(payload, Crc32(rest.substr(0, kCrcOffset)));
  if (crc != sent_crc) {
    error_ = fmt::format(
        "CRC mismatch in a frame of {} payload bytes (header says {:08x}, bytes give {:08x})",
        *length, sent_crc, crc);
    return InvalidArgument(error_);
  }
  Frame frame;
  frame.type = static_cast<MessageType>(rest[5]);
  frame.payload = std::string(payload);
  frame.sequence = ReadU32(rest.data() + 12);
  consumed_ += kHeaderSize + *length;
  total_consumed_ += kHeaderSize + *length;
  // Compact once the consumed prefix dominates, so a long stream does not grow the buffer.
  if (consumed_ > 65536 && consumed_ * 2 > buffer_.size()) {
    buffer_.erase(0, consumed_);
    consumed_ = 0;
  }
  return std::optional<Frame>(std::move(frame));
}

Status WriteFrame(int fd, MessageType type, std::string_view payload, uint32_t sequence) {
  if (payload.size() > kMaxPayload) {
    return InvalidArgument(fmt::format("message of {} bytes exceeds the frame limit", payload.size()));
  }
  const std::string bytes = EncodeFrame(type, payload, sequence);
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError(fmt::format("write to the worker pipe failed: {}", std::strerror(errno)));
    }
    done += static_cast<size_t>(n);
  }
  return Status::Ok();
}

Result<std::optional<Frame>> ReadFrame(int fd) {
  FrameReader reader;
  char buf[65536];
  while (true) {
    auto frame = reader.Next();
    if (!frame.ok() || frame->has_value()) return frame;
    const ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError(fmt::format("read from the worker pipe failed: {}", std::strerror(errno)));
    }
    if (n == 0) {
      if (reader.pending_bytes() == 0) return std::optional<Frame>();
      return InvalidArgument(
          fmt::format("truncated frame: stream ended after {} bytes", reader.pending_bytes()));
    }
    reader.Append(std::string_view(buf, static_cast<size_t>(n)));
  }
}

}  // namespace dqa::worker
