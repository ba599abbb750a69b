// A write that lost to a concurrent write its author had not seen: what
// the server ships to a scope's devices as a `conflict` record.
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

  // Deterministic id derived from (collection, id, field, loser stamp), so
  // a replay never records the same conflict twice.
  std::string ConflictId() const;
};

}  // namespace kawal::server

#endif  // KAWAL_SERVER_ENGINE_CONFLICT_H_
