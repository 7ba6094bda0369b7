#!/usr/bin/env bash
# Spreadsheets at scale (issue #13). From a synthetic country of N officials (SQLite): the
# active officials exported through the API as CSV and as XLSX (each download timed), then
# imported from each file into a fresh database on BACKEND (its units and positions first,
# from the same country's exports) with `cadre-records import` — the code POST /imports
# runs — dry run, then for real; each import timed by /usr/bin/time (elapsed seconds,
# largest resident set). Prints one line per measurement.
#
#   benches/imports.sh [--backend sqlite|postgres] [--officials 100000]
#
# BENCH_BIN=<binary> measures another build (an older commit's, kept to compare in one run).
set -euo pipefail
cd "$(dirname "$0")/.."
BACKEND=sqlite
OFFICIALS=100000
while [ $# -gt 0 ]; do
    case "$1" in
        --backend) BACKEND=$2; shift 2 ;;
        --officials) OFFICIALS=$2; shift 2 ;;
        *) echo "unknown argument $1" >&2; exit 2 ;;
    esac
done
if [ ! -x /usr/bin/time ]; then
    echo "installing Debian's time"
    apt-get install -y --no-install-recommends time > /dev/null \
        || { apt-get update > /dev/null && apt-get install -y --no-install-recommends time > /dev/null; }
fi
PG=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}
PORT=${BENCH_PORT:-18830}
cargo build --release --quiet
BIN=${BENCH_BIN:-target/release/cadre-records}
WORK=target/bench/imports-$OFFICIALS
mkdir -p "$WORK"
SOURCE="$WORK/source.db"
if [ ! -f "$SOURCE" ]; then
    echo "generating $OFFICIALS officials"
    DATABASE_URL="$SOURCE" RUST_LOG=warn "$BIN" seed --synthetic --officials "$OFFICIALS" --seed 1
fi

# The exports, through the API.
PASSWORD=bench-imports-admin-password
DATABASE_URL="$SOURCE" CADRE_BIND="127.0.0.1:$PORT" CADRE_ADMIN_PASSWORD="$PASSWORD" \
    CADRE_JWT_SECRET=a-secret-for-the-imports-benchmark-0123456789 RUST_LOG=warn "$BIN" serve > "$WORK/service.log" 2>&1 &
SERVICE=$!
trap 'kill $SERVICE 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$PORT/health" > /dev/null && break; sleep 0.5; done
TOKEN=$(curl -fs "http://127.0.0.1:$PORT/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d "{\"username\":\"admin\",\"password\":\"$PASSWORD\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
download() { # name, path
    local seconds
    seconds=$(curl -fs -o "$WORK/$1" -w '%{time_total}' -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/$2")
    echo "export $1: ${seconds} s, $(stat -c %s "$WORK/$1") bytes"
}
download units.csv "units/download?labels=codes"
download positions.csv "positions/download?labels=codes"
download officials.csv "officials/download?status=active"
download officials.xlsx "officials/download?status=active&format=xlsx"
kill $SERVICE; wait $SERVICE 2>/dev/null || true
echo "officials: $(($(wc -l < "$WORK/officials.csv") - 1)) rows"

fresh() { # the target database, migrated, with the units and positions imported
    case "$BACKEND" in
        sqlite) rm -f "$WORK/target.db"*; export DATABASE_URL="$WORK/target.db" ;;
        postgres)
            psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS cadre_bench_imports WITH (FORCE)" -qc "CREATE DATABASE cadre_bench_imports"
            export DATABASE_URL="$PG/cadre_bench_imports" ;;
    esac
    RUST_LOG=warn "$BIN" import units "$WORK/units.csv" > /dev/null
    RUST_LOG=warn "$BIN" import positions "$WORK/positions.csv" > /dev/null
    # Each import starts from a checkpointed server: the database just made is not flushed
    # in the middle of one import and not of the other.
    [ "$BACKEND" = postgres ] && psql "$DATABASE_URL" -qc CHECKPOINT
    return 0
}
measure() { # label, args…
    local label=$1; shift
    /usr/bin/time -f "%e %M" -o "$WORK/time" env RUST_LOG=warn "$BIN" import officials "$@" > "$WORK/import.log" 2>&1 \
        || { cat "$WORK/import.log"; exit 1; }
    read -r seconds kilobytes < "$WORK/time"
    echo "$BACKEND import $label: ${seconds} s, $((kilobytes / 1024)) MB resident"
}
for format in csv xlsx; do
    fresh
    measure "$format dry run" "$WORK/officials.$format" --dry-run
    measure "$format" "$WORK/officials.$format"
done
