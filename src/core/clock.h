// Clock: where Stockpile reads the time. Production code takes a Clock& so
// tests can drive time by hand (retry schedules, timeouts, stall detection).
//
// Thread-safety: both implementations are safe for concurrent use.
#ifndef STOCKPILE_CORE_CLOCK_H_
#define STOCKPILE_CORE_CLOCK_H_

#include <atomic>
#include <chrono>
#include <cstdint>

namespace stockpile::core {

class Clock {
 public:
  using TimePoint = std::chrono::system_clock::time_point;

  virtual ~Clock() = default;
  // Wall-clock time (UTC).
  virtual TimePoint Now() const = 0;

  // Milliseconds since the Unix epoch.
  int64_t NowMillis() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               Now().time_since_epoch())
        .count();
  }
};

// The system's wall clock.
class SystemClock final : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::system_clock::now(); }
};

// A clock that moves only when told to. Starts at `start`.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start = TimePoint(std::chrono::milliseconds(
                           1'767'225'600'000)))  // 2026-01-01T00:00:00Z
      : micros_(std::chrono::duration_cast<std::chrono::microseconds>(
                    start.time_since_epoch())
                    .count()) {}

  TimePoint Now() const override {
    return TimePoint(std::chrono::duration_cast<TimePoint::duration>(
        std::chrono::microseconds(micros_.load(std::memory_order_acquire))));
  }
  void Advance(std::chrono::microseconds d) {
    micros_.fetch_add(d.count(), std::memory_order_acq_rel);
  }
  void Set(TimePoint t) {
    micros_.store(std::chrono::duration_cast<std::chrono::microseconds>(
                      t.time_since_epoch())
                      .count(),
                  std::memory_order_release);
  }

 private:
  std::atomic<int64_t> micros_;
};

}  // namespace stockpile::core

#endif  // STOCKPILE_CORE_CLOCK_H_
