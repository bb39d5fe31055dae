// libFuzzer target: the rule-file parser (dqa::ParseRuleText) on arbitrary text. No plugin is
// loaded, so plugin check types are reported as unknown. Properties: no crash, no sanitizer report,
// and every problem of a rejected file is one line starting with the file's name (the loader's
// "<file>:<line>:<column>: <message>" contract, which `rules check` output and the tests rely on).
#include <spdlog/spdlog.h>

#include <string>

#include "core/rules/loader.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  spdlog::set_level(spdlog::level::off);  // the loader warns about skipped files
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(dqa::fuzz::AsText(data, size));
  const dqa::Result<dqa::SourceSpec> parsed = dqa::ParseRuleText(text, "fuzz.yaml");
  if (parsed.ok()) {
    DQA_FUZZ_CHECK(!parsed->id.empty(), text);
    return 0;
  }
  const std::string message = parsed.status().message();
  DQA_FUZZ_CHECK(!message.empty(), text);
  for (size_t start = 0; start < message.size();) {
    DQA_FUZZ_CHECK(message.compare(start, 9, "fuzz.yaml") == 0, message);
    const size_t end = message.find('\n', start);
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return 0;
}
