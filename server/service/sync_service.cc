#include "service/sync_service.h"

#include <algorithm>
#include <set>
#include <variant>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "base/server_log.h"
#include "base/server_tuning.h"
#include "service/call_auth.h"
#include "service/report_spending_check.h"
#include "kawal/common/grpc_status.h"
#include "kawal/sync/codec.h"
#include "kawal/sync/region.h"
#include "kawal/sync/reject.h"
#include "kawal/sync/schema.h"
#include "kawal/sync/wire_stamps.h"
#include "engine/pull_cursor.h"
#include "kawal/sync/quote.h"

namespace kawal::server {
namespace {

// "3h12m5s ahead" for a skew in milliseconds.
std::string DescribeSkew(int64_t ms) {
  return absl::FormatDuration(absl::Milliseconds(ms));
}

// A conflict is settled in the name of the user who settled it: a device
// may write resolved_by only as its own user.
absl::Status CheckResolutionSigner(const Caller& caller, const sync::RecordDelta& delta) {
  if (delta.collection != sync::kConflict) return absl::OkStatus();
  for (const sync::FieldChange& c : delta.changes) {
    if (c.name != "resolved_by") continue;
    const auto* name = std::get_if<std::string>(&c.value);
    if (name == nullptr || *name != caller.name) {
      return sync::Reject(
          sync::RejectCode::kScopeDenied,
          absl::StrCat("conflict ", sync::QuoteClientValue(delta.id, 64), " says it was resolved by ",
                       name != nullptr ? sync::QuoteClientValue(*name, 64) : std::string("nobody"),
                       ", but the change comes from user ", caller.name,
                       ": a device resolves conflicts only in its own user's name"));
    }
  }
  return absl::OkStatus();
}

void FillResult(const absl::Status& status, v1::PushResult* result) {
  result->set_applied(false);
  result->set_reason(static_cast<v1::RejectReason>(sync::RejectCodeOf(status)));
  result->set_message(std::string(status.message()));
}

// Normalizes requested scopes: parses them, keeps only the outermost.
absl::StatusOr<std::vector<std::string>> ResolvePullScopes(const Caller& caller,
                                                           const v1::PullRequest& request) {
  std::vector<std::string> requested(request.scopes().begin(), request.scopes().end());
  if (requested.empty()) {
    if (caller.role == v1::ADMIN && caller.scopes.empty()) return std::vector<std::string>{""};
    requested = caller.scopes;
  }
  std::set<std::string> codes;
  for (const std::string& scope : requested) {
    absl::StatusOr<sync::RegionCode> code = sync::RegionCode::Parse(scope);
    if (!code.ok()) return code.status();
    if (!CanReadScope(caller, scope)) {
      return absl::PermissionDeniedError(
          absl::StrCat("user ", caller.name, " may not read region ",
                       sync::QuoteClientValue(scope)));
    }
    codes.insert(scope);
  }
  std::vector<std::string> out;
  for (const std::string& code : codes) {
    bool inside_other = std::any_of(out.begin(), out.end(), [&](const std::string& outer) {
      return sync::RegionContains(outer, code);
    });
    if (!inside_other) out.push_back(code);
  }
  return out;
}

// Responses are gzipped for devices that ask with "x-kawal-gzip: 1"
// (SyncOptions.gzip, on by default) when they are big enough for it to pay
// (docs/sync-model.md, "Bytes on the wire"): the handler cannot see whether
// the request itself came compressed, and every gRPC client advertises
// gzip, so that is no sign of what the device wants.
void CompressIfWorthIt(grpc::ServerContext* context, size_t response_bytes) {
  if (response_bytes < tuning::kCompressMinBytes) return;
  const auto& metadata = context->client_metadata();
  auto it = metadata.find("x-kawal-gzip");
  if (it != metadata.end() && it->second == "1") {
    context->set_compression_algorithm(GRPC_COMPRESS_GZIP);
  }
}

}  // namespace

SyncServiceImpl::SyncServiceImpl(const ServerConfig* config, Database* database,
                                 Sequencer* sequencer, sync::Clock* clock, UserStore* users,
                                 PushApplier* applier, PullReader* reader)
    : config_(config),
      database_(database),
      sequencer_(sequencer),
      clock_(clock),
      users_(users),
      applier_(applier),
      reader_(reader) {}

grpc::Status SyncServiceImpl::Handshake(grpc::ServerContext* context,
                                        const v1::HandshakeRequest* request,
                                        v1::HandshakeResponse* response) {
  return common::ToGrpcStatus(HandleHandshake(context, request, response));
}

absl::Status SyncServiceImpl::HandleHandshake(grpc::ServerContext* context,
                                              const v1::HandshakeRequest* request,
                                              v1::HandshakeResponse* response) {
  absl::StatusOr<Caller> caller = Authorize(*context, *shard_, *users_);
  if (!caller.ok()) return caller.status();
  return HandshakeAs(*caller, *request, response);
}

absl::Status SyncServiceImpl::HandshakeAs(const Caller& caller,
                                          const v1::HandshakeRequest& request,
                                          v1::HandshakeResponse* response) {
  response->set_incarnation(database_->incarnation());
  *response->mutable_lineage() = database_->lineage().steps();
  response->set_server_time_ms(clock_->CorrectedTimeMs());
  for (const std::string& scope : caller.scopes) response->add_scopes(scope);
  response->set_role(RoleName(caller.role));
  response->set_user(caller.name);
  response->set_server_seq(sequencer_->Watermark());
  response->set_schema_version(sync::kSchemaVersion);
  v1::Limits* limits = response->mutable_limits();
  limits->set_max_batch(config_->max_batch);
  limits->set_max_message_bytes(config_->max_message_bytes);
  limits->set_max_clock_skew_ms(config_->max_clock_skew_ms);
  if (sync_observer_ != nullptr) {
    sync_observer_->OnHandshake(caller, request.device_node(), request.device_name());
  }
  response->set_bundle_sign_public_key(bundle_keys_.sign_public_key);
  response->set_bundle_box_public_key(bundle_keys_.box_public_key);
  if (device_keys_ != nullptr && !request.bundle_public_key().empty()) {
    // A device whose key changed still syncs over the network; only its
    // bundles are refused (the first key stays bound).
    absl::Status bound =
        device_keys_->Bind(caller.name, request.device_node(), request.bundle_public_key());
    if (absl::IsFailedPrecondition(bound) || absl::IsInvalidArgument(bound)) {
      LogError(absl::StrCat("handshake: ", bound.message()));
    } else if (!bound.ok()) {
      return bound;
    }
  }
  response->set_reads_stamp_tables(true);
  return absl::OkStatus();
}

grpc::Status SyncServiceImpl::Push(grpc::ServerContext* context, const v1::PushRequest* request,
                                   v1::PushResponse* response) {
  absl::Status handled = HandlePush(context, request, response);
  if (handled.ok()) CompressIfWorthIt(context, response->ByteSizeLong());
  return common::ToGrpcStatus(handled);
}

absl::Status SyncServiceImpl::HandlePush(grpc::ServerContext* context, const v1::PushRequest* request,
                                         v1::PushResponse* response) {
  absl::StatusOr<Caller> caller = Authorize(*context, *shard_, *users_);
  if (!caller.ok()) return caller.status();
  v1::PushRequest unpacked;  // a packed push, with its stamps back inline
  if (request->stamps_size() > 0) {
    unpacked = *request;
    if (absl::Status s = sync::UnpackStamps(&unpacked); !s.ok()) return s;
    request = &unpacked;
  }
  return PushAs(*caller, *request, response);
}

absl::Status SyncServiceImpl::PushAs(const Caller& caller, const v1::PushRequest& request,
                                     v1::PushResponse* response) {
  if (absl::Status s = RequireRole(caller, v1::FACILITATOR, "push changes"); !s.ok()) {
    return s;
  }
  if (static_cast<uint32_t>(request.deltas_size()) > config_->max_batch) {
    return absl::ResourceExhaustedError(
        absl::StrCat("push holds ", request.deltas_size(), " deltas; the limit is ",
                     config_->max_batch, " per push (split the batch)"));
  }
  std::set<std::pair<std::string, std::string>> keys;
  for (const v1::RecordDelta& d : request.deltas()) {
    if (!keys.emplace(d.collection(), d.id()).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("push holds two deltas for ", sync::QuoteClientValue(d.collection()), " ",
                       sync::QuoteClientValue(d.id(), 64),
                       "; send at most one per record"));
    }
    // A record of another shard's village refuses the whole push: the
    // device is talking to the wrong shard, and nothing of it is stored.
    if (absl::Status s = shard_->CheckWrite(d.scope()); !s.ok()) return s;
  }

