// FastHash: a quick non-cryptographic 64-bit hash for short strings (routing
// keys, aggregate ids), used by the bus's route cache and to pick the async
// worker of an aggregate. Not for hostile inputs where collisions matter.
//
// Thread-safety: a pure function.
#ifndef STOCKPILE_BUS_FAST_HASH_H_
#define STOCKPILE_BUS_FAST_HASH_H_

#include <cstdint>
#include <cstring>
#include <string_view>

namespace stockpile::bus {

inline uint64_t FastHash(std::string_view text) {
  constexpr uint64_t kMul = 0x9E3779B97F4A7C15ULL;
  uint64_t h = text.size() * kMul;
  const char* p = text.data();
  size_t n = text.size();
  for (; n >= 8; n -= 8, p += 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ w) * kMul;
    h ^= h >> 29;
  }
  uint64_t tail = 0;
  if (n > 0) std::memcpy(&tail, p, n);
  h = (h ^ tail) * kMul;
  return h ^ (h >> 32);
}

}  // namespace stockpile::bus

#endif  // STOCKPILE_BUS_FAST_HASH_H_
