#include "obs/metrics_registry.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <optional>
#include <stdexcept>

namespace stockpile::obs {
namespace {

// The family named `name`, collected now.
std::optional<FamilySnapshot> Find(const MetricsRegistry& registry,
                                   std::string_view name) {
  for (FamilySnapshot& f : registry.Collect()) {
    if (f.name == name) return std::move(f);
  }
  return std::nullopt;
}

TEST(MetricsRegistryTest, WithLabelsReturnsTheSameSeriesEveryTime) {
  MetricsRegistry registry;
  CounterFamily* f = *registry.AddCounter("events_total", "Events", {"type"});
  Counter& a = f->WithLabels({"order.created"});
  EXPECT_EQ(&a, &f->WithLabels({"order.created"}));
  EXPECT_NE(&a, &f->WithLabels({"order.cancelled"}));
  a.Increment();
  a.Increment(2);
  EXPECT_EQ(f->WithLabels({"order.created"}).Value(), 3u);
  EXPECT_EQ(f->WithLabels({"order.cancelled"}).Value(), 0u);
}

TEST(MetricsRegistryTest, CollectReturnsFamiliesByNameAndSeriesByLabels) {
  MetricsRegistry registry;
  CounterFamily* events = *registry.AddCounter("b_total", "B", {"type"});
  GaugeFamily* depth = *registry.AddGauge("a_depth", "A");
  events->WithLabels({"z"}).Increment(5);
  events->WithLabels({"m"}).Increment(1);
  depth->WithLabels({}).Set(2.5);

  std::vector<FamilySnapshot> all = registry.Collect();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].name, "a_depth");
  EXPECT_EQ(all[0].type, MetricType::kGauge);
  ASSERT_EQ(all[0].series.size(), 1u);
  EXPECT_EQ(all[0].series[0].value, 2.5);
  EXPECT_EQ(all[1].name, "b_total");
  ASSERT_EQ(all[1].series.size(), 2u);
  EXPECT_EQ(all[1].series[0].label_values, std::vector<std::string>{"m"});
  EXPECT_EQ(all[1].series[0].value, 1);
  EXPECT_EQ(all[1].series[1].label_values, std::vector<std::string>{"z"});
  EXPECT_EQ(all[1].series[1].value, 5);
}

TEST(MetricsRegistryTest, FamilyWithoutLabelsStartsAtZero) {
  MetricsRegistry registry;
  ASSERT_TRUE(registry.AddCounter("restarts_total", "Restarts").ok());
  std::optional<FamilySnapshot> f = Find(registry, "restarts_total");
  ASSERT_TRUE(f.has_value());
  ASSERT_EQ(f->series.size(), 1u);
  EXPECT_EQ(f->series[0].value, 0);
}

TEST(MetricsRegistryTest, SameShapeReturnsTheExistingFamily) {
  MetricsRegistry registry;
  GaugeFamily* first = *registry.AddGauge("lag", "Lag", {"subscription"});
  core::Result<GaugeFamily*> again =
      registry.AddGauge("lag", "other help", {"subscription"});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, first);
  EXPECT_EQ((*again)->help(), "Lag");
}

TEST(MetricsRegistryTest, ConflictingReuseOfANameIsAlreadyExists) {
  MetricsRegistry registry;
  ASSERT_TRUE(registry.AddGauge("lag", "Lag", {"subscription"}).ok());
  EXPECT_EQ(registry.AddCounter("lag", "Lag", {"subscription"}).status().code(),
            core::StatusCode::kAlreadyExists);
  EXPECT_EQ(registry.AddGauge("lag", "Lag", {"queue"}).status().code(),
            core::StatusCode::kAlreadyExists);
  ASSERT_TRUE(registry.AddHistogram("h", "H", {}, {1, 2}).ok());
  EXPECT_EQ(registry.AddHistogram("h", "H", {}, {1, 3}).status().code(),
            core::StatusCode::kAlreadyExists);
}

TEST(MetricsRegistryTest, RejectsBadNamesAndBuckets) {
  MetricsRegistry registry;
  EXPECT_EQ(registry.AddCounter("bad-name", "x").status().code(),
            core::StatusCode::kInvalidArgument);
  EXPECT_EQ(registry.AddCounter("ok", "x", {"__reserved"}).status().code(),
            core::StatusCode::kInvalidArgument);
  EXPECT_EQ(registry.AddHistogram("h", "x", {"le"}).status().code(),
            core::StatusCode::kInvalidArgument);
  EXPECT_EQ(registry.AddHistogram("h", "x", {}, {1, 1}).status().code(),
            core::StatusCode::kInvalidArgument);
  EXPECT_EQ(registry.AddHistogram("h", "x", {}, {2, 1}).status().code(),
            core::StatusCode::kInvalidArgument);
  EXPECT_EQ(registry.AddHistogram("h", "x", {}, {1, INFINITY}).status().code(),
            core::StatusCode::kInvalidArgument);
  EXPECT_TRUE(registry.Collect().empty());
}

