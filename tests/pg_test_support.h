// The throwaway PostgreSQL server of the tests (scripts/pg_test_server.sh) and a fresh database per
// test, so that tests can run in parallel. Linked into both test binaries.
#pragma once

#include <string>

namespace dqa::testing {

struct PgTestServer {
  std::string conninfo;    // libpq keyword string: host=<socket dir> port=N user=postgres dbname=postgres
  std::string socket_dir;  // the host= of conninfo
  std::string port;
  // A role that must give its password (scram-sha-256): authentication failures.
  std::string password_role = "dqa_pw";
  std::string password = "dqa-pw-secret";
};

// The server of DQA_TEST_PG when set (scripts/test.sh starts one), else one started once for this
// process with scripts/pg_test_server.sh and stopped at exit. When none can be started, the
// calling test FAILS (ADD_FAILURE) and conninfo is empty: tests that need PostgreSQL never skip.
const PgTestServer& TestPg();

// A database of its own for one test, t_<random>, created on TestPg() with `setup_sql` run in it
// as the superuser (it may write); dropped (WITH FORCE) on destruction.
class PgTestDatabase {
 public:
  explicit PgTestDatabase(const std::string& setup_sql = "");
  PgTestDatabase(const PgTestDatabase&) = delete;
  PgTestDatabase& operator=(const PgTestDatabase&) = delete;
  ~PgTestDatabase();

  // "host=... port=... user=postgres dbname=t_..." ("" when the server or the setup failed).
  const std::string& conninfo() const { return conninfo_; }
  const std::string& name() const { return name_; }
  // postgresql://<user>@/<db>?host=<socket dir>&port=N (user postgres unless given).
  std::string Uri(const std::string& user = "postgres") const;
  // Runs `sql` as the superuser in this database; the test fails when it fails.
  void Exec(const std::string& sql) const;

 private:
  std::string name_;
  std::string conninfo_;
};

// Runs `sql` on `conninfo` with a plain (writable) libpq connection; "" on success, else the error.
std::string PgAdminExec(const std::string& conninfo, const std::string& sql);

}  // namespace dqa::testing
