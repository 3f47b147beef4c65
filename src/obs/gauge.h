// Gauge: a value that goes up and down, one series of a GaugeFamily.
// (Values computed on demand use GaugeFamily::AddCallback instead.)
//
//   Gauge& depth = queue_depth->WithLabels({"orders"});
//   depth.Set(42);  depth.Add(-1);
//
// Owned by its family (and so by the MetricsRegistry); references stay valid
// for the registry's lifetime. Thread-safety: safe for concurrent use; never
// locks or allocates (Add is a compare-and-swap loop on a double).
#ifndef STOCKPILE_OBS_GAUGE_H_
#define STOCKPILE_OBS_GAUGE_H_

#include <atomic>

namespace stockpile::obs {

class Gauge {
 public:
  Gauge() = default;
  Gauge(const Gauge&) = delete;
  Gauge& operator=(const Gauge&) = delete;

  void Set(double v) { value_.store(v, std::memory_order_relaxed); }
  void Add(double delta) { value_.fetch_add(delta, std::memory_order_relaxed); }
  void Increment() { Add(1); }
  void Decrement() { Add(-1); }
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

}  // namespace stockpile::obs

#endif  // STOCKPILE_OBS_GAUGE_H_
