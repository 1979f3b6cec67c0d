#!/usr/bin/env bash
# Every test, against a real PostgreSQL and Redis that the test setup starts itself.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/ensure.sh
ensure_node
ensure_node_modules
ensure_redis
ensure_chromium
exec npx vitest run "$@"
