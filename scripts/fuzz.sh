#!/usr/bin/env bash
# Runs one libFuzzer target for a while over its committed corpus.
#
#   scripts/fuzz.sh TARGET SECONDS      TARGET: merge_fuzz | decode_fuzz | cursor_fuzz | json_fuzz | apbdes_fuzz | bundle_fuzz
#
# Configures build-fuzz with clang (-DKAWAL_FUZZ=ON; the sync and server
# libraries get -fsanitize=fuzzer-no-link so libFuzzer sees their coverage),
# builds TARGET, fuzzes for SECONDS with tests/fuzz/corpus/TARGET as the seed
# corpus (new inputs go to build-fuzz/corpus/TARGET, not into the tree), and
# copies any crash/timeout/oom file into tests/fuzz/corpus/TARGET/.
# Needs clang with libFuzzer. clang-16 is used when installed (the recorded
# runs used it; Debian 12's default clang 14 compiles merge.cc again, but a
# whole fuzz build with it is untested):
#   apt-get install -y clang-16 libclang-rt-16-dev
# Override with KAWAL_FUZZ_CC / KAWAL_FUZZ_CXX. Figures of the last 10-minute
# runs: tests/fuzz/README.md.
set -euo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 TARGET SECONDS" >&2
  exit 2
fi
target=$1
seconds=$2
root=$(cd "$(dirname "$0")/.." && pwd)
build=${KAWAL_FUZZ_BUILD_DIR:-$root/build-fuzz}
seeds=$root/tests/fuzz/corpus/$target
[[ -d $seeds ]] || { echo "no corpus dir $seeds (unknown target?)" >&2; exit 2; }

if [[ -z ${KAWAL_FUZZ_CXX:-} ]] && command -v clang++-16 >/dev/null; then
  KAWAL_FUZZ_CC=clang-16 KAWAL_FUZZ_CXX=clang++-16
fi
if [[ ! -f $build/build.ninja ]]; then
  CC=${KAWAL_FUZZ_CC:-clang} CXX=${KAWAL_FUZZ_CXX:-clang++} cmake -S "$root" -B "$build" -G Ninja \
    -DKAWAL_FUZZ=ON -DKAWAL_BUILD_BENCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    "-DCMAKE_CXX_FLAGS=-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer" \
    "-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=address,undefined"
fi
ninja -C "$build" -j1 "$target"

work=$build/corpus/$target
artifacts=$build/artifacts/$target
mkdir -p "$work" "$artifacts"
# Only this run's findings are copied into the tree.
rm -f "$artifacts"/crash-* "$artifacts"/timeout-* "$artifacts"/oom-* "$artifacts"/leak-*
status=0
"$build/tests/fuzz/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="$artifacts/" "$work" "$seeds" || status=$?

found=0
for f in "$artifacts"/crash-* "$artifacts"/timeout-* "$artifacts"/oom-* "$artifacts"/leak-*; do
  [[ -e $f ]] || continue
  cp "$f" "$seeds/"
  echo "fuzz.sh: copied $(basename "$f") to tests/fuzz/corpus/$target/" >&2
  found=1
done
if [[ $found -eq 1 ]]; then
  echo "fuzz.sh: a failing input is now in the committed corpus; fuzz_regression_test will" >&2
  echo "fuzz.sh: fail on it until the bug is fixed. Add a focused regression test too." >&2
fi
exit $status
