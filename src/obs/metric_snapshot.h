// FamilySnapshot: the values of one metric family at one instant, as
// collected by MetricsRegistry::Collect() for rendering (Prometheus text,
// JSON). Plain values; safe to hand to another thread.
#ifndef STOCKPILE_OBS_METRIC_SNAPSHOT_H_
#define STOCKPILE_OBS_METRIC_SNAPSHOT_H_

#include <string>
#include <string_view>
#include <vector>

#include "obs/histogram.h"

namespace stockpile::obs {

enum class MetricType { kCounter, kGauge, kHistogram };

// "counter", "gauge", "histogram" (the Prometheus TYPE names).
std::string_view MetricTypeName(MetricType type);

struct SeriesSample {
  std::vector<std::string> label_values;  // parallel to label_names
  double value = 0;                       // counter and gauge
  HistogramValue histogram;               // histogram only
};

struct FamilySnapshot {
  MetricType type = MetricType::kCounter;
  std::string name;
  std::string help;
  std::vector<std::string> label_names;
  std::vector<double> bucket_bounds;  // histogram only; +Inf implied
  std::vector<SeriesSample> series;   // ordered by label values
};

}  // namespace stockpile::obs

#endif  // STOCKPILE_OBS_METRIC_SNAPSHOT_H_
