#!/usr/bin/env bash
# The benchmark: generates a synthetic country into a fresh database, starts the release
# service on one core, and drives it with wrk from the other; prints requests/s, p50, p95
# and p99 per endpoint, each as a ratio to its ceiling (GET /health) or its floor (the
# same report run straight on the database), and the server's peak resident memory.
#
#   benches/run.sh [--backend sqlite|postgres] [--officials N] [--duration SECONDS]
#                  [--connections N] [--peer] [--skip-load | --load-only]
#
# --skip-load measures the database a previous run loaded; --load-only loads and stops.
# --peer also serves the SQLite file with Datasette (pinned, from PyPI) and loads its
# canned single-ward report, after checking that it gives the same numbers.
set -euo pipefail
cd "$(dirname "$0")/.."

BACKEND=sqlite
OFFICIALS=100000
DURATION=10
CONNECTIONS=8
PEER=0
SKIP_LOAD=0
LOAD_ONLY=0
while [ $# -gt 0 ]; do
    case "$1" in
        --backend) BACKEND=$2; shift 2 ;;
        --officials) OFFICIALS=$2; shift 2 ;;
        --duration) DURATION=$2; shift 2 ;;
        --connections) CONNECTIONS=$2; shift 2 ;;
        --peer) PEER=1; shift ;;
        --skip-load) SKIP_LOAD=1; shift ;;
        --load-only) LOAD_ONLY=1; shift ;;
        *) echo "unknown argument $1" >&2; exit 2 ;;
    esac
done

command -v wrk > /dev/null || { apt-get update -qq && apt-get install -y -qq wrk > /dev/null; }
cargo build --release --quiet
BIN=$PWD/target/release/cadre-records
WORK=$PWD/target/bench/$BACKEND-$OFFICIALS
mkdir -p "$WORK"
PORT=${BENCH_PORT:-18800}
PEER_PORT=${BENCH_PEER_PORT:-18801}

case "$BACKEND" in
    sqlite) export DATABASE_URL="$WORK/cadre.db" ;;
    postgres)
        PG=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}
        export DATABASE_URL="$PG/cadre_bench_$OFFICIALS" ;;
    *) echo "--backend is sqlite or postgres" >&2; exit 2 ;;
esac
export CADRE_ADMIN_PASSWORD="bench-admin-password" CADRE_JWT_SECRET="a-benchmark-secret-of-at-least-32-bytes!" RUST_LOG=warn

if [ "$SKIP_LOAD" = 0 ]; then
    if [ "$BACKEND" = sqlite ]; then
        rm -f "$WORK"/cadre.db*
    else
        psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS cadre_bench_$OFFICIALS WITH (FORCE)" -qc "CREATE DATABASE cadre_bench_$OFFICIALS"
    fi
    echo "== loading $OFFICIALS officials into $BACKEND"
    RUST_LOG=info "$BIN" seed --synthetic --officials "$OFFICIALS" --seed 1 2>&1 | grep -E "loaded|tree|indexes|search words" | sed 's/\x1b\[[0-9;]*m//g'
    if [ "$BACKEND" = postgres ]; then psql "$DATABASE_URL" -qc "VACUUM ANALYZE"; fi
fi
[ "$LOAD_ONLY" = 1 ] && exit 0

CADRE_BIND=127.0.0.1:$PORT taskset -c 0 "$BIN" serve > "$WORK/service.log" 2>&1 &
SERVER=$!
PEAK=$WORK/peak-rss
echo 0 > "$PEAK"
( while kill -0 $SERVER 2>/dev/null; do
      rss=$(awk '/VmRSS/ {print $2}' /proc/$SERVER/status 2>/dev/null || echo 0)
      [ "${rss:-0}" -gt "$(cat "$PEAK")" ] && echo "$rss" > "$PEAK"
      sleep 0.2
  done ) &
SAMPLER=$!
cleanup() { kill $SERVER $SAMPLER 2>/dev/null || true; [ -n "${DATASETTE:-}" ] && kill "$DATASETTE" 2>/dev/null || true; }
trap cleanup EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/health" > /dev/null && break; sleep 0.2; done

