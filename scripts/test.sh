#!/usr/bin/env bash
# The test command: installs what is missing, builds vnsearch twice and runs the whole ctest
# suite on both, then runs each libFuzzer target for 30 s (scripts/fuzz.sh):
#  - build/: the optimised build (gcc), as the README's run command builds it (line tables only);
#  - build-sanitize/: clang with AddressSanitizer + UndefinedBehaviorSanitizer and libFuzzer's
#    coverage instrumentation, which serves both the sanitized tests and the fuzz targets, so the
#    libraries compile twice rather than three times (the CI machine has two cores).
# Tests that need ../shared skip with a visible message when it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
jobs=$(nproc)

# Each phase's wall time, printed as it ends, so a slow CI run says where its time went.
phase_started=$SECONDS
phase_done() {
  echo "test.sh: $1 took $((SECONDS - phase_started)) s" >&2
  phase_started=$SECONDS
}

# Optimised as the README's build (-O2, assertions off) but with line tables only (-g1) rather than
# full debug info, which took about a quarter of the compile time of a library file
# (bench/README.md, "CI time"); stack traces still name files and lines.
# The libraries and the CLI compile as unity sources (CMakeLists.txt, VNSEARCH_UNITY_BUILD).
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVNSEARCH_UNITY_BUILD=ON \
  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG" >/dev/null
cmake --build build -j"$jobs"
phase_done "the optimised build"
(cd build && ctest --output-on-failure --parallel "$jobs")
phase_done "the optimised ctest"

if [ "${VNSEARCH_SKIP_SANITIZE:-0}" != 1 ]; then
  # An older build-sanitize/ made with gcc cannot switch compilers in place.
  if [ -f build-sanitize/CMakeCache.txt ] &&
    ! grep -qs '^CMAKE_CXX_COMPILER:.*clang' build-sanitize/CMakeCache.txt; then
    rm -rf build-sanitize
  fi
  # -O1 with line tables: what sanitizers and fuzzers recommend, and far quicker to compile than
  # -O2 -g; assertions stay on.
  CXX=clang++-14 CC=clang-14 cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -gline-tables-only" \
    -DVNSEARCH_SANITIZE=ON -DVNSEARCH_FUZZ=ON -DVNSEARCH_BUILD_BENCH=OFF \
    -DVNSEARCH_UNITY_BUILD=ON >/dev/null
  cmake --build build-sanitize -j"$jobs"
  phase_done "the sanitizer build"
  (cd build-sanitize && ctest --output-on-failure --parallel "$jobs")
  phase_done "the sanitized ctest"
fi

# libFuzzer targets (fuzz/) for a fixed budget each, under ASan+UBSan; any finding fails the run.
# 30 s each here (VNSEARCH_FUZZ_SECONDS; scripts/fuzz.sh alone defaults to 60): at 60 s the five
# targets took 300 of the run's ~2,500 CPU seconds (bench/README.md, "CI time"); long runs are for
# scripts/fuzz.sh by hand.
if [ "${VNSEARCH_SKIP_FUZZ:-0}" != 1 ]; then
  if [ "${VNSEARCH_SKIP_SANITIZE:-0}" != 1 ]; then export VNSEARCH_FUZZ_BUILD_DIR=build-sanitize; fi
  scripts/fuzz.sh "${VNSEARCH_FUZZ_SECONDS:-30}"
  phase_done "fuzzing"
fi
