// dqa_pgload: copies department SQLite databases into a PostgreSQL database, one schema per file,
// so the same rules can audit both (the demo province on PostgreSQL, the parity test, the
// PostgreSQL benchmark). Each column gets the narrowest PostgreSQL type that holds every one of its
// values exactly as SQLite stores them: a DATE column whose values are all valid dates becomes
// `date`, one with a malformed date stays `text`, so a defect survives the copy.
//
//   dqa_pgload --dsn "host=/run/pg port=5432 dbname=demo" [--schema NAME] [--replace]
//              [--typed-times] FILE.db...
//
// A column whose values SQLite stores in several types (an INTEGER column holding a text date) has
// no PostgreSQL equivalent: it is loaded as text and reported on stdout as
// "widened: schema.table.column ...".
//
// The schema is the file's stem (population.db -> population) unless --schema names it (one file
// only). --replace drops a schema that exists; without it an existing schema is an error.
#include <libpq-fe.h>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/sources/sqlite_db.h"
#include "core/util/status.h"
#include "dqaudit/text.h"

namespace dqa::pgload {
namespace {

using Conn = std::unique_ptr<PGconn, decltype(&PQfinish)>;

Status Run(PGconn* conn, const std::string& sql) {
  std::unique_ptr<PGresult, decltype(&PQclear)> r(PQexec(conn, sql.c_str()), PQclear);
  const ExecStatusType s = PQresultStatus(r.get());
  if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
    return IoError(fmt::format("{}(in: {})", PQerrorMessage(conn), sql.substr(0, 200)));
  }
  return Status::Ok();
}

// The number of rows of `table` where `bad` (an SQLite condition on the column) holds.
Result<int64_t> CountWhere(SqliteDb& db, const std::string& table, const std::string& bad) {
  DQA_ASSIGN_OR_RETURN(std::optional<double> n,
                       db.QueryNumber(fmt::format("SELECT count(*) FROM main.{} WHERE {}",
                                                  QuoteIdent(table), bad)));
  return static_cast<int64_t>(n.value_or(0));
}

// The PostgreSQL type that holds every value of the column exactly: its declared type's when
// every value fits it, else text (or bytea when there is a BLOB).
Result<std::string> PgType(SqliteDb& db, const std::string& table, const ColumnInfo& column,
                           bool typed_times) {
  const std::string c = QuoteIdent(column.name);
  std::string declared = sdk::ToLowerAscii(column.declared_type);
  for (char& ch : declared) ch = static_cast<char>(ch >= 'a' && ch <= 'z' ? ch - 32 : ch);
  const auto none = [&](const std::string& bad) -> Result<bool> {
    DQA_ASSIGN_OR_RETURN(int64_t n, CountWhere(db, table, bad));
    return n == 0;
  };
  DQA_ASSIGN_OR_RETURN(bool no_blob, none(fmt::format("typeof({}) = 'blob'", c)));
  if (!no_blob) {
    DQA_ASSIGN_OR_RETURN(bool all_blob, none(fmt::format("typeof({}) NOT IN ('blob', 'null')", c)));
    return std::string(all_blob ? "bytea" : "text");
  }
  const auto all_text_matching = [&](const std::string& canonical) -> Result<bool> {
    return none(fmt::format("{0} IS NOT NULL AND (typeof({0}) <> 'text' OR {1} IS NOT {0})", c,
                            fmt::format(fmt::runtime(canonical), c)));
  };
  if (declared.find("INT") != std::string::npos) {
    DQA_ASSIGN_OR_RETURN(bool ok, none(fmt::format("typeof({}) NOT IN ('integer', 'null')", c)));
    if (ok) return std::string("bigint");
  } else if (declared.find("REAL") != std::string::npos ||
             declared.find("FLOA") != std::string::npos ||
             declared.find("DOUB") != std::string::npos) {
    DQA_ASSIGN_OR_RETURN(bool ok, none(fmt::format("typeof({}) NOT IN ('real', 'null')", c)));
    if (ok) return std::string("double precision");
  } else if (declared.find("NUMERIC") != std::string::npos ||
             declared.find("DECIMAL") != std::string::npos) {
    DQA_ASSIGN_OR_RETURN(bool ok,
                         none(fmt::format("typeof({}) NOT IN ('integer', 'real', 'null')", c)));
    if (ok) return std::string("numeric");
  } else if (declared.find("BOOL") != std::string::npos) {
    DQA_ASSIGN_OR_RETURN(bool ok, none(fmt::format("{0} IS NOT NULL AND {0} NOT IN (0, 1) "
                                                   "OR typeof({0}) NOT IN ('integer', 'null')",
                                                   c)));
    if (ok) return std::string("boolean");
  } else if (declared.find("DATETIME") != std::string::npos ||
             declared.find("TIMESTAMP") != std::string::npos) {
    // Text of the form 'YYYY-MM-DD HH:MM:SS' (SQLite's datetime() gives it back unchanged).
    DQA_ASSIGN_OR_RETURN(bool ok, all_text_matching("datetime({})"));
    if (ok) return std::string("timestamp");
  } else if (declared.find("DATE") != std::string::npos) {
    DQA_ASSIGN_OR_RETURN(bool ok, all_text_matching("date({})"));
    if (ok) return std::string("date");
  } else if (typed_times) {
    // --typed-times: text columns that only hold valid dates or times become date, timestamp or
    // timestamptz ('YYYY-MM-DD HH:MM:SS+HH:MM'), as a department's PostgreSQL schema would type
    // them.
    DQA_ASSIGN_OR_RETURN(bool any, none(fmt::format("{} IS NOT NULL", c)));
    if (!any) {
      DQA_ASSIGN_OR_RETURN(bool date, all_text_matching("date({})"));
      if (date) return std::string("date");
      DQA_ASSIGN_OR_RETURN(bool time, all_text_matching("datetime({})"));
      if (time) return std::string("timestamp");
      DQA_ASSIGN_OR_RETURN(
          bool zoned,
          none(fmt::format("{0} IS NOT NULL AND (typeof({0}) <> 'text' OR length({0}) <> 25 OR "
                           "datetime(substr({0}, 1, 19)) IS NOT substr({0}, 1, 19) OR "
                           "substr({0}, 20) NOT GLOB '[+-][0-9][0-9]:[0-9][0-9]')",
                           c)));
      if (zoned) return std::string("timestamptz");
    }
  }
  return std::string("text");
}

// True when the column holds values of more than one storage class besides NULL (an INTEGER
// column with a text date in it): PostgreSQL has no such column, so the copy is text and a check
// that reads its values by type sees them differently.
Result<bool> Mixed(SqliteDb& db, const std::string& table, const ColumnInfo& column) {
  DQA_ASSIGN_OR_RETURN(std::optional<double> kinds,
                       db.QueryNumber(fmt::format("SELECT count(DISTINCT typeof({0})) FROM main.{1} "
                                                  "WHERE {0} IS NOT NULL",
                                                  QuoteIdent(column.name), QuoteIdent(table))));
  return kinds.value_or(0) > 1;
}

// A value in COPY's text format: \N for NULL, backslash escapes for the separators.
void AppendCopyValue(const Value& v, std::string& out) {
  switch (v.type) {
    case Value::Type::kNull: out += "\\N"; return;
    case Value::Type::kInteger: out += std::to_string(v.integer); return;
    case Value::Type::kReal: out += fmt::format("{:.17g}", v.real); return;
    case Value::Type::kBlob:
      out += "\\\\x";
      for (unsigned char b : v.bytes) out += fmt::format("{:02x}", b);
      return;
    case Value::Type::kText:
      for (char ch : v.bytes) {
        switch (ch) {
          case '\\': out += "\\\\"; break;
          case '\t': out += "\\t"; break;
          case '\n': out += "\\n"; break;
          case '\r': out += "\\r"; break;
          default: out += ch;
        }
      }
      return;
  }
}

Status LoadTable(SqliteDb& db, PGconn* conn, const std::string& schema, const std::string& table,
                 bool typed_times) {
  DQA_ASSIGN_OR_RETURN(std::vector<ColumnInfo> columns, db.TableColumns("main", table));
  std::vector<std::string> defs;
  std::vector<std::string> key;
  std::vector<std::string> types;
  for (const ColumnInfo& c : columns) {
    DQA_ASSIGN_OR_RETURN(std::string type, PgType(db, table, c, typed_times));
    DQA_ASSIGN_OR_RETURN(bool mixed, Mixed(db, table, c));
    if (mixed) {
      std::printf("widened: %s.%s.%s holds values of several types: loaded as %s\n",
                  schema.c_str(), table.c_str(), c.name.c_str(), type.c_str());
    }
    types.push_back(type);
    defs.push_back(QuoteIdent(c.name) + " " + type);
    if (c.primary_key) key.push_back(QuoteIdent(c.name));
  }
  // SQLite lets a declared key hold NULLs and (without an index) duplicates: keep the key only
  // when PostgreSQL would accept it.
  if (!key.empty()) {
    const std::string keys = fmt::format("{}", fmt::join(key, ", "));
    DQA_ASSIGN_OR_RETURN(int64_t nulls,
                         CountWhere(db, table, fmt::format("({}) IS NULL", fmt::join(key, " || "))));
    DQA_ASSIGN_OR_RETURN(std::optional<double> dups,
                         db.QueryNumber(fmt::format("SELECT count(*) FROM (SELECT 1 FROM main.{} "
                                                    "GROUP BY {} HAVING count(*) > 1)",
                                                    QuoteIdent(table), keys)));
    if (nulls == 0 && dups.value_or(0) == 0) defs.push_back("PRIMARY KEY (" + keys + ")");
  }
  const std::string target = QuoteIdent(schema) + "." + QuoteIdent(table);
  DQA_RETURN_IF_ERROR(
      Run(conn, fmt::format("CREATE TABLE {} ({})", target, fmt::join(defs, ", "))));

  std::unique_ptr<PGresult, decltype(&PQclear)> copy(
      PQexec(conn, fmt::format("COPY {} FROM STDIN", target).c_str()), PQclear);
  if (PQresultStatus(copy.get()) != PGRES_COPY_IN) {
    return IoError(fmt::format("COPY into {} failed: {}", target, PQerrorMessage(conn)));
  }
  std::vector<std::string> select;
  for (const ColumnInfo& c : columns) select.push_back(QuoteIdent(c.name));
  DQA_ASSIGN_OR_RETURN(Statement stmt,
                       db.Prepare(fmt::format("SELECT {} FROM main.{} ORDER BY rowid",
                                              fmt::join(select, ", "), QuoteIdent(table))));
  std::string buffer;
  const int n = static_cast<int>(columns.size());
  const auto flush = [&]() -> Status {
    if (PQputCopyData(conn, buffer.data(), static_cast<int>(buffer.size())) != 1) {
      return IoError(fmt::format("COPY into {} failed: {}", target, PQerrorMessage(conn)));
    }
    buffer.clear();
    return Status::Ok();
  };
  while (true) {
    DQA_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    for (int i = 0; i < n; ++i) {
      if (i > 0) buffer += '\t';
      const Value v = stmt.Read(i);
      // A boolean column holds 0/1 in SQLite; COPY wants t/f.
      if (types[static_cast<size_t>(i)] == "boolean" && v.type == Value::Type::kInteger) {
        buffer += v.integer != 0 ? "t" : "f";
      } else {
        AppendCopyValue(v, buffer);
      }
    }
    buffer += '\n';
    if (buffer.size() > (1 << 20)) DQA_RETURN_IF_ERROR(flush());
  }
  if (!buffer.empty()) DQA_RETURN_IF_ERROR(flush());
  if (PQputCopyEnd(conn, nullptr) != 1) {
    return IoError(fmt::format("COPY into {} failed: {}", target, PQerrorMessage(conn)));
  }
  std::unique_ptr<PGresult, decltype(&PQclear)> done(PQgetResult(conn), PQclear);
  if (PQresultStatus(done.get()) != PGRES_COMMAND_OK) {
    return IoError(fmt::format("COPY into {} failed: {}", target, PQerrorMessage(conn)));
  }
  while (PGresult* rest = PQgetResult(conn)) PQclear(rest);
  return Status::Ok();
}

Status LoadFile(PGconn* conn, const std::string& path, const std::string& schema, bool replace,
                bool typed_times) {
  DQA_ASSIGN_OR_RETURN(std::unique_ptr<SqliteDb> db, SqliteDb::OpenReadOnly(path));
  DQA_RETURN_IF_ERROR(db->BeginSnapshot());
  std::vector<std::string> tables;
  {
    DQA_ASSIGN_OR_RETURN(Statement stmt,
                         db->Prepare("SELECT name FROM main.sqlite_master WHERE type = 'table' "
                                     "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"));
    while (true) {
      DQA_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      tables.emplace_back(stmt.ColumnText(0));
    }
  }
  DQA_RETURN_IF_ERROR(Run(conn, "BEGIN"));
  if (replace) DQA_RETURN_IF_ERROR(Run(conn, "DROP SCHEMA IF EXISTS " + QuoteIdent(schema) + " CASCADE"));
  DQA_RETURN_IF_ERROR(Run(conn, "CREATE SCHEMA " + QuoteIdent(schema)));
  for (const std::string& t : tables) DQA_RETURN_IF_ERROR(LoadTable(*db, conn, schema, t, typed_times));
  DQA_RETURN_IF_ERROR(Run(conn, "COMMIT"));
  for (const std::string& t : tables) {
    DQA_RETURN_IF_ERROR(Run(conn, "ANALYZE " + QuoteIdent(schema) + "." + QuoteIdent(t)));
  }
  std::printf("%s -> schema %s (%zu tables)\n", path.c_str(), schema.c_str(), tables.size());
  return db->EndSnapshot();
}

}  // namespace
}  // namespace dqa::pgload

