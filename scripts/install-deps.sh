#!/usr/bin/env bash
# Installs every Debian package the build and the tests need, and only what is
# missing (idempotent). Run as root on Debian 12. npm packages, when tests need
# them, are installed into the project's own node_modules by this script too.
set -euo pipefail

packages=(
  # toolchain
  g++ cmake ninja-build ccache pkg-config clang-14 make
  # libraries (DESIGN.md "Chosen dependencies")
  libboost-dev libboost-system-dev libssl-dev nlohmann-json3-dev libpugixml-dev
  libsqlite3-dev libpq-dev libmariadb-dev libcurl4-openssl-dev libsodium-dev
  libspdlog-dev libfmt-dev libcli11-dev libtomlplusplus-dev libphonenumber-dev
  libespeak-ng-dev
  # invoices (payments/invoice): PDF through cairo with an embedded DejaVu font
  libcairo2-dev fonts-dejavu-core
  # simnet renders text-to-speech voice messages with the espeak-ng program (connectors/simnet/voice.h)
  espeak-ng
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev python3 curl sqlite3 openssl wrk
  poppler-utils
  # real SMPP peers (PEERS.md): Kannel's bearerbox + smsbox bind to bramka's SMPP server
  kannel
  # SMS via FTP tests (PEERS.md): pyftpdlib (+ python3-openssl for FTPS) and pure-ftpd
  python3-pyftpdlib python3-openssl pure-ftpd
  # SQL API (src/ingest/sql): the customer's MariaDB and PostgreSQL servers in integration tests
  # and pgbouncer 1.18 in transaction pooling in front of PostgreSQL (test_sql_pgbouncer.py, docs/adr/0055)
  mariadb-server postgresql pgbouncer
  # operator (docs/adr/0018): make deb / test_package.py (cpack's DEB generator uses dpkg-shlibdeps)
  dpkg-dev
  # SOAP tests (src/api/soap): python3-zeep as a real SOAP client (run by /usr/bin/python3)
  python3-zeep
  # web panel end-to-end tests (PEERS.md): Debian's Chromium driven by npm playwright-core
  chromium
  # clock jumps end to end (test_clock_jumps.py): libfaketime under a real serve
  faketime
  # perf (issue 11, docs/adr/0024): jemalloc as the bramka binary's allocator
  libjemalloc-dev
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  if [ "$(id -u)" != 0 ]; then
    echo "install-deps: run as root (apt-get install needs it)" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "install-deps: all ${#packages[@]} packages present"
fi

# npm packages the integration tests use (package.json: node-smpp as an independent SMSC),
# into the project's own node_modules. Needs node and npm (Debian: nodejs npm).
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ -f "$root/package.json" ]; then
  if ! command -v npm >/dev/null; then
    if [ "$(id -u)" = 0 ]; then
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq && apt-get install -y -qq --no-install-recommends nodejs npm
    else
      echo "install-deps: npm missing; node peers' tests will be skipped" >&2
    fi
  fi
  if command -v npm >/dev/null; then
    (cd "$root" && npm install --no-audit --no-fund --silent)
  fi
fi
