#include "local_store.h"

#include <algorithm>
#include <filesystem>
#include <random>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "kawal/sync/codec.h"
#include "rocksdb/cache.h"
#include "rocksdb/filter_policy.h"
#include "kawal/common/random_id.h"
#include "kawal/common/rocks_status.h"
#include "rocksdb/options.h"
#include "rocksdb/table.h"
#include "acknowledgements.h"
#include "local_indexes.h"

namespace kawal::mobile {
namespace {

constexpr char kStateKey[] = "mstate";
constexpr char kFormatKey[] = "mformat";
constexpr char kIndexesKey[] = "mindexes";
constexpr size_t kRebuildChunk = 2000;  // records per write while rebuilding indexes

std::string EncodeFormat(uint32_t v) {
  std::string out(4, '\0');
  for (int i = 0; i < 4; ++i) out[i] = static_cast<char>(v >> (24 - 8 * i));
  return out;
}

uint32_t DecodeFormat(const std::string& s) {
  uint32_t v = 0;
  for (size_t i = 0; i < 4 && i < s.size(); ++i) v = (v << 8) | static_cast<uint8_t>(s[i]);
  return v;
}

template <typename Message>
absl::StatusOr<std::optional<Message>> GetMessage(rocksdb::DB* db, const std::string& key) {
  std::string value;
  rocksdb::Status s = db->Get(rocksdb::ReadOptions(), key, &value);
  if (s.IsNotFound()) return std::optional<Message>();
  if (!s.ok()) return common::FromRocks(s, "reading local store");
  Message message;
  if (!message.ParseFromString(value)) {
    return absl::DataLossError(absl::StrCat("local store entry is corrupt (key family '",
                                            key.substr(0, 1), "')"));
  }
  return std::optional<Message>(std::move(message));
}

}  // namespace

std::string LocalRecordKey(char family, const std::string& collection, const std::string& id) {
  std::string key(1, family);
  key += collection;
  key.push_back('\0');
  key += id;
  return key;
}

absl::StatusOr<std::unique_ptr<LocalStore>> LocalStore::Open(const std::string& dir) {
  std::unique_ptr<LocalStore> store(new LocalStore());
  store->dir_ = dir;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return absl::FailedPreconditionError(absl::StrCat("cannot create ", dir, ": ", ec.message()));
  // The store holds the user's token and village data: the folder is the
  // owner's alone (0700), whatever the umask made of it, so the files in it
  // are private whatever modes RocksDB gives them.
  std::filesystem::permissions(dir, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace, ec);
  if (ec) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot make ", dir, " private (mode 0700): ", ec.message()));
  }
  rocksdb::Options options;
  options.create_if_missing = true;
  // A phone: small memtables, a small cache, one background job.
  options.write_buffer_size = 1 << 20;
  options.max_write_buffer_number = 2;
  options.max_background_jobs = 1;
  options.max_open_files = 64;
  options.keep_log_file_num = 2;
  options.max_manifest_file_size = 4 << 20;
  options.target_file_size_base = 4 << 20;
  options.max_bytes_for_level_base = 16 << 20;
  // Each file being written (the WAL, a flush's or compaction's output)
  // buffers up to this much; RocksDB's 1 MB default made the buffers ~3.7 MB
  // of a 100,000-record cold pull's heap peak (bench/FINDINGS.md).
  options.writable_file_max_buffer_size = 256 << 10;
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = rocksdb::NewLRUCache(2 << 20);
  // A pull looks up every record it receives, most of them absent on a new
  // device: without filters each lookup read index and data blocks of every
  // table (13% of a cold pull's instructions, bench/RESULTS.md). 10 bits a
  // key: ~25 KB for 20k records.
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(options, dir + "/db", &raw);
  if (!s.ok()) {
    if (s.IsIOError() && s.ToString().find("lock") != std::string::npos) {
      return absl::FailedPreconditionError(
          absl::StrCat("the store in ", dir, " is open in another process"));
    }
    return common::FromRocks(s, absl::StrCat("opening the local store in ", dir));
  }
  store->db_.reset(raw);
  store->durable_.sync = true;
  if (absl::Status m = store->Migrate(); !m.ok()) return m;
  std::unique_ptr<rocksdb::Iterator> acks(store->db_->NewIterator(rocksdb::ReadOptions()));
  acks->Seek("a");
  store->may_hold_acknowledgements_ = acks->Valid() && acks->key().starts_with("a");
  if (absl::Status s = common::FromRocks(acks->status(), "opening the local store"); !s.ok()) {
    return s;
  }
  return store;
}

