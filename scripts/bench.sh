#!/usr/bin/env bash
# Builds and runs every benchmark of bench/ and writes bench/RESULTS.md with
# the machine, the date, the commit, each figure with its setup, and the
# figures that have a target in a summary table (see bench/README.md).
#
#   ./scripts/bench.sh            full run (about 15 minutes on 2 cores)
#   ./scripts/bench.sh --quick    small sizes, a few minutes; same report
#   OUT=/tmp/r.md ./scripts/bench.sh  write somewhere else
#
# Temporary servers and stores live in the system temp folder and are
# removed by the drivers. The machine may be shared: RESULTS.md says so.
set -euo pipefail
cd "$(dirname "$0")/.."

QUICK=0
for arg in "$@"; do
  case "$arg" in
    --quick) QUICK=1 ;;
    *) echo "usage: $0 [--quick]" >&2; exit 2 ;;
  esac
done
BUILD_DIR=${BUILD_DIR:-build}
OUT=${OUT:-bench/RESULTS.md}
BIN="$BUILD_DIR/bench"

make build BUILD_DIR="$BUILD_DIR" >/dev/null

if [ "$QUICK" = 1 ]; then
  MODE="--quick: small sizes, figures indicative only"
  MERGE_TIME=0.05; INGEST=10000; SCALE=10000,50000; PULL=20000; WIRE=500; FOOT=20000; QUERY=20000
  MONTH="--activities=20 --edits=200 --reports=30"; REPORT=10000; PHASES=2000,10000
  PHOTO_DAY="--reports=5 --photos=2 --min_kb=100 --max_kb=200"
  BUNDLE="--activities=20 --edits=200 --reports=30 --photos=3 --photo_kb=512"
else
  MODE="full"
  MERGE_TIME=0.5; INGEST=100000; SCALE=10000,100000,1000000; PULL=100000; WIRE=2000; FOOT=20000; QUERY=100000
  MONTH="--activities=100 --edits=2000 --reports=300"; REPORT=1000000; PHASES=10000,100000
  PHOTO_DAY="--reports=20 --photos=6 --min_kb=200 --max_kb=400"
  BUNDLE="--activities=100 --edits=2000 --reports=300 --photos=30 --photo_kb=3072"
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# run NAME COMMAND...: the driver's output in $WORK/NAME, echoed as it goes.
run() {
  local name=$1; shift
  echo "== $name: $*" >&2
  local start=$SECONDS
  "$@" | tee "$WORK/$name" >&2
  echo "$((SECONDS - start))" > "$WORK/$name.seconds"
}
# body NAME: the driver's output without its target lines, as a block.
body() { grep -v '^target: ' "$WORK/$1" | sed -e 's/^setup: /Setup: /'; }
took() { echo "_Run: \`$1\` (${2:-$(cat "$WORK/$3.seconds")} s)._"; }

run merge "$BIN/merge_bench" --benchmark_format=csv --benchmark_min_time="$MERGE_TIME"
run ingest "$BIN/ingest_bench" --records="$INGEST" --devices=1,4,16
run ingest_gzip "$BIN/ingest_bench" --records="$INGEST" --devices=4 --gzip
run pull "$BIN/pull_bench" --records="$PULL"
run wire "$BIN/wire_bench" --records="$WIRE"
# shellcheck disable=SC2086
run link "$BIN/link_bench" $MONTH
# shellcheck disable=SC2086
run link_gzip "$BIN/link_bench" $MONTH --gzip
# shellcheck disable=SC2086
run photo_day "$BIN/photo_day_bench" $PHOTO_DAY
run footprint "$BIN/footprint_bench" --records="$FOOT"
run local_batch "$BIN/local_batch_bench" --records="$FOOT" --batch=500
run query "$BIN/query_bench" --records="$QUERY"
run phases "$BIN/sync_phases_bench" --records="$PHASES"
run scale "$BIN/scale_bench" --sizes="$SCALE"
run report "$BIN/report_bench" --activities="$REPORT"
run web "$BIN/web_bench" --activities="$REPORT"
# shellcheck disable=SC2086
run bundle "$BIN/bundle_bench" $BUNDLE

CPU=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
CORES=$(nproc)
RAM=$(free -g | awk '/^Mem:/ {print $2}')
COMMIT=$(git rev-parse --short HEAD)
git diff --quiet HEAD -- . ':!bench/RESULTS.md' || COMMIT="$COMMIT (with uncommitted changes)"

