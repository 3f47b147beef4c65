#include "runtime/progress_tracker.h"

#include <algorithm>

namespace stockpile::runtime {

bool ProgressTracker::Begin(int64_t position) {
  std::unique_lock<std::mutex> lock(mu_);
  room_cv_.wait(lock,
                [&] { return cancelled_ || unfinished_.size() < capacity_; });
  if (cancelled_) return false;
  unfinished_.insert(position);
  return true;
}

void ProgressTracker::Hold(int64_t position) {
  std::lock_guard<std::mutex> lock(mu_);
  unfinished_.insert(position);
}

void ProgressTracker::End(int64_t position) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    unfinished_.erase(position);
  }
  room_cv_.notify_one();
}

void ProgressTracker::Cancel() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    cancelled_ = true;
  }
  room_cv_.notify_all();
}

int64_t ProgressTracker::Checkpoint(int64_t delivered) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (unfinished_.empty()) return delivered;
  return std::min(delivered, *unfinished_.begin() - 1);
}

size_t ProgressTracker::in_flight() const {
  std::lock_guard<std::mutex> lock(mu_);
  return unfinished_.size();
}

}  // namespace stockpile::runtime
