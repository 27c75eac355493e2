#!/usr/bin/env bash
# Sharded search on loopback (docs/scaling.md, figures in bench/README.md):
#   1. equality: the corpus in one database and in 3 shards served by 3 xapian-tcpsrv; every
#      dev query (typed and unaccented) must give the same top 10 (ids, order, scores within
#      rounding; equal scores may swap);
#   2. latency: the same corpus in 1, 2, 4 and 8 shards behind xapian-tcpsrv, and one shard of 8
#      alone (per-shard latency), timed per query by `vnsearch search --batch` (took_ms).
#
# usage: bench/shards.sh [--every K] [--queries N] [--shards "1 2 4 8"] BUILD_DIR WORK_DIR
#   --every K    index every K-th article of each shared corpus file (default 1: all 37,279)
#   --queries N  dev queries per dev set (default 0: all)
# Needs ../shared (or $VNSEARCH_SHARED), xapian-tcpsrv (xapian-tools) and python3.
set -euo pipefail

every=1
queries=0
shard_counts="1 2 4 8"
while [ $# -gt 2 ]; do
  case "$1" in
    --every) every="$2"; shift 2 ;;
    --queries) queries="$2"; shift 2 ;;
    --shards) shard_counts="$2"; shift 2 ;;
    *) echo "shards.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ $# -eq 2 ] || { echo "usage: bench/shards.sh [--every K] [--queries N] [--shards LIST] BUILD_DIR WORK_DIR" >&2; exit 2; }
build="$(cd "$1" && pwd)"
work="$2"
here="$(cd "$(dirname "$0")" && pwd)"
shared="${VNSEARCH_SHARED:-$here/../../shared}"
vnsearch="$build/vnsearch"
[ -d "$shared/corpus" ] || { echo "shards.sh: no shared data at $shared" >&2; exit 1; }
command -v xapian-tcpsrv >/dev/null || { echo "shards.sh: xapian-tcpsrv missing (apt-get install xapian-tools)" >&2; exit 1; }
mkdir -p "$work"
work="$(cd "$work" && pwd)"

pids=()
stop_servers() {
  # By PID only, with a bounded wait.
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  pids=()
}
trap stop_servers EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# Starts one xapian-tcpsrv per shard of $1 and sets shard_args to the --db arguments (not in a
# subshell: the PIDs must reach stop_servers).
serve_shards() {
  local root="$1" count="$2"
  shard_args=()
  for ((i = 0; i < count; i++)); do
    local port
    port="$(free_port)"
    # Its own session: xapian-tcpsrv signals its whole process group when it stops.
    setsid xapian-tcpsrv --interface 127.0.0.1 --port "$port" "$root/shard-$i" >>"$work/tcpsrv.log" 2>&1 &
    pids+=("$!")
    for _ in $(seq 100); do
      python3 -c "import socket,sys; socket.create_connection(('127.0.0.1',$port),0.2)" 2>/dev/null && break
      sleep 0.1
    done
    shard_args+=(--db "127.0.0.1:$port")
  done
}

echo "== sample (every $every-th article) and dev queries"
python3 - "$shared" "$every" "$queries" "$work" <<'PY'
import json, sys, unicodedata
shared, every, per_set, work = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
import subprocess
ids = set()
with open(f"{work}/sample.jsonl", "w") as out:
    for name in ["baomoi-2017.jsonl.zst", "vinewsqa-articles.jsonl", "newsmds.jsonl"]:
        path = f"{shared}/corpus/{name}"
        if name.endswith(".zst"):
            lines = subprocess.run(["zstd", "-dc", path], capture_output=True, check=True).stdout.decode("utf-8", "replace").splitlines()
        else:
            lines = open(path, encoding="utf-8", errors="replace").read().splitlines()
        for number, line in enumerate(lines):
            if number % every: continue
            try: doc = json.loads(line)
            except ValueError: continue
            if isinstance(doc, dict) and isinstance(doc.get("id"), str):
                ids.add(doc["id"]); out.write(line + "\n")
def fold(text):
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
n = 0
with open(f"{work}/queries.jsonl", "w") as out:
    for name in ["titles-dev.jsonl", "vinewsqa-dev.jsonl", "short-phrases-dev.jsonl"]:
        taken = 0
        for line in open(f"{shared}/eval/{name}", encoding="utf-8"):
            q = json.loads(line)
            if not any(r in ids for r in q.get("relevant", [])): continue
            out.write(json.dumps({"qid": q["qid"], "query": q["query"]}, ensure_ascii=False) + "\n")
            out.write(json.dumps({"qid": q["qid"] + "/unaccented", "query": fold(q["query"])}, ensure_ascii=False) + "\n")
            n += 2; taken += 1
            if per_set and taken >= per_set: break
