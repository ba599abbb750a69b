// kawal-web over HTTP against a real kawal-server fed by real devices
// (mobile::Device): the desa page and its JSON list every device that has
// synced the village; photo thumbnails are small JPEGs, checked against the
// officer's scope (also when cached), and a damaged photo gives a clear
// error page. The browser test (web_browser_test.py) covers the rest.
#include <gtest/gtest.h>
#include <httplib.h>

#include <fstream>
#include <map>
#include <regex>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "device_fixture.h"
#include "kawal/sync/stamp.h"
#include "server_process.h"
#include "test_client.h"
#include "web/thumbnail.h"
#include "web_process.h"

namespace kawal::testing {
namespace {

constexpr char kDesa[] = "62.10.01.2002";  // Sepang Kota (in the region list)
constexpr char kDina[] = "dina";      // district officer of Gunung Mas (62.10)
constexpr char kPulang[] = "pulang";  // district officer of Pulang Pisau (62.11)
constexpr char kPassword[] = "rahasia-2026-kawal";

std::string WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

// The value of cookie `name` in a response's Set-Cookie headers.
std::string SetCookieValue(const httplib::Result& res, const std::string& name) {
  for (const auto& [header, value] : res->headers) {
    if (header != "Set-Cookie" || !absl::StartsWith(value, name + "=")) continue;
    return value.substr(name.size() + 1, value.find(';') - name.size() - 1);
  }
  return "";
}

class WebHttpTest : public DeviceFixture {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>(dir_.path() + "/server");
    ASSERT_TRUE(server_->Start().ok()) << server_->Stderr();
    TestClient admin = AdminClient(*server_);
    ASSERT_TRUE(admin.AddUser(kDina, v1::DISTRICT_OFFICER, {"62.10"}, nullptr, kPassword).ok());
    ASSERT_TRUE(admin.AddUser(kPulang, v1::DISTRICT_OFFICER, {"62.11"}, nullptr, kPassword).ok());
    ASSERT_TRUE(admin.AddUser("ani", v1::FACILITATOR, {kDesa}, &ani_token_).ok());
    ASSERT_TRUE(admin.AddUser("budi", v1::FACILITATOR, {kDesa}, &budi_token_).ok());
    web_ = std::make_unique<WebProcess>(KAWAL_WEB_BINARY, server_->address(),
                                        std::vector<std::string>{},
                                        dir_.path() + "/kawal-web.stderr");
    const absl::Status started = web_->Start();
    ASSERT_TRUE(started.ok()) << started;
  }

  void TearDown() override {
    if (HasFailure()) {
      std::cerr << "server log:\n" << server_->Stderr() << "\nkawal-web log:\n" << web_->Stderr();
    }
  }

  httplib::Client Http() const {
    httplib::Client client("127.0.0.1", web_->port());
    client.set_read_timeout(60, 0);
    return client;
  }

  // Logs `user` in through the form; the Cookie header of its session.
  std::string Login(const std::string& user) const {
    httplib::Client http = Http();
    httplib::Result form = http.Get("/login");
    EXPECT_TRUE(form) << "kawal-web does not answer";
    if (!form) return "";
    const std::string csrf = SetCookieValue(form, "kawal_csrf");
    httplib::Result login = http.Post(
        "/login", {{"Cookie", "kawal_csrf=" + csrf}},
        httplib::Params{{"csrf", csrf}, {"name", user}, {"password", kPassword}, {"next", "/"}});
    EXPECT_TRUE(login);
    if (!login) return "";
    EXPECT_EQ(login->status, 303) << login->body;
    return absl::StrCat("kawal_csrf=", csrf, "; kawal_session=", SetCookieValue(login, "kawal_session"));
  }

