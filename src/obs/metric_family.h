// Metric families: a named metric with help text and label names, holding
// one series per distinct tuple of label values. Families are created by a
// MetricsRegistry, which owns them; family pointers and the Counter / Gauge /
// Histogram references they hand out stay valid for the registry's lifetime.
//
//   CounterFamily* appended = ...;  // registry.AddCounter(...)
//   Counter& created = appended->WithLabels({"order.created"});  // keep this
//   created.Increment();            // hot path: relaxed atomic, no lock
//
//   // A value computed at scrape time (counter and gauge families only):
//   CallbackRegistration r = *lag->AddCallback({"orders"}, [&] { return Lag();
//   });
//
// A family without labels has its single series from the start (value 0).
// WithLabels with the wrong number of values is a programming error (CHECK).
//
// Thread-safety: safe for concurrent use. WithLabels takes the family's lock
// (look the series up once, keep the reference); callbacks run during
// Collect() without any registry lock held, and may themselves use metrics.
#ifndef STOCKPILE_OBS_METRIC_FAMILY_H_
#define STOCKPILE_OBS_METRIC_FAMILY_H_

#include <algorithm>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/check.h"
#include "core/result.h"
#include "obs/callback_gate.h"
#include "obs/counter.h"
#include "obs/gauge.h"
#include "obs/histogram.h"
#include "obs/metric_snapshot.h"

namespace stockpile::obs {

using LabelValues = std::span<const std::string_view>;

namespace internal {

// Orders tuples of label values; lets a map keyed by std::vector<std::string>
// be searched with a LabelValues without allocating.
struct LabelValuesLess {
  using is_transparent = void;
  template <typename A, typename B>
  bool operator()(const A& a, const B& b) const {
    return std::lexicographical_compare(
        a.begin(), a.end(), b.begin(), b.end(),
        [](std::string_view x, std::string_view y) { return x < y; });
  }
};

}  // namespace internal

class MetricFamily {
 public:
  MetricFamily(const MetricFamily&) = delete;
  MetricFamily& operator=(const MetricFamily&) = delete;
  virtual ~MetricFamily() = default;

  MetricType type() const { return type_; }
  const std::string& name() const { return name_; }
  const std::string& help() const { return help_; }
  const std::vector<std::string>& label_names() const { return label_names_; }
  const std::vector<double>& bucket_bounds() const { return bounds_; }

  // The current value of every series, callbacks evaluated now.
  FamilySnapshot Collect() const;

 protected:
  // Names must already be valid (the registry validates them).
  MetricFamily(MetricType type, std::string name, std::string help,
               std::vector<std::string> label_names,
               std::vector<double> bounds);

  void CheckArity(LabelValues values) const;
  // AlreadyExists when `values` already has a series (value or callback).
  core::Result<CallbackRegistration> AddCallbackSeries(
      LabelValues values, std::function<double()> fn);
  bool HasLiveCallbackLocked(LabelValues values) const;  // requires mu_

  mutable std::mutex mu_;

 private:
  struct CallbackSeries {
    std::shared_ptr<CallbackGate> gate;
    std::function<double()> fn;
  };

  virtual bool HasCellLocked(LabelValues values) const = 0;
  virtual void CollectCellsLocked(std::vector<SeriesSample>& out) const = 0;

  // Immutable after construction.
  const MetricType type_;
  const std::string name_;
  const std::string help_;
  const std::vector<std::string> label_names_;
  const std::vector<double> bounds_;

  std::map<std::vector<std::string>, std::shared_ptr<const CallbackSeries>,
           internal::LabelValuesLess>
      callbacks_;  // guarded by mu_; closed ones pruned on the next add
};

template <typename Cell>
class Family final : public MetricFamily {
 public:
  static constexpr MetricType kType =
      std::is_same_v<Cell, Counter> ? MetricType::kCounter
      : std::is_same_v<Cell, Gauge> ? MetricType::kGauge
                                    : MetricType::kHistogram;

  Family(std::string name, std::string help,
         std::vector<std::string> label_names, std::vector<double> bounds = {})
      : MetricFamily(kType, std::move(name), std::move(help),
                     std::move(label_names), std::move(bounds)) {
    if (this->label_names().empty()) WithLabels(LabelValues{});
  }

  // The series for `values` (one per label name), created on first use.
  Cell& WithLabels(std::initializer_list<std::string_view> values) {
    return WithLabels(LabelValues(values.begin(), values.size()));
  }
  Cell& WithLabels(LabelValues values) {
    CheckArity(values);
    std::lock_guard<std::mutex> lock(mu_);
    auto it = cells_.find(values);
    if (it != cells_.end()) return *it->second;
    CHECK(!HasLiveCallbackLocked(values))
        << "metric '" << name() << "' has a callback for these labels";
    auto cell = MakeCell();
    Cell& ref = *cell;
    cells_.emplace(std::vector<std::string>(values.begin(), values.end()),
                   std::move(cell));
    return ref;
  }

  // Makes the series for `values` report fn() at every collection, until the
  // returned registration is released. fn must be quick and must not release
  // its own registration. AlreadyExists if the series exists.
  core::Result<CallbackRegistration> AddCallback(
      std::initializer_list<std::string_view> values,
      std::function<double()> fn) requires(!std::is_same_v<Cell, Histogram>) {
    return AddCallback(LabelValues(values.begin(), values.size()),
                       std::move(fn));
  }
  core::Result<CallbackRegistration> AddCallback(
      LabelValues values,
      std::function<double()> fn) requires(!std::is_same_v<Cell, Histogram>) {
    return AddCallbackSeries(values, std::move(fn));
  }

 private:
  std::unique_ptr<Cell> MakeCell() const {
    if constexpr (std::is_same_v<Cell, Histogram>) {
      return std::make_unique<Histogram>(bucket_bounds());
    } else {
      return std::make_unique<Cell>();
    }
  }

  bool HasCellLocked(LabelValues values) const override {
    return cells_.find(values) != cells_.end();
  }

  void CollectCellsLocked(std::vector<SeriesSample>& out) const override {
    for (const auto& [labels, cell] : cells_) {
      SeriesSample& s = out.emplace_back();
      s.label_values = labels;
      if constexpr (std::is_same_v<Cell, Histogram>) {
        s.histogram = cell->Snapshot();
      } else {
        s.value = static_cast<double>(cell->Value());
      }
    }
  }

  std::map<std::vector<std::string>, std::unique_ptr<Cell>,
           internal::LabelValuesLess>
      cells_;  // guarded by mu_; never erased, so references stay valid
};

using CounterFamily = Family<Counter>;
using GaugeFamily = Family<Gauge>;
using HistogramFamily = Family<Histogram>;

}  // namespace stockpile::obs

#endif  // STOCKPILE_OBS_METRIC_FAMILY_H_
