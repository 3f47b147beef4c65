// libFuzzer target: routing keys and topic patterns (core/topic_pattern.h).
//
// The input is "pattern\nkey". Properties checked, beyond "no crash, no
// sanitizer report":
//   - Parse accepts exactly what ValidateTopicPattern accepts;
//   - a valid routing key is also a valid pattern, and as a pattern it
//     matches itself;
//   - "#" matches every valid key, and an exact pattern matches only the
//     key spelled the same.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/check.h"
#include "core/topic_pattern.h"

using stockpile::core::Result;
using stockpile::core::SplitWords;
using stockpile::core::TopicPattern;
using stockpile::core::ValidateRoutingKey;
using stockpile::core::ValidateTopicPattern;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  const std::string_view pattern_text = input.substr(0, newline);
  const std::string_view key = newline == std::string_view::npos
                                   ? std::string_view()
                                   : input.substr(newline + 1);

  (void)SplitWords(input);
  Result<TopicPattern> pattern = TopicPattern::Parse(pattern_text);
  CHECK(pattern.ok() == ValidateTopicPattern(pattern_text).ok())
      << "Parse and ValidateTopicPattern disagree on '" << pattern_text << "'";

  if (!ValidateRoutingKey(key).ok()) return 0;
  Result<TopicPattern> self = TopicPattern::Parse(key);
  CHECK(self.ok()) << "routing key '" << key << "' is not a valid pattern";
  CHECK(self->is_exact() && self->Matches(key))
      << "routing key '" << key << "' does not match itself";
  Result<TopicPattern> all = TopicPattern::Parse("#");
  CHECK(all.ok() && all->Matches(key)) << "'#' does not match '" << key << "'";
  if (pattern.ok()) {
    const bool matches = pattern->Matches(key);
    if (pattern->is_exact()) {
      CHECK(matches == (pattern_text == key))
          << "exact pattern '" << pattern_text << "' vs key '" << key << "'";
    }
  }
  return 0;
}
