#!/usr/bin/env bash
# The test command: installs what is missing, builds vnsearch twice (optimised, and with
# AddressSanitizer + UndefinedBehaviorSanitizer) and runs the whole ctest suite on both, then
# runs each libFuzzer target for a minute (scripts/fuzz.sh).
# Tests that need ../shared skip with a visible message when it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
jobs=$(nproc)

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs"
(cd build && ctest --output-on-failure --parallel "$jobs")

if [ "${VNSEARCH_SKIP_SANITIZE:-0}" != 1 ]; then
  cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=Debug -DVNSEARCH_SANITIZE=ON \
    -DVNSEARCH_BUILD_BENCH=OFF >/dev/null
  cmake --build build-sanitize -j"$jobs"
  (cd build-sanitize && ctest --output-on-failure --parallel "$jobs")
fi

# libFuzzer targets (fuzz/) for a fixed budget each, under ASan+UBSan; any finding fails the run.
if [ "${VNSEARCH_SKIP_FUZZ:-0}" != 1 ]; then
  scripts/fuzz.sh "${VNSEARCH_FUZZ_SECONDS:-60}"
fi
