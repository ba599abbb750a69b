// Tests server/store/user_store.cc: users, roles, scope checks and bearer
// tokens against a real RocksDB in a temporary directory.
#include "store/user_store.h"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <set>
#include <string>
#include <unistd.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "kawal/sync/sha256.h"
#include "status_assert.h"
#include "store/storage_keys.h"

namespace kawal::server {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class UserStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = absl::StrCat(::testing::TempDir(), "/user_store_test_", getpid(), "_", info->name(),
                        "_", counter++);
    std::filesystem::remove_all(dir_);
    absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(dir_);
    ASSERT_TRUE(db.ok()) << db.status();
    database_ = *std::move(db);
    users_ = std::make_unique<UserStore>(database_.get());
  }

  void TearDown() override {
    users_.reset();
    database_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Adds a user and returns its token; fails the test on error.
  std::string MustAdd(const std::string& name, v1::Role role, std::vector<std::string> scopes) {
    auto added = users_->Add(name, role, scopes);
    EXPECT_TRUE(added.ok()) << added.status();
    return added.ok() ? added->second : "";
  }

  // Every key and value in the database, concatenated.
  std::string DumpDatabase() {
    std::string all;
    std::unique_ptr<rocksdb::Iterator> it(database_->db()->NewIterator(rocksdb::ReadOptions()));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      absl::StrAppend(&all, it->key().ToString(), "\n", it->value().ToString(), "\n");
    }
    EXPECT_TRUE(it->status().ok()) << it->status().ToString();
    return all;
  }

  std::string dir_;
  std::unique_ptr<Database> database_;
  std::unique_ptr<UserStore> users_;
};

TEST_F(UserStoreTest, AddThenAuthenticateReturnsTheCaller) {
  auto added = users_->Add("ana", v1::FACILITATOR, {"62.10.01.2001", "62.10.01.2002"});
  ASSERT_TRUE(added.ok()) << added.status();
  EXPECT_EQ(added->first.name(), "ana");
  EXPECT_EQ(added->first.role(), v1::FACILITATOR);
  EXPECT_EQ(added->first.token_hash(), sync::Sha256Hex(added->second));
  EXPECT_GT(added->first.created_ms(), 0);

  absl::StatusOr<Caller> caller = users_->Authenticate(added->second);
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->name, "ana");
  EXPECT_EQ(caller->role, v1::FACILITATOR);
  EXPECT_THAT(caller->scopes, ::testing::ElementsAre("62.10.01.2001", "62.10.01.2002"));
}

TEST_F(UserStoreTest, ListReturnsUsersByNameAndCountMatches) {
  MustAdd("budi", v1::DISTRICT_OFFICER, {"62.10"});
  MustAdd("ana", v1::FACILITATOR, {"62.10.01.2001"});
  MustAdd("admin", v1::ADMIN, {});
  auto list = users_->List();
  ASSERT_TRUE(list.ok()) << list.status();
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[0].name(), "admin");
  EXPECT_EQ((*list)[1].name(), "ana");
  EXPECT_EQ((*list)[2].name(), "budi");
  EXPECT_EQ((*list)[2].role(), v1::DISTRICT_OFFICER);
  auto count = users_->Count();
  ASSERT_TRUE(count.ok()) << count.status();
  EXPECT_EQ(*count, 3u);
}

TEST_F(UserStoreTest, DuplicateNameIsAlreadyExists) {
  MustAdd("ana", v1::FACILITATOR, {"62.10.01.2001"});
  auto again = users_->Add("ana", v1::ADMIN, {});
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(std::string(again.status().message()), HasSubstr("ana"));
}

