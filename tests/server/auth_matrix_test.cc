// The auth matrix of kawal-server against the real binary: every RPC of
// SyncService and AdminService, called by every kind of caller (each role,
// and every way a bearer token can be missing or wrong), in and out of scope.
// One server serves the whole suite; each case uses its own record ids and
// user names, so the cases do not depend on each other's order.
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "kawal/sync/clock.h"
#include "kawal/sync/region.h"
#include "server_process.h"
#include "test_client.h"

namespace kawal::testing {
namespace {

constexpr char kOwnDesa[] = "62.10.01.2001";    // the facilitator's desa
constexpr char kOtherDesa[] = "62.10.02.2001";  // outside every non-admin scope
constexpr char kOfficerPrefix[] = "62.10.01";   // the officer's kecamatan
// Another desa of kOfficerPrefix: the kecamatan facilitator's, not the
// desa facilitator's.
constexpr char kNeighbourDesa[] = "62.10.01.2002";
constexpr char kKabupaten[] = "62.10";          // encloses the officer's prefix
constexpr uint64_t kDevice = 0xA17;

// Who calls.
enum class Who {
  kFacilitator,      // facilitator of kOwnDesa
  kKecamatanFacilitator,  // facilitator (Pendamping Desa) of kecamatan kOfficerPrefix
  kOfficer,          // district officer with prefix kOfficerPrefix
  kAdmin,            // the admin token written at first start
  kNoToken,          // no "authorization" metadata at all
  kMalformedHeader,  // a real token under a scheme other than "Bearer"
  kMalformedToken,   // "Bearer" followed by something that is no token
  kUnknownToken,     // well-formed, never issued
  kRevokedToken,     // a facilitator's token after RevokeUser
  kOldToken,         // a facilitator's token after RotateToken replaced it
};

const char* WhoName(Who who) {
  switch (who) {
    case Who::kFacilitator: return "facilitator";
    case Who::kKecamatanFacilitator: return "kecamatan_facilitator";
    case Who::kOfficer: return "officer";
    case Who::kAdmin: return "admin";
    case Who::kNoToken: return "no_token";
    case Who::kMalformedHeader: return "malformed_header";
    case Who::kMalformedToken: return "malformed_token";
    case Who::kUnknownToken: return "unknown_token";
    case Who::kRevokedToken: return "revoked_token";
    case Who::kOldToken: return "rotated_away_token";
  }
  return "?";
}

enum class Rpc { kHandshake, kPush, kPull, kAddUser, kListUsers, kRevokeUser, kRotateToken, kStats };

const char* RpcName(Rpc rpc) {
  switch (rpc) {
    case Rpc::kHandshake: return "Handshake";
    case Rpc::kPush: return "Push";
    case Rpc::kPull: return "Pull";
    case Rpc::kAddUser: return "AddUser";
    case Rpc::kListUsers: return "ListUsers";
    case Rpc::kRevokeUser: return "RevokeUser";
    case Rpc::kRotateToken: return "RotateToken";
    case Rpc::kStats: return "Stats";
  }
  return "?";
}

// One cell of the matrix.
struct Case {
  std::string name;
  Who caller;
  Rpc rpc;
  // Push: the desa the record belongs to. Pull: the requested scopes.
  std::vector<std::string> scope;
  grpc::StatusCode code;
  // Push answered OK: REJECT_REASON_UNSPECIFIED means the record must be
  // applied, anything else the per-record rejection expected.
  v1::RejectReason reason = v1::REJECT_REASON_UNSPECIFIED;
};

// How a caller authenticates: the "authorization" value sent (none when
// absent) and the secret that no error message may echo.
struct Credentials {
  std::optional<std::string> header;
  std::string secret;
};

using Code = grpc::StatusCode;

// Every RPC variant for a caller whose credentials are refused.
std::vector<Case> RefusedEverywhere(Who who) {
  const std::string n = WhoName(who);
  const Code u = Code::UNAUTHENTICATED;
  return {
      {n + "/Handshake", who, Rpc::kHandshake, {}, u},
      {n + "/Push own desa", who, Rpc::kPush, {kOwnDesa}, u},
      {n + "/Push other desa", who, Rpc::kPush, {kOtherDesa}, u},
      {n + "/Pull own desa", who, Rpc::kPull, {kOwnDesa}, u},
      {n + "/Pull other desa", who, Rpc::kPull, {kOtherDesa}, u},
      {n + "/Pull kecamatan", who, Rpc::kPull, {kOfficerPrefix}, u},
      {n + "/Pull kabupaten", who, Rpc::kPull, {kKabupaten}, u},
      {n + "/Pull all", who, Rpc::kPull, {}, u},
      {n + "/AddUser", who, Rpc::kAddUser, {}, u},
      {n + "/ListUsers", who, Rpc::kListUsers, {}, u},
      {n + "/RevokeUser", who, Rpc::kRevokeUser, {}, u},
      {n + "/RotateToken", who, Rpc::kRotateToken, {}, u},
      {n + "/Stats", who, Rpc::kStats, {}, u},
  };
}

std::vector<Case> Table() {
  const Code ok = Code::OK, denied = Code::PERMISSION_DENIED;
  const Who f = Who::kFacilitator, k = Who::kKecamatanFacilitator, o = Who::kOfficer,
            a = Who::kAdmin;
  std::vector<Case> cases = {
      // Facilitator: writes and reads exactly its desa; no admin RPCs.
      {"facilitator/Handshake", f, Rpc::kHandshake, {}, ok},
      {"facilitator/Push own desa", f, Rpc::kPush, {kOwnDesa}, ok},
      {"facilitator/Push other desa", f, Rpc::kPush, {kOtherDesa}, ok, v1::SCOPE_DENIED},
      {"facilitator/Pull own desa", f, Rpc::kPull, {kOwnDesa}, ok},
      {"facilitator/Pull all own scopes", f, Rpc::kPull, {}, ok},
      {"facilitator/Pull other desa", f, Rpc::kPull, {kOtherDesa}, denied},
      {"facilitator/Pull own and other desa", f, Rpc::kPull, {kOwnDesa, kOtherDesa}, denied},
      {"facilitator/Pull its kecamatan", f, Rpc::kPull, {kOfficerPrefix}, denied},
      {"facilitator/Pull kabupaten", f, Rpc::kPull, {kKabupaten}, denied},
      {"facilitator/AddUser", f, Rpc::kAddUser, {}, denied},
      {"facilitator/ListUsers", f, Rpc::kListUsers, {}, denied},
      {"facilitator/RevokeUser", f, Rpc::kRevokeUser, {}, denied},
      {"facilitator/RotateToken", f, Rpc::kRotateToken, {}, denied},
      {"facilitator/Stats", f, Rpc::kStats, {}, denied},
      {"facilitator/Push neighbour desa", f, Rpc::kPush, {kNeighbourDesa}, ok, v1::SCOPE_DENIED},
      {"facilitator/Pull neighbour desa", f, Rpc::kPull, {kNeighbourDesa}, denied},
      // Kecamatan facilitator: every desa of its kecamatan, by prefix.
      {"kecamatan_facilitator/Handshake", k, Rpc::kHandshake, {}, ok},
      {"kecamatan_facilitator/Push desa in kecamatan", k, Rpc::kPush, {kOwnDesa}, ok},
      {"kecamatan_facilitator/Push neighbour desa", k, Rpc::kPush, {kNeighbourDesa}, ok},
      {"kecamatan_facilitator/Push other kecamatan's desa", k, Rpc::kPush, {kOtherDesa}, ok,
       v1::SCOPE_DENIED},
      {"kecamatan_facilitator/Pull its kecamatan", k, Rpc::kPull, {kOfficerPrefix}, ok},
      {"kecamatan_facilitator/Pull desa in kecamatan", k, Rpc::kPull, {kNeighbourDesa}, ok},
      {"kecamatan_facilitator/Pull all own scopes", k, Rpc::kPull, {}, ok},
      {"kecamatan_facilitator/Pull other desa", k, Rpc::kPull, {kOtherDesa}, denied},
      {"kecamatan_facilitator/Pull own and other desa", k, Rpc::kPull, {kOwnDesa, kOtherDesa},
       denied},
      {"kecamatan_facilitator/Pull kabupaten", k, Rpc::kPull, {kKabupaten}, denied},
      {"kecamatan_facilitator/AddUser", k, Rpc::kAddUser, {}, denied},
      {"kecamatan_facilitator/ListUsers", k, Rpc::kListUsers, {}, denied},
      {"kecamatan_facilitator/RevokeUser", k, Rpc::kRevokeUser, {}, denied},
      {"kecamatan_facilitator/RotateToken", k, Rpc::kRotateToken, {}, denied},
      {"kecamatan_facilitator/Stats", k, Rpc::kStats, {}, denied},
      // District officer: reads under its prefix, never writes.
      {"officer/Handshake", o, Rpc::kHandshake, {}, ok},
      {"officer/Push own desa", o, Rpc::kPush, {kOwnDesa}, denied},
      {"officer/Push other desa", o, Rpc::kPush, {kOtherDesa}, denied},
      {"officer/Pull desa under prefix", o, Rpc::kPull, {kOwnDesa}, ok},
      {"officer/Pull its prefix", o, Rpc::kPull, {kOfficerPrefix}, ok},
      {"officer/Pull all own scopes", o, Rpc::kPull, {}, ok},
      {"officer/Pull desa outside prefix", o, Rpc::kPull, {kOtherDesa}, denied},
      {"officer/Pull enclosing kabupaten", o, Rpc::kPull, {kKabupaten}, denied},
      {"officer/AddUser", o, Rpc::kAddUser, {}, denied},
      {"officer/ListUsers", o, Rpc::kListUsers, {}, denied},
      {"officer/RevokeUser", o, Rpc::kRevokeUser, {}, denied},
      {"officer/RotateToken", o, Rpc::kRotateToken, {}, denied},
      {"officer/Stats", o, Rpc::kStats, {}, denied},
      // Admin: everything.
      {"admin/Handshake", a, Rpc::kHandshake, {}, ok},
      {"admin/Push own desa", a, Rpc::kPush, {kOwnDesa}, ok},
      {"admin/Push other desa", a, Rpc::kPush, {kOtherDesa}, ok},
      {"admin/Pull desa", a, Rpc::kPull, {kOwnDesa}, ok},
      {"admin/Pull other desa", a, Rpc::kPull, {kOtherDesa}, ok},
      {"admin/Pull kecamatan", a, Rpc::kPull, {kOfficerPrefix}, ok},
      {"admin/Pull kabupaten", a, Rpc::kPull, {kKabupaten}, ok},
      {"admin/Pull all", a, Rpc::kPull, {}, ok},
      {"admin/AddUser", a, Rpc::kAddUser, {}, ok},
      {"admin/ListUsers", a, Rpc::kListUsers, {}, ok},
      {"admin/RevokeUser", a, Rpc::kRevokeUser, {}, ok},
      {"admin/RotateToken", a, Rpc::kRotateToken, {}, ok},
      {"admin/Stats", a, Rpc::kStats, {}, ok},
  };
  for (Who who : {Who::kNoToken, Who::kMalformedHeader, Who::kMalformedToken,
                  Who::kUnknownToken, Who::kRevokedToken, Who::kOldToken}) {
    for (Case& c : RefusedEverywhere(who)) cases.push_back(std::move(c));
  }
  return cases;
}

class AuthMatrixTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    setup_error_ = new std::string;
    dir_ = new TempDir;
    server_ = new ServerProcess(dir_->path() + "/data");
    if (absl::Status s = server_->Start(); !s.ok()) {
      *setup_error_ = absl::StrCat("server did not start: ", s.ToString(), server_->Stderr());
      return;
    }
    absl::StatusOr<std::string> admin_token = server_->AdminToken();
    if (!admin_token.ok()) {
      *setup_error_ = admin_token.status().ToString();
      return;
    }
    admin_ = new TestClient(server_->address(), *admin_token);
    sync_ = v1::SyncService::NewStub(admin_->channel()).release();
    admin_stub_ = v1::AdminService::NewStub(admin_->channel()).release();
    credentials_ = new std::map<Who, Credentials>;
    auto bearer = [](const std::string& token) {
      return Credentials{"Bearer " + token, token};
    };
    (*credentials_)[Who::kAdmin] = bearer(*admin_token);

