// Tests kawal-web's pure parts: cookies and CSRF (web_security.h), the
// CSV/XLSX downloads (downloads.h), the desa view of pulled records
// (desa_view.h) and that pages escape what users wrote (pages.h).
#include <string>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "web/desa_view.h"
#include "web/downloads.h"
#include "web/pages.h"
#include "web/web_security.h"

namespace kawal::web {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(CookiesTest, ParsesHeaderAndBuildsStrictHttpOnlyCookies) {
  auto cookies = ParseCookies("a=1; kawal_session=ks1_x ;  kawal_csrf=\"q\"; a=2; junk");
  EXPECT_EQ(cookies["a"], "1");
  EXPECT_EQ(cookies["kawal_session"], "ks1_x");
  EXPECT_EQ(cookies["kawal_csrf"], "q");
  EXPECT_EQ(cookies.count("junk"), 0u);
  EXPECT_EQ(SetCookie("kawal_session", "v", false, 60),
            "kawal_session=v; Path=/; HttpOnly; SameSite=Strict; Max-Age=60");
  EXPECT_THAT(SetCookie("kawal_session", "v", true), HasSubstr("; Secure"));
  EXPECT_THAT(SetCookie("kawal_session", "", false, 0), HasSubstr("Max-Age=0"));
}

TEST(CsrfTest, TokenMustMatchTheCookieExactly) {
  const std::string token = NewCsrfToken();
  EXPECT_EQ(token.size(), 64u);
  EXPECT_NE(token, NewCsrfToken());
  EXPECT_TRUE(CsrfMatches(token, token));
  std::string other = token;
  other[10] = other[10] == 'a' ? 'b' : 'a';
  EXPECT_FALSE(CsrfMatches(token, other));
  EXPECT_FALSE(CsrfMatches(token, ""));
  EXPECT_FALSE(CsrfMatches("", ""));
  EXPECT_FALSE(CsrfMatches(token, token + "0"));
}

TEST(SecurityHeadersTest, ForbidScriptsFramingAndSniffing) {
  std::string csp, nosniff;
  for (const auto& [name, value] : SecurityHeaders()) {
    if (name == "Content-Security-Policy") csp = value;
    if (name == "X-Content-Type-Options") nosniff = value;
  }
  EXPECT_THAT(csp, HasSubstr("script-src 'none'"));
  EXPECT_THAT(csp, HasSubstr("frame-ancestors 'none'"));
  EXPECT_THAT(csp, Not(HasSubstr("unsafe-inline")));
  EXPECT_EQ(nosniff, "nosniff");
}

TEST(FormTest, DecodesFieldsAndLocalPathsOnly) {
  auto form = ParseForm("name=siti&password=a%26b+c%3D&next=%2Fdesa%2F62.10&x");
  EXPECT_EQ(form["name"], "siti");
  EXPECT_EQ(form["password"], "a&b c=");
  EXPECT_EQ(form["next"], "/desa/62.10");
  EXPECT_TRUE(IsLocalPath("/region/62.10?year=2026"));
  EXPECT_FALSE(IsLocalPath("//evil.example/"));
  EXPECT_FALSE(IsLocalPath("/\\evil.example"));
  EXPECT_FALSE(IsLocalPath("https://evil.example/"));
  EXPECT_FALSE(IsLocalPath("/a\r\nSet-Cookie: x"));
  EXPECT_EQ(UrlEncode("/a b&c"), "%2Fa%20b%26c");
}

TEST(TrustedProxyTest, LoopbackAndListedAddressesAndNetworksOnly) {
  EXPECT_TRUE(IsTrustedProxy("127.0.0.1", {}));
  EXPECT_TRUE(IsTrustedProxy("::1", {}));
  EXPECT_FALSE(IsTrustedProxy("10.1.2.3", {}));
  const std::vector<std::string> proxies = {"10.244.0.0/16", "192.168.1.7", "fd00::5", "bad/x"};
  EXPECT_TRUE(IsTrustedProxy("10.244.3.9", proxies));
  EXPECT_FALSE(IsTrustedProxy("10.245.0.1", proxies));
  EXPECT_TRUE(IsTrustedProxy("192.168.1.7", proxies));
  EXPECT_FALSE(IsTrustedProxy("192.168.1.8", proxies));
  EXPECT_TRUE(IsTrustedProxy("fd00::5", proxies));
  EXPECT_FALSE(IsTrustedProxy("fd00::6", proxies));
  EXPECT_FALSE(IsTrustedProxy("not an address", proxies));
  EXPECT_TRUE(IsTrustedProxy("8.8.8.8", {"0.0.0.0/0"}));
}

TEST(DownloadsTest, CsvRoundTripsAndGetsABom) {
  auto rows = ParseCsv("code,name\r\n62.10,\"Gunung \"\"Mas\"\", Kab\"\r\n62.11,x\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1][1], "Gunung \"Mas\", Kab");
  EXPECT_EQ(rows[2][0], "62.11");
  EXPECT_EQ(CsvWithBom("a").substr(0, 3), "\xEF\xBB\xBF");
}

TEST(DownloadsTest, XlsxIsAZipWorkbook) {
  absl::StatusOr<std::string> xlsx = CsvToXlsx("code,budget\r\n62.10.01,150000000\r\n", "Progres");
  ASSERT_TRUE(xlsx.ok()) << xlsx.status();
  ASSERT_GT(xlsx->size(), 100u);
  EXPECT_EQ(xlsx->substr(0, 2), "PK");
}

v1::Record Activity(const std::string& id, const std::string& name, const std::string& status,
                    double progress) {
  v1::Record r;
  r.set_collection("activity");
  r.set_id(id);
  r.set_scope("62.10.01.2002");
  auto add = [&](const std::string& field, auto setter) {
    v1::FieldState* f = r.add_fields();
    f->set_name(field);
    setter(f->mutable_value());
    f->mutable_stamp()->set_wall_ms(1000);
    f->mutable_stamp()->set_node(7);
  };
  add("name", [&](v1::Value* v) { v->set_string_value(name); });
  add("physical_progress_pct", [&](v1::Value* v) { v->set_double_value(progress); });
  add("status", [&](v1::Value* v) { v->set_string_value(status); });
  add("year", [&](v1::Value* v) { v->set_int_value(2026); });
  return r;
}

TEST(DesaViewTest, FiltersSortsAndEscapes) {
  std::vector<v1::Record> records = {Activity("b1", "<script>alert(1)</script>", "done", 100),
                                     Activity("a1", "Jalan", "in_progress", 40)};
  DesaView desa = BuildDesaView(records);
  ASSERT_EQ(desa.activities.size(), 2u);
  EXPECT_EQ(desa.activities[1].name, "Jalan");
  auto done = FilterActivities(desa, "done", 0, 0, "name");
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0]->id, "b1");
  auto by_progress = FilterActivities(desa, "", 0, 2026, "-progress");
  ASSERT_EQ(by_progress.size(), 2u);
  EXPECT_EQ(by_progress[0]->id, "b1");
  PageContext ctx;
  ctx.user = "siti";
  ctx.csrf = std::string(64, 'a');
  const std::string page = ActivityPage(ctx, "Sepang", desa.activities[0], {});
  EXPECT_THAT(page, Not(HasSubstr("<script>alert")));
  EXPECT_THAT(page, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_THAT(page, Not(HasSubstr("<script")));
  EXPECT_THAT(page, HasSubstr("name=\"csrf\" value=\"" + std::string(64, 'a') + "\""));
}