  httplib::Result Get(const std::string& cookie, const std::string& path) const {
    httplib::Client http = Http();
    return http.Get(path, {{"Cookie", cookie}});
  }

  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<WebProcess> web_;
  std::string ani_token_, budi_token_;
};

TEST_F(WebHttpTest, DesaPageListsEveryDeviceThatSyncedTheVillage) {
  // Ani syncs from a phone and a tablet, Budi from a laptop.
  ASSERT_OK_AND_ASSIGN(auto phone, OpenDevice("hp-ani", server_->address(), ani_token_));
  ASSERT_OK_AND_ASSIGN(auto tablet, OpenDevice("tablet-ani", server_->address(), ani_token_));
  ASSERT_OK_AND_ASSIGN(auto laptop, OpenDevice("laptop-budi", server_->address(), budi_token_));
  ASSERT_TRUE(phone->Create("activity", kDesa, {{"name", std::string("Jalan usaha tani")},
                                                {"year", int64_t{2026}},
                                                {"sector", int64_t{2}},
                                                {"status", std::string("in_progress")}})
                  .ok());
  SyncOk(*phone);
  SyncOk(*tablet);
  SyncOk(*laptop);
  // The tablet's next sync is cut after its push, before any pull: the
  // server heard from it later than it last received, so its row is
  // shaded "behind".
  ASSERT_TRUE(tablet->Create("activity", kDesa, {{"name", std::string("Sumur bor")},
                                                 {"year", int64_t{2026}},
                                                 {"sector", int64_t{2}},
                                                 {"status", std::string("planned")}})
                  .ok());
  // Times are kept in milliseconds: let the clock pass the last pull's.
  for (const absl::Time pulled = absl::Now(); absl::Now() - pulled < absl::Milliseconds(2);) {
  }
  mobile::Device* cut = tablet.get();
  absl::StatusOr<mobile::SyncReport> cut_sync =
      cut->Sync(mobile::SyncOptions{}, [cut](const mobile::SyncProgress& p) {
        if (p.phase == "pull") cut->Cancel();
      });
  ASSERT_EQ(cut_sync.status().code(), absl::StatusCode::kCancelled) << cut_sync.status();

  const std::string dina = Login(kDina);
  httplib::Result page = Get(dina, absl::StrCat("/desa/", kDesa));
  ASSERT_TRUE(page);
  ASSERT_EQ(page->status, 200) << page->body;
  const size_t table = page->body.find("id=\"devices\"");
  ASSERT_NE(table, std::string::npos) << page->body;
  const std::string devices = page->body.substr(table, page->body.find("</table>", table) - table);
  for (const auto* device : {phone.get(), tablet.get(), laptop.get()}) {
    EXPECT_TRUE(absl::StrContains(devices, sync::NodeToHex(device->node()))) << devices;
  }
  for (const char* name : {"hp-ani", "tablet-ani", "laptop-budi", ">ani<", ">budi<"}) {
    EXPECT_TRUE(absl::StrContains(devices, name)) << name << " missing in\n" << devices;
  }
  size_t rows = 0;
  for (size_t at = devices.find("<tr class=\"device"); at != std::string::npos;
       at = devices.find("<tr class=\"device", at + 1)) {
    ++rows;
  }
  EXPECT_EQ(rows, 3u) << "one row per device:\n" << devices;
  for (const auto* device : {phone.get(), tablet.get(), laptop.get()}) {
    const size_t cell = devices.find(sync::NodeToHex(device->node()));
    ASSERT_NE(cell, std::string::npos);
    const size_t row = devices.rfind("<tr class=\"device", cell);
    ASSERT_NE(row, std::string::npos);
    const bool behind = devices.compare(row, 24, "<tr class=\"device behind") == 0;
    EXPECT_EQ(behind, device == tablet.get()) << devices;
  }

  // The JSON API lists the same devices, with their users and push/pull times.
  httplib::Result api = Get(dina, absl::StrCat("/api/desa/", kDesa));
  ASSERT_TRUE(api);
  ASSERT_EQ(api->status, 200) << api->body;
  std::map<std::string, std::string> users;  // device name -> user
  std::regex device_re(R"re("device_name":"([^"]+)","user":"([^"]+)","last_sync_ms":"(\d+)")re");
  for (std::sregex_iterator it(api->body.begin(), api->body.end(), device_re), end; it != end; ++it) {
    users[(*it)[1]] = (*it)[2];
  }
  EXPECT_EQ(users, (std::map<std::string, std::string>{
                       {"hp-ani", "ani"}, {"tablet-ani", "ani"}, {"laptop-budi", "budi"}}))
      << api->body;
  EXPECT_TRUE(absl::StrContains(api->body, "\"last_push_ms\":\"")) << "the phone pushed";
  EXPECT_TRUE(absl::StrContains(api->body, "\"last_pull_ms\":\""));

  // Out of scope: nothing of the village, on the page or in the API.
  const std::string pulang = Login(kPulang);
  httplib::Result refused = Get(pulang, absl::StrCat("/desa/", kDesa));
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 403);
  EXPECT_FALSE(absl::StrContains(refused->body, "hp-ani"));
  httplib::Result refused_api = Get(pulang, absl::StrCat("/api/desa/", kDesa));
  ASSERT_TRUE(refused_api);
  EXPECT_EQ(refused_api->status, 403);
  EXPECT_FALSE(absl::StrContains(refused_api->body, "hp-ani"));
}

