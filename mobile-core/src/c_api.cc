// The C API (kawal/kawal.h) over kawal::mobile::Device.
//
// Every entry point runs its whole body inside Guard(), which is noexcept and
// catches everything: a C++ exception must never cross into JNI or Swift.
// (The definitions cannot say noexcept themselves: kawal.h declares them
// without it, and C++17 makes a differing exception specifier an error.)
// Errors become canonical status codes and one bounded, UTF-8-clean
// sentence; strings handed out are malloc'ed so kawal_string_free() is free().
#include "kawal/kawal.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "json.h"
#include "kawal/common/bundle_keys.h"
#include "kawal/common/bundle_part_files.h"
#include "kawal/mobile/device.h"
#include "kawal/sync/schema.h"
#include "kawal/sync/stamp.h"
#include "record_json.h"
#include "write_ops_json.h"

struct kawal_device_t {
  std::unique_ptr<kawal::mobile::Device> device;
};

namespace kawal::mobile {
namespace {

constexpr int kInvalidArgument = static_cast<int>(absl::StatusCode::kInvalidArgument);
constexpr int kResourceExhausted = static_cast<int>(absl::StatusCode::kResourceExhausted);
constexpr int kInternal = static_cast<int>(absl::StatusCode::kInternal);

// Sets `prefix` + `detail` as the message, cut to the buffer at a UTF-8
// character boundary. Allocates nothing, so it is safe in a catch handler.
void SetError(kawal_error_t* error, int code, absl::string_view prefix,
              absl::string_view detail = {}) noexcept {
  if (error == nullptr) return;
  error->code = code;
  auto at = [&](size_t i) { return i < prefix.size() ? prefix[i] : detail[i - prefix.size()]; };
  const size_t total = prefix.size() + detail.size();
  size_t n = std::min(total, static_cast<size_t>(KAWAL_ERROR_MESSAGE_SIZE - 1));
  if (n < total) {
    // The first byte left out continues a sequence: drop that sequence's
    // start too (at most 3 bytes back: sequences are at most 4 long).
    for (int k = 0; k < 3 && n > 0 && (static_cast<unsigned char>(at(n)) & 0xC0) == 0x80; ++k) {
      --n;
    }
  }
  for (size_t i = 0; i < n; ++i) error->message[i] = at(i);
  error->message[n] = '\0';
}

void SetOk(kawal_error_t* error) noexcept {
  if (error == nullptr) return;
  error->code = 0;
  error->message[0] = '\0';
}

void SetStatus(kawal_error_t* error, const absl::Status& status) noexcept {
  if (status.ok()) {
    SetOk(error);
  } else {
    SetError(error, static_cast<int>(status.code()), status.message());
  }
}

// Runs `body`, turning any exception into INTERNAL and `failure`.
template <typename R, typename Body>
R Guard(kawal_error_t* error, R failure, Body&& body) noexcept {
  try {
    return body();
  } catch (const std::exception& e) {
    SetError(error, kInternal, "internal error: ", e.what());
  } catch (...) {
    SetError(error, kInternal, "internal error: unknown exception");
  }
  return failure;
}

// A malloc'ed copy of `s` (the caller frees it with kawal_string_free).
char* ReturnString(const std::string& s, kawal_error_t* error) {
  char* out = static_cast<char*>(std::malloc(s.size() + 1));
  if (out == nullptr) {
    SetError(error, kResourceExhausted, "out of memory for the result");
    return nullptr;
  }
  std::memcpy(out, s.data(), s.size());
  out[s.size()] = '\0';
  SetOk(error);
  return out;
}

absl::StatusOr<const sync::CollectionSpec*> FindCollection(const std::string& collection) {
  const sync::CollectionSpec* spec = sync::Schema::Default().Find(collection);
  if (spec != nullptr) return spec;
  return absl::InvalidArgumentError(absl::StrCat("unknown collection '", collection, "'"));
}

absl::StatusOr<FieldValues> ParseFields(const std::string& collection, const char* json) {
  absl::StatusOr<const sync::CollectionSpec*> spec = FindCollection(collection);
  if (!spec.ok()) return spec.status();
  return FieldsFromJson(**spec, json);
}

// RecordToJson's object with "pending" inserted before "fields", as in the
// header's example. ",\"fields\":" cannot occur inside the escaped strings
// before it (a '"' in a string is always preceded by '\\'), so the first
// match is the key.
absl::StatusOr<std::string> RecordJson(const Device& device, const sync::RecordState& record,
                                       bool include_deleted) {
  absl::StatusOr<bool> pending = device.IsPending(record.collection, record.id);
  if (!pending.ok()) return pending.status();
  RecordJsonOptions options;
  options.include_deleted = include_deleted;
  std::string json = RecordToJson(record, options);
  const size_t at = json.find(",\"fields\":");
  if (at == std::string::npos) return absl::InternalError("record JSON has no \"fields\" key");
  json.insert(at, *pending ? ",\"pending\":true" : ",\"pending\":false");
  return json;
}

absl::StatusOr<std::string> RecordsJson(const Device& device,
                                        const std::vector<sync::RecordState>& records,
                                        bool include_deleted) {
  std::string out = "[";
  for (const sync::RecordState& record : records) {
    absl::StatusOr<std::string> json = RecordJson(device, record, include_deleted);
    if (!json.ok()) return json.status();
    if (out.size() > 1) out += ',';
    out += *json;
  }
  out += ']';
  return out;
}

// One member of an options object, read into a typed destination.
struct Member {
  absl::string_view what;  // "query key", "sync option"
  absl::string_view key;
  const JsonValue& v;

