// A Pendamping Desa assigned a whole kecamatan, through kawal-admin, a real
// kawal-server and the mobile core: the device syncs every desa of the
// kecamatan, a write in a desa of another kecamatan is refused with a clear
// reason, and a desa added to the region list after the user was created
// reaches the device and accepts its writes (the scope is a prefix, never a
// list expanded when the user was made).
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "device_fixture.h"
#include "kawal/mobile/device.h"
#include "kawal/sync/schema.h"
#include "server_process.h"
#include "test_client.h"

namespace kawal::testing {
namespace {

using mobile::Device;
using mobile::FieldValues;
using ::testing::HasSubstr;

constexpr char kKecamatan[] = "62.10.01";
constexpr char kListedDesa[] = "62.10.01.2002";
constexpr char kAddedLaterDesa[] = "62.10.01.2099";
constexpr char kOtherKecamatanDesa[] = "62.10.02.2003";

// A region list of one kecamatan (and one desa of its neighbour), optionally
// with a desa the first list did not have.
void WriteRegions(const std::string& path, bool with_added_desa) {
  std::ofstream out(path, std::ios::trunc);
  out << "kode,nama\n62,Kalimantan Tengah\n62.10,Kabupaten Gunung Mas\n"
      << "62.10.01,Sepang\n62.10.01.2002,Sepang Kota\n62.10.01.2003,Tewai Baru\n";
  if (with_added_desa) out << kAddedLaterDesa << ",Desa Pemekaran\n";
  out << "62.10.02,Mihing Raya\n" << kOtherKecamatanDesa << ",Tumbang Lampahung\n";
}

FieldValues Activity(const std::string& name) {
  return {{"name", name},
          {"year", int64_t{2026}},
          {"sector", int64_t{2}},
          {"status", std::string("planned")},
          {"budget", sync::AmountMap{{"DDS", 90000000}}}};
}

std::string TokenIn(const std::string& output) {
  size_t at = output.find("kd1_");
  return at == std::string::npos ? "" : output.substr(at, 4 + 64);
}

class KecamatanScopeTest : public DeviceFixture {
 protected:
  void SetUp() override {
    regions_ = dir_.path() + "/wilayah.csv";
    WriteRegions(regions_, /*with_added_desa=*/false);
    server_ = std::make_unique<ServerProcess>(
        dir_.path() + "/server",
        std::vector<std::string>{"--seed_region=62.10", "--regions_file=" + regions_});
    ASSERT_TRUE(server_->Start().ok()) << server_->Stderr();
  }

  mobile::SyncReport Sync(Device& device) {
    auto report = device.Sync(mobile::SyncOptions(), nullptr);
    EXPECT_TRUE(report.ok()) << report.status();
    return report.ok() ? *report : mobile::SyncReport();
  }

