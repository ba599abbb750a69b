// The on-device library: a local store that works fully offline and a sync
// client that reconciles it with kawal-server over slow, cut-off links
// (docs/architecture.md §6). Apps use this C++ API or the C API in kawal/kawal.h.
// This header is the whole boundary: Device forwards to an internal
// DeviceCore (mobile-core/src/device_core.h), as leveldb's DB does to
// DBImpl, so nothing of the store or the sync client shows here.
//
// Thread-safety: a Device may be used from several threads; local writes
// and sync are serialized internally. Sync() may be cancelled from another
// thread with Cancel().
#ifndef KAWAL_MOBILE_DEVICE_H_
#define KAWAL_MOBILE_DEVICE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "kawal/mobile/query.h"
#include "kawal/sync/clock.h"
#include "kawal/sync/record.h"

namespace kawal::mobile {

class DeviceCore;

struct DeviceOptions {
  std::string home;          // folder of the local store
  std::string device_name;   // shown to officers; defaults to the host name
  sync::TimeSource time_source;  // defaults to the system clock (tests inject)
};

// Field values of a write: name -> value (sync::Null clears a field).
using FieldValues = std::vector<std::pair<std::string, sync::Value>>;

// One operation of Device::WriteBatch.
struct WriteOp {
  enum class Kind { kCreate, kUpdate, kDelete };
  Kind kind = Kind::kCreate;
  std::string collection;
  std::string id;      // update, delete; a create's own id ("" = a new random id)
  std::string scope;   // create: the desa code
  FieldValues fields;  // create, update
};

// Query over local records.
struct ListQuery {
  std::string collection = "activity";
  std::string region;      // a region code prefix ("" = all), e.g. a desa code
  int64_t year = 0;        // 0 = any (activities)
  std::string status;      // "" = any (activities)
  std::string activity_id; // progress reports of one activity
  bool include_deleted = false;
};

struct RejectionView {
  std::string collection;
  std::string id;
  std::string scope;
  std::string reason;   // RejectReason name, e.g. "INVALID_FIELD"
  std::string message;  // the server's sentence
  int64_t rejected_at_ms = 0;
};

struct StatusView {
  std::string server;
  // "tls", "plaintext" (loopback) or "insecure" (plaintext over a network,
  // asked for with --insecure).
  std::string transport;
  std::string user;
  std::string role;
  std::vector<std::string> scopes;
  std::string incarnation;
  uint64_t device_node = 0;
  uint64_t pending_records = 0;
  uint64_t rejected_records = 0;
  int64_t last_sync_ms = 0;      // last successful sync; 0 = never
  int64_t last_attempt_ms = 0;
  std::string last_error;        // of the last attempt, "" if it succeeded
  int64_t clock_offset_ms = 0;
};

// A Sync that fails because of the connection's configuration rather than
// the link (an untrusted, expired or misnamed certificate; TLS against a
// plaintext server or the reverse) returns FAILED_PRECONDITION whose
// message names the problem and which carries this payload: the problem's
// name ("untrusted", "expired", "not_yet_valid", "name_mismatch",
// "server_is_plaintext", "server_is_tls"), for apps that say it in their
// own language.
inline constexpr char kConnectionProblemPayload[] = "kawal.dev/connection-problem";

// A WriteBatch (or CheckBatch) refused for one of its ops carries this
// payload: the op's index in decimal, for callers that point at their own
// source of the op (kawal-field import: the line number).
inline constexpr char kWriteOpIndexPayload[] = "kawal.dev/write-op-index";

// Where and how a device reaches its server (Device::Configure).
struct ServerConnection {
  std::string server;      // host:port
  std::string token;       // "" keeps the stored token
  std::string region;      // optional kabupaten code for a shard proxy
  // TLS is used for every address that is not loopback (127.0.0.0/8, ::1,
  // localhost), trusting the system's CAs unless `tls_ca_pem` names the CA
  // to trust; a CA also turns TLS on for a loopback address. Plaintext to
  // a non-loopback address only with `insecure`.
  std::string tls_ca_pem;
  bool insecure = false;
};

// What Device::ExportBundle puts in a bundle (docs/bundles.md).
struct BundleExportOptions {
  bool photos = true;  // false: records only (kawal-field bundle export --no-photos)
  // Above 0: split into parts of at most this many bytes each (kawal-field
  // bundle export --max_bytes; docs/bundles.md "Parts"). 0: one file.
  uint64_t max_bytes = 0;
};

// A bundle file's bytes and what it holds.
struct BundleExport {
  // The bundle file, or its parts in order (write them as they are:
  // common::WriteBundleFiles names them).
  std::vector<std::string> files;
  std::string bundle_id;  // 64 hex digits; the same work gives the same id
  uint64_t deltas = 0;    // pending records in it
  uint64_t photos = 0;    // photos whose bytes it carries
  uint64_t photo_bytes = 0;
  uint64_t bytes = 0;     // of all files
};

// What importing a reply bundle did (Device::ImportBundleReply).
struct BundleReplyReport {
  uint64_t acknowledged = 0;   // pending records the server applied
  uint64_t rejected = 0;       // refused (kept locally with the reason)
  uint64_t pulled = 0;         // records merged from the server
  uint64_t photos_stored = 0;  // photos the server now holds whole
  // False when the device's cursor had moved since the export (a network
  // sync): the records merge, the cursor stays.
  bool cursor_advanced = false;
  // The server was restored from a backup since this device last heard from
  // it: as a network sync does, the device queued again what the backup
  // may lack (`requeued`), for its next bundle or sync. Changes the restored
  // server refused stay pending (`kept_pending`): it refused them without
  // the records it lost, which go back whole with them.
  bool server_restored = false;
  uint64_t requeued = 0;
  uint64_t kept_pending = 0;
  // The reply comes from the server as it was before a restore this device
  // has recovered from already: nothing of it was applied (what it
  // acknowledged may be lost; the device sent it again).
  bool outdated = false;
};

// What the server did with a bundle relayed through this device
// (Device::RelayBundle): its signer's work, applied under the signer's
// identity, and the reply for the signer's device.
struct BundleRelay {
  std::string reply;         // the reply bundle file (write it as is)
  std::string user;          // the bundle's signer
  uint64_t device_node = 0;  // the signer's device
  uint64_t deltas = 0;       // changes in the bundle
  uint64_t applied = 0;      // applied by the server
  uint64_t rejected = 0;     // refused one by one (the reply says why)
};

// How a conflict is settled (Device::ResolveConflict).
enum class ConflictChoice { kKeepWinner, kRestoreLoser, kDismiss };

// A picture to attach to a new progress report (Device::CreateReport).
struct PhotoAttachment {
  std::string file;         // path of the picture; copied into the store
  std::string stage;        // "0", "50", "100" (physical progress) or "other"
  int64_t taken_at_ms = 0;  // 0: unknown
  std::optional<double> lat, lon, accuracy_m;
  std::string caption;
};

// A photo known on this device: its metadata always, its bytes when taken
// here or fetched.
struct PhotoView {
  std::string record_id;
  std::string report_id;
  std::string activity_id;
  std::string scope;
  std::string sha256;
  std::string stage;
  std::string content_type;
  uint64_t size = 0;
  bool local = false;     // the bytes are on this device
  bool uploaded = false;  // the server holds them whole (as far as this device knows)
  std::string last_error; // why the server refused them, if it did
};

// Progress of a sync, reported as it goes.
struct SyncProgress {
  std::string phase;  // "handshake", "push", "pull", "photos", "done"
  uint64_t records_pushed = 0;
  uint64_t records_to_push = 0;
  uint64_t records_pulled = 0;
  uint64_t records_to_pull = 0;  // estimate; grows as pages arrive
  uint64_t bytes_sent = 0;
  uint64_t bytes_received = 0;
  // Totals: the size of the pending changes (known when the push starts)
  // and an estimate of what the pull will bring (records left × the mean
  // size of the records received so far).
  uint64_t bytes_to_send = 0;
  uint64_t bytes_to_receive = 0;
  // Photos go after the records: bytes of photo content sent (the server's
  // stored offset, plus what is on its way) of the photos to send.
  uint64_t photo_bytes_sent = 0;
  uint64_t photo_bytes_to_send = 0;
  int attempt = 0;               // retries so far
};
using ProgressCallback = std::function<void(const SyncProgress&)>;

struct SyncOptions {
  int max_attempts = 8;          // per step, before giving up
  int64_t backoff_base_ms = 200;
  int64_t backoff_cap_ms = 30000;
  int64_t rpc_timeout_ms = 60000;
  uint32_t push_batch = 200;     // capped by the server's max_batch
  uint32_t pull_page = 1000;
  // Gzip requests and ask for gzipped responses, each only when over 2 KB
  // (docs/mobile-core.md, "Compression"); off only pays on a fast LAN.
  bool gzip = true;
  bool photos = true;            // upload photos after the records
  // Bytes per upload message: a cut loses at most the message in flight.
  uint32_t photo_chunk_bytes = 4096;
  // Bytes per upload call; between calls new records go first.
  uint32_t photo_call_bytes = 256 << 10;
};

struct SyncReport {
  uint64_t pushed = 0;    // records acknowledged
  uint64_t rejected = 0;  // records refused by the server (kept locally)
  uint64_t pulled = 0;    // records received (each once, however many copies came)
  // Records received partially that this device could not complete and
  // asked for whole again (want_whole); 0 unless it missed earlier versions.
  uint64_t pulled_whole_again = 0;
  uint64_t repushed_after_restore = 0;
  bool restore_detected = false;
  uint64_t bytes_sent = 0;
  uint64_t bytes_received = 0;
  uint64_t photos_uploaded = 0;    // photos the server now holds whole
  // Photo content handed to the link, including what cuts lost and bytes
  // gRPC had buffered when a connection dropped.
  uint64_t photo_bytes_sent = 0;
  uint64_t photos_failed = 0;      // refused by the server (see Photos().last_error)
  int retries = 0;
};

class Device {
 public:
  // Opens (or creates) the store in options.home. Never discards data.
  static absl::StatusOr<std::unique_ptr<Device>> Open(DeviceOptions options);
  ~Device();

