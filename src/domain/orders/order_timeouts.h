// OrderTimeouts: the order saga's timeout (issue 5): a pending order whose
// reservation has not settled `timeout` after it was placed is rejected
// ("reservation timed out"), and inventory releases whatever it reserved
// for it (inventory.reservations reacts to order.rejected).
//
//   order.created  -> a deadline at createdAt + timeout
//   order.confirmed / rejected / cancelled -> the deadline is dropped
//   Sweep(now): every deadline due -> OrderService::RejectIfPending
//
// The deadlines are a read model of the log (Apply is fed by the process's
// read-model subscription, which replays the log from position 0 at every
// start), so a timeout survives a restart: an order that was pending when
// the process died is rejected by the first sweep after it comes back, or
// settles normally if its reservation lands first — the order aggregate's
// optimistic concurrency decides which, never both.
//
// Start() runs Sweep every `interval` of real time on its own thread until
// Stop(); tests call Sweep directly with a manual clock.
//
// Ownership: borrows `orders` and `clock`, which must outlive it.
// Thread-safety: Apply, Sweep, Start and Stop may be called from any thread.
#ifndef STOCKPILE_DOMAIN_ORDERS_ORDER_TIMEOUTS_H_
#define STOCKPILE_DOMAIN_ORDERS_ORDER_TIMEOUTS_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

#include "core/clock.h"
#include "core/event.h"
#include "domain/orders/order_service.h"

namespace stockpile::domain::orders {

struct OrderTimeoutOptions {
  // How long an order may stay pending; zero or less turns timeouts off.
  std::chrono::milliseconds timeout{30'000};
  // Real time between sweeps; also the delay before a failed rejection
  // (e.g. the store unavailable) is tried again.
  std::chrono::milliseconds interval{1'000};
};

class OrderTimeouts {
 public:
  OrderTimeouts(OrderService& orders, const core::Clock& clock,
                OrderTimeoutOptions options);
  // Stop().
  ~OrderTimeouts();
  OrderTimeouts(const OrderTimeouts&) = delete;
  OrderTimeouts& operator=(const OrderTimeouts&) = delete;

  // Folds an order.* event into the deadlines; other events are ignored.
  void Apply(const core::Event& e);

  // Rejects every order due at the clock's now that is still pending.
  // Returns how many were rejected.
  int Sweep();

  // Orders being watched.
  size_t pending() const;

  void Start();
  // Idempotent; returns once the sweeping thread has ended.
  void Stop();

 private:
  using Key = std::pair<std::string, std::string>;  // (tenant, orderId)

  // Immutable after construction.
  OrderService& orders_;
  const core::Clock& clock_;
  const OrderTimeoutOptions options_;

  mutable std::mutex mu_;
  std::multimap<int64_t, Key> by_deadline_;  // GUARDED_BY(mu_)
  std::map<Key, int64_t> deadline_of_;       // GUARDED_BY(mu_)
  bool stopping_ = false;                    // GUARDED_BY(mu_)
  std::condition_variable wake_;
  std::thread sweeper_;
};

}  // namespace stockpile::domain::orders

#endif  // STOCKPILE_DOMAIN_ORDERS_ORDER_TIMEOUTS_H_
