// RoutingTable: one immutable snapshot of the bus's subscriptions — the
// subscriber list, a trie of their patterns, and a route cache filled lazily
// as keys are published. (Un)subscribing builds a new table and swaps it in;
// the old one, with its cache, is discarded once no publisher can see it.
//
// Ownership: owns a reference to every Subscriber it routes to, so the raw
// Subscriber pointers in its Routes stay valid while the table lives.
//
// Thread-safety: after construction every method may be called concurrently
// (the cache is the only mutable part, and it is lock-free).
#ifndef STOCKPILE_BUS_ROUTING_TABLE_H_
#define STOCKPILE_BUS_ROUTING_TABLE_H_

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "bus/route_cache.h"
#include "bus/subscriber.h"
#include "bus/topic_trie.h"
#include "core/status.h"

namespace stockpile::bus::internal {

class RoutingTable {
 public:
  // `subscribers` in subscription order; their patterns must be valid.
  // `generation` identifies this table among all tables of one bus, ever
  // (publishers use it to tell whether a route they memoized is still valid).
  RoutingTable(std::vector<std::shared_ptr<Subscriber>> subscribers,
               uint64_t generation);
  RoutingTable(const RoutingTable&) = delete;
  RoutingTable& operator=(const RoutingTable&) = delete;

  // The cached route of `key` (FastHash(key) == hash), or nullptr.
  const Route* Find(std::string_view key, uint64_t hash) const {
    return cache_.Find(key, hash);
  }

  // Matches `key` through the trie and caches the route. Sets `route` to
  // the cached route, or, when the cache is full, to one owned by `spare`.
  // InvalidArgument when `key` is not a valid routing key.
  core::Status Resolve(std::string_view key, uint64_t hash, const Route*& route,
                       std::unique_ptr<Route>& spare) const;

  uint64_t generation() const { return generation_; }

  const std::vector<std::shared_ptr<Subscriber>>& subscribers() const {
    return subscribers_;
  }

 private:
  const std::vector<std::shared_ptr<Subscriber>> subscribers_;
  const uint64_t generation_;
  TopicTrie trie_;  // ids are indices into subscribers_
  mutable RouteCache cache_;
};

}  // namespace stockpile::bus::internal

#endif  // STOCKPILE_BUS_ROUTING_TABLE_H_