    std::string facilitator, kecamatan_facilitator, officer, revoked, rotated_old, rotated_new;
    grpc::Status s = admin_->AddUser("fasil", v1::FACILITATOR, {kOwnDesa}, &facilitator);
    if (s.ok()) {
      s = admin_->AddUser("pd-sepang", v1::FACILITATOR, {kOfficerPrefix}, &kecamatan_facilitator);
    }
    if (s.ok()) s = admin_->AddUser("camat", v1::DISTRICT_OFFICER, {kOfficerPrefix}, &officer);
    if (s.ok()) s = admin_->AddUser("fasil-revoked", v1::FACILITATOR, {kOwnDesa}, &revoked);
    if (s.ok()) s = admin_->RevokeUser("fasil-revoked");
    if (s.ok()) s = admin_->AddUser("fasil-rotated", v1::FACILITATOR, {kOwnDesa}, &rotated_old);
    if (s.ok()) s = admin_->RotateToken("fasil-rotated", &rotated_new);
    if (!s.ok()) {
      *setup_error_ = absl::StrCat("creating users failed: ", s.error_message());
      return;
    }
    if (rotated_new.empty() || rotated_new == rotated_old) {
      *setup_error_ = "RotateToken returned no new token";
      return;
    }
    (*credentials_)[Who::kFacilitator] = bearer(facilitator);
    (*credentials_)[Who::kKecamatanFacilitator] = bearer(kecamatan_facilitator);
    (*credentials_)[Who::kOfficer] = bearer(officer);
    (*credentials_)[Who::kNoToken] = Credentials{std::nullopt, ""};
    // A valid token under the wrong scheme must not authenticate.
    (*credentials_)[Who::kMalformedHeader] = Credentials{"Token " + facilitator, facilitator};
    (*credentials_)[Who::kMalformedToken] =
        Credentials{"Bearer not-a-kawal-token-xyzzy", "not-a-kawal-token-xyzzy"};
    (*credentials_)[Who::kUnknownToken] =
        bearer("kd1_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    (*credentials_)[Who::kRevokedToken] = bearer(revoked);
    (*credentials_)[Who::kOldToken] = bearer(rotated_old);
    // The rotated user itself still works with its new token.
    rotated_new_ = new Credentials(bearer(rotated_new));
  }

