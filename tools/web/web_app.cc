#include "web/web_app.h"

#include <future>
#include <map>
#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/protobuf/util/json_util.h"
#include "kawal/sync/region.h"
#include "report/report_format.h"
#include "web/desa_view.h"
#include "web/downloads.h"
#include "web/pages.h"
#include "web/thumbnail.h"
#include "web/web_security.h"
#include "web/web_text.h"

namespace kawal::web {
namespace {

constexpr char kHtml[] = "text/html; charset=utf-8";
constexpr char kJson[] = "application/json; charset=utf-8";
constexpr char kRegion[] = R"(([0-9]{2}(?:\.[0-9]{2}(?:\.[0-9]{2})?)?))";
constexpr char kDesa[] = R"(([0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}))";
constexpr char kRecordId[] = R"(([A-Za-z0-9_.\-]{1,64}))";
constexpr char kDownloadRegion[] = R"((all|[0-9]{2}(?:\.[0-9]{2}(?:\.[0-9]{2}(?:\.[0-9]{4})?)?)?))";

int CurrentYear() {
  return absl::ToCivilYear(absl::Now(), absl::LocalTimeZone()).year();
}

int IntParam(const httplib::Request& req, const char* name, int fallback) {
  int value = 0;
  if (!req.has_param(name) || !absl::SimpleAtoi(req.get_param_value(name), &value)) return fallback;
  return value;
}

// "all" in a download or API path is the whole country ("").
std::string RegionOf(const httplib::Request& req) {
  return req.matches[1] == "all" ? std::string() : std::string(req.matches[1]);
}

// A progress report of `region` per its child areas (per desa under a
// kecamatan), for the year asked (this year by default) and the `by` asked.
v1::ProgressRequest ProgressRequestFor(const httplib::Request& req, const std::string& region) {
  v1::ProgressRequest request;
  request.set_region(region);
  request.set_year(IntParam(req, "year", CurrentYear()));
  const std::string level = ChildLevel(region);
  request.set_level(level.empty() ? "desa" : level);
  request.set_by(req.get_param_value("by"));
  return request;
}

v1::FreshnessRequest FreshnessRequestFor(const std::string& region, int silent_days,
                                         bool include_devices = false) {
  v1::FreshnessRequest request;
  request.set_region(region);
  request.set_silent_days(std::max(0, silent_days));
  request.set_include_devices(include_devices);
  return request;
}

// What one request knows about its visitor.
struct Visit {
  PageContext ctx;
  std::string session;                 // the session token ("" when none)
  std::optional<v1::WhoAmIResponse> me;  // set when the session is valid
};

std::string PathWithQuery(const httplib::Request& req) {
  std::string path = req.path;
  std::string query;
  for (const auto& [k, v] : req.params) {
    absl::StrAppend(&query, query.empty() ? "?" : "&", UrlEncode(k), "=", UrlEncode(v));
  }
  // Only used as the language switch's and login's way back: local paths.
  return IsLocalPath(path) ? path + query : "/";
}

// Proto messages in the API as kawal-report's JSON: field names as in the proto.
google::protobuf::util::JsonPrintOptions JsonOptions() {
  google::protobuf::util::JsonPrintOptions print;
  print.preserve_proto_field_names = true;
  return print;
}

// `text` as a JSON string literal (UTF-8 kept, control characters escaped).
std::string JsonString(absl::string_view text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c == '<' || c == '>') {
          absl::StrAppend(&out, absl::StrFormat("\\u%04x", c));
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  return out + "\"";
}

}  // namespace

WebApp::WebApp(Backend* backend, WebOptions options)
    : backend_(backend), options_(options), thumbnails_(options.thumbnail_cache_bytes) {}

void WebApp::Register(httplib::Server* server) {
  httplib::Headers headers;
  for (const auto& [name, value] : SecurityHeaders()) headers.emplace(name, value);
  server->set_default_headers(headers);

  const bool secure = options_.secure_cookies;
  Backend* backend = backend_;
  const WebOptions options = options_;

  // Reads the cookies, makes sure the visitor holds a CSRF cookie, and
  // asks the server who the session belongs to.
  auto begin = [secure, backend](const httplib::Request& req, httplib::Response& res) {
    Visit visit;
    const std::map<std::string, std::string> cookies = ParseCookies(req.get_header_value("Cookie"));
    auto cookie = [&](const char* name) {
      auto it = cookies.find(name);
      return it == cookies.end() ? std::string() : it->second;
    };
    visit.ctx.lang = cookie(kLangCookie) == "en" ? Lang::kEn : Lang::kId;
    visit.ctx.csrf = cookie(kCsrfCookie);
    if (visit.ctx.csrf.size() != 64) {
      visit.ctx.csrf = NewCsrfToken();
      res.set_header("Set-Cookie", SetCookie(kCsrfCookie, visit.ctx.csrf, secure));
    }
    visit.ctx.path = PathWithQuery(req);
    visit.session = cookie(kSessionCookie);
    if (!visit.session.empty()) {
      v1::WhoAmIResponse me;
      if (backend->WhoAmI(visit.session, &me).ok() && me.session_expires_ms() > 0) {
        visit.ctx.user = me.user().name();
        visit.ctx.home = me.user().scopes().empty()
                             ? "/region"
                             : ChildLevel(me.user().scopes(0)).empty()
                                   ? absl::StrCat("/desa/", me.user().scopes(0))
                                   : absl::StrCat("/region/", me.user().scopes(0));
        visit.ctx.scopes.assign(me.user().scopes().begin(), me.user().scopes().end());
        visit.ctx.admin = me.user().role() == v1::ADMIN;
        visit.me = std::move(me);
      }
    }
    return visit;
  };

  auto html = [](httplib::Response& res, int status, const std::string& body) {
    res.status = status;
    res.set_content(body, kHtml);
  };

  // Not logged in: pages go to the login form, the API answers 401.
  auto require_login = [](const httplib::Request& req, httplib::Response& res,
                          const Visit& visit) {
    if (visit.me.has_value()) return true;
    if (absl::StartsWith(req.path, "/api/")) {
      res.status = 401;
      res.set_content("{\"error\":\"log in first (POST /login)\"}", kJson);
      return false;
    }
    res.status = 303;
    res.set_header("Location", absl::StrCat("/login?next=", UrlEncode(visit.ctx.path)));
    return false;
  };

  // A failed call to kawal-server as the page (or JSON) the visitor sees.
  auto fail = [html](const httplib::Request& req, httplib::Response& res, const Visit& visit,
                     const absl::Status& status) {
    const Lang lang = visit.ctx.lang;
    int code = 502;
    WebMsg title = WebMsg::kErrorTitle, text = WebMsg::kErrorText;
    if (absl::IsPermissionDenied(status)) {
      code = 403, title = WebMsg::kForbiddenTitle, text = WebMsg::kForbiddenText;
    } else if (absl::IsNotFound(status) || absl::IsInvalidArgument(status)) {
      code = 404, title = WebMsg::kNotFoundTitle, text = WebMsg::kNotFoundText;
    } else if (absl::IsUnauthenticated(status)) {
      code = 401, title = WebMsg::kErrorTitle, text = WebMsg::kSessionEnded;
    }
    if (absl::StartsWith(req.path, "/api/")) {
      res.status = code;
      res.set_content(absl::StrCat("{\"error\":\"", T(title, Lang::kEn), "\"}"), kJson);
      return;
    }
    html(res, code, MessagePage(visit.ctx, T(title, lang), T(text, lang)));
  };

  // The records of desa `code` as the pages show them; on a failed pull
  // the error page is already set and nothing is returned.
  auto load_desa = [fail, backend](const httplib::Request& req, httplib::Response& res,
                                   const Visit& visit,
                                   const std::string& code) -> std::optional<DesaView> {
    std::vector<v1::Record> records;
    if (absl::Status s = backend->PullDesa(visit.session, code, &records); !s.ok()) {
      fail(req, res, visit, s);
      return std::nullopt;
    }
    return BuildDesaView(records);
  };

  server->Get("/static/app.css", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(AppCss(), "text/css; charset=utf-8");
  });

