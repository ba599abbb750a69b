# Convenience entry points; the build itself is CMake + Ninja (README.md).
BUILD_DIR ?= build
ASAN_DIR ?= build-asan
TSAN_DIR ?= build-tsan
JOBS ?= $(shell nproc)
DATA_DIR ?= data
LISTEN ?= 127.0.0.1:7443
WEB_LISTEN ?= 127.0.0.1:8080
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1

.PHONY: all deps configure build test test-asan test-tsan run clean bench

all: build

deps:
	./scripts/install-deps.sh

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j $(JOBS)

test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS) -LE container

$(ASAN_DIR)/build.ninja:
	cmake -S . -B $(ASAN_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DKAWAL_SANITIZE=ON -DKAWAL_BUILD_BENCH=OFF

test-asan: $(ASAN_DIR)/build.ninja
	cmake --build $(ASAN_DIR) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --test-dir $(ASAN_DIR) --output-on-failure -j $(JOBS) -LE container

# ThreadSanitizer on the observer and device concurrency tests only (a TSan
# build is slow; not part of `make test`): docs/build.md.
TSAN_TARGETS := e2e_device_query_test mobile_local_store_test tsan_absl_sync_check
TSAN_TESTS := ^(DeviceQueryTest[.]|LocalStoreTest[.]|tsan_absl_sync_)
$(TSAN_DIR)/build.ninja:
	cmake -S . -B $(TSAN_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKAWAL_SANITIZE=thread -DKAWAL_BUILD_BENCH=OFF

test-tsan: $(TSAN_DIR)/build.ninja
	cmake --build $(TSAN_DIR) -j $(JOBS) --target $(TSAN_TARGETS)
	TSAN_OPTIONS="halt_on_error=1 detect_deadlocks=0 suppressions=$(CURDIR)/tests/support/tsan.supp" \
	  ctest --test-dir $(TSAN_DIR) --output-on-failure -j $(JOBS) -R '$(TSAN_TESTS)'

run: build
	./scripts/run-server.sh $(BUILD_DIR) $(DATA_DIR) $(LISTEN) $(WEB_LISTEN)

clean:
	rm -rf $(BUILD_DIR) $(ASAN_DIR) $(TSAN_DIR)

# Every benchmark, written to bench/RESULTS.md (bench/README.md); QUICK=1 for small sizes.
bench:
	./scripts/bench.sh $(if $(QUICK),--quick)
