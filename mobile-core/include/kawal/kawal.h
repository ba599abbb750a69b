/* Kawal Desa mobile core: the C API for Android (JNI) and iOS (Swift) apps.
 *
 * The boundary between the apps and the C++ core. Conventions:
 * - Handles are opaque; kawal_device_close() frees a device.
 * - Every function that can fail takes a last `kawal_error_t* error`, which
 *   may be NULL. On success error->code is 0 and error->message empty; on
 *   failure error->code is a canonical status code (3 = INVALID_ARGUMENT,
 *   5 = NOT_FOUND, 9 = FAILED_PRECONDITION, 1 = CANCELLED, 14 = UNAVAILABLE,
 *   ...) and error->message one sentence (English; it names the field,
 *   value and rule for validation errors).
 * - Records travel as UTF-8 JSON. Returned strings are owned by the caller
 *   and freed with kawal_string_free(); NULL is returned on failure.
 * - No function lets a C++ exception escape.
 *
 * Thread-safety: a device handle may be used from several threads; writes
 * and sync are serialized inside. kawal_sync_cancel() may be called from
 * any thread while kawal_sync() runs.
 *
 * Record JSON (as returned):
 *   {"collection":"activity","id":"…","scope":"62.10.01.2001",
 *    "deleted":false,"pending":true,"fields":{"name":"Jalan usaha tani",
 *    "budget":{"DDS":150000000},"sdg_goals":[9,1],...}}
 * Fields JSON (as given to create/update): an object of field name -> value,
 * typed by the schema (integers, numbers, strings, booleans, lists, and
 * objects of integer rupiah per funding source); null clears a field.
 */
