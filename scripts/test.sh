#!/usr/bin/env bash
# Every test, against a real PostgreSQL and Redis that the test setup starts itself; then the
# database tests again through PgBouncer in transaction pooling mode (vitest.pgbouncer.config.ts).
# Arguments (files, -t …) apply to both runs; either run failing fails the whole.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/ensure.sh
ensure_node
ensure_node_modules
ensure_redis
ensure_redis_sentinel
ensure_chromium
ensure_pgbouncer
status=0
npx vitest run "$@" || status=$?
echo "== The database tests through PgBouncer (transaction pooling) =="
npx vitest run -c vitest.pgbouncer.config.ts --passWithNoTests "$@" || status=$?
exit "$status"