  server->Get("/lang", [secure](const httplib::Request& req, httplib::Response& res) {
    const std::string to = req.get_param_value("to") == "en" ? "en" : "id";
    const std::string next = req.get_param_value("next");
    res.set_header("Set-Cookie", SetCookie(kLangCookie, to, secure, 365LL * 24 * 3600));
    res.status = 303;
    res.set_header("Location", IsLocalPath(next) ? next : "/");
  });

  server->Get("/login", [begin, html](const httplib::Request& req, httplib::Response& res) {
    Visit visit = begin(req, res);
    const std::string next = req.get_param_value("next");
    html(res, 200, LoginPage(visit.ctx, "", IsLocalPath(next) ? next : "/"));
  });

  server->Post("/login", [begin, html, backend, secure, options](const httplib::Request& req,
                                                                 httplib::Response& res) {
    Visit visit = begin(req, res);
    const std::map<std::string, std::string> form = ParseForm(req.body);
    auto field = [&](const char* name) {
      auto it = form.find(name);
      return it == form.end() ? std::string() : it->second;
    };
    const Lang lang = visit.ctx.lang;
    const std::string next = IsLocalPath(field("next")) ? field("next") : "/";
    if (!CsrfMatches(visit.ctx.csrf, field(kCsrfField))) {
      html(res, 403, MessagePage(visit.ctx, T(WebMsg::kForbiddenTitle, lang),
                                 "CSRF token missing or wrong; reload the login page."));
      return;
    }
    std::string address = req.remote_addr;
    if (options.trust_proxy_headers && IsTrustedProxy(address, options.trusted_proxies) &&
        req.has_header("X-Real-IP")) {
      address = req.get_header_value("X-Real-IP");
    }
    v1::LoginResponse login;
    absl::Status s = backend->Login(field("name"), field("password"), address, &login);
    if (!s.ok()) {
      int code = 502;
      std::string message = T(WebMsg::kErrorText, lang);
      if (absl::IsUnauthenticated(s)) code = 401, message = T(WebMsg::kWrongLogin, lang);
      if (absl::IsResourceExhausted(s)) code = 429, message = T(WebMsg::kThrottled, lang);
      if (absl::IsPermissionDenied(s)) code = 403, message = T(WebMsg::kFacilitatorRefused, lang);
      html(res, code, LoginPage(visit.ctx, message, next));
      return;
    }
    const int64_t max_age_s =
        std::max<int64_t>(1, (login.expires_ms() - absl::ToUnixMillis(absl::Now())) / 1000);
    // A fresh CSRF token after login: one planted before it is worthless.
    res.headers.erase("Set-Cookie");
    res.set_header("Set-Cookie", SetCookie(kSessionCookie, login.session_token(), secure, max_age_s));
    res.headers.emplace("Set-Cookie", SetCookie(kCsrfCookie, NewCsrfToken(), secure));
    res.status = 303;
    res.set_header("Location", next);
  });

