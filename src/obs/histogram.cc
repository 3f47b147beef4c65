#include "obs/histogram.h"

namespace stockpile::obs {

std::vector<double> DefaultLatencyBuckets() {
  return {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
          0.05,   0.1,     0.25,   0.5,   1,      2.5,   5,    10};
}

HistogramValue Histogram::Snapshot() const {
  HistogramValue out;
  out.cumulative_counts.reserve(bounds_.size() + 1);
  uint64_t running = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    out.cumulative_counts.push_back(running);
  }
  out.count = running;
  out.sum = sum_.load(std::memory_order_relaxed);
  return out;
}

}  // namespace stockpile::obs
