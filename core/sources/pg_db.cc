#include "core/sources/pg_db.h"

#include <cctype>

#include "dqaudit/sql.h"
#include "dqaudit/text.h"

#include <libpq-fe.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <utility>

#include <fmt/format.h>

#include "core/sources/sql_guard.h"
#include "core/util/lazy_library.h"

namespace dqa {
namespace {

// libpq is loaded when the first PostgreSQL source is opened, not when dqaudit starts
// (core/util/lazy_library.h): every libpq function this file calls is listed here and called
// through Pq().
#define DQA_LIBPQ_FUNCTIONS(X) \
  X(PQcancel) \
  X(PQclear) \
  X(PQconnectdbParams) \
  X(PQdescribePrepared) \
  X(PQerrorMessage) \
  X(PQexec) \
  X(PQexecParams) \
  X(PQexecPrepared) \
  X(PQfinish) \
  X(PQfname) \
  X(PQfreeCancel) \
  X(PQftype) \
  X(PQgetCancel) \
  X(PQgetResult) \
  X(PQgetisnull) \
  X(PQgetlength) \
  X(PQgetvalue) \
  X(PQnfields) \
  X(PQnparams) \
  X(PQntuples) \
  X(PQparameterStatus) \
  X(PQprepare) \
  X(PQresultErrorField) \
  X(PQresultStatus) \
  X(PQsendQueryPrepared) \
  X(PQsetSingleRowMode) \
  X(PQstatus)

struct LibPqFunctions {
  DQA_LIBPQ_FUNCTIONS(DQA_LAZY_POINTER)
};

// libpq has kept its major version 5 (the SONAME) since PostgreSQL 8.0.
const LazyLibrary<LibPqFunctions>& LibPq() {
  static const LazyLibrary<LibPqFunctions> library(
      "libpq.so.5", "libpq5",
      [](LibPqFunctions& f, auto resolve) { DQA_LIBPQ_FUNCTIONS(DQA_LAZY_RESOLVE) });
  return library;
}

// libpq's functions; only where a connection exists, which PgDb::Open made after LibPq() loaded.
const LibPqFunctions& Pq() { return LibPq().functions(); }

// PostgreSQL type OIDs (pg_type.dat): fixed since PostgreSQL 7.
constexpr unsigned kBoolOid = 16;
constexpr unsigned kByteaOid = 17;
constexpr unsigned kInt8Oid = 20;
constexpr unsigned kInt2Oid = 21;
constexpr unsigned kInt4Oid = 23;
constexpr unsigned kOidOid = 26;
constexpr unsigned kFloat4Oid = 700;
constexpr unsigned kFloat8Oid = 701;
constexpr unsigned kTimestampTzOid = 1184;
constexpr unsigned kNumericOid = 1700;

constexpr std::string_view kRedacted = "***";

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// %HH decoded (a malformed escape is kept as written).
std::string PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && HexDigit(text[i + 1]) >= 0 &&
        HexDigit(text[i + 2]) >= 0) {
      out += static_cast<char>(HexDigit(text[i + 1]) * 16 + HexDigit(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

bool IsUri(std::string_view dsn) {
  return dsn.starts_with("postgresql://") || dsn.starts_with("postgres://");
}

// One parameter of a DSN: a URI query parameter or a keyword of a keyword string.
struct DsnParam {
  std::string key;    // decoded
  std::string value;  // decoded (percent escapes, or quotes and backslashes)
  size_t begin = 0;   // the whole "key=value" in the DSN: [begin, end)
  size_t value_begin = 0;
  size_t end = 0;
};

// A DSN cut into the pieces that redaction and the `schema=` parameter need. Parses as libpq
// does, except that the user-info of a URI ends at the LAST '@' before the query: a password with
// an unencoded '@' or '/' is then still hidden whole (libpq would misread such a URI anyway).
struct ParsedDsn {
  bool uri = false;
  size_t password_begin = std::string_view::npos;  // user-info password: [begin, end)
  size_t password_end = 0;
  size_t query_begin = std::string_view::npos;  // the '?' of a URI
  std::vector<DsnParam> params;
};

ParsedDsn ParseDsn(std::string_view dsn) {
  ParsedDsn out;
  out.uri = IsUri(dsn);
  if (out.uri) {
    const size_t authority = dsn.find("://") + 3;
    out.query_begin = dsn.find('?', authority);
    const size_t before_query = out.query_begin == std::string_view::npos ? dsn.size()
                                                                          : out.query_begin;
    const size_t at = dsn.substr(0, before_query).rfind('@');
    if (at != std::string_view::npos && at >= authority) {
      const size_t colon = dsn.substr(0, at).find(':', authority);
      if (colon != std::string_view::npos) {
        out.password_begin = colon + 1;
        out.password_end = at;
      }
    }
    if (out.query_begin == std::string_view::npos) return out;
    size_t pos = out.query_begin + 1;
    while (pos <= dsn.size()) {
      size_t amp = dsn.find('&', pos);
      if (amp == std::string_view::npos) amp = dsn.size();
      const std::string_view item = dsn.substr(pos, amp - pos);
      if (!item.empty()) {
        const size_t eq = item.find('=');
        DsnParam p;
        p.begin = pos;
        p.end = amp;
        p.key = PercentDecode(item.substr(0, eq));
        p.value_begin = eq == std::string_view::npos ? amp : pos + eq + 1;
        p.value = PercentDecode(dsn.substr(p.value_begin, amp - p.value_begin));
        out.params.push_back(std::move(p));
      }
      pos = amp + 1;
    }
    return out;
  }
  // Keyword string: key = value, the value single-quoted or up to white space; backslash escapes
  // a quote or a backslash in both forms (libpq's conninfo_parse).
  size_t pos = 0;
  const auto space = [&](size_t i) { return i < dsn.size() && std::isspace(static_cast<unsigned char>(dsn[i])); };
  while (pos < dsn.size()) {
    while (space(pos)) ++pos;
    if (pos >= dsn.size()) break;
    DsnParam p;
    p.begin = pos;
    while (pos < dsn.size() && dsn[pos] != '=' && !space(pos)) p.key += dsn[pos++];
    while (space(pos)) ++pos;
    if (pos < dsn.size() && dsn[pos] == '=') ++pos;
    while (space(pos)) ++pos;
    p.value_begin = pos;
    if (pos < dsn.size() && dsn[pos] == '\'') {
      ++pos;
      while (pos < dsn.size() && dsn[pos] != '\'') {
        if (dsn[pos] == '\\' && pos + 1 < dsn.size()) ++pos;
        p.value += dsn[pos++];
      }
      if (pos < dsn.size()) ++pos;  // the closing quote
    } else {
      while (pos < dsn.size() && !space(pos)) {
        if (dsn[pos] == '\\' && pos + 1 < dsn.size()) ++pos;
        p.value += dsn[pos++];
      }
    }
    p.end = pos;
    out.params.push_back(std::move(p));
  }
  return out;
}

// The passwords written in `dsn`, as written and decoded, for scrubbing messages.
std::vector<std::string> Secrets(std::string_view dsn) {
  const ParsedDsn parsed = ParseDsn(dsn);
  std::vector<std::string> secrets;
  const auto add = [&](std::string s) {
    if (!s.empty()) secrets.push_back(std::move(s));
  };
  if (parsed.password_begin != std::string_view::npos) {
    const std::string_view raw =
        dsn.substr(parsed.password_begin, parsed.password_end - parsed.password_begin);
    add(std::string(raw));
    add(PercentDecode(raw));
  }
  for (const DsnParam& p : parsed.params) {
    if (p.key != "password") continue;
    add(std::string(dsn.substr(p.value_begin, p.end - p.value_begin)));
    add(p.value);
  }
  return secrets;
}

// The DSN that libpq sees: `dsn` without dqaudit's own `schema=` parameter; its value (decoded)
// goes to `schema`.
std::string StripSchema(std::string_view dsn, std::string* schema) {
  const ParsedDsn parsed = ParseDsn(dsn);
  std::vector<std::string_view> kept;
  for (const DsnParam& p : parsed.params) {
    if (p.key == "schema") {
      *schema = p.value;
    } else {
      kept.push_back(dsn.substr(p.begin, p.end - p.begin));
    }
  }
  if (parsed.uri) {
    if (parsed.query_begin == std::string_view::npos) return std::string(dsn);
    std::string out(dsn.substr(0, parsed.query_begin));
    if (!kept.empty()) out += "?" + fmt::format("{}", fmt::join(kept, "&"));
    return out;
  }
  return fmt::format("{}", fmt::join(kept, " "));
}

// libpq's multi-line messages on one line ("FATAL:  x\n\tHINT" -> "FATAL: x HINT").
std::string OneLine(std::string_view text) {
  std::string out;
  bool space = false;
  for (const char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// The text between the first pair of double quotes of `message` ("relation \"x\" does not
// exist" -> x), else the word after `after` ("column t.x does not exist" -> t.x).
std::string QuotedName(std::string_view message, std::string_view after) {
  const size_t open = message.find('"');
  if (open != std::string_view::npos) {
    const size_t close = message.find('"', open + 1);
    if (close != std::string_view::npos) return std::string(message.substr(open + 1, close - open - 1));
  }
  const size_t start = message.find(after);
  if (start == std::string_view::npos) return std::string(message);
  std::string_view rest = message.substr(start + after.size());
  return std::string(rest.substr(0, rest.find(' ')));
}

// Why a connection attempt failed, from libpq's message (connection failures carry no SQLSTATE).
Status ConnectFailure(std::string_view message, const PgConnectOptions& options) {
  const std::string line = OneLine(message);
  const auto contains = [&](std::string_view part) { return line.find(part) != std::string::npos; };
  if (contains("Connection refused") || contains("No such file or directory")) {
    return IoError(fmt::format("connection refused (no server listens there: is it running, are "
                               "host, port and socket folder right?) [{}]",
                               line));
  }
  if (const size_t at = line.find("password authentication failed for user");
      at != std::string::npos) {
    return IoError(line.substr(at));
  }
  if (contains("no password supplied")) {
    return IoError("no password supplied: the server asks for one (set PGPASSWORD, ~/.pgpass or a "
                   "service file)");
  }
  if (const size_t at = line.find("database \""); at != std::string::npos && contains("does not exist")) {
    return NotFound(line.substr(at));
  }
  if (contains("timeout expired")) {
    return IoError(fmt::format("connect timeout: no answer within {} s", std::max(options.connect_timeout_s, 2)));
  }
  return IoError(line);
}

std::string FormatDouble(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  return fmt::format("{}", value);
}

// "\x0a1b" (bytea's hex output) -> the bytes.
std::string DecodeBytea(std::string_view text) {
  std::string out;
  if (!text.starts_with("\\x")) return std::string(text);
  out.reserve((text.size() - 2) / 2);
  for (size_t i = 2; i + 1 < text.size(); i += 2) {
    out += static_cast<char>(HexDigit(text[i]) * 16 + HexDigit(text[i + 1]));
  }
  return out;
}

// numeric's text form as an int64 when it is integral ("12", "-3.000") and fits.
std::optional<int64_t> IntegralNumeric(std::string_view text) {
  const size_t dot = text.find('.');
  if (dot != std::string_view::npos &&
      text.substr(dot + 1).find_first_not_of('0') != std::string_view::npos) {
    return std::nullopt;
  }
  const std::string_view whole = text.substr(0, dot);
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(whole.data(), whole.data() + whole.size(), value);
  if (ec != std::errc() || end != whole.data() + whole.size() || whole.empty()) return std::nullopt;
  return value;
}

double ParseDouble(std::string_view text) {
  const std::string copy(text);  // NaN, Infinity: strtod reads PostgreSQL's spellings
  return std::strtod(copy.c_str(), nullptr);
}

}  // namespace

std::string PortableToPostgres(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 8);
  int next_param = 1;
  const auto is_word = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' ||
           static_cast<unsigned char>(c) >= 0x80;
  };
  size_t i = 0;
  while (i < sql.size()) {
    const char c = sql[i];
    if (c == '\'' || c == '"') {  // a literal or quoted identifier, doubled quotes inside
      size_t j = i + 1;
      while (j < sql.size()) {
        if (sql[j] == c) {
          if (j + 1 < sql.size() && sql[j + 1] == c) {
            j += 2;
            continue;
          }
          break;
        }
        ++j;
      }
      j = std::min(j + 1, sql.size());
      out.append(sql.substr(i, j - i));
      i = j;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      const size_t end = sql.find('\n', i);
      const size_t j = end == std::string_view::npos ? sql.size() : end;
      out.append(sql.substr(i, j - i));
      i = j;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      const size_t end = sql.find("*/", i + 2);
      const size_t j = end == std::string_view::npos ? sql.size() : end + 2;
      out.append(sql.substr(i, j - i));
      i = j;
    } else if (c == '?') {
      size_t j = i + 1;
      while (j < sql.size() && std::isdigit(static_cast<unsigned char>(sql[j])) != 0) ++j;
      if (j > i + 1) {
        out += '$';
        out.append(sql.substr(i + 1, j - i - 1));
      } else {
        out += fmt::format("${}", next_param++);
      }
      i = j;
    } else if (is_word(c)) {
      size_t j = i;
      while (j < sql.size() && is_word(sql[j])) ++j;
      const std::string_view word = sql.substr(i, j - i);
      out.append(sdk::ToLowerAscii(word) == "rowid" ? std::string_view("ctid") : word);
      i = j;
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

PgLocation SplitSchema(std::string_view dsn) {
  PgLocation out;
  out.server = StripSchema(dsn, &out.schema);
  if (out.schema.empty()) out.schema = "public";
  return out;
}

std::string RedactDsn(std::string_view dsn) {
  const ParsedDsn parsed = ParseDsn(dsn);
  std::vector<std::pair<size_t, size_t>> spans;  // value spans to hide, in order
  if (parsed.password_begin != std::string_view::npos) {
    spans.emplace_back(parsed.password_begin, parsed.password_end);
  }
  for (const DsnParam& p : parsed.params) {
    if (p.key == "password") spans.emplace_back(p.value_begin, p.end);
  }
  std::string out;
  size_t pos = 0;
  for (const auto& [begin, end] : spans) {
    out += dsn.substr(pos, begin - pos);
    out += kRedacted;
    pos = end;
  }
  out += dsn.substr(pos);
  return out;
}

std::string DsnWithoutPassword(std::string_view dsn) {
  const ParsedDsn parsed = ParseDsn(dsn);
  std::vector<std::pair<size_t, size_t>> cuts;  // spans to leave out, in order
  if (parsed.password_begin != std::string_view::npos) {
    cuts.emplace_back(parsed.password_begin - 1, parsed.password_end);  // ":secret"
  }
  for (const DsnParam& p : parsed.params) {
    if (p.key != "password") continue;
    size_t begin = p.begin;
    size_t end = p.end;
    if (parsed.uri) {
      // The parameter and one '&' beside it (or the '?' when it is the only one).
      if (end < dsn.size() && dsn[end] == '&') {
        ++end;
      } else if (begin > 0 && (dsn[begin - 1] == '&' || dsn[begin - 1] == '?')) {
        --begin;
      }
    } else {
      while (end < dsn.size() && std::isspace(static_cast<unsigned char>(dsn[end]))) ++end;
    }
    cuts.emplace_back(begin, end);
  }
  std::string out;
  size_t pos = 0;
  for (const auto& [begin, end] : cuts) {
    out += dsn.substr(pos, begin - pos);
    pos = end;
  }
  out += dsn.substr(pos);
  return out;
}

// ---------------------------------------------------------------------------------------------
// PgDb

PgDb::~PgDb() {
  if (in_snapshot_) (void)Exec("ROLLBACK");
  Pq().PQfinish(conn_);
}

Result<std::unique_ptr<PgDb>> PgDb::Open(const std::string& uri, const PgConnectOptions& options) {
  std::string schema = "public";
  const std::string libpq_dsn = StripSchema(uri, &schema);
  const std::string redacted = RedactDsn(uri);
  if (const std::string& error = LibPq().error(); !error.empty()) {
    return IoError(fmt::format("cannot connect to {}: {}", redacted, error));
  }
  const std::string timeout = std::to_string(options.connect_timeout_s);
  // Processed in order, later values winning: what the DSN (expanded from dbname) sets overrides
  // the defaults before it.
  const char* const keywords[] = {"fallback_application_name", "connect_timeout",
                                  "client_encoding", "dbname", nullptr};
  const char* const values[] = {"dqaudit", timeout.c_str(), "UTF8", libpq_dsn.c_str(), nullptr};
  PGconn* conn = Pq().PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (conn == nullptr) return Internal("libpq could not allocate a connection");
  std::unique_ptr<PgDb> db(new PgDb(conn, redacted, schema, Secrets(uri)));
  if (Pq().PQstatus(conn) != CONNECTION_OK) {
    const Status cause = ConnectFailure(Pq().PQerrorMessage(conn), options);
    return Status(cause.code(), db->Scrub(fmt::format("cannot connect to {}: {}", redacted,
                                                      cause.message())));
  }
  // Nothing this connection runs may write; text forms of times are stable whatever the server's
  // configuration.
  DQA_RETURN_IF_ERROR(db->Exec(
      "SET default_transaction_read_only = on; SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; "
      "SET IntervalStyle = 'iso_8601'"));
  // Rule and plugin SQL names the source's tables without a schema, as in SQLite.
  DQA_RETURN_IF_ERROR(
      db->Exec(fmt::format("SET search_path = {}", sdk::QuoteIdentifier(db->schema_))));
  DQA_RETURN_IF_ERROR(db->SetStatementTimeout(options.statement_timeout_ms));
  return db;
}

std::string PgDb::Scrub(std::string text) const {
  for (const std::string& secret : secrets_) {
    for (size_t at = text.find(secret); at != std::string::npos;
         at = text.find(secret, at + kRedacted.size())) {
      text.replace(at, secret.size(), kRedacted);
    }
  }
  return text;
}

Status PgDb::ResultError(const PGresult* result, const std::string& sql) const {
  const char* state_field = result == nullptr ? nullptr : Pq().PQresultErrorField(result, PG_DIAG_SQLSTATE);
  const std::string state = state_field == nullptr ? "" : state_field;
  const char* primary_field =
      result == nullptr ? nullptr : Pq().PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
  const std::string primary =
      OneLine(primary_field != nullptr ? primary_field : Pq().PQerrorMessage(conn_));
  const std::string where = fmt::format("(in: {}; source {})", sql, redacted_);
  Status status;
  if (Pq().PQstatus(conn_) == CONNECTION_BAD || state.starts_with("57P") || state.starts_with("08")) {
    status = IoError(fmt::format(
        "connection to the server lost ({}): the server closed it or restarted; not retried {}",
        primary, where));
  } else if (state == "57014" && primary.find("statement timeout") != std::string::npos) {
    status = IoError(fmt::format("statement exceeded its time budget of {} s {}",
                                 static_cast<double>(statement_timeout_ms_) / 1000.0, where));
  } else if (state == "42P01") {
    status = NotFound(fmt::format("no such table: {} {}", QuotedName(primary, "relation "), where));
  } else if (state == "42703") {
    status = NotFound(fmt::format("no such column: {} {}", QuotedName(primary, "column "), where));
  } else if (state == "3F000") {
    status = NotFound(fmt::format("no such schema: {} {}", QuotedName(primary, "schema "), where));
  } else if (state == "25006") {
    status = IoError(fmt::format("{}writing to the database ({}): it is read-only {}",
                                 kRefusedInRuleSql, primary, where));
  } else if (state.starts_with("42")) {
    status = InvalidArgument(fmt::format("{} {}", primary, where));
  } else {
    status = IoError(fmt::format("{} {}", primary, where));
  }
  return Status(status.code(), Scrub(status.message()));
}

Status PgDb::CheckIdle() const {
  if (streaming_.empty()) return Status::Ok();
  return Internal(fmt::format("a statement is still streaming its result on {}: finish or Reset "
                              "it before running another",
                              redacted_));
}

Status PgDb::Exec(const std::string& sql) {
  DQA_RETURN_IF_ERROR(CheckIdle());
  PGresult* result = Pq().PQexec(conn_, sql.c_str());
  const ExecStatusType rc = Pq().PQresultStatus(result);
  Status status;
  if (rc != PGRES_COMMAND_OK && rc != PGRES_TUPLES_OK && rc != PGRES_EMPTY_QUERY) {
    status = ResultError(result, sql);
  }
  Pq().PQclear(result);
  return status;
}

Status PgDb::BeginStatement() {
  if (!in_snapshot_) return Status::Ok();
  return Exec("SAVEPOINT dqa_statement");
}

Status PgDb::EndStatement(bool failed) {
  if (!in_snapshot_) return Status::Ok();
  if (failed && Pq().PQstatus(conn_) == CONNECTION_OK) {
    DQA_RETURN_IF_ERROR(Exec("ROLLBACK TO SAVEPOINT dqa_statement"));
  }
  if (Pq().PQstatus(conn_) != CONNECTION_OK) return Status::Ok();
  return Exec("RELEASE SAVEPOINT dqa_statement");
}

Status PgDb::BeginSnapshot() {
  DQA_RETURN_IF_ERROR(Exec("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"));
  in_snapshot_ = true;
  return Status::Ok();
}

Status PgDb::EndSnapshot() {
  if (!in_snapshot_) return Status::Ok();
  in_snapshot_ = false;
  return Exec("COMMIT");
}

Status PgDb::SetStatementTimeout(int64_t ms) {
  DQA_RETURN_IF_ERROR(Exec(fmt::format("SET statement_timeout = {}", std::max<int64_t>(ms, 0))));
  statement_timeout_ms_ = std::max<int64_t>(ms, 0);
  return Status::Ok();
}

Result<PgStatement> PgDb::PrepareNative(const std::string& sql) {
  DQA_RETURN_IF_ERROR(CheckIdle());
  DQA_RETURN_IF_ERROR(BeginStatement());
  const std::string name = fmt::format("dqa_{}", next_statement_++);
  PGresult* prepared = Pq().PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr);
  if (Pq().PQresultStatus(prepared) != PGRES_COMMAND_OK) {
    Status status = ResultError(prepared, sql);
    Pq().PQclear(prepared);
    DQA_RETURN_IF_ERROR(EndStatement(/*failed=*/true));
    return status;
  }
  Pq().PQclear(prepared);
  PGresult* described = Pq().PQdescribePrepared(conn_, name.c_str());
  if (Pq().PQresultStatus(described) != PGRES_COMMAND_OK) {
    Status status = ResultError(described, sql);
    Pq().PQclear(described);
    DQA_RETURN_IF_ERROR(EndStatement(/*failed=*/true));
    return status;
  }
  std::vector<std::string> names;
  std::vector<unsigned> types;
  for (int i = 0; i < Pq().PQnfields(described); ++i) {
    names.emplace_back(Pq().PQfname(described, i));
    types.push_back(Pq().PQftype(described, i));
  }
  const int params = Pq().PQnparams(described);
  Pq().PQclear(described);
  DQA_RETURN_IF_ERROR(EndStatement(/*failed=*/false));
  return PgStatement(this, name, sql, params, std::move(names), std::move(types));
}

Result<std::optional<double>> PgDb::QueryNumber(const std::string& sql) {
  DQA_ASSIGN_OR_RETURN(PgStatement statement, PrepareNative(sql));
  DQA_ASSIGN_OR_RETURN(const bool row, statement.Step());
  if (!row || statement.ColumnCount() == 0 || statement.IsNull(0)) return std::optional<double>();
  const Value value = statement.ReadValue(0);
  if (value.type == Value::Type::kInteger) return std::optional<double>(static_cast<double>(value.integer));
  if (value.type == Value::Type::kReal) return std::optional<double>(value.real);
  const std::string text(value.bytes);
  char* end = nullptr;
  const double number = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size()) {
    return InvalidArgument(fmt::format("expected a number, got '{}' (in: {}; source {})", text, sql,
                                       redacted_));
  }
  return std::optional<double>(number);
}

bool PgDb::NormalizesUnicode() const {
  const char* encoding = Pq().PQparameterStatus(conn_, "server_encoding");
  return encoding != nullptr && std::string_view(encoding) == "UTF8";
}

Result<std::vector<ColumnInfo>> PgDb::TableColumns(const std::string& schema,
                                                   const std::string& table) {
  DQA_ASSIGN_OR_RETURN(
      PgStatement columns,
      PrepareNative("SELECT a.attname, format_type(a.atttypid, a.atttypmod), "
              "EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary "
              "AND a.attnum = ANY (i.indkey)) "
              "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
              "JOIN pg_attribute a ON a.attrelid = c.oid "
              "WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r','v','m','p','f') "
              "AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum"));
  DQA_RETURN_IF_ERROR(columns.Bind(1, std::string_view(schema)));
  DQA_RETURN_IF_ERROR(columns.Bind(2, std::string_view(table)));
  std::vector<ColumnInfo> out;
  while (true) {
    DQA_ASSIGN_OR_RETURN(const bool row, columns.Step());
    if (!row) break;
    out.push_back({std::string(columns.ColumnText(0)), std::string(columns.ColumnText(1)),
                   columns.ColumnInt(2) != 0});
  }
  if (out.empty()) {
    return NotFound(fmt::format("no such table: {}.{} (source {})", schema, table, redacted_));
  }
  return out;
}

Result<std::vector<std::string>> PgDb::RelationsOf(const std::string& schema,
                                                  std::string_view kinds) {
  DQA_ASSIGN_OR_RETURN(
      PgStatement tables,
      PrepareNative(fmt::format("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = "
                                "c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ({}) "
                                "ORDER BY c.relname",
                                kinds)));
  DQA_RETURN_IF_ERROR(tables.Bind(1, std::string_view(schema)));
  std::vector<std::string> out;
  while (true) {
    DQA_ASSIGN_OR_RETURN(const bool row, tables.Step());
    if (!row) break;
    out.emplace_back(tables.ColumnText(0));
  }
  return out;
}

Result<std::vector<std::string>> PgDb::Tables() {
  return RelationsOf(schema_, "'r','v','m','p','f'");
}

// ---------------------------------------------------------------------------------------------
// PgStatement

PgStatement::PgStatement(PgDb* db, std::string name, std::string sql, int param_count,
                         std::vector<std::string> names, std::vector<unsigned> types)
    : db_(db), name_(std::move(name)), sql_(std::move(sql)),
      params_(static_cast<size_t>(param_count)), names_(std::move(names)),
      types_(std::move(types)), scratch_(names_.size()) {}

PgStatement::PgStatement(PgStatement&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), name_(std::move(other.name_)),
      sql_(std::move(other.sql_)), params_(std::move(other.params_)),
      names_(std::move(other.names_)), types_(std::move(other.types_)),
      batch_(std::exchange(other.batch_, nullptr)), row_(other.row_),
      cursor_(std::move(other.cursor_)), exhausted_(other.exhausted_), sent_(other.sent_),
      done_(other.done_), whole_(other.whole_),
      scratch_(std::move(other.scratch_)) {}

PgStatement& PgStatement::operator=(PgStatement&& other) noexcept {
  if (this != &other) {
    this->~PgStatement();
    new (this) PgStatement(std::move(other));
  }
  return *this;
}

PgStatement::~PgStatement() {
  if (db_ == nullptr) return;
  Release();
  if (Pq().PQstatus(db_->conn_) == CONNECTION_OK && db_->streaming_.empty()) {
    // Outside a failed transaction this frees the server's plan; inside one it fails harmlessly
    // and the plan lives until the session ends.
    Pq().PQclear(Pq().PQexec(db_->conn_, fmt::format("DEALLOCATE {}", name_).c_str()));
  }
}

void PgStatement::Release() {
  Pq().PQclear(batch_);
  batch_ = nullptr;
  row_ = 0;
  if (sent_ && !done_ && whole_) {
    (void)db_->EndStatement(false);
  } else if (sent_ && !done_ && !cursor_.empty()) {
    // A cursor left open would hold its portal until the transaction ends.
    const bool closed = db_->Exec(fmt::format("CLOSE {}", cursor_)).ok();
    (void)db_->EndStatement(!closed);
  } else if (sent_ && !done_) {
    // Fetching the rest of a big result would read it all: ask the server to stop instead.
    if (PGcancel* cancel = Pq().PQgetCancel(db_->conn_)) {
      char error[256];
      Pq().PQcancel(cancel, error, sizeof error);
      Pq().PQfreeCancel(cancel);
    }
    bool failed = false;
    while (PGresult* rest = Pq().PQgetResult(db_->conn_)) {
      failed = failed || Pq().PQresultStatus(rest) == PGRES_FATAL_ERROR;
      Pq().PQclear(rest);
    }
    db_->streaming_.clear();
    (void)db_->EndStatement(failed);
  }
  cursor_.clear();
  exhausted_ = false;
  sent_ = false;
  done_ = false;
}

Status PgStatement::Reset() {
  Release();
  return Status::Ok();
}

bool PgStatement::NextInBatch() {
  if (batch_ != nullptr && row_ + 1 < Pq().PQntuples(batch_)) {
    ++row_;
    return true;
  }
  Pq().PQclear(batch_);
  batch_ = nullptr;
  row_ = 0;
  return false;
}

Result<bool> PgStatement::Step() {
  PGconn* conn = db_->conn_;
  if (!sent_) {
    DQA_RETURN_IF_ERROR(db_->CheckIdle());
    DQA_RETURN_IF_ERROR(db_->BeginStatement());
    std::vector<const char*> values;
    values.reserve(params_.size());
    for (const auto& p : params_) values.push_back(p ? p->c_str() : nullptr);
    if (whole_) {
      // The whole result at once (a few rows): no cursor, so the server may plan it parallel.
      batch_ = Pq().PQexecPrepared(conn, name_.c_str(), static_cast<int>(values.size()), values.data(),
                              nullptr, nullptr, 0);
      if (Pq().PQresultStatus(batch_) != PGRES_TUPLES_OK) {
        Status status = db_->ResultError(batch_, sql_);
        Pq().PQclear(batch_);
        batch_ = nullptr;
        done_ = true;
        (void)db_->EndStatement(/*failed=*/true);
        return status;
      }
      row_ = -1;
    } else if (db_->in_snapshot_) {
      // Inside the snapshot a result streams through a cursor, FETCHed in batches: memory stays
      // bounded, and other statements (a plugin's query during the table scan) can run between
      // two batches on the same connection and snapshot.
      const std::string cursor = name_ + "_c";
      PGresult* declared = Pq().PQexecParams(
          conn, fmt::format("DECLARE {} NO SCROLL CURSOR FOR {}", cursor, sql_).c_str(),
          static_cast<int>(values.size()), nullptr, values.data(), nullptr, nullptr, 0);
      if (Pq().PQresultStatus(declared) != PGRES_COMMAND_OK) {
        Status status = db_->ResultError(declared, sql_);
        Pq().PQclear(declared);
        (void)db_->EndStatement(/*failed=*/true);
        return status;
      }
      Pq().PQclear(declared);
      cursor_ = cursor;
    } else {
      if (Pq().PQsendQueryPrepared(conn, name_.c_str(), static_cast<int>(values.size()),
                              values.data(), nullptr, nullptr, 0) == 0) {
        Status status = db_->ResultError(nullptr, sql_);
        (void)db_->EndStatement(/*failed=*/true);
        return status;
      }
      Pq().PQsetSingleRowMode(conn);
      db_->streaming_ = name_;
    }
    sent_ = true;
  }
  if (done_) return false;
  if (whole_) {
    if (NextInBatch()) return true;
    done_ = true;
    DQA_RETURN_IF_ERROR(db_->EndStatement(false));
    return false;
  }
  if (!cursor_.empty()) return StepCursor();
  Pq().PQclear(batch_);
  batch_ = nullptr;
  row_ = 0;
  PGresult* result = Pq().PQgetResult(conn);
  const ExecStatusType rc = result == nullptr ? PGRES_COMMAND_OK : Pq().PQresultStatus(result);
  if (rc == PGRES_SINGLE_TUPLE) {
    batch_ = result;
    return true;
  }
  Status status;
  if (rc != PGRES_TUPLES_OK && rc != PGRES_COMMAND_OK) status = db_->ResultError(result, sql_);
  Pq().PQclear(result);
  while (PGresult* rest = Pq().PQgetResult(conn)) Pq().PQclear(rest);
  done_ = true;
  db_->streaming_.clear();
  const Status ended = db_->EndStatement(!status.ok());
  if (!status.ok()) return status;
  DQA_RETURN_IF_ERROR(ended);
  return false;
}

Result<bool> PgStatement::StepCursor() {
  constexpr int kBatchRows = 4096;
  if (NextInBatch()) return true;
  if (!exhausted_) {
    batch_ = Pq().PQexec(db_->conn_, fmt::format("FETCH FORWARD {} FROM {}", kBatchRows, cursor_).c_str());
    if (Pq().PQresultStatus(batch_) != PGRES_TUPLES_OK) {
      Status status = db_->ResultError(batch_, sql_);
      Pq().PQclear(batch_);
      batch_ = nullptr;
      done_ = true;
      (void)db_->EndStatement(/*failed=*/true);  // the rollback closes the cursor
      return status;
    }
    exhausted_ = Pq().PQntuples(batch_) < kBatchRows;
    if (Pq().PQntuples(batch_) > 0) return true;
    Pq().PQclear(batch_);
    batch_ = nullptr;
  }
  done_ = true;
  const Status closed = db_->Exec(fmt::format("CLOSE {}", cursor_));
  const Status ended = db_->EndStatement(!closed.ok());
  DQA_RETURN_IF_ERROR(closed);
  DQA_RETURN_IF_ERROR(ended);
  return false;
}

Status PgStatement::Bind(int index, int64_t value) {
  return Bind(index, std::string_view(std::to_string(value)));
}

Status PgStatement::Bind(int index, double value) {
  return Bind(index, std::string_view(FormatDouble(value)));
}

Status PgStatement::Bind(int index, std::string_view value) {
  if (index < 1 || static_cast<size_t>(index) > params_.size()) {
    return InvalidArgument(fmt::format("bind index {} out of range: the statement has {} "
                                       "parameters (in: {})",
                                       index, params_.size(), sql_));
  }
  params_[static_cast<size_t>(index - 1)] = std::string(value);
  return Status::Ok();
}

Status PgStatement::BindNull(int index) {
  DQA_RETURN_IF_ERROR(Bind(index, std::string_view()));
  params_[static_cast<size_t>(index - 1)].reset();
  return Status::Ok();
}

bool PgStatement::IsNull(int i) const {
  return batch_ == nullptr || Pq().PQgetisnull(batch_, row_, i) != 0;
}

std::string_view PgStatement::ColumnText(int i) const {
  if (IsNull(i)) return {};
  return {Pq().PQgetvalue(batch_, row_, i), static_cast<size_t>(Pq().PQgetlength(batch_, row_, i))};
}

int64_t PgStatement::ColumnInt(int i) const {
  const Value value = ReadValue(i);
  switch (value.type) {
    case Value::Type::kInteger: return value.integer;
    case Value::Type::kReal:
      return std::isfinite(value.real) ? static_cast<int64_t>(value.real) : 0;
    case Value::Type::kText: return std::strtoll(std::string(value.bytes).c_str(), nullptr, 10);
    default: return 0;
  }
}

double PgStatement::ColumnDouble(int i) const {
  const Value value = ReadValue(i);
  switch (value.type) {
    case Value::Type::kInteger: return static_cast<double>(value.integer);
    case Value::Type::kReal: return value.real;
    case Value::Type::kText: return ParseDouble(value.bytes);
    default: return 0;
  }
}

Value PgStatement::ReadValue(int i) const {
  if (IsNull(i)) return Value::Null();
  const std::string_view text = ColumnText(i);
  std::string& scratch = scratch_[static_cast<size_t>(i)];
  switch (types_[static_cast<size_t>(i)]) {
    case kBoolOid: return Value::Integer(text == "t" ? 1 : 0);
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
    case kOidOid: {
      int64_t v = 0;
      std::from_chars(text.data(), text.data() + text.size(), v);
      return Value::Integer(v);
    }
    case kFloat4Oid:
    case kFloat8Oid: return Value::Real(ParseDouble(text));
    case kNumericOid:
      if (const auto integral = IntegralNumeric(text)) return Value::Integer(*integral);
      return Value::Real(ParseDouble(text));
    case kTimestampTzOid:
      // With TimeZone UTC the server writes "+00" (or "+00:MM:SS" for odd historic offsets,
      // never in UTC): "+00:00" is the offset form dqaudit's dates and ISO 8601 use.
      if (text.size() >= 3 && text.substr(text.size() - 3) == "+00") {
        scratch.assign(text);
        scratch += ":00";
        return Value::Text(scratch);
      }
      return Value::Text(text);
    case kByteaOid: {
      scratch = DecodeBytea(text);
      Value blob = Value::Text(scratch);
      blob.type = Value::Type::kBlob;
      return blob;
    }
    default: return Value::Text(text);  // text, varchar, bpchar, name, date, timestamp, ...
  }
}

// ---------------------------------------------------------------------------------------------
// PgDb as a SourceDb

namespace {

// A PgStatement behind the engine-neutral Statement.
class PgCursor final : public Cursor {
 public:
  explicit PgCursor(PgStatement statement) : s_(std::move(statement)) {}
  Result<bool> Step() override { return s_.Step(); }
  Status Reset() override { return s_.Reset(); }
  Status Bind(int index, int64_t value) override { return s_.Bind(index, value); }
  Status Bind(int index, double value) override { return s_.Bind(index, value); }
  Status Bind(int index, std::string_view value) override { return s_.Bind(index, value); }
  Status BindNull(int index) override { return s_.BindNull(index); }
  int ColumnCount() const override { return s_.ColumnCount(); }
  std::string ColumnName(int i) const override { return s_.ColumnName(i); }
  Value Read(int i) const override { return s_.ReadValue(i); }
  int64_t ColumnInt(int i) const override { return s_.ColumnInt(i); }
  double ColumnDouble(int i) const override { return s_.ColumnDouble(i); }
  // Text as dqaudit reads it (timestamptz with its "+00:00", numbers in PostgreSQL's text form);
  // NUL-terminated like SQLite's.
  std::string_view ColumnText(int i) const override {
    const Value v = s_.ReadValue(i);
    if (v.type == Value::Type::kText) return v.bytes;
    return s_.ColumnText(i);
  }

 private:
  PgStatement s_;
};

}  // namespace

Result<Statement> PgDb::DoPrepare(const std::string& sql, StepBudget /*budget*/) {
  // The statement timeout counts each command: a FETCH of a batch on a cursor, the whole of a
  // query that returns one answer. The host's SQL embeds rule fragments (where, filter), which
  // are portable SQL too.
  DQA_ASSIGN_OR_RETURN(PgStatement statement, PrepareNative(PortableToPostgres(sql)));
  return Statement(std::make_unique<PgCursor>(std::move(statement)));
}

Result<Statement> PgDb::PrepareSmall(const std::string& sql) {
  DQA_ASSIGN_OR_RETURN(PgStatement statement, PrepareNative(PortableToPostgres(sql)));
  statement.whole_ = true;
  return Statement(std::make_unique<PgCursor>(std::move(statement)));
}

Result<Statement> PgDb::PrepareQuery(const std::string& written) {
  const std::string sql = PortableToPostgres(written);
  Result<PgStatement> statement = PrepareNative(sql);
  if (!statement.ok()) {
    if (statement.status().message().find("cannot insert multiple commands") != std::string::npos) {
      return InvalidArgument(fmt::format(
          "only one SQL statement is allowed, but more follows the first (in: {})", sql));
    }
    return statement.status();
  }
  if (statement->ColumnCount() == 0) {
    return InvalidArgument(fmt::format(
        "the SQL must be read-only (a SELECT), but it would change the database (in: {})", sql));
  }
  return Statement(std::make_unique<PgCursor>(std::move(statement).value()));
}

Result<std::string> PgDb::ContentFingerprint() {
  DQA_ASSIGN_OR_RETURN(
      PgStatement stmt,
      PrepareNative(
          "SELECT coalesce(string_agg(c.relname || ':' || c.relfilenode || ':' || "
          "coalesce(s.n_tup_ins, 0) || ':' || coalesce(s.n_tup_upd, 0) || ':' || "
          "coalesce(s.n_tup_del, 0), ',' ORDER BY c.relname), '') "
          "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
          "LEFT JOIN pg_stat_all_tables s ON s.relid = c.oid "
          "WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')"));
  DQA_RETURN_IF_ERROR(stmt.Bind(1, std::string_view(schema_)));
  DQA_ASSIGN_OR_RETURN(const bool row, stmt.Step());
  std::string out = row ? std::string(stmt.ColumnText(0)) : std::string();
  DQA_RETURN_IF_ERROR(stmt.Reset());
  return "pg " + schema_ + " " + out;
}

Status PgDb::CheckSchemaExists() {
  DQA_ASSIGN_OR_RETURN(
      PgStatement stmt,
      PrepareNative("SELECT nspname, nspname = $1 FROM pg_namespace WHERE nspname = $1 OR "
                    "(nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema') "
                    "ORDER BY nspname"));
  DQA_RETURN_IF_ERROR(stmt.Bind(1, std::string_view(schema_)));
  std::vector<std::string> schemas;
  bool found = false;
  while (true) {
    DQA_ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) break;
    schemas.emplace_back(stmt.ColumnText(0));
    found = found || stmt.ColumnInt(1) != 0;
  }
  if (found) return Status::Ok();
  return NotFound(fmt::format("no such schema: {} in {} (schemas: {})", schema_, redacted_,
                              fmt::join(schemas, ", ")));
}

Result<std::vector<std::string>> PgDb::TableNamesIn(const std::string& schema) {
  return RelationsOf(schema, "'r','p'");
}

std::string PgDb::Compile(const std::string& sql, int* column_count) {
  Result<PgStatement> statement = PrepareNative(PortableToPostgres(sql));
  if (!statement.ok()) {
    const std::string message = statement.status().message();
    if (message.find("cannot insert multiple commands") != std::string::npos) {
      return "it must be a single SQL statement, but more follows the first one";
    }
    return message;
  }
  if (statement->ColumnCount() == 0) {
    return "it must be read-only (a SELECT), but it would change the database";
  }
  if (column_count != nullptr) *column_count = statement->ColumnCount();
  return "";
}

bool PgDb::IsBaseTable(const std::string& table) {
  auto names = TableNames();
  return names.ok() && std::find(names->begin(), names->end(), table) != names->end();
}

}  // namespace dqa