// A conflict lists every field its losing write lost, one row each, values
// escaped; an entry from a server that predates the list shows its one field.
TEST(DesaViewTest, AConflictShowsOneRowPerLostField) {
  DesaView desa = BuildDesaView({Activity("a1", "Jalan", "in_progress", 40)});
  v1::ConflictEntry multi;
  multi.set_id("c-1");
  multi.set_detected_at_ms(1000);
  for (const char* f : {"notes", "status", "unit"}) {
    v1::ConflictField* lost = multi.add_fields();
    lost->set_field(f);
    lost->set_winner_value(std::string("\"<b>") + f + " now\"");
    lost->set_loser_value(std::string("\"") + f + " lost\"");
  }
  v1::ConflictEntry old_server;
  old_server.set_id("c-2");
  old_server.set_field("volume");
  old_server.set_loser_value("12.5");
  PageContext ctx;
  ctx.csrf = std::string(64, 'a');
  const std::string page = ActivityPage(ctx, "Sepang", desa.activities[0], {multi, old_server});
  for (const char* f : {"notes", "status", "unit"}) {
    EXPECT_THAT(page, HasSubstr(std::string("<td>") + f + "</td>"));
    EXPECT_THAT(page, HasSubstr(std::string(f) + " lost"));
  }
  EXPECT_THAT(page, HasSubstr("rowspan=\"3\""));
  EXPECT_THAT(page, HasSubstr("<td>volume</td>"));
  EXPECT_THAT(page, HasSubstr("12.5"));
  EXPECT_THAT(page, Not(HasSubstr("<b>")));
}

// The photo's path carries its SHA-256 and type, so serving it needs no
// pull of the desa; only the schema's image types come back out.
TEST(DesaViewTest, PhotoUrlNamesHashAndTypeAndOnlyImageTypesReturn) {
  PhotoView photo;
  photo.id = "p1";
  photo.sha256 = std::string(64, 'c');
  photo.content_type = "image/png";
  EXPECT_EQ(PhotoUrl("62.10.01.2001", photo), "/photo/62.10.01.2001/p1/" + photo.sha256 + ".png");
  photo.content_type = "text/html";
  EXPECT_EQ(PhotoUrl("62.10.01.2001", photo), "/photo/62.10.01.2001/p1/" + photo.sha256 + ".bin");
  EXPECT_EQ(PhotoContentType("jpg"), "image/jpeg");
  EXPECT_EQ(PhotoContentType("heic"), "image/heic");
  EXPECT_EQ(PhotoContentType("html"), "application/octet-stream");
  EXPECT_EQ(PhotoContentType("bin"), "application/octet-stream");
}

}  // namespace
}  // namespace kawal::web
