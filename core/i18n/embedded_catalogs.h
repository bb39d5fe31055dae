// The catalog files of core/i18n/catalogs, compiled in by core/i18n/embed_catalogs.cmake.
#pragma once

#include <cstddef>

namespace dqa::i18n {

struct EmbeddedCatalog {
  const char* name;  // path under core/i18n/catalogs: "vi/report.yaml"
  const char* text;  // the file's YAML text
};
extern const EmbeddedCatalog kEmbeddedCatalogs[];
extern const size_t kEmbeddedCatalogCount;

}  // namespace dqa::i18n
