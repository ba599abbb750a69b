#include "store/stored_record.h"

#include "absl/strings/str_cat.h"
#include "kawal/storage/v1/storage.pb.h"
#include "kawal/sync/codec.h"

namespace kawal::server {

sync::Stamp StoredRecord::DisplacedBase(const std::string& field) const {
  auto it = displaced_base.find(field);
  return it == displaced_base.end() ? sync::Stamp{} : it->second;
}

std::string EncodeStoredRecord(const StoredRecord& record) {
  storage::v1::StoredRecord proto;
  sync::ToProto(record.state, proto.mutable_record());
  // `whole` describes pull pages, not storage.
  proto.mutable_record()->clear_whole();
  proto.set_echo_node(record.echo_node);
  for (const auto& [field, stamp] : record.displaced_base) {
    if (!stamp.IsZero()) sync::ToProto(stamp, &(*proto.mutable_displaced_base())[field]);
  }
  return proto.SerializeAsString();
}

absl::StatusOr<StoredRecord> DecodeStoredRecord(absl::string_view bytes,
                                                absl::string_view key_for_errors) {
  storage::v1::StoredRecord proto;
  if (!proto.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::DataLossError(absl::StrCat("stored record ", key_for_errors, " is corrupt"));
  }
  absl::StatusOr<sync::RecordState> state = sync::FromProto(proto.record());
  if (!state.ok()) {
    return absl::DataLossError(absl::StrCat("stored record ", key_for_errors,
                                            " is corrupt: ", state.status().message()));
  }
  StoredRecord record;
  record.state = *std::move(state);
  record.echo_node = proto.echo_node();
  for (const auto& [field, stamp] : proto.displaced_base()) {
    record.displaced_base.emplace(field, sync::FromProto(stamp));
  }
  return record;
}

}  // namespace kawal::server
