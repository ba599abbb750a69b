#include "store/photo_store.h"

#include <functional>
#include <memory>

#include "absl/strings/str_cat.h"
#include "rocksdb/write_batch.h"
#include "store/storage_keys.h"
#include "kawal/common/rocks_status.h"
#include "kawal/common/sha256.h"

namespace kawal::server {
namespace {

// The key just past every piece of `sha256` (hex digits, so the prefix
// never ends in 0xff).
std::string PiecesEnd(const std::string& sha256) {
  std::string end = PhotoPiecePrefix(sha256);
  end.back() = static_cast<char>(end.back() + 1);
  return end;
}

int64_t NowMs() { return absl::ToUnixMillis(absl::Now()); }

v1::PhotoStatusEntry EntryStatus(const std::string& sha256, const storage::v1::PhotoEntry* entry) {
  v1::PhotoStatusEntry status;
  status.set_sha256(sha256);
  if (entry == nullptr) {
    status.set_state(v1::PHOTO_MISSING);
    return status;
  }
  status.set_state(entry->complete() ? v1::PHOTO_COMPLETE : v1::PHOTO_PARTIAL);
  status.set_received_offset(entry->received());
  status.set_size(entry->size());
  return status;
}

}  // namespace

PhotoStore::PhotoStore(Database* database, PhotoLimits limits)
    : database_(database), limits_(limits) {}

std::mutex& PhotoStore::StripeOf(const std::string& sha256) {
  return stripes_[std::hash<std::string>{}(sha256) % kStripes];
}

absl::StatusOr<bool> PhotoStore::LoadEntry(const std::string& sha256,
                                           storage::v1::PhotoEntry* entry) const {
  std::string value;
  rocksdb::Status s = database_->db()->Get(rocksdb::ReadOptions(), PhotoEntryKey(sha256), &value);
  if (s.IsNotFound()) return false;
  if (!s.ok()) return common::FromRocks(s, "reading photo " + sha256);
  if (!entry->ParseFromString(value)) {
    return absl::DataLossError(absl::StrCat("stored state of photo ", sha256, " is corrupt"));
  }
  return true;
}

absl::StatusOr<v1::PhotoStatusEntry> PhotoStore::Status(const std::string& sha256) const {
  storage::v1::PhotoEntry entry;
  absl::StatusOr<bool> found = LoadEntry(sha256, &entry);
  if (!found.ok()) return found.status();
  return EntryStatus(sha256, *found ? &entry : nullptr);
}

absl::Status PhotoStore::SyncReceived() {
  return common::FromRocks(database_->db()->SyncWAL(), "syncing received photo bytes");
}

absl::StatusOr<uint32_t> PhotoStore::UploadsInProgress(const std::string& user) const {
  const std::string prefix = PhotoUploadUserPrefix(user);
  std::unique_ptr<rocksdb::Iterator> it(database_->db()->NewIterator(rocksdb::ReadOptions()));
  uint32_t count = 0;
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) ++count;
  if (!it->status().ok()) return common::FromRocks(it->status(), "counting uploads of " + user);
  return count;
}

