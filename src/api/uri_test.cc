#include "api/uri.h"

#include <gtest/gtest.h>

namespace stockpile::api {
namespace {

TEST(UriTest, SplitsPathQueryAndDropsFragment) {
  SplitTarget t = SplitRequestTarget("/a/b?x=1&y=2#frag");
  EXPECT_EQ(t.path, "/a/b");
  EXPECT_EQ(t.query, "x=1&y=2");
  EXPECT_EQ(SplitRequestTarget("/only").query, "");
}

TEST(UriTest, PercentDecodes) {
  EXPECT_EQ(*PercentDecode("a%20b%2Fc"), "a b/c");
  EXPECT_EQ(*PercentDecode("a+b"), "a+b");
  EXPECT_EQ(*PercentDecode("a+b", true), "a b");
  EXPECT_EQ(*PercentDecode("%C3%A9"), "\xc3\xa9");
}

TEST(UriTest, RejectsBadEscapesAndNonUtf8) {
  EXPECT_FALSE(PercentDecode("%").ok());
  EXPECT_FALSE(PercentDecode("%4").ok());
  EXPECT_FALSE(PercentDecode("%zz").ok());
  EXPECT_FALSE(PercentDecode("%ff").ok());
}

TEST(UriTest, ParsesQueryStrings) {
  auto q = ParseQueryString("type=order.%2A&after=10&&flag&name=a+b");
  ASSERT_TRUE(q.ok());
  const Params expected = {
      {"type", "order.*"}, {"after", "10"}, {"flag", ""}, {"name", "a b"}};
  EXPECT_EQ(*q, expected);
  EXPECT_FALSE(ParseQueryString("a=%G1").ok());
}

}  // namespace
}  // namespace stockpile::api
