#include "obs/metric_family.h"

#include <limits>
#include <utility>

#include "core/check.h"

namespace stockpile::obs {
namespace {

std::string DescribeSeries(const std::string& name,
                           const std::vector<std::string>& label_names,
                           LabelValues values) {
  std::string out = name + "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ",";
    out += label_names[i] + "=\"" + std::string(values[i]) + "\"";
  }
  return out + "}";
}

}  // namespace

std::string_view MetricTypeName(MetricType type) {
  switch (type) {
    case MetricType::kCounter:
      return "counter";
    case MetricType::kGauge:
      return "gauge";
    case MetricType::kHistogram:
      return "histogram";
  }
  return "untyped";
}

MetricFamily::MetricFamily(MetricType type, std::string name, std::string help,
                           std::vector<std::string> label_names,
                           std::vector<double> bounds)
    : type_(type),
      name_(std::move(name)),
      help_(std::move(help)),
      label_names_(std::move(label_names)),
      bounds_(std::move(bounds)) {}

void MetricFamily::CheckArity(LabelValues values) const {
  CHECK(values.size() == label_names_.size())
      << "metric '" << name_ << "' takes " << label_names_.size()
      << " label values, got " << values.size();
}

bool MetricFamily::HasLiveCallbackLocked(LabelValues values) const {
  auto it = callbacks_.find(values);
  return it != callbacks_.end() && !it->second->gate->closed();
}

core::Result<CallbackRegistration> MetricFamily::AddCallbackSeries(
    LabelValues values, std::function<double()> fn) {
  CHECK(fn != nullptr) << "metric '" << name_ << "': empty callback";
  CheckArity(values);
  auto gate = std::make_shared<CallbackGate>();
  std::lock_guard<std::mutex> lock(mu_);
  std::erase_if(callbacks_,
                [](const auto& entry) { return entry.second->gate->closed(); });
  if (callbacks_.find(values) != callbacks_.end() || HasCellLocked(values)) {
    return core::AlreadyExistsError(
        "metric series " + DescribeSeries(name_, label_names_, values) +
        " already exists");
  }
  callbacks_.emplace(std::vector<std::string>(values.begin(), values.end()),
                     std::make_shared<const CallbackSeries>(
                         CallbackSeries{gate, std::move(fn)}));
  return CallbackRegistration(std::move(gate));
}

FamilySnapshot MetricFamily::Collect() const {
  FamilySnapshot snap;
  snap.type = type_;
  snap.name = name_;
  snap.help = help_;
  snap.label_names = label_names_;
  snap.bucket_bounds = bounds_;
  std::vector<std::pair<std::vector<std::string>,
                        std::shared_ptr<const CallbackSeries>>>
      callbacks;
  {
    std::lock_guard<std::mutex> lock(mu_);
    CollectCellsLocked(snap.series);
    callbacks.assign(callbacks_.begin(), callbacks_.end());
  }
  // Callbacks run without mu_: they may take their owner's locks or use
  // metrics themselves.
  for (auto& [labels, series_ptr] : callbacks) {
    const CallbackSeries& series = *series_ptr;
    double value = 0;
    bool ran = false;
    try {
      ran = series.gate->RunIfOpen([&] { value = series.fn(); });
    } catch (...) {
      ran = true;
      value = std::numeric_limits<double>::quiet_NaN();
    }
    if (!ran) continue;
    SeriesSample& s = snap.series.emplace_back();
    s.label_values = std::move(labels);
    s.value = value;
  }
  std::sort(snap.series.begin(), snap.series.end(),
            [](const SeriesSample& a, const SeriesSample& b) {
              return a.label_values < b.label_values;
            });
  return snap;
}

}  // namespace stockpile::obs