  absl::Status Wrong(absl::string_view expects) const {
    std::string got = ToJson(v);
    if (got.size() > 64) got = absl::StrCat(got.substr(0, 64), "...");
    return absl::InvalidArgumentError(
        absl::StrCat(what, " '", key, "' expects ", expects, ", got ", got));
  }
  absl::Status Into(std::string* out) const {
    if (v.type != JsonValue::Type::kString) return Wrong("a string");
    *out = v.text;
    return absl::OkStatus();
  }
  absl::Status Into(bool* out) const {
    if (v.type != JsonValue::Type::kBool) return Wrong("true or false");
    *out = v.boolean;
    return absl::OkStatus();
  }
  template <typename Int>
  absl::Status Into(Int* out, int64_t min, int64_t max) const {
    int64_t i = 0;
    if (v.type != JsonValue::Type::kNumber || !v.is_integer || !absl::SimpleAtoi(v.text, &i) ||
        i < min || i > max) {
      return Wrong(absl::StrCat("an integer from ", min, " to ", max));
    }
    *out = static_cast<Int>(i);
    return absl::OkStatus();
  }
};

absl::StatusOr<JsonValue> ParseObject(absl::string_view what, const char* text) {
  absl::StatusOr<JsonValue> json = ParseJson(text);
  if (!json.ok()) return json.status();
  if (json->type != JsonValue::Type::kObject) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " must be a JSON object, got ", JsonTypeName(json->type)));
  }
  return json;
}

absl::Status UnknownKey(absl::string_view what, absl::string_view key, absl::string_view known) {
  return absl::InvalidArgumentError(
      absl::StrCat("unknown ", what, " '", key.substr(0, 64), "'; expected ", known));
}

absl::StatusOr<ListQuery> ParseQuery(const char* text) {
  ListQuery q;
  if (text == nullptr) return q;
  absl::StatusOr<JsonValue> json = ParseObject("query", text);
  if (!json.ok()) return json.status();
  for (const auto& [key, v] : json->object) {
    const Member m{"query key", key, v};
    absl::Status s =
        key == "collection"        ? m.Into(&q.collection)
        : key == "region"          ? m.Into(&q.region)
        : key == "year"            ? m.Into(&q.year, 0, INT64_MAX)
        : key == "status"          ? m.Into(&q.status)
        : key == "activity_id"     ? m.Into(&q.activity_id)
        : key == "include_deleted" ? m.Into(&q.include_deleted)
                                   : UnknownKey("query key", key,
                                                "collection, region, year, status, "
                                                "activity_id or include_deleted");
    if (!s.ok()) return s;
  }
  if (auto spec = FindCollection(q.collection); !spec.ok()) return spec.status();
  return q;
}

absl::StatusOr<SyncOptions> ParseSyncOptions(const char* text) {
  SyncOptions o;
  if (text == nullptr) return o;
  absl::StatusOr<JsonValue> json = ParseObject("sync options", text);
  if (!json.ok()) return json.status();
  constexpr int64_t kHourMs = 3600 * 1000;
  for (const auto& [key, v] : json->object) {
    const Member m{"sync option", key, v};
    absl::Status s =
        key == "max_attempts"      ? m.Into(&o.max_attempts, 1, 1000)
        : key == "backoff_base_ms" ? m.Into(&o.backoff_base_ms, 0, kHourMs)
        : key == "backoff_cap_ms"  ? m.Into(&o.backoff_cap_ms, 0, kHourMs)
        : key == "rpc_timeout_ms"  ? m.Into(&o.rpc_timeout_ms, 1, 24 * kHourMs)
        : key == "push_batch"      ? m.Into(&o.push_batch, 1, UINT32_MAX)
        : key == "pull_page"       ? m.Into(&o.pull_page, 1, UINT32_MAX)
        : key == "gzip"            ? m.Into(&o.gzip)
                                   : UnknownKey("sync option", key,
                                                "max_attempts, backoff_base_ms, backoff_cap_ms, "
                                                "rpc_timeout_ms, push_batch, pull_page or gzip");
    if (!s.ok()) return s;
  }
  return o;
}

