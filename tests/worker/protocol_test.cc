// Framing of worker messages: encoding, chunked decoding, garbage and truncated streams.
#include "core/worker/protocol.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <string>
#include <vector>

namespace dqa::worker {
namespace {

uint32_t U32At(const std::string& bytes, size_t at) {
  uint32_t n = 0;
  for (size_t i = 0; i < 4; ++i) {
    n |= static_cast<uint32_t>(static_cast<uint8_t>(bytes[at + i])) << (8 * i);
  }
  return n;
}

TEST(FrameTest, EncodesHeaderThenPayload) {
  const std::string bytes = EncodeFrame(MessageType::kResult, "{\"a\":1}", 0x01020304);
  ASSERT_EQ(kHeaderSize, 20u);
  ASSERT_EQ(bytes.size(), kHeaderSize + 7);
  EXPECT_EQ(bytes.substr(0, 4), "DQAW");
  EXPECT_EQ(static_cast<uint8_t>(bytes[4]), kProtocolVersion);
  EXPECT_EQ(kProtocolVersion, 3);
  EXPECT_EQ(static_cast<uint8_t>(bytes[5]), 4);
  EXPECT_EQ(bytes[6], 0);
  EXPECT_EQ(bytes[7], 0);
  EXPECT_EQ(U32At(bytes, 8), 7u);  // little-endian length
  EXPECT_EQ(U32At(bytes, 12), 0x01020304u);  // sequence number
  EXPECT_EQ(U32At(bytes, 16), Crc32("{\"a\":1}", Crc32(bytes.substr(0, 16))));
  EXPECT_EQ(bytes.substr(kHeaderSize), "{\"a\":1}");
}

TEST(FrameTest, Crc32IsTheIeeeCrc) {
  EXPECT_EQ(Crc32(""), 0u);
  EXPECT_EQ(Crc32("123456789"), 0xCBF43926u);  // the standard check value
  EXPECT_EQ(Crc32("6789", Crc32("12345")), 0xCBF43926u);
}

TEST(FrameReaderTest, ReturnsTheSequenceNumberAndTheStreamOffset) {
  const std::string a = EncodeFrame(MessageType::kHello, "{}", 0);
  const std::string b = EncodeFrame(MessageType::kLog, "{\"x\":1}", 1);
  FrameReader reader;
  reader.Append(a + b);
  auto first = reader.Next();
  ASSERT_TRUE(first.ok() && first->has_value());
  EXPECT_EQ((*first)->sequence, 0u);
  EXPECT_EQ(reader.frames_end(), a.size());
  auto second = reader.Next();
  ASSERT_TRUE(second.ok() && second->has_value());
  EXPECT_EQ((*second)->sequence, 1u);
  EXPECT_EQ(reader.frames_end(), a.size() + b.size());
}

// Any flipped bit of a frame, header or payload, is caught: by the header checks or by the CRC.
TEST(FrameReaderTest, EveryFlippedBitIsACorruptFrame) {
  const std::string good = EncodeFrame(MessageType::kResult, "{\"id\":\"row_count:t\"}", 5);
  for (size_t byte = 0; byte < good.size(); ++byte) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string bad = good;
      bad[byte] = static_cast<char>(bad[byte] ^ (1 << bit));
      FrameReader reader;
      reader.Append(bad);
      auto next = reader.Next();
      // A longer announced length only waits for more bytes; everything else is an error.
      if (next.ok()) {
        EXPECT_FALSE(next->has_value()) << byte << ":" << bit;
        EXPECT_TRUE(byte >= 8 && byte < 12) << byte << ":" << bit;
      }
    }
  }
}

TEST(FrameReaderTest, CrcMismatchIsStickyAndNotResynchronised) {
  std::string bad = EncodeFrame(MessageType::kResult, "{\"a\":1}", 0);
  bad[kHeaderSize + 2] = 'b';
  FrameReader reader;
  reader.Append(EncodeFrame(MessageType::kHello, "{}", 0));
  ASSERT_TRUE(reader.Next().ok());
  const uint64_t bad_at = reader.frames_end();
  reader.Append(bad + EncodeFrame(MessageType::kLog, "{}", 1));
  auto next = reader.Next();
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(next.status().message().substr(0, 42), "CRC mismatch in a frame of 7 payload bytes");
  EXPECT_EQ(reader.frames_end(), bad_at);  // where the corrupt frame starts
  EXPECT_FALSE(reader.Next().ok());        // the valid frame after it is not looked for
}

