#include "pending_changes.h"

#include <map>

#include "kawal/sync/codec.h"

namespace kawal::mobile {

void FoldIntoPending(const sync::RecordState& before, const sync::RecordDelta& delta,
                     device::v1::PendingRecord* pending) {
  v1::RecordDelta* out = pending->mutable_delta();
  if (out->collection().empty()) {
    out->set_collection(delta.collection);
    out->set_id(delta.id);
    out->set_scope(delta.scope);
    pending->set_created_locally(before.IsEmpty());
    if (!before.tombstone.IsZero()) {
      sync::ToProto(before.tombstone, pending->mutable_prior_tombstone());
      sync::ToProto(before.tombstone_base, pending->mutable_prior_tombstone_base());
      sync::ToProto(before.tombstone, out->mutable_base_tombstone());
    }
  }
  std::map<std::string, int> index;
  for (int i = 0; i < out->changes_size(); ++i) index[out->changes(i).name()] = i;
  std::map<std::string, bool> has_prior;
  for (const auto& p : pending->prior()) has_prior[p.name()] = true;
  for (const sync::FieldChange& c : delta.changes) {
    auto it = index.find(c.name);
    v1::FieldChange* change;
    if (it == index.end()) {
      change = out->add_changes();
      change->set_name(c.name);
      if (!c.base.IsZero()) sync::ToProto(c.base, change->mutable_base());
      index[c.name] = out->changes_size() - 1;
    } else {
      change = out->mutable_changes(it->second);  // keeps its first base
    }
    sync::ToProto(c.value, change->mutable_value());
    sync::ToProto(c.stamp, change->mutable_stamp());
    auto field = before.fields.find(c.name);
    if (!has_prior[c.name] && field != before.fields.end()) {
      v1::FieldState* prior = pending->add_prior();
      prior->set_name(c.name);
      sync::ToProto(field->second.value, prior->mutable_value());
      sync::ToProto(field->second.stamp, prior->mutable_stamp());
      if (!field->second.base.IsZero()) sync::ToProto(field->second.base, prior->mutable_base());
      prior->set_changed_seq(field->second.changed_seq);
      has_prior[c.name] = true;
    }
  }
  if (!delta.tombstone.IsZero()) {
    sync::ToProto(delta.tombstone, out->mutable_tombstone());
    sync::ToProto(delta.tombstone_base, out->mutable_tombstone_base());
  }
}

bool AcknowledgePending(const sync::RecordDelta& pushed, device::v1::PendingRecord* pending) {
  v1::RecordDelta* out = pending->mutable_delta();
  std::map<std::string, sync::Stamp> acked;
  for (const auto& c : pushed.changes) acked[c.name] = c.stamp;
  auto* changes = out->mutable_changes();
  for (int i = changes->size() - 1; i >= 0; --i) {
    auto it = acked.find(changes->Get(i).name());
    if (it != acked.end() && sync::FromProto(changes->Get(i).stamp()) == it->second) {
      changes->DeleteSubrange(i, 1);
    }
  }
  if (!pushed.tombstone.IsZero() && out->has_tombstone() &&
      sync::FromProto(out->tombstone()) == pushed.tombstone) {
    out->clear_tombstone();
    out->clear_tombstone_base();
  }
  return out->changes_size() == 0 && !out->has_tombstone();
}

}  // namespace kawal::mobile
