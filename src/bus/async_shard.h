// AsyncShard: one worker thread of an async subscription and its bounded
// FIFO queue of events. An async subscription has `workers` shards and sends
// every event of one aggregate to the same shard, which is what keeps those
// events in publish order.
//
// The worker takes the whole queue at once and handles it outside the lock,
// so a busy shard costs the publisher one uncontended lock per event and a
// wake-up only when the worker was asleep.
//
// Ownership: the shard owns its thread; Join or Detach must be called
// before destruction (CHECKed). The `handle` callable passed to Start is
// owned by the thread and destroyed when the thread ends.
//
// Thread-safety: Push, Close, WaitIdle and the accessors may be called from
// any thread; Start, Join and Detach by the owner, once.
#ifndef STOCKPILE_BUS_ASYNC_SHARD_H_
#define STOCKPILE_BUS_ASYNC_SHARD_H_

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "bus/subscribe_options.h"
#include "core/event.h"

namespace stockpile::bus::internal {

class AsyncShard {
 public:
  // `capacity`: events that may wait in the queue (besides the batch the
  // worker is handling); >= 1.
  AsyncShard(size_t capacity, Backpressure policy);
  ~AsyncShard();
  AsyncShard(const AsyncShard&) = delete;
  AsyncShard& operator=(const AsyncShard&) = delete;

  // Starts the worker, which calls `handle` for each event in queue order.
  void Start(std::function<void(const core::EventPtr&)> handle);

  // Queues `event`. When the queue is full, waits (kBlock) or refuses it
  // (kReject). Returns false when the event was not accepted (refused or
  // the shard is closed); such events count as dropped.
  bool Push(const core::EventPtr& event);

  // Stops accepting events and wakes everyone. The worker finishes the event
  // in hand and exits; events not yet handled are discarded (dropped).
  // Idempotent.
  void Close();
  void Join();    // waits for the worker to exit (after Close)
  void Detach();  // lets it exit on its own (when the caller is a handler)

  // Blocks until every event pushed before the call has been handled, or
  // the shard is closed.
  void WaitIdle();

  size_t depth() const { return depth_.load(std::memory_order_relaxed); }
  uint64_t dropped() const { return dropped_.load(std::memory_order_relaxed); }

 private:
  void Run(const std::function<void(const core::EventPtr&)>& handle);
  void Discard(size_t n);

  // Immutable after construction.
  const size_t capacity_;
  const Backpressure policy_;

  std::thread thread_;  // owned by the owner's thread (Start/Join/Detach)
  std::atomic<bool> stopping_{false};  // mirrors closed_, read without mu_
  std::atomic<size_t> depth_{0};       // queued + in the worker's batch
  std::atomic<uint64_t> dropped_{0};

  std::mutex mu_;
  std::condition_variable not_empty_;  // worker waits for events
  std::condition_variable not_full_;   // kBlock publishers wait for room
  std::condition_variable idle_;       // WaitIdle waits for an empty shard
  std::vector<core::EventPtr> queue_;  // GUARDED_BY(mu_)
  bool closed_ = false;                // GUARDED_BY(mu_)
  bool busy_ = false;                  // GUARDED_BY(mu_): handling a batch
  bool worker_waiting_ = false;        // GUARDED_BY(mu_)
  size_t publishers_waiting_ = 0;      // GUARDED_BY(mu_)
};

}  // namespace stockpile::bus::internal

#endif  // STOCKPILE_BUS_ASYNC_SHARD_H_