  static void TearDownTestSuite() {
    delete admin_stub_;
    delete sync_;
    delete admin_;
    if (server_ != nullptr) server_->Kill();
    delete server_;
    delete dir_;
    delete credentials_;
    delete rotated_new_;
    delete setup_error_;
    admin_stub_ = nullptr;
    sync_ = nullptr;
    admin_ = nullptr;
    server_ = nullptr;
    dir_ = nullptr;
    credentials_ = nullptr;
    rotated_new_ = nullptr;
    setup_error_ = nullptr;
  }

  void SetUp() override { ASSERT_TRUE(setup_error_->empty()) << *setup_error_; }

  static std::unique_ptr<grpc::ClientContext> ContextFor(const Credentials& credentials) {
    auto context = std::make_unique<grpc::ClientContext>();
    if (credentials.header.has_value()) context->AddMetadata("authorization", *credentials.header);
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    return context;
  }

  static grpc::Status HandshakeWith(const Credentials& credentials) {
    v1::HandshakeRequest request;
    request.set_device_node(kDevice);
    v1::HandshakeResponse response;
    return sync_->Handshake(ContextFor(credentials).get(), request, &response);
  }

  // A fresh facilitator (created by the admin) for RevokeUser/RotateToken to
  // act on; returns its name and token.
  std::pair<std::string, std::string> NewTarget() {
    std::string name = absl::StrCat("target-", ++counter_);
    std::string token;
    grpc::Status s = admin_->AddUser(name, v1::FACILITATOR, {kOwnDesa}, &token);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return {name, token};
  }

