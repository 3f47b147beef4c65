#include "store/recent_events.h"

#include <algorithm>
#include <mutex>
#include <utility>

namespace stockpile::store {

void RecentEvents::Publish(int64_t head) {
  if (staged_.empty() && !restart_) return;
  std::unique_lock<std::shared_mutex> lock(mu_);
  if (restart_) {
    // What committed alongside the rolled-back part was not staged.
    events_.clear();
    complete_after_ = head;
    staged_.clear();
    restart_ = false;
    return;
  }
  for (core::EventPtr& e : staged_) events_.push_back(std::move(e));
  staged_.clear();
  while (events_.size() > capacity_) {
    complete_after_ = events_.front()->position;
    events_.pop_front();
  }
}

std::optional<ReadAllResult> RecentEvents::Read(
    int64_t after, size_t max, size_t scan, const EventFilter& filter) const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  if (after < complete_after_) return std::nullopt;
  ReadAllResult result;
  result.last_scanned_position = after;
  auto it = std::upper_bound(events_.begin(), events_.end(), after,
                             [](int64_t position, const core::EventPtr& e) {
                               return position < e->position;
                             });
  for (size_t scanned = 0;
       it != events_.end() && scanned < scan && result.events.size() < max;
       ++it, ++scanned) {
    result.last_scanned_position = (*it)->position;
    if (filter.Matches(**it)) result.events.push_back(*it);
  }
  return result;
}

}  // namespace stockpile::store
