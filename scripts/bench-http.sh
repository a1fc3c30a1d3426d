#!/usr/bin/env bash
# Load on `fae-t2i serve` over loopback with wrk: GET /v1/jobs/{id} and POST /v1/jobs for
# DURATION seconds each (default 10) against a new SQLite queue; prints requests/s and p99 latency
# beside the targets (2000 GET/s, 500 POST/s), fails on any answer other than 2xx or 3xx and on any
# socket error, then fails unless the database's integrity check says ok.
# Usage: scripts/bench-http.sh [BINARY]   (default .build/release/fae-t2i; `make bench-http`)
set -euo pipefail
bin=${1:-.build/release/fae-t2i}
duration=${DURATION:-10}
for tool in wrk sqlite3 curl; do
    command -v $tool >/dev/null || { echo "bench-http: $tool is missing (make bench-http installs it)" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
"$bin" serve --port 0 --db "$work/queue.sqlite" --submit-rate 1000000 --submit-burst 1000000 >"$work/out" 2>/dev/null &
server=$!
for _ in $(seq 100); do grep -q serving "$work/out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/^serving //p' "$work/out")
[ -n "$url" ] || { echo "bench-http: serve did not start" >&2; exit 1; }
id=$(curl -sf "$url/v1/jobs" -H 'Content-Type: application/json' -d '{"prompt": "a red circle", "seed": 1}' | sed -n 's/.*"id":"\([0-9a-f]*\)".*/\1/p')
[ -n "$id" ] || { echo "bench-http: the first submit returned no job id" >&2; exit 1; }
cat >"$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"prompt": "a red circle to the left of a blue square", "count": 2}'
LUA
run() {  # name target wrk-args...
    local name=$1 target=$2; shift 2
    local report; report=$(wrk -t2 -c16 -d"${duration}s" --latency "$@")
    local rate p99 errors sockets
    rate=$(awk '/Requests\/sec/ {print $2}' <<<"$report")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$report")
    errors=$(awk '/Non-2xx or 3xx responses/ {print $5}' <<<"$report")
    sockets=$(sed -n 's/^ *Socket errors: *//p' <<<"$report")
    printf '%-22s %10s req/s  p99 %8s  target %5s req/s  ratio %.2f  non-2xx %s\n' "$name" "$rate" "$p99" "$target" \
        "$(awk -v r="$rate" -v t="$target" 'BEGIN {print r / t}')" "${errors:-0}"
    [ -z "$errors" ] || { echo "bench-http: $name had non-2xx answers" >&2; exit 1; }
    [ -z "$sockets" ] || { echo "bench-http: $name had socket errors: $sockets" >&2; exit 1; }
}
run "GET /v1/jobs/{id}" 2000 "$url/v1/jobs/$id"
run "POST /v1/jobs" 500 -s "$work/post.lua" "$url/v1/jobs"
kill -TERM $server; wait $server || true
echo "jobs stored: $(sqlite3 "$work/queue.sqlite" 'SELECT count(*) FROM jobs')"
integrity=$(sqlite3 "$work/queue.sqlite" 'PRAGMA integrity_check')
echo "integrity: $integrity"
[ "$integrity" = ok ] || { echo "bench-http: the queue file failed its integrity check" >&2; exit 1; }
