// Tests for sync/src/region.cc: Kemendagri region codes, one case per rule.
#include "kawal/sync/region.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "kawal/sync/reject.h"

namespace kawal::sync {
namespace {

using ::testing::HasSubstr;

struct ValidCase {
  std::string code;
  RegionLevel level;
};

TEST(RegionCodeTest, ParsesEveryLevel) {
  const std::vector<ValidCase> cases = {
      {"62", RegionLevel::kProvinsi},        {"11", RegionLevel::kProvinsi},
      {"99", RegionLevel::kProvinsi},        {"62.10", RegionLevel::kKabupaten},
      {"62.10.01", RegionLevel::kKecamatan}, {"62.10.01.2001", RegionLevel::kDesa},
      {"62.10.01.1001", RegionLevel::kDesa}, {"62.10.01.3001", RegionLevel::kDesa},
  };
  for (const ValidCase& c : cases) {
    absl::StatusOr<RegionCode> code = RegionCode::Parse(c.code);
    ASSERT_TRUE(code.ok()) << c.code << ": " << code.status();
    EXPECT_EQ(code->str(), c.code);
    EXPECT_EQ(code->level(), c.level) << c.code;
  }
}

struct InvalidCase {
  std::string code;
  std::string rule;  // expected in the message
};

// Each rule of RegionCode::Parse, broken once; the valid side of each rule
// is in ParsesEveryLevel.
TEST(RegionCodeTest, RejectsEachRuleNamingCodeAndRule) {
  const std::vector<InvalidCase> cases = {
      {"", "it is empty"},
      {"62.1", "part 2 must be 2 digits"},
      {"6", "part 1 must be 2 digits"},
      {"62.10.1", "part 3 must be 2 digits"},
      {"62.10.01.201", "part 4 must be 4 digits"},
      {"62.10.01.20011", "part 4 must be 4 digits"},
      {"62.1a", "part 2 must be 2 digits"},
      {"62.10.", "part 3 must be 2 digits"},
      {".62", "part 1 must be 2 digits"},
      {"62..01", "part 2 must be 2 digits"},
      {"62.10.01.2001.01", "at most 4"},
      {"+6.10", "part 1 must be 2 digits"},
      {"00", "part 1 must not be all zeros"},
      {"62.00", "part 2 must not be all zeros"},
      {"62.10.00", "part 3 must not be all zeros"},
      {"62.10.01.0000", "part 4 must not be all zeros"},
      {"10", "province (part 1) must be 11..99"},
      {"05.10", "province (part 1) must be 11..99"},
      {"62.10.01.4001", "part 4 must start with 1 (kelurahan), 2 (desa) or 3 (desa adat)"},
      {"62.10.01.0001", "part 4 must start with 1"},
      {"62 .10", "part 1 must be 2 digits"},
  };
  for (const InvalidCase& c : cases) {
    absl::StatusOr<RegionCode> code = RegionCode::Parse(c.code);
    ASSERT_FALSE(code.ok()) << c.code;
    EXPECT_EQ(code.status().code(), absl::StatusCode::kInvalidArgument) << c.code;
    EXPECT_EQ(RejectCodeOf(code.status()), RejectCode::kInvalidScope) << c.code;
    std::string message(code.status().message());
    EXPECT_THAT(message, HasSubstr("\"" + c.code + "\"")) << c.code;
    EXPECT_THAT(message, HasSubstr(c.rule)) << c.code;
  }
}

TEST(RegionCodeTest, MessageMatchesHouseStyle) {
  EXPECT_EQ(RegionCode::Parse("62.1").status().message(),
            "region code \"62.1\" is invalid: part 2 must be 2 digits");
}

TEST(RegionCodeTest, InvalidBytesAreEscapedInTheMessage) {
  absl::StatusOr<RegionCode> code = RegionCode::Parse(std::string("62.\xff\x01", 5));
  ASSERT_FALSE(code.ok());
  std::string message(code.status().message());
  EXPECT_EQ(message.find('\xff'), std::string::npos) << message;
  EXPECT_THAT(message, HasSubstr("\\xff"));
}

RegionCode Code(const std::string& s) {
  absl::StatusOr<RegionCode> code = RegionCode::Parse(s);
  EXPECT_TRUE(code.ok()) << s;
  return *code;
}

TEST(RegionCodeTest, HierarchyNavigation) {
  RegionCode desa = Code("62.10.01.2001");
  EXPECT_EQ(desa.Parent().str(), "62.10.01");
  EXPECT_EQ(desa.Parent().level(), RegionLevel::kKecamatan);
  EXPECT_EQ(Code("62.10").Parent().str(), "62");
  EXPECT_EQ(Code("62").Parent().str(), "62");  // a province is its own parent
  EXPECT_EQ(desa.AncestorAt(RegionLevel::kProvinsi).str(), "62");
  EXPECT_EQ(desa.AncestorAt(RegionLevel::kKabupaten).str(), "62.10");
  EXPECT_EQ(desa.AncestorAt(RegionLevel::kDesa), desa);

  std::vector<std::string> lineage;
  for (const RegionCode& c : desa.Lineage()) lineage.push_back(c.str());
  EXPECT_EQ(lineage, (std::vector<std::string>{"62", "62.10", "62.10.01", "62.10.01.2001"}));
  EXPECT_EQ(Code("62").Lineage().size(), 1u);
}

TEST(RegionCodeTest, ContainsIsPrefixByPart) {
  struct Case {
    std::string prefix, code;
    bool contains;
  };
  const std::vector<Case> cases = {
      {"62", "62.10.01.2001", true},
      {"62.10", "62.10.01.2001", true},
      {"62.10.01", "62.10.01.2001", true},
      {"62.10.01.2001", "62.10.01.2001", true},
      {"62.10", "62.10", true},
      {"62.10", "62.11.01.2001", false},  // Pulang Pisau is not Gunung Mas
      {"62.10.01", "62.10.02", false},
      {"62.10.01.2001", "62.10.01", false},  // a child never contains its parent
      {"63", "62.10", false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Code(c.prefix).Contains(Code(c.code)), c.contains) << c.prefix << " / " << c.code;
    EXPECT_EQ(RegionContains(c.prefix, c.code), c.contains) << c.prefix << " / " << c.code;
  }
}

TEST(RegionContainsTest, MalformedCodesContainNothing) {
  EXPECT_FALSE(RegionContains("62.1", "62.10.01.2001"));
  EXPECT_FALSE(RegionContains("62", "62.10.01.201"));
  EXPECT_FALSE(RegionContains("", "62.10.01.2001"));
  // A string prefix that is not a part prefix.
  EXPECT_FALSE(RegionContains("62.1", "62.10"));
}

TEST(RegionCodeTest, VillageKindFromLastFourDigits) {
  EXPECT_EQ(Code("62.10.01.1001").village_kind(), VillageKind::kKelurahan);
  EXPECT_EQ(Code("62.10.01.2001").village_kind(), VillageKind::kDesa);
  EXPECT_EQ(Code("62.10.01.3001").village_kind(), VillageKind::kDesaAdat);
  EXPECT_STREQ(VillageKindName(VillageKind::kDesaAdat), "desa_adat");
  EXPECT_STREQ(VillageKindName(VillageKind::kKelurahan), "kelurahan");
  EXPECT_STREQ(RegionLevelName(RegionLevel::kKabupaten), "kabupaten");
  EXPECT_STREQ(RegionLevelName(RegionLevel::kDesa), "desa");
}

TEST(ValidateDesaScopeTest, AcceptsDesaCodesOnly) {
  EXPECT_TRUE(ValidateDesaScope("62.10.01.2001").ok());
  EXPECT_TRUE(ValidateDesaScope("62.10.01.1001").ok());  // a kelurahan is a scope too

  const std::vector<InvalidCase> cases = {
      {"62", "is a provinsi code; a record's scope must be a desa code"},
      {"62.10", "is a kabupaten code"},
      {"62.10.01", "is a kecamatan code"},
      {"62.10.01.201", "part 4 must be 4 digits"},
      {"", "it is empty"},
  };
  for (const InvalidCase& c : cases) {
    absl::Status status = ValidateDesaScope(c.code);
    EXPECT_EQ(RejectCodeOf(status), RejectCode::kInvalidScope) << c.code;
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.code;
    EXPECT_THAT(std::string(status.message()), HasSubstr("\"" + c.code + "\"")) << c.code;
    EXPECT_THAT(std::string(status.message()), HasSubstr(c.rule)) << c.code;
  }
}

}  // namespace
}  // namespace kawal::sync
