#include "bus/routing_table.h"

#include <utility>

#include "core/status_macros.h"
#include "core/topic_pattern.h"

namespace stockpile::bus::internal {

RoutingTable::RoutingTable(std::vector<std::shared_ptr<Subscriber>> subscribers,
                           uint64_t generation)
    : subscribers_(std::move(subscribers)), generation_(generation) {
  for (size_t i = 0; i < subscribers_.size(); ++i) {
    for (const std::string& pattern : subscribers_[i]->patterns()) {
      trie_.Insert(pattern, static_cast<uint32_t>(i));
    }
  }
}

core::Status RoutingTable::Resolve(std::string_view key, uint64_t hash,
                                   const Route*& route,
                                   std::unique_ptr<Route>& spare) const {
  // Only keys that reach here are validated: a cached key was valid once.
  RETURN_IF_ERROR(core::ValidateRoutingKey(key));
  auto fresh = std::make_unique<Route>();
  fresh->hash = hash;
  fresh->key = std::string(key);
  std::vector<uint32_t> ids;
  trie_.Match(key, ids);
  for (uint32_t id : ids) {  // ascending = subscription order
    Subscriber* s = subscribers_[id].get();
    fresh->targets.push_back(s);
    fresh->any_async |= s->is_async();
  }
  route = cache_.Insert(fresh);
  if (route == nullptr) {
    spare = std::move(fresh);
    route = spare.get();
  }
  return core::Status::Ok();
}

}  // namespace stockpile::bus::internal
