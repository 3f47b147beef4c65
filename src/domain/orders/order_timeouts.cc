#include "domain/orders/order_timeouts.h"

#include <vector>

namespace stockpile::domain::orders {

OrderTimeouts::OrderTimeouts(OrderService& orders, const core::Clock& clock,
                             OrderTimeoutOptions options)
    : orders_(orders), clock_(clock), options_(options) {}

OrderTimeouts::~OrderTimeouts() { Stop(); }

void OrderTimeouts::Apply(const core::Event& e) {
  if (options_.timeout.count() <= 0) return;
  const std::string_view type = e.event_type;
  const bool created = type == "order.created";
  if (!created && type != "order.confirmed" && type != "order.rejected" &&
      type != "order.cancelled") {
    return;
  }
  std::string_view id = e.PayloadString("orderId");
  if (id.empty()) id = e.aggregate_id;
  Key key{e.tenant_id, std::string(id)};
  std::lock_guard lock(mu_);
  auto it = deadline_of_.find(key);
  if (it != deadline_of_.end()) {
    auto [first, last] = by_deadline_.equal_range(it->second);
    for (auto d = first; d != last; ++d) {
      if (d->second == key) {
        by_deadline_.erase(d);
        break;
      }
    }
    deadline_of_.erase(it);
  }
  if (created) {
    const int64_t due = e.timestamp_ms + options_.timeout.count();
    by_deadline_.emplace(due, key);
    deadline_of_.emplace(std::move(key), due);
  }
}

int OrderTimeouts::Sweep() {
  const int64_t now = clock_.NowMillis();
  std::vector<Key> due;
  {
    std::lock_guard lock(mu_);
    for (auto it = by_deadline_.begin();
         it != by_deadline_.end() && it->first <= now;) {
      due.push_back(it->second);
      deadline_of_.erase(it->second);
      it = by_deadline_.erase(it);
    }
  }
  int rejected = 0;
  for (Key& key : due) {
    const common::CommandContext ctx{.tenant = key.first};
    core::Result<bool> r = orders_.RejectIfPending(
        ctx, key.second,
        "reservation timed out after " +
            std::to_string(options_.timeout.count()) + " ms");
    if (r.ok()) {
      rejected += *r ? 1 : 0;
      continue;
    }
    // Not decided (the store is unavailable, say): look again later. If
    // the order settles meanwhile, that look finds it no longer pending.
    std::lock_guard lock(mu_);
    const int64_t again = now + options_.interval.count();
    if (deadline_of_.emplace(key, again).second) {
      by_deadline_.emplace(again, std::move(key));
    }
  }
  return rejected;
}

size_t OrderTimeouts::pending() const {
  std::lock_guard lock(mu_);
  return deadline_of_.size();
}

void OrderTimeouts::Start() {
  if (options_.timeout.count() <= 0) return;
  std::lock_guard lock(mu_);
  if (sweeper_.joinable() || stopping_) return;
  sweeper_ = std::thread([this] {
    std::unique_lock held(mu_);
    while (!stopping_) {
      wake_.wait_for(held, options_.interval);
      if (stopping_) break;
      held.unlock();
      Sweep();
      held.lock();
    }
  });
}

void OrderTimeouts::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (sweeper_.joinable()) sweeper_.join();
}

}  // namespace stockpile::domain::orders
