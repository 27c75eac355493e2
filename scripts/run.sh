#!/usr/bin/env bash
# The main job: installs what is missing, builds vnsearch, indexes the bundled corpus/ into
# ./idx and starts the search server on it, printing the URL to open in a browser. Queries can
# be typed with or without diacritics. Ctrl-C stops the server. VNSEARCH_PORT (default 8080) and
# VNSEARCH_HOST (default 127.0.0.1) choose where it listens.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
# Unity sources: a one-shot build compiles in about a third of the CPU time (CMakeLists.txt).
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVNSEARCH_UNITY_BUILD=ON >/dev/null
cmake --build build -j"$(nproc)" --target vnsearch

build/vnsearch index --db idx corpus/
build/vnsearch stats --db idx | sed -n 1,4p || true

host=${VNSEARCH_HOST:-127.0.0.1}
port=${VNSEARCH_PORT:-8080}
echo
echo "Open http://$host:$port/ and try: cum thi dua so 8   (API: http://$host:$port/api/search?q=thi+dua)"
echo "Ctrl-C stops the server."
exec build/vnsearch serve --db idx --host "$host" --port "$port"
