// One field of a write that lost to a concurrent write its author had not
// seen. The fields one write lost share a ConflictId and become one
// `conflict` record (sync/conflict_record.h), which the server ships to the
// scope's devices.
//
// Thread-safety: plain value type.
#ifndef KAWAL_SERVER_ENGINE_CONFLICT_H_
#define KAWAL_SERVER_ENGINE_CONFLICT_H_

#include <string>

#include "kawal/sync/record.h"
#include "kawal/sync/stamp.h"
#include "kawal/sync/value.h"

namespace kawal::server {

struct Conflict {
  std::string collection;
  std::string id;
  std::string scope;
  std::string field;  // sync::kDeletedField for delete-versus-edit
  sync::Value winner_value;
  sync::Value loser_value;
  sync::Stamp winner;
  sync::Stamp loser;

  // Deterministic id derived from (collection, id, loser stamp): one per
  // losing write, whatever order its fields are found in, so a replay never
  // records the same conflict twice.
  std::string ConflictId() const;
};

}  // namespace kawal::server

#endif  // KAWAL_SERVER_ENGINE_CONFLICT_H_
