#include "admin/admin_bundle_commands.h"

#include <cstdio>
#include <filesystem>
#include <utility>

#include <grpcpp/client_context.h>

#include "absl/flags/flag.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "kawal/common/bundle_keys.h"
#include "kawal/common/bundle_part_files.h"
#include "kawal/common/bundle_upload.h"
#include "kawal/v1/bundle.grpc.pb.h"
#include "kawal/v1/sync.grpc.pb.h"

ABSL_FLAG(std::string, reply_dir, "",
          "bundle import: folder for the reply bundles (default: next to each imported file, "
          "as FILE.reply; one reply per bundle split in parts, named without .partKofN)");

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

// Where the reply to the bundle named `name` (its file, or the whole
// name of its parts) goes.
std::string ReplyPath(const std::string& name) {
  const std::string dir = absl::GetFlag(FLAGS_reply_dir);
  if (dir.empty()) return name + ".reply";
  return (std::filesystem::path(dir) / (std::filesystem::path(name).filename().string() + ".reply"))
      .string();
}

// Imports one bundle (its file or all its parts, in one call) and writes
// its one reply; prints what it did.
absl::Status ImportOne(v1::BundleService::Stub& stub, const client::ClientOptions& options,
                       const common::BundleFileGroup& group) {
  std::vector<std::string> files;
  for (const std::string& path : group.paths) {
    absl::StatusOr<std::string> file = common::ReadBundleFile(path);
    if (!file.ok()) return file.status();
    files.push_back(*std::move(file));
  }
  grpc::ClientContext context;
  client::PrepareCall(options, &context);
  common::BundleUpload upload;
  if (absl::Status s = client::FromGrpc(common::UploadBundle(stub, &context, files, &upload),
                                        options, "BundleService");
      !s.ok()) {
    return absl::Status(s.code(), absl::StrCat(common::BundleGroupLabel(group), ": ", s.message()));
  }
  const std::string reply_path = ReplyPath(group.name);
  if (absl::Status s = common::WriteOwnerOnlyFile(reply_path, upload.reply); !s.ok()) return s;
  const v1::ImportSummary& summary = upload.summary;
  std::printf("%s: user %s, device %016llx: %u changes (%u applied, %u rejected), %u of %u photos "
              "stored, %u records sent back; reply written to %s\n",
              common::BundleGroupLabel(group).c_str(), summary.user().c_str(),
              static_cast<unsigned long long>(summary.device_node()), summary.deltas(),
              summary.applied(), summary.rejected(), summary.photos_stored(), summary.photos(),
              summary.pulled_records(), reply_path.c_str());
  if (summary.server_restored()) {
    // Whoever carries the reply back should know the device has work to do.
    std::printf("  the server was restored from a backup since this device last synced: the "
                "reply tells it to send again what the backup lacks (next bundle or sync)\n");
  }
  return absl::OkStatus();
}

// A file or bundle that was not imported: said on stderr, counted.
void Report(const absl::Status& s, absl::Status* first_error, size_t* failed) {
  std::fprintf(stderr, "kawal-admin: %s: %s\n", absl::StatusCodeToString(s.code()).c_str(),
               std::string(s.message()).c_str());
  if (first_error->ok()) *first_error = s;
  ++*failed;
}

absl::Status ImportAll(const std::vector<std::string>& paths, const client::ClientOptions& options) {
  std::unique_ptr<v1::BundleService::Stub> stub =
      v1::BundleService::NewStub(client::NewChannel(options));
  // The parts of one bundle go together, whatever order they were named in.
  const common::BundleFileGroups found = common::GroupBundleFiles(paths);
  absl::Status first_error;
  size_t failed = 0;
  // One bad file does not stop the others (a stick holds many devices').
  for (const common::UnreadableBundleFile& bad : found.unreadable) {
    Report(absl::Status(bad.status.code(), absl::StrCat(bad.path, ": ", bad.status.message())),
           &first_error, &failed);
  }
  for (const common::BundleFileGroup& group : found.groups) {
    if (absl::Status s = ImportOne(*stub, options, group); !s.ok()) {
      Report(s, &first_error, &failed);
    }
  }
  if (failed == 0) return absl::OkStatus();
  return absl::Status(first_error.code(),
                      absl::StrCat(failed, " of ", found.groups.size() + found.unreadable.size(),
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
