#!/usr/bin/env bash
# The quick start: installs what is missing, then starts PostgreSQL and Redis (unless DATABASE_URL /
# REDIS_URL are set), migrates, seeds the demo campaign once, and serves on $PORT (default 3000).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/ensure.sh
ensure_node
ensure_node_modules
ensure_redis
exec node --import tsx dev/quick-start.ts
