// MetricsRegistry: every metric family of one process. The Application owns
// it and passes it by reference to the components it builds; there is no
// global default registry.
//
//   MetricsRegistry metrics;
//   ASSIGN_OR_RETURN(CounterFamily* appended,
//                    metrics.AddCounter("stockpile_events_appended_total",
//                                       "Events appended, by type", {"type"}));
//   appended->WithLabels({"order.created"}).Increment();
//   std::string text = RenderPrometheusText(metrics);  // prometheus_text.h
//
// Registering a name again with the same type, label names and buckets
// returns the existing family (so several components may share one, e.g. one
// lag series per subscription); the first help text wins. Any other reuse of
// a name is AlreadyExists; bad names or buckets are InvalidArgument.
//
// Thread-safety: safe for concurrent use. Families are never removed; the
// pointers returned stay valid for the registry's lifetime.
#ifndef STOCKPILE_OBS_METRICS_REGISTRY_H_
#define STOCKPILE_OBS_METRICS_REGISTRY_H_

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "obs/histogram.h"
#include "obs/metric_family.h"
#include "obs/metric_snapshot.h"

namespace stockpile::obs {

class MetricsRegistry {
 public:
  MetricsRegistry() = default;
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;

  // Never returns a null pointer.
  core::Result<CounterFamily*> AddCounter(
      std::string_view name, std::string_view help,
      std::vector<std::string> label_names = {});
  core::Result<GaugeFamily*> AddGauge(
      std::string_view name, std::string_view help,
      std::vector<std::string> label_names = {});
  // `bucket_bounds`: finite, strictly increasing upper bounds; +Inf is
  // implied. The label name "le" is reserved.
  core::Result<HistogramFamily*> AddHistogram(
      std::string_view name, std::string_view help,
      std::vector<std::string> label_names = {},
      std::vector<double> bucket_bounds = DefaultLatencyBuckets());

  // One series of a counter (kCounter) or gauge (kGauge) family with one
  // label, whose value `fn` reports at each collection: the usual way a
  // component exposes its own stats (a consumer's lag, a relay's count).
  // The series lives as long as the returned registration.
  core::Result<CallbackRegistration> AddCallbackSeries(
      MetricType type, std::string_view name, std::string_view help,
      const std::string& label, const std::string& value,
      std::function<double()> fn);

  // Every family, ordered by name, with callbacks evaluated now (outside the
  // registry's lock).
  std::vector<FamilySnapshot> Collect() const;

 private:
  template <typename F>
  core::Result<F*> Add(std::string_view name, std::string_view help,
                       std::vector<std::string> label_names,
                       std::vector<double> bucket_bounds);

  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<MetricFamily>, std::less<>>
      families_;  // guarded by mu_; never erased
};

}  // namespace stockpile::obs

#endif  // STOCKPILE_OBS_METRICS_REGISTRY_H_
