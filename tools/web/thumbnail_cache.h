// A bounded in-memory LRU of thumbnails, keyed by the photo's SHA-256 (a
// photo's bytes never change under its hash). A photo that cannot be
// decoded is remembered too, with the reason, so each view of it does not
// download the whole photo again only to fail the same way. It holds no rights: kawal-web
// asks kawal-server whether the session may read the photo before it
// serves a cached thumbnail, as for a fresh one.
//
// Thread-safety: thread-safe (one mutex; the HTTP workers share it).
#ifndef KAWAL_TOOLS_WEB_THUMBNAIL_CACHE_H_
#define KAWAL_TOOLS_WEB_THUMBNAIL_CACHE_H_

#include <cstddef>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"

namespace kawal::web {

// What the cache holds for one photo: its thumbnail, or why there is none.
struct CachedThumbnail {
  std::string jpeg;        // empty when the photo could not be decoded
  std::string unreadable;  // why it could not; empty for a thumbnail
};

class ThumbnailCache {
 public:
  // Holds thumbnails up to `max_bytes` in total (0: caches nothing).
  explicit ThumbnailCache(size_t max_bytes) : max_bytes_(max_bytes) {}

  // What is known of `sha256`, marked as the most recently used.
  std::optional<CachedThumbnail> Get(const std::string& sha256) ABSL_LOCKS_EXCLUDED(mu_);
  // Adds (or replaces) its thumbnail, dropping the least recently used
  // entries until the total fits; one larger than the whole cache is not kept.
  void Put(const std::string& sha256, std::string thumbnail) ABSL_LOCKS_EXCLUDED(mu_);
  // Remembers that the photo `sha256` cannot be decoded, and why.
  void PutUnreadable(const std::string& sha256, std::string reason) ABSL_LOCKS_EXCLUDED(mu_);

  size_t bytes() const ABSL_LOCKS_EXCLUDED(mu_);
  size_t entries() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  using Entry = std::pair<std::string, CachedThumbnail>;  // (sha256, what is known)

  void Insert(const std::string& sha256, CachedThumbnail value) ABSL_LOCKS_EXCLUDED(mu_);

  const size_t max_bytes_;
  mutable absl::Mutex mu_;
  std::list<Entry> lru_ ABSL_GUARDED_BY(mu_);  // most recently used first
  absl::flat_hash_map<std::string, std::list<Entry>::iterator> index_ ABSL_GUARDED_BY(mu_);
  size_t bytes_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace kawal::web

#endif  // KAWAL_TOOLS_WEB_THUMBNAIL_CACHE_H_
