#include "kawal/sync/wire_stamps.h"

#include <cstdint>
#include <tuple>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"

namespace kawal::sync {
namespace {

using StampTable = google::protobuf::RepeatedPtrField<v1::Stamp>;

// Assigns each distinct stamp its 1-based index in `table`.
class TableBuilder {
 public:
  explicit TableBuilder(StampTable* table) : table_(table) {}

  uint32_t Ref(const v1::Stamp& stamp) {
    auto [it, added] = index_.try_emplace(Key{stamp.wall_ms(), stamp.counter(), stamp.node()},
                                          static_cast<uint32_t>(table_->size() + 1));
    if (added) *table_->Add() = stamp;
    return it->second;
  }

 private:
  using Key = std::tuple<int64_t, uint32_t, uint64_t>;
  StampTable* table_;
  absl::flat_hash_map<Key, uint32_t> index_;
};

// FieldState (pull) and FieldChange (push) have the same four fields.
template <typename Field>
void PackField(Field& field, TableBuilder& table) {
  if (field.has_stamp()) {
    field.set_stamp_ref(table.Ref(field.stamp()));
    field.clear_stamp();
  }
  if (field.has_base()) {
    field.set_base_ref(table.Ref(field.base()));
    field.clear_base();
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
  for (v1::Record& record : *response->mutable_records()) {
    for (v1::FieldState& field : *record.mutable_fields()) PackField(field, table);
  }
}

void PackStamps(v1::PushRequest* request) {
  if (request->stamps_size() > 0) return;
  TableBuilder table(request->mutable_stamps());
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
