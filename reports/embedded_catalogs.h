// The catalog files of reports/catalogs, compiled in by reports/embed_catalogs.cmake.
#pragma once

#include <cstddef>

namespace dqa::reports {

struct EmbeddedCatalog {
  const char* name;  // path under reports/catalogs: "vi/report.yaml"
  const char* text;  // the file's YAML text
};
extern const EmbeddedCatalog kEmbeddedCatalogs[];
extern const size_t kEmbeddedCatalogCount;

}  // namespace dqa::reports
