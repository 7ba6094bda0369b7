#!/usr/bin/env bash
# Where a read's time goes: profiles the release service with perf while wrk drives
# GET /health, an auditor's GET /officials/{id} (nothing logged) and an admin's (one
# processing-log entry committed per read), on the database a previous
# `benches/run.sh --backend sqlite --officials N --load-only` loaded. Prints each run's
# requests/s and p50/p95/p99, and the share of the server's samples per group of symbols.
#
#   benches/profile.sh [--officials N] [--duration SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."

OFFICIALS=100000
DURATION=5
while [ $# -gt 0 ]; do
    case "$1" in
        --officials) OFFICIALS=$2; shift 2 ;;
        --duration) DURATION=$2; shift 2 ;;
        *) echo "unknown argument $1" >&2; exit 2 ;;
    esac
done
command -v perf > /dev/null || { echo "perf is needed (Debian: linux-perf)" >&2; exit 2; }
command -v wrk > /dev/null || { apt-get update -qq && apt-get install -y -qq wrk > /dev/null; }
cargo build --release --quiet
BIN=$PWD/target/release/cadre-records
WORK=$PWD/target/bench/sqlite-$OFFICIALS
[ -f "$WORK/cadre.db" ] || { echo "load it first: benches/run.sh --backend sqlite --officials $OFFICIALS --load-only" >&2; exit 2; }
export DATABASE_URL=$WORK/cadre.db CADRE_ADMIN_PASSWORD="bench-admin-password" \
    CADRE_JWT_SECRET="a-benchmark-secret-of-at-least-32-bytes!" RUST_LOG=warn
PORT=${BENCH_PORT:-18820}
CADRE_BIND=127.0.0.1:$PORT taskset -c 0 "$BIN" serve > "$WORK/profile-service.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/health" > /dev/null && break; sleep 0.2; done

B=http://127.0.0.1:$PORT/api/v1
login() {
    curl -fs "$B/auth/login" -H 'Content-Type: application/json' -d "{\"username\":\"$1\",\"password\":\"$2\"}" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}
ADMIN=$(login admin "$CADRE_ADMIN_PASSWORD")
curl -fs "$B/users" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
    -d '{"username":"bench-auditor","password":"bench-auditor-password","role":"auditor"}' > /dev/null || true
AUDITOR=$(login bench-auditor bench-auditor-password)
OFFICIAL=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT MIN(id) FROM officials").fetchone()[0])' "$DATABASE_URL")

for run in health auditor admin; do
    case $run in
        health) URL=http://127.0.0.1:$PORT/health; TOKEN=$ADMIN ;;
        auditor) URL=$B/officials/$OFFICIAL; TOKEN=$AUDITOR ;;
        admin) URL=$B/officials/$OFFICIAL; TOKEN=$ADMIN ;;
    esac
    perf record -F 1999 -g -p $SERVER -o "$WORK/perf-$run.data" -- sleep $((DURATION + 1)) > /dev/null 2>&1 &
    PERF=$!
    read -r _ rps p50 p95 p99 _ <<< "$(BENCH_TOKEN=$TOKEN taskset -c 1 wrk -t1 -c8 -d"${DURATION}s" --timeout 30s \
        -s benches/wrk.lua "$URL" | grep '^RESULT')"
    wait $PERF || true
    printf "== %-8s %9s req/s  p50 %7s ms  p95 %7s ms  p99 %7s ms\n" "$run" "$rps" "$p50" "$p95" "$p99"
    perf report -i "$WORK/perf-$run.data" --no-children --sort dso,sym --stdio -g none 2>/dev/null |
        python3 -c '
import re, sys
groups = [
    ("kernel (syscalls, scheduling, disk)", r"\[k\]"),
    ("malloc and free", r"malloc|_int_free|cfree|realloc|unlink_chunk|sqlite3MemSize|sqlite3Malloc"),
    ("SQLite: parsing and planning", r"yy_reduce|sqlite3RunParser|sqlite3GetToken|tokenExpr|resolve|sqlite3Select|whereLoop|sqlite3Where|sqlite3Expr|sqlite3Prepare|sqlite3Locate|sqlite3FindTable|lookupName|selectExpander|sqlite3Vdbe(Add|Change|Make|Delete|Finalize|Clear)|sqlite3Code|sqlite3DbFree|sqlite3DbMalloc|sqlite3Hash"),
    ("SQLite: executing", r"sqlite3VdbeExec|sqlite3Btree|btree|sqlite3Pager|pcache|sqlite3VdbeRecord|sqlite3VdbeSerial|sqlite3_step|sqlite3VdbeHalt|wal"),
    ("diesel", r"diesel"),
    ("locks", r"pthread_mutex|futex"),
    ("routing (regex)", r"regex|actix_router"),
    ("JSON", r"serde"),
    ("token (JWT, HMAC)", r"jsonwebtoken|sha2|hmac|base64"),
    ("memory copies", r"mem(move|cmp|cpy|set)|strlen"),
]
shares = dict.fromkeys([name for name, _ in groups] + ["the rest"], 0.0)
for line in sys.stdin:
    found = re.match(r"\s*([\d.]+)%\s+(.*)", line)
    if not found:
        continue
    share, symbol = float(found.group(1)), found.group(2)
    name = next((name for name, pattern in groups if re.search(pattern, symbol)), "the rest")
    shares[name] += share
for name, share in shares.items():
    print(f"   {share:5.1f} %  {name}")
'
done