absl::StatusOr<BundleExportOptions> ParseBundleExportOptions(const char* text) {
  BundleExportOptions o;
  if (text == nullptr) return o;
  absl::StatusOr<JsonValue> json = ParseObject("bundle export options", text);
  if (!json.ok()) return json.status();
  for (const auto& [key, v] : json->object) {
    const Member m{"bundle export option", key, v};
    absl::Status s = key == "photos"      ? m.Into(&o.photos)
                     : key == "max_bytes" ? m.Into(&o.max_bytes, 1, INT64_MAX)
                                          : UnknownKey("bundle export option", key,
                                                       "photos, max_bytes");
    if (!s.ok()) return s;
  }
  return o;
}

std::string BundleExportJson(const BundleExport& e, const std::vector<std::string>& paths) {
  JsonWriter w;
  w.BeginObject().Key("bundle_id").String(e.bundle_id).Key("deltas").Uint(e.deltas);
  w.Key("photos").Uint(e.photos).Key("photo_bytes").Uint(e.photo_bytes);
  w.Key("bytes").Uint(e.bytes).Key("files").BeginArray();
  for (const std::string& path : paths) w.String(path);
  w.EndArray().EndObject();
  return w.str();
}

std::string BundleReplyJson(const BundleReplyReport& r) {
  JsonWriter w;
  w.BeginObject().Key("acknowledged").Uint(r.acknowledged).Key("rejected").Uint(r.rejected);
  w.Key("pulled").Uint(r.pulled).Key("photos_stored").Uint(r.photos_stored);
  w.Key("cursor_advanced").Bool(r.cursor_advanced).EndObject();
  return w.Release();
}

std::string BundleRelayJson(const BundleRelay& r, const std::string& reply_path) {
  JsonWriter w;
  w.BeginObject().Key("user").String(r.user);
  w.Key("device_node").String(absl::StrFormat("%016x", r.device_node));
  w.Key("deltas").Uint(r.deltas).Key("applied").Uint(r.applied).Key("rejected").Uint(r.rejected);
  w.Key("reply").String(reply_path).EndObject();
  return w.Release();
}

std::string ReportJson(const SyncReport& r) {
  JsonWriter w;
  w.BeginObject().Key("pushed").Uint(r.pushed).Key("rejected").Uint(r.rejected);
  w.Key("pulled").Uint(r.pulled).Key("restore_detected").Bool(r.restore_detected);
  w.Key("repushed_after_restore").Uint(r.repushed_after_restore);
  w.Key("bytes_sent").Uint(r.bytes_sent).Key("bytes_received").Uint(r.bytes_received);
  w.Key("photos_uploaded").Uint(r.photos_uploaded).Key("photo_bytes_sent").Uint(r.photo_bytes_sent);
  w.Key("photos_failed").Uint(r.photos_failed);
  w.Key("retries").Int(r.retries).EndObject();
  return w.Release();
}

std::string StatusJson(const StatusView& v) {
  JsonWriter w;
  w.BeginObject().Key("server").String(v.server).Key("user").String(v.user);
  w.Key("role").String(v.role).Key("scopes").BeginArray();
  for (const std::string& scope : v.scopes) w.String(scope);
  w.EndArray().Key("incarnation").String(v.incarnation);
  w.Key("device").String(sync::NodeToHex(v.device_node));
  w.Key("pending_records").Uint(v.pending_records);
  w.Key("rejected_records").Uint(v.rejected_records);
  w.Key("last_sync_ms").Int(v.last_sync_ms).Key("last_attempt_ms").Int(v.last_attempt_ms);
  w.Key("last_error").String(v.last_error).Key("clock_offset_ms").Int(v.clock_offset_ms);
  w.EndObject();
  return w.Release();
}

std::string RejectionsJson(const std::vector<RejectionView>& rejections) {
  JsonWriter w;
  w.BeginArray();
  for (const RejectionView& r : rejections) {
    w.BeginObject().Key("collection").String(r.collection).Key("id").String(r.id);
    w.Key("scope").String(r.scope).Key("reason").String(r.reason);
    w.Key("message").String(r.message).Key("rejected_at_ms").Int(r.rejected_at_ms).EndObject();
  }
  w.EndArray();
  return w.Release();
}

