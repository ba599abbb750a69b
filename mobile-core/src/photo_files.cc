#include "photo_files.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "kawal/common/sha256.h"

namespace kawal::mobile {
namespace {

absl::Status Errno(const std::string& what) {
  return absl::UnavailableError(absl::StrCat(what, ": ", std::strerror(errno)));
}

}  // namespace

std::string SniffImageType(absl::string_view h) {
  if (h.size() >= 3 && h.substr(0, 3) == "\xFF\xD8\xFF") return "image/jpeg";
  if (h.size() >= 8 && h.substr(0, 8) == "\x89PNG\r\n\x1a\n") return "image/png";
  if (h.size() >= 12 && h.substr(0, 4) == "RIFF" && h.substr(8, 4) == "WEBP") return "image/webp";
  if (h.size() >= 12 && h.substr(4, 4) == "ftyp") {
    absl::string_view brand = h.substr(8, 4);
    if (brand == "heic" || brand == "heix" || brand == "mif1" || brand == "heim") {
      return "image/heic";
    }
  }
  return "";
}

absl::Status SyncPath(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) return Errno("opening " + path);
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return Errno("syncing " + path);
  return absl::OkStatus();
}

absl::StatusOr<std::string> HashFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  common::Sha256 hash;
  std::string buffer(1 << 16, '\0');
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    hash.Update(buffer.data(), static_cast<size_t>(in.gcount()));
  }
  if (in.bad()) return absl::DataLossError(absl::StrCat("error reading ", path));
  return hash.FinishHex();
}

absl::StatusOr<PhotoFile> PhotoFiles::Import(const std::string& source, uint64_t max_bytes) const {
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) return absl::UnavailableError(absl::StrCat("creating ", dir_, ": ", ec.message()));
  std::ifstream in(source, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read photo file ", source));

  static thread_local std::mt19937_64 rng(std::random_device{}());
  const std::string temp = absl::StrFormat("%s/.import-%016x", dir_, rng());
  std::ofstream out(temp, std::ios::binary | std::ios::trunc);
  if (!out) return absl::UnavailableError(absl::StrCat("cannot write ", temp));
  common::Sha256 hash;
  PhotoFile photo;
  std::string buffer(1 << 16, '\0');
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const size_t n = static_cast<size_t>(in.gcount());
    if (photo.size == 0 && n > 0) photo.content_type = SniffImageType(absl::string_view(buffer.data(), n));
    photo.size += n;
    if (photo.size > max_bytes) break;
    hash.Update(buffer.data(), n);
    out.write(buffer.data(), static_cast<std::streamsize>(n));
  }
  out.close();
  auto discard = [&](absl::Status status) {
    std::filesystem::remove(temp, ec);
    return status;
  };
  if (in.bad() || !out) return discard(absl::DataLossError(absl::StrCat("error copying ", source)));
  if (photo.size == 0) return discard(absl::InvalidArgumentError(source + " is empty"));
  if (photo.size > max_bytes) {
    return discard(absl::InvalidArgumentError(
        absl::StrCat(source, " is larger than the limit of ", max_bytes, " bytes for a photo")));
  }
  photo.sha256 = hash.FinishHex();
  if (absl::Status s = SyncPath(temp); !s.ok()) return discard(s);
  const std::string path = PathOf(photo.sha256);
  if (std::filesystem::exists(path, ec)) {  // the same picture, already held
    discard(absl::OkStatus()).IgnoreError();
    return photo;
  }
  std::filesystem::rename(temp, path, ec);
  if (ec) return discard(absl::UnavailableError(absl::StrCat("storing ", path, ": ", ec.message())));
  if (absl::Status s = SyncPath(dir_); !s.ok()) return s;
  return photo;
}

absl::StatusOr<std::string> PhotoFiles::ReadAt(const std::string& sha256, uint64_t offset,
                                               size_t max_bytes) const {
  std::ifstream in(PathOf(sha256), std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("photo ", sha256, " is not on this device"));
  in.seekg(static_cast<std::streamoff>(offset));
  std::string out(max_bytes, '\0');
  in.read(out.data(), static_cast<std::streamsize>(max_bytes));
  out.resize(static_cast<size_t>(in.gcount()));
  if (in.bad()) return absl::DataLossError(absl::StrCat("error reading photo ", sha256));
  return out;
}

}  // namespace kawal::mobile
