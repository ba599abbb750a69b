#!/usr/bin/env bash
# container_test.sh BUILD_DIR: builds and runs the container image for real, and
# installs the .deb into a clean Debian 12 container, with podman.
#   1. base image: `debootstrap --variant=minbase bookworm` from this machine's
#      Debian mirror, imported as localhost/debian:12 (also tagged debian:12-slim,
#      which the Dockerfile's runtime stage uses); no registry is needed. The
#      rootfs tarball is cached in BUILD_DIR/container-cache/, so a second run
#      skips debootstrap; an image already imported from it is reused, which
#      keeps podman's layer cache valid.
#   2. `podman build` of deploy/container/Dockerfile (it compiles the project and
#      makes the .deb inside; 11-17 minutes measured on 2 cores).
#   3. the image runs with a named data volume until its HEALTHCHECK passes; a
#      user is added with kawal-admin (admin.token read from the volume), the
#      host's kawal-field creates an activity and syncs it to the published
#      port, and kawal-admin stats must count it. The container is then replaced
#      by a new one on the same volume, which must still hold the activity.
#   4. the .deb made by CPack from BUILD_DIR is copied into a clean debian:12
#      container, installed with apt, and kawal-server is started by hand as an
#      administrator would (--seed_region=62.10, no --regions_file): it must
#      seed Kabupaten Gunung Mas from the packaged regions file.
# Not part of `make test` (CTest label "container"); packages:
# `scripts/install-deps.sh --container`. KAWAL_SKIP_CONTAINER_TESTS=1 skips.
# KAWAL_CONTAINER_JOBS sets the compile jobs inside the build (default 2).
set -euo pipefail

build_dir=${1:?usage: container_test.sh BUILD_DIR}
build_dir=$(cd "$build_dir" && pwd)
src_dir=$(cd "$(dirname "$0")/../.." && pwd)
fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "--- [$(date -u +%H:%M:%S)] $*"; }
started=$SECONDS

if [[ "${KAWAL_SKIP_CONTAINER_TESTS:-}" == 1 ]]; then
  echo "SKIPPED: KAWAL_SKIP_CONTAINER_TESTS=1 (the image is neither built nor run)"
  exit 77