LocalStore::~LocalStore() {
  if (db_) db_->Close().PermitUncheckedError();  // WAL is synced on every commit
}

absl::Status LocalStore::Migrate() {
  std::string format;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), kFormatKey, &format);
  uint32_t version = 0;
  if (s.ok()) {
    version = DecodeFormat(format);
  } else if (!s.IsNotFound()) {
    return common::FromRocks(s, "reading store format");
  }
  if (version > kStoreFormat) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the store in ", dir_, " has format ", version, ", newer than this app (", kStoreFormat,
        "); update the app — the data is kept as it is"));
  }
  if (version < kStoreFormat) {
    // 0 -> 1: stores from before versioning hold the same records and
    // state; they gain the format key and the state's format_version.
    // 1 -> 2: the indexes, built below (the "indexes" key is absent).
    rocksdb::WriteBatch batch;
    absl::StatusOr<std::optional<device::v1::DeviceState>> state =
        GetMessage<device::v1::DeviceState>(db_.get(), kStateKey);
    if (!state.ok()) return state.status();
    if (state->has_value()) {
      (*state)->set_format_version(kStoreFormat);
      batch.Put(kStateKey, (*state)->SerializeAsString());
    }
    batch.Put(kFormatKey, EncodeFormat(kStoreFormat));
    if (absl::Status s = RebuildIndexes(); !s.ok()) return s;
    return common::FromRocks(db_->Write(durable_, &batch), "migrating the local store");
  }
  std::string built;
  s = db_->Get(rocksdb::ReadOptions(), kIndexesKey, &built);
  if (!s.ok() && !s.IsNotFound()) return common::FromRocks(s, "reading the index table");
  if (s.ok() && built == LocalIndexesFingerprint()) return absl::OkStatus();
  return RebuildIndexes();
}

// Drops every index entry and writes them again from the records, in
// chunks; the "indexes" key goes last, so a crash midway rebuilds again.
absl::Status LocalStore::RebuildIndexes() {
  absl::MutexLock lock(&commit_mu_);
  rocksdb::WriteBatch batch;
  batch.Delete(kIndexesKey);
  batch.DeleteRange("x", "y");
  if (absl::Status s = common::FromRocks(db_->Write(durable_, &batch), "dropping old indexes");
      !s.ok()) {
    return s;
  }
  batch.Clear();
  size_t records = 0;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  for (it->Seek("r"); it->Valid() && it->key().starts_with("r"); it->Next()) {
    v1::Record proto;
    if (!proto.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      return absl::DataLossError("a local record is corrupt (building indexes)");
    }
    absl::StatusOr<sync::RecordState> state = sync::FromProto(proto);
    if (!state.ok()) return state.status();
    for (const std::string& key : IndexEntryKeys(*state)) batch.Put(key, "");
    if (++records % kRebuildChunk == 0) {
      if (absl::Status s = common::FromRocks(db_->Write(durable_, &batch), "building indexes");
          !s.ok()) {
        return s;
      }
      batch.Clear();
    }
  }
  if (absl::Status s = common::FromRocks(it->status(), "scanning records for indexes"); !s.ok()) {
    return s;
  }
  batch.Put(kIndexesKey, LocalIndexesFingerprint());
  return common::FromRocks(db_->Write(durable_, &batch), "building indexes");
}

absl::StatusOr<device::v1::DeviceState> LocalStore::LoadState() const {
  absl::StatusOr<std::optional<device::v1::DeviceState>> state =
      GetMessage<device::v1::DeviceState>(db_.get(), kStateKey);
  if (!state.ok()) return state.status();
  if (state->has_value()) return **state;
  device::v1::DeviceState fresh;
  fresh.set_format_version(kStoreFormat);
  fresh.set_device_node(common::RandomNonZeroU64());
  fresh.set_clock_unverified(true);
  // Persist at once: the node id must never change for this store.
  rocksdb::Status s = db_->Put(durable_, kStateKey, fresh.SerializeAsString());
  if (!s.ok()) return common::FromRocks(s, "creating device state");
  return fresh;
}

