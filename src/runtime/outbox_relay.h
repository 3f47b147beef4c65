// OutboxRelay: the hop from the event store to the transport. The store's
// log is the outbox: the relay reads it from its checkpoint, publishes each
// page to a transport::Transport, and moves the checkpoint past an event
// only after the transport confirmed it (DESIGN.md §1, issue 4).
//
//   command -> EventStore::Append -> (log) -> OutboxRelay
//     -> Transport::Publish (confirmed) -> checkpoint "outbox:<transport>"
//
//   ASSIGN_OR_RETURN(auto relay, OutboxRelay::Create(
//       {.name = "outbox:rabbitmq"},
//       {.store = store.get(), .transactions = runner, .checkpoints = cps,
//        .transport = transport.get(), .clock = &clock}));
//   RETURN_IF_ERROR(relay->Start());   // or call RunOnce() yourself
//
// Guarantees:
// - Nothing is lost: an event appended but not yet confirmed (the process
//   died, the broker was down) is above the checkpoint and published after
//   the restart. Delivery is at least once: an event confirmed but not yet
//   checkpointed, or confirmed after its batch reported an error, is
//   published again; consumers' inboxes absorb the duplicates.
// - Per page, events go out in log order; at most `batch_size` events are
//   in flight (one Publish at a time).
// - A transport error stops publishing until a backoff delay (clock time,
//   exponential with full jitter) has passed; the relay then retries from
//   the first unconfirmed event.
//
// Run one relay per store and transport: two relays with the same name
// would publish everything twice.
//
// Ownership: everything in OutboxRelayDeps must outlive the relay.
// Thread-safety: all public methods are safe from any thread; RunOnce must
// not be called while the background loop (Start) runs.
#ifndef STOCKPILE_RUNTIME_OUTBOX_RELAY_H_
#define STOCKPILE_RUNTIME_OUTBOX_RELAY_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "runtime/checkpoint_store.h"
#include "runtime/retry_policy.h"
#include "runtime/transaction.h"
#include "store/event_store.h"
#include "transport/transport.h"

namespace stockpile::runtime {

struct OutboxRelayOptions {
  std::string name;  // the checkpoint's name, e.g. "outbox:rabbitmq"
  std::vector<std::string> type_patterns;  // empty = every event
  size_t batch_size = 256;                 // events per Publish, >= 1
  // Delay before the n-th retry after consecutive transport errors:
  // uniform in [0, min(max, base * 2^(n-1))]; the multiplier is used,
  // max_attempts is not (the relay never gives up).
  RetryPolicy backoff{.base_delay = std::chrono::milliseconds(100),
                      .max_delay = std::chrono::milliseconds(30000)};
  // Real time between looks at an idle log or at the clock while backing
  // off (Start() only).
  std::chrono::milliseconds poll_interval{5};
};

// Everything here must outlive the relay. `transactions` and `checkpoints`
// are of one backend.
struct OutboxRelayDeps {
  store::EventStore* store = nullptr;
  TransactionRunner* transactions = nullptr;
  CheckpointStore* checkpoints = nullptr;
  transport::Transport* transport = nullptr;
  const core::Clock* clock = nullptr;
  JitterSource* jitter = nullptr;  // null: seeded from std::random_device
};

enum class OutboxRelayState { kRunning, kBackingOff, kStopped };

// "running", "backing_off", "stopped".
std::string_view OutboxRelayStateName(OutboxRelayState state);

struct OutboxRelayStats {
  std::string name;
  int64_t position = 0;    // the checkpoint: everything <= is confirmed
  int64_t head = 0;        // the log's newest position
  int64_t lag_events = 0;  // head - position
  int64_t published = 0;   // events confirmed (this process)
  int64_t failures = 0;    // Publish calls that failed (this process)
  int consecutive_failures = 0;
  int64_t next_attempt_at_ms = 0;  // clock time; 0 unless backing off
  std::string last_error;          // "" when the last Publish succeeded
  OutboxRelayState state = OutboxRelayState::kRunning;
};

class OutboxRelay {
 public:
  // Validates (InvalidArgument) and loads the checkpoint. Publishes
  // nothing until Start() or RunOnce().
  static core::Result<std::unique_ptr<OutboxRelay>> Create(
      OutboxRelayOptions options, OutboxRelayDeps deps);
  // Stop().
  ~OutboxRelay();
  OutboxRelay(const OutboxRelay&) = delete;
  OutboxRelay& operator=(const OutboxRelay&) = delete;

  // Runs RunOnce in a background thread until Stop(). FailedPrecondition
  // when already started.
  core::Status Start();
  // Stops the thread after its current Publish. Idempotent.
  void Stop();

  // One step: while backing off (clock time) does nothing and returns 0;
  // otherwise reads up to batch_size events after the checkpoint,
  // publishes them and saves the checkpoint past the confirmed ones.
  // Returns how many were confirmed; a transport or store error is
  // returned after the backoff is scheduled.
  core::Result<size_t> RunOnce();

  int64_t position() const { return position_.load(); }
  // Blocks until position() >= `position` or `timeout` (real time) passed.
  bool WaitForPosition(int64_t position, std::chrono::milliseconds timeout);

  OutboxRelayStats Stats() const;

 private:
  OutboxRelay(OutboxRelayOptions options, OutboxRelayDeps deps);
  void Loop();
  core::Status Fail(core::Status error);

  // Immutable after construction.
  const OutboxRelayOptions options_;
  const OutboxRelayDeps deps_;
  std::unique_ptr<JitterSource> owned_jitter_;
  JitterSource* jitter_;

  std::atomic<int64_t> position_{0};
  std::atomic<int64_t> published_{0};
  std::atomic<int64_t> failures_{0};

  mutable std::mutex mu_;
  std::condition_variable stop_cv_;
  int consecutive_failures_ = 0;    // GUARDED_BY(mu_)
  int64_t next_attempt_at_ms_ = 0;  // GUARDED_BY(mu_)
  std::string last_error_;          // GUARDED_BY(mu_)
  bool started_ = false;            // GUARDED_BY(mu_)
  bool stopping_ = false;           // GUARDED_BY(mu_)
  std::thread thread_;
};

}  // namespace stockpile::runtime

#endif  // STOCKPILE_RUNTIME_OUTBOX_RELAY_H_
