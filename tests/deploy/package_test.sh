#!/usr/bin/env bash
# package_test.sh BUILD_DIR LIBDIR INCLUDEDIR PREFIX: builds the .debs with
# CPack into a temporary folder and checks what an administrator relies on
# (LIBDIR, INCLUDEDIR: the build's CMAKE_INSTALL_LIBDIR and _INCLUDEDIR;
# PREFIX its CMAKE_INSTALL_PREFIX):
#   1. the files: binaries, regions file, systemd unit, /etc/default conffile, docs;
#   2. Depends: runtime library packages computed by dpkg-shlibdeps
#      (librocksdb*, libgrpc++*), never a -dev package; conffiles; maintainer
#      scripts parse (sh -n) and create the user and folders;
#   3. the packaged binary accepts exactly the ExecStart line of the packaged
#      unit (with /etc/default/kawal-server's KAWAL_FLAGS), serves, answers
#      kawal-admin, and stops cleanly (exit 0) on SIGTERM like systemd stops it;
#   4. `systemd-analyze verify` of the packaged unit, and `systemd-analyze
#      security --offline` below an exposure threshold;
#   5. libkawal1 and libkawal-dev: the library, its links, kawal.h and kawal.pc
#      in /usr/LIBDIR and /usr/INCLUDEDIR, kawal.pc pointing at them, and
#      LIBDIR the multiarch folder when PREFIX is /usr on Debian.
#
# How verify is made meaningful on a build machine: verify checks that
# ExecStart's binary exists, and /usr/bin/kawal-server is not installed here.
# So the .deb is extracted into a scratch root, the host's own units
# (sysinit.target, network-online.target, ...) are copied in beside it, and
# `systemd-analyze verify --root=<scratch>` checks the *packaged* unit against
# the *packaged* binary. verify exits 0 even for unparsable settings (it only
# logs "...ignoring"), so any output at all fails the test.
# Without systemd-analyze (package `systemd`) step 4 prints SKIPPED.
set -euo pipefail

usage="usage: package_test.sh BUILD_DIR LIBDIR INCLUDEDIR PREFIX"
build_dir=${1:?$usage}
libdir=${2:?$usage}
includedir=${3:?$usage}
install_prefix=${4:?$usage}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kawal-package-test.XXXXXX")
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then kill -KILL "$server_pid" || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "--- $*"; }

# CPack's DEB generator runs file(1) on every installed file to find the ELF
# binaries for dpkg-shlibdeps; Debian's `file` is not pulled in by build-essential.
for tool in cpack dpkg-deb dpkg-shlibdeps dpkg-architecture file pkg-config; do
  command -v "$tool" >/dev/null || fail "$tool not found (Debian packages: cmake, dpkg, dpkg-dev, file; see scripts/install-deps.sh)"
done

step "cpack -> $tmp/pkg"
if ! cpack --config "$build_dir/CPackConfig.cmake" -B "$tmp/pkg" >"$tmp/cpack.log" 2>&1; then
  cat "$tmp/cpack.log" >&2
  fail "cpack failed"
