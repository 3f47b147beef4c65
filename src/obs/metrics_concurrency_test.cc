// Metrics under concurrent use; also run under ThreadSanitizer.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "obs/metrics_registry.h"

namespace stockpile::obs {
namespace {

constexpr int kThreads = 4;
constexpr int kPerThread = 50'000;

TEST(MetricsConcurrencyTest, ConcurrentUpdatesAreAllCounted) {
  MetricsRegistry registry;
  CounterFamily* counters = *registry.AddCounter("c_total", "C", {"k"});
  GaugeFamily* gauges = *registry.AddGauge("g", "G");
  HistogramFamily* histograms = *registry.AddHistogram("h", "H", {}, {1, 2});
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      Counter& c = counters->WithLabels({"shared"});
      Gauge& g = gauges->WithLabels({});
      Histogram& h = histograms->WithLabels({});
      for (int i = 0; i < kPerThread; ++i) {
        c.Increment();
        g.Add(1);
        h.Observe(i % 3);  // 0, 1, 2: one bucket each
      }
    });
  }
  // Scrapes while writers run must not disturb them.
  for (int i = 0; i < 20; ++i) (void)registry.Collect();
  for (std::thread& t : threads) t.join();

  const uint64_t total = uint64_t{kThreads} * kPerThread;
  EXPECT_EQ(counters->WithLabels({"shared"}).Value(), total);
  EXPECT_EQ(gauges->WithLabels({}).Value(), static_cast<double>(total));
  HistogramValue h = histograms->WithLabels({}).Snapshot();
  EXPECT_EQ(h.count, total);
  EXPECT_EQ(h.cumulative_counts.back(), total);
}

TEST(MetricsConcurrencyTest, RacingWithLabelsCreatesOneSeries) {
  MetricsRegistry registry;
  CounterFamily* f = *registry.AddCounter("c_total", "C", {"k"});
  std::vector<Counter*> seen(kThreads);
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] { seen[t] = &f->WithLabels({"same"}); });
  }
  for (std::thread& t : threads) t.join();
  for (Counter* c : seen) EXPECT_EQ(c, seen[0]);
  EXPECT_EQ(registry.Collect().at(0).series.size(), 1u);
}

TEST(MetricsConcurrencyTest, ReleasedCallbackNeverRunsOnFreedState) {
  MetricsRegistry registry;
  GaugeFamily* lag = *registry.AddGauge("lag", "Lag", {"subscription"});
  std::atomic<bool> stop{false};
  std::thread scraper([&] {
    while (!stop) {
      for (const FamilySnapshot& f : registry.Collect()) {
        for (const SeriesSample& s : f.series) EXPECT_EQ(s.value, 5);
      }
    }
  });
  for (int i = 0; i < 2'000; ++i) {
    auto state = std::make_unique<double>(5);
    CallbackRegistration r =
        *lag->AddCallback({"orders"}, [p = state.get()] { return *p; });
    r.Release();
    *state = -1;  // a callback running after Release would report -1
    state.reset();
  }
  stop = true;
  scraper.join();
}

}  // namespace
}  // namespace stockpile::obs