  // Sets the server address and token (init); keeps all data. `region`
  // (the kabupaten code, e.g. "62.10"), when given, is the x-kawal-region
  // header of calls before the first handshake has told the device its
  // villages: a proxy in front of region shards routes by it, so a new
  // device behind one needs it (deploy/README.md).
  // The transport settings (CA, insecure) are replaced by `connection`'s.
  // INVALID_ARGUMENT for a malformed address, region or CA, or a CA given
  // with `insecure`.
  absl::Status Configure(const ServerConnection& connection);
  // The same, keeping the stored transport settings.
  absl::Status Configure(const std::string& server, const std::string& token,
                         const std::string& region = "");

  // Local writes: validated with the shared schema, durable on return,
  // never touching the network.
  // Creates a record in desa `scope`; returns its new id (random 128-bit).
  absl::StatusOr<std::string> Create(const std::string& collection, const std::string& scope,
                                     const FieldValues& fields);
  // Changes fields of an existing record.
  absl::Status Update(const std::string& collection, const std::string& id,
                      const FieldValues& fields);
  absl::Status Delete(const std::string& collection, const std::string& id);
  // Many creates, updates and deletes in one atomic, durable commit (one
  // synced write, far faster than one per record). Each op is validated as
  // its single write would be, seeing the ops before it; then all are
  // stored, or none. Returns the ids in op order. An invalid op: that
  // op's error code, the message prefixed "op N: " (N counts from 0) and
  // the kWriteOpIndexPayload.
  absl::StatusOr<std::vector<std::string>> WriteBatch(const std::vector<WriteOp>& ops);
  // Validates `ops` as WriteBatch does and stores nothing (a dry run).
  absl::Status CheckBatch(const std::vector<WriteOp>& ops);
  // Creates a progress report with photos in one local commit: copies each
  // picture into the store (once per content), creates a `photo` record
  // per picture, lists them in the report's "photos", and marks the
  // activity's evidence (has_photo_<stage>). Returns the report's id.
  absl::StatusOr<std::string> CreateReport(const std::string& scope, const FieldValues& fields,
                                           const std::vector<PhotoAttachment>& photos);
  // Moves a follow-up agreed at the district (collection follow_up, written
  // by officers on the server): `fields` may set status and closing_note;
  // each picture becomes a photo record with follow_up_id = `id`, added to
  // the follow-up's "photos", all in one local commit. NOT_FOUND when the
  // follow-up is not on this device.
  absl::Status UpdateFollowUp(const std::string& id, const FieldValues& fields,
                              const std::vector<PhotoAttachment>& photos);
  // Photos known here ("" = all; else those of one activity).
  absl::StatusOr<std::vector<PhotoView>> Photos(const std::string& activity_id = "") const;
  // Downloads the photo with this SHA-256 (its metadata must be here) to
  // `out_path`, resuming from `out_path`.part after a cut; verifies it.
  absl::Status FetchPhoto(const std::string& sha256, const std::string& out_path,
                          const SyncOptions& options);

