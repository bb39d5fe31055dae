#include "core/i18n/titles.h"

#include <string>

namespace dqa::i18n {

std::string DefaultCheckTitle(const Catalog& catalog, const TitleFacts& facts) {
  std::string key = "title." + std::string(facts.type);
  if (facts.future_only && catalog.Has(key + "_future")) key += "_future";
  if (!catalog.Has(key)) {
    key = facts.type.find('.') != std::string_view::npos ? "title.plugin" : "title.other";
  }
  std::string columns;
  for (const std::string& c : facts.columns) {
    if (!columns.empty()) columns += ", ";
    columns += c;
  }
  if (columns.empty()) columns = std::string(facts.table);
  return catalog.Format(key, {{"columns", columns},
                              {"table", std::string(facts.table)},
                              {"id", std::string(facts.id)},
                              {"type", std::string(facts.type)}});
}

std::string CheckTitleIn(const Catalog& catalog, const std::map<std::string, std::string>& titles,
                         const TitleFacts& facts) {
  if (auto it = titles.find(std::string(ToString(catalog.language())));
      it != titles.end() && !it->second.empty()) {
    return it->second;
  }
  return DefaultCheckTitle(catalog, facts);
}

}  // namespace dqa::i18n
