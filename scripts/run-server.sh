#!/usr/bin/env bash
# Runs kawal-server on its embedded default: RocksDB in a local folder,
# Kabupaten Gunung Mas seeded. Usage: run-server.sh BUILD_DIR DATA_DIR LISTEN
set -euo pipefail
build_dir=${1:-build}
data_dir=${2:-data}
listen=${3:-127.0.0.1:7443}
if [[ ! -x "$build_dir/server/kawal-server" ]]; then
  echo "run-server: $build_dir/server/kawal-server is missing; run make build" >&2
  exit 1
fi
exec "$build_dir/server/kawal-server" --data_dir="$data_dir" --listen="$listen" --seed_region=62.10