absl::StatusOr<v1::PhotoStatusEntry> PhotoStore::Begin(const PhotoUploadStart& start) {
  if (start.size == 0) return absl::InvalidArgumentError("photo size must be at least 1 byte");
  if (start.size > limits_.max_photo_bytes) {
    return absl::ResourceExhaustedError(
        absl::StrCat("photo ", start.sha256, " is ", start.size,
                     " bytes, over this server's limit of ", limits_.max_photo_bytes,
                     " bytes (--max_photo_bytes)"));
  }
  if (start.offset > start.size) {
    return absl::InvalidArgumentError(absl::StrCat("offset ", start.offset,
                                                   " is beyond the photo's size of ",
                                                   start.size, " bytes"));
  }
  std::lock_guard<std::mutex> lock(StripeOf(start.sha256));
  storage::v1::PhotoEntry entry;
  absl::StatusOr<bool> found = LoadEntry(start.sha256, &entry);
  if (!found.ok()) return found.status();
  if (*found) {
    if (entry.size() != start.size || entry.content_type() != start.content_type) {
      return absl::InvalidArgumentError(absl::StrCat(
          "photo ", start.sha256, " is being stored as ", entry.size(), " bytes of ",
          entry.content_type(), ", not ", start.size, " bytes of ", start.content_type));
    }
    if (!entry.complete() && entry.received() != start.offset) {
      return absl::FailedPreconditionError(
          absl::StrCat("upload of photo ", start.sha256, " must resume at offset ",
                       entry.received(), ", not ", start.offset));
    }
    return EntryStatus(start.sha256, &entry);
  }
  if (start.offset != 0) {
    return absl::FailedPreconditionError(absl::StrCat("upload of photo ", start.sha256,
                                                      " must start at offset 0, not ",
                                                      start.offset, " (nothing is stored)"));
  }
  absl::StatusOr<uint32_t> in_progress = UploadsInProgress(start.user);
  if (!in_progress.ok()) return in_progress.status();
  if (*in_progress >= limits_.max_uploads_per_user) {
    return absl::ResourceExhaustedError(
        absl::StrCat("user ", start.user, " already has ", *in_progress,
                     " photo uploads in progress (limit ", limits_.max_uploads_per_user,
                     "): finish those first"));
  }
  entry.set_size(start.size);
  entry.set_content_type(start.content_type);
  entry.set_uploader(start.user);
  entry.set_started_ms(NowMs());
  rocksdb::WriteBatch batch;
  batch.Put(PhotoEntryKey(start.sha256), entry.SerializeAsString());
  batch.Put(PhotoUploadKey(start.user, start.sha256), "");
  rocksdb::Status s = database_->db()->Write(rocksdb::WriteOptions(), &batch);
  if (!s.ok()) return common::FromRocks(s, "starting the upload of photo " + start.sha256);
  return EntryStatus(start.sha256, &entry);
}

absl::StatusOr<std::string> PhotoStore::HashPieces(const std::string& sha256) const {
  const std::string prefix = PhotoPiecePrefix(sha256);
  rocksdb::ReadOptions read;
  read.fill_cache = false;  // read once, at completion
  std::unique_ptr<rocksdb::Iterator> it(database_->db()->NewIterator(read));
  common::Sha256 hash;
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    hash.Update(it->value().data(), it->value().size());
  }
  if (!it->status().ok()) return common::FromRocks(it->status(), "reading photo " + sha256);
  return hash.FinishHex();
}

absl::StatusOr<v1::PhotoStatusEntry> PhotoStore::Append(const std::string& sha256,
                                                        uint64_t offset, absl::string_view data) {
  std::lock_guard<std::mutex> lock(StripeOf(sha256));
  storage::v1::PhotoEntry entry;
  absl::StatusOr<bool> found = LoadEntry(sha256, &entry);
  if (!found.ok()) return found.status();
  if (!*found) {
    return absl::FailedPreconditionError(
        absl::StrCat("upload of photo ", sha256, " was discarded meanwhile: start again"));
  }
  if (entry.complete()) return EntryStatus(sha256, &entry);  // sent by another device
  if (offset != entry.received()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "upload of photo ", sha256, " must resume at offset ", entry.received(), ", not ", offset));
  }
  if (data.size() > entry.size() - entry.received()) {
    return absl::InvalidArgumentError(absl::StrCat("data at offset ", offset, " runs ",
                                                   data.size() - (entry.size() - offset),
                                                   " bytes past the photo's size of ",
                                                   entry.size(), " bytes"));
  }
  if (data.empty()) return EntryStatus(sha256, &entry);
  entry.set_received(entry.received() + data.size());
  rocksdb::WriteBatch batch;
  batch.Put(PhotoPieceKey(sha256, offset), rocksdb::Slice(data.data(), data.size()));
  if (entry.received() < entry.size()) {
    batch.Put(PhotoEntryKey(sha256), entry.SerializeAsString());
    rocksdb::Status s = database_->db()->Write(rocksdb::WriteOptions(), &batch);
    if (!s.ok()) return common::FromRocks(s, "storing photo " + sha256);
    return EntryStatus(sha256, &entry);
  }

  // The last piece: store it, then verify the whole content.
  rocksdb::Status s = database_->db()->Write(rocksdb::WriteOptions(), &batch);
  if (!s.ok()) return common::FromRocks(s, "storing photo " + sha256);
  absl::StatusOr<std::string> actual = HashPieces(sha256);
  if (!actual.ok()) return actual.status();
  rocksdb::WriteBatch finish;
  finish.Delete(PhotoUploadKey(entry.uploader(), sha256));
  if (*actual != sha256) {
    finish.DeleteRange(PhotoPiecePrefix(sha256), PiecesEnd(sha256));
    finish.Delete(PhotoEntryKey(sha256));
    s = database_->db()->Write(database_->durable(), &finish);
    if (!s.ok()) return common::FromRocks(s, "discarding photo " + sha256);
    return absl::InvalidArgumentError(absl::StrCat(
        "photo content does not match its SHA-256 ", sha256, " (the bytes received hash to ",
        *actual, "): the upload was discarded; send the photo again"));
  }
  entry.set_complete(true);
  entry.set_completed_ms(NowMs());
  finish.Put(PhotoEntryKey(sha256), entry.SerializeAsString());
  s = database_->db()->Write(database_->durable(), &finish);
  if (!s.ok()) return common::FromRocks(s, "completing photo " + sha256);
  if (stored_observer_) stored_observer_(entry.size());
  return EntryStatus(sha256, &entry);
}