// query_json of kawal_query/kawal_count and filter_json of kawal_observe:
// "region", "limit" and "resume" (with `paging`), else field -> string,
// integer or null. Field names are checked by the caller (PlanQuery for a
// query, the schema for a filter).
absl::StatusOr<RecordQuery> ParseRecordQuery(const char* collection, const char* text,
                                             bool paging) {
  RecordQuery q;
  q.collection = collection;
  if (text == nullptr) return q;
  absl::StatusOr<JsonValue> json = ParseObject(paging ? "query" : "filter", text);
  if (!json.ok()) return json.status();
  for (const auto& [key, v] : json->object) {
    const Member m{paging ? "query key" : "filter key", key, v};
    absl::Status s;
    if (key == "region") {
      s = m.Into(&q.region);
    } else if (paging && key == "limit") {
      s = m.Into(&q.limit, 0, UINT32_MAX);
    } else if (paging && key == "resume") {
      s = m.Into(&q.resume_token);
    } else if (v.type == JsonValue::Type::kString) {
      q.equals.emplace_back(key, sync::Value(v.text));
    } else if (v.type == JsonValue::Type::kNull) {
      q.equals.emplace_back(key, sync::Value(sync::Null{}));
    } else {
      int64_t i = 0;
      s = m.Into(&i, INT64_MIN, INT64_MAX);
      if (!s.ok()) s = m.Wrong("a string, an integer or null");
      if (s.ok()) q.equals.emplace_back(key, sync::Value(i));
    }
    if (!s.ok()) return s;
  }
  return q;
}

// A number member of a photo object (lat, lon, accuracy_m).
absl::Status IntoDouble(const Member& m, std::optional<double>* out) {
  if (m.v.type != JsonValue::Type::kNumber) return m.Wrong("a number");
  *out = m.v.number;
  return absl::OkStatus();
}

// photos_json of kawal_report_create: NULL or an array of
// {"file":…,"stage":…,"taken_at_ms":…,"lat":…,"lon":…,"accuracy_m":…,"caption":…}.
absl::StatusOr<std::vector<PhotoAttachment>> ParsePhotos(const char* text) {
  std::vector<PhotoAttachment> photos;
  if (text == nullptr) return photos;
  absl::StatusOr<JsonValue> json = ParseJson(text);
  if (!json.ok()) return json.status();
  if (json->type != JsonValue::Type::kArray) {
    return absl::InvalidArgumentError(
        absl::StrCat("photos_json must be a JSON array, got ", JsonTypeName(json->type)));
  }
  for (size_t i = 0; i < json->array.size(); ++i) {
    const JsonValue& item = json->array[i];
    if (item.type != JsonValue::Type::kObject) {
      return absl::InvalidArgumentError(absl::StrCat("photos_json[", i,
                                                     "] must be a JSON object, got ",
                                                     JsonTypeName(item.type)));
    }
    PhotoAttachment p;
    bool has_file = false, has_stage = false;
    for (const auto& [key, v] : item.object) {
      const Member m{"photo key", key, v};
      absl::Status s =
          key == "file"          ? (has_file = true, m.Into(&p.file))
          : key == "stage"       ? (has_stage = true, m.Into(&p.stage))
          : key == "taken_at_ms" ? m.Into(&p.taken_at_ms, 0, INT64_MAX)
          : key == "lat"         ? IntoDouble(m, &p.lat)
          : key == "lon"         ? IntoDouble(m, &p.lon)
          : key == "accuracy_m"  ? IntoDouble(m, &p.accuracy_m)
          : key == "caption"     ? m.Into(&p.caption)
                                 : UnknownKey("photo key", key,
                                              "file, stage, taken_at_ms, lat, lon, accuracy_m "
                                              "or caption");
      if (!s.ok()) return s;
    }
    if (!has_file || p.file.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("photos_json[", i, "] needs \"file\""));
    }
    if (!has_stage || p.stage.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("photos_json[", i, "] needs \"stage\" (\"0\", \"50\", \"100\" or \"other\")"));
    }
    photos.push_back(std::move(p));
  }
  return photos;
}

struct Arg {
  const void* value;
  const char* name;
};

