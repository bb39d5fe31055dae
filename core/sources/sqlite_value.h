// Reading one cell of a SQLite result row as a borrowed dqa::Value (the hot path of every scan).
#pragma once

#include <sqlite3.h>

#include <string_view>

#include "core/sources/value.h"

namespace dqa {

// Reads column `i` of the current row of `stmt` without copying: TEXT/BLOB bytes stay valid until
// the statement moves to the next row. One sqlite3_column_value call, then the sqlite3_value_*
// accessors: each sqlite3_column_* call takes the connection mutex, which cost ~10% of a scan. The
// value is "unprotected", which only matters when another thread uses the same connection; a
// connection here belongs to one scan on one thread.
inline Value ReadColumnValue(sqlite3_stmt* stmt, int i) {
  sqlite3_value* v = sqlite3_column_value(stmt, i);
  switch (sqlite3_value_type(v)) {
    case SQLITE_INTEGER:
      return Value::Integer(sqlite3_value_int64(v));
    case SQLITE_FLOAT:
      return Value::Real(sqlite3_value_double(v));
    case SQLITE_TEXT: {
      const auto* p = reinterpret_cast<const char*>(sqlite3_value_text(v));
      const auto n = static_cast<size_t>(sqlite3_value_bytes(v));
      return Value::Text(p == nullptr ? std::string_view() : std::string_view(p, n));
    }
    case SQLITE_BLOB: {
      const auto* p = static_cast<const char*>(sqlite3_value_blob(v));
      const auto n = static_cast<size_t>(sqlite3_value_bytes(v));
      Value out;
      out.type = Value::Type::kBlob;
      out.bytes = p == nullptr ? std::string_view() : std::string_view(p, n);
      return out;
    }
    default:
      return Value::Null();
  }
}

}  // namespace dqa