fi
shopt -s nullglob
debs=("$tmp"/pkg/kawal-desa_*.deb)
((${#debs[@]} == 1)) || fail "expected one kawal-desa_*.deb, got: ${debs[*]:-none}"
deb=${debs[0]}
echo "package: $(basename "$deb") ($(stat -c %s "$deb") bytes)"

step "contents (dpkg-deb -c)"
dpkg-deb -c "$deb" | awk '{print $NF}' | sed 's#^\./##' >"$tmp/contents"
for want in usr/bin/kawal-server usr/bin/kawal-admin usr/bin/kawal-web usr/share/kawal/wilayah.csv \
            etc/default/kawal-server etc/default/kawal-web usr/share/doc/kawal-desa/README.md \
            usr/share/doc/kawal-desa/backup.md; do
  grep -qx "$want" "$tmp/contents" || fail "$want is not in the package"
  echo "ok: $want"
done
# Debian 12 is merged-/usr: /lib/systemd/system and /usr/lib/systemd/system are one.
grep -qxE '(usr/)?lib/systemd/system/kawal-server.service' "$tmp/contents" \
  || fail "lib/systemd/system/kawal-server.service is not in the package"
echo "ok: lib/systemd/system/kawal-server.service"
grep -qxE '(usr/)?lib/systemd/system/kawal-web.service' "$tmp/contents" \
  || fail "lib/systemd/system/kawal-web.service is not in the package"
echo "ok: lib/systemd/system/kawal-web.service"

step "libkawal1 and libkawal-dev in /usr/$libdir and /usr/$includedir"
if [[ $install_prefix =~ ^/usr/?$ && -f /etc/debian_version ]]; then
  multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
  [[ $libdir == "lib/$multiarch" ]] || fail "prefix /usr on Debian, but the library folder is $libdir, not lib/$multiarch"
  echo "ok: multiarch library folder lib/$multiarch"
fi
runtime_debs=("$tmp"/pkg/libkawal1_*.deb)
dev_debs=("$tmp"/pkg/libkawal-dev_*.deb)
((${#runtime_debs[@]} == 1 && ${#dev_debs[@]} == 1)) || fail "expected one libkawal1_*.deb and one libkawal-dev_*.deb"
dpkg-deb -c "${runtime_debs[0]}" | awk '{print $6}' | sed 's#^\./##' >"$tmp/runtime"
dpkg-deb -c "${dev_debs[0]}" | awk '{print $6}' | sed 's#^\./##' >"$tmp/dev"
grep -qx "usr/$libdir/libkawal.so.1" "$tmp/runtime" || fail "libkawal1 lacks usr/$libdir/libkawal.so.1"
grep -qE "^usr/$libdir/libkawal[.]so[.][0-9.]+\$" "$tmp/runtime" || fail "libkawal1 lacks the library file in usr/$libdir"
grep -qE 'kawal[.]h|[.]pc\$|libkawal[.]so\$' "$tmp/runtime" && fail "libkawal1 holds development files"
for want in "usr/$includedir/kawal/kawal.h" "usr/$libdir/libkawal.so" "usr/$libdir/pkgconfig/kawal.pc"; do
  grep -qx "$want" "$tmp/dev" || fail "libkawal-dev lacks $want"
  echo "ok: $want"
done
grep -q 'libkawal[.]so[.]1' "$tmp/dev" && fail "libkawal-dev holds the runtime library"
[[ $(dpkg-deb -f "${dev_debs[0]}" Depends) == "libkawal1 (= $(dpkg-deb -f "${runtime_debs[0]}" Version))" ]] \
  || fail "libkawal-dev does not depend on its libkawal1"
libroot="$tmp/libroot"
dpkg-deb -x "${runtime_debs[0]}" "$libroot"
dpkg-deb -x "${dev_debs[0]}" "$libroot"
[[ $(readlink "$libroot/usr/$libdir/libkawal.so") == libkawal.so.1 ]] || fail "libkawal.so does not link to libkawal.so.1"
real_library=$(readlink -f "$libroot/usr/$libdir/libkawal.so.1")
[[ -f $real_library && $(dirname "$real_library") == $(realpath "$libroot/usr/$libdir") ]] \
  || fail "libkawal.so.1 does not link to the library beside it"
headers=$(objdump -p "$real_library")  # whole first: `| grep -q` under pipefail can SIGPIPE
grep -q 'SONAME *libkawal[.]so[.]1$' <<<"$headers" || fail "the packaged library's SONAME is not libkawal.so.1"
echo "ok: usr/$libdir/libkawal.so.1 -> $(basename "$real_library") (SONAME libkawal.so.1), libkawal.so -> libkawal.so.1"
pc_libdir=$(PKG_CONFIG_PATH="$libroot/usr/$libdir/pkgconfig" pkg-config --variable=libdir kawal)
pc_includedir=$(PKG_CONFIG_PATH="$libroot/usr/$libdir/pkgconfig" pkg-config --variable=includedir kawal)
[[ $(realpath "$pc_libdir") == $(realpath "$libroot/usr/$libdir") ]] || fail "kawal.pc's libdir is $pc_libdir"
[[ $(realpath "$pc_includedir") == $(realpath "$libroot/usr/$includedir") ]] || fail "kawal.pc's includedir is $pc_includedir"
echo "ok: kawal.pc points at /usr/$libdir and /usr/$includedir"

step "control fields"
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
IFS=',' read -ra dep_list <<<"$depends"
dep_names=()
for d in "${dep_list[@]}"; do
  d=${d# }; dep_names+=("${d%% *}")
done
for d in "${dep_names[@]}"; do
  [[ "$d" == *-dev ]] && fail "Depends names a -dev package: $d"
done
printf '%s\n' "${dep_names[@]}" | grep -qE '^librocksdb[0-9]' || fail "Depends lacks a librocksdbN runtime package"
printf '%s\n' "${dep_names[@]}" | grep -qE '^libgrpc\+\+[0-9]' || fail "Depends lacks a libgrpc++N runtime package"
printf '%s\n' "${dep_names[@]}" | grep -qx 'adduser' || fail "Depends lacks adduser (postinst uses it)"
printf '%s\n' "${dep_names[@]}" | grep -qE '^libzip[0-9]' || fail "Depends lacks a libzipN runtime package (kawal-field reads .xlsx)"
printf '%s\n' "${dep_names[@]}" | grep -qE '^libsodium[0-9]' || fail "Depends lacks a libsodiumN runtime package (sync bundles, docs/bundles.md)"
echo "ok: runtime libraries only, no -dev"
[[ $(dpkg-deb -f "$deb" Package) == kawal-desa ]] || fail "Package is not kawal-desa"

mkdir -p "$tmp/control"
dpkg-deb -e "$deb" "$tmp/control"
grep -qx /etc/default/kawal-server "$tmp/control/conffiles" || fail "/etc/default/kawal-server is not a conffile"
for s in postinst prerm; do
  [[ -x "$tmp/control/$s" ]] || fail "$s missing or not executable"
  sh -n "$tmp/control/$s" || fail "$s does not parse"
done
grep -q 'adduser --system --group --home /var/lib/kawal' "$tmp/control/postinst" || fail "postinst does not create user kawal"
for d in /var/lib/kawal/data /var/lib/kawal/backups; do
  grep -q "install -d -o kawal -g kawal -m 0750 $d" "$tmp/control/postinst" || fail "postinst does not create $d"
done
grep -q 'systemctl stop kawal-server' "$tmp/control/prerm" || fail "prerm does not stop the service"
echo "ok: conffiles, postinst, prerm"

step "packaged binary runs the packaged unit's ExecStart"
root="$tmp/root"
dpkg-deb -x "$deb" "$root"
unit="$root/usr/lib/systemd/system/kawal-server.service"
[[ -f "$unit" ]] || unit="$root/lib/systemd/system/kawal-server.service"
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
[[ -n "$exec_start" ]] || fail "no ExecStart in the unit"
# KAWAL_FLAGS as /etc/default/kawal-server sets it (simple assignments, so sh reads it too).
# shellcheck disable=SC1091,SC2153
kawal_flags=$(set +u; . "$root/etc/default/kawal-server"; printf '%s' "$KAWAL_FLAGS")
state="$tmp/var/lib/kawal"
# shellcheck disable=SC2016  # the unit's literal ${KAWAL_LISTEN} and $KAWAL_FLAGS
cmdline=${exec_start//'${KAWAL_LISTEN}'/127.0.0.1:0}
# shellcheck disable=SC2016
cmdline=${cmdline//'$KAWAL_FLAGS'/$kawal_flags}
cmdline=${cmdline//\/usr\/bin\//$root/usr/bin/}
cmdline=${cmdline//\/usr\/share\//$root/usr/share/}
cmdline=${cmdline//\/var\/lib\/kawal/$state}
read -ra argv <<<"$cmdline"
echo "running: ${argv[*]}"
"${argv[@]}" >"$tmp/server.out" 2>"$tmp/server.err" &
server_pid=$!
port=""
for _ in $(seq 100); do
  port=$(sed -n 's/^kawal-server: listening on .*:\([0-9][0-9]*\) .*/\1/p' "$tmp/server.out")
  [[ -n "$port" ]] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$tmp/server.err" >&2; fail "kawal-server exited at start"; }
  sleep 0.1
done
[[ -n "$port" ]] || { cat "$tmp/server.err" >&2; fail "kawal-server did not start listening within 10 s"; }
echo "ok: listening on port $port"
"$root/usr/bin/kawal-admin" --server="127.0.0.1:$port" --token_file="$state/data/admin.token" stats >"$tmp/admin.out" 2>&1 \
  || { cat "$tmp/admin.out" >&2; fail "packaged kawal-admin stats failed"; }
echo "ok: packaged kawal-admin stats"
kill -TERM "$server_pid"
rc=0; wait "$server_pid" || rc=$?
server_pid=""
((rc == 0)) || { cat "$tmp/server.err" >&2; fail "kawal-server exited $rc on SIGTERM"; }
echo "ok: SIGTERM -> exit 0"

step "systemd-analyze"
if ! command -v systemd-analyze >/dev/null; then
  echo "SKIPPED: systemd-analyze not found (Debian package 'systemd'); unit not verified"
  echo "PASS (without systemd-analyze)"
  exit 0
fi
host_units=""
for d in /usr/lib/systemd/system /lib/systemd/system; do
  if [[ -f "$d/sysinit.target" ]]; then host_units=$d; break; fi
done
if [[ -z "$host_units" ]]; then
  echo "SKIPPED: no host systemd units (sysinit.target) to verify against"
  echo "PASS (without systemd-analyze)"
  exit 0
fi
mkdir -p "$root/usr/lib/systemd/system"
cp -an "$host_units/." "$root/usr/lib/systemd/system/"   # -n: the packaged unit wins
verify_rc=0
systemd-analyze verify --root="$root" kawal-server.service >"$tmp/verify.out" 2>&1 || verify_rc=$?
if ((verify_rc != 0)) || [[ -s "$tmp/verify.out" ]]; then
  cat "$tmp/verify.out" >&2
  fail "systemd-analyze verify kawal-server.service (exit $verify_rc, output above)"
fi
echo "ok: systemd-analyze verify (no output)"
# Exposure on systemd's 0-100 scale (shown as 0.0-10.0); the unit scores ~1.6.
if systemd-analyze security --offline=yes --root="$root" --threshold=25 kawal-server.service \
     >"$tmp/security.out" 2>&1; then
  echo "ok: $(grep -o 'Overall exposure level.*' "$tmp/security.out" || echo 'systemd-analyze security below 2.5')"
else
  cat "$tmp/security.out" >&2
  fail "systemd-analyze security: exposure above 2.5 (hardening lost?)"
fi
# The dashboard's unit: valid and at least as hardened.
verify_rc=0
systemd-analyze verify --root="$root" kawal-web.service >"$tmp/verify-web.out" 2>&1 || verify_rc=$?
if ((verify_rc != 0)) || [[ -s "$tmp/verify-web.out" ]]; then
  cat "$tmp/verify-web.out" >&2
  fail "systemd-analyze verify kawal-web.service (exit $verify_rc, output above)"
fi
if systemd-analyze security --offline=yes --root="$root" --threshold=25 kawal-web.service \
     >"$tmp/security-web.out" 2>&1; then
  echo "ok: kawal-web.service $(grep -o 'Overall exposure level.*' "$tmp/security-web.out" || echo 'below 2.5')"
else
  cat "$tmp/security-web.out" >&2
  fail "systemd-analyze security kawal-web.service: exposure above 2.5"
fi
echo PASS
