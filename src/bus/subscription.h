// Subscription: the move-only handle InProcessBus::Subscribe returns. While
// it lives, its handler receives matching events; destroying it (or calling
// Unsubscribe) ends the subscription.
//
//   core::Result<bus::Subscription> sub = bus.Subscribe("order.*", handler);
//   ...
//   sub->Stats().delivered;
//   sub->Unsubscribe();   // or let it go out of scope
//
// A handle may outlive its bus: the bus closes every subscription when it is
// destroyed, and the handle then just reports final stats.
//
// Thread-safety: Stats() may be called concurrently with anything; the
// other methods need external synchronization on one handle (as for any
// value), though different handles may be used from different threads.
#ifndef STOCKPILE_BUS_SUBSCRIPTION_H_
#define STOCKPILE_BUS_SUBSCRIPTION_H_

#include <memory>
#include <string>

#include "bus/subscribe_options.h"

namespace stockpile::bus {

namespace internal {
class BusCore;
class Subscriber;
}  // namespace internal

class Subscription {
 public:
  Subscription() = default;  // an empty handle
  ~Subscription();
  Subscription(Subscription&& other) noexcept = default;
  Subscription& operator=(Subscription&& other) noexcept;
  Subscription(const Subscription&) = delete;
  Subscription& operator=(const Subscription&) = delete;

  // Ends the subscription. When it returns, the handler is not running and
  // will never be called again — unless Unsubscribe is itself called from
  // inside a bus handler (of any subscription, sync or async): waiting there
  // could deadlock, so it returns at once and a publish already in progress
  // on another thread may still complete one call. Async events still queued
  // are dropped (call InProcessBus::Flush first to deliver them).
  // Idempotent; a no-op on an empty handle.
  void Unsubscribe();

  // False for an empty or unsubscribed handle.
  bool active() const { return subscriber_ != nullptr && !unsubscribed_; }
  // The subscription's name (SubscribeOptions::name or its patterns);
  // empty for an empty handle.
  const std::string& name() const;
  // Counters so far; zeros for an empty handle.
  SubscriptionStats Stats() const;

 private:
  friend class InProcessBus;
  Subscription(std::weak_ptr<internal::BusCore> bus,
               std::shared_ptr<internal::Subscriber> subscriber);

  std::weak_ptr<internal::BusCore> bus_;
  std::shared_ptr<internal::Subscriber> subscriber_;
  bool unsubscribed_ = false;
};

}  // namespace stockpile::bus

#endif  // STOCKPILE_BUS_SUBSCRIPTION_H_
