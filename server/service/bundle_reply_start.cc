#include "service/bundle_reply_start.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "engine/pull_cursor.h"

namespace kawal::server {

absl::StatusOr<ReplyStart> DecideReplyStart(const std::string& incarnation,
                                            const storage::v1::Lineage& lineage,
                                            const v1::BundleSyncState& state) {
  ReplyStart start;
  // A device that never synced has no incarnation: it pulls everything.
  if (!state.incarnation().empty() && state.incarnation() != incarnation) {
    std::optional<uint64_t> held =
        SeqHeldFrom(state.incarnation(), incarnation, lineage);
    start.server_restored = true;
    if (!held.has_value()) {
      // Nothing of the device's history can be placed: as a device that
      // cannot place the new incarnation, it re-sends everything and the
      // reply carries everything.
      start.held_seq = 0;
      return start;
    }
    start.held_seq = *held;
  }
  // The cursor is read now, not when the reply is written: a bad one
  // refuses the bundle before any of it is applied.
  if (absl::StatusOr<storage::v1::PullCursor> cursor =
          DecodeCursor(state.cursor(), incarnation, lineage);
      !cursor.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the bundle's sync state cannot be read (", cursor.status().message(),
        "); nothing of the bundle was applied"));
  }
  start.cursor = state.cursor();
  return start;
}

void ForgetLostKnownSeq(const ReplyStart& start, v1::RecordDelta* delta) {
  if (delta->known_seq() > start.held_seq) delta->set_known_seq(0);
}

}  // namespace kawal::server
