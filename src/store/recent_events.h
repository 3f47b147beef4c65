// RecentEvents: the tail of a store's log in memory — the events its
// writer committed lately, decoded once and shared — so that subscriptions
// reading near the head (every live consumer, projection and read model)
// get their pages without a query and without decoding each event again.
//
//   // writer thread, inside the transaction / after it:
//   recent.Stage(event);     recent.Publish(head);     recent.RolledBack();
//   // any thread:
//   if (std::optional<ReadAllResult> page = recent.Read(after, max, scan,
//                                                      filter)) ...
//
// It answers a read only when it holds every committed event after the
// read's position: it starts after the head it was created at, and a
// rollback (of the batch or of a savepoint) or Reset() makes it start over
// after the head of the next commit, so it never has a gap. Older events
// are dropped beyond `capacity`; a read behind them gets nullopt (the
// caller reads the database). Like CommittedVersions it is exact only
// while its writer is the database's only one.
//
// Thread-safety: Stage, RolledBack, Reset and Publish are for the writer
// thread; Read is safe from any thread.
#ifndef STOCKPILE_STORE_RECENT_EVENTS_H_
#define STOCKPILE_STORE_RECENT_EVENTS_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <shared_mutex>
#include <vector>

#include "core/event.h"
#include "store/event_filter.h"
#include "store/store_types.h"

namespace stockpile::store {

class RecentEvents {
 public:
  // Holds up to `capacity` events, starting after position `head`.
  RecentEvents(size_t capacity, int64_t head)
      : capacity_(capacity), complete_after_(head) {}

  // The open transaction wrote `event` (positions ascending).
  void Stage(core::EventPtr event) { staged_.push_back(std::move(event)); }
  // Part of the transaction was rolled back: nothing it staged is kept, and
  // the tail starts over after the next commit.
  void RolledBack() {
    staged_.clear();
    restart_ = true;
  }
  // Something other than appends changed what the log reads back (a
  // scavenge): the tail starts over after the next commit.
  void Reset() { restart_ = true; }
  // The transaction committed; `head` is the log's head now.
  void Publish(int64_t head);

  // The events after `after` that match `filter`, at most `max`, examining
  // at most `scan` positions; nullopt when an event after `after` may be
  // missing here (read the database instead).
  std::optional<ReadAllResult> Read(int64_t after, size_t max, size_t scan,
                                    const EventFilter& filter) const;

 private:
  const size_t capacity_;
  std::vector<core::EventPtr> staged_;  // writer thread only
  bool restart_ = false;                // writer thread only

  mutable std::shared_mutex mu_;
  // Every committed event with a position above this is in events_.
  int64_t complete_after_;             // GUARDED_BY(mu_)
  std::deque<core::EventPtr> events_;  // GUARDED_BY(mu_), positions ascending
};

}  // namespace stockpile::store

#endif  // STOCKPILE_STORE_RECENT_EVENTS_H_
