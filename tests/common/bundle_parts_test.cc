// Bundles split by size (kawal/common/bundle_parts.h, bundle_part_files.h):
// every part fits the maximum and is a signed, sealed bundle file; the parts
// join back to the body in any order; a missing, repeated, foreign or
// altered part is refused naming it; part files are named and grouped.
#include "kawal/common/bundle_parts.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "bundle_test_header.h"
#include "gtest/gtest.h"
#include "kawal/common/bundle_part_files.h"
#include "server_process.h"
#include "status_assert.h"

namespace kawal::common {
namespace {

using ::kawal::testing::IsOkAndHolds;

// A body that does not repeat, so a slice out of place shows.
std::string Body(size_t size) {
  std::string body(size, '\0');
  for (size_t i = 0; i < size; ++i) body[i] = static_cast<char>((i * 131 + i / 251) & 0xff);
  return body;
}

class BundlePartsTest : public ::testing::Test {
 protected:
  absl::StatusOr<std::vector<std::string>> Split(absl::string_view body, uint64_t max_bytes) {
    return WriteBundleParts(DeviceHeader(), body, device_, server_.public_key, max_bytes);
  }
  absl::StatusOr<std::string> Join(const std::vector<std::string>& files) {
    absl::StatusOr<std::vector<VerifiedBundle>> parts = CollectBundleParts(files);
    if (!parts.ok()) return parts.status();
    return OpenBundleParts(*parts, server_);
  }
  std::string ErrorOf(const std::vector<std::string>& files) {
    absl::StatusOr<std::string> joined = Join(files);
    return joined.ok() ? "ok" : std::string(joined.status().message());
  }