  std::set<std::string> UserNames() {
    v1::ListUsersResponse users;
    grpc::Status s = admin_->ListUsers(&users);
    EXPECT_TRUE(s.ok()) << s.error_message();
    std::set<std::string> names;
    for (const v1::User& u : users.users()) names.insert(u.name());
    return names;
  }

  // Runs one case and checks its outcome, including what it must have
  // changed (or not) on the server. Push ids go to applied_/denied_.
  void Run(const Case& c) {
    SCOPED_TRACE(c.name);
    const Credentials& who = credentials_->at(c.caller);
    grpc::Status status;
    switch (c.rpc) {
      case Rpc::kHandshake: {
        v1::HandshakeRequest request;
        request.set_device_node(kDevice);
        v1::HandshakeResponse response;
        status = sync_->Handshake(ContextFor(who).get(), request, &response);
        if (status.ok()) {
          EXPECT_FALSE(response.user().empty());
          EXPECT_FALSE(response.role().empty());
        }
        break;
      }
      case Rpc::kPush: {
        const std::string id = absl::StrCat("matrix-", ++counter_);
        v1::PushRequest request = MakePush(kDevice, {NewActivity(clock_, id, c.scope.at(0))});
        v1::PushResponse response;
        status = sync_->Push(ContextFor(who).get(), request, &response);
        if (!status.ok()) {
          denied_.insert(id);
          break;
        }
        ASSERT_EQ(response.results_size(), 1);
        const v1::PushResult& result = response.results(0);
        EXPECT_EQ(result.id(), id);
        if (c.reason == v1::REJECT_REASON_UNSPECIFIED) {
          EXPECT_TRUE(result.applied()) << result.message();
          applied_.insert(id);
        } else {
          EXPECT_FALSE(result.applied());
          EXPECT_EQ(result.reason(), c.reason) << v1::RejectReason_Name(result.reason()) << ": "
                                               << result.message();
          EXPECT_NE(result.message().find(c.scope.at(0)), std::string::npos)
              << "the rejection names the desa: " << result.message();
          denied_.insert(id);
        }
        break;
      }
      case Rpc::kPull: {
        v1::PullRequest request;
        request.set_device_node(kDevice);
        for (const std::string& s : c.scope) request.add_scopes(s);
        v1::PullResponse response;
        status = sync_->Pull(ContextFor(who).get(), request, &response);
        if (status.ok()) {
          EXPECT_FALSE(response.cursor().empty());
        }
        break;
      }
      case Rpc::kAddUser: {
        const std::string name = absl::StrCat("added-", ++counter_);
        v1::AddUserRequest request;
        request.set_name(name);
        request.set_role(v1::FACILITATOR);
        request.add_scopes(kOwnDesa);
        v1::AddUserResponse response;
        status = admin_stub_->AddUser(ContextFor(who).get(), request, &response);
        if (status.ok()) {
          EXPECT_EQ(response.user().name(), name);
          EXPECT_FALSE(response.token().empty());
          EXPECT_TRUE(HandshakeWith(Credentials{"Bearer " + response.token(), ""}).ok());
        }
        EXPECT_EQ(UserNames().count(name), status.ok() ? 1u : 0u)
            << "a refused AddUser must not create the user";
        break;
      }
      case Rpc::kListUsers: {
        v1::ListUsersResponse response;
        status = admin_stub_->ListUsers(ContextFor(who).get(), v1::ListUsersRequest(), &response);
        if (status.ok()) {
          bool found = false;
          for (const v1::User& u : response.users()) found |= u.name() == "fasil";
          EXPECT_TRUE(found);
        } else {
          EXPECT_EQ(response.users_size(), 0);
        }
        break;
      }
      case Rpc::kRevokeUser: {
        auto [name, token] = NewTarget();
        v1::RevokeUserRequest request;
        request.set_name(name);
        v1::RevokeUserResponse response;
        status = admin_stub_->RevokeUser(ContextFor(who).get(), request, &response);
        grpc::Status target = HandshakeWith(Credentials{"Bearer " + token, ""});
        if (status.ok()) {
          EXPECT_TRUE(response.user().revoked());
          EXPECT_EQ(target.error_code(), Code::UNAUTHENTICATED) << "revoked token must stop working";
        } else {
          EXPECT_TRUE(target.ok()) << "a refused RevokeUser must not revoke: "
                                   << target.error_message();
        }
        break;
      }
      case Rpc::kRotateToken: {
        auto [name, token] = NewTarget();
        v1::RotateTokenRequest request;
        request.set_name(name);
        v1::RotateTokenResponse response;
        status = admin_stub_->RotateToken(ContextFor(who).get(), request, &response);
        grpc::Status old_token = HandshakeWith(Credentials{"Bearer " + token, ""});
        if (status.ok()) {
          EXPECT_EQ(old_token.error_code(), Code::UNAUTHENTICATED) << "old token must stop working";
          EXPECT_TRUE(HandshakeWith(Credentials{"Bearer " + response.token(), ""}).ok());
        } else {
          EXPECT_TRUE(response.token().empty());
          EXPECT_TRUE(old_token.ok()) << "a refused RotateToken must not rotate: "
                                      << old_token.error_message();
        }
        break;
      }
      case Rpc::kStats: {
        v1::StatsResponse response;
        status = admin_stub_->Stats(ContextFor(who).get(), v1::StatsRequest(), &response);
        if (status.ok()) {
          EXPECT_GE(response.users(), 3u);
          EXPECT_FALSE(response.incarnation().empty());
        }
        break;
      }
    }
    EXPECT_EQ(status.error_code(), c.code)
        << RpcName(c.rpc) << " as " << WhoName(c.caller) << ": " << status.error_message();
    if (!status.ok()) {
      EXPECT_FALSE(status.error_message().empty()) << "a refusal must say why";
      if (!who.secret.empty()) {
        EXPECT_EQ(status.error_message().find(who.secret), std::string::npos)
            << "the message must not contain the token: " << status.error_message();
      }
    }
  }

