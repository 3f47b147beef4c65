// ConsumerOptions: one named subscription (a consumer group) — the event
// types it wants, its handler and its failure policy — and ConsumerDeps,
// the stores and clock a Consumer runs on.
//
//   ConsumerOptions options{.name = "billing",
//                           .type_patterns = {"order.#", "payment.*"},
//                           .handler = handle,
//                           .workers = 8};
//
// Thread-safety: plain values.
#ifndef STOCKPILE_RUNTIME_CONSUMER_OPTIONS_H_
#define STOCKPILE_RUNTIME_CONSUMER_OPTIONS_H_

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "runtime/checkpoint_store.h"
#include "runtime/circuit_breaker.h"
#include "runtime/dead_letter_store.h"
#include "runtime/event_source.h"
#include "runtime/handler_context.h"
#include "runtime/inbox_store.h"
#include "runtime/retry_policy.h"
#include "runtime/transaction.h"
#include "runtime/work_item.h"

namespace stockpile::runtime {

// What happens to the later events of an aggregate once one is parked.
enum class FailurePolicy {
  kParkAndContinue,  // they are handled (default)
  kStopAggregate,    // they wait until the parked one is redriven/discarded
};

// How a batch handler's batches are cut.
struct BatchOptions {
  size_t max_events = 256;  // >= 1
  // A batch smaller than max_events waits until its oldest event has been
  // queued this long (clock time); 0 = hand over what is ready at once.
  std::chrono::milliseconds flush_interval{0};
};

struct ConsumerOptions {
  std::string name;                        // unique per process, non-empty
  std::vector<std::string> type_patterns;  // empty = every type
  // Exactly one of `handler` and `batch_handler` is set.
  Handler handler;
  // Batches are committed as one transaction: the batch's effects, an inbox
  // record per event and the checkpoint. Events already in the inbox are
  // left out of a batch. A failed batch (handler or commit) counts as one
  // failure for the circuit breaker but not as an attempt of its events:
  // each is then delivered alone, so a poison event is retried and parked
  // by itself while its neighbours commit. Redriven and retried events are
  // always delivered alone.
  BatchHandler batch_handler;
  BatchOptions batch;
  RetryPolicy retry;
  FailurePolicy failure_policy = FailurePolicy::kParkAndContinue;
  // Off by default (failure_threshold 0). Counts handler and commit
  // failures across all workers; while open no delivery starts. Its state
  // lives in memory: a restarted consumer starts closed.
  CircuitBreakerOptions circuit_breaker;
  // Worker threads. Events of one (tenant, aggregateId) always go to the
  // same worker, in log order; different aggregates run in parallel.
  int workers = 1;
  // The ordering unit instead of the aggregate, when set: events with the
  // same key (it must include the tenant) are handled one at a time, in log
  // order. A saga orders by its instance (saga.h), whose events come from
  // several aggregates.
  std::function<std::string(const core::Event&)> ordering_key;
  // Events dispatched but not finished before the source is held back.
  size_t max_in_flight = 1024;
  // Lag > 0 and no event finished for this long (clock time) -> stalled.
  std::chrono::milliseconds stall_after{60000};
  // Real time between an idle worker's looks at the clock (retry due
  // times), and between checkpoint flushes.
  std::chrono::milliseconds poll_interval{10};
  // Real time between scans for redrives requested by other processes.
  std::chrono::milliseconds redrive_scan_interval{1000};
};

// Everything here must outlive the Consumer. All must be of one backend
// (memory or SQLite), so their writes share `transactions`.
// options.ordering_key(event), or the event's aggregate when that is unset.
inline std::string OrderingKey(const ConsumerOptions& options,
                               const core::Event& event) {
  return options.ordering_key ? options.ordering_key(event)
                              : AggregateKey(event);
}

struct ConsumerDeps {
  EventSource* source = nullptr;
  TransactionRunner* transactions = nullptr;
  CheckpointStore* checkpoints = nullptr;
  InboxStore* inbox = nullptr;
  DeadLetterStore* dead_letters = nullptr;
  const core::Clock* clock = nullptr;
  // Null: a SeededJitter seeded from std::random_device, owned by the
  // Consumer.
  JitterSource* jitter = nullptr;
};

}  // namespace stockpile::runtime

#endif  // STOCKPILE_RUNTIME_CONSUMER_OPTIONS_H_