  const sync::Writer writer =
      caller.role == v1::ADMIN ? sync::Writer::kServer : sync::Writer::kDevice;
  const int64_t now_ms = clock_->CorrectedTimeMs();
  const sync::Schema& schema = sync::Schema::Default();

  std::vector<v1::PushResult*> results;
  std::vector<sync::RecordDelta> accepted;
  std::vector<v1::PushResult*> accepted_results;
  std::vector<sync::Writer> accepted_writers;
  for (const v1::RecordDelta& proto : request.deltas()) {
    v1::PushResult* result = response->add_results();
    result->set_collection(proto.collection());
    result->set_id(proto.id());
    absl::StatusOr<sync::RecordDelta> delta = sync::FromProto(proto);
    if (!delta.ok()) {
      FillResult(delta.status(), result);
      continue;
    }
    // Restore recovery brings back the server's own conflict records.
    const sync::Writer delta_writer =
        request.recovery() && delta->collection == sync::kConflict ? sync::Writer::kServer
                                                                    : writer;
    if (absl::Status s = sync::ValidateDelta(schema, *delta, delta_writer); !s.ok()) {
      FillResult(s, result);
      continue;
    }
    if (!CanWriteScope(caller, delta->scope)) {
      FillResult(sync::Reject(sync::RejectCode::kScopeDenied,
                              absl::StrCat("user ", caller.name, " may not write village ",
                                           delta->scope, " (not among its assigned villages)")),
                 result);
      continue;
    }
    if (delta_writer == sync::Writer::kDevice) {
      if (absl::Status s = CheckResolutionSigner(caller, *delta); !s.ok()) {
        FillResult(s, result);
        continue;
      }
    }
    const int64_t ahead = delta->MaxStamp().wall_ms - now_ms;
    if (ahead > config_->max_clock_skew_ms) {
      FillResult(sync::Reject(sync::RejectCode::kClockAhead,
                              absl::StrCat("change stamped ", DescribeSkew(ahead),
                                           " ahead of server time; the limit is ",
                                           DescribeSkew(config_->max_clock_skew_ms),
                                           ": the device clock is wrong, sync again so it "
                                           "corrects its time")),
                 result);
      continue;
    }
    // A lower cumulative spend than an earlier report is a correction and
    // needs a note (docs/reports.md "Spending").
    if (absl::Status s = CheckReportSpending(*database_, *applier_, *delta, accepted); !s.ok()) {
      FillResult(s, result);
      continue;
    }
    accepted.push_back(*std::move(delta));
    accepted_writers.push_back(delta_writer);
    accepted_results.push_back(result);
  }

