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
// Rebuild (read_model_rebuild.h): a fresh view is filled from the log while
// this one serves, then TakeOver swaps it in. Apply skips an event whose
// store position is at or below the view's position(), so the live
// subscription's deliveries of events the fresh view already holds are not
// folded twice (events without a position, 0, are always folded).
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
    if (event.position != 0) {
      if (event.position <= position_) return;
      position_ = event.position;
    }
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

  // The log position up to which this view holds every event it was fed:
  // the last applied, or as set by SetPosition / TakeOver.
  int64_t position() const {
    std::shared_lock lock(mu_);
    return position_;
  }
  // For a view filled from a log scan: it holds every matching event up to
  // `position` (ReadAllResult::last_scanned_position). Never moves back.
  void SetPosition(int64_t position) {
    std::unique_lock lock(mu_);
    if (position > position_) position_ = position;
  }

  // Replaces this view's content by `fresh`'s when `fresh` holds at least
  // what this one does (fresh.position() >= position()); returns false and
  // changes nothing otherwise (read more of the log into `fresh`, retry).
  // `fresh` is left empty. Readers see the old or the new content, never a
  // mix.
  bool TakeOver(KeyedView& fresh) {
    std::scoped_lock lock(mu_, fresh.mu_);
    if (fresh.position_ < position_) return false;
    tenants_ = std::move(fresh.tenants_);
    position_ = fresh.position_;
    fresh.tenants_.clear();
    return true;
  }

  // Aggregates over all tenants.
  size_t TotalSize() const {
    std::shared_lock lock(mu_);
    size_t n = 0;
    for (const auto& [name, tenant] : tenants_) n += tenant.by_key.size();
    return n;
  }

  // The number of aggregates of `tenant`.
  size_t Size(std::string_view tenant) const {
    std::shared_lock lock(mu_);
    const Tenant* t = Find(tenant);
    return t == nullptr ? 0 : t->by_key.size();
  }

  // Every tenant with at least one aggregate, in order.
  std::vector<std::string> Tenants() const {
    std::shared_lock lock(mu_);
    std::vector<std::string> out;
    for (const auto& [tenant, t] : tenants_) out.push_back(tenant);
    return out;
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
  int64_t position_ = 0;                                // GUARDED_BY(mu_)
};

}  // namespace stockpile::domain::common

#endif  // STOCKPILE_DOMAIN_COMMON_KEYED_VIEW_H_
