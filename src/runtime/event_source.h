// EventSource: where a Consumer's events come from. Embedded mode reads the
// local EventStore (StoreEventSource); distributed mode will read a
// transport queue through the same seam.
//
// Ownership: the source must outlive the subscriptions it starts.
// Thread-safety: implementations are safe for concurrent use.
#ifndef STOCKPILE_RUNTIME_EVENT_SOURCE_H_
#define STOCKPILE_RUNTIME_EVENT_SOURCE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "store/event_store.h"

namespace stockpile::runtime {

class EventSource {
 public:
  virtual ~EventSource() = default;

  // Delivers every event after `after_position` whose type matches one of
  // `type_patterns` (all types when empty), then live ones, in position
  // order, to `deliver` (see store::EventHandler: one call at a time; a
  // non-ok return ends the subscription).
  virtual core::Result<std::unique_ptr<store::Subscription>> Subscribe(
      int64_t after_position, const std::vector<std::string>& type_patterns,
      store::EventHandler deliver) = 0;

  // The newest position of the source (for lag); 0 when empty.
  virtual core::Result<int64_t> HeadPosition() = 0;
};

}  // namespace stockpile::runtime

#endif  // STOCKPILE_RUNTIME_EVENT_SOURCE_H_
