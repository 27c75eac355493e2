#!/bin/sh
# How indexing and query costs grow with the archive: builds archives of 1x, 2x, 4x, 8x the
# shared corpus (the original inputs plus varied copies, see growth_copies.py) and prints one
# table row per size: indexing time and docs/s, index size (live and compacted), peak RSS of
# the indexer, query p50/p99 typed and unaccented (vinewsqa-dev questions, one process, one
# thread), and the peak RSS of the searcher after the queries.
#
# Usage: bench/growth.sh [BUILD_DIR] [WORK_DIR] [SIZES] [QUERIES]
#   defaults: build /tmp/vnsearch-growth-$USER "1 2 4 8" 1000
# Needs the `vnsearch` target built, zstdcat, python3, GNU time (/usr/bin/time) and ../shared.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
work=${2:-/tmp/vnsearch-growth-${USER:-bench}}
sizes=${3:-1 2 4 8}
queries=${4:-1000}
shared=${VNSEARCH_SHARED:-$here/../../shared}
vnsearch=$build/vnsearch
[ -x "$vnsearch" ] || vnsearch=$build/cli/vnsearch
if [ ! -d "$shared/corpus" ]; then
  echo "growth.sh: skipped: no shared corpus at $shared/corpus" >&2
  exit 0
fi
[ -x "$vnsearch" ] || { echo "growth.sh: no vnsearch binary in $build (build the vnsearch target)" >&2; exit 2; }
mkdir -p "$work"

# The queries: the first $queries vinewsqa-dev questions, typed and without diacritics.
python3 - "$shared/eval/vinewsqa-dev.jsonl" "$queries" "$work" <<'PY'
import json, sys, unicodedata
path, count, work = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def unaccent(text):
    text = unicodedata.normalize("NFD", text).replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFC", "".join(c for c in text if unicodedata.category(c) != "Mn"))
rows = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()][:count]
with open(f"{work}/queries.typed.jsonl", "w", encoding="utf-8") as typed, \
     open(f"{work}/queries.unaccented.jsonl", "w", encoding="utf-8") as plain:
    for row in rows:
        typed.write(json.dumps({"qid": row["qid"], "query": row["query"]}, ensure_ascii=False) + "\n")
        plain.write(json.dumps({"qid": row["qid"], "query": unaccent(row["query"])}, ensure_ascii=False) + "\n")
PY

max_size=1
for n in $sizes; do [ "$n" -gt "$max_size" ] && max_size=$n; done
if [ ! -f "$work/copies/copy-$((max_size - 1)).jsonl" ] && [ "$max_size" -gt 1 ]; then
  echo "writing copies 1..$((max_size - 1))..." >&2
  python3 "$here/growth_copies.py" "$shared" "$max_size" "$work/copies"
fi

# Peak RSS (KiB) and CPU seconds (user + system) from a GNU time -v log. On a loaded machine
# the CPU seconds say more than the wall time.
peak_kib() { sed -n 's/.*Maximum resident set size (kbytes): //p' "$1"; }
cpu_seconds() {
  awk -F': ' '/User time|System time/ {s += $2} END {printf "%.0f", s}' "$1"
}
# p50 and p99 of took_ms over a batch output.
percentiles() {
  python3 -c '
import json, sys
t = sorted(json.loads(l)["took_ms"] for l in open(sys.argv[1]) if l.strip())
pick = lambda q: t[min(len(t) - 1, int(q * len(t)))]
print("%.1f %.1f" % (pick(0.50), pick(0.99)))' "$1"
}

printf '| size | documents | index s | docs/s | indexer CPU s | live MiB | compact MiB | indexer peak RSS MiB | p50/p99 ms typed | p50/p99 ms unaccented | searcher RSS MiB after %s queries |\n' "$queries"
printf '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n'
for n in $sizes; do
  inputs="$shared/corpus/baomoi-2017.jsonl.zst $shared/corpus/newsmds.jsonl $shared/corpus/vinewsqa-articles.jsonl $shared/corpus/portal"
  k=1
  while [ "$k" -lt "$n" ]; do inputs="$inputs $work/copies/copy-$k.jsonl"; k=$((k + 1)); done
  db=$work/db-$n
  # The database is a symlink to its current generation directory (indexer/src/database_location.cpp).
  rm -rf "$db" "$db".gen-* "$db.lock" "$db-compact"
  start=$(date +%s.%N)
  # shellcheck disable=SC2086
  /usr/bin/time -v -o "$work/index-$n.time" "$vnsearch" index --db "$db" --fresh $inputs \
    > "$work/index-$n.log" 2>&1
  end=$(date +%s.%N)
  docs=$(python3 -c 'import re,sys; m=re.findall(r"(\d+) documents in the index", open(sys.argv[1]).read()); print(m[-1].replace(",","") if m else "?")' "$work/index-$n.log")
  live=$(du -smL "$db" | cut -f1)
  # The Xapian tables of the live generation, compacted (as index_bench compacts); vnsearch's
  # own files beside them (syllable model, completions) are counted as they are.
  tables=$(readlink -f "$db")
  xapian-compact "$tables" "$db-compact" > /dev/null
  extra=$(find "$tables" -maxdepth 1 -name 'vnsearch-*' -printf '%s\n' | awk '{s += $1} END {print s + 0}')
  compact=$(( ($(du -sb "$db-compact" | cut -f1) + extra) / 1048576 ))
  for form in typed unaccented; do
    /usr/bin/time -v -o "$work/search-$n-$form.time" "$vnsearch" search --db "$db" \
      --batch "$work/queries.$form.jsonl" > "$work/search-$n-$form.jsonl" 2> "$work/search-$n-$form.log"
  done
  python3 -c 'import sys; s, e, d = float(sys.argv[1]), float(sys.argv[2]), sys.argv[3]; t = e - s
print("| %sx | %s | %.0f | %.0f |" % (sys.argv[4], d, t, (int(d) / t) if d.isdigit() else 0), end="")' \
    "$start" "$end" "$docs" "$n"
  printf ' %s | %s | %s | %s | %s | %s | %s |\n' "$(cpu_seconds "$work/index-$n.time")" \
    "$live" "$compact" \
    "$(( $(peak_kib "$work/index-$n.time") / 1024 ))" \
    "$(percentiles "$work/search-$n-typed.jsonl" | tr ' ' /)" \
    "$(percentiles "$work/search-$n-unaccented.jsonl" | tr ' ' /)" \
    "$(( $(peak_kib "$work/search-$n-typed.time") / 1024 ))"
done
echo "load: $(uptime)"
