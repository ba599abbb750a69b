// The fixed tuning of the device's sync client in one place (as LiteCore's
// ReplicatorTuning.hh): connection settings, backoff bounds, batch, page
// and byte budgets. The knobs an app may set per call (attempts, backoff
// base and cap, RPC deadline, batch and page caps, photo chunk and call
// sizes) are SyncOptions in kawal/mobile/device.h, with their defaults.
//
// Thread-safety: constants only.
#ifndef KAWAL_MOBILE_SYNC_TUNING_H_
#define KAWAL_MOBILE_SYNC_TUNING_H_

#include <cstdint>

#include "absl/time/time.h"

namespace kawal::mobile::tuning {

// --- Connection (SyncLink::Connect) ---
inline constexpr int kInitialReconnectBackoffMs = 100;
// gRPC uses this "minimum backoff" as the connect timeout: a connection
// must deliver the server's SETTINGS within it. At 100 ms every attempt
// over a 600 ms round trip timed out until the backoff grew past it
// (bench/link_bench: five failed connects per sync); 20 s is gRPC's own
// default, and a refused or reset connection still fails at once.
inline constexpr int kMinReconnectBackoffMs = 20000;
inline constexpr int kMaxReconnectBackoffMs = 2000;
inline constexpr int kMaxReceiveMessageBytes = 64 << 20;
// The one OpenSSL connection that names a certificate problem after the
// first UNAVAILABLE of a sync (SyncLink::DiagnoseUnavailable): long enough
// for a TLS handshake over a satellite link, short enough not to stall a
// sync whose link is merely down.
inline constexpr absl::Duration kTlsDiagnosisTimeout = absl::Seconds(10);

// --- Retries (SyncLink::Backoff) ---
// The backoff doubles per attempt up to SyncOptions::backoff_cap_ms; the
// shift is bounded so a long retry run cannot overflow it.
inline constexpr int kMaxBackoffDoublings = 20;

// --- Session (SyncSession::Run) ---
// Handshakes per sync: a server restored again and again during one sync
// does not keep the device looping.
inline constexpr int kMaxHandshakesPerSync = 4;

// --- Push (Pusher) ---
// A push batch should take about this long on the link: short against the
// cuts of a bad link (every 30 s in bench/link_bench), long against its
// round trip (600 ms there).
inline constexpr double kPushBatchSeconds = 4;
// Before a batch has measured the link: 4 s at 64 kbit/s.
inline constexpr uint64_t kFirstPushBytes = 32 << 10;
inline constexpr uint64_t kMinPushBytes = 1 << 10;
// When the handshake states no limit (an older server).
inline constexpr uint32_t kDefaultMaxBatch = 500;
inline constexpr uint64_t kDefaultMaxMessageBytes = 4u << 20;
// A push request uses at most this share (1/n) of the server's message
// limit, leaving room for what the estimate below misses.
inline constexpr uint64_t kPushMessageShareDivisor = 2;
// Tag and length prefix of one delta inside the request, added to its size.
inline constexpr uint64_t kDeltaFramingBytes = 3;

// Smallest request gzipped when compression is on (SyncOptions::gzip): below
// it gzip's header and CPU buy nothing. The server has the same threshold
// for its responses.
inline constexpr uint64_t kCompressMinBytes = 2048;

// --- Pull (Puller) ---
// Byte budget of the first pull page and the cap it grows back to after
// being halved by failures; the floor it is halved down to.
inline constexpr uint32_t kMaxPullBytes = 1 << 20;
inline constexpr uint32_t kMinPullBytes = 2048;
// A bound on pages per sync, against a server whose has_more never ends.
inline constexpr int kMaxPullPages = 1000000;

// --- Photos (PhotoUploader) ---
// Photos asked about per PhotoStatus call.
inline constexpr int kPhotoStatusBatch = 1000;
// Progress is reported after each this many photo bytes written.
inline constexpr uint64_t kPhotoProgressBytes = 64u << 10;

}  // namespace kawal::mobile::tuning

#endif  // KAWAL_MOBILE_SYNC_TUNING_H_
