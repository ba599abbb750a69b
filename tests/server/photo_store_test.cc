// Tests for server/src/photo_store.cc, in process against a RocksDB in a
// temporary dir: an upload resumes at the last stored byte (also after the
// database is reopened), a photo becomes COMPLETE only when its bytes match
// its SHA-256 and a mismatch discards every piece, and Purge discards a
// photo (complete or in progress, freeing the uploader's quota).
#include <memory>
#include <random>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "store/database.h"
#include "kawal/sync/sha256.h"
#include "store/photo_store.h"
#include "server_process.h"
#include "status_assert.h"

namespace kawal::server {
namespace {

using kawal::testing::TempDir;
using ::testing::HasSubstr;

// `size` pseudo-random bytes.
std::string Bytes(size_t size, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::string bytes(size, '\0');
  for (char& c : bytes) c = static_cast<char>(rng());
  return bytes;
}

class PhotoStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(Open()); }

  // (Re)opens the database and a store over it.
  void Open() {
    store_.reset();
    database_.reset();
    ASSERT_OK_AND_ASSIGN(database_, Database::Open(dir_.path() + "/db"));
    PhotoLimits limits;
    limits.max_photo_bytes = 1 << 20;
    limits.max_uploads_per_user = 1;
    store_ = std::make_unique<PhotoStore>(database_.get(), limits);
  }

  static PhotoUploadStart Start(const std::string& bytes, uint64_t offset = 0,
                                const std::string& user = "ani") {
    PhotoUploadStart start;
    start.sha256 = sync::Sha256Hex(bytes);
    start.offset = offset;
    start.size = bytes.size();
    start.content_type = "image/jpeg";
    start.user = user;
    return start;
  }

  TempDir dir_;
  std::unique_ptr<Database> database_;
  std::unique_ptr<PhotoStore> store_;
};

TEST_F(PhotoStoreTest, UploadResumesAtTheLastStoredByteAcrossAReopen) {
  const std::string photo = Bytes(100000, 1);
  const std::string sha = sync::Sha256Hex(photo);
  ASSERT_OK_AND_ASSIGN(v1::PhotoStatusEntry missing, store_->Status(sha));
  EXPECT_EQ(missing.state(), v1::PHOTO_MISSING);

  ASSERT_OK_AND_ASSIGN(v1::PhotoStatusEntry begun, store_->Begin(Start(photo)));
  EXPECT_EQ(begun.state(), v1::PHOTO_PARTIAL);
  EXPECT_EQ(begun.received_offset(), 0u);
  ASSERT_OK_AND_ASSIGN(v1::PhotoStatusEntry part, store_->Append(sha, 0, photo.substr(0, 30000)));
  EXPECT_EQ(part.state(), v1::PHOTO_PARTIAL);
  EXPECT_EQ(part.received_offset(), 30000u);
  ASSERT_OK(store_->SyncReceived());

  // The server restarts: what it reported as received is still there.
  ASSERT_NO_FATAL_FAILURE(Open());
  ASSERT_OK_AND_ASSIGN(v1::PhotoStatusEntry reopened, store_->Status(sha));
  EXPECT_EQ(reopened.state(), v1::PHOTO_PARTIAL);
  EXPECT_EQ(reopened.received_offset(), 30000u);
  EXPECT_EQ(reopened.size(), photo.size());

  // Only the stored offset continues the upload.
  auto from_zero = store_->Begin(Start(photo, 0));
  EXPECT_EQ(from_zero.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(from_zero.status().message()), HasSubstr("must resume at offset 30000"));
  auto skipped = store_->Append(sha, 40000, photo.substr(40000, 1000));
  EXPECT_EQ(skipped.status().code(), absl::StatusCode::kFailedPrecondition);
  ASSERT_OK_AND_ASSIGN(v1::PhotoStatusEntry resumed, store_->Begin(Start(photo, 30000)));
  EXPECT_EQ(resumed.received_offset(), 30000u);
  auto read_early = store_->Read(sha, 0, 100);
  EXPECT_EQ(read_early.status().code(), absl::StatusCode::kNotFound) << "partial is invisible";

  ASSERT_OK_AND_ASSIGN(v1::PhotoStatusEntry more,
                       store_->Append(sha, 30000, photo.substr(30000, 50000)));
  EXPECT_EQ(more.state(), v1::PHOTO_PARTIAL);
  ASSERT_OK_AND_ASSIGN(v1::PhotoStatusEntry done, store_->Append(sha, 80000, photo.substr(80000)));
  EXPECT_EQ(done.state(), v1::PHOTO_COMPLETE);
  EXPECT_EQ(done.received_offset(), photo.size());

  ASSERT_OK_AND_ASSIGN(std::string whole, store_->Read(sha, 0, photo.size()));
  EXPECT_TRUE(whole == photo) << "the bytes read back differ";
  ASSERT_OK_AND_ASSIGN(std::string tail, store_->Read(sha, 29990, 20));
  EXPECT_TRUE(tail == photo.substr(29990, 20)) << "a read across two pieces";
  EXPECT_EQ(store_->Read(sha, photo.size() + 1, 10).status().code(),
            absl::StatusCode::kInvalidArgument);
  // A complete photo: a new upload of it has nothing to send.
  ASSERT_OK_AND_ASSIGN(v1::PhotoStatusEntry again, store_->Begin(Start(photo, 0, "budi")));
  EXPECT_EQ(again.state(), v1::PHOTO_COMPLETE);
}

