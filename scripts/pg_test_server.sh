#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests: no system service, no network.
#   scripts/pg_test_server.sh start DIR   initdb into DIR/data, socket in DIR/sock, own port;
#                                         prints the libpq keyword string (also in DIR/dsn)
#   scripts/pg_test_server.sh stop DIR    stops it (immediate) and removes DIR
# Unix socket only (listen_addresses=''), fsync off. Authentication: trust for every role but
# dqa_pw, which needs its password (scram-sha-256, password "dqa-pw-secret"), so that tests can see
# an authentication failure. As root (CI), initdb and pg_ctl run as the `postgres` user, since
# initdb refuses root.
set -euo pipefail

usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
action=$1
dir=$2

bin=""
for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
  if [ -x "${candidate}/initdb" ]; then bin=${candidate}; break; fi
done
[ -n "${bin}" ] || { echo "pg_test_server: no PostgreSQL server in /usr/lib/postgresql/*/bin (apt-get install postgresql)" >&2; exit 1; }

# Runs a server program as the postgres user when we are root, else as ourselves.
as_server_user() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "${action}" in
  start)
    mkdir -p "${dir}"
    dir=$(cd "${dir}" && pwd)
    mkdir -p "${dir}/sock"
    if [ "$(id -u)" -eq 0 ]; then
      chown -R postgres: "${dir}"
      # The postgres user must reach DIR through its parents (mktemp folders are 0700).
      chmod 0755 "${dir}"
    fi
    # A port nothing listens on: it names the socket file (.s.PGSQL.<port>) and would be the TCP
    # port if TCP were ever enabled.
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_server_user "${bin}/initdb" -D "${dir}/data" -U postgres --auth=trust -E UTF8 --locale=C \
      --no-sync >"${dir}/initdb.log" 2>&1 || { cat "${dir}/initdb.log" >&2; exit 1; }
    cat >>"${dir}/data/postgresql.conf" <<EOF
listen_addresses = ''
port = ${port}
unix_socket_directories = '${dir}/sock'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
EOF
    cat >"${dir}/data/pg_hba.conf" <<EOF
local all dqa_pw scram-sha-256
local all all trust
EOF
    as_server_user "${bin}/pg_ctl" -D "${dir}/data" -l "${dir}/server.log" -w -t 60 start \
      >/dev/null || { cat "${dir}/server.log" >&2; exit 1; }
    dsn="host=${dir}/sock port=${port} user=postgres dbname=postgres"
    "${bin}/psql" -X -q -v ON_ERROR_STOP=1 "${dsn}" \
      -c "SET password_encryption = 'scram-sha-256'" \
      -c "CREATE ROLE dqa_pw LOGIN PASSWORD 'dqa-pw-secret'" >/dev/null
    echo "${dsn}" >"${dir}/dsn"
    echo "${dsn}"
    ;;
  stop)
    if [ -d "${dir}/data" ]; then
      as_server_user "${bin}/pg_ctl" -D "${dir}/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "${dir}"
    ;;
  *) usage ;;
esac