  server->Post("/logout", [begin, html, backend, secure](const httplib::Request& req,
                                                         httplib::Response& res) {
    Visit visit = begin(req, res);
    const std::map<std::string, std::string> form = ParseForm(req.body);
    auto it = form.find(kCsrfField);
    if (it == form.end() || !CsrfMatches(visit.ctx.csrf, it->second)) {
      html(res, 403, MessagePage(visit.ctx, T(WebMsg::kForbiddenTitle, visit.ctx.lang),
                                 "CSRF token missing or wrong; reload the page."));
      return;
    }
    if (!visit.session.empty()) (void)backend->Logout(visit.session);
    res.headers.erase("Set-Cookie");
    res.set_header("Set-Cookie", SetCookie(kSessionCookie, "", secure, 0));
    res.status = 303;
    res.set_header("Location", "/login");
  });

  server->Get("/", [begin, require_login](const httplib::Request& req, httplib::Response& res) {
    Visit visit = begin(req, res);
    if (!require_login(req, res, visit)) return;
    res.status = 303;
    res.set_header("Location", visit.ctx.home);
  });

  auto overview = [begin, require_login, fail, html, backend](const httplib::Request& req,
                                                              httplib::Response& res,
                                                              const std::string& region) {
    Visit visit = begin(req, res);
    if (!require_login(req, res, visit)) return;
    OverviewData data;
    data.region = region;
    data.year = IntParam(req, "year", CurrentYear());
    // The five reports are independent: asked at once, the page takes as
    // long as the slowest (a national breakdown) rather than their sum.
    const std::vector<std::string> kinds = {"", "sector", "sdg", "source", "focus"};
    std::vector<v1::ProgressResponse> responses(kinds.size());
    std::vector<std::future<absl::Status>> calls;
    for (size_t i = 0; i < kinds.size(); ++i) {
      calls.push_back(std::async(std::launch::async, [&, i] {
        v1::ProgressRequest request = ProgressRequestFor(req, region);
        request.set_by(kinds[i]);
        return backend->Progress(visit.session, request, &responses[i]);
      }));
    }
    absl::Status failed;
    for (std::future<absl::Status>& call : calls) {
      absl::Status s = call.get();
      if (failed.ok() && !s.ok()) failed = s;
    }
    if (!failed.ok()) return fail(req, res, visit, failed);
    data.per_child = std::move(responses[0]);
    for (size_t i = 1; i < responses.size(); ++i) data.breakdowns.push_back(std::move(responses[i]));
    html(res, 200, OverviewPage(visit.ctx, data));
  };
  server->Get("/region", [overview](const httplib::Request& req, httplib::Response& res) {
    overview(req, res, "");
  });
  server->Get(absl::StrCat("/region/", kRegion), [overview](const httplib::Request& req,
                                                            httplib::Response& res) {
    overview(req, res, req.matches[1]);
  });

