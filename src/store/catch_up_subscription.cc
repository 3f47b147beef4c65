#include "store/catch_up_subscription.h"

#include <algorithm>
#include <utility>

namespace stockpile::store {

namespace {
constexpr size_t kPageSize = 1024;
// Upper bound on a wait for a commit; only matters if a Notify is missed.
constexpr std::chrono::milliseconds kIdleWait(100);
// Backoff between reads that found the backend unavailable.
constexpr std::chrono::milliseconds kFirstRetry(50);
constexpr std::chrono::milliseconds kMaxRetry(2000);
}  // namespace

std::unique_ptr<Subscription> CatchUpSubscription::Start(CommitSignal& signal,
                                                         Cursor cursor,
                                                         PageReader reader,
                                                         int64_t after,
                                                         EventHandler handler) {
  return std::unique_ptr<Subscription>(new CatchUpSubscription(
      signal, cursor, std::move(reader), after, std::move(handler)));
}

CatchUpSubscription::CatchUpSubscription(CommitSignal& signal, Cursor cursor,
                                         PageReader reader, int64_t after,
                                         EventHandler handler)
    : signal_(signal),
      cursor_kind_(cursor),
      reader_(std::move(reader)),
      handler_(std::move(handler)),
      delivered_(after),
      thread_([this] { Run(); }) {}

CatchUpSubscription::~CatchUpSubscription() { Stop(); }

void CatchUpSubscription::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_.store(true);
  }
  progress_cv_.notify_all();  // ends a Pause()
  // Wake the thread if it waits for a commit. The signal is shared with
  // other subscriptions; a spurious wake-up costs them one empty read.
  signal_.Notify();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) {
    thread_.join();
  }
}

core::Status CatchUpSubscription::status() const {
  std::lock_guard<std::mutex> lock(mu_);
  return status_;
}

bool CatchUpSubscription::WaitFor(int64_t cursor,
                                  std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  progress_cv_.wait_for(lock, timeout,
                        [&] { return ended_ || delivered_.load() >= cursor; });
  return delivered_.load() >= cursor;
}

bool CatchUpSubscription::Pause(std::chrono::milliseconds delay) {
  std::unique_lock<std::mutex> lock(mu_);
  return !progress_cv_.wait_for(lock, delay, [&] { return stop_.load(); });
}

void CatchUpSubscription::Advance(int64_t cursor) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    delivered_.store(cursor);
  }
  progress_cv_.notify_all();
}

void CatchUpSubscription::Finish(core::Status status) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    status_ = std::move(status);
    ended_ = true;
  }
  progress_cv_.notify_all();
}

void CatchUpSubscription::Run() {
  int64_t cursor = delivered_.load();
  std::chrono::milliseconds retry = kFirstRetry;
  while (!stop_.load()) {
    // Read the generation before reading, so a commit landing between the
    // read and the wait is not missed.
    const uint64_t seen = signal_.generation();
    core::Result<SubscriptionPage> page = reader_(cursor, kPageSize);
    if (!page.ok() && page.status().code() == core::StatusCode::kUnavailable) {
      if (!Pause(retry)) break;
      retry = std::min(retry * 2, kMaxRetry);
      continue;
    }
    if (!page.ok()) return Finish(page.status());
    retry = kFirstRetry;
    for (const core::EventPtr& event : page->events) {
      if (stop_.load()) return Finish(core::Status::Ok());
      core::Status s = handler_(event);
      if (!s.ok()) return Finish(s);
      Advance(cursor_kind_ == Cursor::kPosition ? event->position
                                                : event->stream_version);
    }
    if (page->next_cursor != cursor) {
      cursor = page->next_cursor;
      Advance(cursor);
      continue;
    }
    signal_.WaitChanged(seen, kIdleWait);
  }
  Finish(core::Status::Ok());
}

}  // namespace stockpile::store
