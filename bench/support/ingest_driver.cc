#include "ingest_driver.h"

#include <atomic>
#include <random>
#include <thread>

#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "kawal/sync/codec.h"
#include "kawal/v1/sync.grpc.pb.h"
#include "workload.h"

namespace kawal::bench {
namespace {

// Its own connection per device: gRPC would otherwise share one TCP
// connection between channels to the same address, which no two phones do.
std::shared_ptr<grpc::Channel> DeviceChannel(const BenchServer& server) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return grpc::CreateCustomChannel(server.address(), server.credentials(), args);
}

}  // namespace

absl::StatusOr<IngestResult> RunIngest(BenchServer& server, const IngestPlan& plan) {
  if (plan.devices < 1 || plan.desa.empty()) return absl::InvalidArgumentError("no devices or desa");
  struct DeviceRun {
    std::string token;
    std::vector<std::string> desa;
    int64_t records = 0;
    Latencies batch_ms;
    int64_t applied = 0;
    std::string error;
  };
  std::vector<DeviceRun> runs(plan.devices);
  for (size_t i = 0; i < plan.desa.size(); ++i) runs[i % plan.devices].desa.push_back(plan.desa[i]);
  for (int k = 0; k < plan.devices; ++k) {
    if (runs[k].desa.empty()) runs[k].desa.push_back(plan.desa[k % plan.desa.size()]);
    runs[k].records = plan.records / plan.devices + (k < plan.records % plan.devices ? 1 : 0);
    absl::StatusOr<std::string> token =
        server.AddFacilitator(absl::StrCat(plan.id_prefix, "dev", k), runs[k].desa);
    if (!token.ok()) return token.status();
    runs[k].token = *token;
  }

  auto device = [&](int k) {
    DeviceRun& run = runs[k];
    auto stub = v1::SyncService::NewStub(DeviceChannel(server));
    const uint64_t node = 0x6b6400000000ULL + (plan.seed << 8) + k + 1;
    sync::Clock clock(node);
    std::mt19937_64 rng(plan.seed * 1000 + k);
    for (int64_t done = 0; done < run.records;) {
      v1::PushRequest request;
      request.set_device_node(node);
      const int64_t n = std::min<int64_t>(plan.batch, run.records - done);
      for (int64_t i = 0; i < n; ++i) {
        const std::string id = absl::StrCat(plan.id_prefix, k, "-", done + i);
        sync::ToProto(ActivityDelta(clock, id, run.desa[(done + i) % run.desa.size()], rng),
                      request.add_deltas());
      }
      grpc::ClientContext context;
      context.AddMetadata("authorization", "Bearer " + run.token);
      context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(120));
      if (plan.gzip) context.set_compression_algorithm(GRPC_COMPRESS_GZIP);
      v1::PushResponse response;
      const auto start = SteadyClock::now();
      grpc::Status status = stub->Push(&context, request, &response);
      run.batch_ms.Add(SecondsSince(start) * 1000);
      if (!status.ok()) {
        run.error = status.error_message();
        return;
      }
      for (const v1::PushResult& r : response.results()) {
        if (r.applied()) {
          ++run.applied;
        } else if (run.error.empty()) {
          run.error = absl::StrCat("rejected ", r.id(), ": ", r.message());
        }
      }
      done += n;
    }
  };

  const auto start = SteadyClock::now();
  std::vector<std::thread> threads;
  for (int k = 0; k < plan.devices; ++k) threads.emplace_back(device, k);
  for (std::thread& t : threads) t.join();
  IngestResult result;
  result.seconds = SecondsSince(start);
  for (const DeviceRun& run : runs) {
    if (!run.error.empty()) return absl::InternalError(absl::StrCat("push failed: ", run.error));
    result.records += run.applied;
    result.batch_ms.Merge(run.batch_ms);
  }
  return result;
}

}  // namespace kawal::bench
