// The browser-facing safety of kawal-web, as pure functions so tests can
// pin them: cookies (the session cookie is HttpOnly, SameSite=Strict and
// Secure behind TLS), the CSRF token of forms (double submit: a random value
// in its own cookie that every state-changing form must repeat), and the
// security headers every response carries.
//
// Thread-safety: pure functions (NewCsrfToken reads the OS's entropy).
#ifndef KAWAL_TOOLS_WEB_WEB_SECURITY_H_
#define KAWAL_TOOLS_WEB_WEB_SECURITY_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace kawal::web {

inline constexpr char kSessionCookie[] = "kawal_session";
inline constexpr char kCsrfCookie[] = "kawal_csrf";
inline constexpr char kLangCookie[] = "kawal_lang";
inline constexpr char kCsrfField[] = "csrf";

// The cookies of a "Cookie:" header value ("a=1; b=2"); the first of a
// repeated name wins.
std::map<std::string, std::string> ParseCookies(absl::string_view header);

// A Set-Cookie value: Path=/, HttpOnly, SameSite=Strict, plus Secure when
// `secure`; `max_age_s` < 0 leaves it a browser-session cookie, 0 deletes it.
std::string SetCookie(absl::string_view name, absl::string_view value, bool secure,
                      int64_t max_age_s = -1);

// 32 random bytes as 64 hex digits.
std::string NewCsrfToken();
// True when the form's token is present, well formed and equals the
// cookie's (compared in constant time).
bool CsrfMatches(absl::string_view cookie_token, absl::string_view form_token);

// The headers of every response: Content-Security-Policy (no scripts at
// all, styles and images from kawal-web only, no framing, forms post only
// to kawal-web), X-Content-Type-Options, Referrer-Policy, X-Frame-Options,
// Cache-Control: no-store for pages holding officers' data.
std::vector<std::pair<std::string, std::string>> SecurityHeaders();

// The fields of an application/x-www-form-urlencoded body or query string
// ('+' is a space, %XX decoded); the first of a repeated name wins.
std::map<std::string, std::string> ParseForm(absl::string_view body);

// `text` percent-encoded for a query value (unreserved characters kept).
std::string UrlEncode(absl::string_view text);

// True when `address` (an IPv4 or IPv6 address as text) is one of
// `proxies`: exact addresses or IPv4 networks "a.b.c.d/n". Loopback always
// counts (a proxy on the same machine).
bool IsTrustedProxy(absl::string_view address, const std::vector<std::string>& proxies);

// True when `text` is a safe local redirect target ("/desa/62.10...",
// never "//host" or "http:").
bool IsLocalPath(absl::string_view text);

}  // namespace kawal::web

#endif  // KAWAL_TOOLS_WEB_WEB_SECURITY_H_
