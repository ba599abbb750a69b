// The server's tuning constants in one place (as LiteCore's
// ReplicatorTuning.hh): batch and message limits, photo chunk sizes, scan
// and write granularities. Values an operator may change are flag defaults
// here and settings in ServerConfig (server_config.h); the rest are fixed.
// The device's counterparts are in mobile-core.
//
// Thread-safety: constants only.
#ifndef KAWAL_SERVER_BASE_SERVER_TUNING_H_
#define KAWAL_SERVER_BASE_SERVER_TUNING_H_

#include <cstddef>
#include <cstdint>

namespace kawal::server::tuning {

// --- Sync calls (defaults of kawal-server's flags) --------------------------
// Deltas one Push may carry (--max_batch).
inline constexpr uint32_t kMaxBatch = 500;
// Largest request or response, in bytes (--max_message_bytes), and the
// smallest value the flag accepts.
inline constexpr uint32_t kMaxMessageBytes = 4 << 20;
inline constexpr uint32_t kMinMessageBytes = 64 << 10;
// Writes stamped later than server time plus this are refused
// (--max_clock_skew).
inline constexpr int64_t kMaxClockSkewMs = 10 * 60 * 1000;
// Records one Pull page holds at most.
inline constexpr uint32_t kPullMaxRecords = 2000;
// Smallest push or pull response gzipped for a device that asks for
// compression: below it gzip's header and CPU buy nothing.
inline constexpr size_t kCompressMinBytes = 2048;
// Room a Pull page leaves for the response envelope: an eighth of the
// message limit, at most this.
inline constexpr uint32_t kPullEnvelopeBytes = 64 << 10;

// --- Shutdown and backups ---------------------------------------------------
// How long a stop waits for in-flight calls before cancelling them
// (--shutdown_grace).
inline constexpr int64_t kShutdownGraceMs = 3000;
// How often the TLS certificate and key files are looked at for a rotated
// certificate (ops/reloading_tls.h).
inline constexpr int64_t kTlsReloadSeconds = 10;
// Scheduled backups kept (--backup_keep).
inline constexpr uint32_t kBackupKeep = 7;

// --- Photos -----------------------------------------------------------------
// Largest photo accepted (--max_photo_bytes).
inline constexpr uint64_t kMaxPhotoBytes = 20 << 20;
// Uploads one user may have in progress at once (--photo_uploads_per_user).
inline constexpr uint32_t kPhotoUploadsPerUser = 16;
// Photos one status call may ask about.
inline constexpr int kMaxStatusPhotos = 1000;
// Bytes per message of a photo download.
inline constexpr size_t kPhotoDownloadChunkBytes = 32 << 10;
// Largest data message of an upload: a bigger one would make a cut lose
// more; smaller is the client's choice.
inline constexpr size_t kMaxPhotoUploadMessageBytes = 1 << 20;

// --- Storage ----------------------------------------------------------------
// Sequences reserved durably at a time: a crash leaves at most this gap.
inline constexpr uint64_t kSequenceReserveChunk = 1 << 20;
// Village records written per batch when seeding a region.
inline constexpr size_t kSeedBatch = 500;
// Keys a full stats scan reads between checks of the call's deadline.
inline constexpr int kKeysBetweenDeadlineChecks = 4096;

// --- Memory (docs/server.md, "Memory") --------------------------------------
// RocksDB memtable size; two at most (one filling, one flushing).
inline constexpr size_t kWriteBufferBytes = 16 << 20;
// RocksDB block cache, holding index and filter blocks as well as data.
inline constexpr size_t kBlockCacheBytes = 32 << 20;
// Its shards (2^N): each must hold a large table's whole filter block.
inline constexpr int kBlockCacheShardBits = 2;
// glibc malloc arenas (MALLOC_ARENA_MAX, unless set in the environment):
// its default of 8 per core kept ~100 MB of freed memory in gRPC threads'
// arenas at 200k records.
inline constexpr int kMallocArenas = 2;

}  // namespace kawal::server::tuning

#endif  // KAWAL_SERVER_BASE_SERVER_TUNING_H_
