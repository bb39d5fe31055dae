#!/usr/bin/env bash
# Installs every build and test dependency of dqaudit from Debian packages. Idempotent: when all
# packages are present it only checks and returns in a second or two.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git
  libboost-dev
  libsqlite3-dev sqlite3
  libpq-dev postgresql
  libre2-dev
  libspdlog-dev libfmt-dev
  libyaml-cpp-dev nlohmann-json3-dev libcli11-dev
  libicu-dev
  libxlsxwriter-dev
  libgtest-dev libgmock-dev
  clang libclang-rt-14-dev
  chromium fonts-dejavu-core unzip
  python3 time
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi

echo "setup: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
