// JSON text written directly, without building a nlohmann::json first: the same bytes as
// nlohmann::json's dump(-1, ' ', false, error_handler_t::replace) of the same value, at a fraction
// of its cost (a check's failing rows are a thousand rows of strings, recorded at the end of every
// night's scan of the table).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dqa {

// Appends `text` as a JSON string: quotes, backslashes and control characters escaped (\b \t \n
// \f \r by name, the rest \u00xx), valid UTF-8 as it is; a string that is not valid UTF-8 is
// written as nlohmann::json writes it with error_handler_t::replace (each invalid byte U+FFFD).
void AppendJsonString(std::string& out, std::string_view text);

// `rows` as a JSON array of arrays of strings (failing rows, samples' keys).
std::string JsonStringRows(const std::vector<std::vector<std::string>>& rows);

}  // namespace dqa
