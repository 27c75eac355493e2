#!/usr/bin/env bash
# The soak of issue 12: `vnsearch serve` under wrk on loopback (64 connections, the real query
# mix, as fast as it answers) for WINDOWS × WINDOW seconds, with a `vnsearch index` of new
# articles at the start of every window, RSS sampled every 5 s. Prints per window requests/s,
# p50, p99, errors (socket errors + non-2xx) and RSS, then the totals; exits 1 on any error.
#
#   bench/soak.sh --db DIR [--windows 10] [--window 60] [--connections 64] [--threads N]
#                 [--queries FILE] [--port 18080] [--out DIR]
#
# DIR is an index made by `vnsearch index` (it gains WINDOWS × 200 synthetic articles, ids
# `soak-*`: use a copy). Queries: one per line; by default the dev queries of ../shared/eval.
# The 10-minute run is the default; `--windows 2 --window 10` is a 20-second smoke run.
set -euo pipefail
cd "$(dirname "$0")/.."

db="" windows=10 window=60 connections=64 threads="" port=18080 out=""
queries="" bin=${VNSEARCH:-build/vnsearch}
while [ $# -gt 0 ]; do
  case $1 in
    --db) db=$2; shift 2 ;;
    --windows) windows=$2; shift 2 ;;
    --window) window=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --queries) queries=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "soak: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -n "$db" ] || { echo "soak: --db DIR is required" >&2; exit 2; }
command -v wrk >/dev/null || { echo "soak: wrk is not installed (apt-get install wrk)" >&2; exit 2; }
out=${out:-$(mktemp -d /tmp/vnsearch-soak-XXXXXX)}
mkdir -p "$out"

# The query mix as a wrk script: each connection walks the list from its own starting point.
python3 - "$queries" "$out/queries.lua" <<'EOF'
import json, os, random, sys, urllib.parse
given, script = sys.argv[1], sys.argv[2]
queries = []
if given:
    queries = [l.strip() for l in open(given, encoding="utf-8") if l.strip()]
else:
    folder = os.path.join("..", "shared", "eval")
    for name in ("vinewsqa-dev.jsonl", "short-phrases-dev.jsonl", "titles-dev.jsonl"):
        path = os.path.join(folder, name)
        if os.path.exists(path):
            queries += [json.loads(l).get("query", "") for l in open(path, encoding="utf-8")]
    queries = [q for q in queries if q]
if not queries:
    sys.exit("soak: no queries (give --queries FILE, or put ../shared/eval in place)")
random.seed(12)
random.shuffle(queries)
with open(script, "w") as f:
    f.write("local paths = {\n")
    for q in queries:
        f.write('  "/api/search?q=%s",\n' % urllib.parse.quote(q))
    f.write("}\nlocal i = 0\n"
            "function init(args) i = math.random(#paths) end\n"
            "function request()\n  i = i % #paths + 1\n"
            "  return wrk.format(\"GET\", paths[i])\nend\n")
print(f"soak: {len(queries)} queries", file=sys.stderr)
EOF

serve_args=(serve --db "$db" --port "$port")
[ -n "$threads" ] && serve_args+=(--threads "$threads")
"$bin" "${serve_args[@]}" >"$out/serve.out" 2>"$out/serve.err" &
server=$!
sampler=""
cleanup() {
  [ -n "$sampler" ] && kill "$sampler" 2>/dev/null || true
  kill -TERM "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 100); do
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done

# RSS every 5 s: seconds since start, kB.
(
  start=$(date +%s)
  while kill -0 "$server" 2>/dev/null; do
    echo "$(($(date +%s) - start)) $(awk '/^VmRSS/ {print $2}' "/proc/$server/status")"
    sleep 5
  done
) >"$out/rss.log" &
sampler=$!

ms() {  # wrk's latency ("12.34ms", "1.20s", "850.00us") in milliseconds
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n;
                         else if (v ~ /s$/) n *= 1000; printf "%.1f", n }'
}

printf "%-7s %10s %9s %9s %7s %9s %s\n" window "req/s" "p50 ms" "p99 ms" errors "RSS MiB" "index run"
total_errors=0
for w in $(seq "$windows"); do
  # New articles at the start of every window, committed while wrk runs.
  python3 -c "
import json, sys
for i in range(200):
    print(json.dumps({'id': f'soak-$w-{i}', 'title': f'Tin mới số {i} của đợt $w',
                      'body': 'Người dân thành phố Hà Nội cho biết giá xăng hôm nay tăng. ' * 5,
                      'date': '2026-12-01', 'source': 'Soak', 'category': 'Thời sự'},
                     ensure_ascii=False))" >"$out/new-$w.jsonl"
  ( sleep 2; "$bin" index --db "$db" --wait "$out/new-$w.jsonl" >"$out/index-$w.out" 2>&1
    echo $? >"$out/index-$w.rc" ) &
  indexer=$!
  wrk --latency --timeout 10s -t2 -c"$connections" -d"${window}s" -s "$out/queries.lua" \
    "http://127.0.0.1:$port/" >"$out/wrk-$w.txt" 2>&1
  wait "$indexer"
  rate=$(awk '/^Requests\/sec/ {print $2}' "$out/wrk-$w.txt")
  p50=$(ms "$(awk '$1 == "50%" {print $2}' "$out/wrk-$w.txt")")
  p99=$(ms "$(awk '$1 == "99%" {print $2}' "$out/wrk-$w.txt")")
  socket=$(awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}' "$out/wrk-$w.txt")
  non2xx=$(awk '/Non-2xx/ {print $5}' "$out/wrk-$w.txt")
  errors=$((${socket:-0} + ${non2xx:-0}))
  total_errors=$((total_errors + errors))
  rss=$(awk -v t="$((w * window))" '$1 <= t {r = $2} END {printf "%.0f", r / 1024}' "$out/rss.log")
  printf "%-7s %10s %9s %9s %7s %9s %s\n" "$w" "$rate" "$p50" "$p99" "$errors" "$rss" \
    "exit $(cat "$out/index-$w.rc")"
done
awk '{ if (min == "" || $2 < min) min = $2; if ($2 > max) max = $2 }
     END { printf "RSS over the run: %.0f to %.0f MiB (%d samples)\n", min / 1024, max / 1024, NR }' \
  "$out/rss.log"
# How long searches queued for a slot (first come, first served: no request should wait much
# longer than the queue ahead of it takes to drain).
curl -fs "http://127.0.0.1:$port/metrics" | grep '^vnsearch_search_queue_wait_seconds' \
  >"$out/queue-wait.txt" || true
awk '/_count/ { n = $2 } /le="1"/ { le1 = $2 } /le="5"/ { le5 = $2 }
     END { printf "queued for a search slot: %d searches, over 1 s: %d, over 5 s: %d\n",
           n, n - le1, n - le5 }' "$out/queue-wait.txt"
echo "errors: $total_errors; documents now: $(curl -fs "http://127.0.0.1:$port/healthz")"
echo "logs in $out"
[ "$total_errors" -eq 0 ]
