// Ordering and checkpoint under parallel workers (runs under TSan too).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <random>
#include <string>
#include <thread>

#include "runtime/consumer.h"
#include "runtime/consumer_test_util.h"
#include "runtime/in_memory_checkpoint_store.h"
#include "runtime/in_memory_dead_letter_store.h"
#include "runtime/in_memory_inbox_store.h"
#include "runtime/in_memory_transaction.h"
#include "runtime/store_event_source.h"
#include "store/in_memory_event_store.h"

namespace stockpile::runtime {
namespace {

TEST(ConsumerOrderingTest, EachAggregateInOrderUnderEightWorkers) {
  core::ManualClock clock;
  core::UuidV7Generator ids(clock);
  auto store = store::MakeInMemoryEventStore();
  StoreEventSource source(*store);
  InMemoryTransactionRunner runner;
  InMemoryCheckpointStore checkpoints;
  InMemoryInboxStore inbox;
  InMemoryDeadLetterStore dead_letters;
  FixedJitter jitter(0.0);

  std::mutex rng_mu;
  std::mt19937 rng(12345);
  std::atomic<int> running{0};
  std::atomic<int> max_running{0};
  testing::RecordingHandler recorder;
  Handler record = recorder.AsHandler();

  ConsumerOptions options;
  options.name = "ordering";
  options.workers = 8;
  options.max_in_flight = 64;  // exercises back-pressure too
  options.poll_interval = std::chrono::milliseconds(1);
  options.handler = [&](const core::EventPtr& e, HandlerContext& ctx) {
    const int now = running.fetch_add(1) + 1;
    int seen = max_running.load();
    while (now > seen && !max_running.compare_exchange_weak(seen, now)) {
    }
    int micros;
    {
      std::lock_guard<std::mutex> lock(rng_mu);
      micros = std::uniform_int_distribution<int>(0, 300)(rng);
    }
    std::this_thread::sleep_for(std::chrono::microseconds(micros));
    HandlerOutcome outcome = record(e, ctx);
    running.fetch_sub(1);
    return outcome;
  };

  constexpr int kAggregates = 40;
  constexpr int kPerAggregate = 25;
  // Half before the start (catch-up), half while it runs (live).
  auto append_round = [&](int from, int to) {
    int64_t last = 0;
    for (int v = from; v < to; ++v) {
      for (int a = 0; a < kAggregates; ++a) {
        last = testing::AppendEvent(*store, ids, clock,
                                    "agg-" + std::to_string(a));
      }
    }
    return last;
  };
  append_round(0, kPerAggregate / 2);
  auto consumer =
      Consumer::Start(options, ConsumerDeps{.source = &source,
                                            .transactions = &runner,
                                            .checkpoints = &checkpoints,
                                            .inbox = &inbox,
                                            .dead_letters = &dead_letters,
                                            .clock = &clock,
                                            .jitter = &jitter});
  ASSERT_TRUE(consumer.ok()) << consumer.status();
  const int64_t last = append_round(kPerAggregate / 2, kPerAggregate);

  ASSERT_TRUE((*consumer)->WaitForCheckpoint(last, std::chrono::seconds(60)));
  (*consumer)->Stop();
  EXPECT_EQ(*checkpoints.Load("ordering"), last);
  EXPECT_EQ((*consumer)->Stats().processed, kAggregates * kPerAggregate);

  auto order = recorder.Order();
  ASSERT_EQ(order.size(), static_cast<size_t>(kAggregates));
  for (const auto& [aggregate, versions] : order) {
    ASSERT_EQ(versions.size(), static_cast<size_t>(kPerAggregate)) << aggregate;
    for (int v = 0; v < kPerAggregate; ++v) {
      EXPECT_EQ(versions[v], v + 1) << aggregate;
    }
  }
  EXPECT_LE(max_running.load(), 8);
}

}  // namespace
}  // namespace stockpile::runtime
