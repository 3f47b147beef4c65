// ConsumerCounters: the running totals behind ConsumerStats, updated by the
// workers. Internal to the consumer runtime.
//
// Thread-safety: safe for concurrent use.
#ifndef STOCKPILE_RUNTIME_CONSUMER_COUNTERS_H_
#define STOCKPILE_RUNTIME_CONSUMER_COUNTERS_H_

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>

namespace stockpile::runtime {

struct ConsumerCounters {
  std::atomic<int64_t> processed{0};
  std::atomic<int64_t> duplicates{0};
  std::atomic<int64_t> retried{0};
  std::atomic<int64_t> parked{0};
  std::atomic<int64_t> batches{0};
  std::atomic<int64_t> last_progress_at_ms{0};

  void SetLastError(std::string error) {
    std::lock_guard<std::mutex> lock(mu);
    last_error = std::move(error);
  }
  std::string LastError() const {
    std::lock_guard<std::mutex> lock(mu);
    return last_error;
  }

  mutable std::mutex mu;
  std::string last_error;  // GUARDED_BY(mu)
};

}  // namespace stockpile::runtime

#endif  // STOCKPILE_RUNTIME_CONSUMER_COUNTERS_H_
