#include "kawal/sync/wire_stamps.h"

#include <cstdint>
#include <tuple>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"

namespace kawal::sync {
namespace {

using StampTable = google::protobuf::RepeatedPtrField<v1::Stamp>;

using StampKey = std::tuple<int64_t, uint32_t, uint64_t>;

StampKey KeyOf(const v1::Stamp& stamp) {
  return StampKey{stamp.wall_ms(), stamp.counter(), stamp.node()};
}

// Assigns each stamp that occurs more than once in the message its 1-based
// index in `table`. A stamp used once stays inline: a table entry plus a
// reference is a few bytes larger than the stamp itself (a page of
// one-field edits, each its own write, would grow).
class TableBuilder {
 public:
  explicit TableBuilder(StampTable* table) : table_(table) {}

  void Count(const v1::Stamp& stamp) { ++uses_[KeyOf(stamp)]; }

  // 0 when `stamp` stays inline.
  uint32_t Ref(const v1::Stamp& stamp) {
    auto uses = uses_.find(KeyOf(stamp));
    if (uses == uses_.end() || uses->second < 2) return 0;
    auto [it, added] =
        index_.try_emplace(uses->first, static_cast<uint32_t>(table_->size() + 1));
    if (added) *table_->Add() = stamp;
    return it->second;
  }

 private:
  StampTable* table_;
  absl::flat_hash_map<StampKey, uint32_t> uses_;
  absl::flat_hash_map<StampKey, uint32_t> index_;
};

// FieldState (pull) and FieldChange (push) have the same four fields.
template <typename Field>
void CountField(const Field& field, TableBuilder& table) {
  if (field.has_stamp()) table.Count(field.stamp());
  if (field.has_base()) table.Count(field.base());
}

template <typename Field>
void PackField(Field& field, TableBuilder& table) {
  if (field.has_stamp()) {
    if (uint32_t ref = table.Ref(field.stamp()); ref != 0) {
      field.set_stamp_ref(ref);
      field.clear_stamp();
    }
  }
  if (field.has_base()) {
    if (uint32_t ref = table.Ref(field.base()); ref != 0) {
      field.set_base_ref(ref);
      field.clear_base();
    }
  }
}

// Puts stamp `ref` (> 0) of `table` into `*inline_stamp`; `has_inline`:
// whether the message also carried that stamp inline.
absl::Status Resolve(uint32_t ref, bool has_inline, const StampTable& table,
                     v1::Stamp* inline_stamp, const char* what, const std::string& record,
                     const std::string& field) {
  if (has_inline) {
    return absl::InvalidArgumentError(absl::StrCat("record ", record, " field '", field,
                                                   "' has both an inline ", what,
                                                   " and a stamp table reference"));
  }
  if (ref > static_cast<uint32_t>(table.size())) {
    return absl::InvalidArgumentError(
        absl::StrCat("record ", record, " field '", field, "' refers to ", what, " ", ref,
                     " of a stamp table of ", table.size()));
  }
  *inline_stamp = table.Get(static_cast<int>(ref - 1));
  return absl::OkStatus();
}

template <typename Field>
absl::Status UnpackField(Field& field, const StampTable& table, const std::string& record) {
  // has_*() before mutable_*(), which would create the inline stamp.
  const bool inline_stamp = field.has_stamp(), inline_base = field.has_base();
  if (field.stamp_ref() != 0) {
    if (absl::Status s = Resolve(field.stamp_ref(), inline_stamp, table, field.mutable_stamp(),
                                 "stamp", record, field.name());
        !s.ok()) {
      return s;
    }
  }
  if (field.base_ref() != 0) {
    if (absl::Status s = Resolve(field.base_ref(), inline_base, table, field.mutable_base(),
                                 "base", record, field.name());
        !s.ok()) {
      return s;
    }
  }
  field.clear_stamp_ref();
  field.clear_base_ref();
  return absl::OkStatus();
}

}  // namespace

void PackStamps(v1::PullResponse* response) {
  if (response->stamps_size() > 0) return;
  TableBuilder table(response->mutable_stamps());
  for (const v1::Record& record : response->records()) {
    for (const v1::FieldState& field : record.fields()) CountField(field, table);
  }
  for (v1::Record& record : *response->mutable_records()) {
    for (v1::FieldState& field : *record.mutable_fields()) PackField(field, table);
  }
}

void PackStamps(v1::PushRequest* request) {
  if (request->stamps_size() > 0) return;
  TableBuilder table(request->mutable_stamps());
  for (const v1::RecordDelta& delta : request->deltas()) {
    for (const v1::FieldChange& change : delta.changes()) CountField(change, table);
  }
  for (v1::RecordDelta& delta : *request->mutable_deltas()) {
    for (v1::FieldChange& change : *delta.mutable_changes()) PackField(change, table);
  }
}

absl::Status UnpackStamps(v1::PullResponse* response) {
  for (v1::Record& record : *response->mutable_records()) {
    for (v1::FieldState& field : *record.mutable_fields()) {
      if (absl::Status s = UnpackField(field, response->stamps(), record.id()); !s.ok()) return s;
    }
  }
  response->clear_stamps();
  return absl::OkStatus();
}

absl::Status UnpackStamps(v1::PushRequest* request) {
  for (v1::RecordDelta& delta : *request->mutable_deltas()) {
    for (v1::FieldChange& change : *delta.mutable_changes()) {
      if (absl::Status s = UnpackField(change, request->stamps(), delta.id()); !s.ok()) return s;
    }
  }
  request->clear_stamps();
  return absl::OkStatus();
}

}  // namespace kawal::sync
