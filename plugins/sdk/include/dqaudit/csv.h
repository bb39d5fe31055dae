// CSV output for plugin authors and the core (header-only, std only; RFC 4180).
#pragma once

#include <string>
#include <string_view>

#include "dqaudit/text.h"

namespace dqa::sdk {

// One CSV field: `text` itself when it holds no ',', '"', '\r' or '\n'; otherwise wrapped in
// double quotes with each '"' doubled: a,b -> "a,b" and say "hi" -> "say ""hi""". Nothing else
// is changed: no trimming, no guard against spreadsheet formulas (the reports add one).
inline std::string QuoteCsvField(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  return Enquote(text, '"');
}

}  // namespace dqa::sdk
