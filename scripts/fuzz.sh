#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/) with clang under ASan+UBSan and runs each for a budget:
#   scripts/fuzz.sh [SECONDS_PER_TARGET]     (default 60)
# The build goes to build-fuzz/, or to VNSEARCH_FUZZ_BUILD_DIR when set (scripts/test.sh points it
# at its clang sanitizer build, configured with VNSEARCH_FUZZ=ON, so the libraries compile once).
# Seeds come from corpus/ and ../shared (scripts/fuzz_seeds.py) plus fuzz/regressions/. The
# corpus each target grows is kept in <build>/corpus/ between runs. A crash leaves its
# reproducer in <build>/crashes/ and fails the run: copy it into fuzz/regressions/<target>/
# so the regular test suite replays it from then on.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
build=${VNSEARCH_FUZZ_BUILD_DIR:-build-fuzz}

scripts/install-deps.sh
if ! grep -qs '^VNSEARCH_FUZZ:BOOL=ON' "$build/CMakeCache.txt"; then
  CXX=clang++-14 CC=clang-14 cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DVNSEARCH_FUZZ=ON -DVNSEARCH_BUILD_TESTS=OFF -DVNSEARCH_BUILD_BENCH=OFF >/dev/null
fi
targets=(analyzer dates readers search http_request)
cmake --build "$build" -j"$(nproc)" --target "${targets[@]/#/fuzz_}"

rm -rf "$build/seeds" "$build/crashes"
mkdir -p "$build/crashes"
python3 scripts/fuzz_seeds.py "$build/seeds"

run_target() {
  local name=$1
  mkdir -p "$build/corpus/$name" "$build/seeds/$name"
  # -max_len: short inputs explore faster (an article body costs milliseconds instrumented);
  # -rss_limit_mb: the search target holds an index; -timeout: 10 s for one input at most.
  "$build/fuzz/fuzz_$name" -max_total_time="$seconds" -max_len=2048 -timeout=10 \
    -rss_limit_mb=3072 \
    -print_final_stats=1 -artifact_prefix="$build/crashes/$name-" \
    "$build/corpus/$name" "$build/seeds/$name" "fuzz/regressions/$name" \
    >"$build/$name.log" 2>&1
}

# Two at a time: the machines have two cores.
status=0
for ((i = 0; i < ${#targets[@]}; i += 2)); do
  pids=()
  for name in "${targets[@]:i:2}"; do
    run_target "$name" &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || status=1; done
done

for name in "${targets[@]}"; do
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$build/$name.log" | grep -o '[0-9]*$' || echo "?")
  cov=$(grep -o 'cov: [0-9]*' "$build/$name.log" | tail -1 | grep -o '[0-9]*' || echo "?")
  echo "fuzz $name: ${execs} executions in ${seconds}s, ${cov} coverage edges"
done
if [ -n "$(ls -A "$build/crashes")" ] || [ $status -ne 0 ]; then
  echo "fuzz: FOUND PROBLEMS — reproducers in $build/crashes/:" >&2
  ls "$build/crashes" >&2
  for name in "${targets[@]}"; do grep -A30 -m1 "ERROR\|==ERROR\|deadly signal" "$build/$name.log" >&2 || true; done
  exit 1
fi
echo "fuzz: no findings"
