// ConsumerWorker: one worker thread of a Consumer and its queue. Every
// event of an aggregate goes to the same worker (by hash), which handles
// them strictly in queue order: the next item of an aggregate starts only
// after the previous one finished (handled or parked). An item waiting for
// its retry time holds back its own aggregate only; other aggregates of the
// worker go on. Under FailurePolicy::kStopAggregate a parked item stops its
// aggregate until ResumeAggregate(). No item starts while the subscription's
// circuit breaker denies it. With a batch handler, ready items that never
// failed are handed over together (ConsumerOptions::batch).
//
//   Source thread --Push--> queue --worker thread--> breaker permit -->
//     EventProcessor --> kDone / kSkipped / kParked: erased,
//     on_finished(item) | kRetryLater: stays
//
// Ownership: `processor`, `clock`, `options`, `paused` and `breaker` must
// outlive the worker. Thread-safety: all methods are safe from any thread.
#ifndef STOCKPILE_RUNTIME_CONSUMER_WORKER_H_
#define STOCKPILE_RUNTIME_CONSUMER_WORKER_H_

#include <atomic>
#include <condition_variable>
#include <functional>
#include <list>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "runtime/circuit_breaker.h"
#include "runtime/consumer_options.h"
#include "runtime/event_processor.h"
#include "runtime/work_item.h"

namespace stockpile::runtime {

class ConsumerWorker {
 public:
  // Called on the worker thread, outside its lock, for each finished item
  // (kDone, kSkipped or kParked).
  using FinishedFn =
      std::function<void(const WorkItem&, EventProcessor::Result)>;

  ConsumerWorker(EventProcessor& processor, const ConsumerOptions& options,
                 const core::Clock& clock, const std::atomic<bool>& paused,
                 CircuitBreaker& breaker, FinishedFn on_finished);
  // Stops the thread; queued items are dropped (they are durable elsewhere:
  // in the log above the checkpoint, or in the dead-letter store).
  ~ConsumerWorker();
  ConsumerWorker(const ConsumerWorker&) = delete;
  ConsumerWorker& operator=(const ConsumerWorker&) = delete;

  void Start();
  void Stop();

  // After the items already queued.
  void Push(WorkItem item);
  // Before the queued items of its aggregate (a redriven older event).
  void PushFront(WorkItem item);

  void StopAggregate(const std::string& key);
  void ResumeAggregate(const std::string& key);
  // Wakes the thread to look at the clock / pause flag again.
  void Wake();

 private:
  using Batch = std::vector<std::list<WorkItem>::iterator>;

  void Run();
  // Needs mu_. True when `item` may start now as its aggregate's next.
  bool Ready(const WorkItem& item, int64_t now_ms) const;
  // True when `item` may go into a batch.
  bool Batchable(const WorkItem& item) const;
  // Needs mu_. What to run now, in `out`: one item, or a batch of
  // batchable ones (queue order, aggregates in order); empty for nothing.
  void PickWork(int64_t now_ms, Batch& out);
  // Run with `lock` held; unlock it while the processor works.
  void RunOne(std::unique_lock<std::mutex>& lock,
              std::list<WorkItem>::iterator it, CircuitBreaker::Permit permit);
  void RunBatch(std::unique_lock<std::mutex>& lock, const Batch& batch,
                CircuitBreaker::Permit permit);

  // Immutable after construction.
  EventProcessor& processor_;
  const ConsumerOptions& options_;
  const core::Clock& clock_;
  const std::atomic<bool>& paused_;
  CircuitBreaker& breaker_;
  const FinishedFn on_finished_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::list<WorkItem> queue_;      // GUARDED_BY(mu_)
  std::set<std::string> stopped_;  // GUARDED_BY(mu_) kStopAggregate
  bool stopping_ = false;          // GUARDED_BY(mu_)
  // The thread is (about to be) blocked on cv_: a Push must wake it.
  // Otherwise it looks at the queue again before it waits.
  bool waiting_ = false;  // GUARDED_BY(mu_)

  std::thread thread_;
};

}  // namespace stockpile::runtime

#endif  // STOCKPILE_RUNTIME_CONSUMER_WORKER_H_