// The device of `handle`, or INVALID_ARGUMENT naming the first NULL one of
// `handle` and `required`.
// Copies `p` into the caller's struct, only as far as its struct_size
// reaches (kawal.h: fields are only appended, so the caller's layout is a
// prefix of ours). p.phase outlives the callback, so its c_str() stays valid
// during it.
void FillProgress(const SyncProgress& p, kawal_progress_t* out) {
  const size_t size = std::min<size_t>(out->struct_size, sizeof(kawal_progress_t));
  kawal_progress_t full{};
  full.struct_size = out->struct_size;  // the caller's, unchanged
  full.phase = p.phase.c_str();
  full.records_pushed = p.records_pushed;
  full.records_to_push = p.records_to_push;
  full.records_pulled = p.records_pulled;
  full.records_to_pull = p.records_to_pull;
  full.bytes_sent = p.bytes_sent;
  full.bytes_received = p.bytes_received;
  full.attempt = p.attempt;
  full.bytes_to_send = p.bytes_to_send;
  full.bytes_to_receive = p.bytes_to_receive;
  full.photo_bytes_sent = p.photo_bytes_sent;
  full.photo_bytes_to_send = p.photo_bytes_to_send;
  std::memcpy(out, &full, size);
}

absl::StatusOr<Device*> Checked(kawal_device_t* handle, std::initializer_list<Arg> required) {
  if (handle == nullptr || handle->device == nullptr) {
    return absl::InvalidArgumentError("device must not be NULL");
  }
  for (const Arg& arg : required) {
    if (arg.value == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(arg.name, " must not be NULL"));
    }
  }
  return handle->device.get();
}

// Runs `body(Device&)` -> absl::StatusOr<std::string> after checking the
// arguments: the string malloc'ed, or NULL with the error set.
template <typename Body>
char* StringCall(kawal_device_t* handle, std::initializer_list<Arg> required,
                 kawal_error_t* error, Body&& body) noexcept {
  return Guard(error, static_cast<char*>(nullptr), [&]() -> char* {
    absl::StatusOr<Device*> device = Checked(handle, required);
    absl::StatusOr<std::string> result = device.ok() ? body(**device) : device.status();
    if (result.ok()) return ReturnString(*result, error);
    SetStatus(error, result.status());
    return nullptr;
  });
}

// Runs `body(Device&)` -> absl::Status after checking the arguments: 0, or
// -1 with the error set.
template <typename Body>
int CodeCall(kawal_device_t* handle, std::initializer_list<Arg> required, kawal_error_t* error,
             Body&& body) noexcept {
  return Guard(error, -1, [&] {
    absl::StatusOr<Device*> device = Checked(handle, required);
    absl::Status status = device.ok() ? body(**device) : device.status();
    SetStatus(error, status);
    return status.ok() ? 0 : -1;
  });
}

// `f(*value)` as an R, or value's error.
template <typename R = absl::StatusOr<std::string>, typename T, typename F>
R Then(absl::StatusOr<T> value, F&& f) {
  if (!value.ok()) return value.status();
  return f(*value);
}

}  // namespace
}  // namespace kawal::mobile

using namespace kawal::mobile;  // NOLINT: this file only implements the C API
using kawal::sync::RecordState;
using Records = std::vector<RecordState>;

