#!/usr/bin/env bash
# Scale-out proof: two service processes on one PostgreSQL behind nginx (Debian's package),
# driven by scripts/scale/drive.ts through the balancer. Uses the local PostgreSQL
# (SCALE_PG_URL, default postgres://postgres@127.0.0.1:5432) with a fresh database of its
# own, dropped at the end. Usage: npm run test:scale
set -euo pipefail
cd "$(dirname "$0")/.."

PG_BASE="${SCALE_PG_URL:-postgres://postgres@127.0.0.1:5432}"
DB_NAME="microcred_scale_$$"
DB_URL="${PG_BASE}/${DB_NAME}"
WORK="$(mktemp -d /tmp/microcred-scale.XXXXXX)"
PIDS=()

cleanup() {
  set +e
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null; done
  if [ -f "$WORK/nginx.pid" ]; then nginx -p "$WORK" -c "$WORK/nginx.conf" -s stop 2>/dev/null; fi
  psql "${PG_BASE}/postgres" -qAt -c "DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)" >/dev/null 2>&1
  rm -rf "$WORK"
}
trap cleanup EXIT

if ! command -v nginx >/dev/null 2>&1; then
  echo "installing nginx from Debian packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq nginx >/dev/null
fi
command -v psql >/dev/null 2>&1 || { echo "psql is needed (postgresql-client)"; exit 1; }
# The replicas run the compiled build, as npm start and the image do.
npm run --silent build
psql "${PG_BASE}/postgres" -qAt -c "CREATE DATABASE ${DB_NAME}" >/dev/null

free_port() { node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
PORT_A="$(free_port)"; PORT_B="$(free_port)"; LB_PORT="$(free_port)"
while [ "$PORT_B" = "$PORT_A" ]; do PORT_B="$(free_port)"; done
while [ "$LB_PORT" = "$PORT_A" ] || [ "$LB_PORT" = "$PORT_B" ]; do LB_PORT="$(free_port)"; done
ADMIN_TOKEN="scale_$(node -e "console.log(require('crypto').randomBytes(24).toString('hex'))")"
KEK="$(node -e "console.log(require('crypto').randomBytes(32).toString('hex'))")"
LB_URL="http://127.0.0.1:${LB_PORT}"

# Both replicas share the store, the secrets and the public origin (the balancer's).
start_replica() {
  local port="$1" name="$2"
  NODE_ENV=production HOST=127.0.0.1 PORT="$port" PUBLIC_URL="$LB_URL" DATABASE_URL="$DB_URL" \
  ADMIN_TOKEN="$ADMIN_TOKEN" KEY_ENCRYPTION_KEY="$KEK" DEMO_INSTITUTION=false TRUST_PROXY=loopback \
  VERIFY_RATE_LIMIT=1000000 LOG_LEVEL=warn DB_POOL_MAX="${SCALE_DB_POOL_MAX:-10}" \
    node --max-semi-space-size=32 dist/src/server.js >"$WORK/$name.log" 2>&1 &
  PIDS+=("$!")
}
# Both start at once: migrations serialise on an advisory lock.
start_replica "$PORT_A" replica-a
start_replica "$PORT_B" replica-b
wait_ready() {
  for _ in $(seq 1 150); do
    if curl -fsS "$1/readyz" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  echo "not ready: $1"; cat "$WORK"/*.log; exit 1
}
wait_ready "http://127.0.0.1:${PORT_A}"
wait_ready "http://127.0.0.1:${PORT_B}"

sed -e "s#__DIR__#${WORK}#g" -e "s#__PORT_A__#${PORT_A}#g" -e "s#__PORT_B__#${PORT_B}#g" -e "s#__LB_PORT__#${LB_PORT}#g" \
  scripts/scale/nginx.conf.template >"$WORK/nginx.conf"
nginx -p "$WORK" -c "$WORK/nginx.conf"
wait_ready "$LB_URL"
echo "replicas on :${PORT_A} and :${PORT_B}, nginx on :${LB_PORT}, database ${DB_NAME}"

start=$(date +%s)
LB_URL="$LB_URL" REPLICA_URLS="http://127.0.0.1:${PORT_A},http://127.0.0.1:${PORT_B}" ADMIN_TOKEN="$ADMIN_TOKEN" DATABASE_URL="$DB_URL" \
  node --import tsx scripts/scale/drive.ts
echo "scale test took $(( $(date +%s) - start )) s"
