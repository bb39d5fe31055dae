#include "core/sources/value.h"

#include <charconv>

namespace dqa {
namespace {

// The decimal form of `x` written into `scratch` (its capacity is kept from row to row, so the
// row loop does not allocate): std::to_chars, as IntegerText and RealText (core/util/text.h).
template <typename Number>
std::string_view WriteNumber(Number x, std::string& scratch) {
  constexpr size_t kMaxChars = 32;  // int64: 20, shortest double: 24
  scratch.resize(kMaxChars);
  const auto res = std::to_chars(scratch.data(), scratch.data() + kMaxChars, x);
  scratch.resize(static_cast<size_t>(res.ptr - scratch.data()));
  return scratch;
}

}  // namespace

std::string_view NumberTextForm(const Value& value, std::string& scratch) {
  switch (value.type) {
    case Value::Type::kNull:
      return "NULL";
    case Value::Type::kInteger:
      return WriteNumber(value.integer, scratch);
    case Value::Type::kReal:
      return WriteNumber(value.real, scratch);
    case Value::Type::kText:
    case Value::Type::kBlob:
      return value.bytes;
  }
  return {};
}

}  // namespace dqa