  absl::StatusOr<sync::RecordState> Get(const std::string& collection, const std::string& id) const;
  // The records matching `query`, by id: from an index when one narrows
  // the list (docs/mobile-core.md, "Queries and observers"), else by a scan.
  absl::StatusOr<std::vector<sync::RecordState>> List(const ListQuery& query) const;
  // Indexed queries and change observers (kawal/mobile/query.h, device_query.cc).
  absl::StatusOr<QueryPage> Query(const RecordQuery& query) const;
  absl::StatusOr<uint64_t> Count(const RecordQuery& query) const;
  absl::StatusOr<uint64_t> Observe(const RecordQuery& filter, ChangeCallback callback);
  absl::Status Unobserve(uint64_t observer);
  // True when the record has unacknowledged local changes.
  absl::StatusOr<bool> IsPending(const std::string& collection, const std::string& id) const;

  absl::StatusOr<uint64_t> PendingCount() const;
  // Conflict records (collection "conflict") still open; all of them, the
  // settled ones too, with `include_settled`.
  absl::StatusOr<std::vector<sync::RecordState>> Conflicts(bool include_settled = false) const;
  // Settles conflict `conflict_id` in the name of this device's user (known
  // from the first sync): kKeepWinner leaves the record as merged;
  // kRestoreLoser writes the lost value again, stamped now, so it wins like
  // any later edit (a lost delete deletes the record again); kDismiss
  // closes it with `note` (required). One local, durable commit holds the
  // record's change and the conflict's resolution; both reach the server
  // and the scope's devices at the next sync.
  // NOT_FOUND for an unknown conflict; FAILED_PRECONDITION when it is
  // already settled, before the first sync, or when the record is gone.
  absl::Status ResolveConflict(const std::string& conflict_id, ConflictChoice choice,
                               const std::string& note = "");
  absl::StatusOr<std::vector<RejectionView>> Rejections() const;
  // Drops a rejected write and restores the values it replaced.
  absl::Status DiscardRejected(const std::string& collection, const std::string& id);

