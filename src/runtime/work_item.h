// WorkItem: one event waiting in a consumer worker's queue, with its retry
// state. Internal to the consumer runtime.
//
// Thread-safety: owned by one worker; see ConsumerWorker.
#ifndef STOCKPILE_RUNTIME_WORK_ITEM_H_
#define STOCKPILE_RUNTIME_WORK_ITEM_H_

#include <cstdint>
#include <string>

#include "core/event.h"

namespace stockpile::runtime {

struct WorkItem {
  core::EventPtr event;
  std::string aggregate_key;  // tenant + aggregateId: the ordering unit
  int failed_attempts = 0;
  int64_t first_failed_at_ms = 0;
  int64_t not_before_ms = 0;  // retry due time (clock millis); 0 = now
  // True when the item came from the dead-letter store (a redrive or a
  // retry resumed after restart), not from the source.
  bool from_dead_letter = false;
  // Holds the checkpoint below its position until it finishes.
  bool tracked = false;
  // A redrive: one delivery; any failure parks the event again.
  bool single_attempt = false;
  bool running = false;  // a worker is handling it right now
  // Its batch failed: handled alone from now on (batch handlers only).
  bool alone = false;
  int64_t enqueued_at_ms = 0;  // clock time it was queued (batch flushing)
};

// The ordering key of `event` by default: its aggregate.
inline std::string AggregateKey(const core::Event& event) {
  std::string key = event.tenant_id;
  key.push_back('\x1f');
  key.append(event.aggregate_type);
  key.push_back('\x1f');
  key.append(event.aggregate_id);
  return key;
}

}  // namespace stockpile::runtime

#endif  // STOCKPILE_RUNTIME_WORK_ITEM_H_