  std::string regions_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(KecamatanScopeTest, KawalAdminAcceptsAKecamatanAndRefusesAKabupatenNamingTheRule) {
  ASSERT_OK_AND_ASSIGN(auto added, server_->RunAdmin({"user", "add", "--name=pd",
                                                      "--role=facilitator",
                                                      "--scopes=62.10.01"}));
  EXPECT_EQ(added.first, 0) << added.second;
  EXPECT_THAT(added.second, HasSubstr("62.10.01 (kecamatan: every desa in it)"));
  ASSERT_OK_AND_ASSIGN(auto listed, server_->RunAdmin({"user", "list"}));
  EXPECT_EQ(listed.first, 0) << listed.second;
  EXPECT_THAT(listed.second, HasSubstr("62.10.01"));

  ASSERT_OK_AND_ASSIGN(auto refused, server_->RunAdmin({"user", "add", "--name=pd2",
                                                        "--role=facilitator",
                                                        "--scopes=62.10"}));
  EXPECT_EQ(refused.first, 1) << refused.second;
  EXPECT_THAT(refused.second, HasSubstr("INVALID_ARGUMENT"));
  EXPECT_THAT(refused.second, HasSubstr("\"62.10\" is a kabupaten code"));
  EXPECT_THAT(refused.second, HasSubstr("district_officer"));
}

TEST_F(KecamatanScopeTest, SyncsEveryDesaOfItsKecamatanIncludingOneAddedLater) {
  ASSERT_OK_AND_ASSIGN(auto added, server_->RunAdmin({"user", "add", "--name=pd",
                                                      "--role=facilitator",
                                                      "--scopes=62.10.01"}));
  ASSERT_EQ(added.first, 0) << added.second;
  const std::string token = TokenIn(added.second);
  ASSERT_EQ(token.size(), 68u) << added.second;
  ASSERT_OK_AND_ASSIGN(auto phone, OpenDevice("phone", server_->address(), token));

  // The seeded villages of the kecamatan arrive; the neighbour's do not.
  Sync(*phone);
  EXPECT_TRUE(phone->Get(sync::kVillage, kListedDesa).ok());
  EXPECT_FALSE(phone->Get(sync::kVillage, kOtherKecamatanDesa).ok());
  ASSERT_OK_AND_ASSIGN(auto status, phone->Status());
  EXPECT_EQ(status.scopes, std::vector<std::string>{kKecamatan});

  // A desa of the kecamatan: written and synced. Another kecamatan's desa:
  // refused with a reason that names the desa, the data kept on the phone.
  ASSERT_OK_AND_ASSIGN(std::string inside, phone->Create("activity", kListedDesa,
                                                         Activity("Jalan usaha tani")));
  ASSERT_OK_AND_ASSIGN(std::string outside, phone->Create("activity", kOtherKecamatanDesa,
                                                          Activity("Di kecamatan lain")));
  mobile::SyncReport report = Sync(*phone);
  EXPECT_EQ(report.rejected, 1u);
  ASSERT_OK_AND_ASSIGN(bool inside_pending, phone->IsPending("activity", inside));
  EXPECT_FALSE(inside_pending);
  ASSERT_OK_AND_ASSIGN(auto rejections, phone->Rejections());
  ASSERT_EQ(rejections.size(), 1u);
  EXPECT_EQ(rejections[0].id, outside);
  EXPECT_EQ(rejections[0].reason, "SCOPE_DENIED");
  EXPECT_THAT(rejections[0].message, HasSubstr(kOtherKecamatanDesa));
  EXPECT_THAT(rejections[0].message, HasSubstr("may not write"));

  // The region list grows by a desa (pemekaran); the server is restarted
  // with it and seeds it. The user is untouched.
  ASSERT_OK_AND_ASSIGN(int stopped, server_->Stop());
  ASSERT_EQ(stopped, 0);
  WriteRegions(regions_, /*with_added_desa=*/true);
  ASSERT_TRUE(server_->Start().ok()) << server_->Stderr();
  ASSERT_TRUE(phone->Configure(server_->address(), "").ok());

  // The new desa's own Pendamping Lokal Desa records an activity there.
  std::string pld_token;
  grpc::Status made = AdminClient(*server_).AddUser("pld", v1::FACILITATOR, {kAddedLaterDesa},
                                                    &pld_token);
  ASSERT_TRUE(made.ok()) << made.error_message();
  ASSERT_OK_AND_ASSIGN(auto other_phone, OpenDevice("pld", server_->address(), pld_token));
  ASSERT_OK_AND_ASSIGN(std::string from_pld, other_phone->Create("activity", kAddedLaterDesa,
                                                                 Activity("Balai desa baru")));
  EXPECT_EQ(Sync(*other_phone).rejected, 0u);

  // The phone receives the new village and that activity, and may write there.
  Sync(*phone);
  ASSERT_OK_AND_ASSIGN(auto village, phone->Get(sync::kVillage, kAddedLaterDesa));
  EXPECT_EQ(village.scope, kAddedLaterDesa);
  ASSERT_OK_AND_ASSIGN(auto received, phone->Get("activity", from_pld));
  EXPECT_EQ(received.scope, kAddedLaterDesa);
  ASSERT_OK_AND_ASSIGN(std::string mine, phone->Create("activity", kAddedLaterDesa,
                                                       Activity("Sumur bor")));
  report = Sync(*phone);
  EXPECT_EQ(report.rejected, 0u);
  ASSERT_OK_AND_ASSIGN(bool mine_pending, phone->IsPending("activity", mine));
  EXPECT_FALSE(mine_pending);
}

}  // namespace
}  // namespace kawal::testing