  absl::StatusOr<StatusView> Status() const;

  // Handshake, push pending changes, pull changes; retries with backoff.
  // Blocking; Cancel() from another thread makes a running Sync return
  // CANCELLED soon (a Cancel() with no sync running does nothing).
  absl::StatusOr<SyncReport> Sync(const SyncOptions& options, const ProgressCallback& progress);
  void Cancel();

  // --- Sync bundles: sync without a network (docs/bundles.md,
  // device_bundles.cc) ---
  // Trusts the server keys of a public server key file (its text, as
  // `kawal-admin bundle server-key` prints it), for a device that has never
  // been online; an online device learns them at every handshake.
  // INVALID_ARGUMENT naming the problem when the text is not such a file.
  absl::Status TrustServerBundleKey(const std::string& key_file_text);
  // The public server key file the device trusts; NOT_FOUND before a
  // handshake or TrustServerBundleKey.
  absl::StatusOr<std::string> ServerBundleKey() const;
  // This device's bundle public key (Ed25519, 32 bytes) as 64 hex digits.
  std::string BundlePublicKeyHex() const;
  // A bundle of everything the server has not acknowledged: the pending
  // changes as a Push carries them, the bytes of photos not yet uploaded
  // (unless !options.photos), the sync state and the user's token, sealed to
  // the server's key and signed by the device's. Nothing on the device
  // changes: pending changes stay until the server's acknowledgement comes
  // back (reply bundle or network sync). Without new edits, a second export
  // has the same content and bundle id. With options.max_bytes, the parts
  // of one bundle, each at most that long (INVALID_ARGUMENT naming the
  // smallest usable size when it cannot hold one). FAILED_PRECONDITION
  // before init or before the server's bundle key is known.
  absl::StatusOr<BundleExport> ExportBundle(const BundleExportOptions& options) const;
  // Applies the server's reply to a bundle, as a network Push response and
  // Pull pages would be: acknowledged changes leave the pending list,
  // refused ones move to the rejections, records merge, the cursor
  // advances (never back: only from the cursor the bundle was made at).
  // Idempotent. Refused, changing nothing, when the file is altered, not a
  // reply, not signed by this device's server or made for another device.
  absl::StatusOr<BundleReplyReport> ImportBundleReply(const std::string& file);

  // Carries a device bundle (another device's, or this one's) to the
  // server through this device's connection (docs/bundles.md, "Relay"):
  // `files` are its one file, or every part of a split bundle (any order);
  // the server verifies it and applies it under its signer's identity and
  // scope, never this device's; this device's token only lets the call in.
  // Nothing on this device changes. A refused bundle comes back as the
  // server's error (its message names the reason); link failures are
  // retried as a sync's are (an import is idempotent).
  absl::StatusOr<BundleRelay> RelayBundle(const std::vector<std::string>& files,
                                          const SyncOptions& options);

  // This device's node id (part of every stamp it issues; never changes).
  uint64_t node() const;
  // Bytes of the local store on disk.
  uint64_t DiskBytes() const;

 private:
  explicit Device(std::unique_ptr<DeviceCore> core);

  std::unique_ptr<DeviceCore> core_;
};

// A random 128-bit id as 32 hex digits (record ids).
std::string NewRecordId();

}  // namespace kawal::mobile

#endif  // KAWAL_MOBILE_DEVICE_H_
