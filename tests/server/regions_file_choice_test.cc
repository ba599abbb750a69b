// Which regions file kawal-server reads without --regions_file: the packaged
// /usr/share/kawal copy first, whatever prefix the binary was built with;
// the first candidate that exists wins. Candidates are temporary files here:
// nothing is written under /usr.
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "app/region_seed.h"
#include "server_process.h"

namespace kawal::server {
namespace {

using kawal::testing::TempDir;

TEST(RegionsFileChoiceTest, PackagedLocationComesFirstAndSourceTreeLast) {
  const std::vector<std::string> candidates = RegionsFileCandidates();
  ASSERT_GE(candidates.size(), 2u);
  EXPECT_EQ(candidates.front(), "/usr/share/kawal/wilayah.csv");
  EXPECT_EQ(candidates.back(), KAWAL_TEST_SOURCE_REGIONS_FILE);
  for (size_t i = 0; i < candidates.size(); ++i) {
    for (size_t j = i + 1; j < candidates.size(); ++j) EXPECT_NE(candidates[i], candidates[j]);
  }
}

TEST(RegionsFileChoiceTest, FirstExistingCandidateWins) {
  TempDir dir;
  const std::string packaged = dir.path() + "/usr-share/wilayah.csv";
  const std::string prefix = dir.path() + "/prefix-share/wilayah.csv";
  const std::string source = dir.path() + "/source/wilayah.csv";
  std::filesystem::create_directories(dir.path() + "/prefix-share");
  std::filesystem::create_directories(dir.path() + "/source");
  std::ofstream(prefix) << "62,KALIMANTAN TENGAH\n";
  std::ofstream(source) << "62,KALIMANTAN TENGAH\n";

  EXPECT_EQ(ChooseRegionsFile({packaged, prefix, source}), prefix) << "packaged copy absent";
  std::filesystem::create_directories(dir.path() + "/usr-share");
  std::ofstream(packaged) << "62,KALIMANTAN TENGAH\n";
  EXPECT_EQ(ChooseRegionsFile({packaged, prefix, source}), packaged);
}

TEST(RegionsFileChoiceTest, NoneExistingNamesTheFirst) {
  TempDir dir;
  const std::string packaged = dir.path() + "/absent/wilayah.csv";
  EXPECT_EQ(ChooseRegionsFile({packaged, dir.path() + "/also-absent.csv"}), packaged);
  EXPECT_EQ(ChooseRegionsFile({dir.path()}), dir.path()) << "a folder is not a file";
  EXPECT_EQ(ChooseRegionsFile({}), "");
}

}  // namespace
}  // namespace kawal::server
