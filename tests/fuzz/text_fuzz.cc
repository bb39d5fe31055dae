// libFuzzer target: the text helpers of core/util/text.h (UTF-8 decoding, Unicode whitespace,
// trimming, NFC through ICU, number parsing) on arbitrary bytes. Properties: no crash or undefined
// behaviour; NFC is idempotent and keeps valid UTF-8 valid; NfcView agrees with ToNfc; trimming is
// idempotent and empties exactly the blank texts; a parsed number's text form parses back to it.
#include <string>

#include "core/util/text.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

bool ValidUtf8(std::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    if (!dqa::DecodeUtf8(text, pos)) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = dqa::fuzz::AsText(data, size);
  const bool valid = ValidUtf8(text);

  const std::string nfc = dqa::ToNfc(text);
  if (!valid) DQA_FUZZ_CHECK(nfc == text, text);  // invalid UTF-8 is never rewritten
  if (valid) DQA_FUZZ_CHECK(ValidUtf8(nfc), text);
  DQA_FUZZ_CHECK(dqa::ToNfc(nfc) == nfc, text);
  std::string scratch;
  DQA_FUZZ_CHECK(dqa::NfcView(text, scratch) == nfc, text);
  if (dqa::IsAscii(text)) DQA_FUZZ_CHECK(nfc == text, text);

  const std::string_view trimmed = dqa::TrimWhitespace(text);
  DQA_FUZZ_CHECK(dqa::TrimWhitespace(trimmed) == trimmed, text);
  DQA_FUZZ_CHECK(trimmed.data() >= text.data() &&
                     trimmed.data() + trimmed.size() <= text.data() + text.size(),
                 text);
  DQA_FUZZ_CHECK(dqa::IsBlank(text) == trimmed.empty(), text);

  if (const auto number = dqa::ParseNumber(text)) {
    const auto back = dqa::ParseNumber(dqa::RealText(*number));
    DQA_FUZZ_CHECK(back && *back == *number, text);
  }
  return 0;
}