fi
missing=()
for tool in podman debootstrap runc; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
((${#missing[@]} == 0)) || fail "${missing[*]} not found: install the Debian packages podman, debootstrap, runc (scripts/install-deps.sh --container), or set KAWAL_SKIP_CONTAINER_TESTS=1"
((EUID == 0)) || fail "run as root: debootstrap and podman's bridge network with published ports need it"
for tool in cpack dpkg-deb file; do
  command -v "$tool" >/dev/null || fail "$tool not found (Debian packages: cmake, dpkg, file; see scripts/install-deps.sh)"
done
field="$build_dir/mobile-core/kawal-field"
admin="$build_dir/tools/kawal-admin"
for bin in "$field" "$admin" "$build_dir/server/kawal-server"; do
  [[ -x "$bin" ]] || fail "$bin is not built"
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kawal-container-test.XXXXXX")
cache="$build_dir/container-cache"
run_id="kawal-ct-$$"
image=localhost/kawal-desa:container-test
volume="$run_id-data"
containers=()
cleanup() {
  local c
  for c in "${containers[@]}"; do podman rm -f -v "$c" >/dev/null 2>&1 || true; done
  podman volume rm -f "$volume" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT

# Podman settings for this run only (CONTAINERS_CONF replaces the machine's
# containers.conf), each needed on sandboxed build machines and harmless elsewhere:
# - runtime runc: crun 1.8 (Debian 12) refuses hosts with cgroup v1 controllers
#   plus a cgroup v2 mount holding a controller ("hybrid mode not supported").
# - default_ulimits: podman asks for nofile/nproc 1048576 by default for root,
#   which fails ("setrlimit ... Operation not permitted") where root lacks
#   CAP_SYS_RESOURCE; the host's own hard limit (capped) always works.
# - events_logger file, cgroup_manager cgroupfs: no systemd/journald needed.
nofile=$(ulimit -Hn)
[[ "$nofile" == unlimited || "$nofile" -gt 65536 ]] && nofile=65536
cat >"$tmp/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=16384:16384"]
[engine]
runtime = "runc"
events_logger = "file"
cgroup_manager = "cgroupfs"
EOF
export CONTAINERS_CONF="$tmp/containers.conf"

# --- 1. base image --------------------------------------------------------
# The first deb mirror this machine's apt uses (deb822 .sources or one-line lists).
apt_mirror() {
  local f
  for f in /etc/apt/sources.list.d/*.sources /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f "$f" ]] || continue
    if [[ "$f" == *.sources ]]; then
      awk '/^URIs:/ && !/security/ {print $2; exit}' "$f"
    else
      awk '$1 == "deb" && !/security/ {for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) {print $i; exit}}' "$f"
    fi
  done | head -n 1
}
base_label=org.kawal-desa.base=debootstrap-bookworm-minbase
rootfs_tar="$cache/debian-bookworm-minbase.tar"
step "base image localhost/debian:12"
mkdir -p "$cache"
if [[ ! -s "$rootfs_tar" ]]; then
  mirror=$(apt_mirror)
  [[ -n "$mirror" ]] || fail "no Debian mirror found in /etc/apt/sources.list*"
  echo "debootstrap --variant=minbase bookworm from $mirror"
  if ! debootstrap --variant=minbase bookworm "$tmp/rootfs" "$mirror" >"$tmp/debootstrap.log" 2>&1; then
    tail -n 30 "$tmp/debootstrap.log" >&2
    fail "debootstrap failed"
  fi
  tar -C "$tmp/rootfs" -c . >"$rootfs_tar.part"
  mv "$rootfs_tar.part" "$rootfs_tar"
  rm -rf "$tmp/rootfs"
else
  echo "cached rootfs: $rootfs_tar"
fi
if [[ "$(podman image inspect --format '{{index .Labels "org.kawal-desa.base"}}' localhost/debian:12 2>/dev/null)" \
      == "${base_label#*=}" ]]; then
  echo "reusing localhost/debian:12 imported from the cached rootfs"
else
  podman import --change "LABEL $base_label" --change 'CMD ["/bin/bash"]' \
    "$rootfs_tar" localhost/debian:12 >/dev/null
  echo "imported localhost/debian:12"
fi
podman tag localhost/debian:12 localhost/debian:12-slim

# --- 2. image build -------------------------------------------------------
# --format docker: the OCI format has no HEALTHCHECK, podman would drop it.
# --pull=never: FROM debian:12 must be the image above, never a registry's.
step "podman build deploy/container/Dockerfile -> $image"
build_started=$SECONDS
if ! podman build --pull=never --format docker --build-arg "JOBS=${KAWAL_CONTAINER_JOBS:-2}" \
       -f "$src_dir/deploy/container/Dockerfile" -t "$image" "$src_dir" >"$tmp/build.log" 2>&1; then
  tail -n 60 "$tmp/build.log" >&2
  fail "podman build failed"
fi
echo "ok: image built in $((SECONDS - build_started)) s"
# ({{if}}: a missing healthcheck would print "<nil>", which is not empty.)
[[ "$(podman image inspect --format '{{if .Config.Healthcheck}}present{{end}}' "$image")" == present ]] \
  || fail "the image has no HEALTHCHECK"

# --- 3. run, health, device sync ------------------------------------------
# Without systemd, podman logs "unable to get systemd connection" when it
# starts, stops or removes a container with a HEALTHCHECK (it cannot add the
# timer); harmless here because the test runs the check itself. So podman's
# stderr is shown only when the command fails.
podman_quiet() {
  podman "$@" 2>"$tmp/podman.err" || { cat "$tmp/podman.err" >&2; return 1; }
}
server_name="$run_id-server"
start_server_container() {
  containers+=("$server_name")
  podman_quiet run -d --pull=never --name "$server_name" -p 127.0.0.1::7443 \
    -v "$volume:/var/lib/kawal/data" "$image" >/dev/null
  port=$(podman port "$server_name" 7443/tcp | sed -n 's/.*:\([0-9][0-9]*\)$/\1/p' | head -n 1)
  [[ -n "$port" ]] || fail "no published port for 7443/tcp"
  # `podman healthcheck run` runs the image's HEALTHCHECK command once (exit 0
  # when healthy), so no systemd timer is needed. Bounded: 120 polls.
  local polls=0
  until podman healthcheck run "$server_name" >/dev/null 2>&1; do
    polls=$((polls + 1))
    if ((polls >= 120)); then
      podman logs "$server_name" >&2 || true
      fail "HEALTHCHECK did not pass after $polls polls"
    fi
    [[ "$(podman inspect --format '{{.State.Running}}' "$server_name")" == true ]] \
      || { podman logs "$server_name" >&2 || true; fail "the server container exited"; }
    sleep 1
  done
  echo "ok: HEALTHCHECK passed after $polls failed polls; published on 127.0.0.1:$port"
}
stats_json() {
  "$admin" --server="127.0.0.1:$port" --token_file="$tmp/admin.token" --json stats
}
# One collection's count from `kawal-admin --json stats` (0 when absent).
stats_count() {
  python3 -c 'import json, sys; print(json.load(sys.stdin)["records_by_collection"].get(sys.argv[1], "0"))' "$1"
}
command -v python3 >/dev/null || fail "python3 not found (reads kawal-admin --json stats)"

step "run $image with volume $volume"
podman volume create "$volume" >/dev/null
start_server_container
podman logs "$server_name" 2>&1 | sed 's/^/  server: /'

step "user and device sync"
# The token is read through a pipe into an owner-only file, never through argv.
(umask 077; podman exec "$server_name" cat /var/lib/kawal/data/admin.token >"$tmp/admin.token")
"$admin" --server="127.0.0.1:$port" --token_file="$tmp/admin.token" user add \
  --name=ani --role=facilitator --scopes=62.10.01.2001 >"$tmp/user.out" 2>&1 \
  || { cat "$tmp/user.out" >&2; fail "kawal-admin user add failed"; }
(umask 077; sed -n 's/^token: //p' "$tmp/user.out" >"$tmp/ani.token")
rm -f "$tmp/user.out"
[[ -s "$tmp/ani.token" ]] || fail "kawal-admin user add printed no token"
echo "ok: user ani added"
kf() { "$field" --home="$tmp/field" --lang=en "$@"; }
kf init --server="127.0.0.1:$port" --token_file="$tmp/ani.token"
activity=$(kf activity add --village=62.10.01.2001 --year=2026 --name="Jalan usaha tani" \
  --sector=2 --budget=DDS:150000000)
echo "activity $activity created on the device"
kf sync >"$tmp/sync.out" 2>&1 || { cat "$tmp/sync.out" >&2; fail "kawal-field sync failed"; }
grep 'Sync done' "$tmp/sync.out"
[[ $(stats_json | stats_count activity) == 1 ]] \
  || { stats_json >&2; fail "the server does not count the synced activity"; }
echo "ok: device synced: the server counts 1 activity"

step "a new container on the same volume keeps the data"
podman_quiet stop -t 30 "$server_name" >/dev/null
podman_quiet rm -v "$server_name" >/dev/null
start_server_container
[[ $(stats_json | stats_count activity) == 1 ]] \
  || { stats_json >&2; fail "the activity is gone after replacing the container"; }
echo "ok: the activity survived in volume $volume"
podman_quiet stop -t 30 "$server_name" >/dev/null
[[ "$(podman inspect --format '{{.State.ExitCode}}' "$server_name")" == 0 ]] \
  || { podman logs "$server_name" >&2 || true; fail "the server did not exit 0 on stop (SIGTERM)"; }
echo "ok: the server exits 0 on podman stop"

# --- 4. the .deb in a clean debian:12 -------------------------------------
step "cpack -> .deb (host build)"
if ! cpack --config "$build_dir/CPackConfig.cmake" -B "$tmp/pkg" >"$tmp/cpack.log" 2>&1; then
  cat "$tmp/cpack.log" >&2
  fail "cpack failed"
fi
shopt -s nullglob
debs=("$tmp"/pkg/kawal-desa_*.deb)
shopt -u nullglob
((${#debs[@]} == 1)) || fail "expected one kawal-desa_*.deb, got: ${debs[*]:-none}"
deb=${debs[0]}
echo "package: $(basename "$deb")"

step "apt-get install the .deb in a clean debian:12 container"
deb_name="$run_id-deb"
containers+=("$deb_name")
podman run -d --pull=never --name "$deb_name" localhost/debian:12 sleep infinity >/dev/null
podman cp "$deb" "$deb_name:/tmp/"
if ! podman exec -e DEBIAN_FRONTEND=noninteractive -w /tmp "$deb_name" bash -c \
       'apt-get update -qq && apt-get install -y -qq --no-install-recommends ./kawal-desa_*.deb' \
       >"$tmp/apt.log" 2>&1; then
  tail -n 40 "$tmp/apt.log" >&2
  fail "apt-get install of the .deb failed"
fi
podman exec "$deb_name" dpkg-query -W -f='ok: installed ${Package} ${Version} (${Status})\n' kawal-desa

step "kawal-server --seed_region=62.10 started by hand, as user kawal"
# What an administrator types after installing the package (no --regions_file:
# the server finds /usr/share/kawal/wilayah.csv itself). runuser is util-linux.
podman exec -d "$deb_name" bash -c \
  'cd /var/lib/kawal && exec runuser -u kawal -- kawal-server --seed_region=62.10 \
     --data_dir=/var/lib/kawal/data --listen=127.0.0.1:7443 >/tmp/server.log 2>&1' >/dev/null
polls=0
until podman exec "$deb_name" grep -q 'region 62.10: ' /tmp/server.log 2>/dev/null; do
  polls=$((polls + 1))
  if ((polls >= 120)); then
    podman exec "$deb_name" cat /tmp/server.log >&2 || true
    fail "no seed line in the server log after $polls polls"
  fi
  sleep 0.5
done
podman exec "$deb_name" grep 'region 62.10: ' /tmp/server.log
podman exec "$deb_name" runuser -u kawal -- kawal-admin --token_file=/var/lib/kawal/data/admin.token \
  --json stats >"$tmp/deb-stats.json" || fail "kawal-admin stats in the .deb container failed"
villages=$(stats_count village <"$tmp/deb-stats.json")
((villages > 100)) || { cat "$tmp/deb-stats.json" >&2; fail "expected the villages of 62.10, got $villages"; }
echo "ok: seeded from the packaged regions file: $villages village records"

echo "PASS in $((SECONDS - started)) s"