absl::StatusOr<std::string> PhotoStore::Read(const std::string& sha256, uint64_t offset,
                                             size_t max_bytes) const {
  storage::v1::PhotoEntry entry;
  absl::StatusOr<bool> found = LoadEntry(sha256, &entry);
  if (!found.ok()) return found.status();
  if (!*found || !entry.complete()) {
    return absl::NotFoundError(absl::StrCat("photo ", sha256, " is not on the server yet"));
  }
  if (offset > entry.size()) {
    return absl::InvalidArgumentError(absl::StrCat("offset ", offset,
                                                   " is beyond the photo's size of ",
                                                   entry.size(), " bytes"));
  }
  const std::string prefix = PhotoPiecePrefix(sha256);
  std::unique_ptr<rocksdb::Iterator> it(database_->db()->NewIterator(rocksdb::ReadOptions()));
  // The piece holding `offset` is the last one starting at or before it.
  it->SeekForPrev(PhotoPieceKey(sha256, offset));
  if (!it->Valid() || !it->key().starts_with(prefix)) it->Seek(prefix);
  std::string out;
  for (; it->Valid() && it->key().starts_with(prefix) && out.size() < max_bytes; it->Next()) {
    const uint64_t piece_offset = ReadBigEndian64(it->key().data() + prefix.size());
    const uint64_t piece_end = piece_offset + it->value().size();
    if (piece_end <= offset) continue;
    const uint64_t from = std::max(offset, piece_offset) - piece_offset;
    const size_t take = std::min<size_t>(it->value().size() - from, max_bytes - out.size());
    out.append(it->value().data() + from, take);
    offset += take;
  }
  if (!it->status().ok()) return common::FromRocks(it->status(), "reading photo " + sha256);
  return out;
}

absl::StatusOr<uint64_t> PhotoStore::Purge(const std::vector<std::string>& sha256s) {
  uint64_t purged = 0;
  for (const std::string& sha256 : sha256s) {
    std::lock_guard<std::mutex> lock(StripeOf(sha256));
    storage::v1::PhotoEntry entry;
    absl::StatusOr<bool> found = LoadEntry(sha256, &entry);
    if (!found.ok()) return found.status();
    if (!*found) continue;
    rocksdb::WriteBatch batch;
    batch.DeleteRange(PhotoPiecePrefix(sha256), PiecesEnd(sha256));
    batch.Delete(PhotoEntryKey(sha256));
    batch.Delete(PhotoUploadKey(entry.uploader(), sha256));
    rocksdb::Status s = database_->db()->Write(database_->durable(), &batch);
    if (!s.ok()) return common::FromRocks(s, "purging photo " + sha256);
    ++purged;
  }
  return purged;
}

}  // namespace kawal::server
