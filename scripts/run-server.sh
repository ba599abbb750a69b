#!/usr/bin/env bash
# Runs kawal-server on its embedded default (RocksDB in a local folder,
# Kabupaten Gunung Mas seeded) and the officers' dashboard kawal-web in
# front of it, and prints the dashboard's address and how to log in.
# Usage: run-server.sh BUILD_DIR DATA_DIR LISTEN [WEB_LISTEN]
# Ctrl-C stops both.
set -euo pipefail
build_dir=${1:-build}
data_dir=${2:-data}
listen=${3:-127.0.0.1:7443}
web_listen=${4:-127.0.0.1:8080}
for bin in server/kawal-server tools/kawal-web; do
  if [[ ! -x "$build_dir/$bin" ]]; then
    echo "run-server: $build_dir/$bin is missing; run make build" >&2
    exit 1
  fi
done
"$build_dir/server/kawal-server" --data_dir="$data_dir" --listen="$listen" --seed_region=62.10 &
server_pid=$!
web_pid=""
stop() {
  [[ -n "$web_pid" ]] && kill "$web_pid" 2>/dev/null || true
  kill "$server_pid" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop EXIT INT TERM
# The server writes admin.token and admin.password on its first start;
# wait (bounded) until it answers.
for _ in $(seq 1 100); do
  if "$build_dir/tools/kawal-admin" --server="$listen" health >/dev/null 2>&1; then break; fi
  if ! kill -0 "$server_pid" 2>/dev/null; then wait "$server_pid"; exit 1; fi
  sleep 0.1
done
"$build_dir/tools/kawal-web" --listen="$web_listen" --server="$listen" &
web_pid=$!
cat <<INFO

  Dashboard (kawal-web):  http://$web_listen/
  Log in as:              admin
  Password:               in $data_dir/admin.password (written at first start, mode 0600;
                          change it with: $build_dir/tools/kawal-admin user passwd admin)
  Officers:               $build_dir/tools/kawal-admin user add --name=NAME \\
                            --role=district_officer --scopes=62.10 --password_stdin

INFO
wait "$server_pid"
