#include "core/topic_pattern.h"

#include <gtest/gtest.h>

namespace stockpile::core {
namespace {

bool Match(std::string_view pattern, std::string_view key) {
  Result<TopicPattern> p = TopicPattern::Parse(pattern);
  EXPECT_TRUE(p.ok()) << p.status();
  return p.ok() && p->Matches(key);
}

TEST(TopicPatternTest, StarMatchesExactlyOneWord) {
  EXPECT_TRUE(Match("order.*", "order.created"));
  EXPECT_FALSE(Match("order.*", "order"));
  EXPECT_FALSE(Match("order.*", "order.item.added"));
  EXPECT_TRUE(Match("*.stock.*", "inventory.stock.low"));
  EXPECT_TRUE(Match("inventory.*.*", "inventory.alert.lowstock"));
}

TEST(TopicPatternTest, HashMatchesZeroOrMoreWords) {
  EXPECT_TRUE(Match("#", "a"));
  EXPECT_TRUE(Match("#", "a.b.c"));
  EXPECT_TRUE(Match("order.#", "order"));
  EXPECT_TRUE(Match("order.#", "order.item.added"));
  EXPECT_FALSE(Match("order.#", "orders.created"));
  EXPECT_TRUE(Match("#.low", "inventory.stock.low"));
  EXPECT_TRUE(Match("#.low", "low"));
  EXPECT_TRUE(Match("a.#.z", "a.z"));
  EXPECT_TRUE(Match("a.#.z", "a.b.c.z"));
  EXPECT_FALSE(Match("a.#.z", "a.b.c"));
  EXPECT_TRUE(Match("#.*.#", "x"));
  EXPECT_FALSE(Match("*.*", "x"));
  EXPECT_TRUE(Match("a.#.b.#.c", "a.x.b.y.b.c"));
}

TEST(TopicPatternTest, ExactPatternsCompareWholeKeys) {
  EXPECT_TRUE(Match("order.created", "order.created"));
  EXPECT_FALSE(Match("order.created", "order.created.x"));
  EXPECT_TRUE(TopicPattern::Parse("order.created")->is_exact());
  EXPECT_FALSE(TopicPattern::Parse("order.*")->is_exact());
}

// Keys are split on the stack up to 16 words; longer ones take another
// path that must agree.
TEST(TopicPatternTest, MatchesKeysOfAnyNumberOfWords) {
  std::string key = "a";
  for (int words = 2; words <= 40; ++words) {
    key += "." + std::string(1, static_cast<char>('a' + words % 26));
    const std::string last = key.substr(key.rfind('.') + 1);
    EXPECT_TRUE(Match("a.#", key)) << key;
    EXPECT_TRUE(Match("#." + last, key)) << key;
    EXPECT_FALSE(Match("b.#", key)) << key;
    EXPECT_TRUE(Match("a.*.#", key)) << key;
    std::string stars = "*";
    for (int i = 1; i < words; ++i) stars += ".*";
    EXPECT_TRUE(Match(stars, key)) << key;
    EXPECT_FALSE(Match(stars + ".*", key)) << key;
  }
}

TEST(TopicPatternTest, RejectsMalformedPatternsAndKeys) {
  for (const char* bad : {"", ".", "a..b", "a.", ".a", "Order.created", "a.b c",
                          "a.*x", "a.#b", "a.b!"}) {
    EXPECT_FALSE(ValidateTopicPattern(bad).ok()) << bad;
  }
  EXPECT_FALSE(ValidateRoutingKey("order.*").ok());
  EXPECT_FALSE(ValidateRoutingKey("order.#").ok());
  EXPECT_FALSE(ValidateRoutingKey(std::string(256, 'a')).ok());
  EXPECT_TRUE(ValidateRoutingKey("inventory.stock.reservation_failed").ok());
  Status s = ValidateTopicPattern("a..b");
  EXPECT_NE(s.message().find("empty word"), std::string::npos) << s;
}

}  // namespace
}  // namespace stockpile::core
