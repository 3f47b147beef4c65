#include "bus/topic_trie.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace stockpile::bus {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<uint32_t> MatchOf(const TopicTrie& trie, std::string_view key) {
  std::vector<uint32_t> ids;
  trie.Match(key, ids);
  return ids;
}

TEST(TopicTrieTest, MatchesAmqpWildcards) {
  TopicTrie trie;
  trie.Insert("inventory.*.*", 0);
  trie.Insert("inventory.stock.*", 1);
  trie.Insert("inventory.stock.adjusted", 2);
  trie.Insert("order.#", 3);
  trie.Insert("#", 4);
  trie.Insert("*", 5);
  EXPECT_THAT(MatchOf(trie, "inventory.stock.adjusted"),
              ElementsAre(0, 1, 2, 4));
  EXPECT_THAT(MatchOf(trie, "inventory.alert.lowstock"), ElementsAre(0, 4));
  EXPECT_THAT(MatchOf(trie, "order"), ElementsAre(3, 4, 5));  // '#' = zero
  EXPECT_THAT(MatchOf(trie, "order.item.added"), ElementsAre(3, 4));
  EXPECT_THAT(MatchOf(trie, "inventory.stock"), ElementsAre(4));
  EXPECT_THAT(MatchOf(trie, "orders.created"), ElementsAre(4));
}

TEST(TopicTrieTest, HashInTheMiddleAndRepeatedIdsAreReportedOnce) {
  TopicTrie trie;
  trie.Insert("a.#.z", 7);
  trie.Insert("#.#", 8);  // matches every key along many paths
  trie.Insert("a.*", 7);  // a second pattern of the same subscriber
  EXPECT_THAT(MatchOf(trie, "a.z"), ElementsAre(7, 8));
  EXPECT_THAT(MatchOf(trie, "a.b.c.z"), ElementsAre(7, 8));
  EXPECT_THAT(MatchOf(trie, "a.b.c"), ElementsAre(8));
}

TEST(TopicTrieTest, EmptyTrieMatchesNothing) {
  TopicTrie trie;
  EXPECT_THAT(MatchOf(trie, "order.created"), IsEmpty());
}

TEST(TopicTrieTest, ManyHashesOnALongKeyStayFast) {
  // Without the memo this is exponential; with it, a few thousand states.
  TopicTrie trie;
  trie.Insert("#.a.#.a.#.a.#.a.#.b", 1);
  std::string key = "a";
  for (int i = 0; i < 100; ++i) key += ".a";
  EXPECT_THAT(MatchOf(trie, key), IsEmpty());
  EXPECT_THAT(MatchOf(trie, key + ".b"), ElementsAre(1));
}

}  // namespace
}  // namespace stockpile::bus
