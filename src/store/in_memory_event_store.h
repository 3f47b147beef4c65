// InMemoryEventStore: an EventStore that keeps everything in process memory
// (tests, `--store memory`). Nothing survives the process; "durable" means
// "visible to every later read". Same contract as event_store.h otherwise,
// checked by the same conformance suite.
//
// Thread-safety: safe for concurrent use (one reader-writer lock; appends
// are serialized, reads run in parallel). Subscriptions must be destroyed
// before the store.
#ifndef STOCKPILE_STORE_IN_MEMORY_EVENT_STORE_H_
#define STOCKPILE_STORE_IN_MEMORY_EVENT_STORE_H_

#include <memory>

#include "store/event_store.h"
#include "store/event_store_options.h"

namespace stockpile::store {

std::unique_ptr<EventStore> MakeInMemoryEventStore(
    EventStoreOptions options = {});

}  // namespace stockpile::store

#endif  // STOCKPILE_STORE_IN_MEMORY_EVENT_STORE_H_
