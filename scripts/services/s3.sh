#!/usr/bin/env bash
# A local S3-compatible server (npm devDependency @20minutes/s3rver) on 127.0.0.1, for the remote-cache tests and
# for trying `cache: { remote: ... }` offline.
#   eval "$(bash scripts/services/s3.sh start)"   # starts it (if not running) and prints the variables to export
#   bash scripts/services/s3.sh env               # the variables again
#   bash scripts/services/s3.sh stop
# Variables: COFAIL_TEST_S3_ENDPOINT (read by the tests), AWS_ENDPOINT_URL_S3, AWS_ACCESS_KEY_ID=S3RVER,
# AWS_SECRET_ACCESS_KEY, AWS_REGION, COFAIL_TEST_S3_BUCKET. Port: S3_PORT (default 4569); state: COFAIL_SERVICES_DIR.
set -euo pipefail
cd "$(dirname "$0")/../.."
state="${COFAIL_SERVICES_DIR:-/tmp/cofail-services}/s3"
port="${S3_PORT:-4569}"
bucket="${S3_BUCKET:-cofail-test}"
pidfile="$state/s3rver.pid"
running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }
print_env() {
  echo "export COFAIL_TEST_S3_ENDPOINT=http://127.0.0.1:$port"
  echo "export COFAIL_TEST_S3_BUCKET=$bucket"
  echo "export AWS_ENDPOINT_URL_S3=http://127.0.0.1:$port"
  echo "export AWS_ACCESS_KEY_ID=S3RVER"
  echo "export AWS_SECRET_ACCESS_KEY=S3RVER"
  echo "export AWS_REGION=us-east-1"
}
case "${1:-}" in
  start)
    mkdir -p "$state/objects"
    if ! running; then
      [ -d node_modules/@20minutes/s3rver ] || npm ci --no-audit --no-fund >&2
      S3_PORT="$port" S3_DIR="$state/objects" S3_BUCKET="$bucket" nohup node scripts/services/s3-server.mjs >"$state/s3rver.log" 2>&1 &
      echo $! >"$pidfile"
      for _ in $(seq 1 100); do
        grep -q listening "$state/s3rver.log" 2>/dev/null && break
        kill -0 "$(cat "$pidfile")" 2>/dev/null || { cat "$state/s3rver.log" >&2; echo "s3rver did not start" >&2; exit 1; }
        sleep 0.1
      done
      grep -q listening "$state/s3rver.log" || { echo "s3rver did not start within 10 s (log: $state/s3rver.log)" >&2; exit 1; }
      echo "s3: $(cat "$state/s3rver.log")" >&2
    fi
    print_env ;;
  env) running || { echo "s3: not running (start it with: eval \"\$(bash scripts/services/s3.sh start)\")" >&2; exit 1; }; print_env ;;
  stop)
    if running; then kill "$(cat "$pidfile")"; for _ in $(seq 1 50); do running || break; sleep 0.1; done; echo "s3: stopped" >&2; fi
    rm -f "$pidfile" ;;
  status) if running; then echo "s3: running (pid $(cat "$pidfile"), port $port)"; else echo "s3: not running"; exit 1; fi ;;
  *) echo "usage: $0 start|env|stop|status" >&2; exit 2 ;;
esac