print(f"{len(ids)} articles, {n} searches (typed and unaccented)")
PY

index() {
  local start end
  start=$(date +%s.%N)
  nice -n 10 "$vnsearch" index "$@" "$work/sample.jsonl" 2>>"$work/index.log" >/dev/null || true
  end=$(date +%s.%N)
  echo "$(python3 -c "print(round($end-$start,1))")"
}

[ -d "$work/single" ] || echo "indexed one database in $(index --db "$work/single") s"
echo "single database: $(du -sLm "$work/single" | cut -f1) MiB"

summarize() {  # name file
  python3 - "$1" "$2" <<'PY'
import json, sys
took = sorted(json.loads(l)["took_ms"] for l in open(sys.argv[2]) if '"took_ms"' in l)
n = len(took)
print(f"{sys.argv[1]:<28} {n:>5} queries  mean {sum(took)/n:7.1f} ms  p50 {took[n//2]:7.1f}  p95 {took[int(n*0.95)]:7.1f}  max {took[-1]:7.1f}")
PY
}

echo "== equality: 3 remote shards against one database"
[ -d "$work/shards-3" ] || echo "indexed 3 shards in $(index --db "$work/shards-3" --shards 3) s"
"$vnsearch" search --db "$work/single" --batch "$work/queries.jsonl" >"$work/single.out"
serve_shards "$work/shards-3" 3
"$vnsearch" search "${shard_args[@]}" --batch "$work/queries.jsonl" >"$work/shards-3.out"
stop_servers
python3 - "$work/single.out" "$work/shards-3.out" <<'PY'
import json, sys
a = [json.loads(l) for l in open(sys.argv[1])]
b = [json.loads(l) for l in open(sys.argv[2])]
assert len(a) == len(b)
def tied(x, y): return abs(x - y) <= 1e-9 * max(1.0, x)
same = swapped = differ = 0
for x, y in zip(a, b):
    ha, hb = x.get("hits", []), y.get("hits", [])
    ok = len(ha) == len(hb) and x.get("readings") == y.get("readings") and not y.get("unavailable_shards")
    ties = False
    for i in range(min(len(ha), len(hb))):
        if abs(ha[i]["score"] - hb[i]["score"]) > 1e-6 * max(1.0, ha[i]["score"]): ok = False
        if ha[i]["id"] != hb[i]["id"]:
            group = [j for j in range(len(ha)) if tied(ha[j]["score"], ha[i]["score"])]
            if len(group) < 2: ok = False
            elif group[-1] + 1 < len(ha) and sorted(ha[j]["id"] for j in group) != sorted(hb[j]["id"] for j in group): ok = False
            else: ties = True
    if not ok:
        differ += 1
        print("DIFFERENT:", x["qid"], [h["id"] for h in ha][:5], [h["id"] for h in hb][:5])
    elif ties: swapped += 1
    else: same += 1
print(f"equality: {same} identical, {swapped} identical up to equal scores swapped, {differ} different, of {len(a)} searches")
sys.exit(1 if differ else 0)
PY

echo "== latency on loopback (took_ms per query of vnsearch search --batch)"
summarize "1 local database" "$work/single.out"
for n in $shard_counts; do
  [ -d "$work/shards-$n" ] || echo "indexed $n shards in $(index --db "$work/shards-$n" --shards "$n") s"
  serve_shards "$work/shards-$n" "$n"
  "$vnsearch" search "${shard_args[@]}" --batch "$work/queries.jsonl" >"$work/remote-$n.out"
  summarize "$n remote shard(s)" "$work/remote-$n.out"
  if [ "$n" -gt 1 ]; then
    "$vnsearch" search "${shard_args[@]:0:2}" --batch "$work/queries.jsonl" >"$work/one-of-$n.out"
    summarize "1 of $n shards, alone" "$work/one-of-$n.out"
  fi
  stop_servers
  echo "   shard sizes: $(for ((i = 0; i < n; i++)); do du -sLm "$work/shards-$n/shard-$i" | cut -f1; done | tr '\n' ' ')MiB"
done
