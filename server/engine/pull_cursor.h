// Pull cursors: the opaque bytes a device passes back to continue a pull.
//
// Encoding: a version byte, the serialized kawal.storage.v1.PullCursor and
// an 8-byte FNV-1a checksum of both, so a truncated or altered cursor is
// INVALID_ARGUMENT instead of a silent restart. A cursor names the database
// incarnation it was issued by; one from a parent incarnation (before a
// restore) is clamped to what the restored backup held.
//
// Thread-safety: pure functions.
#ifndef KAWAL_SERVER_ENGINE_PULL_CURSOR_H_
#define KAWAL_SERVER_ENGINE_PULL_CURSOR_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "kawal/storage/v1/storage.pb.h"

namespace kawal::server {

// The highest sequence of database `from` that database `to` holds by the
// restores of `lineage` (a restore of a restore holds the minimum; `from ==
// to` holds everything: UINT64_MAX). nullopt when the lineage does not lead
// from `from` to `to` (an unrelated database, or a newer one).
std::optional<uint64_t> SeqHeldFrom(const std::string& from, const std::string& to,
                                    const storage::v1::Lineage& lineage);

std::string EncodeCursor(const storage::v1::PullCursor& cursor);
// The version byte and checksum around serialized cursor bytes, as
// EncodeCursor writes them (the cursor fuzzer seals arbitrary bodies so
// they reach the parser).
std::string SealCursorBody(absl::string_view body);

// Decodes `bytes` for the database `incarnation` with `lineage`. An empty
// string is the start cursor. INVALID_ARGUMENT for malformed bytes or a
// cursor of an unrelated database.
absl::StatusOr<storage::v1::PullCursor> DecodeCursor(const std::string& bytes,
                                                     const std::string& incarnation,
                                                     const storage::v1::Lineage& lineage);

}  // namespace kawal::server

#endif  // KAWAL_SERVER_ENGINE_PULL_CURSOR_H_
