// RouteCache: a fixed-capacity, insert-only hash map from routing key to the
// Route (the subscribers it reaches), readable and fillable by many
// publishing threads at once without locks.
//
// The bus keeps one RouteCache per routing snapshot: a key is matched
// against the trie once, and every later publish of that key costs one hash
// and one probe. A (un)subscribe builds a new snapshot with an empty cache,
// which is how the cache is invalidated. When the cache is full, Insert
// declines and the caller keeps using its own Route (matching stays correct,
// it is just not cached).
//
// Thread-safety: Find and Insert may be called concurrently from any number
// of threads. Routes, once inserted, are immutable and owned by the cache
// until it is destroyed.
#ifndef STOCKPILE_BUS_ROUTE_CACHE_H_
#define STOCKPILE_BUS_ROUTE_CACHE_H_

#include <atomic>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bus/fast_hash.h"

namespace stockpile::bus {

namespace internal {
class Subscriber;
}  // namespace internal

// The subscribers one routing key reaches, in subscription order.
struct Route {
  uint64_t hash = 0;
  std::string key;
  std::vector<internal::Subscriber*> targets;  // owned by the snapshot
  bool any_async = false;  // some target needs shared ownership of the event
};

class RouteCache {
 public:
  // Holds up to `max_routes` routes (rounded so the table stays half empty).
  explicit RouteCache(size_t max_routes = 4096);
  ~RouteCache();
  RouteCache(const RouteCache&) = delete;
  RouteCache& operator=(const RouteCache&) = delete;

  // The cached route of `key` (whose FastHash is `hash`), or nullptr.
  const Route* Find(std::string_view key, uint64_t hash) const {
    for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
      const Route* r = slots_[i].load(std::memory_order_acquire);
      if (r == nullptr) return nullptr;
      if (r->hash == hash && SameKey(r->key, key)) return r;
    }
  }

  // Caches `route` (taking ownership: `route` becomes null) and returns it.
  // If another thread cached the same key first, returns that route and
  // leaves `route` untouched; if the cache is full, returns nullptr and
  // leaves `route` untouched.
  const Route* Insert(std::unique_ptr<Route>& route);

  // a == b, inlined word by word: routing keys are short, and a libc memcmp
  // call was ~15% of a cached publish (perf, bus_bench workload B).
  static bool SameKey(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    size_t n = a.size(), i = 0;
    for (; i + 8 <= n; i += 8) {
      uint64_t x, y;
      std::memcpy(&x, a.data() + i, 8);
      std::memcpy(&y, b.data() + i, 8);
      if (x != y) return false;
    }
    for (; i < n; ++i) {
      if (a[i] != b[i]) return false;
    }
    return true;
  }

 private:
  const size_t max_routes_;
  const size_t mask_;  // slot count - 1; slot count is a power of two
  std::unique_ptr<std::atomic<const Route*>[]> slots_;
  std::atomic<size_t> size_{0};
};

}  // namespace stockpile::bus

#endif  // STOCKPILE_BUS_ROUTE_CACHE_H_