  // Runs every case of `caller`, then checks as admin that exactly the
  // applied pushes are stored.
  void RunCallers(const std::set<Who>& callers) {
    int ran = 0;
    for (const Case& c : Table()) {
      if (callers.count(c.caller) == 0) continue;
      Run(c);
      ++ran;
    }
    EXPECT_GT(ran, 0);

    std::vector<v1::Record> records;
    std::string cursor;
    grpc::Status s = admin_->PullAll(0, {}, &records, &cursor);
    ASSERT_TRUE(s.ok()) << s.error_message();
    std::set<std::string> stored;
    for (const v1::Record& r : records) stored.insert(r.id());
    for (const std::string& id : denied_) {
      EXPECT_EQ(stored.count(id), 0u) << "denied push stored record " << id;
    }
    for (const std::string& id : applied_) {
      EXPECT_EQ(stored.count(id), 1u) << "applied push did not store record " << id;
    }
  }

  static inline TempDir* dir_ = nullptr;
  static inline ServerProcess* server_ = nullptr;
  static inline TestClient* admin_ = nullptr;
  static inline v1::SyncService::Stub* sync_ = nullptr;
  static inline v1::AdminService::Stub* admin_stub_ = nullptr;
  static inline std::map<Who, Credentials>* credentials_ = nullptr;
  // Not a caller of the table: the rotated user with its new token.
  static inline Credentials* rotated_new_ = nullptr;
  static inline std::string* setup_error_ = nullptr;
  // Unique suffixes for ids and names across the suite's tests.
  static inline int counter_ = 0;

