// RebuildKeyedView: replays the log into a fresh KeyedView and swaps it in
// for `live`, which keeps serving and following the log meanwhile.
//
//   store.ReadAll(filter) page by page -> fresh.Apply -> progress
//     -> live.TakeOver(fresh) once fresh holds every event live does
//
// The swap is exact: the fresh copy has scanned the log up to its
// position() and live's subscription skips what it delivers at or below it
// (keyed_view.h), so no event is lost or folded twice. When live has moved
// past the fresh copy at the moment of the swap (new events arrived), the
// loop reads the rest and tries again.
//
// `key` picks an event's aggregate (the one live is fed with).
// `progress(done, total)` is called after each page with log positions;
// returning false stops the rebuild (Cancelled; live unchanged).
//
// Thread-safety: run it on one thread per view at a time; live may be
// read and applied to concurrently.
#ifndef STOCKPILE_DOMAIN_COMMON_READ_MODEL_REBUILD_H_
#define STOCKPILE_DOMAIN_COMMON_READ_MODEL_REBUILD_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "core/status_macros.h"
#include "domain/common/keyed_view.h"
#include "runtime/read_model_registry.h"
#include "store/event_store.h"

namespace stockpile::domain::common {

template <typename State>
core::Status RebuildKeyedView(
    store::EventStore& store, const store::ReadFilter& filter,
    KeyedView<State>& live,
    const std::function<std::string(const core::Event&)>& key,
    const std::function<bool(int64_t done, int64_t total)>& progress,
    size_t page_size = 5000) {
  KeyedView<State> fresh;
  int64_t after = 0;
  for (;;) {
    ASSIGN_OR_RETURN(int64_t head, store.HeadPosition());
    ASSIGN_OR_RETURN(store::ReadAllResult page,
                     store.ReadAll(after, page_size, filter));
    for (const core::EventPtr& e : page.events) fresh.Apply(*e, key(*e));
    const bool moved = page.last_scanned_position > after;
    after = std::max(after, page.last_scanned_position);
    fresh.SetPosition(after);
    if (!progress(std::min(after, head), std::max(head, after))) {
      return core::CancelledError("rebuild stopped");
    }
    if (moved && page.events.size() == page_size) continue;  // more to read
    if (live.TakeOver(fresh)) return core::Status::Ok();
  }
}

// Registers `view` (fed with the events of `patterns`, keyed by
// aggregateId) as `name` in `registry`. `store` and `view` must outlive
// the registry's use.
template <typename State>
void RegisterKeyedView(runtime::ReadModelRegistry& registry,
                       store::EventStore& store, const std::string& name,
                       std::vector<std::string> patterns,
                       KeyedView<State>& view) {
  registry.Add({.name = name,
                .position = [&view] { return view.position(); },
                .rebuild =
                    [&store, &view, patterns = std::move(patterns)](
                        const runtime::ReadModelRegistry::Progress& progress) {
                      return RebuildKeyedView<State>(
                          store, store::ReadFilter::AllTenants(patterns), view,
                          [](const core::Event& e) { return e.aggregate_id; },
                          progress);
                    }});
}

}  // namespace stockpile::domain::common

#endif  // STOCKPILE_DOMAIN_COMMON_READ_MODEL_REBUILD_H_
