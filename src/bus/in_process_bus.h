// InProcessBus: the in-process topic bus — the fast path for events inside
// one Stockpile process.
//
//   publisher -> InProcessBus::Publish -> routing cache/trie -> subscription
//   queue -> handler
//
// Subscribers register an AMQP topic pattern ("inventory.#", "order.*") and
// a handler; Publish routes an event by its eventType to every matching
// subscription. A subscription is synchronous (the handler runs inline on
// the publishing thread, subscriptions in the order they were made) or
// asynchronous (a bounded queue and N workers per subscription; events of
// one aggregateId are handled in publish order). A handler error or
// exception is counted and never reaches other subscribers or the publisher.
//
//   bus::InProcessBus bus;
//   core::Result<bus::Subscription> sub = bus.Subscribe(
//       "inventory.stock.*", [](const bus::EventRef& e) {
//         std::cout << e->event_type << "\n";
//         return core::Status::Ok();
//       });
//   RETURN_IF_ERROR(bus.Publish(event_ptr));
//
// Cost: a key seen before costs one hash lookup in the current routing
// snapshot (a key compare when it is the thread's previous key), read with
// no lock and no atomic read-modify-write (see reader_epoch.h); a new key
// is matched once through a trie of all patterns, then cached.
// (Un)subscribing rebuilds the snapshot, which also empties the cache.
// Numbers: BENCHMARKS.md, "Bus".
//
// Ownership: the bus owns its subscriptions' workers; Subscription handles
// may outlive it. Destroying the bus closes every subscription (queued async
// events are dropped; call Flush first to deliver them) and joins workers.
//
// Thread-safety: Subscribe, Unsubscribe, Publish, Flush and Stats may be
// called concurrently from any threads, including from inside handlers
// (Flush excepted). The bus must not be destroyed while a Publish on it is
// still running.
#ifndef STOCKPILE_BUS_IN_PROCESS_BUS_H_
#define STOCKPILE_BUS_IN_PROCESS_BUS_H_

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bus/event_ref.h"
#include "bus/subscribe_options.h"
#include "bus/subscription.h"
#include "core/event.h"
#include "core/result.h"

namespace stockpile::bus {

class InProcessBus {
 public:
  InProcessBus();
  ~InProcessBus();
  InProcessBus(const InProcessBus&) = delete;
  InProcessBus& operator=(const InProcessBus&) = delete;

  // Subscribes `handler` to events whose type matches `pattern` (or any of
  // `patterns`; an event matching several is delivered once).
  // InvalidArgument for a bad pattern, empty handler or bad options;
  // FailedPrecondition once the bus is closing.
  core::Result<Subscription> Subscribe(std::string_view pattern,
                                       Handler handler,
                                       SubscribeOptions options = {});
  core::Result<Subscription> Subscribe(std::vector<std::string> patterns,
                                       Handler handler,
                                       SubscribeOptions options = {});

  // Delivers `event` to every matching subscription: runs sync handlers
  // before returning, queues it for async ones. Returns InvalidArgument when
  // the eventType is not a valid routing key (nothing is delivered), and
  // ResourceExhausted when an async subscription did not accept it (full
  // queue with Backpressure::kReject); the others still got it. No matching
  // subscription is not an error.
  core::Status Publish(const core::EventPtr& event);
  // The same for an event the caller owns: sync handlers borrow it with no
  // allocation; it is copied once if an async subscription needs it.
  core::Status Publish(const core::Event& event);

  // Blocks until every event queued for an async subscription before the
  // call has been handled. FailedPrecondition from inside a handler.
  core::Status Flush();

  // (name, stats) of every current subscription, in subscription order.
  std::vector<std::pair<std::string, SubscriptionStats>> Stats() const;

 private:
  std::shared_ptr<internal::BusCore> core_;  // shared with Subscriptions
};

}  // namespace stockpile::bus

#endif  // STOCKPILE_BUS_IN_PROCESS_BUS_H_
