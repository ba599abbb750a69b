#include "engine/pull_cursor.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "kawal/sync/quote.h"

namespace kawal::server {
namespace {

constexpr char kCursorVersion = 1;

uint64_t Fnv1a(const std::string& data) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : data) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

}  // namespace

std::optional<uint64_t> SeqHeldFrom(const std::string& from, const std::string& to,
                                    const storage::v1::Lineage& lineage) {
  std::string at = from;
  uint64_t held = UINT64_MAX;
  // Each step is used at most once, so a (corrupt) cyclic lineage ends too.
  for (int hops = 0; at != to && hops <= lineage.steps_size(); ++hops) {
    const auto step = std::find_if(lineage.steps().begin(), lineage.steps().end(),
                                   [&](const auto& s) { return s.parent_incarnation() == at; });
    if (step == lineage.steps().end()) return std::nullopt;
    held = std::min<uint64_t>(held, step->parent_seq());
    at = step->incarnation();
  }
  if (at != to) return std::nullopt;
  return held;
}

std::string SealCursorBody(absl::string_view body) {
  std::string out(1, kCursorVersion);
  out.append(body.data(), body.size());
  uint64_t sum = Fnv1a(out);
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>(sum >> (8 * i)));
  return out;
}

std::string EncodeCursor(const storage::v1::PullCursor& cursor) {
  return SealCursorBody(cursor.SerializeAsString());
}

absl::StatusOr<storage::v1::PullCursor> DecodeCursor(const std::string& bytes,
                                                     const std::string& incarnation,
                                                     const storage::v1::Lineage& lineage) {
  storage::v1::PullCursor cursor;
  if (bytes.empty()) {
    cursor.set_version(kCursorVersion);
    cursor.set_incarnation(incarnation);
    return cursor;
  }
  if (bytes.size() < 9 || bytes[0] != kCursorVersion) {
    return absl::InvalidArgumentError(absl::StrCat(
        "pull cursor is malformed (", bytes.size(), " bytes, unknown version or too short); "
        "start again with an empty cursor"));
  }
  std::string body = bytes.substr(0, bytes.size() - 8);
  uint64_t sum = 0;
  for (int i = 0; i < 8; ++i) {
    sum |= static_cast<uint64_t>(static_cast<unsigned char>(bytes[bytes.size() - 8 + i])) << (8 * i);
  }
  if (sum != Fnv1a(body) || !cursor.ParseFromString(body.substr(1))) {
    return absl::InvalidArgumentError("pull cursor is malformed (checksum mismatch)");
  }
  if (cursor.incarnation() == incarnation) return cursor;
  // A cursor from before a restore: the restored database holds everything
  // its parent held up to the backup's sequence, so continue from there.
  if (std::optional<uint64_t> held = SeqHeldFrom(cursor.incarnation(), incarnation, lineage)) {
    cursor.set_base_seq(std::min<uint64_t>(cursor.base_seq(), *held));
    for (auto& [scope, seq] : *cursor.mutable_scope_seq()) seq = std::min<uint64_t>(seq, *held);
    cursor.set_incarnation(incarnation);
    return cursor;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "pull cursor belongs to another server database (incarnation ",
      sync::QuoteClientValue(cursor.incarnation(), 64),
      ", this server is ", incarnation, "); start again with an empty cursor"));
}

}  // namespace kawal::server
