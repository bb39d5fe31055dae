#include "core/sources/value.h"

#include "core/util/text.h"

namespace dqa {

std::string_view TextForm(const Value& value, std::string& scratch) {
  switch (value.type) {
    case Value::Type::kNull:
      return "NULL";
    case Value::Type::kInteger:
      scratch = IntegerText(value.integer);
      return scratch;
    case Value::Type::kReal:
      scratch = RealText(value.real);
      return scratch;
    case Value::Type::kText:
    case Value::Type::kBlob:
      return value.bytes;
  }
  return {};
}

}  // namespace dqa
