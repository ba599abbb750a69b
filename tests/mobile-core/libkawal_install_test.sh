#!/usr/bin/env bash
# libkawal_install_test.sh BUILD_DIR SOURCE_DIR: installs the libkawal and
# libkawal_dev components with `cmake --install` into a scratch prefix, then
# builds a C app against it the way an app developer would
# (`pkg-config --cflags --libs kawal`, the installed kawal.h and
# libkawal.so) and runs it against the installed libkawal.so.1.
set -euo pipefail
build_dir=$1
source_dir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
for tool in pkg-config cc; do
  command -v "$tool" >/dev/null || fail "$tool not found (Debian packages: pkg-config, build-essential)"
done

for component in libkawal libkawal_dev; do
  cmake --install "$build_dir" --prefix "$tmp/prefix" --component "$component" >/dev/null
done
pc=$(find "$tmp/prefix" -name kawal.pc)
[[ -n $pc ]] || fail "kawal.pc was not installed"
export PKG_CONFIG_PATH=$(dirname "$pc")
flags=$(pkg-config --cflags --libs kawal)
echo "pkg-config: $flags"
# shellcheck disable=SC2086
cc -std=c11 -o "$tmp/app" "$source_dir/tests/mobile-core/libkawal_abi_test.c" $flags -pthread
libdir=$(pkg-config --variable=libdir kawal)
ls "$libdir"/libkawal.so.1 >/dev/null || fail "no libkawal.so.1 in $libdir"
LD_LIBRARY_PATH=$libdir "$tmp/app"
# Read ldd whole first: `ldd | grep -q` under pipefail fails at random when
# grep stops reading early and ldd dies of SIGPIPE.
loaded=$(LD_LIBRARY_PATH=$libdir ldd "$tmp/app")
grep -q "$tmp/prefix/.*libkawal.so.1" <<<"$loaded" || fail "the app did not load the installed library"
echo "ok: built with pkg-config and ran against the installed libkawal.so.1"
