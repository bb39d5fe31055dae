# Shared by the bench/*/run.sh scripts (sourced, from the repository's root): their options, the
# Debian packages of a Python contestant, the build and the generated province.

# Parses --scale F, --scales F,F,..., --repeat N, --contestants LIST and --help into scale, scales,
# repeat and contestants (the caller sets their defaults); --help prints lines 2..$usage_end of the
# calling script.
bench_parse_args() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --scale) scale=${2:?--scale needs a value}; shift 2 ;;
      --scales) scales=${2:?--scales needs a value}; shift 2 ;;
      --repeat) repeat=${2:?--repeat needs a value}; shift 2 ;;
      --contestants) contestants=${2:?--contestants needs a value}; shift 2 ;;
      -h|--help) sed -n "2,${usage_end}p" "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
      *) echo "run.sh: unknown argument: $1" >&2; exit 2 ;;
    esac
  done
}

# Installs dqaudit's packages (scripts/setup.sh); when `contestants` has pandas and
# `/usr/bin/python3 -c "import $1"` fails, installs the Debian packages $2...; builds dqaudit and
# the generator in ${DQA_BUILD_DIR:-build}; generates the province once (seed 20261101, today
# 2026-11-01) into data/bench-<scale>/, whose path it sets in `data`.
bench_prepare() {
  local modules=$1
  shift
  export DQA_BUILD_DIR="${DQA_BUILD_DIR:-build}"
  scripts/setup.sh
  if [[ ",${contestants}," == *",pandas,"* ]] && ! /usr/bin/python3 -c "import ${modules}" 2>/dev/null; then
    echo "run.sh: installing $* (Debian) for the pandas contestant"
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "$@"
  fi
  cmake -S . -B "${DQA_BUILD_DIR}" >/dev/null
  # The --province scan runs rules/demo, whose sector plugins dqaudit finds in ${DQA_BUILD_DIR}/plugins.
  cmake --build "${DQA_BUILD_DIR}" -j"$(nproc 2>/dev/null || echo 2)" --target dqaudit dqa_datagen \
    population civil_registration social_protection public_services
  bench_generate "${scale}"
}

# Generates the province at scale $1 once (seed 20261101, today 2026-11-01) into data/bench-<$1>/,
# whose path it sets in `data`; a folder that already has its ground_truth.json is reused.
bench_generate() {
  data="data/bench-$1"
  if [ ! -f "${data}/ground_truth.json" ]; then
    echo "== generating the province at scale $1 (${data}/)"
    local start=${EPOCHREALTIME}
    scripts/generate_province.sh --scale "$1" --today 2026-11-01 --out "${data}"
    echo "== generated in $(awk "BEGIN { printf \"%.0f\", ${EPOCHREALTIME} - ${start} }") s"
  fi
}

# When `contestants` has a PostgreSQL contestant (dqaudit-postgres, psql): builds dqa_pgload,
# starts a throwaway server (scripts/pg_test_server.sh: Unix socket only, stopped and removed when
# the calling script exits), copies population.db and catalog.db of `data` into its database
# `province` (schemas population and catalog, text stays text), prints the load time and sets
# `pg_args` to the compare.py option (--pg DSN). Else sets `pg_args` to nothing.
bench_postgres() {
  pg_args=()
  if [[ ",${contestants}," != *",dqaudit-postgres,"* && ",${contestants}," != *",psql,"* ]]; then
    return 0
  fi
  cmake --build "${DQA_BUILD_DIR}" -j"$(nproc 2>/dev/null || echo 2)" --target dqa_pgload
  pg_dir=$(mktemp -d "${TMPDIR:-/tmp}/dqa_bench_pg.XXXXXX")
  trap 'scripts/pg_test_server.sh stop "${pg_dir}"' EXIT
  local admin dsn start end
  admin=$(scripts/pg_test_server.sh start "${pg_dir}")
  psql -X -q -v ON_ERROR_STOP=1 "${admin}" -c "CREATE DATABASE province"
  dsn=${admin/dbname=postgres/dbname=province}
  echo "== PostgreSQL server in ${pg_dir} (${dsn}): loading population.db and catalog.db"
  start=${EPOCHREALTIME}
  "${DQA_BUILD_DIR}/dqa_pgload" --dsn "${dsn}" "${data}/population.db" "${data}/catalog.db" \
    >"${pg_dir}/pgload.log"
  end=${EPOCHREALTIME}
  echo "== loaded with dqa_pgload in $(awk "BEGIN { printf \"%.1f\", ${end} - ${start} }") s"
  pg_args=(--pg "${dsn}")
}
