// CatchUpSubscription: the one Subscription implementation every backend
// uses. Its thread reads pages after its cursor (history), hands each event
// to the handler, and when a page comes back empty waits on the backend's
// CommitSignal for the next commit (live). Because the cursor only moves
// past what was read, and backends make positions visible in order, no
// event is skipped or delivered twice while appends race.
//
//   backend commit -> CommitSignal::Notify -> subscription thread wakes ->
//   PageReader(cursor) -> handler(event) ... cursor = page.next_cursor
//
// Ownership: owns its thread. `signal` must outlive the subscription; the
// reader's captures (typically the store) too.
// Thread-safety: see Subscription.
#ifndef STOCKPILE_STORE_CATCH_UP_SUBSCRIPTION_H_
#define STOCKPILE_STORE_CATCH_UP_SUBSCRIPTION_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/event.h"
#include "core/result.h"
#include "store/commit_signal.h"
#include "store/event_store.h"

namespace stockpile::store {

// A page of a subscription's source after some cursor.
struct SubscriptionPage {
  std::vector<core::EventPtr> events;
  // The cursor after this page (> the input cursor when anything was
  // scanned; equal when nothing new is visible).
  int64_t next_cursor = 0;
};

// Reads up to `max` events after `cursor`. Unavailable (the backend is away
// for now: a database restart, a broken connection) is retried with
// backoff, from the same cursor, until a read succeeds or Stop(); any other
// non-ok result ends the subscription with it. Called only from the
// subscription's thread.
using PageReader =
    std::function<core::Result<SubscriptionPage>(int64_t cursor, size_t max)>;

class CatchUpSubscription final : public Subscription {
 public:
  // What the cursor counts: global positions (SubscribeAll) or stream
  // versions (SubscribeStream).
  enum class Cursor { kPosition, kStreamVersion };

  // Starts delivering events after `after` at once.
  static std::unique_ptr<Subscription> Start(CommitSignal& signal,
                                             Cursor cursor, PageReader reader,
                                             int64_t after,
                                             EventHandler handler);
  ~CatchUpSubscription() override;

  void Stop() override;
  core::Status status() const override;
  int64_t last_delivered() const override { return delivered_.load(); }
  bool WaitFor(int64_t cursor, std::chrono::milliseconds timeout) override;

 private:
  CatchUpSubscription(CommitSignal& signal, Cursor cursor, PageReader reader,
                      int64_t after, EventHandler handler);
  void Run();
  // Waits `delay` or until Stop(); false when stopping.
  bool Pause(std::chrono::milliseconds delay);
  void Finish(core::Status status);
  void Advance(int64_t cursor);

  // Immutable after construction.
  CommitSignal& signal_;
  const Cursor cursor_kind_;
  const PageReader reader_;
  const EventHandler handler_;

  std::atomic<bool> stop_{false};
  std::atomic<int64_t> delivered_;

  mutable std::mutex mu_;
  std::condition_variable progress_cv_;
  core::Status status_;  // GUARDED_BY(mu_)
  bool ended_ = false;   // GUARDED_BY(mu_)

  std::thread thread_;  // last: started after everything above exists
};

}  // namespace stockpile::store

#endif  // STOCKPILE_STORE_CATCH_UP_SUBSCRIPTION_H_
