// Async dispatch: per-aggregate order, backpressure, isolation, shutdown.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <map>
#include <set>
#include <thread>

#include "bus/bus_test_util.h"
#include "bus/in_process_bus.h"

namespace stockpile::bus {
namespace {

using testing::MakeEvent;

// A handler that blocks its first call until Open() is called.
class Gate {
 public:
  Handler BlockingHandler(std::atomic<int>& calls) {
    return [this, &calls](const EventRef&) {
      if (calls.fetch_add(1) == 0) {
        entered_.set_value();
        opened_.wait();
      }
      return core::Status::Ok();
    };
  }
  void WaitEntered() { entered_future_.wait(); }
  void Open() { open_.set_value(); }

 private:
  std::promise<void> entered_;
  std::future<void> entered_future_ = entered_.get_future();
  std::promise<void> open_;
  std::shared_future<void> opened_ = open_.get_future().share();
};

SubscribeOptions Async(size_t workers, size_t capacity,
                       Backpressure policy = Backpressure::kBlock) {
  return {.dispatch = Dispatch::kAsync,
          .workers = workers,
          .queue_capacity = capacity,
          .backpressure = policy};
}

TEST(AsyncDispatchTest, EventsOfOneAggregateArriveInPublishOrder) {
  InProcessBus bus;
  std::mutex mu;
  std::map<std::string, std::vector<int64_t>> seen;  // GUARDED_BY(mu)
  std::set<std::thread::id> threads;                 // GUARDED_BY(mu)
  auto sub = bus.Subscribe(
      "inventory.#",
      [&](const EventRef& e) {
        int64_t seq = 0;
        e->PayloadInt("seq", seq);
        if (seq % 7 == 0) std::this_thread::yield();  // uneven handler time
        std::lock_guard<std::mutex> lock(mu);
        seen[e->aggregate_id].push_back(seq);
        threads.insert(std::this_thread::get_id());
        return core::Status::Ok();
      },
      Async(4, 64));
  ASSERT_TRUE(sub.ok());
  constexpr int kAggregates = 50, kPerAggregate = 200;
  for (int i = 0; i < kPerAggregate; ++i) {
    for (int a = 0; a < kAggregates; ++a) {
      ASSERT_TRUE(bus.Publish(MakeEvent("inventory.stock.adjusted",
                                        "p-" + std::to_string(a), i))
                      .ok());
    }
  }
  ASSERT_TRUE(bus.Flush().ok());
  std::lock_guard<std::mutex> lock(mu);
  ASSERT_EQ(seen.size(), static_cast<size_t>(kAggregates));
  for (const auto& [aggregate, seqs] : seen) {
    ASSERT_EQ(seqs.size(), static_cast<size_t>(kPerAggregate)) << aggregate;
    for (int i = 0; i < kPerAggregate; ++i) ASSERT_EQ(seqs[i], i) << aggregate;
  }
  EXPECT_GE(threads.size(), 2u);  // aggregates really spread over workers
  EXPECT_EQ(sub->Stats().delivered,
            static_cast<uint64_t>(kAggregates * kPerAggregate));
  EXPECT_EQ(sub->Stats().queue_depth, 0u);
}

TEST(AsyncDispatchTest, RejectPolicyDropsAndCountsWhenFull) {
  InProcessBus bus;
  Gate gate;
  std::atomic<int> calls{0};
  auto sub = bus.Subscribe("#", gate.BlockingHandler(calls),
                           Async(1, 2, Backpressure::kReject));
  ASSERT_TRUE(sub.ok());
  ASSERT_TRUE(bus.Publish(MakeEvent("a.b")).ok());
  gate.WaitEntered();  // the worker holds event 0; the queue is empty
  EXPECT_TRUE(bus.Publish(MakeEvent("a.b")).ok());
  EXPECT_TRUE(bus.Publish(MakeEvent("a.b")).ok());
  EXPECT_EQ(bus.Publish(MakeEvent("a.b")).code(),
            core::StatusCode::kResourceExhausted);
  EXPECT_EQ(bus.Publish(MakeEvent("a.b")).code(),
            core::StatusCode::kResourceExhausted);
  EXPECT_EQ(sub->Stats().dropped, 2u);
  EXPECT_EQ(sub->Stats().queue_depth, 3u);
  gate.Open();
  ASSERT_TRUE(bus.Flush().ok());
  EXPECT_EQ(calls.load(), 3);
  EXPECT_EQ(sub->Stats().delivered, 3u);
  EXPECT_EQ(sub->Stats().dropped, 2u);
}

TEST(AsyncDispatchTest, BlockPolicyMakesThePublisherWaitForRoom) {
  InProcessBus bus;
  Gate gate;
  std::atomic<int> calls{0};
  auto sub = bus.Subscribe("#", gate.BlockingHandler(calls),
                           Async(1, 1, Backpressure::kBlock));
  ASSERT_TRUE(sub.ok());
  ASSERT_TRUE(bus.Publish(MakeEvent("a.b")).ok());
  gate.WaitEntered();
  ASSERT_TRUE(bus.Publish(MakeEvent("a.b")).ok());  // fills the queue
  std::atomic<bool> third_returned{false};
  core::Status third_status;
  std::thread publisher([&] {
    third_status = bus.Publish(MakeEvent("a.b"));
    third_returned = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(third_returned.load());  // still waiting for room
  gate.Open();
  publisher.join();
  EXPECT_TRUE(third_status.ok());
  ASSERT_TRUE(bus.Flush().ok());
  EXPECT_EQ(sub->Stats().delivered, 3u);
  EXPECT_EQ(sub->Stats().dropped, 0u);
}

TEST(AsyncDispatchTest, FailuresAreCountedAndIsolated) {
  InProcessBus bus;
  std::atomic<int> good{0};
  auto throwing = bus.Subscribe(
      "#", [](const EventRef&) -> core::Status { throw 42; }, Async(2, 16));
  auto failing = bus.Subscribe(
      "#", [](const EventRef&) { return core::InternalError("no"); },
      Async(1, 16));
  auto ok = bus.Subscribe(
      "#",
      [&](const EventRef&) {
        ++good;
        return core::Status::Ok();
      },
      Async(1, 16));
  ASSERT_TRUE(throwing.ok() && failing.ok() && ok.ok());
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(bus.Publish(MakeEvent("x.y", "agg-" + std::to_string(i))).ok());
  }
  ASSERT_TRUE(bus.Flush().ok());
  EXPECT_EQ(throwing->Stats().failed, 10u);
  EXPECT_EQ(failing->Stats().failed, 10u);
  EXPECT_EQ(ok->Stats().delivered, 10u);
  EXPECT_EQ(good.load(), 10);
}

TEST(AsyncDispatchTest, PublishedByReferenceIsCopiedForTheQueue) {
  InProcessBus bus;
  std::promise<std::string> got;
  auto sub = bus.Subscribe(
      "order.*",
      [&](const EventRef& e) {
        got.set_value(e->aggregate_id);
        return core::Status::Ok();
      },
      Async(1, 4));
  ASSERT_TRUE(sub.ok());
  {
    core::Event event;
    event.event_type = "order.created";
    event.aggregate_id = "ord-1";
    ASSERT_TRUE(bus.Publish(event).ok());
  }  // the publisher's event is gone before the worker may run
  EXPECT_EQ(got.get_future().get(), "ord-1");
}

TEST(AsyncDispatchTest, UnsubscribeWaitsForTheCallInHandAndDropsTheRest) {
  InProcessBus bus;
  Gate gate;
  std::atomic<int> calls{0};
  auto sub = bus.Subscribe("#", gate.BlockingHandler(calls), Async(1, 8));
  ASSERT_TRUE(sub.ok());
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(bus.Publish(MakeEvent("a.b")).ok());
  gate.WaitEntered();
  std::atomic<bool> returned{false};
  std::thread unsubscriber([&] {
    sub->Unsubscribe();
    returned = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(returned.load());  // the handler is still running
  gate.Open();
  unsubscriber.join();
  EXPECT_EQ(calls.load(), 1);
  EXPECT_EQ(sub->Stats().delivered, 1u);
  EXPECT_EQ(sub->Stats().dropped, 4u);
  EXPECT_EQ(sub->Stats().queue_depth, 0u);
}

TEST(AsyncDispatchTest, DestroyingTheBusStopsWorkersCleanly) {
  Subscription sub;
  constexpr int kEvents = 1000;
  {
    InProcessBus bus;
    auto s = bus.Subscribe(
        "#",
        [](const EventRef&) {
          std::this_thread::yield();
          return core::Status::Ok();
        },
        Async(2, kEvents));
    ASSERT_TRUE(s.ok());
    sub = std::move(s).value();
    for (int i = 0; i < kEvents; ++i) {
      ASSERT_TRUE(
          bus.Publish(MakeEvent("a.b", "agg-" + std::to_string(i % 10))).ok());
    }
  }  // workers joined here; whatever was still queued is dropped
  SubscriptionStats stats = sub.Stats();
  EXPECT_EQ(stats.delivered + stats.dropped, static_cast<uint64_t>(kEvents));
  EXPECT_EQ(stats.queue_depth, 0u);
}

TEST(AsyncDispatchTest, AsyncHandlerMayUnsubscribeItself) {
  InProcessBus bus;
  Subscription self;
  std::atomic<int> calls{0};
  std::promise<void> done;
  auto s = bus.Subscribe(
      "#",
      [&](const EventRef&) {
        if (calls.fetch_add(1) == 0) {
          self.Unsubscribe();
          done.set_value();
        }
        return core::Status::Ok();
      },
      Async(1, 8));
  ASSERT_TRUE(s.ok());
  self = std::move(s).value();
  ASSERT_TRUE(bus.Publish(MakeEvent("a.b")).ok());
  done.get_future().wait();
  bus.Publish(MakeEvent("a.b")).IgnoreError();  // refused or never delivered
  EXPECT_EQ(calls.load(), 1);
}

}  // namespace
}  // namespace stockpile::bus
