// Tests the dashboard login pieces of the server: Argon2id password hashes
// (store/password_hash.h), sessions in the UserStore (user_sessions.cc,
// against a real RocksDB in a temporary directory) and LoginThrottle.
#include <atomic>
#include <filesystem>
#include <memory>
#include <string>
#include <unistd.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "kawal/sync/sha256.h"
#include "service/login_throttle.h"
#include "service/session_service.h"
#include "status_assert.h"
#include "store/password_hash.h"
#include "store/storage_keys.h"
#include "store/user_store.h"

namespace kawal::server {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

TEST(PasswordHashTest, HashesAsArgon2idAndVerifies) {
  absl::StatusOr<std::string> hash = HashPassword("correct horse battery");
  ASSERT_TRUE(hash.ok()) << hash.status();
  EXPECT_THAT(*hash, StartsWith("$argon2id$v=19$m=19456,t=2,p=1$"));
  EXPECT_THAT(*hash, Not(HasSubstr("correct horse")));
  EXPECT_TRUE(VerifyPassword("correct horse battery", *hash));
  EXPECT_FALSE(VerifyPassword("correct horse batterY", *hash));
  EXPECT_FALSE(VerifyPassword("", *hash));
}

TEST(PasswordHashTest, SaltsEveryHash) {
  absl::StatusOr<std::string> a = HashPassword("same password");
  absl::StatusOr<std::string> b = HashPassword("same password");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
  EXPECT_TRUE(VerifyPassword("same password", *b));
}

TEST(PasswordHashTest, RefusesWeakOrMalformedPasswordsWithoutQuotingThem) {
  absl::StatusOr<std::string> short_one = HashPassword("abc1234");
  EXPECT_EQ(short_one.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(short_one.status().message()), HasSubstr("at least 8"));
  EXPECT_THAT(std::string(short_one.status().message()), Not(HasSubstr("abc1234")));
  EXPECT_FALSE(HashPassword("line\nbreak!!").ok());
  EXPECT_FALSE(HashPassword(std::string(kMaxPasswordLength + 1, 'x')).ok());
}

TEST(PasswordHashTest, MalformedEncodedHashNeverVerifies) {
  EXPECT_FALSE(VerifyPassword("anything at all", ""));
  EXPECT_FALSE(VerifyPassword("anything at all", "$argon2id$garbage"));
}

TEST(PasswordHashTest, RandomPasswordsAreLongAndDiffer) {
  const std::string a = NewRandomPassword();
  EXPECT_EQ(a.size(), 24u);
  EXPECT_NE(a, NewRandomPassword());
  EXPECT_TRUE(ValidatePassword(a).ok());
}

class SessionStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    dir_ = absl::StrCat(::testing::TempDir(), "/session_store_test_", getpid(), "_", counter++);
    std::filesystem::remove_all(dir_);
    absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(dir_);
    ASSERT_TRUE(db.ok()) << db.status();
    database_ = *std::move(db);
    users_ = std::make_unique<UserStore>(database_.get());
    ASSERT_TRUE(users_->Add("siti", v1::DISTRICT_OFFICER, {"62.10"}).ok());
    ASSERT_TRUE(users_->SetPassword("siti", "rahasia-siti-1").ok());
  }
  void TearDown() override {
    users_.reset();
    database_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::string DumpDatabase() {
    std::string all;
    std::unique_ptr<rocksdb::Iterator> it(database_->db()->NewIterator(rocksdb::ReadOptions()));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      absl::StrAppend(&all, it->key().ToString(), "\n", it->value().ToString(), "\n");
    }
    return all;
  }

  std::string dir_;
  std::unique_ptr<Database> database_;
  std::unique_ptr<UserStore> users_;
};

TEST_F(SessionStoreTest, CheckPasswordGivesOneAnswerForEveryFailure) {
  ASSERT_OK_AND_ASSIGN(Caller siti, users_->CheckPassword("siti", "rahasia-siti-1"));
  EXPECT_EQ(siti.name, "siti");
  EXPECT_EQ(siti.role, v1::DISTRICT_OFFICER);
  ASSERT_TRUE(users_->Add("tanpa", v1::DISTRICT_OFFICER, {"62.10"}).ok());  // no password
  for (auto [name, password] : std::vector<std::pair<std::string, std::string>>{
           {"siti", "salah-sekali"}, {"nobody", "rahasia-siti-1"}, {"tanpa", "apa-saja-123"}}) {
    absl::StatusOr<Caller> refused = users_->CheckPassword(name, password);
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnauthenticated) << name;
    EXPECT_EQ(refused.status().message(), "wrong user name or password") << name;
  }
}

TEST_F(SessionStoreTest, SessionTokenAuthenticatesAndIsHashedAtRest) {
  auto started = users_->StartSession("siti", kSessionTtlMs);
  ASSERT_TRUE(started.ok()) << started.status();
  const std::string& token = started->second;
  EXPECT_THAT(token, StartsWith("ks1_"));
  EXPECT_EQ(token.size(), 68u);
  ASSERT_OK_AND_ASSIGN(Caller caller, users_->Authenticate(token));
  EXPECT_EQ(caller.name, "siti");
  EXPECT_EQ(caller.scopes, std::vector<std::string>{"62.10"});
  EXPECT_EQ(caller.session_expires_ms, started->first.expires_ms());
  const std::string dump = DumpDatabase();
  EXPECT_THAT(dump, Not(HasSubstr(token)));
  EXPECT_THAT(dump, Not(HasSubstr(token.substr(4))));
  EXPECT_THAT(dump, HasSubstr(SessionKey(sync::Sha256Hex(token))));
  EXPECT_THAT(dump, Not(HasSubstr("rahasia-siti-1")));
}

