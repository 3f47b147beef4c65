#include "bus/route_cache.h"

#include <algorithm>
#include <bit>

namespace stockpile::bus {

namespace {

size_t SlotCount(size_t max_routes) {
  return std::bit_ceil(std::max<size_t>(max_routes, 1) * 2);
}

}  // namespace

RouteCache::RouteCache(size_t max_routes)
    : max_routes_(std::max<size_t>(max_routes, 1)),
      mask_(SlotCount(max_routes) - 1),
      slots_(new std::atomic<const Route*>[mask_ + 1]) {
  for (size_t i = 0; i <= mask_; ++i) {
    slots_[i].store(nullptr, std::memory_order_relaxed);
  }
}

RouteCache::~RouteCache() {
  for (size_t i = 0; i <= mask_; ++i) {
    delete slots_[i].load(std::memory_order_relaxed);
  }
}

const Route* RouteCache::Insert(std::unique_ptr<Route>& route) {
  // Reserve room first so the table never exceeds half full, which keeps
  // every probe sequence short and guarantees an empty slot ends it.
  if (size_.fetch_add(1, std::memory_order_relaxed) >= max_routes_) {
    size_.fetch_sub(1, std::memory_order_relaxed);
    return nullptr;
  }
  for (size_t i = route->hash & mask_;; i = (i + 1) & mask_) {
    const Route* expected = nullptr;
    if (slots_[i].compare_exchange_strong(expected, route.get(),
                                          std::memory_order_acq_rel,
                                          std::memory_order_acquire)) {
      return route.release();
    }
    if (expected->hash == route->hash && expected->key == route->key) {
      size_.fetch_sub(1, std::memory_order_relaxed);
      return expected;
    }
  }
}

}  // namespace stockpile::bus
