// TopicTrie: a set of AMQP topic patterns, each tagged with an id, that
// finds every pattern matching a routing key in time proportional to the
// key's words and the trie's branching — not to the number of patterns.
//
//   TopicTrie trie;
//   trie.Insert("order.*", 0);
//   trie.Insert("#", 1);
//   std::vector<uint32_t> ids;
//   trie.Match("order.created", ids);   // ids == {0, 1}
//
// Thread-safety: Insert mutates; Match is const and may run concurrently
// once the trie is no longer modified (the bus builds one per routing
// snapshot and never changes it afterwards).
#ifndef STOCKPILE_BUS_TOPIC_TRIE_H_
#define STOCKPILE_BUS_TOPIC_TRIE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace stockpile::bus {

class TopicTrie {
 public:
  TopicTrie();
  ~TopicTrie();
  TopicTrie(const TopicTrie&) = delete;
  TopicTrie& operator=(const TopicTrie&) = delete;

  // Adds `pattern` (assumed valid: core::ValidateTopicPattern) with `id`.
  // The same id may be inserted under several patterns.
  void Insert(std::string_view pattern, uint32_t id);

  // Replaces `out` with the ids of all patterns matching `key` (assumed a
  // valid routing key), ascending and without duplicates.
  void Match(std::string_view key, std::vector<uint32_t>& out) const;

 private:
  struct Node;
  struct Matcher;
  std::unique_ptr<Node> root_;
  uint32_t node_count_ = 1;
};

}  // namespace stockpile::bus

#endif  // STOCKPILE_BUS_TOPIC_TRIE_H_