  server->Get(absl::StrCat("/desa/", kDesa), [begin, require_login, fail, html, backend, load_desa](
                                                 const httplib::Request& req,
                                                 httplib::Response& res) {
    Visit visit = begin(req, res);
    if (!require_login(req, res, visit)) return;
    const std::string code = req.matches[1];
    const std::optional<DesaView> desa = load_desa(req, res, visit, code);
    if (!desa.has_value()) return;
    DesaPageData data;
    data.code = code;
    data.name = desa->name;
    data.year = IntParam(req, "year", 0);
    data.status = req.get_param_value("status");
    data.sector = IntParam(req, "sector", 0);
    data.sort = req.has_param("sort") ? req.get_param_value("sort") : "name";
    data.page = IntParam(req, "page", 1);
    data.activities = FilterActivities(*desa, data.status, data.sector, data.year, data.sort);
    if (absl::Status s =
            backend->Freshness(visit.session, FreshnessRequestFor(code, 0, true), &data.freshness);
        !s.ok()) {
      return fail(req, res, visit, s);
    }
    html(res, 200, DesaPage(visit.ctx, data));
  });

  server->Get(absl::StrCat("/activity/", kDesa, "/", kRecordId),
              [begin, require_login, fail, html, backend, load_desa](const httplib::Request& req,
                                                                     httplib::Response& res) {
                Visit visit = begin(req, res);
                if (!require_login(req, res, visit)) return;
                const std::string code = req.matches[1];
                const std::optional<DesaView> desa = load_desa(req, res, visit, code);
                if (!desa.has_value()) return;
                const ActivityView* activity = FindActivity(*desa, req.matches[2]);
                if (activity == nullptr) {
                  return fail(req, res, visit, absl::NotFoundError("no such activity"));
                }
                v1::ListConflictsRequest lc;
                lc.set_region(code);
                v1::ListConflictsResponse conflicts;
                if (absl::Status s = backend->ListConflicts(visit.session, lc, &conflicts); !s.ok()) {
                  return fail(req, res, visit, s);
                }
                std::vector<v1::ConflictEntry> open;
                for (const v1::ConflictEntry& c : conflicts.conflicts()) {
                  if (c.record_id() == activity->id && c.resolution().empty()) open.push_back(c);
                }
                html(res, 200, ActivityPage(visit.ctx, desa->name, *activity, open));
              });

