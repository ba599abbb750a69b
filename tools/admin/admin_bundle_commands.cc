#include "admin/admin_bundle_commands.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <grpcpp/client_context.h>

#include "absl/flags/flag.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "kawal/common/bundle_keys.h"
#include "kawal/v1/bundle.grpc.pb.h"
#include "kawal/v1/sync.grpc.pb.h"

ABSL_FLAG(std::string, reply_dir, "",
          "bundle import: folder for the reply bundles (default: next to each imported file, "
          "as FILE.reply)");

namespace kawal::admin {

bool IsBundleCommand(const std::vector<std::string>& args) {
  return !args.empty() && args[0] == "bundle";
}

absl::Status CheckBundleCommand(const std::vector<std::string>& args) {
  const bool reply_dir = !absl::GetFlag(FLAGS_reply_dir).empty();
  if (args.size() == 2 && args[1] == "server-key" && !reply_dir) return absl::OkStatus();
  if (args.size() >= 3 && args[1] == "import") return absl::OkStatus();
  return absl::InvalidArgumentError(
      "usage: bundle server-key | bundle import FILE... [--reply_dir=DIR]");
}

namespace {

// The server's public bundle keys, as its handshake tells every caller.
absl::Status PrintServerKey(const client::ClientOptions& options) {
  std::unique_ptr<v1::SyncService::Stub> stub = v1::SyncService::NewStub(client::NewChannel(options));
  grpc::ClientContext context;
  client::PrepareCall(options, &context);
  v1::HandshakeResponse response;
  if (absl::Status s = client::FromGrpc(stub->Handshake(&context, v1::HandshakeRequest(), &response),
                                        options);
      !s.ok()) {
    return s;
  }
  if (response.bundle_sign_public_key().empty()) {
    return absl::FailedPreconditionError(
        "the server has no bundle keys (a kawal-server older than sync bundles?)");
  }
  std::fputs(common::FormatServerPublicKeys(
                 {response.bundle_sign_public_key(), response.bundle_box_public_key()})
                 .c_str(),
             stdout);
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read bundle file ", path));
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) return absl::DataLossError(absl::StrCat("error reading bundle file ", path));
  return bytes.str();
}

// Where the reply to the bundle at `path` goes.
std::string ReplyPath(const std::string& path) {
  const std::string dir = absl::GetFlag(FLAGS_reply_dir);
  const std::string name = std::filesystem::path(path).filename().string() + ".reply";
  if (dir.empty()) return path + ".reply";
  return (std::filesystem::path(dir) / name).string();
}

// Imports one bundle file and writes its reply; prints what it did.
absl::Status ImportOne(v1::BundleService::Stub& stub, const client::ClientOptions& options,
                       const std::string& path) {
  absl::StatusOr<std::string> file = ReadWholeFile(path);
  if (!file.ok()) return file.status();
  grpc::ClientContext context;
  client::PrepareCall(options, &context);
  auto stream = stub.ImportBundle(&context);
  constexpr size_t kChunkBytes = 1 << 20;
  v1::ImportBundleRequest chunk;
  for (size_t at = 0; at < file->size(); at += kChunkBytes) {
    chunk.set_data(file->substr(at, kChunkBytes));
    if (!stream->Write(chunk)) break;  // the server ended the call: Finish says why
  }
  stream->WritesDone();
  std::string reply;
  v1::ImportSummary summary;
  v1::ImportBundleResponse response;
  while (stream->Read(&response)) {
    if (response.has_summary()) {
      summary = response.summary();
    } else {
      reply += response.reply_data();
    }
  }
  if (absl::Status s = client::FromGrpc(stream->Finish(), options, "BundleService"); !s.ok()) {
    return absl::Status(s.code(), absl::StrCat(path, ": ", s.message()));
  }
  const std::string reply_path = ReplyPath(path);
  if (absl::Status s = common::WriteOwnerOnlyFile(reply_path, reply); !s.ok()) return s;
  std::printf("%s: user %s, device %016llx: %u changes (%u applied, %u rejected), %u of %u photos "
              "stored, %u records sent back; reply written to %s\n",
              path.c_str(), summary.user().c_str(),
              static_cast<unsigned long long>(summary.device_node()), summary.deltas(),
              summary.applied(), summary.rejected(), summary.photos_stored(), summary.photos(),
              summary.pulled_records(), reply_path.c_str());
  return absl::OkStatus();
}

absl::Status ImportAll(const std::vector<std::string>& paths, const client::ClientOptions& options) {
  std::unique_ptr<v1::BundleService::Stub> stub =
      v1::BundleService::NewStub(client::NewChannel(options));
  absl::Status first_error;
  size_t failed = 0;
  for (const std::string& path : paths) {
    absl::Status s = ImportOne(*stub, options, path);
    if (s.ok()) continue;
    // One bad file does not stop the others (a stick holds many devices').
    std::fprintf(stderr, "kawal-admin: %s: %s\n", absl::StatusCodeToString(s.code()).c_str(),
                 std::string(s.message()).c_str());
    if (first_error.ok()) first_error = s;
    ++failed;
  }
  if (failed == 0) return absl::OkStatus();
  return absl::Status(first_error.code(), absl::StrCat(failed, " of ", paths.size(),
                                                       " bundles were not imported"));
}

}  // namespace

absl::Status RunBundleCommand(const std::vector<std::string>& args,
                              const client::ClientOptions& options) {
  if (absl::Status s = CheckBundleCommand(args); !s.ok()) return s;
  if (args[1] == "import") {
    return ImportAll(std::vector<std::string>(args.begin() + 2, args.end()), options);
  }
  return PrintServerKey(options);
}

}  // namespace kawal::admin
