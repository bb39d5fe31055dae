// Worker protocol: framed messages on the pipes between the orchestrator and a worker process.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/util/status.h"

namespace dqa::worker {

// A frame is a 20-byte header followed by `length` bytes of payload (a JSON document):
//   bytes 0-3   magic "DQAW"
//   byte  4     protocol version (kProtocolVersion)
//   byte  5     message type (MessageType)
//   bytes 6-7   zero
//   bytes 8-11  payload length, unsigned little-endian, at most kMaxPayload
//   bytes 12-15 sequence number, unsigned little-endian: 0 for a stream's first frame, then +1
//   bytes 16-19 CRC-32 (IEEE, as zlib's crc32) of bytes 0-15 and the payload, little-endian
// Each frame is verifiable on its own: bytes that some other writer put on the stream fail the
// magic, the header or the CRC, and are reported as a corrupt frame, never decoded as a message.
inline constexpr std::string_view kMagic = "DQAW";
// 2: the check-started message (type 3) is gone; the activity page tells what runs.
// 3: sequence number and CRC-32 in every header.
inline constexpr uint8_t kProtocolVersion = 3;
inline constexpr size_t kHeaderSize = 20;
inline constexpr size_t kMaxPayload = size_t{256} << 20;  // 256 MiB: far above any real result

enum class MessageType : uint8_t {
  kPlan = 1,          // orchestrator -> worker: the SourcePlan to scan
  kHello = 2,         // worker -> orchestrator: first message {protocol, pid, version}
  // 3 was check-started (protocol 1); the activity page replaced it.
  kResult = 4,        // one CheckResult
  kSourceDone = 5,    // the SourceResult without its results; the last message
  kLog = 6,           // {level, message}: a log line of the worker
};

// "plan", "hello", ... ("unknown" for anything else).
std::string_view MessageTypeName(MessageType type);

struct Frame {
  MessageType type = MessageType::kLog;
  std::string payload;
  uint32_t sequence = 0;  // as sent; the reader checks the CRC, the caller the order
};

// CRC-32 (IEEE 802.3, reflected, as zlib's crc32()) of `bytes`, continuing from `crc` (0 to start).
uint32_t Crc32(std::string_view bytes, uint32_t crc = 0);

// The bytes of one frame. `payload` must not exceed kMaxPayload.
std::string EncodeFrame(MessageType type, std::string_view payload, uint32_t sequence = 0);

// Splits a byte stream into frames. Bytes are appended as they arrive (in any chunks); Next()
// returns each complete, CRC-verified frame once. A stream error (bad magic, version, type,
// reserved bytes, an oversized length or a CRC mismatch) is sticky: InvalidArgument from then on,
// with a message saying what was wrong. There is no resynchronisation: after a corrupt frame the
// position of the next genuine frame is unknown, and the reader says so instead of guessing.
class FrameReader {
 public:
  void Append(std::string_view bytes) { buffer_.append(bytes); }
  // The next complete frame; nullopt when more bytes are needed.
  Result<std::optional<Frame>> Next();
  // Bytes received that do not form a complete frame yet (non-zero at EOF = truncated frame).
  size_t pending_bytes() const { return buffer_.size() - consumed_; }
  // Stream offset of the first byte not returned as part of a frame: where a corrupt or truncated
  // frame starts.
  uint64_t frames_end() const { return total_consumed_; }

 private:
  std::string buffer_;
  size_t consumed_ = 0;
  uint64_t total_consumed_ = 0;
  std::string error_;
};

// Writes one frame to `fd`, retrying partial writes and EINTR. IoError when the fd refuses
// (EPIPE when the reader is gone: SIGPIPE must be ignored or the writer dies, which is the point
// for a worker whose orchestrator died). On success kHeaderSize + payload.size() bytes were
// written.
Status WriteFrame(int fd, MessageType type, std::string_view payload, uint32_t sequence = 0);

// Reads one frame from a blocking `fd` (bytes read past it are discarded: use it for a stream that
// carries a single frame, like the plan on a worker's stdin). nullopt at a clean EOF before any byte;
// InvalidArgument for a malformed or truncated frame; IoError when read() fails.
Result<std::optional<Frame>> ReadFrame(int fd);

}  // namespace dqa::worker
