// StringHash: a transparent hash for maps and sets keyed by std::string,
// so that a lookup by std::string_view builds no key string.
//
//   std::unordered_map<std::string, int, core::StringHash, std::equal_to<>> m;
//   m.find(std::string_view("key"));   // no allocation
//
// Thread-safety: stateless.
#ifndef STOCKPILE_CORE_STRING_HASH_H_
#define STOCKPILE_CORE_STRING_HASH_H_

#include <cstddef>
#include <functional>
#include <string_view>

namespace stockpile::core {

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const {
    return std::hash<std::string_view>{}(s);
  }
};

}  // namespace stockpile::core

#endif  // STOCKPILE_CORE_STRING_HASH_H_
