#include "tests/pg_test_support.h"

#include <libpq-fe.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>

#include <fmt/format.h>

namespace dqa::testing {
namespace {

constexpr const char* kScript = DQA_SOURCE_DIR "/scripts/pg_test_server.sh";

// A server this process started: stopped (and its folder removed) when the process exits.
struct OwnServer {
  std::string dir;
  ~OwnServer() {
    if (!dir.empty()) {
      const std::string command = fmt::format("'{}' stop '{}' >/dev/null 2>&1", kScript, dir);
      (void)std::system(command.c_str());
    }
  }
};

// What scripts/pg_test_server.sh start prints (its last line), or "" with `error` set.
std::string StartServer(OwnServer& own, std::string* error) {
  char pattern[] = "/tmp/dqa_pg_XXXXXX";
  if (mkdtemp(pattern) == nullptr) {
    *error = "mkdtemp failed";
    return "";
  }
  own.dir = pattern;
  const std::string command = fmt::format("'{}' start '{}' 2>&1", kScript, own.dir);
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    *error = "cannot run " + command;
    return "";
  }
  std::string output;
  std::array<char, 4096> buffer{};
  while (fgets(buffer.data(), static_cast<int>(buffer.size()), pipe) != nullptr) output += buffer.data();
  const int rc = pclose(pipe);
  if (rc != 0) {
    *error = fmt::format("{} failed ({}): {}", command, rc, output);
    return "";
  }
  while (!output.empty() && output.back() == '\n') output.pop_back();
  return output.substr(output.rfind('\n') == std::string::npos ? 0 : output.rfind('\n') + 1);
}

PgTestServer MakeServer() {
  static OwnServer own;  // destroyed at exit, after the tests
  PgTestServer server;
  std::string conninfo;
  if (const char* env = std::getenv("DQA_TEST_PG"); env != nullptr && *env != '\0') {
    conninfo = env;
  } else {
    std::string error;
    conninfo = StartServer(own, &error);
    if (conninfo.empty()) {
      ADD_FAILURE() << "no PostgreSQL test server: " << error;
      return server;
    }
  }
  char* parse_error = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &parse_error);
  if (options == nullptr) {
    ADD_FAILURE() << "DQA_TEST_PG is not a libpq connection string: "
                  << (parse_error != nullptr ? parse_error : "");
    PQfreemem(parse_error);
    return server;
  }
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (o->val == nullptr) continue;
    if (std::string(o->keyword) == "host") server.socket_dir = o->val;
    if (std::string(o->keyword) == "port") server.port = o->val;
  }
  PQconninfoFree(options);
  server.conninfo = conninfo;
  return server;
}

}  // namespace

const PgTestServer& TestPg() {
  static const PgTestServer server = MakeServer();
  if (server.conninfo.empty()) ADD_FAILURE() << "the PostgreSQL test server could not be started";
  return server;
}

std::string PgAdminExec(const std::string& conninfo, const std::string& sql) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  std::string error;
  if (PQstatus(conn) != CONNECTION_OK) {
    error = PQerrorMessage(conn);
  } else {
    PGresult* result = PQexec(conn, sql.c_str());
    const ExecStatusType rc = PQresultStatus(result);
    if (rc != PGRES_COMMAND_OK && rc != PGRES_TUPLES_OK) error = PQerrorMessage(conn);
    PQclear(result);
  }
  PQfinish(conn);
  return error;
}

PgTestDatabase::PgTestDatabase(const std::string& setup_sql) {
  const PgTestServer& server = TestPg();
  if (server.conninfo.empty()) return;
  std::random_device random;
  name_ = fmt::format("t_{:08x}{:08x}", random(), random());
  const std::string created = PgAdminExec(server.conninfo, "CREATE DATABASE " + name_);
  if (!created.empty()) {
    ADD_FAILURE() << "CREATE DATABASE " << name_ << ": " << created;
    return;
  }
  conninfo_ = fmt::format("host={} port={} user=postgres dbname={}", server.socket_dir,
                          server.port, name_);
  if (!setup_sql.empty()) Exec(setup_sql);
}

PgTestDatabase::~PgTestDatabase() {
  if (name_.empty() || TestPg().conninfo.empty()) return;
  (void)PgAdminExec(TestPg().conninfo, fmt::format("DROP DATABASE IF EXISTS {} WITH (FORCE)", name_));
}

std::string PgTestDatabase::Uri(const std::string& user) const {
  return fmt::format("postgresql://{}@/{}?host={}&port={}", user, name_, TestPg().socket_dir,
                     TestPg().port);
}

void PgTestDatabase::Exec(const std::string& sql) const {
  const std::string error = PgAdminExec(conninfo_, sql);
  EXPECT_EQ(error, "") << "in: " << sql;
}

}  // namespace dqa::testing