absl::Status LocalStore::LayOverAcknowledgement(const rocksdb::ReadOptions& read,
                                                sync::RecordState* record) const {
  if (!may_hold_acknowledgements_.load(std::memory_order_acquire)) return absl::OkStatus();
  std::string value;
  rocksdb::Status s = db_->Get(read, LocalRecordKey('a', record->collection, record->id), &value);
  if (s.IsNotFound()) return absl::OkStatus();
  if (!s.ok()) return common::FromRocks(s, "reading local store");
  device::v1::Acknowledgement ack;
  if (!ack.ParseFromString(value)) {
    return absl::DataLossError("local store entry is corrupt (key family 'a')");
  }
  LayOver(ack, record);
  return absl::OkStatus();
}

absl::StatusOr<sync::RecordState> LocalStore::GetRecord(const std::string& collection,
                                                        const std::string& id) const {
  // One snapshot for the record and its acknowledgement: a commit between
  // the two reads could otherwise pair a record with a dropped one's ack.
  rocksdb::ReadOptions read;
  const bool may_hold = may_hold_acknowledgements_.load(std::memory_order_acquire);
  if (may_hold) read.snapshot = db_->GetSnapshot();
  std::string value;
  rocksdb::Status s = db_->Get(read, LocalRecordKey('r', collection, id), &value);
  absl::StatusOr<sync::RecordState> state = sync::RecordState{};
  v1::Record proto;
  if (s.IsNotFound()) {
    // absent: the empty state
  } else if (!s.ok()) {
    state = common::FromRocks(s, "reading local store");
  } else if (!proto.ParseFromString(value)) {
    state = absl::DataLossError("local store entry is corrupt (key family 'r')");
  } else {
    state = sync::FromProto(proto);
    if (state.ok()) {
      if (absl::Status a = LayOverAcknowledgement(read, &*state); !a.ok()) state = a;
    }
  }
  if (may_hold) db_->ReleaseSnapshot(read.snapshot);
  return state;
}

absl::StatusOr<std::optional<device::v1::PendingRecord>> LocalStore::GetPending(
    const std::string& collection, const std::string& id) const {
  return GetMessage<device::v1::PendingRecord>(db_.get(), LocalRecordKey('p', collection, id));
}

absl::StatusOr<std::optional<device::v1::Rejection>> LocalStore::GetRejection(
    const std::string& collection, const std::string& id) const {
  return GetMessage<device::v1::Rejection>(db_.get(), LocalRecordKey('j', collection, id));
}

absl::Status LocalStore::ForEachRecord(
    const std::string& collection,
    const std::function<bool(const sync::RecordState&)>& visit) const {
  std::string prefix = collection.empty() ? "r" : LocalRecordKey('r', collection, "");
  rocksdb::ReadOptions read;
  read.snapshot = db_->GetSnapshot();
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read));
  // The acknowledgements, walked alongside: 'a' keys sort as 'r' keys do.
  std::unique_ptr<rocksdb::Iterator> acks;
  std::string ack_prefix = prefix;
  ack_prefix[0] = 'a';
  if (may_hold_acknowledgements_.load(std::memory_order_acquire)) {
    acks.reset(db_->NewIterator(read));
    acks->Seek(ack_prefix);
  }
  absl::Status status;
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    v1::Record proto;
    if (!proto.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      status = absl::DataLossError("a local record is corrupt");
      break;
    }
    absl::StatusOr<sync::RecordState> state = sync::FromProto(proto);
    if (!state.ok()) {
      status = state.status();
      break;
    }
    if (acks != nullptr) {
      const rocksdb::Slice name(it->key().data() + 1, it->key().size() - 1);
      while (acks->Valid() && acks->key().starts_with(ack_prefix) &&
             rocksdb::Slice(acks->key().data() + 1, acks->key().size() - 1).compare(name) < 0) {
        acks->Next();
      }
      if (acks->Valid() && acks->key().starts_with(ack_prefix) &&
          rocksdb::Slice(acks->key().data() + 1, acks->key().size() - 1) == name) {
        device::v1::Acknowledgement ack;
        if (!ack.ParseFromArray(acks->value().data(), static_cast<int>(acks->value().size()))) {
          status = absl::DataLossError("a local acknowledgement is corrupt");
          break;
        }
        LayOver(ack, &*state);
      }
    }
    if (!visit(*state)) break;
  }
  if (status.ok()) status = common::FromRocks(it->status(), "scanning local records");
  if (status.ok() && acks != nullptr) {
    status = common::FromRocks(acks->status(), "scanning local acknowledgements");
  }
  it.reset();
  acks.reset();
  db_->ReleaseSnapshot(read.snapshot);
  return status;
}

