// Counter: a monotonically increasing count, one series of a CounterFamily.
//
//   Counter& appended = events_appended->WithLabels({"order.created"});
//   appended.Increment();   // hot path: one relaxed atomic add
//
// Owned by its family (and so by the MetricsRegistry); references stay valid
// for the registry's lifetime. Thread-safety: safe for concurrent use; never
// locks or allocates.
#ifndef STOCKPILE_OBS_COUNTER_H_
#define STOCKPILE_OBS_COUNTER_H_

#include <atomic>
#include <cstdint>

namespace stockpile::obs {

class Counter {
 public:
  Counter() = default;
  Counter(const Counter&) = delete;
  Counter& operator=(const Counter&) = delete;

  void Increment(uint64_t n = 1) {
    value_.fetch_add(n, std::memory_order_relaxed);
  }
  uint64_t Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

}  // namespace stockpile::obs

#endif  // STOCKPILE_OBS_COUNTER_H_