int main(int argc, char** argv) {
  CLI::App app{"Copies SQLite databases into PostgreSQL, one schema per file"};
  std::string dsn;
  std::string schema;
  bool replace = false;
  std::vector<std::string> files;
  app.add_option("--dsn", dsn, "libpq connection string or URI of the target database")
      ->required();
  app.add_option("--schema", schema, "the schema to create (one file only; default: its stem)");
  app.add_flag("--replace", replace, "drop the schema first when it exists");
  bool typed_times = false;
  app.add_flag("--typed-times", typed_times,
               "text columns holding only valid dates or times become date, timestamp or "
               "timestamptz");
  app.add_option("files", files, "SQLite database files")->required();
  CLI11_PARSE(app, argc, argv);
  if (!schema.empty() && files.size() != 1) {
    std::fprintf(stderr, "dqa_pgload: --schema needs exactly one file\n");
    return 2;
  }
  dqa::pgload::Conn conn(PQconnectdb(dsn.c_str()), PQfinish);
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    std::fprintf(stderr, "dqa_pgload: cannot connect: %s", PQerrorMessage(conn.get()));
    return 1;
  }
  if (dqa::Status st = dqa::pgload::Run(conn.get(), "SET client_min_messages = warning"); !st.ok()) {
    std::fprintf(stderr, "dqa_pgload: %s\n", st.message().c_str());
    return 1;
  }
  for (const std::string& f : files) {
    const std::string s =
        schema.empty() ? std::filesystem::path(f).stem().string() : schema;
    if (dqa::Status st = dqa::pgload::LoadFile(conn.get(), f, s, replace, typed_times); !st.ok()) {
      std::fprintf(stderr, "dqa_pgload: %s: %s\n", f.c_str(), st.message().c_str());
      return 1;
    }
  }
  return 0;
}
