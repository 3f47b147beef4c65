// Saga: a process manager on the consumer runtime (issue 4, DESIGN.md §1).
// An instance is keyed by a correlation key (an order id, say); it keeps a
// JSON state, reacts to events, issues commands, emits events, sets durable
// timers and records compensation steps to run if the process fails later.
//
//   SagaDefinition d{.name = "orders.fulfilment",
//                    .type_patterns = {"order.*", "inventory.stock.*"}};
//   d.correlate = [](const core::Event& e) { return OrderIdOf(e); };
//   d.starts = [](const core::Event& e) {
//     return e.event_type == "order.created";
//   };
//   d.on_event = [&](const core::Event& e, SagaContext& ctx) {
//     ctx.SetTimer("reservation", ctx.now_ms() + 30'000);
//     return core::Status::Ok();
//   };
//   d.on_timer = [&](std::string_view timer, SagaContext& ctx) {
//     return orders.Reject(..., ctx.step_id());   // a command, seeded
//   };
//   ASSIGN_OR_RETURN(auto saga, Saga::Create(std::move(d), deps));
//   Consumer::Start(saga->Subscription(), consumer_deps);  // its events
//   saga->Start();                                        // its timers
//
// One step = one event (or one due timer) applied to one instance:
//   1. load the instance (NotFound: only an event `starts` accepts creates
//      one; others are ignored; a completed instance ignores everything);
//   2. call on_event / on_timer with the state;
//   3. run the compensation steps if the step asked for them, newest first;
//   4. append the events the step emitted;
//   5. commit the new state and timers with optimistic concurrency, in the
//      consumer's transaction (with the inbox record and checkpoint) for an
//      event, in a transaction of its own for a timer.
// A failure anywhere before 5 commits nothing, and the step runs again
// (an event: the consumer's retry policy and dead letters; a timer: the
// next poll, with backoff). A version conflict (another step of the same
// instance committed first: a timer step racing an event step) is such a
// failure: the step runs again on the newer state.
//
// So a step may run more than once, and its effects outside the state must
// be idempotent: emitted events get eventIds derived from the step
// (step_id() + their index), which the store answers as an idempotent
// re-append; commands should pass step_id() as their id seed
// (CommandContext::event_id_seed) or be idempotent by their own state.
// Handlers must be deterministic given (state, event) for that to hold.
//
// Timers are durable: they live in the SagaStore and fire after a restart
// (a timer due while the process was down fires at the first poll).
//
// Ownership: borrows everything in SagaDeps, which must outlive the Saga;
// the consumer built from Subscription() borrows the Saga.
// Thread-safety: steps of different instances run concurrently; the
// definition's callbacks must be safe for that.
#ifndef STOCKPILE_RUNTIME_SAGA_H_
#define STOCKPILE_RUNTIME_SAGA_H_

#include <boost/json/object.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/event.h"
#include "core/result.h"
#include "runtime/consumer_options.h"
#include "runtime/saga_store.h"
#include "runtime/transaction.h"
#include "store/event_store.h"

namespace stockpile::runtime {

// What a step may do. Nothing it asks for happens until the step's
// callback returned Ok; then all of it happens, or (on any failure) none of
// the state changes do.
class SagaContext {
 public:
  const SagaId& id() const { return id_; }
  // True while the instance has never been saved (the first step).
  bool is_new() const { return is_new_; }
  // The event being handled; null in on_timer.
  const core::Event* cause() const { return cause_; }
  // The clock's time when the step started, Unix milliseconds.
  int64_t now_ms() const { return now_ms_; }
  // A UUID that is the same on every run of this step and differs between
  // steps: seed command ids with it.
  const std::string& step_id() const { return step_id_; }

  // The instance's state, saved when the step commits.
  boost::json::object& state() { return state_; }

  // Appends `event` to (event.tenant_id, stream) when the step commits,
  // with an eventId derived from the step.
  void Emit(std::string stream, core::Event event);

  // Sets timer `name` (replacing one of that name) to fire at `due_at_ms`.
  void SetTimer(std::string name, int64_t due_at_ms);
  void CancelTimer(std::string_view name);
  bool HasTimer(std::string_view name) const {
    return timers_.find(name) != timers_.end();
  }

  // Records a compensation step (a name of SagaDefinition::compensations
  // and its data) to run if Compensate() is called by a later step.
  void AddCompensation(std::string step, boost::json::object data);
  // After this step's callback, runs the recorded compensation steps,
  // newest first, then forgets them.
  void Compensate() { compensate_ = true; }

  // Ends the instance: its timers are cancelled, later events ignored.
  void Complete() { completed_ = true; }
  bool completed() const { return completed_; }

