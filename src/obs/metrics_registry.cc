#include "obs/metrics_registry.h"

#include <cmath>
#include <utility>

#include "core/status_macros.h"
#include "obs/metric_names.h"

namespace stockpile::obs {
namespace {

core::Status ValidateBuckets(std::string_view name,
                             const std::vector<double>& bounds) {
  for (size_t i = 0; i < bounds.size(); ++i) {
    if (!std::isfinite(bounds[i]) || (i > 0 && !(bounds[i - 1] < bounds[i]))) {
      return core::InvalidArgumentError(
          "histogram '" + std::string(name) +
          "': bucket bounds must be finite and strictly increasing");
    }
  }
  return core::Status::Ok();
}

}  // namespace

template <typename F>
core::Result<F*> MetricsRegistry::Add(std::string_view name,
                                      std::string_view help,
                                      std::vector<std::string> label_names,
                                      std::vector<double> bucket_bounds) {
  const bool histogram = F::kType == MetricType::kHistogram;
  RETURN_IF_ERROR(
      ValidateMetricNames(name, label_names, histogram ? "le" : ""));
  if (histogram) RETURN_IF_ERROR(ValidateBuckets(name, bucket_bounds));

  std::lock_guard<std::mutex> lock(mu_);
  if (auto it = families_.find(name); it != families_.end()) {
    MetricFamily& existing = *it->second;
    if (existing.type() != F::kType || existing.label_names() != label_names ||
        existing.bucket_bounds() != bucket_bounds) {
      return core::AlreadyExistsError(
          "metric '" + std::string(name) + "' is already registered as a " +
          std::string(MetricTypeName(existing.type())) +
          " with other labels or buckets");
    }
    return static_cast<F*>(&existing);
  }
  auto family =
      std::make_unique<F>(std::string(name), std::string(help),
                          std::move(label_names), std::move(bucket_bounds));
  F* raw = family.get();
  families_.emplace(std::string(name), std::move(family));
  return raw;
}

core::Result<CounterFamily*> MetricsRegistry::AddCounter(
    std::string_view name, std::string_view help,
    std::vector<std::string> label_names) {
  return Add<CounterFamily>(name, help, std::move(label_names), {});
}

core::Result<GaugeFamily*> MetricsRegistry::AddGauge(
    std::string_view name, std::string_view help,
    std::vector<std::string> label_names) {
  return Add<GaugeFamily>(name, help, std::move(label_names), {});
}

core::Result<HistogramFamily*> MetricsRegistry::AddHistogram(
    std::string_view name, std::string_view help,
    std::vector<std::string> label_names, std::vector<double> bucket_bounds) {
  return Add<HistogramFamily>(name, help, std::move(label_names),
                              std::move(bucket_bounds));
}

core::Result<CallbackRegistration> MetricsRegistry::AddCallbackSeries(
    MetricType type, std::string_view name, std::string_view help,
    const std::string& label, const std::string& value,
    std::function<double()> fn) {
  if (type == MetricType::kCounter) {
    ASSIGN_OR_RETURN(CounterFamily * family, AddCounter(name, help, {label}));
    return family->AddCallback({value}, std::move(fn));
  }
  if (type == MetricType::kGauge) {
    ASSIGN_OR_RETURN(GaugeFamily * family, AddGauge(name, help, {label}));
    return family->AddCallback({value}, std::move(fn));
  }
  return core::InvalidArgumentError("callback series are counters or gauges: " +
                                    std::string(name));
}

std::vector<FamilySnapshot> MetricsRegistry::Collect() const {
  std::vector<const MetricFamily*> families;
  {
    std::lock_guard<std::mutex> lock(mu_);
    families.reserve(families_.size());
    for (const auto& [name, family] : families_)
      families.push_back(family.get());
  }
  std::vector<FamilySnapshot> out;
  out.reserve(families.size());
  for (const MetricFamily* family : families) out.push_back(family->Collect());
  return out;
}

}  // namespace stockpile::obs
