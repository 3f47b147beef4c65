#include "core/topic_pattern.h"

#include <array>
#include <span>

#include "core/status_macros.h"

namespace stockpile::core {

namespace {

bool IsWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

Status Validate(std::string_view text, bool allow_wildcards,
                std::string_view what) {
  auto bad = [&](std::string_view why) {
    std::string msg(what);
    msg += " '";
    msg.append(text.substr(0, 80));
    msg += "': ";
    msg += why;
    return InvalidArgumentError(msg);
  };
  if (text.empty()) return bad("must not be empty");
  if (text.size() > kMaxRoutingKeyLength) {
    return bad("longer than 255 characters");
  }
  size_t word_start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && text[i] != '.') continue;
    std::string_view word = text.substr(word_start, i - word_start);
    if (word.empty()) return bad("has an empty word (check the dots)");
    if (word == "*" || word == "#") {
      if (!allow_wildcards) return bad("wildcards are only for patterns");
    } else {
      for (char c : word) {
        if (!IsWordChar(c)) {
          return bad(
              "words may contain only lowercase letters, digits, '_' and "
              "'-'" +
              std::string(allow_wildcards ? ", or be '*' or '#'" : ""));
        }
      }
    }
    word_start = i + 1;
  }
  return Status::Ok();
}

// Matches pattern words [pi..] against key words [ki..]. '#' may absorb any
// number of words; the greedy-with-backtrack loop is O(P*K) in the worst case.
bool MatchWords(const std::vector<std::string>& pattern,
                std::span<const std::string_view> key) {
  size_t p = 0, k = 0;
  size_t star_p = std::string::npos, star_k = 0;
  while (k < key.size()) {
    if (p < pattern.size() && pattern[p] == "#") {
      star_p = p++;
      star_k = k;
    } else if (p < pattern.size() &&
               (pattern[p] == "*" || pattern[p] == key[k])) {
      ++p;
      ++k;
    } else if (star_p != std::string::npos) {
      p = star_p + 1;
      k = ++star_k;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == "#") ++p;
  return p == pattern.size();
}

}  // namespace

Status ValidateRoutingKey(std::string_view key) {
  return Validate(key, /*allow_wildcards=*/false, "routing key");
}

Status ValidateTopicPattern(std::string_view pattern) {
  return Validate(pattern, /*allow_wildcards=*/true, "topic pattern");
}

std::vector<std::string_view> SplitWords(std::string_view text) {
  std::vector<std::string_view> words;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '.') {
      words.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  return words;
}

Result<TopicPattern> TopicPattern::Parse(std::string_view pattern) {
  RETURN_IF_ERROR(ValidateTopicPattern(pattern));
  TopicPattern p;
  p.text_ = std::string(pattern);
  for (std::string_view w : SplitWords(pattern)) {
    if (w == "*" || w == "#") p.exact_ = false;
    p.words_.emplace_back(w);
  }
  return p;
}

bool TopicPattern::Matches(std::string_view key) const {
  if (exact_) return key == text_;
  // Keys of up to kInline words are split on the stack: matching runs for
  // every event a filtered read scans.
  constexpr size_t kInline = 16;
  std::array<std::string_view, kInline> words;
  size_t n = 0;
  size_t start = 0;
  for (size_t i = 0; i <= key.size(); ++i) {
    if (i == key.size() || key[i] == '.') {
      if (n == kInline) return MatchWords(words_, SplitWords(key));
      words[n++] = key.substr(start, i - start);
      start = i + 1;
    }
  }
  return MatchWords(words_, std::span<const std::string_view>(words.data(), n));
}

}  // namespace stockpile::core