namespace {

// Visits the messages of type M under the one-byte key family `family`.
template <typename M>
absl::Status ForEachMessage(rocksdb::DB* db, const char* family, const char* what,
                            const std::function<bool(const M&)>& visit) {
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions()));
  for (it->Seek(family); it->Valid() && it->key().starts_with(family); it->Next()) {
    M message;
    if (!message.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      return absl::DataLossError(absl::StrCat("a local ", what, " entry is corrupt"));
    }
    if (!visit(message)) break;
  }
  return common::FromRocks(it->status(), absl::StrCat("scanning local ", what, " entries"));
}

}  // namespace

absl::Status LocalStore::ForEachPending(
    const std::function<bool(const device::v1::PendingRecord&)>& visit) const {
  return ForEachMessage(db_.get(), "p", "pending change", visit);
}

absl::Status LocalStore::ForEachRejection(
    const std::function<bool(const device::v1::Rejection&)>& visit) const {
  return ForEachMessage(db_.get(), "j", "rejection", visit);
}

absl::StatusOr<std::optional<device::v1::PhotoUpload>> LocalStore::GetPhotoUpload(
    const std::string& sha256) const {
  return GetMessage<device::v1::PhotoUpload>(db_.get(), "h" + sha256);
}

absl::Status LocalStore::ForEachPhotoUpload(
    const std::function<bool(const device::v1::PhotoUpload&)>& visit) const {
  return ForEachMessage(db_.get(), "h", "photo queue", visit);
}

void LocalStore::Batch::PutState(const device::v1::DeviceState& state) {
  batch_.Put(kStateKey, state.SerializeAsString());
}

RecordChange& LocalStore::Batch::ChangeOf(const sync::RecordState& before,
                                          const std::string& collection, const std::string& id) {
  auto [it, first] = records_.try_emplace({collection, id});
  if (first) {
    it->second.collection = collection;
    it->second.id = id;
    if (!before.IsEmpty()) it->second.before = before;
  }
  return it->second;
}

void LocalStore::Batch::PutRecord(const sync::RecordState& before, sync::RecordState after) {
  v1::Record proto;
  sync::ToProto(after, &proto);
  proto.clear_whole();
  batch_.Put(LocalRecordKey('r', after.collection, after.id), proto.SerializeAsString());
  // `after` was made from a read that laid the acknowledgement over.
  if (has_acknowledgements_ || !before.IsEmpty()) {
    batch_.Delete(LocalRecordKey('a', after.collection, after.id));
  }
  RecordChange& change = ChangeOf(before, after.collection, after.id);
  change.after = std::move(after);
}

void LocalStore::Batch::PutAcknowledgement(const std::string& collection, const std::string& id,
                                           const device::v1::Acknowledgement& ack) {
  batch_.Put(LocalRecordKey('a', collection, id), ack.SerializeAsString());
  has_acknowledgements_ = true;
}

void LocalStore::Batch::DeleteRecord(const sync::RecordState& before, const std::string& collection,
                                     const std::string& id) {
  batch_.Delete(LocalRecordKey('r', collection, id));
  batch_.Delete(LocalRecordKey('a', collection, id));
  ChangeOf(before, collection, id).after = std::nullopt;
}

void LocalStore::Batch::PutPending(const device::v1::PendingRecord& pending) {
  batch_.Put(LocalRecordKey('p', pending.delta().collection(), pending.delta().id()),
             pending.SerializeAsString());
}

void LocalStore::Batch::DeletePending(const std::string& collection, const std::string& id) {
  batch_.Delete(LocalRecordKey('p', collection, id));
}

void LocalStore::Batch::PutRejection(const device::v1::Rejection& rejection) {
  const auto& d = rejection.pending().delta();
  batch_.Put(LocalRecordKey('j', d.collection(), d.id()), rejection.SerializeAsString());
}

void LocalStore::Batch::DeleteRejection(const std::string& collection, const std::string& id) {
  batch_.Delete(LocalRecordKey('j', collection, id));
}

void LocalStore::Batch::PutPhotoUpload(const device::v1::PhotoUpload& photo) {
  batch_.Put("h" + photo.sha256(), photo.SerializeAsString());
}

