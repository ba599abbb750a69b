// common::Sha256 (libcrypto) against the FIPS 180-4 examples and against
// sync's portable SHA-256, and the two timed once on a 20 MB photo-sized
// buffer (printed, not asserted: docs/build.md cites the figure).
#include "kawal/common/sha256.h"

#include <chrono>
#include <cstdio>
#include <random>
#include <string>

#include "gtest/gtest.h"
#include "kawal/sync/sha256.h"

namespace kawal::common {
namespace {

TEST(CommonSha256, MatchesTheStandardsExamples) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");  // two blocks
}

TEST(CommonSha256, IncrementalEqualsOneShotAndTheSyncHasher) {
  std::mt19937 rng(7);
  for (size_t size : {0u, 1u, 55u, 56u, 63u, 64u, 65u, 1000u, 70000u}) {
    std::string data(size, '\0');
    for (char& c : data) c = static_cast<char>(rng());
    Sha256 pieces;
    for (size_t at = 0; at < size; at += 37) pieces.Update(data.substr(at, 37));
    const std::string hex = pieces.FinishHex();
    EXPECT_EQ(hex, Sha256Hex(data)) << size;
    EXPECT_EQ(hex, sync::Sha256Hex(data)) << size;
  }
}

template <typename F>
double Seconds(F f) {
  const auto start = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

TEST(CommonSha256, TwentyMegabytePhotoBothWays) {
  const std::string photo(20 << 20, 'k');
  std::string a, b;
  const double libcrypto = Seconds([&] { a = Sha256Hex(photo); });
  const double portable = Seconds([&] { b = sync::Sha256Hex(photo); });
  EXPECT_EQ(a, b);
  std::printf("SHA-256 of 20 MiB: libcrypto %.1f ms (%.0f MB/s), sync portable %.1f ms (%.0f MB/s)\n",
              libcrypto * 1e3, 20.97152 / libcrypto, portable * 1e3, 20.97152 / portable);
}

}  // namespace
}  // namespace kawal::common
