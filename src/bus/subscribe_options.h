// SubscribeOptions and SubscriptionStats: how a bus subscription delivers
// events, and what it has done so far.
//
//   bus::SubscribeOptions async{.name = "projections",
//                               .dispatch = bus::Dispatch::kAsync,
//                               .workers = 4,
//                               .queue_capacity = 4096,
//                               .backpressure = bus::Backpressure::kReject};
//
// Thread-safety: plain values.
#ifndef STOCKPILE_BUS_SUBSCRIBE_OPTIONS_H_
#define STOCKPILE_BUS_SUBSCRIBE_OPTIONS_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "bus/event_ref.h"
#include "core/status.h"

namespace stockpile::bus {

// A subscriber's callback. It returns a Status instead of throwing; an error
// (or an exception, which the bus catches) is counted as `failed` and never
// affects other subscribers or the publisher. std::function rather than a
// template keeps the bus a compiled library; its call costs one indirect
// call, measured in bench/bus_bench.cc.
using Handler = std::function<core::Status(const EventRef&)>;

enum class Dispatch {
  // The handler runs inline on the publishing thread, in subscription order,
  // before Publish returns.
  kSync,
  // Publish enqueues the event; `workers` threads run the handler. Events of
  // one aggregateId always go to the same worker, so they are handled in
  // publish order; different aggregates are handled in parallel.
  kAsync,
};

// What Publish does when an async subscription's queue is full.
enum class Backpressure {
  kBlock,   // wait for room (the publisher slows down to the consumer)
  kReject,  // drop the event for this subscription and count it as dropped
};

struct SubscribeOptions {
  std::string name;  // for stats and metrics; defaults to the pattern(s)
  Dispatch dispatch = Dispatch::kSync;
  size_t workers = 1;            // async only; >= 1
  size_t queue_capacity = 4096;  // async only: events queued per worker, >= 1
  Backpressure backpressure = Backpressure::kBlock;
};

struct SubscriptionStats {
  uint64_t delivered = 0;  // handler calls that returned ok
  uint64_t failed = 0;     // handler calls that returned an error or threw
  // Async only: events refused by a full queue (kReject), plus events still
  // queued when the subscription was closed (they are never delivered).
  uint64_t dropped = 0;
  size_t queue_depth = 0;  // async only: events accepted, not yet handled
};

}  // namespace stockpile::bus

#endif  // STOCKPILE_BUS_SUBSCRIBE_OPTIONS_H_
