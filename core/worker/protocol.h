// Worker protocol: framed messages on the pipes between the orchestrator and a worker process.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/util/status.h"

namespace dqa::worker {

// A frame is a 12-byte header followed by `length` bytes of payload (a JSON document):
//   bytes 0-3  magic "DQAW"
//   byte  4    protocol version (kProtocolVersion)
//   byte  5    message type (MessageType)
//   bytes 6-7  zero
//   bytes 8-11 payload length, unsigned little-endian, at most kMaxPayload
inline constexpr std::string_view kMagic = "DQAW";
// 2: the check-started message (type 3) is gone; the activity page tells what runs.
inline constexpr uint8_t kProtocolVersion = 2;
inline constexpr size_t kHeaderSize = 12;
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
};

// The bytes of one frame. `payload` must not exceed kMaxPayload.
std::string EncodeFrame(MessageType type, std::string_view payload);

// Splits a byte stream into frames. Bytes are appended as they arrive (in any chunks); Next()
// returns each complete frame once. A stream error (bad magic, version, type, reserved bytes or an
// oversized length) is sticky: InvalidArgument from then on, with a message saying what was wrong.
class FrameReader {
 public:
  void Append(std::string_view bytes) { buffer_.append(bytes); }
  // The next complete frame; nullopt when more bytes are needed.
  Result<std::optional<Frame>> Next();
  // Bytes received that do not form a complete frame yet (non-zero at EOF = truncated frame).
  size_t pending_bytes() const { return buffer_.size() - consumed_; }

 private:
  std::string buffer_;
  size_t consumed_ = 0;
  std::string error_;
};

// Writes one frame to `fd`, retrying partial writes and EINTR. IoError when the fd refuses
// (EPIPE when the reader is gone: SIGPIPE must be ignored or the writer dies, which is the point
// for a worker whose orchestrator died).
Status WriteFrame(int fd, MessageType type, std::string_view payload);

// Reads one frame from a blocking `fd` (bytes read past it are discarded: use it for a stream that
// carries a single frame, like the plan on a worker's stdin). nullopt at a clean EOF before any byte;
// InvalidArgument for a malformed or truncated frame; IoError when read() fails.
Result<std::optional<Frame>> ReadFrame(int fd);

}  // namespace dqa::worker
