// EventImporter: the hop from a transport queue into this process's own
// event store, in distributed mode (DESIGN.md §6). It is the inbound mirror
// of OutboxRelay:
//
//   process A: command -> EventStore::Append -> OutboxRelay
//                -> Transport::Publish (confirmed)
//   process B: Transport::Consume(queue) -> EventImporter
//                -> EventStore::Append(MirrorStreamName(event)) -> Ack
//                -> B's consumers and read models, fed by B's own log
//                   exactly as in embedded mode (StoreEventSource)
//
//   ASSIGN_OR_RETURN(auto importer, EventImporter::Start(
//       {.queue = "inventory", .skip_patterns = {"inventory.#"}},
//       {.store = store.get(), .transport = transport.get(), .clock =
//       &clock}));
//
// Guarantees:
// - A delivery is acked only after its event is durable in the local store
//   (or deliberately skipped), so a crash between the two redelivers it.
// - Exactly once in the local log: an imported event keeps its eventId and
//   lands in a stream named after its aggregate; the store's idempotent
//   append makes a redelivered (or twice-routed) event a no-op.
// - Order: deliveries are imported in the order they arrive; events of one
//   aggregate land in its mirror stream in that order.
// - Events whose type matches `skip_patterns` (this process's own types,
//   already in its log) are acked without being written.
// - A store failure (Unavailable, ...) requeues the rest of the batch and
//   backs off (exponential, full jitter); an event the store refuses as
//   invalid is moved to the queue's dead-letter queue and logged: a poison
//   message never loops.
//
// The mirror streams are never written by this process's own commands, so
// they cannot collide with a local aggregate's stream.
//
// Ownership: the store, transport and clock must outlive the importer.
// Thread-safety: Stats() and Stop() are safe from any thread.
#ifndef STOCKPILE_RUNTIME_EVENT_IMPORTER_H_
#define STOCKPILE_RUNTIME_EVENT_IMPORTER_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/event.h"
#include "core/result.h"
#include "core/topic_pattern.h"
#include "obs/logger.h"
#include "runtime/retry_policy.h"
#include "store/event_store.h"
#include "transport/transport.h"

namespace stockpile::runtime {

// The local stream an imported event is appended to:
// "mirror-<aggregateType>-<aggregateId>" when that is a valid stream name,
// else "mirror-" + a name-based UUID of the two (deterministic either way).
std::string MirrorStreamName(const core::Event& event);

struct EventImporterOptions {
  std::string queue;                       // logical queue name, declared
  std::vector<std::string> skip_patterns;  // acked, not imported
  size_t batch_size = 256;                 // deliveries per Poll
  std::chrono::milliseconds poll_timeout{100};
  // Delay after consecutive store or transport failures.
  RetryPolicy backoff{.base_delay = std::chrono::milliseconds(50),
                      .max_delay = std::chrono::milliseconds(5000)};
};

struct EventImporterDeps {
  store::EventStore* store = nullptr;
  transport::Transport* transport = nullptr;
  const core::Clock* clock = nullptr;
  obs::Logger log = obs::Logger::Discard();
};

struct EventImporterStats {
  std::string queue;
  int64_t imported = 0;       // appended (or already there: a no-op)
  int64_t skipped = 0;        // matched skip_patterns
  int64_t dead_lettered = 0;  // refused by the store, sent to the DLQ
  int64_t failures = 0;       // polls or appends that failed
  std::string last_error;     // "" after a success
};

class EventImporter {
 public:
  // Validates (InvalidArgument), starts consuming `options.queue` and
  // importing on a thread of its own.
  static core::Result<std::unique_ptr<EventImporter>> Start(
      EventImporterOptions options, EventImporterDeps deps);
  // Stop().
  ~EventImporter();
  EventImporter(const EventImporter&) = delete;
  EventImporter& operator=(const EventImporter&) = delete;

  // Finishes the batch in hand (unacked deliveries are redelivered later)
  // and stops. Idempotent.
  void Stop();

  EventImporterStats Stats() const;

 private:
  EventImporter(EventImporterOptions options, EventImporterDeps deps);
  void Loop();
  // Imports and settles every delivery of one Poll (see the .cc).
  core::Status ImportBatch(const std::vector<transport::Delivery>& deliveries);
  bool Skipped(const core::Event& event) const;
  void Fail(const core::Status& error);
  bool SleepUnlessStopped(std::chrono::milliseconds delay);

  // Immutable after construction.
  const EventImporterOptions options_;
  const EventImporterDeps deps_;
  std::vector<core::TopicPattern> skip_;
  std::unique_ptr<transport::Subscription> subscription_;
  std::unique_ptr<JitterSource> jitter_;

  std::atomic<int64_t> imported_{0};
  std::atomic<int64_t> skipped_{0};
  std::atomic<int64_t> dead_lettered_{0};
  std::atomic<int64_t> failures_{0};

  mutable std::mutex mu_;
  std::condition_variable stop_cv_;
  std::string last_error_;        // GUARDED_BY(mu_)
  int consecutive_failures_ = 0;  // GUARDED_BY(mu_)
  bool stopping_ = false;         // GUARDED_BY(mu_)
  std::thread thread_;
};

}  // namespace stockpile::runtime

#endif  // STOCKPILE_RUNTIME_EVENT_IMPORTER_H_