// A frame header written by someone else in the middle of the stream swallows the next genuine
// frame as its payload: the CRC catches it at the offset where the intruder started.
TEST(FrameReaderTest, PartialForeignFrameIsCaughtByTheCrc) {
  const std::string hello = EncodeFrame(MessageType::kHello, "{}", 0);
  std::string partial = EncodeFrame(MessageType::kResult, std::string(40, 'x'), 1);
  partial.resize(kHeaderSize + 10);
  FrameReader reader;
  reader.Append(hello + partial + EncodeFrame(MessageType::kResult, std::string(60, 'y'), 1));
  ASSERT_TRUE(reader.Next().ok());
  auto next = reader.Next();
  ASSERT_FALSE(next.ok());
  EXPECT_NE(next.status().message().find("CRC mismatch"), std::string::npos);
  EXPECT_EQ(reader.frames_end(), hello.size());
}

TEST(FrameReaderTest, ReassemblesFramesFedByteByByte) {
  const std::string stream = EncodeFrame(MessageType::kHello, "{}") +
                             EncodeFrame(MessageType::kLog, std::string(70000, 'x')) +
                             EncodeFrame(MessageType::kSourceDone, "");
  FrameReader reader;
  std::vector<Frame> frames;
  for (char c : stream) {
    reader.Append(std::string_view(&c, 1));
    auto next = reader.Next();
    ASSERT_TRUE(next.ok()) << next.status().message();
    if (next->has_value()) frames.push_back(**next);
  }
  ASSERT_EQ(frames.size(), 3u);
  EXPECT_EQ(frames[0].type, MessageType::kHello);
  EXPECT_EQ(frames[0].payload, "{}");
  EXPECT_EQ(frames[1].type, MessageType::kLog);
  EXPECT_EQ(frames[1].payload, std::string(70000, 'x'));
  EXPECT_EQ(frames[2].type, MessageType::kSourceDone);
  EXPECT_EQ(frames[2].payload, "");
  EXPECT_EQ(reader.pending_bytes(), 0u);
}

TEST(FrameReaderTest, ReturnsSeveralFramesFromOneChunk) {
  FrameReader reader;
  reader.Append(EncodeFrame(MessageType::kHello, "1") + EncodeFrame(MessageType::kResult, "2"));
  auto a = reader.Next();
  auto b = reader.Next();
  auto c = reader.Next();
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  ASSERT_TRUE(a->has_value() && b->has_value());
  EXPECT_EQ((*a)->payload, "1");
  EXPECT_EQ((*b)->payload, "2");
  EXPECT_FALSE(c->has_value());
}

std::string WithByte(std::string frame, size_t index, uint8_t value) {
  frame[index] = static_cast<char>(value);
  return frame;
}

TEST(FrameReaderTest, RejectsMalformedHeaders) {
  const std::string good = EncodeFrame(MessageType::kResult, "{}");
  std::string huge = good;
  huge[8] = huge[9] = huge[10] = huge[11] = static_cast<char>(0xff);
  const struct {
    std::string bytes;
    std::string message;
  } cases[] = {
      {"this is not a frame\n", "bad magic 0x74686973 (expected \"DQAW\")"},
      {"DQ!", "bad magic 0x445121 (expected \"DQAW\")"},  // detected from the first wrong byte on
      {WithByte(good, 4, 2), "protocol version 2 (expected 3)"},
      {WithByte(good, 5, 3), "unknown message type 3"},  // check-started, retired in protocol 2
      {WithByte(good, 5, 0), "unknown message type 0"},
      {WithByte(good, 5, 7), "unknown message type 7"},
      {WithByte(good, 7, 1), "non-zero reserved header bytes"},
      {huge, "frame length 4294967295 exceeds the maximum of 268435456 bytes"},
  };
  for (const auto& c : cases) {
    FrameReader reader;
    reader.Append(c.bytes);
    auto next = reader.Next();
    ASSERT_FALSE(next.ok()) << c.message;
    EXPECT_EQ(next.status().message().substr(0, c.message.size()), c.message);
    // Sticky: appending a valid frame afterwards does not recover the stream.
    reader.Append(good);
    EXPECT_FALSE(reader.Next().ok()) << c.message;
  }
}

