// Histogram: counts observations into fixed buckets, one series of a
// HistogramFamily. Bucket i counts values v with v <= bounds[i] (and above
// bounds[i-1]); the last bucket (+Inf) counts the rest, NaN included.
//
//   Histogram& latency = request_seconds->WithLabels({"GET /orders/{id}",
//   "200"}); latency.Observe(0.0042);                       // seconds
//   latency.ObserveDuration(std::chrono::microseconds(4200));
//
// Owned by its family (and so by the MetricsRegistry); references stay valid
// for the registry's lifetime. Thread-safety: safe for concurrent use;
// Observe never locks or allocates. A Snapshot taken during concurrent
// observations is internally consistent in its counts (count equals the +Inf
// bucket) though `sum` may lag or lead by the observations in flight.
#ifndef STOCKPILE_OBS_HISTOGRAM_H_
#define STOCKPILE_OBS_HISTOGRAM_H_

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace stockpile::obs {

// Latency buckets in seconds, 100 microseconds to 10 seconds.
std::vector<double> DefaultLatencyBuckets();

struct HistogramValue {
  std::vector<uint64_t> cumulative_counts;  // one per bound, then +Inf
  double sum = 0;
  uint64_t count = 0;  // == cumulative_counts.back()
};

class Histogram {
 public:
  // `bounds`: strictly increasing finite upper bounds; must outlive this
  // histogram (the family owns them).
  explicit Histogram(std::span<const double> bounds)
      : bounds_(bounds),
        buckets_(std::make_unique<std::atomic<uint64_t>[]>(bounds.size() + 1)) {
  }
  Histogram(const Histogram&) = delete;
  Histogram& operator=(const Histogram&) = delete;

  void Observe(double v) {
    const size_t i =
        std::isnan(v) ? bounds_.size()
                      : static_cast<size_t>(std::lower_bound(bounds_.begin(),
                                                             bounds_.end(), v) -
                                            bounds_.begin());
    buckets_[i].fetch_add(1, std::memory_order_relaxed);
    sum_.fetch_add(v, std::memory_order_relaxed);
  }

  template <typename Rep, typename Period>
  void ObserveDuration(std::chrono::duration<Rep, Period> d) {
    Observe(std::chrono::duration<double>(d).count());
  }

  HistogramValue Snapshot() const;

 private:
  const std::span<const double> bounds_;
  const std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // bounds_+1
  std::atomic<double> sum_{0};
};

}  // namespace stockpile::obs

#endif  // STOCKPILE_OBS_HISTOGRAM_H_
