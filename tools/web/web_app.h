// kawal-web's routes on a cpp-httplib server: login and logout (CSRF-checked
// forms, the session in a cookie), the pages, the photo proxy, the CSV and
// XLSX downloads and the JSON API. Every data request is made to
// kawal-server with the visitor's session token, so the server's scope
// rules decide what anyone sees; a refusal becomes a 403 page.
//
// Thread-safety: handlers run on httplib's worker threads; WebApp holds
// immutable state, the thread-safe Backend and the thread-safe thumbnail
// cache.
#ifndef KAWAL_TOOLS_WEB_WEB_APP_H_
#define KAWAL_TOOLS_WEB_WEB_APP_H_

#include <httplib.h>

#include <string>
#include <vector>

#include "web/backend.h"
#include "web/thumbnail_cache.h"

namespace kawal::web {

struct WebOptions {
  // Mark cookies Secure (kawal-web behind TLS, e.g. nginx).
  bool secure_cookies = false;
  // Take the browser's address from X-Real-IP when the connection comes
  // from loopback (nginx in front) or one of `trusted_proxies` (a
  // Kubernetes Ingress controller); else the TCP peer's address.
  bool trust_proxy_headers = false;
  std::vector<std::string> trusted_proxies;  // addresses or IPv4 a.b.c.d/n
  // Photos larger than this are not served.
  uint64_t max_photo_bytes = 32ull << 20;
  // The thumbnail cache's bound (thumbnails' bytes; a 320-px JPEG is about
  // 10-40 KB, so the default holds a thousand or more).
  size_t thumbnail_cache_bytes = 32u << 20;
};

class WebApp {
 public:
  WebApp(Backend* backend, WebOptions options);
  // Adds every route and the security headers to `server`.
  void Register(httplib::Server* server);

 private:
  Backend* const backend_;
  const WebOptions options_;
  ThumbnailCache thumbnails_;
};

}  // namespace kawal::web

#endif  // KAWAL_TOOLS_WEB_WEB_APP_H_
