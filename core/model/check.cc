#include "core/model/check.h"

namespace dqa {

std::string_view CheckSpec::PluginSector() const {
  const size_t dot = type.find('.');
  return dot == std::string::npos ? std::string_view() : std::string_view(type).substr(0, dot);
}

}  // namespace dqa
