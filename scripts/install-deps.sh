#!/usr/bin/env bash
# Installs the Debian 12 packages Kawal Desa builds and tests with, only
# when something is missing (a warm machine returns at once).
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config ccache file
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  librocksdb-dev libabsl-dev libgtest-dev libgmock-dev libbenchmark-dev
  libssl-dev nlohmann-json3-dev
)
# TLS: OpenSSL names certificate problems; clients trust the system's CAs.
packages+=(ca-certificates)
# The metrics endpoint (and the officers' web server) speak HTTP through
# Debian's compiled cpp-httplib.
packages+=(libcpp-httplib-dev)
# kawal-field import apbdes reads .xlsx (a zip of XML parts) with libzip and expat
# (docs/apbdes-import.md).
packages+=(libzip-dev libexpat1-dev)
# The Java binding of the mobile core (bindings/java/, JNI, built by CMake's
# UseJava) and its tests: OpenJDK 17's javac, jar, jni.h and java.
packages+=(openjdk-17-jdk-headless)
# Dashboard passwords are Argon2id hashes (libargon2, the reference code).
packages+=(libargon2-dev)
# kawal-web's Excel downloads (XLSX) are written by libxlsxwriter.
packages+=(libxlsxwriter-dev)
# kawal-web's photo thumbnails: libjpeg-turbo (DCT-scaled decoding) and libpng.
packages+=(libjpeg62-turbo-dev libpng-dev)
# Sync bundles are signed (Ed25519) and sealed (X25519, XChaCha20-Poly1305) by
# libsodium (docs/bundles.md).
packages+=(libsodium-dev)
# --test adds what the test suite uses beyond the build: headless Chromium
# renders the HTML report, openssl makes the TLS test's certificate, nginx is
# the proxy of the two-shard test (those tests fail without them unless
# KAWAL_SKIP_*_TESTS is set, docs/build.md), python3-yaml reads the
# Kubernetes manifests in their check; chromium-driver and python3-selenium
# drive chromium through the dashboard in the kawal-web browser test.
# --container adds what the container test (tests/container/, CTest label
# "container", not part of `make test`) uses: podman builds and runs the image,
# debootstrap makes its debian:12 base image without a registry, runc is the
# OCI runtime it selects (crun refuses hybrid cgroup hosts). Options combine.
for opt in "$@"; do
  case "$opt" in
    --test) packages+=(chromium openssl systemd nginx python3-yaml chromium-driver python3-selenium) ;;
    --container) packages+=(podman debootstrap runc) ;;
    *) echo "install-deps: unknown option $opt (known: --test, --container)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
