// EventStoreOptions: what every EventStore backend is configured with.
//
// Ownership: `clock`, when set, is borrowed and must outlive the store;
// when null the store reads the system clock.
#ifndef STOCKPILE_STORE_EVENT_STORE_OPTIONS_H_
#define STOCKPILE_STORE_EVENT_STORE_OPTIONS_H_

#include "core/clock.h"
#include "core/event_codec.h"
#include "store/upcaster_registry.h"

namespace stockpile::store {

struct EventStoreOptions {
  // Applied on every read path (see upcaster_registry.h).
  UpcasterRegistry upcasters;
  // max_bytes bounds one encoded event on Append.
  core::CodecLimits limits;
  // Used for stream max-age retention. Null: the system clock.
  const core::Clock* clock = nullptr;
};

}  // namespace stockpile::store

#endif  // STOCKPILE_STORE_EVENT_STORE_OPTIONS_H_
