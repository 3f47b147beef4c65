// FoldStream<State>: an event-sourced aggregate read from the store — the
// snapshot (when its schema is State::kSnapshotSchema) plus the stream's
// events after it folded with State::Apply, or, given a `base` already
// folded up to some version, the base plus the stream's newer events.
// SharedLoaded<State> is the result: an immutable state that the caller
// may share (AggregateRepository keeps it in its cache). A `base` is
// consumed: when its state has no other holder the newer events are folded
// into it in place (a state can be large; copying it for every refresh
// made reads slower as it grew), else into a copy.
//
// An absent or deleted stream is the initial State at version 0.
//
// Thread-safety: a function of the store's contents; safe to call from any
// thread (the store is).
#ifndef STOCKPILE_DOMAIN_COMMON_STREAM_FOLD_H_
#define STOCKPILE_DOMAIN_COMMON_STREAM_FOLD_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "core/result.h"
#include "core/status_macros.h"
#include "store/event_store.h"

namespace stockpile::domain::common {

template <typename State>
struct SharedLoaded {
  std::shared_ptr<const State> state;  // never null
  int64_t version = 0;                 // 0: the stream does not exist
};

// The state in `shared` to change: the object itself when `shared` is its
// only holder (no one else can see it change; every state is made mutable
// by make_shared<State> and only shared as const), else a copy.
template <typename State>
std::shared_ptr<State> TakeOrCopy(std::shared_ptr<const State>&& shared) {
  if (shared.use_count() == 1) {
    return std::const_pointer_cast<State>(std::move(shared));
  }
  return std::make_shared<State>(*shared);
}

template <typename State>
core::Result<SharedLoaded<State>> FoldStream(store::EventStore& store,
                                             std::string_view tenant,
                                             std::string_view stream,
                                             SharedLoaded<State>* base) {
  std::shared_ptr<State> state;
  int64_t version = 0;
  if (base != nullptr) {
    state = TakeOrCopy<State>(std::move(base->state));
    version = base->version;
  } else {
    // A stream that does not exist yet (a new order's, bill's, ...) costs
    // one lookup instead of a snapshot query and a stream read; a
    // recently written one is answered from memory by the SQLite store.
    core::Result<int64_t> head = store.StreamVersion(tenant, stream);
    if (!head.ok()) {
      if (head.status().code() == core::StatusCode::kNotFound) {
        return SharedLoaded<State>{std::make_shared<State>(), 0};
      }
      return head.status();
    }
    state = std::make_shared<State>();
    core::Result<store::Snapshot> snap = store.LoadSnapshot(tenant, stream);
    if (snap.ok()) {
      if (snap->schema_version == State::kSnapshotSchema) {
        ASSIGN_OR_RETURN(*state, State::FromSnapshot(snap->state));
        version = snap->stream_version;
      }
    } else if (snap.status().code() != core::StatusCode::kNotFound) {
      return snap.status();
    }
    if (version == *head) return SharedLoaded<State>{std::move(state), version};
  }
  constexpr size_t kPage = 512;
  for (;;) {
    auto page = store.ReadStream(tenant, stream, version + 1, kPage);
    if (!page.ok()) {
      if (page.status().code() == core::StatusCode::kNotFound) {
        return SharedLoaded<State>{std::make_shared<State>(), 0};
      }
      return page.status();
    }
    for (const core::EventPtr& e : *page) {
      state->Apply(*e);
      version = e->stream_version;
    }
    if (page->size() < kPage) {
      return SharedLoaded<State>{std::move(state), version};
    }
  }
}

}  // namespace stockpile::domain::common

#endif  // STOCKPILE_DOMAIN_COMMON_STREAM_FOLD_H_
