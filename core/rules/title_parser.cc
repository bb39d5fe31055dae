// Titles of checks in rule files: a check's `title` and a table's `column_titles`, resolved into
// CheckSpec::title for every catalog language (docs/rules.md "Titles").
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/i18n/titles.h"
#include "core/rules/parser_impl.h"

namespace dqa::rules::internal {

std::optional<std::map<std::string, std::string>> Parser::GetTitles(const Entry& e) {
  std::map<std::string, std::string> out;
  if (e.value.IsScalar()) {
    auto text = GetString(e);
    if (!text) return std::nullopt;
    for (i18n::Language l : i18n::kLanguages) out[std::string(i18n::ToString(l))] = *text;
    return out;
  }
  std::vector<std::string_view> codes;
  for (i18n::Language l : i18n::kLanguages) codes.push_back(i18n::ToString(l));
  if (!e.value.IsMap() || e.value.size() == 0) {
    Error(ValueLoc(e), fmt::format("'{}': expected a text, or a text per language as {{{}: "
                                   "\"...\"}}",
                                   e.key, fmt::join(codes, ": \"...\", ")));
    return std::nullopt;
  }
  const size_t before = diags_.size();
  const Entries le = ReadMap(e.value, &codes, fmt::format("in '{}'", e.key));
  for (const Entry& l : le) {
    if (auto text = GetString(l)) out[l.key] = *text;
  }
  if (diags_.size() != before) return std::nullopt;
  return out;
}

void Parser::ParseColumnTitles(const Entry& e) {
  if (!e.value.IsMap() || e.value.size() == 0) {
    Error(ValueLoc(e), "'column_titles': expected a map of column names to their titles, e.g. "
                       "{so_cccd: {vi: \"Số CCCD\", en: \"ID card number\"}}");
    return;
  }
  const Entries ce = ReadMap(e.value, nullptr, "in 'column_titles'");
  for (const Entry& c : ce) {
    if (auto titles = GetTitles(c)) column_titles_[c.key] = std::move(*titles);
  }
}

void Parser::ResolveTitle(CheckSpec& check, const std::map<std::string, std::string>& given) const {
  // A check whose only bound is an upper "today" reads as "after today" (range).
  const auto max = check.params.find("max");
  const bool future_only = !check.params.contains("min") && max != check.params.end() &&
                           max->is_string() && (*max == "today" || *max == "now");
  for (i18n::Language l : i18n::kLanguages) {
    const std::string code(i18n::ToString(l));
    std::vector<std::string> columns;
    for (const std::string& c : check.columns) {
      const auto titles = column_titles_.find(c);
      const bool titled = titles != column_titles_.end() && titles->second.contains(code);
      columns.push_back(titled ? titles->second.at(code) : c);
    }
    if (auto g = given.find(code); g != given.end()) {
      check.title[code] = i18n::Catalog::Substitute(
          g->second, {{"column", columns.size() == 1 ? columns[0] : std::string("{column}")}});
      continue;
    }
    check.title[code] = i18n::DefaultCheckTitle(
        i18n::Catalog::BuiltIn(l), {.type = check.type,
                                    .table = check.table,
                                    .id = check.id,
                                    .columns = std::move(columns),
                                    .future_only = future_only});
  }
}

}  // namespace dqa::rules::internal