#ifndef KAWAL_KAWAL_H_
#define KAWAL_KAWAL_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
#define KAWAL_NOEXCEPT noexcept
extern "C" {
#else
#define KAWAL_NOEXCEPT
#endif

/* The ABI this header describes: libkawal.so.<KAWAL_ABI_VERSION>. */
#define KAWAL_ABI_VERSION 1

#define KAWAL_ERROR_MESSAGE_SIZE 512

typedef struct kawal_error_t {
  int code;                                /* 0: OK */
  char message[KAWAL_ERROR_MESSAGE_SIZE];  /* NUL-terminated, "" when OK */
} kawal_error_t;

typedef struct kawal_device_t kawal_device_t;

/* Structs that may grow carry their size (as Win32's cbSize or Vulkan's
 * sType do): the caller sets `struct_size` to sizeof the struct as its
 * header declares it, and the library reads and writes only the fields that
 * lie wholly within struct_size, never a byte past it. New fields are only
 * ever appended, so an app built against an older header works with a newer
 * library (it simply does not see the new fields), and one built against a
 * newer header can tell from what the library fills which fields an older
 * library knew (those it did not know are left as the caller set them).
 * kawal_error_t is frozen: it never grows.
 *
 * Progress of a sync, filled by the library before each call of the
 * progress callback; the pointers in it are valid only during that call. */
typedef struct kawal_progress_t {
  uint32_t struct_size; /* set by the caller: sizeof(kawal_progress_t) */
  const char* phase;    /* "handshake", "push", "pull", "photos", "done" */
  uint64_t records_pushed;
  uint64_t records_to_push;
  uint64_t records_pulled;
  uint64_t records_to_pull;
  uint64_t bytes_sent;
  uint64_t bytes_received;
  int attempt;
  uint64_t bytes_to_send;    /* size of the pending changes */
  uint64_t bytes_to_receive; /* estimate, refined page by page */
  /* Photos go after the records: bytes of photo content sent (the server's
   * stored offset plus what is on its way) of the photos to send. */
  uint64_t photo_bytes_sent;
  uint64_t photo_bytes_to_send;
  /* New fields go here, at the end. */
} kawal_progress_t;

/* The smallest struct_size the library accepts: the first layout, up to and
 * including bytes_to_receive. */
#define KAWAL_PROGRESS_MIN_SIZE \
  (offsetof(kawal_progress_t, bytes_to_receive) + sizeof(uint64_t))

typedef void (*kawal_progress_fn)(const kawal_progress_t* progress, void* user_data);

/* The library's version ("0.1.0"; static, not to be freed) and, when
 * `abi_version` is not NULL, its ABI version there: an app built with this
 * header checks it equals KAWAL_ABI_VERSION. */
const char* kawal_version(int* abi_version) KAWAL_NOEXCEPT;

/* Opens (creating if needed) the store in folder `home`. Never discards
 * data. `device_name` may be NULL. Returns NULL on error. */
kawal_device_t* kawal_device_open(const char* home, const char* device_name,
                                  kawal_error_t* error) KAWAL_NOEXCEPT;
/* Closes and frees the device; NULL is ignored. */
void kawal_device_close(kawal_device_t* device) KAWAL_NOEXCEPT;

/* Sets the server ("host:port") and bearer token; keeps all data. A NULL
 * or empty token keeps the current one. Returns 0, or -1 on error. */
int kawal_device_configure(kawal_device_t* device, const char* server, const char* token,
                           kawal_error_t* error) KAWAL_NOEXCEPT;
/* The same, with the device's kabupaten code ("62.10"): the x-kawal-region
 * header of its calls before the first sync has told it its villages, which
 * a proxy in front of region shards needs. NULL or empty: not set. */
int kawal_device_configure_region(kawal_device_t* device, const char* server, const char* token,
                                  const char* region, kawal_error_t* error) KAWAL_NOEXCEPT;

/* Creates a record in desa `scope`; returns its new id. */
char* kawal_record_create(kawal_device_t* device, const char* collection, const char* scope,
                          const char* fields_json, kawal_error_t* error) KAWAL_NOEXCEPT;
/* Changes fields of a record. Returns 0, or -1 on error. */
int kawal_record_update(kawal_device_t* device, const char* collection, const char* id,
                        const char* fields_json, kawal_error_t* error) KAWAL_NOEXCEPT;
/* Deletes a record. Returns 0, or -1 on error. */
int kawal_record_delete(kawal_device_t* device, const char* collection, const char* id,
                        kawal_error_t* error) KAWAL_NOEXCEPT;
/* Many creates, updates and deletes in one atomic, durable commit (far
 * faster than one call per record). `ops_json` is a JSON array of
 * {"op":"create","collection":"activity","scope":"62.10.01.2001",
 *  "fields":{...}} (an optional "id" chooses a create's id),
 * {"op":"update","collection":…,"id":…,"fields":{...}} and
 * {"op":"delete","collection":…,"id":…}; at most 4 MiB of JSON. Each op
 * is validated as its single call would be, seeing the ops before it.
 * Returns the ids as a JSON array in op order; on error (the message
 * starts "op N: ", N counting from 0) nothing is stored. */
char* kawal_write_batch(kawal_device_t* device, const char* ops_json,
                        kawal_error_t* error) KAWAL_NOEXCEPT;
/* One record as JSON. */
char* kawal_record_get(kawal_device_t* device, const char* collection, const char* id,
                       kawal_error_t* error) KAWAL_NOEXCEPT;
/* A JSON array of records matching `query_json` (NULL: all activities):
 * {"collection":"activity","region":"62.10.01","year":2026,
 *  "status":"in_progress","activity_id":"…","include_deleted":false} */
char* kawal_record_list(kawal_device_t* device, const char* query_json, kawal_error_t* error) KAWAL_NOEXCEPT;

/* Indexed queries, answered from the store's secondary indexes.
 * `query_json` (NULL: every record of the collection) is an object of
 *   "region": a desa, kecamatan or kabupaten code (prefix of the desa),
 *   an indexed field -> its value (string, integer, or null: absent),
 *   "limit": records per page (0 or absent: all), "resume": the token of
 *   the previous page.
 * Indexed: activity (region, year, status), progress_report (activity_id),
 * photo (activity_id), conflict (region, resolution: null = open),
 * follow_up (region, status). Another collection or field: code 3 naming
 * what is queryable. Returns {"records":[record JSON...],"resume":"…"}
 * ("resume" is "" after the last page). */
char* kawal_query(kawal_device_t* device, const char* collection, const char* query_json,
                  kawal_error_t* error) KAWAL_NOEXCEPT;
/* The number of records kawal_query would return over all its pages
 * ("limit" and "resume" are ignored); -1 on error. */
int64_t kawal_count(kawal_device_t* device, const char* collection, const char* query_json,
                    kawal_error_t* error) KAWAL_NOEXCEPT;

/* Change observers. After each commit (a local write, or one step of a
 * sync) that changed records of `collection` which match `filter_json`
 * before or after it, `fn` is called once with their ids. `filter_json`:
 * NULL, or an object as kawal_query's (without limit/resume) whose keys may
 * be any field of the collection. Calls come on the device's notification
 * thread (one per device, never an app's thread), one at a time, in commit
 * order; `collection` and `ids` are valid during the call. A callback may
 * call this API (except kawal_device_close on its device). Returns an
 * observer id (> 0), or -1 on error. */
typedef void (*kawal_change_fn)(const char* collection, const char* const* ids, size_t id_count,
                                void* context);
int64_t kawal_observe(kawal_device_t* device, const char* collection, const char* filter_json,
                      kawal_change_fn fn, void* context, kawal_error_t* error) KAWAL_NOEXCEPT;
/* Stops an observer: after it returns, `fn` is not called again for it, and
 * a call in progress has finished (unless called from that callback).
 * Returns 0, or -1 (code 5 for an unknown id). kawal_device_close stops
 * every observer of the device after delivering what was committed. */
int kawal_unobserve(kawal_device_t* device, int64_t observer, kawal_error_t* error) KAWAL_NOEXCEPT;

/* Number of records with unacknowledged changes; -1 on error. */
int64_t kawal_pending_count(kawal_device_t* device, kawal_error_t* error) KAWAL_NOEXCEPT;
/* JSON array of the open conflict records (not yet settled): one per
 * losing write of a record. One lost field: "field", "winner_value",
 * "loser_value" (values as JSON text); several: "fields", "winner_values",
 * "loser_values" (parallel lists), "field" the first (docs/sync-model.md). */
char* kawal_conflicts(kawal_device_t* device, kawal_error_t* error) KAWAL_NOEXCEPT;
/* JSON array of every conflict record, settled ones too (their
 * "resolution", "resolved_by", "resolved_at_ms", "resolution_note"). */
char* kawal_conflicts_all(kawal_device_t* device, kawal_error_t* error) KAWAL_NOEXCEPT;
/* Settles a conflict in the device user's name. `choice`: "winner" keeps
 * the merged values, "loser" writes the lost values again, every field
 * the conflict lists (`fields`, or the one `field`), in one write that wins,
 * "dismiss" closes it with `note` (required; optional otherwise, NULL =
 * none). Returns 0, or -1 on error (unknown id, already settled, no sync
 * yet). */
int kawal_conflict_resolve(kawal_device_t* device, const char* conflict_id, const char* choice,
                           const char* note, kawal_error_t* error) KAWAL_NOEXCEPT;
/* JSON array of rejected writes:
 * [{"collection":…,"id":…,"scope":…,"reason":"INVALID_FIELD","message":…,
 *   "rejected_at_ms":…}] */
char* kawal_rejections(kawal_device_t* device, kawal_error_t* error) KAWAL_NOEXCEPT;
/* Drops a rejected write and restores the values it replaced. */
int kawal_rejection_discard(kawal_device_t* device, const char* collection, const char* id,
                            kawal_error_t* error) KAWAL_NOEXCEPT;
/* Device status as JSON: server, user, role, scopes, incarnation, device,
 * pending_records, rejected_records, last_sync_ms, last_error, ... */
char* kawal_status(kawal_device_t* device, kawal_error_t* error) KAWAL_NOEXCEPT;

/* Syncs now (blocking): handshake, push, pull, with retries. `options_json`
 * may be NULL or {"max_attempts":8,"rpc_timeout_ms":60000,"gzip":true,
 * "push_batch":200,"pull_page":1000}. `progress_fn` may be NULL; if it is
 * not, `progress` is the caller's struct with struct_size set (at least
 * KAWAL_PROGRESS_MIN_SIZE, else code 3): the library fills it before each
 * call of progress_fn(progress, user_data). Returns a
 * JSON report {"pushed":…,"rejected":…,"pulled":…,"restore_detected":…,
 * "repushed_after_restore":…,"bytes_sent":…,"bytes_received":…,
 * "photos_uploaded":…,"photo_bytes_sent":…,"photos_failed":…,
 * "retries":…}, or NULL on error (code 1 when cancelled). Photos are
 * uploaded after the records; photos_failed counts those the server
 * refused (see kawal_photo_list's "last_error"). */
char* kawal_sync(kawal_device_t* device, const char* options_json, kawal_progress_fn progress_fn,
                 kawal_progress_t* progress, void* user_data,
                 kawal_error_t* error) KAWAL_NOEXCEPT;
/* Asks a running kawal_sync() to stop soon (it returns code 1). */
void kawal_sync_cancel(kawal_device_t* device) KAWAL_NOEXCEPT;

/* Photos.
 * Creates a progress report in desa `scope` with photos, in one local
 * commit: each picture is copied into the store, a `photo` record is made
 * per picture and listed in the report's "photos". `fields_json` holds the
 * report's fields (as for kawal_record_create on "progress_report").
 * `photos_json` may be NULL or "[]" (no photos) or an array of
 *   {"file":"/path/IMG_0001.jpg","stage":"50","taken_at_ms":1764000000000,
 *    "lat":-2.21,"lon":113.92,"accuracy_m":8.5,"caption":"…"}
 * where "file" and "stage" ("0", "50", "100" or "other") are required; the
 * file must be a JPEG, PNG, WebP or HEIC picture (its content is checked).
 * Returns the report's new id; on error (code 3 for bad JSON, a bad stage
 * or a file that is not a picture) nothing is saved. */
char* kawal_report_create(kawal_device_t* device, const char* scope, const char* fields_json,
                          const char* photos_json, kawal_error_t* error) KAWAL_NOEXCEPT;
/* A JSON array of the photos known on this device (`activity_id` NULL or
 * "": all; else those of one activity):
 * [{"record_id":…,"report_id":…,"activity_id":…,"scope":…,"sha256":…,
 *   "stage":"50","content_type":"image/jpeg","size":123456,
 *   "local":true,"uploaded":false,"last_error":""}]
 * "local": the bytes are on this device; "uploaded": the server holds them
 * whole; "last_error": why the server refused them, if it did. */
char* kawal_photo_list(kawal_device_t* device, const char* activity_id,
                       kawal_error_t* error) KAWAL_NOEXCEPT;
/* Downloads the photo with this SHA-256 (64 hex digits; its record must be
 * on this device) to `out_path`, resuming from `out_path`.part after a cut,
 * and verifies it. `options_json` as for kawal_sync (NULL: defaults).
 * Returns 0, or -1 on error. */
int kawal_photo_fetch(kawal_device_t* device, const char* sha256, const char* out_path,
                      const char* options_json, kawal_error_t* error) KAWAL_NOEXCEPT;

/* Sync bundles: sync without a network (docs/bundles.md).
 * Writes to `out_path` (atomically, mode 0600) a bundle of everything the
 * server has not acknowledged: pending changes, photos not yet uploaded
 * (unless `options_json` has "photos":false; NULL: defaults), the sync
 * state and the user's token, sealed to the server's key and signed by the
 * device's. With "max_bytes":N in `options_json`, a bundle larger than N
 * bytes is split into parts of at most N bytes each, written as
 * `out_path` without ".bundle" + ".part1of3.bundle" ... (docs/bundles.md
 * "Parts"); an N too small to hold a part is an error naming the smallest.
 * Pending changes stay until the server's acknowledgement comes back.
 * Returns JSON {"bundle_id":…,"deltas":…,"photos":…,"photo_bytes":…,
 * "bytes":…,"files":[paths written]} (the same work gives the same
 * bundle_id), or NULL on error (before init, or before the server's key is
 * known). */
char* kawal_bundle_export(kawal_device_t* device, const char* out_path, const char* options_json,
                          kawal_error_t* error) KAWAL_NOEXCEPT;
/* Applies the server's reply bundle at `path` (FILE.reply, from
 * `kawal-admin bundle import` or a relay), as a sync's answer would be:
 * acknowledged changes leave the pending list, refused ones become
 * rejections, records merge, the cursor advances (never back). Idempotent.
 * Returns JSON {"acknowledged":…,"rejected":…,"pulled":…,"photos_stored":…,
 * "cursor_advanced":true|false}, or NULL on error (nothing changed: the file
 * is unreadable, altered, not a reply, or for another device or server). */
char* kawal_bundle_import_reply(kawal_device_t* device, const char* path,
                                kawal_error_t* error) KAWAL_NOEXCEPT;
/* Carries a device bundle (a colleague's, or this device's) to the server
 * through this device's connection; the server applies it as its signer's
 * work, never this device's. `path` is the bundle file, or any part of a
 * split bundle (the others are read next to it, by their names
 * STEM.partKofN.bundle). The one reply is written to `reply_out_path`
 * (atomically, mode 0600) for the bundle's owner. `options_json` as for
 * kawal_sync (NULL: defaults). Returns JSON {"user":…,"device_node":"<16
 * hex digits>","deltas":…,"applied":…,"rejected":…,"reply":path}, or NULL on
 * error (the server's reason for a refused bundle: nothing was applied). */
char* kawal_bundle_relay(kawal_device_t* device, const char* path, const char* reply_out_path,
                         const char* options_json, kawal_error_t* error) KAWAL_NOEXCEPT;
/* Trusts the server keys of a public server key file (its text, from
 * `kawal-admin bundle server-key`), for a device never online. Returns 0,
 * or -1 on error (code 3 when the text is not such a file). */
int kawal_bundle_trust_server_key(kawal_device_t* device, const char* key_file_text,
                                  kawal_error_t* error) KAWAL_NOEXCEPT;

/* Frees a string returned by this API; NULL is ignored. */
void kawal_string_free(char* s) KAWAL_NOEXCEPT;

#ifdef __cplusplus
}  /* extern "C" */
#endif

#endif /* KAWAL_KAWAL_H_ */