  for (const sync::RecordDelta& d : accepted) clock_->Observe(d.MaxStamp());
  absl::StatusOr<std::vector<DeltaOutcome>> outcomes =
      applier_->Apply(accepted, accepted_writers, request.device_node());
  if (!outcomes.ok()) return outcomes.status();
  for (size_t i = 0; i < accepted.size(); ++i) {
    const DeltaOutcome& outcome = (*outcomes)[i];
    v1::PushResult* result = accepted_results[i];
    if (!outcome.status.ok()) {
      FillResult(outcome.status, result);
      continue;
    }
    result->set_applied(true);
    result->set_seq(outcome.seq);
    result->set_in_sync(outcome.in_sync);
  }
  response->set_server_time_ms(clock_->CorrectedTimeMs());
  response->set_incarnation(database_->incarnation());
  // A push that stored nothing is no field activity (and an empty scope
  // list would mean "every village of the caller" to the observer).
  if (sync_observer_ != nullptr && !accepted.empty()) {
    std::vector<std::string> scopes;
    for (const sync::RecordDelta& d : accepted) scopes.push_back(d.scope);
    sync_observer_->OnSynced(caller, request.device_node(), scopes, now_ms,
                             SyncObserver::SyncKind::kPush);
  }
  return absl::OkStatus();
}

