#include "acknowledgements.h"

#include <algorithm>

#include "kawal/sync/codec.h"

namespace kawal::mobile {

device::v1::Acknowledgement AcknowledgementOf(const sync::RecordDelta& pushed, uint64_t seq) {
  device::v1::Acknowledgement ack;
  ack.set_seq(seq);
  for (const sync::FieldChange& c : pushed.changes) {
    device::v1::Acknowledgement::Field* field = ack.add_fields();
    field->set_name(c.name);
    sync::ToProto(c.stamp, field->mutable_stamp());
  }
  if (!pushed.tombstone.IsZero()) sync::ToProto(pushed.tombstone, ack.mutable_tombstone());
  return ack;
}

void LayOver(const device::v1::Acknowledgement& ack, sync::RecordState* record) {
  if (record->IsEmpty()) return;  // removed since: nothing to tell
  const uint64_t seq = ack.seq();
  for (const auto& acked : ack.fields()) {
    auto f = record->fields.find(acked.name());
    if (f != record->fields.end() && f->second.stamp == sync::FromProto(acked.stamp())) {
      f->second.changed_seq = seq;
    }
  }
  if (ack.has_tombstone() && record->tombstone == sync::FromProto(ack.tombstone())) {
    record->tombstone_seq = seq;
  }
  record->seq = std::max(record->seq, seq);
  if (record->created_seq == 0) record->created_seq = seq;
}

}  // namespace kawal::mobile