TEST_F(SessionStoreTest, LogoutEndsOnlyThatSession) {
  auto first = users_->StartSession("siti", kSessionTtlMs);
  auto second = users_->StartSession("siti", kSessionTtlMs);
  ASSERT_TRUE(first.ok() && second.ok());
  ASSERT_OK(users_->EndSession(first->second));
  EXPECT_EQ(users_->Authenticate(first->second).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_TRUE(users_->Authenticate(second->second).ok());
  EXPECT_OK(users_->EndSession(first->second));  // twice is fine
}

TEST_F(SessionStoreTest, ExpiredSessionIsRefused) {
  auto started = users_->StartSession("siti", /*ttl_ms=*/-10);
  ASSERT_TRUE(started.ok());
  absl::StatusOr<Caller> refused = users_->Authenticate(started->second);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(std::string(refused.status().message()), HasSubstr("expired"));
}

TEST_F(SessionStoreTest, ANewLoginDeletesExpiredSessions) {
  auto expired = users_->StartSession("siti", /*ttl_ms=*/-10);
  auto alive = users_->StartSession("siti", kSessionTtlMs);
  ASSERT_TRUE(expired.ok() && alive.ok());
  EXPECT_THAT(DumpDatabase(), Not(HasSubstr(SessionKey(sync::Sha256Hex(expired->second)))));
  EXPECT_THAT(DumpDatabase(), HasSubstr(SessionKey(sync::Sha256Hex(alive->second))));
  EXPECT_TRUE(users_->Authenticate(alive->second).ok());
}

TEST_F(SessionStoreTest, RevokingOrChangingPasswordEndsSessions) {
  auto before = users_->StartSession("siti", kSessionTtlMs);
  ASSERT_TRUE(before.ok());
  ASSERT_TRUE(users_->SetPassword("siti", "kata-sandi-baru").ok());
  EXPECT_FALSE(users_->Authenticate(before->second).ok());
  EXPECT_FALSE(users_->CheckPassword("siti", "rahasia-siti-1").ok());
  EXPECT_TRUE(users_->CheckPassword("siti", "kata-sandi-baru").ok());
  auto after = users_->StartSession("siti", kSessionTtlMs);
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(users_->Authenticate(after->second).ok());
  ASSERT_TRUE(users_->Revoke("siti").ok());
  EXPECT_FALSE(users_->Authenticate(after->second).ok());
  EXPECT_EQ(users_->SetPassword("siti", "lagi-lagi-123").status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(SessionStoreTest, DeviceTokensKeepWorking) {
  auto added = users_->Add("ana", v1::FACILITATOR, {"62.10.01.2001"});
  ASSERT_TRUE(added.ok());
  ASSERT_TRUE(users_->SetPassword("ana", "pendamping-ana").ok());
  EXPECT_TRUE(users_->Authenticate(added->second).ok());
  absl::StatusOr<Caller> device = users_->Authenticate(added->second);
  EXPECT_EQ(device->session_expires_ms, 0);
}

TEST_F(SessionStoreTest, MalformedSessionTokenIsRefusedWithoutEcho) {
  absl::StatusOr<Caller> refused = users_->Authenticate("ks1_<script>");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(std::string(refused.status().message()), Not(HasSubstr("<script>")));
}

TEST(LoginThrottleTest, LocksAUserAfterTooManyFailuresInTheWindow) {
  LoginThrottle throttle(LoginThrottleLimits{3, 10, 60000, 300000});
  const int64_t t0 = 1'000'000;
  for (int i = 0; i < 2; ++i) throttle.RecordFailure("siti", "10.0.0.1", t0 + i);
  EXPECT_OK(throttle.Check("siti", "10.0.0.1", t0 + 10));
  throttle.RecordFailure("siti", "10.0.0.1", t0 + 20);
  absl::Status locked = throttle.Check("siti", "10.0.0.9", t0 + 30);
  EXPECT_EQ(locked.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(std::string(locked.message()), HasSubstr("try again in 5 minutes"));
  EXPECT_OK(throttle.Check("budi", "10.0.0.9", t0 + 30));  // other users are not locked
  EXPECT_OK(throttle.Check("siti", "10.0.0.1", t0 + 20 + 300000));  // lockout over
}

TEST(LoginThrottleTest, ForgetsFailuresOutsideTheWindowAndOnSuccess) {
  LoginThrottle throttle(LoginThrottleLimits{3, 10, 60000, 300000});
  throttle.RecordFailure("siti", "", 0);
  throttle.RecordFailure("siti", "", 1);
  throttle.RecordFailure("siti", "", 70000);  // the window restarted
  EXPECT_OK(throttle.Check("siti", "", 70001));
  throttle.RecordFailure("siti", "", 70002);
  throttle.RecordSuccess("siti");
  throttle.RecordFailure("siti", "", 70003);
  EXPECT_OK(throttle.Check("siti", "", 70004));
}

TEST(LoginThrottleTest, LocksAnAddressTryingManyNames) {
  LoginThrottle throttle(LoginThrottleLimits{3, 4, 60000, 300000});
  for (int i = 0; i < 4; ++i) throttle.RecordFailure(absl::StrCat("user", i), "10.0.0.7", i);
  EXPECT_EQ(throttle.Check("fresh", "10.0.0.7", 10).code(), absl::StatusCode::kResourceExhausted);
  EXPECT_OK(throttle.Check("fresh", "10.0.0.8", 10));
}

TEST(PeerHostTest, StripsFamilyAndPort) {
  EXPECT_EQ(PeerHost("ipv4:127.0.0.1:5000"), "127.0.0.1");
  EXPECT_EQ(PeerHost("ipv6:[::1]:5000"), "::1");
  EXPECT_EQ(PeerHost("unix:/tmp/x"), "unix:/tmp/x");
}

}  // namespace
}  // namespace kawal::server
