// Tests for sync/src/quote.cc.
#include "kawal/sync/quote.h"

#include "gtest/gtest.h"

namespace kawal::sync {
namespace {

TEST(QuoteClientValueTest, ShortValuesPassUnchanged) { EXPECT_EQ(QuoteClientValue("62.10"), "62.10"); }

TEST(QuoteClientValueTest, ControlQuotesAndNonAsciiAreEscaped) {
  EXPECT_EQ(QuoteClientValue("a\"b\n\\", 10), "a\\x22b\\x0a\\x5c");
  EXPECT_EQ(QuoteClientValue("\xc3\xa9", 10), "\\xc3\\xa9");
}

TEST(QuoteClientValueTest, LongValuesAreCut) {
  EXPECT_EQ(QuoteClientValue("abcdef", 3), "abc...");
  EXPECT_EQ(QuoteClientValue(std::string(100000, 'x')).size(), 32u + 3u);
}

}  // namespace
}  // namespace kawal::sync
