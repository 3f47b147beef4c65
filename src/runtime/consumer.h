// Consumer: runs one named subscription — catch-up from its checkpoint,
// then live — with retries, dead letters and exactly-once effects
// (DESIGN.md §5, issue 4).
//
//   EventSource::Subscribe -> Consumer -> worker (per aggregate) -> inbox
//   check -> handler -> effect+inbox+checkpoint commit | retry -> dead letter
//
//   StoreEventSource source(store);
//   ConsumerDeps deps{.source = &source, .transactions = &runner,
//                     .checkpoints = &checkpoints, .inbox = &inbox,
//                     .dead_letters = &dlq, .clock = &clock};
//   ASSIGN_OR_RETURN(auto consumer, Consumer::Start(std::move(options), deps));
//   ...
//   consumer->Stop();   // or destroy it
//
// Guarantees:
// - Events of one (tenant, aggregateId) reach the handler in log order, one
//   at a time; different aggregates run on `workers` threads in parallel.
// - The checkpoint only moves past events that are handled or parked: it is
//   the highest position below which everything is done. After a restart
//   the events above it are delivered again; the inbox recognises those
//   already handled, so their effects are not applied twice.
// - A retryable failure is tried again after RetryPolicy's delay (clock
//   time); the schedule is stored (DeadLetterStore, kRetrying), so it
//   survives a restart. After the last attempt, or at once for a permanent
//   failure, the event is parked and the subscription moves on (or, with
//   kStopAggregate, holds later events of that aggregate).
// - With a circuit breaker configured, N consecutive failures stop all
//   deliveries for a cool-down (clock time), then one probe decides
//   (circuit_breaker.h).
// - Redrive(id) delivers a parked event once more; the record disappears
//   when it succeeds, or is parked again with the new error.
//
// Ownership: owns its worker threads and source subscription; everything in
// ConsumerDeps must outlive it. Thread-safety: all public methods are safe
// from any thread, but not from inside the handler (Stop() would wait for
// itself).
#ifndef STOCKPILE_RUNTIME_CONSUMER_H_
#define STOCKPILE_RUNTIME_CONSUMER_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/result.h"
#include "runtime/circuit_breaker.h"
#include "runtime/consumer_counters.h"
#include "runtime/consumer_options.h"
#include "runtime/consumer_stats.h"
#include "runtime/consumer_worker.h"
#include "runtime/event_processor.h"
#include "runtime/progress_tracker.h"

namespace stockpile::runtime {

class Consumer {
 public:
  // Validates the options (InvalidArgument), loads the checkpoint and the
  // subscription's failure records, and starts delivering.
  static core::Result<std::unique_ptr<Consumer>> Start(ConsumerOptions options,
                                                       ConsumerDeps deps);
  // Stop().
  ~Consumer();
  Consumer(const Consumer&) = delete;
  Consumer& operator=(const Consumer&) = delete;

  // Stops delivery, waits for running handlers, saves the checkpoint.
  // Idempotent.
  void Stop();

  // Workers finish what they are running and take nothing new until
  // Resume(); the source keeps reading up to max_in_flight events.
  void Pause();
  void Resume();

  ConsumerStats Stats() const;
  const std::string& name() const { return options_.name; }
  // The event types it subscribes to (empty: every type).
  const std::vector<std::string>& type_patterns() const {
    return options_.type_patterns;
  }

  // The position everything at or below which is done.
  int64_t checkpoint() const;
  // Blocks until checkpoint() >= position or `timeout` passed (real time).
  bool WaitForCheckpoint(int64_t position, std::chrono::milliseconds timeout);

  // Operator actions on this subscription's dead letters (DeadLetterStore
  // semantics), taking effect at once in this process.
  core::Status Redrive(std::string_view dead_letter_id);
  core::Result<int> RedriveAll();
  core::Status Discard(std::string_view dead_letter_id);

 private:
  Consumer(ConsumerOptions options, ConsumerDeps deps);
  core::Status Begin();
  core::Status Deliver(const core::EventPtr& event);
  ConsumerWorker& WorkerFor(const std::string& aggregate_key);
  void OnFinished(const WorkItem& item, EventProcessor::Result result);
  // Enqueues every redrive-requested record not yet queued.
  core::Status ScanDeadLetters();
  void Housekeeping();
  core::Status FlushCheckpoint();

  // Immutable after construction.
  const ConsumerOptions options_;
  const ConsumerDeps deps_;
  std::unique_ptr<JitterSource> owned_jitter_;
  ConsumerCounters counters_;
  CircuitBreaker breaker_;
  ProgressTracker tracker_;
  EventProcessor processor_;
  std::vector<std::unique_ptr<ConsumerWorker>> workers_;

  std::atomic<bool> paused_{false};
  std::atomic<bool> stopping_{false};
  std::atomic<int64_t> saved_checkpoint_{0};
  std::atomic<int64_t> start_checkpoint_{0};

  mutable std::mutex mu_;
  std::condition_variable housekeeping_cv_;
  std::unique_ptr<store::Subscription> subscription_;  // GUARDED_BY(mu_)
  // Dead letters of this subscription loaded at start (their events are
  // not taken from the source again).
  std::set<std::string> loaded_failures_;  // GUARDED_BY(mu_) event ids
  std::set<std::string> queued_redrives_;  // GUARDED_BY(mu_) record ids
  std::string source_error_;               // GUARDED_BY(mu_)
  bool stopped_ = false;                   // GUARDED_BY(mu_)

  std::thread housekeeping_;
};

}  // namespace stockpile::runtime

#endif  // STOCKPILE_RUNTIME_CONSUMER_H_