{
  cat <<HEAD
# Benchmark results

Written by \`./scripts/bench.sh\` ($MODE) on $(date -u '+%Y-%m-%d %H:%M UTC'), commit $COMMIT.

Machine: $CPU, $CORES cores, $RAM GiB RAM, $(. /etc/os-release; echo "$PRETTY_NAME"), kernel
$(uname -r); RelWithDebInfo build. The machine is virtualized and **shared** (other engineers
build and test on the same 2 cores while this runs): read ratios and orders of magnitude, not
the last digit. Client and server of the loopback benchmarks share those 2 cores too. Figures
are single runs unless stated.

## Summary against the targets of issues #7 and #15

| figure | measured | target | verdict |
|---|---:|---:|---|
HEAD
  grep -h '^target: ' "$WORK"/ingest "$WORK"/pull "$WORK"/link "$WORK"/link_gzip "$WORK"/footprint "$WORK"/local_batch "$WORK"/query "$WORK"/phases \
    | sed -e 's/^target: //'
  echo
  echo "Where a figure falls short, \"Where the time goes\" below says why (from profiles)."
  echo

  echo "## Merge throughput in sync/ (merge_bench, Google Benchmark)"
  echo
  echo "In-process, one thread; records/s = merges of one record per second."
  echo
  echo "| benchmark | ns/record | records/s |"
  echo "|---|---:|---:|"
  grep '^"BM_' "$WORK/merge" | tr -d '"' |
    awk -F, '{printf "| %s | %.0f | %\047.0f |\n", $1, $4, $7}'
  echo
  cat <<'TXT'
Create8: a new 8-field record from a delta; Edit1Of15 / Replay1Of15: one field of a
15-field record changed / the same edit again; CopyState15: the copy MergeState15Diverged
includes; MergeState15*: two replicas merged; Codec*: to proto, serialized, parsed back.
TXT
  took "build/bench/merge_bench" "" merge
  echo

  echo "## Push ingest into a real server (ingest_bench)"
  echo
  body ingest
  echo
  echo "With gzip-compressed requests:"
  echo
  body ingest_gzip
  echo
  took "build/bench/ingest_bench --records=$INGEST" "" ingest
  echo

  echo "## Cold pull of a district to a new device (pull_bench)"
  echo
  body pull
  echo
  took "build/bench/pull_bench --records=$PULL" "" pull
  echo

  echo "## Bytes on the wire per record (wire_bench)"
  echo
  body wire
  echo
  took "build/bench/wire_bench --records=$WIRE" "" wire
  echo

  echo "## Poor link: a facilitator's month (link_bench)"
  echo
  echo "The ideal is the clean run's bytes (both directions) at the link's rate plus one"
  echo "round trip (600 ms) per RPC. Real time: the run waits for the link."
  echo
  echo '```'
  body link
  echo '```'
  echo
  echo "With gzip (\`--gzip\`):"
  echo
  echo '```'
  body link_gzip
  echo '```'
  echo
  took "build/bench/link_bench $MONTH [--gzip]" "$(( $(cat "$WORK/link.seconds") + $(cat "$WORK/link_gzip.seconds") ))"
  echo

  echo "## Poor link: a day of photos (photo_day_bench)"
  echo
  echo "Reports and photos written offline, then one sync over 64 kbit/s, 300 ms each way,"
  echo "cut every 30 s. The issue's full day (30 photos of 2-4 MB, ~90 MB) takes over three"
  echo "hours at 8 KB/s; the cost per 30-second window, and so the ratios, do not depend on"
  echo "the photo count (\`--photos=30 --min_kb=2048 --max_kb=4096\` runs it)."
  echo
  echo '```'
  body photo_day
  echo '```'
  echo
  took "build/bench/photo_day_bench $PHOTO_DAY" "" photo_day
  echo

  echo "## Device footprint (footprint_bench)"
  echo
  body footprint
  echo
  took "build/bench/footprint_bench --records=$FOOT" "" footprint
  echo

  echo "## Local batch writes on a device (local_batch_bench)"
  echo
  body local_batch
  echo
  took "build/bench/local_batch_bench --records=$FOOT --batch=500" "" local_batch
  echo

  echo "## Indexed queries on a device (query_bench)"
  echo
  body query
  echo
  took "build/bench/query_bench --records=$QUERY" "" query
  echo

  echo "## The whole client path, phase by phase (sync_phases_bench)"
  echo
  echo "Rates through mobile::Device and a real kawal-server; \"of raw\" is the rate as a"
  echo "fraction of RocksDB alone on the same disk (batches of 500, synced WAL, 410-byte"
  echo "values). Bytes are counted at a loopback proxy, all gRPC framing included."
  echo
  body phases
  echo
  took "build/bench/sync_phases_bench --records=$PHASES" "" phases
  echo

  echo "## Growth on the server from 10k to 1M records (scale_bench)"
  echo
  body scale
  echo
  took "build/bench/scale_bench --sizes=$SCALE" "" scale
  echo

  echo "## Reports (report_bench)"
  echo
  echo '```'
  body report
  echo '```'
  echo
  took "build/bench/report_bench --activities=$REPORT" "" report
  echo

  echo "## Dashboard pages (web_bench)"
  echo
  echo "Median time of each page as an HTTP client on loopback sees it: kawal-web's"
  echo "rendering plus its gRPC calls to kawal-server (targets: overviews < 300 ms, desa page"
  echo "with 50 activities < 100 ms)."
  echo
  echo '```'
  body web
  echo '```'
  echo
  took "build/bench/web_bench --activities=$REPORT" "" web
  echo

  echo "## Bundles: a month by USB stick (bundle_bench, issue #19)"
  echo
  echo "One facilitator's month offline, exported as one signed bundle on the device, imported"
  echo "through the real kawal-server by \`kawal-admin bundle import\` (the built binary; its reply"
  echo "written next to the file), and the reply imported back on the device (docs/bundles.md)."
  echo
  body bundle
  echo
  took "build/bench/bundle_bench $BUNDLE" "" bundle
  echo

  cat bench/FINDINGS.md
} > "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "wrote $OUT" >&2