 private:
  friend class Saga;
  struct Compensation {
    std::string step;
    boost::json::object data;
  };
  struct Emitted {
    std::string stream;
    core::Event event;
  };

  SagaId id_;
  bool is_new_ = false;
  const core::Event* cause_ = nullptr;
  int64_t now_ms_ = 0;
  std::string step_id_;
  boost::json::object state_;
  std::map<std::string, int64_t, std::less<>> timers_;  // name -> due
  std::vector<Compensation> compensations_;             // oldest first
  std::vector<Emitted> emitted_;
  bool compensate_ = false;
  bool completed_ = false;
};

struct SagaDefinition {
  std::string name;                        // unique per process, non-empty
  std::vector<std::string> type_patterns;  // the events it reacts to
  // The instance an event belongs to; "" = none (the event is ignored).
  std::function<std::string(const core::Event&)> correlate;
  // Whether an event may create the instance it correlates to.
  std::function<bool(const core::Event&)> starts;
  std::function<core::Status(const core::Event&, SagaContext&)> on_event;
  // Optional when the saga sets no timers.
  std::function<core::Status(std::string_view timer, SagaContext&)> on_timer;
  // Compensation steps by name: what AddCompensation records.
  std::map<std::string, std::function<core::Status(
                            const boost::json::object& data, SagaContext&)>>
      compensations;
};

struct SagaDeps {
  store::EventStore* events = nullptr;  // where emitted events go
  SagaStore* sagas = nullptr;
  TransactionRunner* transactions = nullptr;  // for timer steps
  const core::Clock* clock = nullptr;
  // Real time between polls for due timers.
  std::chrono::milliseconds timer_poll{200};
  // Longest wait before a failed timer step runs again (doubling from the
  // poll interval; measured on `clock`, like the timers' due times).
  std::chrono::milliseconds timer_max_backoff{30'000};
};

struct SagaStats {
  int64_t steps = 0;      // committed steps (events and timers)
  int64_t started = 0;    // instances created
  int64_t completed = 0;  // instances completed
  int64_t timers_fired = 0;
  int64_t conflicts = 0;  // steps run again after a version conflict
  int64_t failures = 0;   // failed steps (conflicts included)
  std::string last_error;
};

class Saga {
 public:
  // InvalidArgument when the definition lacks a name, correlate, starts or
  // on_event, or a dependency is missing.
  static core::Result<std::unique_ptr<Saga>> Create(SagaDefinition definition,
                                                    SagaDeps deps);
  // Stop().
  ~Saga();
  Saga(const Saga&) = delete;
  Saga& operator=(const Saga&) = delete;

  // The consumer that feeds the saga its events: name and patterns of the
  // definition, a handler running one step per event, and the instance as
  // the ordering unit (its events are handled one at a time, in log order,
  // whichever aggregates they come from). The caller adds the retry policy
  // and workers and starts it.
  ConsumerOptions Subscription();

  // Polls for due timers every deps.timer_poll on a thread of its own until
  // Stop(). Idempotent.
  void Start();
  void Stop();

  // Fires every timer due at the clock's now (what the thread does each
  // poll; tests call it directly). Returns how many steps committed.
  int FireDueTimers();

  const std::string& name() const { return definition_.name; }
  SagaStats stats() const;

 private:
  Saga(SagaDefinition definition, SagaDeps deps);

  // Runs one step: `cause` is the event, or null for timer `timer`.
  // `commit_in` is the consumer's context for an event step (the state is
  // committed as its effect) or null (committed here).
  core::Status Step(const SagaId& id, const core::Event* cause,
                    const SagaTimer* timer, HandlerContext* commit_in);
  core::Status FireTimer(const SagaTimer& timer);
  // The stored document of `ctx`'s instance, and back. Decode answers
  // InvalidArgument (the event is parked: waiting cannot mend it) for a
  // document this class did not write.
  static std::string Encode(const SagaContext& ctx);
  static core::Status Decode(std::string_view document, SagaContext& ctx);
  void Record(const core::Status& status);
  void PollLoop();

  const SagaDefinition definition_;
  const SagaDeps deps_;

  mutable std::mutex mu_;
  SagaStats stats_;  // GUARDED_BY(mu_)
  // Failed timers: not retried before the time noted (deps_.clock, ms)
  // and the delay that led to it.
  std::map<std::pair<SagaId, std::string>,
           std::pair<int64_t, std::chrono::milliseconds>>
      timer_backoff_;      // GUARDED_BY(mu_)
  bool stopping_ = false;  // GUARDED_BY(mu_)
  std::condition_variable wake_;
  std::thread poller_;
};

}  // namespace stockpile::runtime

#endif  // STOCKPILE_RUNTIME_SAGA_H_
