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
  // The date this value reads as, remembered by DateSeconds (core/checks/check_support.h) so that
  // several date checks on one column parse each cell once (docs/engine.md "Row loop"): the date
  // format it was read with (-1 = not read yet) and the result. It depends on `bytes` and `type`
  // alone, so a copy keeps it right; every cell of a scan row is a fresh Value, so it never
  // outlives the row. One scan row is read by one thread.
  mutable int8_t date_memo_format = -1;
  mutable bool date_memo_ok = false;
  int64_t integer = 0;
  double real = 0;
  std::string_view bytes;
  mutable int64_t date_memo_seconds = 0;

  bool is_null() const { return type == Type::kNull; }
  static Value Null() { return {}; }
  static Value Integer(int64_t v) {
    Value out;
    out.type = Type::kInteger;
    out.integer = v;
    return out;
  }
  static Value Real(double v) {
    Value out;
    out.type = Type::kReal;
    out.real = v;
    return out;
  }
  static Value Text(std::string_view v) {
    Value out;
    out.type = Type::kText;
    out.bytes = v;
    return out;
  }
};

// The text form of docs/checks.md: TEXT/BLOB as stored, INTEGER in decimal, REAL shortest
// round-trip; NULL -> "NULL" (only used for sample keys). Numbers are formatted into `scratch`.
// TEXT and BLOB, the common case of the row loop, are answered inline; NumberTextForm writes
// NULL, INTEGER and REAL.
std::string_view NumberTextForm(const Value& value, std::string& scratch);
inline std::string_view TextForm(const Value& value, std::string& scratch) {
  if (value.type == Value::Type::kText || value.type == Value::Type::kBlob) return value.bytes;
  return NumberTextForm(value, scratch);
}
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