TEST_F(WebHttpTest, ThumbnailsAreSmallJpegsForTheOfficersScopeOnly) {
  ASSERT_OK_AND_ASSIGN(auto phone, OpenDevice("hp-ani", server_->address(), ani_token_));
  web::RgbImage picture;
  picture.width = 1600;
  picture.height = 1200;
  picture.pixels.resize(1600u * 1200 * 3);
  for (size_t i = 0; i < picture.pixels.size(); ++i) {
    picture.pixels[i] = static_cast<uint8_t>((i * 2654435761u) >> 24);  // detail, like a photo
  }
  ASSERT_OK_AND_ASSIGN(const std::string photo, web::EncodeJpeg(picture, 90));
  std::string damaged_bytes(8192, '\x5a');
  damaged_bytes.replace(0, 4, "\xFF\xD8\xFF\xE0");  // a JPEG's first bytes, then nothing valid
  const std::string damaged = damaged_bytes;
  ASSERT_OK_AND_ASSIGN(const std::string activity,
                       phone->Create("activity", kDesa, {{"name", std::string("Talud")},
                                                         {"year", int64_t{2026}},
                                                         {"sector", int64_t{2}},
                                                         {"status", std::string("in_progress")}}));
  int n = 0;
  for (const std::string* bytes : {&photo, &damaged}) {
    mobile::PhotoAttachment attachment;
    attachment.file = WriteFile(absl::StrCat(dir_.path(), "/photo", n, ".jpg"), *bytes);
    attachment.stage = n == 0 ? "50" : "100";
    ASSERT_TRUE(phone
                    ->CreateReport(kDesa,
                                   {{"activity_id", activity},
                                    {"visit_date", absl::StrCat("2026-11-2", n)},
                                    {"physical_progress_pct", 50.0}},
                                   {attachment})
                    .ok());
    ++n;
  }
  mobile::SyncReport synced = SyncOk(*phone);
  ASSERT_EQ(synced.photos_uploaded, 2u);

  const std::string dina = Login(kDina);
  httplib::Result page = Get(dina, absl::StrCat("/activity/", kDesa, "/", activity));
  ASSERT_TRUE(page);
  ASSERT_EQ(page->status, 200) << page->body;
  // Each photo: a link to the full picture around a thumbnail (stage 50 first).
  std::regex figure_re(R"re(<a href="(/photo/[^"]+)"><img class="photo" src="(/thumb/[^"]+)")re");
  std::vector<std::pair<std::string, std::string>> links;
  for (std::sregex_iterator it(page->body.begin(), page->body.end(), figure_re), end; it != end; ++it) {
    links.emplace_back((*it)[1], (*it)[2]);
  }
  ASSERT_EQ(links.size(), 2u) << page->body;
  const auto& [full_url, thumb_url] = links[0];
  const auto& [damaged_full_url, damaged_thumb_url] = links[1];

  httplib::Result full = Get(dina, full_url);
  ASSERT_TRUE(full);
  EXPECT_EQ(full->body, photo) << "full size stays on click";
  httplib::Result thumb = Get(dina, thumb_url);
  ASSERT_TRUE(thumb);
  ASSERT_EQ(thumb->status, 200) << thumb->body;
  EXPECT_EQ(thumb->get_header_value("Content-Type"), "image/jpeg");
  EXPECT_LT(thumb->body.size() * 4, photo.size()) << "a thumbnail is a fraction of the photo";
  ASSERT_OK_AND_ASSIGN(const web::RgbImage decoded, web::DecodeImage(thumb->body));
  EXPECT_EQ(decoded.width, 320);
  EXPECT_EQ(decoded.height, 240);
  EXPECT_EQ(thumb->get_header_value("X-Thumbnail-Cache"), "miss");
  httplib::Result again = Get(dina, thumb_url);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->get_header_value("X-Thumbnail-Cache"), "hit");
  EXPECT_EQ(again->body, thumb->body);

  // Another kabupaten's officer: refused, for a cached thumbnail too.
  const std::string pulang = Login(kPulang);
  for (const std::string& url : {thumb_url, damaged_thumb_url, full_url}) {
    httplib::Result refused = Get(pulang, url);
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 403) << url;
    EXPECT_NE(refused->get_header_value("Content-Type"), "image/jpeg") << url;
  }

  // A damaged photo: a clear error page, and kawal-web keeps serving.
  httplib::Result bad = Get(dina, damaged_thumb_url);
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 422);
  EXPECT_TRUE(absl::StrContains(bad->body, "tidak dapat dibaca")) << bad->body;
  EXPECT_TRUE(absl::StrContains(bad->body, "JPEG cannot be decoded")) << bad->body;
  EXPECT_EQ(bad->get_header_value("X-Thumbnail-Cache"), "miss");
  // Viewed again: the same page from the cache, without downloading the photo.
  httplib::Result bad_again = Get(dina, damaged_thumb_url);
  ASSERT_TRUE(bad_again);
  EXPECT_EQ(bad_again->status, 422);
  EXPECT_EQ(bad_again->get_header_value("X-Thumbnail-Cache"), "hit");
  EXPECT_EQ(bad_again->body, bad->body);
  httplib::Result bad_refused = Get(pulang, damaged_thumb_url);  // cached, still checked
  ASSERT_TRUE(bad_refused);
  EXPECT_EQ(bad_refused->status, 403);
  httplib::Result damaged_full = Get(dina, damaged_full_url);
  ASSERT_TRUE(damaged_full);
  EXPECT_EQ(damaged_full->body, damaged) << "the stored bytes are untouched";
  httplib::Result still = Get(dina, thumb_url);
  ASSERT_TRUE(still);
  EXPECT_EQ(still->status, 200);
}

}  // namespace
}  // namespace kawal::testing