absl::Status LocalStore::Commit(Batch& batch) {
  if (batch.empty()) return absl::OkStatus();
  absl::MutexLock lock(&commit_mu_);
  std::vector<RecordChange> changes;
  changes.reserve(batch.records_.size());
  for (auto& [key, change] : batch.records_) {
    std::vector<std::string> old_keys;
    if (change.before.has_value()) old_keys = IndexEntryKeys(*change.before);
    std::vector<std::string> new_keys;
    if (change.after.has_value()) new_keys = IndexEntryKeys(*change.after);
    for (const std::string& k : old_keys) {
      if (std::find(new_keys.begin(), new_keys.end(), k) == new_keys.end()) batch.batch_.Delete(k);
    }
    for (const std::string& k : new_keys) {
      if (std::find(old_keys.begin(), old_keys.end(), k) == old_keys.end()) batch.batch_.Put(k, "");
    }
    changes.push_back(std::move(change));
  }
  batch.records_.clear();
  // Before the write: a reader that sees the acknowledgement must look it up.
  if (batch.has_acknowledgements_) {
    may_hold_acknowledgements_.store(true, std::memory_order_release);
  }
  if (absl::Status s = common::FromRocks(db_->Write(durable_, &batch.batch_),
                                         "writing the local store");
      !s.ok()) {
    return s;
  }
  if (listener_ && !changes.empty()) listener_(std::move(changes));
  return absl::OkStatus();
}

absl::StatusOr<QueryPage> LocalStore::RunQuery(const IndexPlan& plan, uint32_t limit,
                                               const std::string& resume_token) const {
  std::string start = plan.prefix;
  if (!resume_token.empty()) {
    const bool hex = resume_token.size() % 2 == 0 &&
                     resume_token.find_first_not_of("0123456789abcdef") == std::string::npos;
    if (hex) start = absl::HexStringToBytes(resume_token);
    if (!hex || !absl::StartsWith(start, plan.prefix)) {
      return absl::InvalidArgumentError("the resume token does not belong to this query");
    }
  }
  rocksdb::ReadOptions read;
  read.snapshot = db_->GetSnapshot();
  auto release = [&] { db_->ReleaseSnapshot(read.snapshot); };
  QueryPage page;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read));
  const bool covered = plan.Covers();
  std::string last_key;
  bool more = false;
  absl::Status status;
  it->Seek(start);
  if (!resume_token.empty() && it->Valid() && it->key() == start) it->Next();
  for (; it->Valid() && it->key().starts_with(plan.prefix); it->Next()) {
    const absl::string_view key(it->key().data(), it->key().size());
    if (!plan.Matches(key)) continue;
    std::string value;
    const std::string id = IndexPlan::IdOf(key);
    rocksdb::Status s = db_->Get(read, LocalRecordKey('r', plan.query.collection, id), &value);
    v1::Record proto;
    if (!s.ok() || !proto.ParseFromString(value)) {
      status = absl::DataLossError(absl::StrCat("index entry of ", plan.query.collection, " ", id,
                                                " has no readable record"));
      break;
    }
    absl::StatusOr<sync::RecordState> state = sync::FromProto(proto);
    if (state.ok()) {
      if (absl::Status a = LayOverAcknowledgement(read, &*state); !a.ok()) state = a;
    }
    if (!state.ok()) {
      status = state.status();
      break;
    }
    if (!covered && !RecordMatches(plan.query, *state)) continue;
    if (limit != 0 && page.records.size() == limit) {
      more = true;
      break;
    }
    page.records.push_back(*std::move(state));
    last_key = std::string(key);
  }
  if (status.ok()) status = common::FromRocks(it->status(), "reading an index");
  it.reset();
  release();
  if (!status.ok()) return status;
  if (more) page.resume_token = absl::BytesToHexString(last_key);
  return page;
}

absl::StatusOr<uint64_t> LocalStore::CountQuery(const IndexPlan& plan) const {
  if (!plan.Covers()) {
    absl::StatusOr<QueryPage> all = RunQuery(plan, 0, "");
    if (!all.ok()) return all.status();
    return all->records.size();
  }
  uint64_t n = 0;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  for (it->Seek(plan.prefix); it->Valid() && it->key().starts_with(plan.prefix); it->Next()) {
    if (plan.Matches(absl::string_view(it->key().data(), it->key().size()))) ++n;
  }
  if (absl::Status s = common::FromRocks(it->status(), "counting an index"); !s.ok()) return s;
  return n;
}

uint64_t LocalStore::DiskBytes() const {
  uint64_t total = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_ + "/db", ec)) {
    if (entry.is_regular_file(ec)) total += entry.file_size(ec);
  }
  return total;
}

}  // namespace kawal::mobile
