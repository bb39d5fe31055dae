// Titles of checks in words: the sentence a report names a check by when its rule gives no
// `title` (docs/rules.md "Titles"), from the catalogs' title.* keys. Ids stay for machines.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/i18n/catalog.h"

namespace dqa::i18n {

// What a default title says of a check.
struct TitleFacts {
  std::string_view type;   // "missing", "<sector>.<check>", "delivery", ...
  std::string_view table;  // "" for source-level findings
  std::string_view id;
  std::vector<std::string> columns;  // as the title names them: their titles where known
  // Its only bound is an upper one of today: title.<type>_future where the catalog has one
  // (range: "Ngày sinh sau ngày hôm nay").
  bool future_only = false;
};

// The default title of a check in `catalog`'s language: title.<type> (or its _future form),
// title.plugin for a plugin type, title.other for any other; columns joined with ", ".
std::string DefaultCheckTitle(const Catalog& catalog, const TitleFacts& facts);

// A check's title in `catalog`'s language: `titles` (language code -> text, as recorded) where it
// has a non-empty one, else DefaultCheckTitle(facts).
std::string CheckTitleIn(const Catalog& catalog, const std::map<std::string, std::string>& titles,
                         const TitleFacts& facts);

}  // namespace dqa::i18n
