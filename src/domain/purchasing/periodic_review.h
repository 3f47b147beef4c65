// PeriodicReview: calls `review` every `interval` on a thread of its own
// (the replenishment rules' periodic review, DESIGN.md §4.2), until
// destroyed. A review's error is handed to `on_error` and the next review
// runs as planned.
//
//   PeriodicReview timer(std::chrono::minutes(5),
//                        [&] { return replenishment.ReviewAll(rules); },
//                        [&](const core::Status& s) { log.Warn(...); });
//
// Ownership: owns its thread; `review` and `on_error` must stay callable
// until the destructor returns. Thread-safety: construct and destroy from
// one thread.
#ifndef STOCKPILE_DOMAIN_PURCHASING_PERIODIC_REVIEW_H_
#define STOCKPILE_DOMAIN_PURCHASING_PERIODIC_REVIEW_H_

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "core/status.h"

namespace stockpile::domain::purchasing {

class PeriodicReview {
 public:
  // `interval` > 0.
  PeriodicReview(std::chrono::milliseconds interval,
                 std::function<core::Status()> review,
                 std::function<void(const core::Status&)> on_error);
  // Stops the thread (waits for a running review to finish).
  ~PeriodicReview();
  PeriodicReview(const PeriodicReview&) = delete;
  PeriodicReview& operator=(const PeriodicReview&) = delete;

 private:
  void Run();

  // Immutable after construction.
  const std::chrono::milliseconds interval_;
  const std::function<core::Status()> review_;
  const std::function<void(const core::Status&)> on_error_;

  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;  // GUARDED_BY(mu_)
  std::thread thread_;
};

}  // namespace stockpile::domain::purchasing

#endif  // STOCKPILE_DOMAIN_PURCHASING_PERIODIC_REVIEW_H_