B=http://127.0.0.1:$PORT/api/v1
export BENCH_TOKEN=$(curl -fs "$B/auth/login" -H 'Content-Type: application/json' \
    -d "{\"username\":\"admin\",\"password\":\"$CADRE_ADMIN_PASSWORD\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
# An auditor, who reads a person without their protected data: a read that logs nothing.
curl -fs "$B/users" -H "Authorization: Bearer $BENCH_TOKEN" -H 'Content-Type: application/json' \
    -d '{"username":"bench-auditor","password":"bench-auditor-password","role":"auditor"}' > /dev/null || true
AUDITOR_TOKEN=$(curl -fs "$B/auth/login" -H 'Content-Type: application/json' \
    -d '{"username":"bench-auditor","password":"bench-auditor-password"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
sql() { # one value from the database
    if [ "$BACKEND" = sqlite ]; then
        python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$DATABASE_URL" "$1"
    else
        psql "$DATABASE_URL" -tAc "$1"
    fi
}
COUNTRY=$(sql "SELECT id FROM units WHERE kind = 'country'")
PROVINCE=$(sql "SELECT id FROM units WHERE kind = 'province' ORDER BY id LIMIT 1")
# The busiest ward of that province.
WARD=$(sql "SELECT o.unit_id FROM officials o JOIN units u ON u.id = o.unit_id WHERE u.kind = 'ward' AND u.parent_id = $PROVINCE AND o.status = 'active' GROUP BY o.unit_id ORDER BY COUNT(*) DESC, o.unit_id LIMIT 1")
OFFICIAL=$(sql "SELECT id FROM officials WHERE unit_id = $WARD ORDER BY id LIMIT 1")
WARD_PATH=$(sql "SELECT path FROM units WHERE id = $WARD")

declare -A RPS P50 P95 P99
measure() { # name url [token [connections]]
    local out
    out=$(BENCH_TOKEN=${3-$BENCH_TOKEN} taskset -c 1 wrk -t1 -c"${4:-$CONNECTIONS}" -d"${DURATION}s" --timeout 30s -s benches/wrk.lua "$2" | grep '^RESULT')
    read -r _ rps p50 p95 p99 bad total <<< "$out"
    RPS[$1]=$rps; P50[$1]=$p50; P95[$1]=$p95; P99[$1]=$p99
    printf "%-34s %10s req/s  p50 %8s ms  p95 %8s ms  p99 %8s ms  (%s requests, %s not 2xx)\n" "$1" "$rps" "$p50" "$p95" "$p99" "$total" "$bad"
}
floor() { # name args...
    local name=$1; shift
    local out
    out=$(taskset -c 0 "$BIN" bench-report "$@" --iterations 30 2>/dev/null)
    read -r rps _ _ p50 _ _ p95 _ _ p99 _ <<< "$out"
    RPS[floor:$name]=$rps; P50[floor:$name]=$p50; P95[floor:$name]=$p95; P99[floor:$name]=$p99
    printf "%-34s %10s req/s  p50 %8s ms  p95 %8s ms  p99 %8s ms  (straight on the database)\n" "floor: $name" "$rps" "$p50" "$p95" "$p99"
}
ratio() { python3 -c "import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); print(f'{a/b:.2f}' if b else 'n/a')" "$1" "$2"; }

echo "== $BACKEND, $OFFICIALS officials, ${DURATION}s each (server on core 0, wrk on core 1);"
echo "   $CONNECTIONS connections for health and officials, 1 for the reports (their latency is compared with the floor's)"
measure "GET /health (ceiling)" "http://127.0.0.1:$PORT/health" ""
measure "GET /officials/{id}" "$B/officials/$OFFICIAL"
measure "GET /officials/{id} (auditor)" "$B/officials/$OFFICIAL" "$AUDITOR_TOKEN"
measure "GET /officials?q=&unit_id=" "$B/officials?q=nguyen%20van&unit_id=$PROVINCE&limit=20"
# Within the province without the count: walked from the province's own index of words.
measure "GET /officials?q=&unit_id= (uncounted)" "$B/officials?q=nguyen%20van&unit_id=$PROVINCE&limit=20&count=false"
measure "GET /officials?q= (country)" "$B/officials?q=nguyen%20van&limit=20"
# Across the country without the count: ranked (given-name order), by code, and two common
# words that seldom go together (a walk that runs out, then the gather).
measure "GET /officials?q= (country, uncounted)" "$B/officials?q=nguyen%20van&limit=20&count=false"
measure "GET /officials?q= (country, by code)" "$B/officials?q=nguyen%20van&limit=20&count=false&sort=code"
measure "GET /officials?q=thi van (country)" "$B/officials?q=thi%20van&limit=20&count=false"
measure "GET /officials?q=code prefix" "$B/officials?q=cb0001234&limit=20"
# The province's officials: the first page, and its last page read from a cursor (keyset)
# and by offset; the cursor is the `next` of the page of one just before the last 20.
IN_PROVINCE=$(curl -fs "$B/officials?unit_id=$PROVINCE&limit=1" -H "Authorization: Bearer $BENCH_TOKEN" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
DEEP_CURSOR=$(curl -fs "$B/officials?unit_id=$PROVINCE&limit=1&count=false&offset=$((IN_PROVINCE - 21))" \
    -H "Authorization: Bearer $BENCH_TOKEN" | python3 -c 'import json,sys; print(json.load(sys.stdin)["next"])')
measure "officials: province, page 1" "$B/officials?unit_id=$PROVINCE&limit=20&count=false"
measure "officials: province, last page (cursor)" "$B/officials?unit_id=$PROVINCE&limit=20&count=false&cursor=$DEEP_CURSOR"
measure "officials: province, last page (offset)" "$B/officials?unit_id=$PROVINCE&limit=20&count=false&offset=$((IN_PROVINCE - 20))"
measure "qualifications: ward" "$B/reports/qualifications?unit_id=$WARD" "$BENCH_TOKEN" 1
measure "qualifications: province" "$B/reports/qualifications?unit_id=$PROVINCE" "$BENCH_TOKEN" 1
measure "qualifications: country by province" "$B/reports/qualifications?unit_id=$COUNTRY&group_by=unit" "$BENCH_TOKEN" 1
measure "training 2025: ward" "$B/reports/training?unit_id=$WARD&from=2025-01-01&to=2025-12-31" "$BENCH_TOKEN" 1
measure "training 2025: province" "$B/reports/training?unit_id=$PROVINCE&from=2025-01-01&to=2025-12-31" "$BENCH_TOKEN" 1
measure "compliance: ward" "$B/reports/compliance?unit_id=$WARD" "$BENCH_TOKEN" 1
measure "compliance: province" "$B/reports/compliance?unit_id=$PROVINCE&limit=100" "$BENCH_TOKEN" 1
measure "workforce: province by unit" "$B/reports/workforce?unit_id=$PROVINCE" "$BENCH_TOKEN" 1
measure "training results 2025: province" "$B/reports/training-results?unit_id=$PROVINCE&year=2025" "$BENCH_TOKEN" 1
measure "personnel record (json)" "$B/officials/$OFFICIAL/record" "$BENCH_TOKEN" 1
measure "plan vs actual 2025: ward" "$B/reports/plan-vs-actual?unit_id=$WARD&year=2025" "$BENCH_TOKEN" 1
measure "plan vs actual 2025: province" "$B/reports/plan-vs-actual?unit_id=$PROVINCE&year=2025" "$BENCH_TOKEN" 1
# The province's needs for 2026 proposed from its shortfalls, once, in a plan started for it.
PLAN_2026=$(sql "SELECT COALESCE(MAX(id), 0) FROM plans WHERE unit_id = $PROVINCE AND year = 2026")
if [ "$PLAN_2026" = 0 ]; then
    PLAN_2026=$(curl -fs "$B/plans" -H "Authorization: Bearer $BENCH_TOKEN" -H 'Content-Type: application/json' \
        -d "{\"unit_id\":$PROVINCE,\"year\":2026}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
fi
PROPOSAL=$(curl -fs -o "$WORK/proposal.json" -w '%{time_total}' "$B/plans/$PLAN_2026/needs/propose" \
    -H "Authorization: Bearer $BENCH_TOKEN" -H 'Content-Type: application/json' -d '{}')
printf "%-34s %10s s for %s needs (a second call: %s s, %s needs)\n" "proposal 2026: province" "$PROPOSAL" \
    "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["created"])' "$WORK/proposal.json")" \
    "$(curl -fs -o "$WORK/proposal-again.json" -w '%{time_total}' "$B/plans/$PLAN_2026/needs/propose" \
        -H "Authorization: Bearer $BENCH_TOKEN" -H 'Content-Type: application/json' -d '{}')" \
    "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["created"])' "$WORK/proposal-again.json")"
floor "qualifications: ward" --report qualifications --unit "$WARD"
floor "qualifications: province" --report qualifications --unit "$PROVINCE"
floor "qualifications: country by province" --report qualifications --unit "$COUNTRY" --group-by-unit
floor "training 2025: ward" --report training --unit "$WARD"
floor "training 2025: province" --report training --unit "$PROVINCE"
floor "compliance: ward" --report compliance --unit "$WARD"
floor "compliance: province" --report compliance --unit "$PROVINCE"
floor "workforce: province by unit" --report workforce --unit "$PROVINCE" --group-by-unit
floor "training results 2025: province" --report training-results --unit "$PROVINCE" --year 2025

# What the index of words adds to writing an official: creates timed with its triggers, without
# them, and with them again (the mean of the two), 300 each, one connection.
python3 - "$B" "$BENCH_TOKEN" "$BACKEND" "$DATABASE_URL" "$WARD" <<'PY'
import http.client, json, sqlite3, subprocess, sys, time, urllib.parse
base, token, backend, url, ward = sys.argv[1:6]
target = urllib.parse.urlparse(base)
conn = http.client.HTTPConnection(target.hostname, target.port)
def sql(statement, fetch=False):
    if backend == "sqlite":
        db = sqlite3.connect(url)
        rows = db.execute(statement).fetchall()
        db.commit()
        db.close()
        return rows
    out = subprocess.run(["psql", url, "-tAc", statement], check=True, capture_output=True, text=True).stdout
    return [tuple(line.split("|", 1)) for line in out.splitlines() if line]
def creates(label, n=300):
    started = time.perf_counter()
    for i in range(n):
        body = json.dumps({"code": f"BW-{label}-{i}-{time.time_ns()}", "full_name": "Nguyễn Văn Thử", "gender": "male",
                           "unit_id": int(ward), "category": "civil_servant"})
        conn.request("POST", target.path + "/officials", body, {"Authorization": "Bearer " + token, "Content-Type": "application/json"})
        reply = conn.getresponse()
        reply.read()
        assert reply.status == 201, reply.status
    return (time.perf_counter() - started) / n * 1000
if backend == "sqlite":
    triggers = sql("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'officials_revise_search_words%'")
    drop = lambda: [sql(f"DROP TRIGGER {name}") for name, _ in triggers]
    create = lambda: [sql(definition) for _, definition in triggers]
else:
    triggers = sql("SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE tgname LIKE 'officials_revise_search_words%'")
    drop = lambda: [sql(f"DROP TRIGGER {name} ON officials") for name, _ in triggers]
    create = lambda: [sql(definition) for _, definition in triggers]
creates("warm", 50)
with_index = creates("on")
drop()
try:
    without = creates("off")
finally:
    create()
    # The officials created meanwhile get their words now.
    sql("UPDATE officials SET code = code WHERE code LIKE 'BW-off-%'")
with_index = (with_index + creates("again")) / 2
print(f"POST /officials: {with_index:.2f} ms with the index of words, {without:.2f} ms without: "
      f"+{(with_index / without - 1) * 100:.0f}% (target < 20%)")
PY

if [ "$PEER" = 1 ] && [ "$BACKEND" = sqlite ]; then
    VENV=target/datasette-0.65.5
    [ -x "$VENV/bin/datasette" ] || { python3 -m venv "$VENV" && "$VENV/bin/pip" install --quiet "datasette==0.65.5"; }
    cat > "$WORK/datasette.json" <<JSON
{"databases": {"cadre": {"queries": {"ward_report": {"sql": "SELECT 'education' AS dimension, o.education AS level, COUNT(*) AS n FROM units u JOIN officials o ON o.unit_id = u.id WHERE u.path LIKE :prefix AND o.status = 'active' GROUP BY o.education UNION ALL SELECT 'political_theory', o.political_theory, COUNT(*) FROM units u JOIN officials o ON o.unit_id = u.id WHERE u.path LIKE :prefix AND o.status = 'active' GROUP BY o.political_theory UNION ALL SELECT 'state_management', o.state_management, COUNT(*) FROM units u JOIN officials o ON o.unit_id = u.id WHERE u.path LIKE :prefix AND o.status = 'active' GROUP BY o.state_management UNION ALL SELECT 'it', o.it, COUNT(*) FROM units u JOIN officials o ON o.unit_id = u.id WHERE u.path LIKE :prefix AND o.status = 'active' GROUP BY o.it UNION ALL SELECT 'foreign_language', o.foreign_language, COUNT(*) FROM units u JOIN officials o ON o.unit_id = u.id WHERE u.path LIKE :prefix AND o.status = 'active' GROUP BY o.foreign_language"}}}}}
JSON
    taskset -c 0 "$VENV/bin/datasette" serve "$DATABASE_URL" --port $PEER_PORT -m "$WORK/datasette.json" \
        --setting sql_time_limit_ms 30000 > "$WORK/datasette.log" 2>&1 &
    DATASETTE=$!
    for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PEER_PORT/" > /dev/null && break; sleep 0.3; done
    PEER_URL="http://127.0.0.1:$PEER_PORT/cadre/ward_report.json?_shape=array&prefix=$(python3 -c 'import urllib.parse,sys; print(urllib.parse.quote(sys.argv[1] + "%"))' "$WARD_PATH")"
    python3 - "$B/reports/qualifications?unit_id=$WARD" "$PEER_URL" "$BENCH_TOKEN" <<'PY'
import json, sys, urllib.request
ours = json.load(urllib.request.urlopen(urllib.request.Request(sys.argv[1], headers={"Authorization": "Bearer " + sys.argv[3]})))
theirs = json.load(urllib.request.urlopen(sys.argv[2]))
mine = {(d, l["level"]): l["count"] for d, levels in ours["dimensions"].items() for l in levels if l["count"]}
peer = {(r["dimension"], r["level"]): r["n"] for r in theirs}
assert mine == peer, f"the two answers differ:\n{mine}\n{peer}"
print(f"the peer gives the same numbers ({ours['headcount']} officials)")
PY
    kill $SERVER; sleep 0.5
    measure "datasette: ward (peer)" "$PEER_URL" "" 1
fi

echo "== ratios"
printf "GET /officials/{id} / GET /health: %s (target >= 0.40)\n" "$(ratio "${RPS[GET /officials/{id}]}" "${RPS[GET /health (ceiling)]}")"
printf "officials: the province's last page (page %s, 20 a page) by cursor over page 1, p50: %s (target <= 2); by offset: %s\n" \
    "$(( (IN_PROVINCE + 19) / 20 ))" "$(ratio "${P50[officials: province, last page (cursor)]}" "${P50[officials: province, page 1]}")" \
    "$(ratio "${P50[officials: province, last page (offset)]}" "${P50[officials: province, page 1]}")"
printf "GET /officials/{id}, an admin's (logged) over an auditor's (nothing to log): %s\n" "$(ratio "${RPS[GET /officials/{id}]}" "${RPS[GET /officials/{id} (auditor)]}")"
for name in "qualifications: ward" "qualifications: province" "qualifications: country by province" "training 2025: ward" "training 2025: province" "compliance: ward" "compliance: province" "workforce: province by unit" "training results 2025: province"; do
    printf "%-36s p50 over the floor's p50: %s (target <= 1.5)\n" "$name" "$(ratio "${P50[$name]}" "${P50[floor:$name]}")"
done
if [ -n "${RPS[datasette: ward (peer)]:-}" ]; then
    printf "qualifications: ward, throughput over datasette's: %s (target >= 5)\n" "$(ratio "${RPS[qualifications: ward]}" "${RPS[datasette: ward (peer)]}")"
fi
printf "plan vs actual 2025: province p50 %s ms (target < 500); ward p95 %s ms (target < 10); proposal %s s (target < 30)\n" \
    "${P50[plan vs actual 2025: province]}" "${P95[plan vs actual 2025: ward]}" "$PROPOSAL"
echo "server peak resident memory: $(( $(cat "$PEAK") / 1024 )) MB (target < 150)"
