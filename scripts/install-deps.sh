#!/usr/bin/env bash
# Installs the Debian packages vnsearch builds with, skipping those already present.
# Run as root (or with sudo) on Debian 12. prometheus (for `promtool check metrics`), chromium
# (the headless browser test), wrk (bench/) and xapian-tools (xapian-tcpsrv and xapian-replicate
# for the shard and replica tests) and iproute2 (`ss`, to read the server's listen backlog) are
# only used by tests and benchmarks.
set -euo pipefail

packages=(
  build-essential cmake pkg-config clang-format
  libicu-dev libboost-locale-dev libxapian-dev xapian-tools
  libcpp-httplib-dev nlohmann-json3-dev libcli11-dev catch2
  libzstd-dev zlib1g-dev libgumbo-dev libuchardet-dev
  libsqlite3-dev libbenchmark-dev
  python3
  prometheus chromium wrk iproute2
  clang-14 libfuzzer-14-dev
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: need root to install packages (try: sudo $0)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
