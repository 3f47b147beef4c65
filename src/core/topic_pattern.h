// Routing keys and topic patterns with AMQP topic-exchange semantics.
//
// A routing key is one or more words separated by '.', each word made of
// [a-z0-9_-] (e.g. "inventory.stock.adjusted"). A pattern is the same with
// two wildcard words: '*' matches exactly one word, '#' zero or more words.
//
//   auto p = TopicPattern::Parse("order.#");
//   p->Matches("order.created");        // true
//   p->Matches("order");                // true ('#' matches zero words)
//   p->Matches("orders.created");       // false
//
// Thread-safety: a TopicPattern is immutable; share it freely.
#ifndef STOCKPILE_CORE_TOPIC_PATTERN_H_
#define STOCKPILE_CORE_TOPIC_PATTERN_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace stockpile::core {

inline constexpr size_t kMaxRoutingKeyLength = 255;

// OK, or InvalidArgument saying which word is wrong and why.
Status ValidateRoutingKey(std::string_view key);
Status ValidateTopicPattern(std::string_view pattern);

// Splits "a.b.c" into {"a","b","c"}. Views point into `text`.
std::vector<std::string_view> SplitWords(std::string_view text);

class TopicPattern {
 public:
  static Result<TopicPattern> Parse(std::string_view pattern);

  // `key` is assumed to be a valid routing key.
  bool Matches(std::string_view key) const;
  const std::string& text() const { return text_; }
  // True when the pattern has no wildcard (an exact key).
  bool is_exact() const { return exact_; }

 private:
  TopicPattern() = default;

  std::string text_;
  std::vector<std::string> words_;
  bool exact_ = true;
};

}  // namespace stockpile::core

#endif  // STOCKPILE_CORE_TOPIC_PATTERN_H_
