#include "kawal/sync/codec.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "kawal/sync/reject.h"

namespace kawal::sync {
namespace {

absl::StatusOr<Scalar> ScalarFromProto(const v1::Scalar& s, int index) {
  switch (s.kind_case()) {
    case v1::Scalar::kIntValue: return Scalar{s.int_value()};
    case v1::Scalar::kDoubleValue: return Scalar{s.double_value()};
    case v1::Scalar::kStringValue: return Scalar{s.string_value()};
    case v1::Scalar::kBoolValue: return Scalar{s.bool_value()};
    case v1::Scalar::KIND_NOT_SET: break;
  }
  return Reject(RejectCode::kMalformed, absl::StrCat("list element ", index, " has no value"));
}

void ScalarToProto(const Scalar& s, v1::Scalar* out) {
  if (const auto* i = std::get_if<int64_t>(&s)) {
    out->set_int_value(*i);
  } else if (const auto* d = std::get_if<double>(&s)) {
    out->set_double_value(*d);
  } else if (const auto* str = std::get_if<std::string>(&s)) {
    out->set_string_value(*str);
  } else {
    out->set_bool_value(std::get<bool>(s));
  }
}

}  // namespace

void ToProto(const Stamp& stamp, v1::Stamp* out) {
  out->set_wall_ms(stamp.wall_ms);
  out->set_counter(stamp.counter);
  out->set_node(stamp.node);
}

Stamp FromProto(const v1::Stamp& stamp) {
  return Stamp{stamp.wall_ms(), stamp.counter(), stamp.node()};
}

void ToProto(const Value& value, v1::Value* out) {
  out->Clear();
  switch (KindOf(value)) {
    case ValueKind::kNull: break;
    case ValueKind::kInt: out->set_int_value(std::get<int64_t>(value)); break;
    case ValueKind::kDouble: out->set_double_value(std::get<double>(value)); break;
    case ValueKind::kString: out->set_string_value(std::get<std::string>(value)); break;
    case ValueKind::kBool: out->set_bool_value(std::get<bool>(value)); break;
    case ValueKind::kList: {
      auto* list = out->mutable_list_value();
      for (const Scalar& s : std::get<ScalarList>(value)) ScalarToProto(s, list->add_items());
      break;
    }
    case ValueKind::kAmounts: {
      auto* amounts = out->mutable_amounts_value()->mutable_amounts();
      for (const auto& [key, amount] : std::get<AmountMap>(value)) (*amounts)[key] = amount;
      break;
    }
  }
}

absl::StatusOr<Value> FromProto(const v1::Value& value) {
  switch (value.kind_case()) {
    case v1::Value::KIND_NOT_SET: return Value{Null{}};
    case v1::Value::kIntValue: return Value{value.int_value()};
    case v1::Value::kDoubleValue: return Value{value.double_value()};
    case v1::Value::kStringValue: return Value{value.string_value()};
    case v1::Value::kBoolValue: return Value{value.bool_value()};
    case v1::Value::kListValue: {
      ScalarList list;
      list.reserve(value.list_value().items_size());
      int index = 0;
      for (const v1::Scalar& s : value.list_value().items()) {
        absl::StatusOr<Scalar> scalar = ScalarFromProto(s, index++);
        if (!scalar.ok()) return scalar.status();
        list.push_back(*std::move(scalar));
      }
      return Value{std::move(list)};
    }
    case v1::Value::kAmountsValue: {
      AmountMap amounts(value.amounts_value().amounts().begin(),
                        value.amounts_value().amounts().end());
      return Value{std::move(amounts)};
    }
  }
  return Reject(RejectCode::kMalformed, "value has an unknown kind");
}

void ToProto(const RecordState& state, v1::Record* out) {
  out->Clear();
  out->set_collection(state.collection);
  out->set_id(state.id);
  out->set_scope(state.scope);
  for (const auto& [name, field] : state.fields) {
    v1::FieldState* f = out->add_fields();
    f->set_name(name);
    ToProto(field.value, f->mutable_value());
    ToProto(field.stamp, f->mutable_stamp());
    if (!field.base.IsZero()) ToProto(field.base, f->mutable_base());
    f->set_changed_seq(field.changed_seq);
  }
  if (!state.tombstone.IsZero()) {
    ToProto(state.tombstone, out->mutable_tombstone());
    ToProto(state.tombstone_base, out->mutable_tombstone_base());
  }
  out->set_tombstone_seq(state.tombstone_seq);
  out->set_created_seq(state.created_seq);
  out->set_seq(state.seq);
  out->set_whole(true);
}

absl::StatusOr<RecordState> FromProto(const v1::Record& record) {
  RecordState state;
  state.collection = record.collection();
  state.id = record.id();
  state.scope = record.scope();
  for (const v1::FieldState& f : record.fields()) {
    absl::StatusOr<Value> value = FromProto(f.value());
    if (!value.ok()) return value.status();
    auto [it, inserted] = state.fields.emplace(
        f.name(), FieldState{*std::move(value), FromProto(f.stamp()), FromProto(f.base()),
                             f.changed_seq()});
    if (!inserted) {
      return Reject(RejectCode::kMalformed,
                    absl::StrCat("field '", f.name(), "' appears twice in record ", record.id()));
    }
  }
  state.tombstone = FromProto(record.tombstone());
  state.tombstone_base = FromProto(record.tombstone_base());
  state.tombstone_seq = record.tombstone_seq();
  state.created_seq = record.created_seq();
  state.seq = record.seq();
  return state;
}

void ToProto(const RecordDelta& delta, v1::RecordDelta* out) {
  out->Clear();
  out->set_collection(delta.collection);
  out->set_id(delta.id);
  out->set_scope(delta.scope);
  for (const FieldChange& c : delta.changes) {
    v1::FieldChange* f = out->add_changes();
    f->set_name(c.name);
    ToProto(c.value, f->mutable_value());
    ToProto(c.stamp, f->mutable_stamp());
    if (!c.base.IsZero()) ToProto(c.base, f->mutable_base());
  }
  if (!delta.tombstone.IsZero()) {
    ToProto(delta.tombstone, out->mutable_tombstone());
    ToProto(delta.tombstone_base, out->mutable_tombstone_base());
  }
  if (!delta.base_tombstone.IsZero()) ToProto(delta.base_tombstone, out->mutable_base_tombstone());
  out->set_known_seq(delta.known_seq);
}

absl::StatusOr<RecordDelta> FromProto(const v1::RecordDelta& delta) {
  RecordDelta out;
  out.collection = delta.collection();
  out.id = delta.id();
  out.scope = delta.scope();
  std::set<std::string> seen;
  out.changes.reserve(delta.changes_size());
  for (const v1::FieldChange& c : delta.changes()) {
    if (!seen.insert(c.name()).second) {
      return Reject(RejectCode::kMalformed,
                    absl::StrCat("field '", c.name(), "' appears twice in the delta for ",
                                 delta.collection(), " ", delta.id()));
    }
    absl::StatusOr<Value> value = FromProto(c.value());
    if (!value.ok()) {
      return Reject(RejectCode::kMalformed,
                    absl::StrCat("field '", c.name(), "': ", value.status().message()));
    }
    out.changes.push_back(
        FieldChange{c.name(), *std::move(value), FromProto(c.stamp()), FromProto(c.base())});
  }
  out.tombstone = FromProto(delta.tombstone());
  out.tombstone_base = FromProto(delta.tombstone_base());
  out.base_tombstone = FromProto(delta.base_tombstone());
  out.known_seq = delta.known_seq();
  return out;
}

}  // namespace kawal::sync
