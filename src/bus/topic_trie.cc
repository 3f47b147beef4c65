#include "bus/topic_trie.h"

#include <algorithm>
#include <functional>
#include <unordered_map>
#include <unordered_set>

#include "core/topic_pattern.h"

namespace stockpile::bus {

namespace {

// Lets the word maps be searched with a string_view, without a copy.
struct WordHash {
  using is_transparent = void;
  size_t operator()(std::string_view word) const {
    return std::hash<std::string_view>()(word);
  }
};

}  // namespace

struct TopicTrie::Node {
  uint32_t index = 0;  // unique per trie, for the matcher's memo
  std::unordered_map<std::string, std::unique_ptr<Node>, WordHash,
                     std::equal_to<>>
      words;
  std::unique_ptr<Node> star;  // '*': exactly one word
  std::unique_ptr<Node> hash;  // '#': zero or more words
  std::vector<uint32_t> ids;   // patterns ending here
};

// One Match call. '#' can absorb any number of words, so the same
// (node, word position) state can be reached along many paths
// ("#.a.#.b.#"); the memo visits each state once, bounding a match at
// O(nodes * words) instead of exponential.
struct TopicTrie::Matcher {
  const std::vector<std::string_view>& words;
  std::vector<uint32_t>& out;
  std::unordered_set<uint64_t> seen;

  void Visit(const Node* node, size_t pos) {
    uint64_t state = (static_cast<uint64_t>(node->index) << 16) | pos;
    if (!seen.insert(state).second) return;
    if (pos == words.size()) {
      out.insert(out.end(), node->ids.begin(), node->ids.end());
    } else {
      auto it = node->words.find(words[pos]);
      if (it != node->words.end()) Visit(it->second.get(), pos + 1);
      if (node->star) Visit(node->star.get(), pos + 1);
    }
    if (node->hash) {
      for (size_t p = pos; p <= words.size(); ++p) Visit(node->hash.get(), p);
    }
  }
};

TopicTrie::TopicTrie() : root_(std::make_unique<Node>()) {}
TopicTrie::~TopicTrie() = default;

void TopicTrie::Insert(std::string_view pattern, uint32_t id) {
  Node* node = root_.get();
  for (std::string_view word : core::SplitWords(pattern)) {
    std::unique_ptr<Node>* next;
    if (word == "*") {
      next = &node->star;
    } else if (word == "#") {
      next = &node->hash;
    } else {
      auto it = node->words.find(word);
      if (it == node->words.end()) {
        it = node->words.emplace(std::string(word), nullptr).first;
      }
      next = &it->second;
    }
    if (*next == nullptr) {
      *next = std::make_unique<Node>();
      (*next)->index = node_count_++;
    }
    node = next->get();
  }
  node->ids.push_back(id);
}

void TopicTrie::Match(std::string_view key, std::vector<uint32_t>& out) const {
  out.clear();
  std::vector<std::string_view> words = core::SplitWords(key);
  Matcher matcher{words, out, {}};
  matcher.Visit(root_.get(), 0);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
}

}  // namespace stockpile::bus
