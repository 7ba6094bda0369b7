#!/usr/bin/env bash
# Downloads at scale (issue #13): from the synthetic country of benches/imports.sh (N
# officials, SQLite), every active official downloaded through the API as CSV and as XLSX,
# ROUNDS times each, by each binary given (default: this checkout's release build) in turn,
# so that two builds are compared in the same run. Prints each download's seconds and size,
# then the service's largest resident set (VmHWM) after its downloads.
#
#   benches/exports.sh [--officials 100000] [--rounds 3] [BINARY…]
set -euo pipefail
cd "$(dirname "$0")/.."
OFFICIALS=100000
ROUNDS=3
BINARIES=()
while [ $# -gt 0 ]; do
    case "$1" in
        --officials) OFFICIALS=$2; shift 2 ;;
        --rounds) ROUNDS=$2; shift 2 ;;
        *) BINARIES+=("$1"); shift ;;
    esac
done
cargo build --release --quiet
[ ${#BINARIES[@]} -gt 0 ] || BINARIES=(target/release/cadre-records)
WORK=target/bench/imports-$OFFICIALS
mkdir -p "$WORK"
SOURCE="$WORK/source.db"
if [ ! -f "$SOURCE" ]; then
    echo "generating $OFFICIALS officials"
    DATABASE_URL="$SOURCE" RUST_LOG=warn target/release/cadre-records seed --synthetic --officials "$OFFICIALS" --seed 1
fi
PORT=${BENCH_PORT:-18831}
# The admin benches/imports.sh made in the same database.
PASSWORD=bench-imports-admin-password
for BIN in "${BINARIES[@]}"; do
    DATABASE_URL="$SOURCE" CADRE_BIND="127.0.0.1:$PORT" CADRE_ADMIN_PASSWORD="$PASSWORD" \
        CADRE_JWT_SECRET=a-secret-for-the-exports-benchmark-0123456789 RUST_LOG=warn "$BIN" serve > "$WORK/service.log" 2>&1 &
    SERVICE=$!
    trap 'kill $SERVICE 2>/dev/null || true' EXIT
    for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$PORT/health" > /dev/null && break; sleep 0.5; done
    TOKEN=$(curl -fs "http://127.0.0.1:$PORT/api/v1/auth/login" -H 'Content-Type: application/json' \
        -d "{\"username\":\"admin\",\"password\":\"$PASSWORD\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
    for round in $(seq 1 "$ROUNDS"); do
        for format in csv xlsx; do
            result=$(curl -fs -o "$WORK/export.$format" -w '%{time_total} %{size_download}' \
                -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/officials/download?status=active&format=$format")
            echo "$BIN round $round export $format: ${result% *} s, ${result#* } bytes"
        done
    done
    echo "$BIN largest resident set: $(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$SERVICE/status") MB"
    kill $SERVICE; wait $SERVICE 2>/dev/null || true
done
