// Push-down: a check's per-row work written as SQL predicates, so that a server database counts
// the rows in one aggregate query per table instead of sending every row (SourceDb::PushesDown,
// docs/engine.md "Push-down on PostgreSQL"). A check offers its predicates only where the SQL
// gives exactly the counts of its C++ evaluation; otherwise it stays in the streamed scan.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dqa {

// What a column's declared type holds, as far as push-down needs it: for kText, kInteger, kDate
// and kTimestamp the server's `column::text` is exactly dqaudit's text form of the value
// (docs/checks.md "Text forms"); kFloat and kNumeric are numbers whose text forms may differ.
enum class SqlColumnKind { kText, kInteger, kFloat, kNumeric, kDate, kTimestamp, kOther };

// The kind of a PostgreSQL declared type as format_type() writes it ("character varying(20)",
// "bigint", "timestamp without time zone", ...).
SqlColumnKind PgColumnKind(std::string_view declared_type);

// True when `column::text` is the value's text form (kText, kInteger, kDate, kTimestamp).
bool TextFormExact(SqlColumnKind kind);

// An SQL fragment with `?` placeholders and the text of each, in order; the server casts each
// where the fragment says (`?::bigint[]`).
struct SqlFragment {
  std::string sql;
  std::vector<std::string> params;
  bool empty() const { return sql.empty(); }
  // Appends SQL text without placeholders, or another fragment with its parameters.
  SqlFragment& operator+=(std::string_view text);
  SqlFragment& operator+=(const SqlFragment& other);
  // Appends one `?` placeholder with its text.
  SqlFragment& Param(std::string text);
};

// A check's rows as SQL predicates over the table's columns, each evaluated on the rows in the
// check's scope (table filter and the check's `where`, which the engine adds):
//   checked: the row counts in rows_checked (empty = every row in scope);
//   violation: a checked row is a violation (empty = none: the figure is the count alone);
//   extra: a checked row counts in the check's extra figure (range: unparseable dates).
struct PushDown {
  SqlFragment checked, violation, extra;
};

// The table's columns as the server declares them, and what the server can compute.
struct PushDownTable {
  std::map<std::string, SqlColumnKind> kinds;  // lower-case column name -> kind
  bool unicode_normalize = false;              // normalize(text, NFC) works (UTF8 database)
  SqlColumnKind KindOf(std::string_view column) const;
};

// `expr` (SQL of a text value, evaluated several times) NFC-normalised is one of `nfc_items`
// (already NFC): compared with every string canonically equivalent to an item (the server need not
// normalise each value), or, when the items have too many equivalents, with the server's
// normalize() where `unicode_normalize`; nullopt otherwise.
std::optional<SqlFragment> NfcMemberSql(const std::string& expr,
                                        const std::vector<std::string>& nfc_items,
                                        bool unicode_normalize);
// `expr` (SQL of a text value) is missing as the `missing` check reads text: blank (only
// whitespace, when `blank`) or, trimmed of whitespace and NFC-normalised, one of `nfc_items`
// (trimmed, NFC). One regular expression decides, run only on values whose first character is
// whitespace or can start an item (ascii() is cheap; most values are names and codes).
// nullopt when the items have too many canonical equivalents.
std::optional<SqlFragment> BlankOrListedSql(const std::string& expr,
                                            const std::vector<std::string>& nfc_items, bool blank);

// An array literal ('{"a","b"}') of `items` for a `?::text[]` parameter.
std::string SqlArrayLiteral(const std::vector<std::string>& items);
// "{:.17g}": a double that the server reads back exactly.
std::string SqlExactNumber(double x);

}  // namespace dqa
