#include "backup/owner_only.h"

#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"

namespace kawal::server {
namespace {

namespace fs = std::filesystem;

constexpr fs::perms kOwnerOnlyDir = fs::perms::owner_all;
constexpr fs::perms kOwnerOnlyFile = fs::perms::owner_read | fs::perms::owner_write;

absl::Status SetMode(const fs::path& path, fs::perms mode) {
  std::error_code ec;
  const fs::perms current = fs::symlink_status(path, ec).permissions();
  if (!ec && current == mode) return absl::OkStatus();  // nothing to write
  if (!ec) fs::permissions(path, mode, fs::perm_options::replace, ec);
  if (ec) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot make ", path.string(), " private to its owner: ", ec.message()));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status MakeOwnerOnlyDir(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot create folder ", dir, ": ", ec.message()));
  }
  return SetMode(dir, kOwnerOnlyDir);
}

absl::Status RestrictTreeToOwner(const std::string& dir) {
  if (absl::Status s = SetMode(dir, kOwnerOnlyDir); !s.ok()) return s;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::file_status status = it->symlink_status(ec);
    if (ec) break;
    if (fs::is_directory(status)) {
      if (absl::Status s = SetMode(it->path(), kOwnerOnlyDir); !s.ok()) return s;
    } else if (fs::is_regular_file(status)) {
      if (absl::Status s = SetMode(it->path(), kOwnerOnlyFile); !s.ok()) return s;
    }
  }
  if (ec) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot walk ", dir, " to make it private: ", ec.message()));
  }
  return absl::OkStatus();
}

}  // namespace kawal::server
