// EventProcessor: handles one WorkItem for a subscription — inbox check,
// handler, then either the commit of effect + inbox record + checkpoint, or
// the failure record (a durable retry schedule, or a parked dead letter).
// Internal to the consumer runtime; ConsumerWorker calls it.
//
// Ownership: references everything in ConsumerDeps (must outlive it).
// Thread-safety: Process() may run on several workers at once, for items of
// different aggregates.
#ifndef STOCKPILE_RUNTIME_EVENT_PROCESSOR_H_
#define STOCKPILE_RUNTIME_EVENT_PROCESSOR_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "runtime/consumer_counters.h"
#include "runtime/consumer_options.h"
#include "runtime/work_item.h"

namespace stockpile::runtime {

class EventProcessor {
 public:
  enum class Result {
    kDone,        // handled: the item is finished
    kSkipped,     // finished without calling the handler: the inbox knew
                  // it, or its failure record was resolved meanwhile
    kRetryLater,  // item.not_before_ms / failed_attempts were updated
    kParked,      // out of attempts or permanent: in the dead-letter store
  };

  // `checkpoint` answers the position to save with a commit (everything at
  // or below it is done).
  EventProcessor(const ConsumerOptions& options, const ConsumerDeps& deps,
                 JitterSource& jitter, ConsumerCounters& counters,
                 std::function<int64_t()> checkpoint);

  Result Process(WorkItem& item);

  // Events above `position` are new to this subscription: the source
  // appended them after the subscription began and delivers each once, so
  // no earlier delivery can have put them in the inbox, and a first
  // delivery of one skips the inbox lookup before its handler (the commit
  // still checks). Until this is called every delivery looks it up.
  // A consumer sets it before it subscribes to its source (whose log only
  // its own process writes, see docs/deployment.md).
  void SetFreshAfter(int64_t position) { fresh_after_.store(position); }

  enum class BatchResult {
    kDone,     // committed (events the inbox knew were skipped)
    kSkipped,  // every event was known to the inbox: nothing ran
    kFailed,   // the handler or the commit failed: nothing was written
  };
  // Hands fresh items (no failure record) to the batch handler together and
  // commits the batch. Needs ConsumerOptions::batch_handler.
  BatchResult ProcessBatch(const std::vector<WorkItem>& items);

 private:
  // The handler or the batch handler (with a batch of one).
  HandlerOutcome CallHandler(const core::EventPtr& event, HandlerContext& ctx);
  core::Status Commit(const WorkItem& item, const HandlerContext& ctx,
                      bool& duplicate);
  Result Fail(WorkItem& item, const std::string& error, bool permanent);
  // Whether the inbox may know `event` before its handler runs.
  bool MaySeeAgain(const core::Event& event, bool has_record) const {
    return has_record || event.position <= fresh_after_.load();
  }

  // Immutable after construction.
  const ConsumerOptions& options_;
  const ConsumerDeps deps_;
  JitterSource& jitter_;
  ConsumerCounters& counters_;
  const std::function<int64_t()> checkpoint_;
  std::atomic<int64_t> fresh_after_{std::numeric_limits<int64_t>::max()};
};

}  // namespace stockpile::runtime

#endif  // STOCKPILE_RUNTIME_EVENT_PROCESSOR_H_