TEST(FrameReaderTest, GarbageAfterAGoodFrameIsAnError) {
  FrameReader reader;
  reader.Append(EncodeFrame(MessageType::kHello, "{}") + "garbage");
  auto first = reader.Next();
  ASSERT_TRUE(first.ok() && first->has_value());
  auto second = reader.Next();
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().message(), "bad magic 0x67617262 (expected \"DQAW\")");
}

TEST(FrameReaderTest, IncompleteFrameWaitsAndCountsPendingBytes) {
  const std::string frame = EncodeFrame(MessageType::kResult, "0123456789");
  FrameReader reader;
  reader.Append(frame.substr(0, 25));
  auto next = reader.Next();
  ASSERT_TRUE(next.ok());
  EXPECT_FALSE(next->has_value());
  EXPECT_EQ(reader.pending_bytes(), 25u);
  EXPECT_EQ(reader.frames_end(), 0u);
}

// Pipes through which ReadFrame reads what WriteFrame (or a test) wrote.
class PipeTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(pipe(fds_), 0); }
  void TearDown() override {
    if (fds_[0] >= 0) close(fds_[0]);
    if (fds_[1] >= 0) close(fds_[1]);
  }
  void WriteRaw(const std::string& bytes) {
    ASSERT_EQ(write(fds_[1], bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  }
  void CloseWriter() {
    close(fds_[1]);
    fds_[1] = -1;
  }
  int fds_[2] = {-1, -1};
};

TEST_F(PipeTest, WriteFrameThenReadFrame) {
  ASSERT_TRUE(WriteFrame(fds_[1], MessageType::kPlan, "{\"plan\":true}").ok());
  CloseWriter();
  auto frame = ReadFrame(fds_[0]);
  ASSERT_TRUE(frame.ok()) << frame.status().message();
  ASSERT_TRUE(frame->has_value());
  EXPECT_EQ((*frame)->type, MessageType::kPlan);
  EXPECT_EQ((*frame)->payload, "{\"plan\":true}");
}

TEST_F(PipeTest, CleanEndOfStreamIsNoFrame) {
  CloseWriter();
  auto frame = ReadFrame(fds_[0]);
  ASSERT_TRUE(frame.ok());
  EXPECT_FALSE(frame->has_value());
}

TEST_F(PipeTest, TruncatedFrameIsAnError) {
  const std::string frame = EncodeFrame(MessageType::kPlan, "0123456789");
  WriteRaw(frame.substr(0, frame.size() - 3));
  CloseWriter();
  auto read = ReadFrame(fds_[0]);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().message(), "truncated frame: stream ended after 27 bytes");
}

TEST_F(PipeTest, TruncatedHeaderIsAnError) {
  WriteRaw("DQAW\x01");
  CloseWriter();
  auto read = ReadFrame(fds_[0]);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().message(), "truncated frame: stream ended after 5 bytes");
}

TEST_F(PipeTest, WriteToAClosedPipeIsAnIoError) {
  close(fds_[0]);
  fds_[0] = -1;
  signal(SIGPIPE, SIG_IGN);
  const Status s = WriteFrame(fds_[1], MessageType::kLog, "x");
  EXPECT_EQ(s.code(), StatusCode::kIoError);
  EXPECT_EQ(s.message(), "write to the worker pipe failed: Broken pipe");
}

TEST(MessageTypeTest, Names) {
  EXPECT_EQ(MessageTypeName(MessageType::kPlan), "plan");
  EXPECT_EQ(MessageTypeName(MessageType::kHello), "hello");
  EXPECT_EQ(MessageTypeName(MessageType::kResult), "result");
  EXPECT_EQ(MessageTypeName(MessageType::kSourceDone), "source-done");
  EXPECT_EQ(MessageTypeName(MessageType::kLog), "log");
}

}  // namespace
}  // namespace dqa::worker