  sync::Clock clock_{kDevice};
  std::set<std::string> applied_, denied_;
};

TEST_F(AuthMatrixTest, TableCoversEveryRpcForEveryCaller) {
  std::map<Who, std::set<Rpc>> seen;
  for (const Case& c : Table()) seen[c.caller].insert(c.rpc);
  EXPECT_EQ(seen.size(), 10u);
  for (const auto& [who, rpcs] : seen) EXPECT_EQ(rpcs.size(), 8u) << WhoName(who);
}

TEST_F(AuthMatrixTest, Facilitator) { RunCallers({Who::kFacilitator}); }

TEST_F(AuthMatrixTest, KecamatanFacilitator) { RunCallers({Who::kKecamatanFacilitator}); }

TEST_F(AuthMatrixTest, DistrictOfficer) { RunCallers({Who::kOfficer}); }

TEST_F(AuthMatrixTest, Admin) { RunCallers({Who::kAdmin}); }

TEST_F(AuthMatrixTest, MissingMalformedUnknownRevokedAndRotatedAwayTokens) {
  RunCallers({Who::kNoToken, Who::kMalformedHeader, Who::kMalformedToken, Who::kUnknownToken,
              Who::kRevokedToken, Who::kOldToken});
}

TEST_F(AuthMatrixTest, RefusedCallersLeaveUsersAndRecordsAlone) {
  v1::StatsResponse before;
  ASSERT_TRUE(admin_->Stats(&before).ok());
  RunCallers({Who::kFacilitator, Who::kOfficer, Who::kNoToken, Who::kMalformedHeader,
              Who::kMalformedToken, Who::kUnknownToken, Who::kRevokedToken, Who::kOldToken});
  v1::StatsResponse after;
  ASSERT_TRUE(admin_->Stats(&after).ok());
  // Only the targets the admin created for RevokeUser/RotateToken are new.
  const uint64_t targets_per_caller = 2, callers = 8;
  EXPECT_EQ(after.users(), before.users() + targets_per_caller * callers);
  // Only the facilitator's one in-scope push stored a record.
  EXPECT_EQ(after.records(), before.records() + 1);
}

// The handshake hands the device its scopes as assigned: the kecamatan code
// itself, which the device pulls by prefix.
TEST_F(AuthMatrixTest, KecamatanFacilitatorHandshakeListsTheKecamatan) {
  v1::HandshakeRequest request;
  request.set_device_node(kDevice);
  v1::HandshakeResponse response;
  grpc::Status s = sync_->Handshake(
      ContextFor(credentials_->at(Who::kKecamatanFacilitator)).get(), request, &response);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(response.scopes_size(), 1);
  EXPECT_EQ(response.scopes(0), kOfficerPrefix);
  EXPECT_EQ(response.role(), "facilitator");
}

// A kecamatan-scoped pull with the default scopes receives what was written
// in any desa of the kecamatan, and nothing of another kecamatan.
TEST_F(AuthMatrixTest, KecamatanFacilitatorPullsEveryDesaOfItsKecamatan) {
  const Credentials& pd = credentials_->at(Who::kKecamatanFacilitator);
  v1::PushRequest push = MakePush(kDevice, {NewActivity(clock_, "kec-in-2001", kOwnDesa),
                                            NewActivity(clock_, "kec-in-2002", kNeighbourDesa)});
  v1::PushResponse pushed;
  grpc::Status s = sync_->Push(ContextFor(pd).get(), push, &pushed);
  ASSERT_TRUE(s.ok()) << s.error_message();
  for (const v1::PushResult& r : pushed.results()) EXPECT_TRUE(r.applied()) << r.message();
  s = admin_->Push(MakePush(kDevice + 1, {NewActivity(clock_, "kec-out", kOtherDesa)}), &pushed);
  ASSERT_TRUE(s.ok()) << s.error_message();

  std::set<std::string> ids;
  std::string cursor;
  for (bool more = true; more;) {
    v1::PullRequest request;
    request.set_device_node(kDevice + 2);
    request.set_cursor(cursor);
    v1::PullResponse response;
    s = sync_->Pull(ContextFor(pd).get(), request, &response);
    ASSERT_TRUE(s.ok()) << s.error_message();
    for (const v1::Record& r : response.records()) {
      EXPECT_TRUE(sync::RegionContains(kOfficerPrefix, r.scope())) << r.scope();
      ids.insert(r.id());
    }
    cursor = response.cursor();
    more = response.has_more();
  }
  EXPECT_EQ(ids.count("kec-in-2001"), 1u);
  EXPECT_EQ(ids.count("kec-in-2002"), 1u);
  EXPECT_EQ(ids.count("kec-out"), 0u);
}

TEST_F(AuthMatrixTest, RotatedUserWorksWithItsNewToken) {
  const Credentials& fresh = *rotated_new_;
  grpc::Status s = HandshakeWith(fresh);
  EXPECT_TRUE(s.ok()) << s.error_message();
  v1::PushResponse pushed;
  auto context = ContextFor(fresh);
  s = sync_->Push(context.get(), MakePush(kDevice, {NewActivity(clock_, "rotated-ok", kOwnDesa)}),
                  &pushed);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(pushed.results_size(), 1);
  EXPECT_TRUE(pushed.results(0).applied()) << pushed.results(0).message();
}

}  // namespace
}  // namespace kawal::testing
