// CommitSignal: wakes catch-up subscriptions when a backend commits new
// events (the writer calls Notify() after the commit is durable and
// visible), so live delivery needs no polling.
//
// Thread-safety: safe for concurrent use.
#ifndef STOCKPILE_STORE_COMMIT_SIGNAL_H_
#define STOCKPILE_STORE_COMMIT_SIGNAL_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace stockpile::store {

class CommitSignal {
 public:
  // A counter that changes on every Notify(); pass it to WaitChanged().
  uint64_t generation() const {
    std::lock_guard<std::mutex> lock(mu_);
    return generation_;
  }

  // Called by the writer after new events became visible to readers, and
  // to wake waiters for any other reason (a subscription stopping).
  void Notify() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++generation_;
    }
    cv_.notify_all();
  }

  // Blocks until generation() != seen or `timeout` passed.
  void WaitChanged(uint64_t seen, std::chrono::milliseconds timeout) const {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, timeout, [&] { return generation_ != seen; });
  }

 private:
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  uint64_t generation_ = 0;  // GUARDED_BY(mu_)
};

}  // namespace stockpile::store

#endif  // STOCKPILE_STORE_COMMIT_SIGNAL_H_