  // Everything the bytes need is in the path (PhotoUrl): no pull of the
  // desa per thumbnail. kawal-server checks the SHA-256 against the photo
  // record and the session's right to its scope.
  const std::string photo_path =
      absl::StrCat(kDesa, "/", kRecordId, R"(/([0-9a-f]{64})\.([a-z]{1,5}))");
  auto download_photo = [fail, backend, options](const httplib::Request& req,
                                                 httplib::Response& res, const Visit& visit,
                                                 std::string* bytes) {
    absl::Status s = backend->DownloadPhoto(visit.session, req.matches[1], req.matches[2],
                                            req.matches[3], options.max_photo_bytes, bytes);
    if (!s.ok()) fail(req, res, visit, s);
    return s.ok();
  };
  server->Get(absl::StrCat("/photo/", photo_path),
              [begin, require_login, download_photo](const httplib::Request& req,
                                                     httplib::Response& res) {
                Visit visit = begin(req, res);
                if (!require_login(req, res, visit)) return;
                std::string bytes;
                if (!download_photo(req, res, visit, &bytes)) return;
                res.set_content(std::move(bytes), PhotoContentType(req.matches[4]));
              });
  // A JPEG at most kThumbnailWidth wide of a JPEG or PNG photo (other types
  // are served as they are). A cached thumbnail, or a cached "cannot be
  // decoded", is served only after kawal-server said this session may read
  // the photo. X-Thumbnail-Cache says hit or miss (for operators and tests).
  ThumbnailCache* thumbnails = &thumbnails_;
  server->Get(absl::StrCat("/thumb/", photo_path),
              [begin, require_login, fail, html, backend, download_photo, thumbnails](
                  const httplib::Request& req, httplib::Response& res) {
                Visit visit = begin(req, res);
                if (!require_login(req, res, visit)) return;
                const std::string sha256 = req.matches[3];
                const std::string ext = req.matches[4];
                auto unreadable = [&](absl::string_view reason) {
                  const Lang lang = visit.ctx.lang;
                  html(res, 422,
                       MessagePage(visit.ctx, T(WebMsg::kErrorTitle, lang),
                                   absl::StrCat(T(WebMsg::kPhotoUnreadable, lang), " (", reason,
                                                ")")));
                };
                if (std::optional<CachedThumbnail> cached = thumbnails->Get(sha256)) {
                  if (absl::Status s = backend->CheckPhotoReadable(visit.session, req.matches[1],
                                                                   req.matches[2], sha256);
                      !s.ok()) {
                    return fail(req, res, visit, s);
                  }
                  res.set_header("X-Thumbnail-Cache", "hit");
                  if (!cached->unreadable.empty()) return unreadable(cached->unreadable);
                  return res.set_content(std::move(cached->jpeg), "image/jpeg");
                }
                std::string bytes;
                if (!download_photo(req, res, visit, &bytes)) return;
                if (ext != "jpg" && ext != "png") {
                  return res.set_content(std::move(bytes), PhotoContentType(ext));
                }
                res.set_header("X-Thumbnail-Cache", "miss");
                absl::StatusOr<std::string> thumbnail = MakeThumbnail(bytes);
                if (!thumbnail.ok()) {
                  thumbnails->PutUnreadable(sha256, std::string(thumbnail.status().message()));
                  return unreadable(thumbnail.status().message());
                }
                thumbnails->Put(sha256, *thumbnail);
                res.set_content(*std::move(thumbnail), "image/jpeg");
              });

  server->Get(absl::StrCat("/silent/?", R"(([0-9.]*))"), [begin, require_login, fail, html, backend](
                                                            const httplib::Request& req,
                                                            httplib::Response& res) {
    Visit visit = begin(req, res);
    if (!require_login(req, res, visit)) return;
    const std::string region = req.matches[1];
    const int days = std::max(0, IntParam(req, "days", 7));
    v1::FreshnessResponse response;
    if (absl::Status s =
            backend->Freshness(visit.session, FreshnessRequestFor(region, days), &response);
        !s.ok()) {
      return fail(req, res, visit, s);
    }
    html(res, 200, SilentPage(visit.ctx, region, response, days, req.get_param_value("sort")));
  });

