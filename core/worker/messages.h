// The JSON payloads of worker messages: SourcePlan, CheckResult and the other message bodies.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "core/engine/plan.h"
#include "core/model/result.h"
#include "core/util/status.h"

namespace dqa::worker {

// Complete encodings: Decode(Encode(x)) == x for every field, including each CheckParams
// alternative, optional fields and non-finite doubles. Strings that are not valid UTF-8 (possible
// in sample values read from source data) become U+FFFD when dumped, as in every output of dqaudit.
nlohmann::json EncodePlan(const SourcePlan& plan);
nlohmann::json EncodeCheckResult(const CheckResult& result);
// The SourceResult without `results` (the source-done message).
nlohmann::json EncodeSourceHeader(const SourceResult& result);

// The reverse. InvalidArgument naming the first field that is missing or has the wrong type.
Result<SourcePlan> DecodePlan(const nlohmann::json& j);
Result<CheckResult> DecodeCheckResult(const nlohmann::json& j);
Result<SourceResult> DecodeSourceHeader(const nlohmann::json& j);

// {level, message}: a log line of the worker, re-logged by the orchestrator.
struct LogLine {
  std::string level;  // spdlog level name: "debug", "info", "warning", "error", ...
  std::string message;
};
nlohmann::json EncodeLog(const LogLine& m);
Result<LogLine> DecodeLog(const nlohmann::json& j);

// {protocol, pid, version}: the worker's first message.
struct Hello {
  int protocol = 0;
  int64_t pid = 0;
  std::string version;
};
nlohmann::json EncodeHello(const Hello& m);
Result<Hello> DecodeHello(const nlohmann::json& j);

// Text of a payload (never throws: invalid UTF-8 is replaced) and the reverse (InvalidArgument
// with the parser's message for text that is not JSON).
std::string DumpPayload(const nlohmann::json& j);
Result<nlohmann::json> ParsePayload(const std::string& text);

}  // namespace dqa::worker
