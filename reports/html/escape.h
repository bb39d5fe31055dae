// Escaping text for HTML and SVG: every value that reaches a report (names, check ids, sample row
// keys, error messages from department databases) is treated as hostile and goes through here.
#pragma once

#include <string>
#include <string_view>

namespace dqa::reports {

// `text` with &, <, >, " and ' replaced by entities, so it is inert as element content and as a
// quoted attribute value. Bytes that are not valid UTF-8 and control characters other than tab
// and newline become U+FFFD, so no byte of the input can end or confuse the document.
std::string EscapeHtml(std::string_view text);

}  // namespace dqa::reports

namespace dqa::reports {

// A link to a file beside the page: "./" then the name with every byte other than letters, digits
// and "-._~" percent-encoded, so a name with ':' (a check id) is never read as a URL scheme. Still
// goes through EscapeHtml() as an attribute (it has nothing to escape).
std::string RelativeHref(std::string_view file_name);

}  // namespace dqa::reports
