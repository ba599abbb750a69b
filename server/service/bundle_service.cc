#include "service/bundle_service.h"

#include <algorithm>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "kawal/sync/wire_stamps.h"
#include "kawal/common/bundle_file.h"
#include "kawal/common/bundle_parts.h"
#include "kawal/common/grpc_status.h"
#include "service/bundle_reply_start.h"
#include "service/call_auth.h"

namespace kawal::server {
namespace {

// A bundle (all its parts) is held in memory while it is imported.
constexpr uint64_t kMaxBundleBytes = uint64_t{1} << 30;
constexpr size_t kReplyChunkBytes = 1 << 20;
// A reply's pull stops here; the device pulls the rest over the network or
// by its next bundle.
constexpr int kMaxReplyPullPages = 10000;

// Every change of `body` is the signer's to make, or the bundle is refused
// whole: a bundle is one person's work, and half of it applied is worse.
absl::Status CheckScope(const Caller& signer, const ShardGuard& shard,
                        const v1::DeviceBundleBody& body) {
  if (absl::Status s = RequireRole(signer, v1::FACILITATOR, "import bundles of changes"); !s.ok()) {
    return s;
  }
  for (const v1::RecordDelta& delta : body.deltas()) {
    if (!CanWriteScope(signer, delta.scope())) {
      return absl::PermissionDeniedError(absl::StrCat(
          "the bundle holds a change to ", delta.collection(), " ", delta.id(), " in village \"",
          delta.scope(), "\", which user ", signer.name,
          " may not write; nothing of the bundle was applied"));
    }
    if (absl::Status s = shard.CheckWrite(delta.scope()); !s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace

BundleServiceImpl::BundleServiceImpl(UserStore* users, DeviceKeys* device_keys,
                                     const common::ServerBundleKeys* keys, SyncServiceImpl* sync,
                                     PhotoServiceImpl* photos)
    : users_(users), device_keys_(device_keys), keys_(keys), sync_(sync), photos_(photos) {}

absl::StatusOr<BundleImport> BundleServiceImpl::Import(absl::string_view file) {
  return Import(std::vector<std::string>{std::string(file)});
}

absl::StatusOr<BundleImport> BundleServiceImpl::Import(const std::vector<std::string>& files) {
  absl::StatusOr<std::vector<common::VerifiedBundle>> parts = common::CollectBundleParts(files);
  if (!parts.ok()) return parts.status();
  const v1::BundleHeader& header = parts->front().header;
  if (header.kind() != v1::DEVICE_EXPORT) {
    return absl::InvalidArgumentError(
        "this is not a device's bundle (a reply bundle is imported on the device: "
        "kawal-field bundle import)");
  }
  absl::StatusOr<std::string> opened = common::OpenBundleParts(*parts, keys_->box);
  if (absl::IsPermissionDenied(opened.status())) {
    return absl::PermissionDeniedError(
        "the bundle is sealed to another server's key: the device was set up for another server");
  }
  if (!opened.ok()) return opened.status();
  v1::DeviceBundleBody body;
  if (!body.ParseFromString(*opened)) {
    return absl::InvalidArgumentError("the bundle's content cannot be read");
  }
  absl::StatusOr<Caller> signer = users_->Authenticate(body.token());
  if (!signer.ok()) {
    return absl::UnauthenticatedError(absl::StrCat(
        "the bundle's user token is unknown or revoked (", signer.status().message(),
        "); nothing of the bundle was applied"));
  }
  if (!header.user().empty() && header.user() != signer->name) {
    return absl::PermissionDeniedError(absl::StrCat("the bundle names user ", header.user(),
                                                    " but carries the token of user ",
                                                    signer->name));
  }
  const uint64_t node = header.device_node();
  if (absl::Status s = CheckScope(*signer, *shard_, body); !s.ok()) return s;
  absl::StatusOr<ReplyStart> start = DecideReplyStart(
      sync_->database().incarnation(), sync_->database().lineage(), body.sync_state());
  if (!start.ok()) return start.status();
  // Binds the key on first use (after the scope check: a refused bundle
  // binds nothing); a device already bound to another key is refused.
  if (absl::Status s = device_keys_->Bind(signer->name, node, header.signer_public_key());
      absl::IsFailedPrecondition(s)) {
    return absl::PermissionDeniedError(absl::StrFormat(
        "the bundle is signed by a key other than the one device %016x of user %s uses; "
        "nothing of it was applied",
        node, signer->name));
  } else if (!s.ok()) {
    return s;
  }

  v1::ReplyBundleBody reply;
  // The changes, in Push-sized batches, through Push's own path.
  const uint32_t batch = std::max<uint32_t>(1, sync_->config().max_batch);
  v1::PushResponse* pushed = reply.mutable_push();
  for (int from = 0; from < body.deltas_size(); from += batch) {
    v1::PushRequest request;
    request.set_device_node(node);
    request.set_incarnation(body.sync_state().incarnation());
    request.set_recovery(body.recovery());
    for (int i = from; i < std::min<int>(body.deltas_size(), from + batch); ++i) {
      v1::RecordDelta* delta = request.add_deltas();
      *delta = body.deltas(i);
      ForgetLostKnownSeq(*start, delta);
    }
    v1::PushResponse response;
    if (absl::Status s = sync_->PushAs(*signer, request, &response); !s.ok()) return s;
    for (v1::PushResult& result : *response.mutable_results()) {
      *pushed->add_results() = std::move(result);
    }
    pushed->set_server_time_ms(response.server_time_ms());
    pushed->set_incarnation(response.incarnation());
  }
  *reply.mutable_pushed_deltas() = body.deltas();
  v1::ImportSummary summary;
  for (const v1::PushResult& result : pushed->results()) {
    if (result.applied()) {
      summary.set_applied(summary.applied() + 1);
    } else {
      summary.set_rejected(summary.rejected() + 1);
    }
  }
  // The photos, through the upload path (record, scope, size, type, hash).
  for (const v1::BundlePhoto& photo : body.photos()) {
    v1::PhotoRef ref;
    ref.set_record_id(photo.record_id());
    ref.set_sha256(photo.sha256());
    absl::StatusOr<v1::PhotoStatusEntry> stored =
        photos_->StoreWholePhoto(*signer, ref, photo.content_type(), photo.data());
    v1::BundlePhotoResult* result = reply.add_photos();
    result->set_record_id(photo.record_id());
    result->set_sha256(photo.sha256());
    result->set_complete(stored.ok() && stored->state() == v1::PHOTO_COMPLETE);
    if (!stored.ok()) result->set_message(std::string(stored.status().message()));
    if (result->complete()) summary.set_photos_stored(summary.photos_stored() + 1);
  }
  // What the device's villages received since its cursor (of a restored
  // server: since the backup's sequence; of an unrelated one: everything).
  reply.set_from_cursor(body.sync_state().cursor());
  reply.set_server_restored(start->server_restored);
  std::string cursor = start->cursor;
  for (int page = 0; page < kMaxReplyPullPages; ++page) {
    v1::PullRequest request;
    request.set_device_node(node);
    request.set_cursor(cursor);
    request.set_whole_records(true);
    v1::PullResponse* response = reply.add_pulls();
    if (absl::Status s = sync_->PullAs(*signer, request, response); !s.ok()) return s;
    // As a network page to a device that asks: the reply is sealed, so
    // gzip cannot shrink it on the stick or on a carrier's link.
    sync::PackStamps(response);
    summary.set_pulled_records(summary.pulled_records() + response->records_size());
    cursor = response->cursor();
    if (!response->has_more()) break;
  }
  v1::HandshakeRequest handshake;
  handshake.set_device_node(node);
  handshake.set_device_name(body.sync_state().device_name());
  handshake.set_schema_version(body.sync_state().schema_version());
  if (absl::Status s = sync_->HandshakeAs(*signer, handshake, reply.mutable_handshake()); !s.ok()) {
    return s;
  }

  absl::StatusOr<std::string> device_box = common::BoxPublicKeyOf(header.signer_public_key());
  if (!device_box.ok()) return device_box.status();
  v1::BundleHeader reply_header;
  reply_header.set_kind(v1::SERVER_REPLY);
  reply_header.set_device_node(node);
  reply_header.set_user(signer->name);
  reply_header.set_created_ms(reply.handshake().server_time_ms());
  reply_header.set_reply_to(header.bundle_id());
  absl::StatusOr<std::string> reply_file = common::WriteBundle(
      reply_header, common::SerializeBundleBody(reply), keys_->sign, *device_box);
  if (!reply_file.ok()) return reply_file.status();
  summary.set_bundle_id(header.bundle_id());
  summary.set_user(signer->name);
  summary.set_device_node(node);
  summary.set_deltas(body.deltas_size());
  summary.set_photos(body.photos_size());
  summary.set_server_restored(start->server_restored);
  return BundleImport{*std::move(reply_file), std::move(summary)};
}

grpc::Status BundleServiceImpl::ImportBundle(
    grpc::ServerContext* context,
    grpc::ServerReaderWriter<v1::ImportBundleResponse, v1::ImportBundleRequest>* stream) {
  return common::ToGrpcStatus(HandleImport(context, stream));
}

absl::Status BundleServiceImpl::HandleImport(
    grpc::ServerContext* context,
    grpc::ServerReaderWriter<v1::ImportBundleResponse, v1::ImportBundleRequest>* stream) {
  // Any authenticated caller may carry bundles (an admin at the office, a
  // facilitator relaying colleagues' work): the carrier's token only lets
  // the call in; Import decides by the signer's sealed token alone.
  if (absl::StatusOr<Caller> carrier = Authorize(*context, *shard_, *users_); !carrier.ok()) {
    return carrier.status();
  }
  // The files of one bundle (its parts), each ended by end_of_file; a
  // client that never marks one sends one file.
  std::vector<std::string> files(1);
  uint64_t bytes = 0;
  v1::ImportBundleRequest chunk;
  while (stream->Read(&chunk)) {
    bytes += chunk.data().size();
    if (bytes > kMaxBundleBytes) {
      return absl::ResourceExhaustedError(
          absl::StrCat("bundle is larger than ", kMaxBundleBytes, " bytes"));
    }
    files.back() += chunk.data();
    if (!chunk.end_of_file()) continue;
    if (files.size() >= common::kMaxBundleParts) {
      return absl::ResourceExhaustedError(
          absl::StrCat("more than ", common::kMaxBundleParts, " files in one bundle import"));
    }
    files.emplace_back();
  }
  if (files.size() > 1 && files.back().empty()) files.pop_back();
  if (context->IsCancelled()) return absl::CancelledError("bundle import cut");
  absl::StatusOr<BundleImport> imported = Import(files);
  if (!imported.ok()) return imported.status();
  v1::ImportBundleResponse response;
  for (size_t at = 0; at < imported->reply.size(); at += kReplyChunkBytes) {
    response.set_reply_data(imported->reply.substr(at, kReplyChunkBytes));
    if (!stream->Write(response)) return absl::CancelledError("bundle import cut");
  }
  response.clear_reply_data();  // the last chunk went already
  *response.mutable_summary() = std::move(imported->summary);
  if (!stream->Write(response)) return absl::CancelledError("bundle import cut");
  return absl::OkStatus();
}

}  // namespace kawal::server
