#!/usr/bin/env bash
# The main job: installs what is missing, builds vnsearch, indexes the bundled corpus/ into
# ./idx and opens a search prompt on it (the HTTP server is not built yet; until it is, the
# command line is the way in). Queries can be typed with or without diacritics.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" --target vnsearch

build/vnsearch index --db idx corpus/
build/vnsearch stats --db idx | sed -n 1,4p || true

if [ -t 0 ]; then
  echo
  echo "Search the bundled corpus (empty line or Ctrl-D to quit). Try: cum thi dua so 8"
  while IFS= read -r -p "vnsearch> " query && [ -n "$query" ]; do
    build/vnsearch search --db idx --limit 5 "$query" || true
  done
else
  # Not on a terminal: show what a search looks like and exit.
  for query in "Cụm thi đua số 8" "cum thi dua so 8" '"thi đua" source:VnExpress'; do
    echo
    echo "\$ vnsearch search --db idx --limit 3 '$query'"
    build/vnsearch search --db idx --limit 3 "$query"
  done
fi
