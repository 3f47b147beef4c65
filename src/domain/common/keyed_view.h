// KeyedView<State>: an in-memory read model of many aggregates of one kind,
// per tenant — each aggregate's State folded from its events, as its own
// stream would give it, plus the order in which the aggregates appeared.
// It answers the list queries that a stream read cannot (every product of a
// tenant, the newest orders) and is fed from a store subscription, so it is
// rebuilt from the log at start and follows it live (eventually consistent:
// a list read right after a command may not show it yet; single-aggregate
// reads go to the stream).
//
//   KeyedView<OrderState> orders;
//   orders.Apply(*event, event->aggregate_id);        // from a subscription
//   std::vector<OrderState> page = orders.Newest("acme", {}, 50, pred, &next);
//
// Thread-safety: safe for concurrent use; Apply takes a writer lock, reads
// a shared one and return copies.
#ifndef STOCKPILE_DOMAIN_COMMON_KEYED_VIEW_H_
#define STOCKPILE_DOMAIN_COMMON_KEYED_VIEW_H_

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"

namespace stockpile::domain::common {

template <typename State>
class KeyedView {
 public:
  using Predicate = std::function<bool(const State&)>;

  // Folds `event` into the aggregate `key` of the event's tenant.
  void Apply(const core::Event& event, const std::string& key) {
    std::unique_lock lock(mu_);
    Tenant& t = tenants_[event.tenant_id];
    auto [it, inserted] = t.by_key.try_emplace(key);
    if (inserted) {
      it->second.sequence = ++t.last_sequence;
      t.by_sequence.emplace(it->second.sequence, key);
    }
    it->second.state.Apply(event);
  }

  std::optional<State> Get(std::string_view tenant,
                           std::string_view key) const {
    std::shared_lock lock(mu_);
    const Tenant* t = Find(tenant);
    if (t == nullptr) return std::nullopt;
    auto it = t->by_key.find(key);
    if (it == t->by_key.end()) return std::nullopt;
    return it->second.state;
  }

  // Up to `limit` aggregates with keys after `after` (exclusive; "" = from
  // the first), in key order, that satisfy `keep`. `next` is the last key
  // returned when more may follow, else "".
  std::vector<State> ByKey(std::string_view tenant, std::string_view after,
                           size_t limit, const Predicate& keep,
                           std::string* next) const {
    std::shared_lock lock(mu_);
    std::vector<State> out;
    next->clear();
    const Tenant* t = Find(tenant);
    if (t == nullptr) return out;
    auto it = after.empty() ? t->by_key.begin() : t->by_key.upper_bound(after);
    std::string last_key;
    for (; it != t->by_key.end(); ++it) {
      if (keep && !keep(it->second.state)) continue;
      if (out.size() == limit) {
        *next = last_key;
        break;
      }
      out.push_back(it->second.state);
      last_key = it->first;
    }
    return out;
  }

  // Up to `limit` aggregates that appeared before sequence `before`
  // (exclusive; 0 = the newest first), newest first. `next` is the cursor
  // for the following page, 0 when there is none.
  std::vector<State> Newest(std::string_view tenant, int64_t before,
                            size_t limit, const Predicate& keep,
                            int64_t* next) const {
    std::shared_lock lock(mu_);
    std::vector<State> out;
    *next = 0;
    const Tenant* t = Find(tenant);
    if (t == nullptr) return out;
    auto it =
        before <= 0
            ? t->by_sequence.rbegin()
            : std::make_reverse_iterator(t->by_sequence.lower_bound(before));
    int64_t last_sequence = 0;
    for (; it != t->by_sequence.rend(); ++it) {
      const Entry& e = t->by_key.find(it->second)->second;
      if (keep && !keep(e.state)) continue;
      if (out.size() == limit) {
        *next = last_sequence;
        break;
      }
      out.push_back(e.state);
      last_sequence = it->first;
    }
    return out;
  }

  // The number of aggregates of `tenant`.
  size_t Size(std::string_view tenant) const {
    std::shared_lock lock(mu_);
    const Tenant* t = Find(tenant);
    return t == nullptr ? 0 : t->by_key.size();
  }

 private:
  struct Entry {
    int64_t sequence = 0;
    State state;
  };
  struct Tenant {
    std::map<std::string, Entry, std::less<>> by_key;
    std::map<int64_t, std::string> by_sequence;
    int64_t last_sequence = 0;
  };

  const Tenant* Find(std::string_view tenant) const {
    auto it = tenants_.find(tenant);
    return it == tenants_.end() ? nullptr : &it->second;
  }
  mutable std::shared_mutex mu_;
  std::map<std::string, Tenant, std::less<>> tenants_;  // GUARDED_BY(mu_)
};

}  // namespace stockpile::domain::common

#endif  // STOCKPILE_DOMAIN_COMMON_KEYED_VIEW_H_