grpc::Status SyncServiceImpl::Pull(grpc::ServerContext* context, const v1::PullRequest* request,
                                   v1::PullResponse* response) {
  absl::Status handled = HandlePull(context, request, response);
  if (handled.ok()) {
    if (request->stamp_tables()) sync::PackStamps(response);
    CompressIfWorthIt(context, response->ByteSizeLong());
  }
  return common::ToGrpcStatus(handled);
}

absl::Status SyncServiceImpl::HandlePull(grpc::ServerContext* context, const v1::PullRequest* request,
                                         v1::PullResponse* response) {
  absl::StatusOr<Caller> caller = Authorize(*context, *shard_, *users_);
  if (!caller.ok()) return caller.status();
  return PullAs(*caller, *request, response);
}

absl::Status SyncServiceImpl::PullAs(const Caller& caller, const v1::PullRequest& request,
                                     v1::PullResponse* response) {
  absl::StatusOr<std::vector<std::string>> prefixes = ResolvePullScopes(caller, request);
  if (!prefixes.ok()) return prefixes.status();
  for (const std::string& prefix : *prefixes) {
    if (absl::Status s = shard_->CheckRead(prefix); !s.ok()) return s;
  }
  absl::StatusOr<storage::v1::PullCursor> cursor =
      DecodeCursor(request.cursor(), database_->incarnation(), database_->lineage());
  if (!cursor.ok()) return cursor.status();

  PullLimits limits;
  limits.max_records = config_->pull_max_records;
  if (request.max_records() > 0) limits.max_records = std::min(limits.max_records, request.max_records());
  // Leave room for the envelope within the message limit.
  limits.max_bytes = config_->max_message_bytes - std::min<uint32_t>(config_->max_message_bytes / 8, tuning::kPullEnvelopeBytes);
  if (request.max_bytes() > 0) limits.max_bytes = std::min(limits.max_bytes, request.max_bytes());

  limits.whole_records = request.whole_records();
  if (request.want_whole_size() > 1000) {
    return absl::InvalidArgumentError(absl::StrCat(
        "pull asks for ", request.want_whole_size(), " whole records; the limit is 1000"));
  }
  for (const v1::RecordRef& ref : request.want_whole()) {
    absl::StatusOr<sync::RecordState> state = applier_->Get(ref.collection(), ref.id());
    if (!state.ok()) return state.status();
    if (state->IsEmpty()) continue;
    const bool readable = std::any_of(prefixes->begin(), prefixes->end(), [&](const std::string& p) {
      return p.empty() || sync::RegionContains(p, state->scope);
    });
    if (!readable) continue;  // outside what this pull covers: not sent
    sync::ToProto(*state, response->add_records());
  }
  if (absl::Status s = reader_->ReadPage(*prefixes, *std::move(cursor), request.device_node(),
                                         limits, response);
      !s.ok()) {
    return s;
  }
  response->set_incarnation(database_->incarnation());
  response->set_server_time_ms(clock_->CorrectedTimeMs());
  if (sync_observer_ != nullptr && !response->has_more()) {
    sync_observer_->OnSynced(caller, request.device_node(), *prefixes,
                             clock_->CorrectedTimeMs(), SyncObserver::SyncKind::kPull);
  }
  return absl::OkStatus();
}

}  // namespace kawal::server