TEST_F(UserStoreTest, BadNamesAreInvalidArgument) {
  for (const std::string& name : {std::string(""), std::string("Ana"), std::string("a b"),
                                  std::string("ana/x"), std::string(65, 'a')}) {
    auto added = users_->Add(name, v1::ADMIN, {});
    EXPECT_EQ(added.status().code(), absl::StatusCode::kInvalidArgument) << name;
  }
  EXPECT_TRUE(users_->Add(std::string(64, 'a'), v1::ADMIN, {}).ok());
  EXPECT_TRUE(users_->Add("a.b_c-9", v1::ADMIN, {}).ok());
}

TEST_F(UserStoreTest, BadScopesAreInvalidArgumentNamingTheScope) {
  // A facilitator's scope is a kecamatan or desa code; a kabupaten is a
  // district officer's, and the refusal names the rule.
  auto kabupaten = users_->Add("ana", v1::FACILITATOR, {"62.10.01.2001", "62.10"});
  EXPECT_EQ(kabupaten.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(kabupaten.status().message()), HasSubstr("\"62.10\" is a kabupaten"));
  EXPECT_THAT(std::string(kabupaten.status().message()), HasSubstr("kecamatan codes (PP.KK.CC"));
  EXPECT_THAT(std::string(kabupaten.status().message()), HasSubstr("district_officer"));
  auto province = users_->Add("ana", v1::FACILITATOR, {"62"});
  EXPECT_EQ(province.status().code(), absl::StatusCode::kInvalidArgument);
  auto malformed = users_->Add("ana", v1::FACILITATOR, {"62.10.1"});
  EXPECT_EQ(malformed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(malformed.status().message()), HasSubstr("62.10.1"));

  auto garbage = users_->Add("budi", v1::DISTRICT_OFFICER, {"62.x"});
  EXPECT_EQ(garbage.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(garbage.status().message()), HasSubstr("62.x"));

  EXPECT_EQ(users_->Add("cici", v1::FACILITATOR, {}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(users_->Add("dedi", v1::DISTRICT_OFFICER, {}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(users_->Add("eko", v1::ROLE_UNSPECIFIED, {}).status().code(),
            absl::StatusCode::kInvalidArgument);
  // Nothing was stored by the failed adds.
  EXPECT_THAT(users_->Count(), kawal::testing::IsOkAndHolds(0u));
}

TEST_F(UserStoreTest, RevokedTokenFailsAtOnceAndUserStaysListed) {
  const std::string token = MustAdd("ana", v1::FACILITATOR, {"62.10.01.2001"});
  auto revoked = users_->Revoke("ana");
  ASSERT_TRUE(revoked.ok()) << revoked.status();
  EXPECT_TRUE(revoked->revoked());

  absl::StatusOr<Caller> caller = users_->Authenticate(token);
  EXPECT_EQ(caller.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(std::string(caller.status().message()), Not(HasSubstr(token)));

  auto list = users_->List();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_TRUE((*list)[0].revoked());
  // Revoking twice is harmless; rotating a revoked user is refused.
  EXPECT_TRUE(users_->Revoke("ana").ok());
  EXPECT_EQ(users_->Rotate("ana").status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(UserStoreTest, RotateReplacesTheToken) {
  const std::string old_token = MustAdd("ana", v1::FACILITATOR, {"62.10.01.2001"});
  auto rotated = users_->Rotate("ana");
  ASSERT_TRUE(rotated.ok()) << rotated.status();
  EXPECT_NE(rotated->second, old_token);
  EXPECT_EQ(users_->Authenticate(old_token).status().code(), absl::StatusCode::kUnauthenticated);
  absl::StatusOr<Caller> caller = users_->Authenticate(rotated->second);
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->name, "ana");
}

TEST_F(UserStoreTest, UnknownUserIsNotFound) {
  EXPECT_EQ(users_->Revoke("nobody").status().code(), absl::StatusCode::kNotFound);
  auto rotated = users_->Rotate("nobody");
  EXPECT_EQ(rotated.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(rotated.status().message()), HasSubstr("nobody"));
}

TEST_F(UserStoreTest, UnknownOrMalformedTokensAreUnauthenticatedWithoutEchoingThem) {
  MustAdd("ana", v1::FACILITATOR, {"62.10.01.2001"});
  const std::string unknown = NewToken();
  for (const std::string& token : {unknown, std::string("kd1_secret-guess"), std::string("")}) {
    absl::StatusOr<Caller> caller = users_->Authenticate(token);
    EXPECT_EQ(caller.status().code(), absl::StatusCode::kUnauthenticated);
    if (!token.empty()) {
      EXPECT_THAT(std::string(caller.status().message()), Not(HasSubstr(token)));
    }
  }
}

TEST_F(UserStoreTest, TokensCarryAtLeast128RandomBits) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string token = NewToken();
    ASSERT_TRUE(absl::StartsWith(token, "kd1_")) << token;
    const std::string hex = token.substr(4);
    EXPECT_EQ(hex.size(), 64u);  // 256 bits
    EXPECT_GE(hex.size() * 4, 128u);
    EXPECT_EQ(hex.find_first_not_of("0123456789abcdef"), std::string::npos) << token;
    EXPECT_TRUE(seen.insert(token).second) << "repeated token";
  }
}

TEST_F(UserStoreTest, OnlyTheTokenHashIsStored) {
  const std::string token = MustAdd("ana", v1::FACILITATOR, {"62.10.01.2001"});
  auto rotated = users_->Rotate("ana");
  ASSERT_TRUE(rotated.ok());
  const std::string admin_token = MustAdd("admin", v1::ADMIN, {});
  const std::string all = DumpDatabase();
  for (const std::string& t : {token, rotated->second, admin_token}) {
    EXPECT_EQ(all.find(t), std::string::npos) << "a token is stored in plain text";
    EXPECT_EQ(all.find(t.substr(4)), std::string::npos) << "a token's hex is stored";
  }
  // The current hash is there, under the token family.
  std::string name;
  ASSERT_TRUE(database_->db()
                  ->Get(rocksdb::ReadOptions(), TokenKey(sync::Sha256Hex(rotated->second)), &name)
                  .ok());
  EXPECT_EQ(name, "ana");

  // Nor in any file on disk (WAL, SST, manifest) after a flush.
  users_.reset();
  ASSERT_TRUE(database_->Close().ok());
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (const std::string& t : {token, rotated->second, admin_token}) {
      EXPECT_EQ(bytes.find(t.substr(4)), std::string::npos) << "token in " << entry.path();
    }
  }
}

TEST_F(UserStoreTest, FacilitatorWritesAndReadsOnlyItsVillages) {
  Caller ana{"ana", v1::FACILITATOR, {"62.10.01.2001", "62.10.01.2002"}};
  EXPECT_TRUE(CanWriteScope(ana, "62.10.01.2001"));
  EXPECT_TRUE(CanWriteScope(ana, "62.10.01.2002"));
  EXPECT_FALSE(CanWriteScope(ana, "62.10.01.2003"));
  EXPECT_TRUE(CanReadScope(ana, "62.10.01.2001"));
  EXPECT_FALSE(CanReadScope(ana, "62.10.01.2003"));
  // Not the kecamatan around its villages: that holds other villages too.
  EXPECT_FALSE(CanReadScope(ana, "62.10.01"));
  EXPECT_FALSE(CanReadScope(ana, "62"));
}

TEST_F(UserStoreTest, KecamatanFacilitatorWritesAndReadsEveryDesaOfItsKecamatan) {
  const std::string token = MustAdd("pd", v1::FACILITATOR, {"62.10.01", "62.10.03.2001"});
  absl::StatusOr<Caller> pd = users_->Authenticate(token);
  ASSERT_TRUE(pd.ok()) << pd.status();
  EXPECT_EQ(pd->scopes, (std::vector<std::string>{"62.10.01", "62.10.03.2001"}));
  // Any desa code under the kecamatan, listed in the region file or not:
  // the scope is a prefix, not a list expanded when the user was made.
  EXPECT_TRUE(CanWriteScope(*pd, "62.10.01.2001"));
  EXPECT_TRUE(CanWriteScope(*pd, "62.10.01.2999"));
  EXPECT_TRUE(CanWriteScope(*pd, "62.10.03.2001"));
  EXPECT_FALSE(CanWriteScope(*pd, "62.10.02.2003"));
  EXPECT_FALSE(CanWriteScope(*pd, "62.10.03.2002"));
  // Records keep a desa scope: the kecamatan itself is no record scope.
  EXPECT_FALSE(CanWriteScope(*pd, "62.10.01"));
  EXPECT_TRUE(CanReadScope(*pd, "62.10.01"));
  EXPECT_TRUE(CanReadScope(*pd, "62.10.01.2005"));
  EXPECT_TRUE(CanReadScope(*pd, "62.10.03.2001"));
  EXPECT_FALSE(CanReadScope(*pd, "62.10.03"));  // only one desa of that kecamatan
  EXPECT_FALSE(CanReadScope(*pd, "62.10"));
  EXPECT_FALSE(CanReadScope(*pd, "62.10.02.2003"));
}

TEST_F(UserStoreTest, OfficerReadsUnderItsPrefixesAndNeverWrites) {
  const std::string token = MustAdd("budi", v1::DISTRICT_OFFICER, {"62.10", "63.01.02"});
  absl::StatusOr<Caller> budi = users_->Authenticate(token);
  ASSERT_TRUE(budi.ok()) << budi.status();
  EXPECT_TRUE(CanReadScope(*budi, "62.10"));
  EXPECT_TRUE(CanReadScope(*budi, "62.10.01"));
  EXPECT_TRUE(CanReadScope(*budi, "62.10.01.2001"));
  EXPECT_TRUE(CanReadScope(*budi, "63.01.02.2005"));
  EXPECT_FALSE(CanReadScope(*budi, "63.01.03.2005"));
  EXPECT_FALSE(CanReadScope(*budi, "62.11.01.2001"));
  EXPECT_FALSE(CanReadScope(*budi, "62"));  // wider than its prefix
  EXPECT_FALSE(CanReadScope(*budi, "not-a-code"));
  EXPECT_FALSE(CanWriteScope(*budi, "62.10.01.2001"));
}

TEST_F(UserStoreTest, AdminReadsEverythingAndWritesAnyValidVillage) {
  Caller admin{"admin", v1::ADMIN, {}};
  EXPECT_TRUE(CanReadScope(admin, "62"));
  EXPECT_TRUE(CanReadScope(admin, "11.01.01.2001"));
  EXPECT_TRUE(CanWriteScope(admin, "11.01.01.2001"));
  EXPECT_FALSE(CanWriteScope(admin, "62.10"));  // not a desa
  EXPECT_FALSE(CanWriteScope(admin, "garbage"));
}

TEST_F(UserStoreTest, RoleNames) {
  EXPECT_EQ(RoleName(v1::FACILITATOR), "facilitator");
  EXPECT_EQ(RoleName(v1::DISTRICT_OFFICER), "district_officer");
  EXPECT_EQ(RoleName(v1::ADMIN), "admin");
  EXPECT_EQ(RoleName(v1::ROLE_UNSPECIFIED), "unspecified");
}

TEST_F(UserStoreTest, UsersAndTokensSurviveReopen) {
  const std::string token = MustAdd("ana", v1::FACILITATOR, {"62.10.01.2001"});
  users_.reset();
  ASSERT_TRUE(database_->Close().ok());
  database_.reset();
  auto db = Database::Open(dir_);
  ASSERT_TRUE(db.ok()) << db.status();
  database_ = *std::move(db);
  users_ = std::make_unique<UserStore>(database_.get());
  absl::StatusOr<Caller> caller = users_->Authenticate(token);
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->name, "ana");
}

}  // namespace
}  // namespace kawal::server
