#include "web/web_security.h"

#include <arpa/inet.h>

#include <random>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "kawal/common/random_id.h"

namespace kawal::web {

std::map<std::string, std::string> ParseCookies(absl::string_view header) {
  std::map<std::string, std::string> cookies;
  for (absl::string_view part : absl::StrSplit(header, ';')) {
    part = absl::StripAsciiWhitespace(part);
    const size_t eq = part.find('=');
    if (eq == absl::string_view::npos || eq == 0) continue;
    std::string name(absl::StripAsciiWhitespace(part.substr(0, eq)));
    absl::string_view value = absl::StripAsciiWhitespace(part.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    cookies.emplace(std::move(name), std::string(value));
  }
  return cookies;
}

std::string SetCookie(absl::string_view name, absl::string_view value, bool secure,
                      int64_t max_age_s) {
  std::string cookie = absl::StrCat(name, "=", value, "; Path=/; HttpOnly; SameSite=Strict");
  if (secure) absl::StrAppend(&cookie, "; Secure");
  if (max_age_s >= 0) absl::StrAppend(&cookie, "; Max-Age=", max_age_s);
  return cookie;
}

std::string NewCsrfToken() { return common::RandomHexId(32); }

bool CsrfMatches(absl::string_view cookie_token, absl::string_view form_token) {
  if (cookie_token.size() != 64 || form_token.size() != 64) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < 64; ++i) {
    diff |= static_cast<unsigned char>(cookie_token[i] ^ form_token[i]);
  }
  return diff == 0;
}

std::vector<std::pair<std::string, std::string>> SecurityHeaders() {
  return {
      {"Content-Security-Policy",
       "default-src 'none'; script-src 'none'; style-src 'self'; img-src 'self'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"},
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},
      {"Referrer-Policy", "no-referrer"},
      {"Cross-Origin-Opener-Policy", "same-origin"},
      {"Cache-Control", "no-store"},
  };
}

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string UrlDecode(absl::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out.push_back(' ');
    } else if (text[i] == '%' && i + 2 < text.size() &&
               HexValue(text[i + 1]) >= 0 && HexValue(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

}  // namespace

std::map<std::string, std::string> ParseForm(absl::string_view body) {
  std::map<std::string, std::string> fields;
  for (absl::string_view pair : absl::StrSplit(body, '&')) {
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    std::string name = UrlDecode(pair.substr(0, eq));
    std::string value = eq == absl::string_view::npos ? "" : UrlDecode(pair.substr(eq + 1));
    fields.emplace(std::move(name), std::move(value));
  }
  return fields;
}

std::string UrlEncode(absl::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (absl::ascii_isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

bool IsLocalPath(absl::string_view text) {
  if (text.empty() || text[0] != '/') return false;
  if (text.size() > 1 && (text[1] == '/' || text[1] == '\\')) return false;
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == '\\') return false;
  }
  return true;
}

bool IsTrustedProxy(absl::string_view address, const std::vector<std::string>& proxies) {
  if (address == "127.0.0.1" || address == "::1") return true;
  in_addr peer{};
  const bool peer_v4 = ::inet_pton(AF_INET, std::string(address).c_str(), &peer) == 1;
  for (const std::string& entry : proxies) {
    if (entry == address) return true;
    const size_t slash = entry.find('/');
    int bits = -1;
    in_addr net{};
    if (!peer_v4 || slash == std::string::npos || !absl::SimpleAtoi(entry.substr(slash + 1), &bits) ||
        bits < 0 || bits > 32 || ::inet_pton(AF_INET, entry.substr(0, slash).c_str(), &net) != 1) {
      continue;
    }
    const uint32_t mask = bits == 0 ? 0 : ~uint32_t{0} << (32 - bits);
    if ((ntohl(peer.s_addr) & mask) == (ntohl(net.s_addr) & mask)) return true;
  }
  return false;
}

}  // namespace kawal::web