  // Downloads: kawal-report's CSV (with a BOM) or the same table as XLSX.
  auto download = [begin, require_login, fail, backend](const httplib::Request& req,
                                                        httplib::Response& res,
                                                        const std::string& what) {
    Visit visit = begin(req, res);
    if (!require_login(req, res, visit)) return;
    const std::string region = RegionOf(req);
    const std::string ext = req.matches[2];
    std::string csv;
    std::string name;
    if (what == "progress") {
      const v1::ProgressRequest request = ProgressRequestFor(req, region);
      v1::ProgressResponse response;
      if (absl::Status s = backend->Progress(visit.session, request, &response); !s.ok()) {
        return fail(req, res, visit, s);
      }
      csv = report::ProgressCsv(response);
      name = absl::StrCat("progres-", region.empty() ? "indonesia" : region, "-", request.year());
    } else {
      v1::FreshnessResponse response;
      if (absl::Status s = backend->Freshness(
              visit.session, FreshnessRequestFor(region, IntParam(req, "days", 7)), &response);
          !s.ok()) {
        return fail(req, res, visit, s);
      }
      csv = report::FreshnessCsv(response);
      name = absl::StrCat("desa-tanpa-sinkron-", region.empty() ? "indonesia" : region);
    }
    if (ext == "csv") {
      res.set_header("Content-Disposition", absl::StrCat("attachment; filename=\"", name, ".csv\""));
      res.set_content(CsvWithBom(csv), "text/csv; charset=utf-8");
      return;
    }
    absl::StatusOr<std::string> xlsx = CsvToXlsx(csv, what == "progress" ? "Progres" : "Sinkron");
    if (!xlsx.ok()) return fail(req, res, visit, xlsx.status());
    res.set_header("Content-Disposition", absl::StrCat("attachment; filename=\"", name, ".xlsx\""));
    res.set_content(*std::move(xlsx),
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  };
  server->Get(absl::StrCat("/download/progress/", kDownloadRegion, R"(\.(csv|xlsx))"),
              [download](const httplib::Request& req, httplib::Response& res) {
                download(req, res, "progress");
              });
  server->Get(absl::StrCat("/download/silent/", kDownloadRegion, R"(\.(csv|xlsx))"),
              [download](const httplib::Request& req, httplib::Response& res) {
                download(req, res, "silent");
              });

  // --- JSON API: the same data, for scripts and later pages ----------------
  server->Get("/api/me", [begin, require_login](const httplib::Request& req, httplib::Response& res) {
    Visit visit = begin(req, res);
    if (!require_login(req, res, visit)) return;
    std::string json;
    (void)google::protobuf::util::MessageToJsonString(*visit.me, &json, JsonOptions());
    res.set_content(json, kJson);
  });
  server->Get(absl::StrCat("/api/progress/", kDownloadRegion),
              [begin, require_login, fail, backend](const httplib::Request& req, httplib::Response& res) {
                Visit visit = begin(req, res);
                if (!require_login(req, res, visit)) return;
                v1::ProgressRequest request = ProgressRequestFor(req, RegionOf(req));
                if (req.has_param("level")) request.set_level(req.get_param_value("level"));
                v1::ProgressResponse response;
                if (absl::Status s = backend->Progress(visit.session, request, &response); !s.ok()) {
                  return fail(req, res, visit, s);
                }
                res.set_content(report::ProgressJson(response), kJson);
              });
  server->Get(absl::StrCat("/api/freshness/", kDownloadRegion),
              [begin, require_login, fail, backend](const httplib::Request& req, httplib::Response& res) {
                Visit visit = begin(req, res);
                if (!require_login(req, res, visit)) return;
                v1::FreshnessResponse response;
                if (absl::Status s = backend->Freshness(
                        visit.session,
                        FreshnessRequestFor(RegionOf(req), IntParam(req, "days", 0),
                                            req.get_param_value("devices") == "1"),
                        &response);
                    !s.ok()) {
                  return fail(req, res, visit, s);
                }
                res.set_content(report::FreshnessJson(response), kJson);
              });

  server->Get(absl::StrCat("/api/desa/", kDesa),
              [begin, require_login, fail, backend, load_desa](const httplib::Request& req,
                                                               httplib::Response& res) {
                Visit visit = begin(req, res);
                if (!require_login(req, res, visit)) return;
                const std::string code = req.matches[1];
                const std::optional<DesaView> desa = load_desa(req, res, visit, code);
                if (!desa.has_value()) return;
                v1::FreshnessResponse freshness;
                if (absl::Status s = backend->Freshness(
                        visit.session, FreshnessRequestFor(code, 0, true), &freshness);
                    !s.ok()) {
                  return fail(req, res, visit, s);
                }
                std::string json = absl::StrCat("{\"code\":", JsonString(code), ",\"name\":",
                                                JsonString(desa->name), ",\"activities\":[");
                bool first = true;
                for (const ActivityView& a : desa->activities) {
                  absl::StrAppend(&json, first ? "" : ",", "{\"id\":", JsonString(a.id),
                                  ",\"name\":", JsonString(a.name), ",\"year\":", a.year,
                                  ",\"sector\":", a.sector, ",\"status\":", JsonString(a.status),
                                  ",\"budget\":", a.budget, ",\"spent\":", a.spent,
                                  ",\"physical_progress_pct\":", a.progress_pct,
                                  ",\"reports\":", a.reports.size(), ",\"photos\":", a.photos.size(), "}");
                  first = false;
                }
                // Every device that has synced the desa, as the proto's JSON.
                absl::StrAppend(&json, "],\"devices\":[");
                first = true;
                for (const v1::VillageFreshness& v : freshness.villages()) {
                  for (const v1::DeviceFreshness& device : v.devices()) {
                    std::string one;
                    (void)google::protobuf::util::MessageToJsonString(device, &one, JsonOptions());
                    absl::StrAppend(&json, first ? "" : ",", one);
                    first = false;
                  }
                }
                absl::StrAppend(&json, "]}");
                res.set_content(json, kJson);
              });

  server->set_error_handler([begin, html](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty() || res.status != 404) return;
    Visit visit = begin(req, res);
    html(res, 404, MessagePage(visit.ctx, T(WebMsg::kNotFoundTitle, visit.ctx.lang),
                               T(WebMsg::kNotFoundText, visit.ctx.lang)));
  });
}

}  // namespace kawal::web
