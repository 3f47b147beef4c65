// Bus benchmarks (issue 2, "Benchmarks"): workload A (10 AMQP subscribers,
// 20 keys) with pre-built events (A1) and a fresh event per publish (A2),
// workload B (one exact subscriber, one key), workload C (async dispatch, 4
// subscribers, end to end). Results and the command: BENCHMARKS.md, "Bus".
#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <vector>

#include "bus/in_process_bus.h"
#include "bus_workload.h"

namespace stockpile::bench {
namespace {

// What every workload-A handler does: count and sum payload.quantity.
struct Tally {
  int64_t calls = 0;
  int64_t checksum = 0;
};

bus::Handler CountingHandler(Tally& tally) {
  return [&tally](const bus::EventRef& e) {
    ++tally.calls;
    int64_t q = 0;
    if (e->PayloadInt("quantity", q)) tally.checksum += q;
    return core::Status::Ok();
  };
}

std::vector<bus::Subscription> SubscribeWorkloadA(bus::InProcessBus& bus,
                                                  Tally& tally) {
  std::vector<bus::Subscription> subs;
  for (const char* pattern : kPatterns) {
    auto sub = bus.Subscribe(pattern, CountingHandler(tally));
    if (!sub.ok()) {
      std::cerr << sub.status() << "\n";
      std::abort();
    }
    subs.push_back(std::move(sub).value());
  }
  return subs;
}

void Check(const core::Status& s) {
  if (!s.ok()) {
    std::cerr << s << "\n";
    std::abort();
  }
}

void Report(benchmark::State& state, const Tally& tally, int64_t calls_before) {
  state.counters["events/s"] = benchmark::Counter(
      static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["handler_calls/s"] =
      benchmark::Counter(static_cast<double>(tally.calls - calls_before),
                         benchmark::Counter::kIsRate);
  state.counters["checksum"] = static_cast<double>(tally.checksum);
}

// A1: dispatch alone; events are built before the clock starts.
void BM_A1_PrebuiltEvents(benchmark::State& state) {
  bus::InProcessBus bus;
  Tally tally;
  auto subs = SubscribeWorkloadA(bus, tally);
  std::vector<uint32_t> keys = KeyIndices();
  std::vector<core::EventPtr> events;
  events.reserve(kPrebuiltEvents);
  for (size_t i = 0; i < kPrebuiltEvents; ++i) {
    auto e = std::make_shared<core::Event>();
    FillEvent(*e, keys, static_cast<int64_t>(i));
    events.push_back(std::move(e));
  }
  for (int64_t i = 0; i < kWarmupEvents; ++i) {
    Check(bus.Publish(events[i % kPrebuiltEvents]));
  }
  int64_t before = tally.calls;
  size_t i = 0;
  for (auto _ : state) {
    Check(bus.Publish(events[i]));
    if (++i == kPrebuiltEvents) i = 0;
  }
  Report(state, tally, before);
}
BENCHMARK(BM_A1_PrebuiltEvents)->Iterations(kMeasuredEvents)->UseRealTime();

// A2: a fresh event for every publish, as the EventEmitter2 baseline does
// (it builds an object literal per emit). The event lives on the stack and
// is published by reference: sync handlers borrow it.
void BM_A2_FreshEventPerPublish(benchmark::State& state) {
  bus::InProcessBus bus;
  Tally tally;
  auto subs = SubscribeWorkloadA(bus, tally);
  std::vector<uint32_t> keys = KeyIndices();
  int64_t i = 0;
  for (; i < kWarmupEvents; ++i) {
    core::Event e;
    FillEvent(e, keys, i);
    Check(bus.Publish(e));
  }
  int64_t before = tally.calls;
  for (auto _ : state) {
    core::Event e;
    FillEvent(e, keys, i++);
    Check(bus.Publish(e));
  }
  Report(state, tally, before);
}
BENCHMARK(BM_A2_FreshEventPerPublish)
    ->Iterations(kMeasuredEvents)
    ->UseRealTime();

// A2 variant: the fresh event is allocated as a shared EventPtr, the form
// events take when they come from the store or another thread.
void BM_A2_FreshSharedEventPerPublish(benchmark::State& state) {
  bus::InProcessBus bus;
  Tally tally;
  auto subs = SubscribeWorkloadA(bus, tally);
  std::vector<uint32_t> keys = KeyIndices();
  int64_t i = 0;
  for (; i < kWarmupEvents; ++i) {
    auto e = std::make_shared<core::Event>();
    FillEvent(*e, keys, i);
    Check(bus.Publish(core::EventPtr(std::move(e))));
  }
  int64_t before = tally.calls;
  for (auto _ : state) {
    auto e = std::make_shared<core::Event>();
    FillEvent(*e, keys, i++);
    Check(bus.Publish(core::EventPtr(std::move(e))));
  }
  Report(state, tally, before);
}
BENCHMARK(BM_A2_FreshSharedEventPerPublish)
    ->Iterations(kMeasuredEvents)
    ->UseRealTime();

// B: one exact-match subscriber, one key, one pre-built event.
void BM_B_OneExactSubscriber(benchmark::State& state) {
  bus::InProcessBus bus;
  Tally tally;
  auto sub = bus.Subscribe("inventory.stock.adjusted", CountingHandler(tally));
  Check(sub.status());
  std::vector<uint32_t> keys = KeyIndices();
  auto e = std::make_shared<core::Event>();
  FillEvent(*e, keys, 0);
  e->event_type = "inventory.stock.adjusted";
  core::EventPtr event = std::move(e);
  for (int64_t i = 0; i < kWarmupEvents; ++i) Check(bus.Publish(event));
  int64_t before = tally.calls;
  for (auto _ : state) Check(bus.Publish(event));
  Report(state, tally, before);
}
BENCHMARK(BM_B_OneExactSubscriber)->Iterations(kMeasuredEvents)->UseRealTime();

// C: async dispatch end to end — 4 async subscriptions ("#", one worker
// each, blocking backpressure); the clock stops when every event has been
// handled by all four (Flush).
void BM_C_Async4Subscribers(benchmark::State& state) {
  std::vector<uint32_t> keys = KeyIndices();
  std::vector<core::EventPtr> events;
  events.reserve(kPrebuiltEvents);
  for (size_t i = 0; i < kPrebuiltEvents; ++i) {
    auto e = std::make_shared<core::Event>();
    FillEvent(*e, keys, static_cast<int64_t>(i));
    events.push_back(std::move(e));
  }
  bus::InProcessBus bus;
  std::atomic<int64_t> calls{0};
  std::vector<bus::Subscription> subs;
  for (int s = 0; s < 4; ++s) {
    auto sub = bus.Subscribe("#",
                             [&calls](const bus::EventRef& e) {
                               int64_t q = 0;
                               e->PayloadInt("quantity", q);
                               benchmark::DoNotOptimize(q);
                               calls.fetch_add(1, std::memory_order_relaxed);
                               return core::Status::Ok();
                             },
                             {.dispatch = bus::Dispatch::kAsync,
                              .workers = 1,
                              .queue_capacity = 8192});
    Check(sub.status());
    subs.push_back(std::move(sub).value());
  }
  for (int64_t i = 0; i < kWarmupEvents; ++i) {
    Check(bus.Publish(events[i % kPrebuiltEvents]));
  }
  Check(bus.Flush());
  int64_t before = calls.load();
  size_t i = 0;
  int64_t n = 0;
  for (auto _ : state) {
    Check(bus.Publish(events[i]));
    if (++i == kPrebuiltEvents) i = 0;
    if (++n == state.max_iterations) Check(bus.Flush());  // timed
  }
  state.counters["events/s"] = benchmark::Counter(
      static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["handler_calls/s"] = benchmark::Counter(
      static_cast<double>(calls.load() - before), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_C_Async4Subscribers)->Iterations(kMeasuredEvents)->UseRealTime();

}  // namespace
}  // namespace stockpile::bench

BENCHMARK_MAIN();
