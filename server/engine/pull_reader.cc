#include "engine/pull_reader.h"

#include <algorithm>
#include <functional>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/match.h"
#include "rocksdb/iterator.h"
#include "engine/pull_cursor.h"
#include "store/snapshot.h"
#include "store/storage_keys.h"
#include "kawal/common/rocks_status.h"

namespace kawal::server {
namespace {

bool Covers(const google::protobuf::RepeatedPtrField<std::string>& covered,
            const std::string& scope) {
  for (const std::string& prefix : covered) {
    if (prefix.empty()) return true;  // an admin's pull of everything
    if (absl::StartsWith(scope, prefix) &&
        (scope.size() == prefix.size() || scope[prefix.size()] == '.')) {
      return true;
    }
  }
  return false;
}

// Keeps the parts of `full` changed after `since`; all of it if the device
// has not seen the record. partial_since is the record's latest change at or
// before `since` (not `since` itself): the version a device must hold for
// the partial to complete it. A device whose copy is that version or later
// merges the partial; only one that missed it asks for the record whole.
void TrimToChanges(v1::Record& full, uint64_t since) {
  if (full.created_seq() > since) {
    full.set_whole(true);
    return;
  }
  uint64_t base = full.created_seq();
  for (const v1::FieldState& f : full.fields()) {
    if (f.changed_seq() <= since) base = std::max(base, f.changed_seq());
  }
  if (full.tombstone_seq() <= since) base = std::max(base, full.tombstone_seq());
  full.set_whole(false);
  full.set_partial_since(base);
  auto* fields = full.mutable_fields();
  fields->erase(std::remove_if(fields->begin(), fields->end(),
                               [&](const v1::FieldState& f) { return f.changed_seq() <= since; }),
                fields->end());
  if (full.tombstone_seq() <= since) {
    full.clear_tombstone();
    full.clear_tombstone_base();
  }
}

}  // namespace

PullReader::PullReader(Database* database, Sequencer* sequencer)
    : database_(database), sequencer_(sequencer) {}

absl::Status PullReader::ReadPage(const std::vector<std::string>& prefixes,
                                  storage::v1::PullCursor cursor, uint64_t device_node,
                                  const PullLimits& limits, v1::PullResponse* response) const {
  const uint64_t watermark = sequencer_->Watermark();
  // One snapshot for the index scan and the record reads, taken after the
  // watermark: every sequence up to it is committed and visible.
  rocksdb::DB* db = database_->db();
  const ScopedSnapshot snapshot(db);
  const rocksdb::ReadOptions read = snapshot.ReadOptions();
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(read));

  auto start_of = [&](const std::string& scope) -> uint64_t {
    auto found = cursor.scope_seq().find(scope);
    if (found != cursor.scope_seq().end()) return found->second;
    return Covers(cursor.covered(), scope) ? cursor.base_seq() : 0;
  };

  uint64_t bytes = 0;
  uint32_t count = 0;
  bool full = false;
  auto& overrides = *cursor.mutable_scope_seq();

  size_t p = 0;
  for (; p < prefixes.size(); ++p) {
    const std::string family_prefix = IndexScopePrefix(prefixes[p]);
    it->Seek(family_prefix);
    while (!full && it->Valid() && it->key().starts_with(family_prefix)) {
      std::string scope;
      uint64_t seq = 0;
      if (!ParseIndexKey(absl::string_view(it->key().data(), it->key().size()), &scope, &seq)) {
        return absl::DataLossError("malformed change index key");
      }
      const uint64_t start = start_of(scope);
      if (seq <= start) {
        it->Seek(IndexKey(scope, start + 1));
        continue;
      }
      if (seq > watermark) {
        // Nothing more of this scope is committed-below-watermark.
        overrides[scope] = std::max(start, watermark);
        it->Seek(IndexKey(scope, UINT64_MAX));
        if (it->Valid() && ParseIndexKey(absl::string_view(it->key().data(), it->key().size()),
                                         &scope, &seq) && seq == UINT64_MAX) {
          it->Next();
        }
        continue;
      }
      std::string collection_and_id = it->value().ToString();
      size_t zero = collection_and_id.find('\0');
      if (zero == std::string::npos) return absl::DataLossError("malformed change index value");
      std::string value;
      rocksdb::Status s = database_->db()->Get(
          read, RecordKey(collection_and_id.substr(0, zero), collection_and_id.substr(zero + 1)),
          &value);
      if (!s.ok()) return common::FromRocks(s, "reading indexed record");
      storage::v1::StoredRecord stored;
      if (!stored.ParseFromString(value)) {
        return absl::DataLossError(absl::StrCat("stored record ", collection_and_id.substr(0, zero),
                                                "/", collection_and_id.substr(zero + 1),
                                                " is corrupt"));
      }
      const bool echo = device_node != 0 && stored.echo_node() == device_node;
      if (!echo) {
        v1::Record& record = *stored.mutable_record();
        // Only the fields changed after the device's position in this scope:
        // a device that holds the record has every earlier change. One that
        // never received it (it moved ahead of the scan before being read)
        // asks for it whole (PullRequest.want_whole).
        TrimToChanges(record, limits.whole_records ? 0 : start);
        if (limits.whole_records) record.set_whole(true);
        const uint64_t size = record.ByteSizeLong();
        if (count > 0 && (count >= limits.max_records || bytes + size > limits.max_bytes)) {
          full = true;
          break;
        }
        bytes += size;
        ++count;
        *response->add_records() = std::move(record);
      }
      overrides[scope] = seq;
      it->Next();
      // Reached the end of this scope (or of the index): it is complete.
      std::string next_scope;
      uint64_t next_seq = 0;
      if (!it->Valid() || !it->key().starts_with(family_prefix) ||
          !ParseIndexKey(absl::string_view(it->key().data(), it->key().size()), &next_scope,
                         &next_seq) ||
          next_scope != scope) {
        overrides[scope] = std::max(seq, watermark);
      }
    }
    if (!it->status().ok()) return common::FromRocks(it->status(), "scanning change index");
    if (full) break;
  }

  if (full) {
    // For progress bars: how many changed records are left, counted from
    // the index keys alone (no record reads), up to a cap.
    constexpr uint64_t kCountCap = 100000;
    uint64_t remaining = 0;
    for (size_t q = p; q < prefixes.size() && remaining < kCountCap; ++q) {
      const std::string family_prefix = IndexScopePrefix(prefixes[q]);
      if (q != p) it->Seek(family_prefix);
      for (; it->Valid() && it->key().starts_with(family_prefix) && remaining < kCountCap;
           it->Next()) {
        std::string scope;
        uint64_t seq = 0;
        if (ParseIndexKey(absl::string_view(it->key().data(), it->key().size()), &scope, &seq) &&
            seq > start_of(scope) && seq <= watermark) {
          ++remaining;
        }
      }
    }
    response->set_remaining_estimate(remaining);
  }

  if (!full) {
    // Every scope under the prefixes is served up to the watermark.
    cursor.clear_scope_seq();
    cursor.clear_covered();
    for (const std::string& prefix : prefixes) cursor.add_covered(prefix);
    cursor.set_base_seq(watermark);
  }
  response->set_has_more(full);
  response->set_cursor(EncodeCursor(cursor));
  return absl::OkStatus();
}

}  // namespace kawal::server
