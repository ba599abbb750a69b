// The server's RocksDB key families and value formats (docs/architecture.md §5).
//
// One database, one column family; the first byte of a key names its
// family. Integers in keys are fixed-width big-endian so that byte order is
// numeric order. Desa scopes are always 13 bytes ("62.10.01.2001").
//
//   family      key                                   value
//   ---------   -----------------------------------   -----------------------------
//   meta        'm' name                              see the kMeta* names below
//   record      'r' collection '\0' id                kawal.storage.v1.StoredRecord
//                                                     (merged state + bookkeeping)
//   index       'i' scope(13) seq(be64)               collection '\0' id
//   user        'u' name                              kawal.storage.v1.UserEntry
//   token       't' sha256-hex(token)                 user name
//   aggregate   'a' year(be16) level('1'..'4') dim '\0' region '\0' key
//                                                     kawal.storage.v1.Counters, summed
//                                                     by the counters merge operator
//   freshness   'f' 'v' desa  |  'f' 'u' user        kawal.storage.v1.FreshnessEntry
//               'f' 'd' desa(13) node(be64)          (one per device that synced the desa)
//   photo       'p' 'm' sha256-hex                    kawal.storage.v1.PhotoEntry
//               'p' 'd' sha256-hex offset(be64)       bytes of the photo from offset
//               'p' 'u' user '\0' sha256-hex          "" (an upload in progress)
//   device key  'k' user '\0' device-node(be64)        Ed25519 bundle public key (32 bytes)
//
// Meta names:
//   incarnation     random 128-bit hex id of this database
//   lineage         kawal.storage.v1.Lineage
//   seq_reserved    be64: sequences below this may have been handed out;
//                   after a crash the server continues from here, so a
//                   sequence is never reused
//   created_ms      be64 creation time
//
// Change index: each applied change takes the next sequence; the record's
// previous index entry is deleted in the same WriteBatch, so the index holds
// exactly one entry per record.
//
// Thread-safety: pure functions.
#ifndef KAWAL_SERVER_STORAGE_KEYS_H_
#define KAWAL_SERVER_STORAGE_KEYS_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace kawal::server {

inline constexpr char kMetaPrefix = 'm';
inline constexpr char kRecordPrefix = 'r';
inline constexpr char kIndexPrefix = 'i';
inline constexpr char kUserPrefix = 'u';
inline constexpr char kTokenPrefix = 't';
inline constexpr char kAggregatePrefix = 'a';
inline constexpr char kFreshnessPrefix = 'f';
inline constexpr char kPhotoPrefix = 'p';
// Dashboard sessions: 's' + SHA-256 hex of the session token.
inline constexpr char kSessionPrefix = 's';
// Devices' bundle public keys (docs/bundles.md).
inline constexpr char kDeviceKeyPrefix = 'k';

inline constexpr char kMetaIncarnation[] = "incarnation";
inline constexpr char kMetaLineage[] = "lineage";
inline constexpr char kMetaSeqReserved[] = "seq_reserved";
inline constexpr char kMetaCreatedMs[] = "created_ms";
// Decimal version of the record value format (record_format.h).
inline constexpr char kMetaRecordFormat[] = "record_format";
// During a migration: the last record key already rewritten.
inline constexpr char kMetaRecordFormatProgress[] = "record_format_progress";
// Decimal version of what aggregate rows count (aggregates.h).
inline constexpr char kMetaAggregatesVersion[] = "aggregates_version";

inline constexpr size_t kScopeWidth = 13;

// Files next to the database in the data dir, not inside RocksDB (a restore
// carries them over): the server's bundle keys (docs/bundles.md).
inline constexpr char kBundleKeysFile[] = "bundle_keys";

std::string MetaKey(absl::string_view name);
std::string RecordKey(absl::string_view collection, absl::string_view id);
// The record prefix of one collection ('r' collection '\0').
std::string RecordCollectionPrefix(absl::string_view collection);
// Splits a record key into collection and id; false if malformed.
bool ParseRecordKey(absl::string_view key, std::string* collection, std::string* id);

std::string IndexKey(absl::string_view scope, uint64_t seq);
// 'i' scope: the prefix of one scope's index entries.
std::string IndexScopePrefix(absl::string_view scope);
// Decodes an index key; false if malformed.
bool ParseIndexKey(absl::string_view key, std::string* scope, uint64_t* seq);
// Index value: collection '\0' id.
std::string IndexValue(absl::string_view collection, absl::string_view id);

// Aggregate rows: `level` 1..4 (provinsi..desa), `dim` "" for totals or a
// breakdown ("sector", "sdg", "source", "focus") with its `key`.
std::string AggregateKey(int year, int level, absl::string_view dim, absl::string_view region,
                         absl::string_view key);
// The prefix of every row of (year, level, dim) whose region starts with
// `region_prefix`.
std::string AggregatePrefix(int year, int level, absl::string_view dim,
                            absl::string_view region_prefix);
// Decodes an aggregate key; false if malformed.
bool ParseAggregateKey(absl::string_view key, int* year, int* level, std::string* dim,
                       std::string* region, std::string* row_key);

std::string VillageFreshnessKey(absl::string_view desa);
std::string UserFreshnessKey(absl::string_view user);
// One device's last sync of one desa; the prefix lists every device of it.
std::string DeviceFreshnessKey(absl::string_view desa, uint64_t device_node);
std::string DeviceFreshnessPrefix(absl::string_view desa);

std::string PhotoEntryKey(absl::string_view sha256_hex);
std::string PhotoPieceKey(absl::string_view sha256_hex, uint64_t offset);
// The prefix of every piece of one photo.
std::string PhotoPiecePrefix(absl::string_view sha256_hex);
std::string PhotoUploadKey(absl::string_view user, absl::string_view sha256_hex);
// The prefix of one user's uploads in progress.
std::string PhotoUploadUserPrefix(absl::string_view user);

std::string UserKey(absl::string_view name);
std::string TokenKey(absl::string_view token_hash);
std::string SessionKey(absl::string_view token_hash);
std::string DeviceKeyKey(absl::string_view user, uint64_t device_node);

void AppendBigEndian64(std::string* out, uint64_t v);
uint64_t ReadBigEndian64(const char* p);

}  // namespace kawal::server

#endif  // KAWAL_SERVER_STORAGE_KEYS_H_
