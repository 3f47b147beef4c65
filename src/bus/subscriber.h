// Subscriber: the bus's internal record of one subscription — its patterns,
// handler, options, counters, and (when async) its worker shards.
//
// Ownership: shared by the routing snapshots that route to it and by the
// Subscription handle; async worker threads keep it alive until they exit.
//
// Thread-safety: Invoke, Enqueue, Stats and Flush may be called from any
// thread concurrently; Close is idempotent; StartWorkers once, before the
// subscriber is published to a routing snapshot; Join once, after Close.
#ifndef STOCKPILE_BUS_SUBSCRIBER_H_
#define STOCKPILE_BUS_SUBSCRIBER_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "bus/async_shard.h"
#include "bus/event_ref.h"
#include "bus/subscribe_options.h"

namespace stockpile::bus::internal {

class Subscriber : public std::enable_shared_from_this<Subscriber> {
 public:
  // `patterns` must be valid topic patterns; `handler` non-null.
  Subscriber(std::vector<std::string> patterns, Handler handler,
             SubscribeOptions options);
  ~Subscriber();
  Subscriber(const Subscriber&) = delete;
  Subscriber& operator=(const Subscriber&) = delete;

  void StartWorkers();

  const std::vector<std::string>& patterns() const { return patterns_; }
  const std::string& name() const { return options_.name; }
  bool is_async() const { return async_; }

  // Sync delivery: runs the handler now, unless closed, counting the outcome.
  void Invoke(const EventRef& event) {
    if (closed_.load(std::memory_order_relaxed)) return;
    InvokeUnchecked(event);
  }

  // Async delivery: queues `event` on the shard of its aggregate. Returns
  // false when it was not accepted (full with kReject, or closed).
  bool Enqueue(const core::EventPtr& event);

  // After Close the handler is not called again by this thread, nor by
  // workers once their current call returns; queued events are dropped.
  void Close();
  // Waits for the workers to exit, or detaches them when the caller is
  // itself running a handler (it might be one of them).
  void Join();
  // Blocks until the events queued before the call have been handled.
  void Flush();

  SubscriptionStats Stats() const;

 private:
  void InvokeUnchecked(const EventRef& event);

  // Immutable after construction.
  const std::vector<std::string> patterns_;
  const Handler handler_;
  const SubscribeOptions options_;
  const bool async_;
  std::vector<std::unique_ptr<AsyncShard>> shards_;  // set up in the ctor

  std::atomic<bool> closed_{false};
  std::atomic<uint64_t> delivered_{0};
  std::atomic<uint64_t> failed_{0};
  std::mutex join_mu_;  // serializes Join
};

}  // namespace stockpile::bus::internal

#endif  // STOCKPILE_BUS_SUBSCRIBER_H_