TEST_F(PhotoStoreTest, BytesThatDoNotMatchTheHashAreDiscarded) {
  const std::string photo = Bytes(50000, 2);
  std::string corrupted = photo;
  corrupted[40000] ^= 0x01;
  const std::string sha = sync::Sha256Hex(photo);
  ASSERT_OK(store_->Begin(Start(photo)));
  ASSERT_OK(store_->Append(sha, 0, corrupted.substr(0, 25000)));
  auto last = store_->Append(sha, 25000, corrupted.substr(25000));
  EXPECT_EQ(last.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(last.status().message()), HasSubstr("does not match its SHA-256"));
  ASSERT_OK_AND_ASSIGN(v1::PhotoStatusEntry after, store_->Status(sha));
  EXPECT_EQ(after.state(), v1::PHOTO_MISSING) << "every piece discarded";
  EXPECT_EQ(store_->Read(sha, 0, 10).status().code(), absl::StatusCode::kNotFound);

  // The upload starts again from zero (and the quota of one is free again).
  ASSERT_OK_AND_ASSIGN(v1::PhotoStatusEntry fresh, store_->Begin(Start(photo)));
  EXPECT_EQ(fresh.received_offset(), 0u);
  ASSERT_OK_AND_ASSIGN(v1::PhotoStatusEntry done, store_->Append(sha, 0, photo));
  EXPECT_EQ(done.state(), v1::PHOTO_COMPLETE);
}

TEST_F(PhotoStoreTest, RequestsOutsideTheLimitsAreRefused) {
  const std::string photo = Bytes(1000, 3);
  PhotoUploadStart empty = Start(photo);
  empty.size = 0;
  EXPECT_EQ(store_->Begin(empty).status().code(), absl::StatusCode::kInvalidArgument);
  PhotoUploadStart huge = Start(photo);
  huge.size = (1 << 20) + 1;
  EXPECT_EQ(store_->Begin(huge).status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(store_->Begin(Start(photo, 10)).status().code(),
            absl::StatusCode::kFailedPrecondition)
      << "nothing is stored, so only offset 0";
  ASSERT_OK(store_->Begin(Start(photo)));
  EXPECT_EQ(store_->Append(sync::Sha256Hex(photo), 0, photo + "x").status().code(),
            absl::StatusCode::kInvalidArgument)
      << "data past the photo's size";
  ASSERT_OK_AND_ASSIGN(v1::PhotoStatusEntry still, store_->Status(sync::Sha256Hex(photo)));
  EXPECT_EQ(still.received_offset(), 0u);
}

TEST_F(PhotoStoreTest, PurgeDiscardsCompleteAndPartialPhotos) {
  const std::string complete = Bytes(20000, 4), partial = Bytes(20000, 5), next = Bytes(100, 6);
  const std::string complete_sha = sync::Sha256Hex(complete);
  const std::string partial_sha = sync::Sha256Hex(partial);
  ASSERT_OK(store_->Begin(Start(complete)));
  ASSERT_OK(store_->Append(complete_sha, 0, complete));
  ASSERT_OK(store_->Begin(Start(partial)));
  ASSERT_OK(store_->Append(partial_sha, 0, partial.substr(0, 5000)));
  EXPECT_EQ(store_->Begin(Start(next)).status().code(), absl::StatusCode::kResourceExhausted)
      << "one upload in progress is ani's limit";

  ASSERT_OK_AND_ASSIGN(uint64_t purged,
                       store_->Purge({complete_sha, partial_sha, sync::Sha256Hex(next)}));
  EXPECT_EQ(purged, 2u) << "the third had nothing stored";
  for (const std::string& sha : {complete_sha, partial_sha}) {
    ASSERT_OK_AND_ASSIGN(v1::PhotoStatusEntry status, store_->Status(sha));
    EXPECT_EQ(status.state(), v1::PHOTO_MISSING);
  }
  EXPECT_EQ(store_->Read(complete_sha, 0, 10).status().code(), absl::StatusCode::kNotFound);
  EXPECT_OK(store_->Begin(Start(next))) << "the purged upload no longer counts";
  ASSERT_OK_AND_ASSIGN(purged, store_->Purge({complete_sha}));
  EXPECT_EQ(purged, 0u);
}

}  // namespace
}  // namespace kawal::server
