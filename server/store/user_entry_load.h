// Internal to the user store: reading one stored user entry and checking a
// token's shape, shared by user_store.cc (device tokens) and
// user_sessions.cc (passwords, sessions).
#ifndef KAWAL_SERVER_STORE_USER_ENTRY_LOAD_H_
#define KAWAL_SERVER_STORE_USER_ENTRY_LOAD_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "kawal/storage/v1/storage.pb.h"
#include "store/database.h"

namespace kawal::server {

// NOT_FOUND for an unknown name, DATA_LOSS for an unreadable entry.
absl::StatusOr<storage::v1::UserEntry> LoadUser(const Database& database,
                                                absl::string_view name);

// True when `token` is `prefix` followed by `hex_digits` lowercase hex
// digits (NewToken's and NewSessionToken's shape).
bool WellFormedToken(absl::string_view token, absl::string_view prefix, size_t hex_digits);

}  // namespace kawal::server

#endif  // KAWAL_SERVER_STORE_USER_ENTRY_LOAD_H_