TEST(MetricsRegistryTest, HistogramBucketsCountValuesUpToTheirBound) {
  MetricsRegistry registry;
  HistogramFamily* f = *registry.AddHistogram("d_seconds", "D", {}, {1, 2, 5});
  Histogram& h = f->WithLabels({});
  h.Observe(1);    // le=1: a value on a bound belongs to that bucket
  h.Observe(1.5);  // le=2
  h.Observe(10);   // +Inf
  h.Observe(0.5);  // le=1
  HistogramValue v = h.Snapshot();
  EXPECT_EQ(v.cumulative_counts, (std::vector<uint64_t>{2, 3, 3, 4}));
  EXPECT_EQ(v.count, 4u);
  EXPECT_DOUBLE_EQ(v.sum, 13);
}

TEST(MetricsRegistryTest, HistogramObservesDurationsInSeconds) {
  MetricsRegistry registry;
  HistogramFamily* f = *registry.AddHistogram("latency_seconds", "L");
  Histogram& h = f->WithLabels({});
  h.ObserveDuration(std::chrono::milliseconds(3));
  HistogramValue v = h.Snapshot();
  EXPECT_DOUBLE_EQ(v.sum, 0.003);
  const std::vector<double> bounds = DefaultLatencyBuckets();
  for (size_t i = 0; i < bounds.size(); ++i) {
    EXPECT_EQ(v.cumulative_counts[i], bounds[i] >= 0.003 ? 1u : 0u)
        << "le=" << bounds[i];
  }
}

TEST(MetricsRegistryTest, CallbackSeriesIsEvaluatedAtEveryCollect) {
  MetricsRegistry registry;
  GaugeFamily* lag = *registry.AddGauge("lag_events", "Lag", {"subscription"});
  double current = 7;
  core::Result<CallbackRegistration> r =
      lag->AddCallback({"orders"}, [&current] { return current; });
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Find(registry, "lag_events")->series.at(0).value, 7);
  current = 3;
  EXPECT_EQ(Find(registry, "lag_events")->series.at(0).value, 3);

  r->Release();
  EXPECT_TRUE(Find(registry, "lag_events")->series.empty());
  // The name is free again once released.
  EXPECT_TRUE(lag->AddCallback({"orders"}, [] { return 1.0; }).ok());
}

TEST(MetricsRegistryTest, CallbackCannotShadowAnExistingSeries) {
  MetricsRegistry registry;
  CounterFamily* f = *registry.AddCounter("delivered_total", "D", {"sub"});
  f->WithLabels({"a"}).Increment();
  EXPECT_EQ(f->AddCallback({"a"}, [] { return 1.0; }).status().code(),
            core::StatusCode::kAlreadyExists);
  core::Result<CallbackRegistration> b =
      f->AddCallback({"b"}, [] { return 1.0; });
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(f->AddCallback({"b"}, [] { return 2.0; }).status().code(),
            core::StatusCode::kAlreadyExists);
}

TEST(MetricsRegistryTest, CallbackMayUseMetricsOfItsOwnFamily) {
  MetricsRegistry registry;
  GaugeFamily* f = *registry.AddGauge("g", "G", {"k"});
  f->WithLabels({"base"}).Set(4);
  // Would deadlock if callbacks ran under the family's lock.
  CallbackRegistration r = *f->AddCallback(
      {"twice"}, [f] { return 2 * f->WithLabels({"base"}).Value(); });
  std::optional<FamilySnapshot> snap = Find(registry, "g");
  ASSERT_EQ(snap->series.size(), 2u);
  EXPECT_EQ(snap->series[1].label_values, std::vector<std::string>{"twice"});
  EXPECT_EQ(snap->series[1].value, 8);
}

TEST(MetricsRegistryTest, ThrowingCallbackReportsNaN) {
  MetricsRegistry registry;
  GaugeFamily* f = *registry.AddGauge("g", "G", {"k"});
  CallbackRegistration r = *f->AddCallback(
      {"x"}, []() -> double { throw std::runtime_error("broken"); });
  EXPECT_TRUE(std::isnan(Find(registry, "g")->series.at(0).value));
}

TEST(MetricsRegistryDeathTest, WrongNumberOfLabelValuesAborts) {
  MetricsRegistry registry;
  CounterFamily* f = *registry.AddCounter("c_total", "C", {"a", "b"});
  EXPECT_DEATH(f->WithLabels({"only-one"}), "takes 2 label values, got 1");
}

}  // namespace
}  // namespace stockpile::obs
