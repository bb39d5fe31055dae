// libFuzzer target: the orchestrator's side of the worker result stream (core/worker). The input is
// read as the bytes a worker wrote to its pipe: split into frames by FrameReader (in one piece and
// again byte by byte, as a slow pipe delivers it), each payload parsed as JSON and decoded as the
// message its type says. The whole input is also decoded as one payload of every kind, so the
// decoders are reached even when a mutation breaks the framing. Properties: no crash or undefined
// behaviour; framing does not depend on how the bytes are chunked; every decoded message
// re-encodes to a payload that decodes to the same message.
#include <string>
#include <vector>

#include "core/worker/messages.h"
#include "core/worker/protocol.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

namespace w = dqa::worker;
using nlohmann::json;

// Decodes `payload` as a `Decode` message; when it decodes, checks that Encode(decoded) decodes to
// the same encoding.
template <typename T>
void RoundTrip(const json& payload, dqa::Result<T> (*decode)(const json&), json (*encode)(const T&)) {
  const dqa::Result<T> decoded = decode(payload);
  if (!decoded.ok()) return;
  const std::string once = w::DumpPayload(encode(*decoded));
  const dqa::Result<json> reparsed = w::ParsePayload(once);
  DQA_FUZZ_CHECK(reparsed.ok(), once);
  const dqa::Result<T> again = decode(*reparsed);
  DQA_FUZZ_CHECK(again.ok(), once);
  DQA_FUZZ_CHECK(w::DumpPayload(encode(*again)) == once, once);
}

void DecodeAs(w::MessageType type, const json& payload) {
  switch (type) {
    case w::MessageType::kPlan: RoundTrip(payload, &w::DecodePlan, &w::EncodePlan); break;
    case w::MessageType::kHello: RoundTrip(payload, &w::DecodeHello, &w::EncodeHello); break;
    case w::MessageType::kResult:
      RoundTrip(payload, &w::DecodeCheckResult, &w::EncodeCheckResult);
      break;
    case w::MessageType::kSourceDone:
      RoundTrip(payload, &w::DecodeSourceHeader, &w::EncodeSourceHeader);
      break;
    case w::MessageType::kLog: RoundTrip(payload, &w::DecodeLog, &w::EncodeLog); break;
  }
}

struct Split {
  std::vector<w::Frame> frames;
  bool failed = false;
  size_t pending = 0;
};

// Appends `bytes` in pieces of `chunk` bytes, taking every complete frame after each piece.
Split Read(std::string_view bytes, size_t chunk) {
  Split out;
  w::FrameReader reader;
  for (size_t at = 0; at < bytes.size() && !out.failed; at += chunk) {
    reader.Append(bytes.substr(at, chunk));
    while (true) {
      auto next = reader.Next();
      if (!next.ok()) {
        DQA_FUZZ_CHECK(!next.status().message().empty(), bytes);
        out.failed = true;
        break;
      }
      if (!next->has_value()) break;
      out.frames.push_back(std::move(**next));
    }
  }
  out.pending = reader.pending_bytes();
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes = dqa::fuzz::AsText(data, size);

  const Split whole = Read(bytes, bytes.size() + 1);
  const Split trickle = Read(bytes, 1);
  DQA_FUZZ_CHECK(whole.failed == trickle.failed, bytes);
  DQA_FUZZ_CHECK(whole.frames.size() == trickle.frames.size(), bytes);
  for (size_t i = 0; i < whole.frames.size(); ++i) {
    DQA_FUZZ_CHECK(whole.frames[i].type == trickle.frames[i].type &&
                       whole.frames[i].payload == trickle.frames[i].payload,
                   bytes);
  }
  if (!whole.failed) DQA_FUZZ_CHECK(whole.pending == trickle.pending, bytes);

  for (const w::Frame& frame : whole.frames) {
    // What the orchestrator reads is what the worker wrote.
    const std::string encoded = w::EncodeFrame(frame.type, frame.payload);
    DQA_FUZZ_CHECK(Read(encoded, encoded.size()).frames.size() == 1, encoded);
    const dqa::Result<json> payload = w::ParsePayload(frame.payload);
    if (payload.ok()) DecodeAs(frame.type, *payload);
  }

  const dqa::Result<json> as_payload = w::ParsePayload(std::string(bytes));
  if (as_payload.ok()) {
    for (const w::MessageType type : {w::MessageType::kPlan, w::MessageType::kHello,
                                      w::MessageType::kResult, w::MessageType::kSourceDone,
                                      w::MessageType::kLog}) {
      DecodeAs(type, *as_payload);
    }
  }
  return 0;
}
