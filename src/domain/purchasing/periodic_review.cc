#include "domain/purchasing/periodic_review.h"

#include <utility>

#include "core/check.h"

namespace stockpile::domain::purchasing {

PeriodicReview::PeriodicReview(
    std::chrono::milliseconds interval, std::function<core::Status()> review,
    std::function<void(const core::Status&)> on_error)
    : interval_(interval),
      review_(std::move(review)),
      on_error_(std::move(on_error)) {
  CHECK(interval_.count() > 0) << "review interval must be positive";
  thread_ = std::thread([this] { Run(); });
}

PeriodicReview::~PeriodicReview() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void PeriodicReview::Run() {
  std::unique_lock lock(mu_);
  for (;;) {
    if (wake_.wait_for(lock, interval_, [this] { return stop_; })) return;
    lock.unlock();
    core::Status s = review_();
    if (!s.ok()) on_error_(s);
    lock.lock();
  }
}

}  // namespace stockpile::domain::purchasing
