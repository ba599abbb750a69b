#include "ops/rpc_observer.h"

#include <chrono>
#include <string>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <grpcpp/server_context.h>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "kawal/sync/quote.h"

namespace kawal::server::ops {
namespace {

using grpc::experimental::InterceptionHookPoints;

const char* CodeName(grpc::StatusCode code) {
  static constexpr const char* kNames[] = {
      "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
      "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
      "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
      "UNAUTHENTICATED"};
  const int i = static_cast<int>(code);
  return i >= 0 && i < 17 ? kNames[i] : "UNKNOWN";
}

std::string JsonString(absl::string_view value) {
  std::string out = "\"";
  for (unsigned char c : value) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      absl::StrAppendFormat(&out, "\\u%04x", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

// Records a message carries: its repeated "deltas" (PushRequest) or
// "records" (PullResponse) field; 0 for the rest.
uint64_t RecordsIn(const google::protobuf::Message& message) {
  const google::protobuf::Descriptor* type = message.GetDescriptor();
  for (const char* name : {"deltas", "records"}) {
    const google::protobuf::FieldDescriptor* field = type->FindFieldByName(name);
    if (field != nullptr && field->is_repeated() &&
        field->type() == google::protobuf::FieldDescriptor::TYPE_MESSAGE) {
      return static_cast<uint64_t>(message.GetReflection()->FieldSize(message, field));
    }
  }
  return 0;
}

// The state of one call, found by its ServerContext so NoteUser can reach it.
struct CallState {
  absl::Mutex mu;
  std::string user ABSL_GUARDED_BY(mu);
};

absl::Mutex calls_mu(absl::kConstInit);
absl::flat_hash_map<const void*, CallState*>& Calls() ABSL_EXCLUSIVE_LOCKS_REQUIRED(calls_mu) {
  static auto* calls = new absl::flat_hash_map<const void*, CallState*>();
  return *calls;
}

class RpcInterceptor : public grpc::experimental::Interceptor {
 public:
  RpcInterceptor(const RpcObserver* observer, grpc::experimental::ServerRpcInfo* info)
      : observer_(observer), context_(info->server_context()), start_(absl::Now()) {
    line_.method = info->method();
    kawal_method_ = absl::StartsWith(line_.method, "/kawal.");
    absl::MutexLock lock(&calls_mu);
    Calls()[context_] = &state_;
  }
  ~RpcInterceptor() override {
    absl::MutexLock lock(&calls_mu);
    Calls().erase(context_);
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      auto* metadata = methods->GetRecvInitialMetadata();
      auto it = metadata->find("x-kawal-region");
      if (it != metadata->end()) {
        line_.region = sync::QuoteClientValue(absl::string_view(it->second.data(), it->second.size()));
      }
    }
    // Only kawal.v1 methods carry generated protobuf messages; gRPC's own
    // health service passes raw byte buffers.
    if (kawal_method_ &&
        methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE)) {
      if (const auto* message = static_cast<const google::protobuf::Message*>(
              methods->GetRecvMessage())) {
        line_.bytes_in += message->ByteSizeLong();
        line_.records_in += RecordsIn(*message);
      }
    }
    if (kawal_method_ &&
        methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_MESSAGE)) {
      if (const auto* message = static_cast<const google::protobuf::Message*>(
              methods->GetSendMessage())) {
        line_.bytes_out += message->ByteSizeLong();
        line_.records_out += RecordsIn(*message);
      }
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      Finish(methods->GetSendStatus().error_code());
    }
    methods->Proceed();
  }

 private:
  void Finish(grpc::StatusCode code) {
    line_.code = CodeName(code);
    line_.duration_ms = absl::ToDoubleMilliseconds(absl::Now() - start_);
    {
      absl::MutexLock lock(&state_.mu);
      line_.user = state_.user;
    }
    MetricsRegistry* registry = observer_->registry();
    registry->GetCounter("kawal_rpc_total", "RPCs answered, by method and status code.",
                         {{"method", line_.method}, {"code", line_.code}})
        ->Add();
    registry
        ->GetHistogram("kawal_rpc_duration_seconds", "Time to answer an RPC, by method.",
                       {{"method", line_.method}}, LatencyBucketsSeconds())
        ->Observe(line_.duration_ms / 1000);
    registry->GetCounter("kawal_rpc_received_bytes_total", "Message bytes received, by method.",
                         {{"method", line_.method}})
        ->Add(line_.bytes_in);
    registry->GetCounter("kawal_rpc_sent_bytes_total", "Message bytes sent, by method.",
                         {{"method", line_.method}})
        ->Add(line_.bytes_out);
    if (line_.records_in > 0) {
      registry->GetCounter("kawal_records_received_total",
                           "Records received in requests (pushes), by method.",
                           {{"method", line_.method}})
          ->Add(line_.records_in);
    }
    if (line_.records_out > 0) {
      registry->GetCounter("kawal_records_sent_total",
                           "Records sent in responses (pull pages), by method.",
                           {{"method", line_.method}})
          ->Add(line_.records_out);
    }
    if (observer_->sink()) observer_->sink()(FormatRpcLogLine(line_, observer_->format()));
  }

  const RpcObserver* observer_;
  const void* context_;
  absl::Time start_;
  bool kawal_method_ = false;
  CallState state_;
  RpcLogLine line_;
};

}  // namespace

std::string FormatRpcLogLine(const RpcLogLine& line, LogFormat format) {
  const std::string time = absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone());
  if (format == LogFormat::kJson) {
    return absl::StrFormat(
        "{\"time\":%s,\"method\":%s,\"user\":%s,\"region\":%s,\"code\":%s,\"duration_ms\":%.3f,"
        "\"records_in\":%d,\"records_out\":%d,\"bytes_in\":%d,\"bytes_out\":%d}",
        JsonString(time), JsonString(line.method), JsonString(line.user), JsonString(line.region),
        JsonString(line.code), line.duration_ms, line.records_in, line.records_out, line.bytes_in,
        line.bytes_out);
  }
  return absl::StrFormat(
      "%s rpc method=%s user=%s region=%s code=%s duration_ms=%.3f records_in=%d records_out=%d "
      "bytes_in=%d bytes_out=%d",
      time, line.method, line.user.empty() ? "-" : line.user,
      line.region.empty() ? "-" : line.region, line.code, line.duration_ms, line.records_in,
      line.records_out, line.bytes_in, line.bytes_out);
}

RpcObserver::RpcObserver(MetricsRegistry* registry, LogFormat format, LogSink sink)
    : registry_(registry), format_(format), sink_(std::move(sink)) {}

grpc::experimental::Interceptor* RpcObserver::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new RpcInterceptor(this, info);
}

void RpcObserver::NoteUser(const grpc::ServerContextBase* context, absl::string_view user) {
  absl::MutexLock lock(&calls_mu);
  auto it = Calls().find(context);
  if (it == Calls().end()) return;
  absl::MutexLock state_lock(&it->second->mu);
  it->second->user = std::string(user);
}

}  // namespace kawal::server::ops
