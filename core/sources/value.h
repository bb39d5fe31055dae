// Value and ScanRow: one row of the fused table scan as the check evaluators see it.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace dqa {

// One SQLite value, borrowed: `bytes` (TEXT/BLOB) is valid until the scan moves to the next row.
struct Value {
  enum class Type { kNull, kInteger, kReal, kText, kBlob };
  Type type = Type::kNull;
  int64_t integer = 0;
  double real = 0;
  std::string_view bytes;

  bool is_null() const { return type == Type::kNull; }
  static Value Null() { return {}; }
  static Value Integer(int64_t v) { return {Type::kInteger, v, 0, {}}; }
  static Value Real(double v) { return {Type::kReal, 0, v, {}}; }
  static Value Text(std::string_view v) { return {Type::kText, 0, 0, v}; }
};

// The text form of docs/checks.md: TEXT/BLOB as stored, INTEGER in decimal, REAL shortest
// round-trip; NULL -> "NULL" (only used for sample keys). Numbers are formatted into `scratch`.
std::string_view TextForm(const Value& value, std::string& scratch);
inline std::string TextFormCopy(const Value& value) {
  std::string scratch;
  return std::string(TextForm(value, scratch));
}

// A row of the fused scan: the sample key values, the needed column values (each column once) and
// the 0/1 flags of every distinct `where` and every `invalid_when` (indexes fixed by the planner).
struct ScanRow {
  std::span<const Value> keys;
  std::span<const Value> cells;
  std::span<const unsigned char> flags;
  // The row's rowid when the scan reads a rowid table of SQLite (it always selects it there);
  // nullptr otherwise (a view, a WITHOUT ROWID table, PostgreSQL).
  const int64_t* rowid = nullptr;
};

}  // namespace dqa