  SigningKeyPair device_ = NewSigningKeyPair();
  BoxKeyPair server_ = NewBoxKeyPair();
};

TEST_F(BundlePartsTest, PartsFitTheMaximumAndJoinInAnyOrder) {
  const std::string body = Body(100'000);
  for (uint64_t max_bytes : {1'000u, 4'096u, 33'333u, 99'999u}) {
    ASSERT_OK_AND_ASSIGN(std::vector<std::string> files, Split(body, max_bytes));
    ASSERT_GT(files.size(), 1u) << max_bytes;
    for (size_t k = 0; k < files.size(); ++k) {
      EXPECT_LE(files[k].size(), max_bytes) << "part " << k + 1;
      ASSERT_OK_AND_ASSIGN(VerifiedBundle part, ReadBundle(files[k]));
      EXPECT_EQ(part.header.part(), k + 1);
      EXPECT_EQ(part.header.part_count(), files.size());
      EXPECT_EQ(part.header.bundle_id(), BundleIdOf(body)) << "the id of the whole body";
      EXPECT_EQ(part.header.user(), "fasilitator1");
      EXPECT_EQ(OpenBundleBody(part, server_).status().code(),
                absl::StatusCode::kFailedPrecondition)
          << "a part alone is not a body";
    }
    EXPECT_THAT(Join(files), IsOkAndHolds(body)) << max_bytes;
    std::reverse(files.begin(), files.end());
    EXPECT_THAT(Join(files), IsOkAndHolds(body)) << max_bytes;
  }
}

TEST_F(BundlePartsTest, ABodyThatFitsIsOneWholeFile) {
  const std::string body = Body(500);
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> files, Split(body, 10'000));
  ASSERT_EQ(files.size(), 1u);
  ASSERT_OK_AND_ASSIGN(VerifiedBundle whole, ReadBundle(files[0]));
  EXPECT_EQ(whole.header.part_count(), 1u);
  EXPECT_THAT(OpenBundleBody(whole, server_), IsOkAndHolds(body));
  EXPECT_THAT(Join(files), IsOkAndHolds(body));
  // Without a maximum: the same.
  ASSERT_OK_AND_ASSIGN(files, Split(body, UINT64_MAX));
  EXPECT_EQ(files.size(), 1u);
  ASSERT_OK_AND_ASSIGN(files, Split("", 1'000));
  EXPECT_THAT(Join(files), IsOkAndHolds(""));
}

TEST_F(BundlePartsTest, AMaximumTooSmallNamesTheSmallestUsable) {
  absl::StatusOr<std::vector<std::string>> files = Split(Body(1'000), 100);
  ASSERT_FALSE(files.ok());
  EXPECT_EQ(files.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(files.status().message().find("use a maximum of at least"), absl::string_view::npos)
      << files.status();
  // Room for a hundred bytes of body per part: too many parts.
  files = Split(Body(2'000'000), 400);
  ASSERT_FALSE(files.ok());
  EXPECT_NE(files.status().message().find("parts (at most 10000)"), absl::string_view::npos)
      << files.status();
}

TEST_F(BundlePartsTest, AMissingPartIsNamed) {
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> files, Split(Body(10'000), 2'000));
  ASSERT_GE(files.size(), 6u);
  std::vector<std::string> without_two = files;
  without_two.erase(without_two.begin() + 1);
  const std::string count = std::to_string(files.size());
  EXPECT_EQ(ErrorOf(without_two),
            "part 2 of " + count + " is missing: bring all parts of the bundle together");
  std::vector<std::string> without_two_and_five = without_two;
  without_two_and_five.erase(without_two_and_five.begin() + 3);
  EXPECT_NE(ErrorOf(without_two_and_five).find("parts 2, 5 of " + count + " are missing"),
            std::string::npos);
}

TEST_F(BundlePartsTest, ARepeatedPartIsRefused) {
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> files, Split(Body(10'000), 4'000));
  files.push_back(files[1]);
  EXPECT_NE(ErrorOf(files).find("part 2 of"), std::string::npos);
  EXPECT_NE(ErrorOf(files).find("given twice"), std::string::npos);
}

TEST_F(BundlePartsTest, APartOfAnotherBundleIsRefused) {
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> mine, Split(Body(10'000), 4'000));
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> other, Split(Body(10'001), 4'000));
  ASSERT_EQ(mine.size(), other.size());
  mine[1] = other[1];
  EXPECT_NE(ErrorOf(mine).find("not a part of the same bundle"), std::string::npos)
      << ErrorOf(mine);
  // Same body, another signer: refused too.
  const SigningKeyPair thief = NewSigningKeyPair();
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> forged,
                       WriteBundleParts(DeviceHeader(), Body(10'000), thief, server_.public_key,
                                        4'000));
  ASSERT_OK_AND_ASSIGN(mine, Split(Body(10'000), 4'000));
  mine[0] = forged[0];
  EXPECT_NE(ErrorOf(mine).find("another signer"), std::string::npos) << ErrorOf(mine);
}

TEST_F(BundlePartsTest, AnAlteredPartIsRefusedNamingIt) {
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> files, Split(Body(10'000), 4'000));
  std::vector<std::string> altered = files;
  altered[1][altered[1].size() / 2] ^= 1;
  const std::string message = ErrorOf(altered);
  EXPECT_NE(message.find("file 2 of"), std::string::npos) << message;
  EXPECT_NE(message.find("altered or damaged"), std::string::npos) << message;
}

// A slice moved under another part's header (same signer re-signing)
// does not open: the seal binds the header, part number included.
TEST_F(BundlePartsTest, SlicesSwappedBetweenPartsDoNotOpen) {
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> files, Split(Body(10'000), 4'000));
  ASSERT_OK_AND_ASSIGN(std::vector<VerifiedBundle> parts, CollectBundleParts(files));
  std::swap(parts[0].sealed_body, parts[1].sealed_body);
  absl::StatusOr<std::string> joined = OpenBundleParts(parts, server_);
  ASSERT_FALSE(joined.ok());
  EXPECT_EQ(joined.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(joined.status().message().find("part 1 of"), absl::string_view::npos);
}

TEST(BundlePartNamesTest, PartNamesKeepTheBundleExtension) {
  EXPECT_EQ(BundlePartPath("/usb/ani.bundle", 2, 3), "/usb/ani.part2of3.bundle");
  EXPECT_EQ(BundlePartPath("/usb/ani", 10, 12), "/usb/ani.part10of12.bundle");
  EXPECT_EQ(WholeBundlePath("/usb/ani.part2of3.bundle"), "/usb/ani.bundle");
  EXPECT_EQ(WholeBundlePath("/usb/ani.part10of12.bundle"), "/usb/ani.bundle");
  EXPECT_EQ(WholeBundlePath("/usb/ani.bundle"), "/usb/ani.bundle");
  EXPECT_EQ(WholeBundlePath("/usb/ani.partXof3.bundle"), "/usb/ani.partXof3.bundle");
  EXPECT_EQ(WholeBundlePath("/usb/ani.part2of3"), "/usb/ani.part2of3");
}

// ani's bundle in three parts, written to a folder as an export does.
class BundlePartFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(ani_, WriteBundleParts(DeviceHeader(), Body(9'000), device_,
                                                server_.public_key, 4'000));
    ASSERT_OK_AND_ASSIGN(written_, WriteBundleFiles(dir_.path() + "/ani.bundle", ani_));
  }

  SigningKeyPair device_ = NewSigningKeyPair();
  BoxKeyPair server_ = NewBoxKeyPair();
  ::kawal::testing::TempDir dir_;
  std::vector<std::string> ani_, written_;
};

TEST_F(BundlePartFilesTest, FilesAreGroupedByBundleInPartOrder) {
  ASSERT_EQ(written_.size(), 3u);
  EXPECT_EQ(written_[1], dir_.path() + "/ani.part2of3.bundle");
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> budi,
                       WriteBundleParts(DeviceHeader(), Body(100), device_, server_.public_key,
                                        4'000));
  ASSERT_OK(WriteBundleFiles(dir_.path() + "/budi.bundle", budi).status());
  std::ofstream(dir_.path() + "/junk.bundle") << "not a bundle";

  const BundleFileGroups groups =
      GroupBundleFiles({written_[2], dir_.path() + "/budi.bundle", dir_.path() + "/junk.bundle",
                        written_[0], dir_.path() + "/missing.bundle", written_[1]});
  ASSERT_EQ(groups.groups.size(), 2u);
  EXPECT_EQ(groups.groups[0].paths, written_) << "in part order";
  EXPECT_EQ(groups.groups[0].name, dir_.path() + "/ani.bundle");
  EXPECT_EQ(groups.groups[0].part_count, 3u);
  EXPECT_EQ(groups.groups[1].paths, std::vector<std::string>{dir_.path() + "/budi.bundle"});
  EXPECT_EQ(groups.groups[1].name, dir_.path() + "/budi.bundle");
  ASSERT_EQ(groups.unreadable.size(), 2u);
  EXPECT_NE(groups.unreadable[0].status.message().find("not a Kawal bundle"),
            absl::string_view::npos);
  EXPECT_EQ(groups.unreadable[1].path, dir_.path() + "/missing.bundle");
  EXPECT_THAT(ReadBundleFile(written_[0]), IsOkAndHolds(ani_[0]));
}

TEST_F(BundlePartFilesTest, ASecondCopyOfAPartIsSetAside) {
  std::filesystem::copy_file(written_[1], dir_.path() + "/copy.bundle");
  const BundleFileGroups groups =
      GroupBundleFiles({written_[0], written_[1], dir_.path() + "/copy.bundle", written_[2]});
  ASSERT_EQ(groups.groups.size(), 1u);
  EXPECT_EQ(groups.groups[0].paths, written_);
  ASSERT_EQ(groups.unreadable.size(), 1u);
  EXPECT_EQ(groups.unreadable[0].path, dir_.path() + "/copy.bundle");
  EXPECT_NE(groups.unreadable[0].status.message().find("another copy of part 2 of 3"),
            absl::string_view::npos);
  EXPECT_EQ(BundleGroupLabel(groups.groups[0]), dir_.path() + "/ani.bundle [3/3 parts]");
}

TEST_F(BundlePartFilesTest, AnyPartFindsItsSiblings) {
  EXPECT_THAT(ReadBundleFilesOf(written_[1]), IsOkAndHolds(ani_));
  std::filesystem::remove(written_[2]);
  absl::StatusOr<std::vector<std::string>> missing = ReadBundleFilesOf(written_[0]);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("part 3 of 3 is missing"), absl::string_view::npos);
}

}  // namespace
}  // namespace kawal::common
