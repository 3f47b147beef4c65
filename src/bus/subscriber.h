// Subscriber: the bus's internal record of one subscription — its patterns,
// handler, options, counters, and (when async) its worker shards.
//
// Ownership: shared by the routing snapshots that route to it and by the
// Subscription handle; async worker threads keep it alive until they exit.
//
// Counters: delivered/failed are sharded so that the thread running the
// handler normally owns its shard and counts with a plain load and store (no
// atomic read-modify-write, no shared cache line): shard i < kReaderShards
// belongs to the publishing thread whose ReaderEpoch reader_index() is i
// (unique among that bus's live publishing threads), then one shard per
// async worker; publishers with a larger index share one shard and count
// with fetch_add. Stats sums the shards (relaxed: a snapshot, exact once
// the counting threads are synchronized with the caller, e.g. joined or
// flushed).
//
// Thread-safety: Invoke, Enqueue, Stats and Flush may be called from any
// thread concurrently (Invoke with the caller's reader index, under a Guard
// of the bus's ReaderEpoch); Close is idempotent; StartWorkers once, before
// the subscriber is published to a routing snapshot; Join once, after Close.
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

  // Publishing threads with a reader index below this own a counter shard.
  static constexpr size_t kReaderShards = 8;

  // Sync delivery: runs the handler now, unless closed, counting the outcome
  // in the shard of `reader_index` (the caller's ReaderEpoch reader index).
  void Invoke(const EventRef& event, size_t reader_index) {
    if (closed_.load(std::memory_order_relaxed)) return;
    if (reader_index < kReaderShards) {
      InvokeUnchecked(event, counters_[reader_index], /*exclusive=*/true);
    } else {
      InvokeUnchecked(event, counters_[kReaderShards], /*exclusive=*/false);
    }
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
  struct alignas(64) Counters {
    std::atomic<uint64_t> delivered{0};
    std::atomic<uint64_t> failed{0};
  };
  // `exclusive`: only this thread ever counts in `counters`.
  void InvokeUnchecked(const EventRef& event, Counters& counters,
                       bool exclusive);

  // Immutable after construction.
  const std::vector<std::string> patterns_;
  const Handler handler_;
  const SubscribeOptions options_;
  const bool async_;
  std::vector<std::unique_ptr<AsyncShard>> shards_;  // set up in the ctor

  // kReaderShards reader shards, the shared one, then one per async worker.
  const std::unique_ptr<Counters[]> counters_;

  std::atomic<bool> closed_{false};
  std::mutex join_mu_;  // serializes Join
};

}  // namespace stockpile::bus::internal

#endif  // STOCKPILE_BUS_SUBSCRIBER_H_
