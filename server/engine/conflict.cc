#include "engine/conflict.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "kawal/sync/sha256.h"

namespace kawal::server {

std::string Conflict::ConflictId() const {
  // The loser's stamp identifies the lost write (a device stamps all
  // fields of one write alike); with the record it names the conflict
  // whatever order the writes arrived in.
  std::string material = absl::StrCat(collection, std::string(1, '\0'), id,
                                       std::string(1, '\0'), sync::StampToString(loser));
  return absl::StrCat("c-", sync::Sha256Hex(material).substr(0, 32));
}

}  // namespace kawal::server
