// Runs each fuzz target's check over its committed corpus
// (tests/fuzz/corpus/<target>/*): seeds and every crash the fuzzers found.
// Built and run in the default build, without libFuzzer.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "fuzz_checks.h"

namespace kawal::fuzz {
namespace {

using Check = int (*)(const uint8_t*, size_t);

void RunCorpus(const std::string& target, Check check) {
  const std::filesystem::path dir = std::filesystem::path(KAWAL_FUZZ_CORPUS_DIR) / target;
  ASSERT_TRUE(std::filesystem::is_directory(dir)) << dir;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().filename().string()[0] != '.') {
      files.push_back(entry.path());
    }
  }
  ASSERT_FALSE(files.empty()) << "no corpus in " << dir;
  for (const auto& path : files) {
    SCOPED_TRACE(path.string());
    std::ifstream in(path, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(check(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()), 0);
  }
}

TEST(FuzzRegressionTest, MergeCorpus) { RunCorpus("merge_fuzz", &CheckMergeInput); }
TEST(FuzzRegressionTest, DecodeCorpus) { RunCorpus("decode_fuzz", &CheckDecodeInput); }
TEST(FuzzRegressionTest, CursorCorpus) { RunCorpus("cursor_fuzz", &CheckCursorInput); }
TEST(FuzzRegressionTest, JsonCorpus) { RunCorpus("json_fuzz", &CheckJsonInput); }
TEST(FuzzRegressionTest, ApbdesCorpus) { RunCorpus("apbdes_fuzz", &CheckApbdesInput); }
TEST(FuzzRegressionTest, BundleCorpus) { RunCorpus("bundle_fuzz", &CheckBundleInput); }

// The checks also hold on the degenerate inputs.
TEST(FuzzRegressionTest, EmptyAndTinyInputs) {
  const uint8_t bytes[] = {0, 1, 0xff, 0x80};
  for (size_t n = 0; n <= sizeof(bytes); ++n) {
    EXPECT_EQ(CheckMergeInput(bytes, n), 0);
    EXPECT_EQ(CheckDecodeInput(bytes, n), 0);
    EXPECT_EQ(CheckCursorInput(bytes, n), 0);
    EXPECT_EQ(CheckJsonInput(bytes, n), 0);
    EXPECT_EQ(CheckApbdesInput(bytes, n), 0);
    EXPECT_EQ(CheckBundleInput(bytes, n), 0);
  }
}

}  // namespace
}  // namespace kawal::fuzz
