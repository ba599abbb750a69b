// kawal-web's routes on a cpp-httplib server: login and logout (CSRF-checked
// forms, the session in a cookie), the pages, the photo proxy, the CSV and
// XLSX downloads and the JSON API. Every data request is made to
// kawal-server with the visitor's session token, so the server's scope
// rules decide what anyone sees; a refusal becomes a 403 page.
//
// Thread-safety: handlers run on httplib's worker threads; WebApp holds
// only immutable state and the thread-safe Backend.
#ifndef KAWAL_TOOLS_WEB_WEB_APP_H_
#define KAWAL_TOOLS_WEB_WEB_APP_H_

#include <httplib.h>

#include <string>

#include "web/backend.h"

namespace kawal::web {

struct WebOptions {
  // Mark cookies Secure (kawal-web behind TLS, e.g. nginx).
  bool secure_cookies = false;
  // Take the browser's address from X-Real-IP when the connection comes
  // from loopback (nginx in front); else the TCP peer's address.
  bool trust_proxy_headers = false;
  // Photos larger than this are not served.
  uint64_t max_photo_bytes = 32ull << 20;
};

class WebApp {
 public:
  WebApp(Backend* backend, WebOptions options);
  // Adds every route and the security headers to `server`.
  void Register(httplib::Server* server);

 private:
  Backend* const backend_;
  const WebOptions options_;
};

}  // namespace kawal::web

#endif  // KAWAL_TOOLS_WEB_WEB_APP_H_