extern "C" {

kawal_device_t* kawal_device_open(const char* home, const char* device_name,
                                  kawal_error_t* error) KAWAL_NOEXCEPT {
  return Guard(error, static_cast<kawal_device_t*>(nullptr), [&]() -> kawal_device_t* {
    if (home == nullptr) {
      SetError(error, kInvalidArgument, "home must not be NULL");
      return nullptr;
    }
    DeviceOptions options;
    options.home = home;
    if (device_name != nullptr) options.device_name = device_name;
    absl::StatusOr<std::unique_ptr<Device>> device = Device::Open(std::move(options));
    if (!device.ok()) {
      SetStatus(error, device.status());
      return nullptr;
    }
    auto handle = std::make_unique<kawal_device_t>();
    handle->device = *std::move(device);
    SetOk(error);
    return handle.release();
  });
}

void kawal_device_close(kawal_device_t* device) KAWAL_NOEXCEPT {
  Guard(static_cast<kawal_error_t*>(nullptr), 0, [&] {
    delete device;
    return 0;
  });
}

int kawal_device_configure(kawal_device_t* device, const char* server, const char* token,
                           kawal_error_t* error) KAWAL_NOEXCEPT {
  return CodeCall(device, {{server, "server"}}, error, [&](Device& d) {
    return d.Configure(server, token == nullptr ? "" : token);
  });
}

int kawal_device_configure_region(kawal_device_t* device, const char* server, const char* token,
                                  const char* region, kawal_error_t* error) KAWAL_NOEXCEPT {
  return CodeCall(device, {{server, "server"}}, error, [&](Device& d) {
    return d.Configure(server, token == nullptr ? "" : token, region == nullptr ? "" : region);
  });
}

char* kawal_record_create(kawal_device_t* device, const char* collection, const char* scope,
                          const char* fields_json, kawal_error_t* error) KAWAL_NOEXCEPT {
  return StringCall(
      device, {{collection, "collection"}, {scope, "scope"}, {fields_json, "fields_json"}}, error,
      [&](Device& d) {
        return Then(ParseFields(collection, fields_json),
                    [&](const FieldValues& fields) { return d.Create(collection, scope, fields); });
      });
}

int kawal_record_update(kawal_device_t* device, const char* collection, const char* id,
                        const char* fields_json, kawal_error_t* error) KAWAL_NOEXCEPT {
  return CodeCall(
      device, {{collection, "collection"}, {id, "id"}, {fields_json, "fields_json"}}, error,
      [&](Device& d) {
        return Then<absl::Status>(ParseFields(collection, fields_json),
                                  [&](const FieldValues& fields) {
                                    return d.Update(collection, id, fields);
                                  });
      });
}

int kawal_record_delete(kawal_device_t* device, const char* collection, const char* id,
                        kawal_error_t* error) KAWAL_NOEXCEPT {
  return CodeCall(device, {{collection, "collection"}, {id, "id"}}, error,
                  [&](Device& d) { return d.Delete(collection, id); });
}

char* kawal_write_batch(kawal_device_t* device, const char* ops_json,
                        kawal_error_t* error) KAWAL_NOEXCEPT {
  return StringCall(device, {{ops_json, "ops_json"}}, error, [&](Device& d) {
    return Then(WriteOpsFromJsonArray(ops_json), [&](const std::vector<WriteOp>& ops) {
      return Then(d.WriteBatch(ops), [](const std::vector<std::string>& ids) {
        JsonWriter w;
        w.BeginArray();
        for (const std::string& id : ids) w.String(id);
        w.EndArray();
        return absl::StatusOr<std::string>(w.Release());
      });
    });
  });
}

char* kawal_record_get(kawal_device_t* device, const char* collection, const char* id,
                       kawal_error_t* error) KAWAL_NOEXCEPT {
  return StringCall(device, {{collection, "collection"}, {id, "id"}}, error, [&](Device& d) {
    return Then(d.Get(collection, id),
                [&](const RecordState& record) { return RecordJson(d, record, false); });
  });
}

char* kawal_record_list(kawal_device_t* device, const char* query_json, kawal_error_t* error) KAWAL_NOEXCEPT {
  return StringCall(device, {}, error, [&](Device& d) {
    return Then(ParseQuery(query_json), [&](const ListQuery& query) {
      return Then(d.List(query), [&](const Records& records) {
        return RecordsJson(d, records, query.include_deleted);
      });
    });
  });
}

int64_t kawal_pending_count(kawal_device_t* device, kawal_error_t* error) KAWAL_NOEXCEPT {
  uint64_t count = 0;
  int rc = CodeCall(device, {}, error, [&](Device& d) {
    return Then<absl::Status>(d.PendingCount(), [&](uint64_t n) {
      count = n;
      return absl::OkStatus();
    });
  });
  return rc == 0 ? static_cast<int64_t>(count) : -1;
}

char* kawal_conflicts(kawal_device_t* device, kawal_error_t* error) KAWAL_NOEXCEPT {
  return StringCall(device, {}, error, [&](Device& d) {
    return Then(d.Conflicts(),
                [&](const Records& records) { return RecordsJson(d, records, false); });
  });
}

char* kawal_conflicts_all(kawal_device_t* device, kawal_error_t* error) KAWAL_NOEXCEPT {
  return StringCall(device, {}, error, [&](Device& d) {
    return Then(d.Conflicts(/*include_settled=*/true),
                [&](const Records& records) { return RecordsJson(d, records, false); });
  });
}

int kawal_conflict_resolve(kawal_device_t* device, const char* conflict_id, const char* choice,
                           const char* note, kawal_error_t* error) KAWAL_NOEXCEPT {
  return CodeCall(device, {{conflict_id, "conflict_id"}, {choice, "choice"}}, error,
                  [&](Device& d) -> absl::Status {
                    const std::string c = choice;
                    ConflictChoice parsed;
                    if (c == "winner") {
                      parsed = ConflictChoice::kKeepWinner;
                    } else if (c == "loser") {
                      parsed = ConflictChoice::kRestoreLoser;
                    } else if (c == "dismiss") {
                      parsed = ConflictChoice::kDismiss;
                    } else {
                      return absl::InvalidArgumentError(absl::StrCat(
                          "choice must be \"winner\", \"loser\" or \"dismiss\", not \"",
                          c.substr(0, 32), "\""));
                    }
                    return d.ResolveConflict(conflict_id, parsed, note == nullptr ? "" : note);
                  });
}

char* kawal_rejections(kawal_device_t* device, kawal_error_t* error) KAWAL_NOEXCEPT {
  return StringCall(device, {}, error,
                    [&](Device& d) { return Then(d.Rejections(), RejectionsJson); });
}

int kawal_rejection_discard(kawal_device_t* device, const char* collection, const char* id,
                            kawal_error_t* error) KAWAL_NOEXCEPT {
  return CodeCall(device, {{collection, "collection"}, {id, "id"}}, error,
                  [&](Device& d) { return d.DiscardRejected(collection, id); });
}

char* kawal_status(kawal_device_t* device, kawal_error_t* error) KAWAL_NOEXCEPT {
  return StringCall(device, {}, error, [&](Device& d) { return Then(d.Status(), StatusJson); });
}

char* kawal_sync(kawal_device_t* device, const char* options_json, kawal_progress_fn progress_fn,
                 kawal_progress_t* progress, void* user_data, kawal_error_t* error) KAWAL_NOEXCEPT {
  return StringCall(device, {}, error, [&](Device& d) -> absl::StatusOr<std::string> {
    ProgressCallback callback;
    if (progress_fn != nullptr) {
      if (progress == nullptr || progress->struct_size < KAWAL_PROGRESS_MIN_SIZE) {
        return absl::InvalidArgumentError(absl::StrCat(
            "progress must point to a kawal_progress_t with struct_size at least ",
            KAWAL_PROGRESS_MIN_SIZE));
      }
      callback = [progress_fn, progress, user_data](const SyncProgress& p) {
        FillProgress(p, progress);
        progress_fn(progress, user_data);
      };
    }
    // A cancelled sync returns CANCELLED (code 1).
    return Then(ParseSyncOptions(options_json), [&](const SyncOptions& options) {
      return Then(d.Sync(options, callback), ReportJson);
    });
  });
}

char* kawal_report_create(kawal_device_t* device, const char* scope, const char* fields_json,
                          const char* photos_json, kawal_error_t* error) KAWAL_NOEXCEPT {
  return StringCall(device, {{scope, "scope"}, {fields_json, "fields_json"}}, error,
                    [&](Device& d) -> absl::StatusOr<std::string> {
                      absl::StatusOr<FieldValues> fields =
                          ParseFields(kawal::sync::kProgressReport, fields_json);
                      if (!fields.ok()) return fields.status();
                      absl::StatusOr<std::vector<PhotoAttachment>> photos =
                          ParsePhotos(photos_json);
                      if (!photos.ok()) return photos.status();
                      return d.CreateReport(scope, *fields, *photos);
                    });
}

char* kawal_photo_list(kawal_device_t* device, const char* activity_id,
                       kawal_error_t* error) KAWAL_NOEXCEPT {
  return StringCall(device, {}, error, [&](Device& d) {
    return Then(d.Photos(activity_id != nullptr ? activity_id : ""), PhotosToJson);
  });
}

int kawal_photo_fetch(kawal_device_t* device, const char* sha256, const char* out_path,
                      const char* options_json, kawal_error_t* error) KAWAL_NOEXCEPT {
  return CodeCall(device, {{sha256, "sha256"}, {out_path, "out_path"}}, error,
                  [&](Device& d) -> absl::Status {
                    absl::StatusOr<SyncOptions> options = ParseSyncOptions(options_json);
                    if (!options.ok()) return options.status();
                    return d.FetchPhoto(sha256, out_path, *options);
                  });
}

char* kawal_bundle_export(kawal_device_t* device, const char* out_path, const char* options_json,
                          kawal_error_t* error) KAWAL_NOEXCEPT {
  return StringCall(device, {{out_path, "out_path"}}, error,
                    [&](Device& d) -> absl::StatusOr<std::string> {
                      absl::StatusOr<BundleExportOptions> options =
                          ParseBundleExportOptions(options_json);
                      if (!options.ok()) return options.status();
                      absl::StatusOr<BundleExport> exported = d.ExportBundle(*options);
                      if (!exported.ok()) return exported.status();
                      absl::StatusOr<std::vector<std::string>> written =
                          kawal::common::WriteBundleFiles(out_path, exported->files);
                      if (!written.ok()) return written.status();
                      return BundleExportJson(*exported, *written);
                    });
}

char* kawal_bundle_import_reply(kawal_device_t* device, const char* path,
                                kawal_error_t* error) KAWAL_NOEXCEPT {
  return StringCall(device, {{path, "path"}}, error, [&](Device& d) {
    return Then(kawal::common::ReadBundleFile(path), [&](const std::string& file) {
      return Then(d.ImportBundleReply(file), BundleReplyJson);
    });
  });
}

char* kawal_bundle_relay(kawal_device_t* device, const char* path, const char* reply_out_path,
                         const char* options_json, kawal_error_t* error) KAWAL_NOEXCEPT {
  return StringCall(
      device, {{path, "path"}, {reply_out_path, "reply_out_path"}}, error,
      [&](Device& d) -> absl::StatusOr<std::string> {
        absl::StatusOr<SyncOptions> options = ParseSyncOptions(options_json);
        if (!options.ok()) return options.status();
        absl::StatusOr<std::vector<std::string>> files = kawal::common::ReadBundleFilesOf(path);
        if (!files.ok()) return files.status();
        absl::StatusOr<BundleRelay> relayed = d.RelayBundle(*files, *options);
        if (!relayed.ok()) return relayed.status();
        if (absl::Status s = kawal::common::WriteOwnerOnlyFile(reply_out_path, relayed->reply);
            !s.ok()) {
          return s;
        }
        return BundleRelayJson(*relayed, reply_out_path);
      });
}

int kawal_bundle_trust_server_key(kawal_device_t* device, const char* key_file_text,
                                  kawal_error_t* error) KAWAL_NOEXCEPT {
  return CodeCall(device, {{key_file_text, "key_file_text"}}, error,
                  [&](Device& d) { return d.TrustServerBundleKey(key_file_text); });
}

void kawal_sync_cancel(kawal_device_t* device) KAWAL_NOEXCEPT {
  Guard(static_cast<kawal_error_t*>(nullptr), 0, [&] {
    if (device != nullptr && device->device != nullptr) device->device->Cancel();
    return 0;
  });
}

char* kawal_query(kawal_device_t* device, const char* collection, const char* query_json,
                  kawal_error_t* error) KAWAL_NOEXCEPT {
  return StringCall(device, {{collection, "collection"}}, error, [&](Device& d) {
    return Then(ParseRecordQuery(collection, query_json, true), [&](const RecordQuery& query) {
      return Then(d.Query(query), [&](const QueryPage& page) -> absl::StatusOr<std::string> {
        absl::StatusOr<std::string> records = RecordsJson(d, page.records, false);
        if (!records.ok()) return records.status();
        JsonWriter w;
        w.BeginObject().Key("resume").String(page.resume_token).EndObject();
        std::string tail = w.Release();  // {"resume":"…"}
        return absl::StrCat("{\"records\":", *records, ",", tail.substr(1));
      });
    });
  });
}

int64_t kawal_count(kawal_device_t* device, const char* collection, const char* query_json,
                    kawal_error_t* error) KAWAL_NOEXCEPT {
  uint64_t count = 0;
  int rc = CodeCall(device, {{collection, "collection"}}, error, [&](Device& d) {
    return Then<absl::Status>(ParseRecordQuery(collection, query_json, true),
                              [&](const RecordQuery& query) {
                                return Then<absl::Status>(d.Count(query), [&](uint64_t n) {
                                  count = n;
                                  return absl::OkStatus();
                                });
                              });
  });
  return rc == 0 ? static_cast<int64_t>(count) : -1;
}

int64_t kawal_observe(kawal_device_t* device, const char* collection, const char* filter_json,
                      kawal_change_fn fn, void* context, kawal_error_t* error) KAWAL_NOEXCEPT {
  uint64_t id = 0;
  int rc = CodeCall(
      device, {{collection, "collection"}, {reinterpret_cast<const void*>(fn), "fn"}}, error,
      [&](Device& d) {
        return Then<absl::Status>(
            ParseRecordQuery(collection, filter_json, false), [&](const RecordQuery& filter) {
              // Runs on the notification thread; a C callback cannot throw,
              // and building the arrays is guarded by the notifier.
              ChangeCallback callback = [fn, context](const RecordChanges& changes) {
                std::vector<const char*> ids;
                ids.reserve(changes.ids.size());
                for (const std::string& i : changes.ids) ids.push_back(i.c_str());
                fn(changes.collection.c_str(), ids.data(), ids.size(), context);
              };
              return Then<absl::Status>(d.Observe(filter, std::move(callback)), [&](uint64_t n) {
                id = n;
                return absl::OkStatus();
              });
            });
      });
  return rc == 0 ? static_cast<int64_t>(id) : -1;
}

int kawal_unobserve(kawal_device_t* device, int64_t observer, kawal_error_t* error) KAWAL_NOEXCEPT {
  return CodeCall(device, {}, error, [&](Device& d) -> absl::Status {
    if (observer <= 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("observer must be an id returned by kawal_observe, not ", observer));
    }
    return d.Unobserve(static_cast<uint64_t>(observer));
  });
}

void kawal_string_free(char* s) KAWAL_NOEXCEPT { std::free(s); }  // cannot throw

}  // extern "C"
