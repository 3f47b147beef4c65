// Subscribing and unsubscribing while other threads publish.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>
#include <vector>

#include "bus/bus_test_util.h"
#include "bus/in_process_bus.h"

namespace stockpile::bus {
namespace {

using testing::MakeEvent;

const char* const kKeys[] = {"order.created", "order.item.added",
                             "inventory.stock.adjusted", "payment.captured"};
const char* const kPatterns[] = {"order.*", "#", "inventory.#", "*.captured",
                                 "order.item.added"};

// State a transient handler touches; freed right after Unsubscribe returns,
// so a late call would be a use-after-free (caught by ASan/TSan) and is
// also counted through `closed`.
struct Probe {
  std::atomic<bool> closed{false};
  std::atomic<int64_t> calls{0};
};

TEST(BusConcurrencyTest, SubscribeAndUnsubscribeRacingFourPublishers) {
  InProcessBus bus;
  std::atomic<int64_t> stable_count{0};
  auto stable = bus.Subscribe("#", [&](const EventRef&) {
    stable_count.fetch_add(1, std::memory_order_relaxed);
    return core::Status::Ok();
  });
  ASSERT_TRUE(stable.ok());

  constexpr int kPublishers = 4, kPerPublisher = 20000;
  std::atomic<int64_t> late_calls{0};
  std::atomic<bool> stop{false};
  std::thread churner([&] {
    for (int round = 0; !stop.load(); ++round) {
      auto probe = std::make_unique<Probe>();
      Probe* p = probe.get();
      SubscribeOptions options;
      if (round % 3 == 0) {
        options = {.dispatch = Dispatch::kAsync,
                   .workers = 2,
                   .queue_capacity = 8,
                   .backpressure = round % 2 ? Backpressure::kReject
                                             : Backpressure::kBlock};
      }
      auto sub = bus.Subscribe(
          kPatterns[round % 5],
          [p, &late_calls](const EventRef&) {
            if (p->closed.load()) late_calls.fetch_add(1);
            p->calls.fetch_add(1, std::memory_order_relaxed);
            return core::Status::Ok();
          },
          options);
      ASSERT_TRUE(sub.ok());
      std::this_thread::yield();
      sub->Unsubscribe();
      p->closed = true;
      probe.reset();  // a call after Unsubscribe would touch freed memory
    }
  });

  std::vector<std::thread> publishers;
  for (int t = 0; t < kPublishers; ++t) {
    publishers.emplace_back([&, t] {
      for (int i = 0; i < kPerPublisher; ++i) {
        core::Status s = bus.Publish(
            MakeEvent(kKeys[(i + t) % 4], "agg-" + std::to_string(i % 16)));
        // Only a churned kReject subscription may refuse an event.
        ASSERT_TRUE(s.ok() || s.code() == core::StatusCode::kResourceExhausted)
            << s;
      }
    });
  }
  for (auto& th : publishers) th.join();
  stop = true;
  churner.join();

  EXPECT_EQ(stable_count.load(), int64_t{kPublishers} * kPerPublisher);
  EXPECT_EQ(stable->Stats().delivered,
            static_cast<uint64_t>(kPublishers * kPerPublisher));
  EXPECT_EQ(late_calls.load(), 0);
}

TEST(BusConcurrencyTest, UnsubscribeWaitsForASyncCallInProgress) {
  InProcessBus bus;
  std::promise<void> entered, open;
  std::shared_future<void> opened = open.get_future().share();
  std::atomic<int> calls{0};
  auto sub = bus.Subscribe("#", [&](const EventRef&) {
    if (calls.fetch_add(1) == 0) {
      entered.set_value();
      opened.wait();
    }
    return core::Status::Ok();
  });
  ASSERT_TRUE(sub.ok());
  std::thread publisher(
      [&] { ASSERT_TRUE(bus.Publish(MakeEvent("a.b")).ok()); });
  entered.get_future().wait();

  std::atomic<bool> returned{false};
  std::thread unsubscriber([&] {
    sub->Unsubscribe();
    returned = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(returned.load());  // the handler is still running elsewhere
  open.set_value();
  unsubscriber.join();
  publisher.join();
  ASSERT_TRUE(bus.Publish(MakeEvent("a.b")).ok());
  EXPECT_EQ(calls.load(), 1);
}

TEST(BusConcurrencyTest, ConcurrentPublishersOfNewKeysShareOneRoute) {
  InProcessBus bus;
  std::atomic<int64_t> count{0};
  auto sub = bus.Subscribe("k.#", [&](const EventRef&) {
    count.fetch_add(1, std::memory_order_relaxed);
    return core::Status::Ok();
  });
  ASSERT_TRUE(sub.ok());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 3000; ++i) {  // every thread misses the same keys
        ASSERT_TRUE(bus.Publish(MakeEvent("k.n" + std::to_string(i))).ok());
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(count.load(), 4 * 3000);
}

// More publishing threads than a subscriber has counter shards of its own
// (they share one with fetch_add), with threads coming and going so reader
// indices are reused: no delivery may go uncounted.
TEST(BusConcurrencyTest, StatsCountEveryDeliveryFromManyPublisherThreads) {
  InProcessBus bus;
  std::atomic<int64_t> calls{0};
  auto sub = bus.Subscribe("a.#", [&](const EventRef& e) {
    calls.fetch_add(1, std::memory_order_relaxed);
    return e->aggregate_id == "fail" ? core::InternalError("no")
                                     : core::Status::Ok();
  });
  ASSERT_TRUE(sub.ok());
  constexpr int kWaves = 3, kThreads = 12, kPerThread = 500;
  core::EventPtr ok = MakeEvent("a.b", "ok");
  core::EventPtr fail = MakeEvent("a.b", "fail");
  for (int wave = 0; wave < kWaves; ++wave) {
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kPerThread; ++i) {
          ASSERT_TRUE(bus.Publish(i % 5 == t % 5 ? fail : ok).ok());
        }
      });
    }
    for (auto& th : threads) th.join();
    // A (un)subscribe prunes the exited threads' reader records.
    auto other =
        bus.Subscribe("x", [](const EventRef&) { return core::Status::Ok(); });
    ASSERT_TRUE(other.ok());
  }
  SubscriptionStats stats = sub->Stats();
  EXPECT_EQ(static_cast<int64_t>(stats.delivered + stats.failed), calls.load());
  EXPECT_EQ(stats.delivered + stats.failed,
            static_cast<uint64_t>(kWaves * kThreads * kPerThread));
  EXPECT_EQ(stats.failed, static_cast<uint64_t>(kWaves * kThreads * 100));
}

}  // namespace
}  // namespace stockpile::bus
