// ProgressTracker: the positions a Consumer has dispatched but not finished,
// and from them the checkpoint: the highest position P such that every
// event at or below P is done (handled or parked). With parallel workers
// events finish out of order, so the checkpoint is the lowest unfinished
// position minus one.
//
// Also bounds the work in flight: Begin() waits while `capacity` events are
// unfinished (back-pressure on the source).
//
// Thread-safety: safe for concurrent use.
#ifndef STOCKPILE_RUNTIME_PROGRESS_TRACKER_H_
#define STOCKPILE_RUNTIME_PROGRESS_TRACKER_H_

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <set>

namespace stockpile::runtime {

class ProgressTracker {
 public:
  explicit ProgressTracker(size_t capacity) : capacity_(capacity) {}

  // Marks `position` unfinished, waiting for room first. False (and nothing
  // marked) when Cancel() was called.
  bool Begin(int64_t position);
  // Marks `position` unfinished without waiting for room (work restored
  // on start).
  void Hold(int64_t position);
  void End(int64_t position);
  // Wakes and fails every waiting and later Begin().
  void Cancel();

  // The checkpoint, given `delivered`: a source cursor read BEFORE this
  // call, below which every event has been passed to Begin().
  int64_t Checkpoint(int64_t delivered) const;
  size_t in_flight() const;

 private:
  const size_t capacity_;
  mutable std::mutex mu_;
  std::condition_variable room_cv_;
  std::set<int64_t> unfinished_;  // GUARDED_BY(mu_)
  bool cancelled_ = false;        // GUARDED_BY(mu_)
};

}  // namespace stockpile::runtime

#endif  // STOCKPILE_RUNTIME_PROGRESS_TRACKER_H_
