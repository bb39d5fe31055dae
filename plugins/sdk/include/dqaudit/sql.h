// SQL quoting for plugin authors and the core (header-only, std only; SQLite syntax).
#pragma once

#include <string>
#include <string_view>

#include "dqaudit/text.h"

namespace dqa::sdk {

// `name` as one SQL identifier: wrapped in double quotes, each '"' doubled. A '.' stays inside
// the identifier: QuoteIdentifier("a.b") == "\"a.b\"", QuoteIdentifier("x\"y") == "\"x\"\"y\"".
inline std::string QuoteIdentifier(std::string_view name) { return Enquote(name, '"'); }

// `name` as a qualified name: each '.'-separated part quoted as by QuoteIdentifier, so a rule can
// name an attached database's table: QuoteQualifiedName("civil.khai_tu") ==
// "\"civil\".\"khai_tu\"". Use QuoteIdentifier when a '.' may belong to the name itself.
inline std::string QuoteQualifiedName(std::string_view name) {
  std::string out;
  for (size_t start = 0;;) {
    const size_t dot = name.find('.', start);
    out += QuoteIdentifier(name.substr(start, dot == std::string_view::npos ? dot : dot - start));
    if (dot == std::string_view::npos) return out;
    out += '.';
    start = dot + 1;
  }
}

// `text` as an SQL string literal: wrapped in single quotes, each '\'' doubled
// (QuoteSqlLiteral("it's") == "'it''s'"). Prefer bound parameters; this is for statements that
// cannot take them (ATTACH, PRAGMA arguments).
inline std::string QuoteSqlLiteral(std::string_view text) { return Enquote(text, '\''); }

}  // namespace dqa::sdk
