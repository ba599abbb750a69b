// The bundle file format (kawal/common/bundle_file.h): a bundle written for
// a recipient opens with its key only, and every alteration or truncation
// is refused with an error naming the problem.
#include "kawal/common/bundle_file.h"

#include <string>
#include <utility>
#include <vector>

#include "bundle_test_header.h"
#include "gtest/gtest.h"
#include "status_assert.h"

namespace kawal::common {
namespace {

using ::kawal::testing::IsOk;

class BundleFileTest : public ::testing::Test {
 protected:
  SigningKeyPair device_ = NewSigningKeyPair();
  BoxKeyPair server_ = NewBoxKeyPair();
  std::string body_ = "pending changes and photos";
};

TEST_F(BundleFileTest, WrittenBundleReadsAndOpens) {
  ASSERT_OK_AND_ASSIGN(std::string file, WriteBundle(DeviceHeader(), body_, device_, server_.public_key));
  ASSERT_OK_AND_ASSIGN(VerifiedBundle bundle, ReadBundle(file));
  EXPECT_EQ(bundle.header.user(), "fasilitator1");
  EXPECT_EQ(bundle.header.device_node(), 0x1234u);
  EXPECT_EQ(bundle.header.signer_public_key(), device_.public_key);
  EXPECT_EQ(bundle.header.part(), 1u);
  EXPECT_EQ(bundle.header.part_count(), 1u);
  EXPECT_EQ(bundle.header.bundle_id(), BundleIdOf(body_));
  EXPECT_THAT(OpenBundleBody(bundle, server_), ::kawal::testing::IsOkAndHolds(body_));
  EXPECT_EQ(file.find(body_), std::string::npos) << "the body is sealed";
}

TEST_F(BundleFileTest, EmptyAndLargeBodiesRoundTrip) {
  for (const std::string& body : {std::string(), std::string(3 << 20, 'x')}) {
    ASSERT_OK_AND_ASSIGN(std::string file, WriteBundle(DeviceHeader(), body, device_, server_.public_key));
    ASSERT_OK_AND_ASSIGN(VerifiedBundle bundle, ReadBundle(file));
    EXPECT_THAT(OpenBundleBody(bundle, server_), ::kawal::testing::IsOkAndHolds(body));
  }
}

TEST_F(BundleFileTest, SameBodyGivesSameIdDifferentBodyAnother) {
  ASSERT_OK_AND_ASSIGN(std::string a, WriteBundle(DeviceHeader(), body_, device_, server_.public_key));
  ASSERT_OK_AND_ASSIGN(std::string b, WriteBundle(DeviceHeader(), body_, device_, server_.public_key));
  ASSERT_OK_AND_ASSIGN(VerifiedBundle first, ReadBundle(a));
  ASSERT_OK_AND_ASSIGN(VerifiedBundle second, ReadBundle(b));
  EXPECT_EQ(first.header.bundle_id(), second.header.bundle_id());
  EXPECT_NE(BundleIdOf(body_), BundleIdOf(body_ + "!"));
}

// Map entries are written in key order, whatever order they were added in:
// the same work gives the same bytes and bundle id.
TEST(SerializeBundleBodyTest, IsDeterministicOverMaps) {
  auto body_with = [](const std::vector<std::pair<std::string, int64_t>>& amounts) {
    v1::DeviceBundleBody body;
    auto* amount_map =
        body.add_deltas()->add_changes()->mutable_value()->mutable_amounts_value()->mutable_amounts();
    for (const auto& [source, amount] : amounts) (*amount_map)[source] = amount;
    return SerializeBundleBody(body);
  };
  const std::string forward = body_with({{"ADD", 1}, {"DDS", 2}, {"PAD", 3}, {"PBH", 4}});
  EXPECT_EQ(forward, body_with({{"PBH", 4}, {"PAD", 3}, {"DDS", 2}, {"ADD", 1}}));
  EXPECT_EQ(BundleIdOf(forward), BundleIdOf(body_with({{"PAD", 3}, {"ADD", 1}, {"PBH", 4}, {"DDS", 2}})));
}

TEST_F(BundleFileTest, AnotherRecipientCannotOpen) {
  ASSERT_OK_AND_ASSIGN(std::string file, WriteBundle(DeviceHeader(), body_, device_, server_.public_key));
  ASSERT_OK_AND_ASSIGN(VerifiedBundle bundle, ReadBundle(file));
  absl::StatusOr<std::string> body = OpenBundleBody(bundle, NewBoxKeyPair());
  ASSERT_FALSE(body.ok());
  EXPECT_EQ(body.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(body.status().message().find("sealed to another key"), absl::string_view::npos);
}

TEST_F(BundleFileTest, ReplySealedToDeviceSigningKeyOpensWithItsBoxForm) {
  ASSERT_OK_AND_ASSIGN(std::string device_box, BoxPublicKeyOf(device_.public_key));
  ASSERT_OK_AND_ASSIGN(BoxKeyPair device_pair, BoxKeyPairOf(device_));
  EXPECT_EQ(device_pair.public_key, device_box);
  v1::BundleHeader header = DeviceHeader();
  header.set_kind(v1::SERVER_REPLY);
  const SigningKeyPair server_sign = NewSigningKeyPair();
  ASSERT_OK_AND_ASSIGN(std::string file, WriteBundle(header, "acks", server_sign, device_box));
  ASSERT_OK_AND_ASSIGN(VerifiedBundle bundle, ReadBundle(file));
  EXPECT_EQ(bundle.header.signer_public_key(), server_sign.public_key);
  EXPECT_THAT(OpenBundleBody(bundle, device_pair), ::kawal::testing::IsOkAndHolds("acks"));
}

// One flipped bit anywhere, in every byte: refused, by the reader or (for
// nothing, since the signature covers all) by the opener.
TEST_F(BundleFileTest, EveryFlippedByteIsRefused) {
  ASSERT_OK_AND_ASSIGN(std::string file, WriteBundle(DeviceHeader(), body_, device_, server_.public_key));
  for (size_t i = 0; i < file.size(); ++i) {
    for (const uint8_t mask : {0x01, 0x80}) {
      std::string altered = file;
      altered[i] = static_cast<char>(altered[i] ^ mask);
      absl::StatusOr<VerifiedBundle> bundle = ReadBundle(altered);
      EXPECT_FALSE(bundle.ok()) << "byte " << i << " mask " << int{mask};
      if (!bundle.ok()) {
        EXPECT_FALSE(bundle.status().message().empty());
      }
    }
  }
}

TEST_F(BundleFileTest, EveryTruncationIsRefused) {
  ASSERT_OK_AND_ASSIGN(std::string file, WriteBundle(DeviceHeader(), body_, device_, server_.public_key));
  for (size_t length = 0; length < file.size(); ++length) {
    absl::StatusOr<VerifiedBundle> bundle = ReadBundle(absl::string_view(file).substr(0, length));
    ASSERT_FALSE(bundle.ok()) << "length " << length;
    if (length == 0) {
      EXPECT_NE(bundle.status().message().find("empty"), absl::string_view::npos);
    } else {
      EXPECT_EQ(bundle.status().code(), absl::StatusCode::kDataLoss) << length << ": " << bundle.status();
      EXPECT_NE(bundle.status().message().find("truncated"), absl::string_view::npos) << bundle.status();
    }
  }
}

TEST_F(BundleFileTest, NamesEachStructuralProblem) {
  ASSERT_OK_AND_ASSIGN(std::string file, WriteBundle(DeviceHeader(), body_, device_, server_.public_key));
  auto message_of = [](absl::string_view bytes) {
    absl::StatusOr<VerifiedBundle> bundle = ReadBundle(bytes);
    return bundle.ok() ? std::string("ok") : std::string(bundle.status().message());
  };
  EXPECT_NE(message_of("PK\x03\x04 a zip file").find("not a Kawal bundle"), std::string::npos);
  std::string version = file;
  version[9] = 2;
  EXPECT_NE(message_of(version).find("format version 2 is not supported"), std::string::npos);
  EXPECT_NE(message_of(file + "x").find("1 unexpected bytes after its signature"), std::string::npos);
  std::string signature = file;
  signature.back() ^= 1;
  EXPECT_NE(message_of(signature).find("signature does not match"), std::string::npos);
  std::string huge_header = file;
  huge_header[10] = 0x7f;
  EXPECT_NE(message_of(huge_header).find("over the limit"), std::string::npos);
}

// A signer cannot reuse another device's sealed body under its own header:
// the seal binds the header, signer key included.
TEST_F(BundleFileTest, SealedBodyMovedUnderAnotherSignerDoesNotOpen) {
  ASSERT_OK_AND_ASSIGN(std::string victim, WriteBundle(DeviceHeader(), body_, device_, server_.public_key));
  ASSERT_OK_AND_ASSIGN(VerifiedBundle stolen, ReadBundle(victim));
  const SigningKeyPair thief = NewSigningKeyPair();
  ASSERT_OK_AND_ASSIGN(std::string own, WriteBundle(DeviceHeader(), body_, thief, server_.public_key));
  ASSERT_OK_AND_ASSIGN(VerifiedBundle forged, ReadBundle(own));
  forged.sealed_body = stolen.sealed_body;
  absl::StatusOr<std::string> body = OpenBundleBody(forged, server_);
  ASSERT_FALSE(body.ok());
  EXPECT_EQ(body.status().code(), absl::StatusCode::kDataLoss);
}

TEST_F(BundleFileTest, RefusesKeysOfTheWrongSize) {
  EXPECT_FALSE(WriteBundle(DeviceHeader(), body_, device_, "short").ok());
  EXPECT_FALSE(WriteBundle(DeviceHeader(), body_, SigningKeyPair{}, server_.public_key).ok());
  EXPECT_FALSE(BoxPublicKeyOf("short").ok());
}

// Found by bundle_fuzz: a user name that is not UTF-8 made a file whose
// header ReadBundle cannot parse. Writing it is refused instead.
TEST_F(BundleFileTest, RefusesAHeaderItCouldNotReadBack) {
  v1::BundleHeader header = DeviceHeader();
  header.set_user("\xff\xff");
  absl::StatusOr<std::string> file = WriteBundle(header, body_, device_, server_.public_key);
  EXPECT_EQ(file.status().code(), absl::StatusCode::kInvalidArgument) << file.status();
  EXPECT_NE(file.status().message().find("not valid UTF-8"), std::string::npos) << file.status();
}

}  // namespace
}  // namespace kawal::common
