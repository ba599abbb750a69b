#include "write_ops_json.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "kawal/sync/schema.h"
#include "record_json.h"

namespace kawal::mobile {
namespace {

using Type = JsonValue::Type;

absl::Status ExpectString(absl::string_view key, const JsonValue& v, std::string* out) {
  if (v.type != Type::kString) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", key, "\" expects a string, got ", JsonTypeName(v.type)));
  }
  *out = v.text;
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<WriteOp> WriteOpFromJson(const JsonValue& json) {
  if (json.type != Type::kObject) {
    return absl::InvalidArgumentError(
        absl::StrCat("expected a JSON object, got ", JsonTypeName(json.type)));
  }
  WriteOp op;
  std::string kind;
  const JsonValue* fields = nullptr;
  for (const auto& [key, v] : json.object) {
    absl::Status s;
    if (key == "op") {
      s = ExpectString(key, v, &kind);
    } else if (key == "collection") {
      s = ExpectString(key, v, &op.collection);
    } else if (key == "id") {
      s = ExpectString(key, v, &op.id);
    } else if (key == "scope") {
      s = ExpectString(key, v, &op.scope);
    } else if (key == "fields") {
      fields = &v;
    } else {
      std::string shown = key.substr(0, 64);
      s = absl::InvalidArgumentError(
          absl::StrCat("unknown key '", shown, "'; expected op, collection, id, scope or fields"));
    }
    if (!s.ok()) return s;
  }
  if (kind == "create") {
    op.kind = WriteOp::Kind::kCreate;
  } else if (kind == "update") {
    op.kind = WriteOp::Kind::kUpdate;
  } else if (kind == "delete") {
    op.kind = WriteOp::Kind::kDelete;
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "\"op\" must be create, update or delete, got \"", kind.substr(0, 64), "\""));
  }
  if (op.collection.empty()) return absl::InvalidArgumentError("\"collection\" is missing");
  const sync::CollectionSpec* spec = sync::Schema::Default().Find(op.collection);
  if (spec == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown collection '", op.collection.substr(0, 64), "'"));
  }
  if (op.kind == WriteOp::Kind::kCreate && op.scope.empty()) {
    return absl::InvalidArgumentError("a create needs \"scope\" (the desa code)");
  }
  const char* a_kind = op.kind == WriteOp::Kind::kUpdate ? "an update" : "a delete";
  if (op.kind != WriteOp::Kind::kCreate && op.id.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(a_kind, " needs \"id\""));
  }
  if (op.kind != WriteOp::Kind::kCreate && !op.scope.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(a_kind, " takes no \"scope\""));
  }
  if (op.kind == WriteOp::Kind::kDelete) {
    if (fields != nullptr) return absl::InvalidArgumentError("a delete takes no \"fields\"");
    return op;
  }
  if (fields == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        op.kind == WriteOp::Kind::kCreate ? "a create" : "an update", " needs \"fields\""));
  }
  absl::StatusOr<FieldValues> values = FieldsFromJsonValue(*spec, *fields);
  if (!values.ok()) return values.status();
  op.fields = *std::move(values);
  return op;
}

absl::StatusOr<WriteOp> WriteOpFromJsonText(absl::string_view text) {
  absl::StatusOr<JsonValue> json = ParseJson(text);
  if (!json.ok()) return json.status();
  return WriteOpFromJson(*json);
}

absl::StatusOr<std::vector<WriteOp>> WriteOpsFromJsonArray(absl::string_view text) {
  absl::StatusOr<JsonValue> json = ParseJson(text);
  if (!json.ok()) return json.status();
  if (json->type != Type::kArray) {
    return absl::InvalidArgumentError(
        absl::StrCat("expected a JSON array of operations, got ", JsonTypeName(json->type)));
  }
  std::vector<WriteOp> ops;
  ops.reserve(json->array.size());
  for (size_t i = 0; i < json->array.size(); ++i) {
    absl::StatusOr<WriteOp> op = WriteOpFromJson(json->array[i]);
    if (!op.ok()) {
      return absl::Status(op.status().code(), absl::StrCat("op ", i, ": ", op.status().message()));
    }
    ops.push_back(*std::move(op));
  }
  return ops;
}

}  // namespace kawal::mobile
