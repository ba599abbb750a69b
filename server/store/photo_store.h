// Photo bytes in the server's RocksDB (docs/photos.md): stored as the
// pieces they arrive in, keyed by SHA-256 and offset, so an upload cut at
// any moment resumes from the last stored byte. A photo becomes visible
// (COMPLETE) only once all its bytes are stored and match its SHA-256; a
// mismatch discards every piece. Being in the one database, photos are in
// every backup and come back with every restore.
//
// Durability: pieces are written without syncing the WAL (a photo is
// hundreds of them); what the server reports as received is made durable
// first (Status and Checkpoint sync the WAL), and completion is a synced
// write.
//
// Thread-safety: all methods may be called concurrently; uploads of one
// photo are serialized by a lock stripe on its hash.
#ifndef KAWAL_SERVER_STORE_PHOTO_STORE_H_
#define KAWAL_SERVER_STORE_PHOTO_STORE_H_

#include <array>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "base/server_tuning.h"
#include "store/database.h"
#include "kawal/storage/v1/storage.pb.h"
#include "kawal/v1/photo.pb.h"

namespace kawal::server {

struct PhotoLimits {
  uint64_t max_photo_bytes = tuning::kMaxPhotoBytes;
  // Uploads a user may have started and not finished at once.
  uint32_t max_uploads_per_user = tuning::kPhotoUploadsPerUser;
};

struct PhotoUploadStart {
  std::string sha256;  // 64 lowercase hex digits
  uint64_t offset = 0;
  uint64_t size = 0;
  std::string content_type;
  std::string user;
};

class PhotoStore {
 public:
  PhotoStore(Database* database, PhotoLimits limits);

  const PhotoLimits& limits() const { return limits_; }

  // Called with a photo's size each time its content is stored: the last
  // byte arrived and matched the SHA-256 (a discarded upload or a photo
  // another device sent first calls nothing). Set before serving; called
  // from the uploading thread.
  void SetStoredObserver(std::function<void(uint64_t bytes)> observer) {
    stored_observer_ = std::move(observer);
  }

  // The stored state of `sha256` (MISSING when nothing is stored). Not
  // synced: call SyncReceived before reporting a PARTIAL offset.
  absl::StatusOr<v1::PhotoStatusEntry> Status(const std::string& sha256) const;
  // Makes every stored piece durable.
  absl::Status SyncReceived();

  // Checks an upload may continue at `start.offset` and records a new one.
  // Returns the state after the check (COMPLETE: nothing more to send).
  absl::StatusOr<v1::PhotoStatusEntry> Begin(const PhotoUploadStart& start);
  // Stores `data` at `offset` (which must be where the upload is). When the
  // last byte arrives, verifies the SHA-256: COMPLETE on a match (synced);
  // on a mismatch every piece is deleted and INVALID_ARGUMENT returned.
  absl::StatusOr<v1::PhotoStatusEntry> Append(const std::string& sha256, uint64_t offset,
                                               absl::string_view data);

  // Up to `max_bytes` of a COMPLETE photo from `offset` (NOT_FOUND when not
  // complete; INVALID_ARGUMENT when `offset` is past its end).
  absl::StatusOr<std::string> Read(const std::string& sha256, uint64_t offset,
                                   size_t max_bytes) const;

  // Deletes the bytes (and any upload in progress) of each photo; returns
  // how many had something stored.
  absl::StatusOr<uint64_t> Purge(const std::vector<std::string>& sha256s);

 private:
  static constexpr size_t kStripes = 64;
  std::mutex& StripeOf(const std::string& sha256);
  absl::StatusOr<bool> LoadEntry(const std::string& sha256, storage::v1::PhotoEntry* entry) const;
  // Hashes the stored pieces of `sha256` in order.
  absl::StatusOr<std::string> HashPieces(const std::string& sha256) const;
  // Counts `user`'s uploads in progress.
  absl::StatusOr<uint32_t> UploadsInProgress(const std::string& user) const;

  Database* const database_;
  const PhotoLimits limits_;
  std::array<std::mutex, kStripes> stripes_;
  std::function<void(uint64_t)> stored_observer_;
};

}  // namespace kawal::server

#endif  // KAWAL_SERVER_STORE_PHOTO_STORE_H_
