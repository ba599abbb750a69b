// Stamp tables on the wire (issue #15). Within one message most field
// stamps repeat: every field of one write carries that write's stamp, and
// a field's base is often the stamp of another field's write. A packed
// message carries each distinct stamp once, in its `stamps` table, and its
// fields refer to them by 1-based index (stamp_ref, base_ref) instead of
// repeating ~19 bytes per stamp. Packing is the sender's choice (a device
// asks for packed pages, a server announces that it reads packed pushes);
// the receiver unpacks a message before anything else reads it.
//
// Thread-safety: functions of their arguments only.
#ifndef KAWAL_SYNC_WIRE_STAMPS_H_
#define KAWAL_SYNC_WIRE_STAMPS_H_

#include "absl/status/status.h"
#include "kawal/v1/sync.pb.h"

namespace kawal::sync {

// Moves every stamp or base that occurs more than once into the message's
// table (a stamp used once stays inline: the table would only add bytes).
// Tombstones stay inline (rare). A message already packed is left as is.
void PackStamps(v1::PullResponse* response);
void PackStamps(v1::PushRequest* request);

// Puts every referred stamp back inline and clears the table. A reference
// outside the table, or a field with both a stamp and a reference, is
// InvalidArgument naming the record and field; the message is then
// unusable (the caller drops it).
absl::Status UnpackStamps(v1::PullResponse* response);
absl::Status UnpackStamps(v1::PushRequest* request);

}  // namespace kawal::sync

#endif  // KAWAL_SYNC_WIRE_STAMPS_H_
