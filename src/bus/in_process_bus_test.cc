#include "bus/in_process_bus.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>

#include "bus/bus_test_util.h"

namespace stockpile::bus {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::MakeEvent;
using testing::Recorder;

Subscription MustSubscribe(InProcessBus& bus, std::string_view pattern,
                           Handler handler, SubscribeOptions options = {}) {
  core::Result<Subscription> sub =
      bus.Subscribe(pattern, std::move(handler), std::move(options));
  CHECK(sub.ok()) << sub.status();
  return std::move(sub).value();
}

TEST(InProcessBusTest, RoutesByAmqpPatternInSubscriptionOrder) {
  InProcessBus bus;
  Recorder rec;
  Subscription s1 = MustSubscribe(bus, "order.#", rec.Handler("all-orders"));
  Subscription s2 =
      MustSubscribe(bus, "inventory.stock.*", rec.Handler("stock"));
  Subscription s3 = MustSubscribe(bus, "order.*", rec.Handler("order-one"));
  Subscription s4 = MustSubscribe(bus, "#", rec.Handler("everything"));

  ASSERT_TRUE(bus.Publish(MakeEvent("order.created")).ok());
  ASSERT_TRUE(bus.Publish(MakeEvent("order.item.added")).ok());
  ASSERT_TRUE(bus.Publish(MakeEvent("inventory.stock.adjusted")).ok());
  ASSERT_TRUE(bus.Publish(MakeEvent("inventory.stock")).ok());

  EXPECT_THAT(
      rec.lines(),
      ElementsAre(
          "all-orders:order.created", "order-one:order.created",
          "everything:order.created", "all-orders:order.item.added",
          "everything:order.item.added", "stock:inventory.stock.adjusted",
          "everything:inventory.stock.adjusted", "everything:inventory.stock"));
  EXPECT_EQ(s1.Stats().delivered, 2u);
  EXPECT_EQ(s4.Stats().delivered, 4u);
}

TEST(InProcessBusTest, PublishByReferenceReachesTheSameHandlers) {
  InProcessBus bus;
  core::EventPtr kept;
  Subscription sub = MustSubscribe(bus, "order.*", [&](const EventRef& e) {
    kept = e.Share();  // a copy that outlives the publisher's event
    return core::Status::Ok();
  });
  {
    core::Event event;
    event.event_type = "order.created";
    event.aggregate_id = "ord-9";
    ASSERT_TRUE(bus.Publish(event).ok());
  }
  ASSERT_NE(kept, nullptr);
  EXPECT_EQ(kept->aggregate_id, "ord-9");
}

TEST(InProcessBusTest, SharedEventIsNotCopiedForTheHandler) {
  InProcessBus bus;
  core::EventPtr kept;
  Subscription sub = MustSubscribe(bus, "#", [&](const EventRef& e) {
    kept = e.Share();
    return core::Status::Ok();
  });
  core::EventPtr event = MakeEvent("order.created");
  ASSERT_TRUE(bus.Publish(event).ok());
  EXPECT_EQ(kept, event);
}

TEST(InProcessBusTest, MultiplePatternsDeliverAnEventOnce) {
  InProcessBus bus;
  Recorder rec;
  auto sub = bus.Subscribe({"order.*", "order.#", "#"}, rec.Handler("s"));
  ASSERT_TRUE(sub.ok());
  ASSERT_TRUE(bus.Publish(MakeEvent("order.created")).ok());
  EXPECT_THAT(rec.lines(), ElementsAre("s:order.created"));
  EXPECT_EQ(sub->name(), "order.*,order.#,#");
}

TEST(InProcessBusTest, RejectsBadPatternsKeysAndOptions) {
  InProcessBus bus;
  Recorder rec;
  EXPECT_EQ(bus.Subscribe("Order.*", rec.Handler("x")).status().code(),
            core::StatusCode::kInvalidArgument);
  EXPECT_EQ(bus.Subscribe("order..x", rec.Handler("x")).status().code(),
            core::StatusCode::kInvalidArgument);
  EXPECT_EQ(bus.Subscribe("order.*", nullptr).status().code(),
            core::StatusCode::kInvalidArgument);
  EXPECT_EQ(bus.Subscribe("order.*", rec.Handler("x"),
                          {.dispatch = Dispatch::kAsync, .workers = 0})
                .status()
                .code(),
            core::StatusCode::kInvalidArgument);

  Subscription all = MustSubscribe(bus, "#", rec.Handler("all"));
  EXPECT_EQ(bus.Publish(MakeEvent("order.*")).code(),
            core::StatusCode::kInvalidArgument);
  EXPECT_EQ(bus.Publish(MakeEvent("")).code(),
            core::StatusCode::kInvalidArgument);
  EXPECT_THAT(rec.lines(), IsEmpty());
  // No subscriber for a valid key is fine.
  EXPECT_TRUE(bus.Publish(MakeEvent("nobody.listens")).ok());
}

TEST(InProcessBusTest, FailingOrThrowingHandlerDoesNotAffectOthers) {
  InProcessBus bus;
  Recorder rec;
  Subscription before = MustSubscribe(bus, "#", rec.Handler("before"));
  Subscription failing = MustSubscribe(bus, "#", [](const EventRef&) {
    return core::UnavailableError("downstream is down");
  });
  Subscription throwing =
      MustSubscribe(bus, "#", [](const EventRef&) -> core::Status {
        throw std::runtime_error("boom");
      });
  Subscription after = MustSubscribe(bus, "#", rec.Handler("after"));

  EXPECT_TRUE(bus.Publish(MakeEvent("order.created")).ok());
  EXPECT_TRUE(bus.Publish(MakeEvent("order.shipped")).ok());

  EXPECT_THAT(rec.lines(),
              ElementsAre("before:order.created", "after:order.created",
                          "before:order.shipped", "after:order.shipped"));
  EXPECT_EQ(failing.Stats().failed, 2u);
  EXPECT_EQ(failing.Stats().delivered, 0u);
  EXPECT_EQ(throwing.Stats().failed, 2u);
  EXPECT_EQ(after.Stats().delivered, 2u);
  EXPECT_EQ(after.Stats().failed, 0u);
}

TEST(InProcessBusTest, DestroyingTheHandleUnsubscribes) {
  InProcessBus bus;
  Recorder rec;
  {
    Subscription temp = MustSubscribe(bus, "order.*", rec.Handler("temp"));
    ASSERT_TRUE(bus.Publish(MakeEvent("order.created")).ok());
  }
  ASSERT_TRUE(bus.Publish(MakeEvent("order.created")).ok());
  EXPECT_THAT(rec.lines(), ElementsAre("temp:order.created"));
  EXPECT_THAT(bus.Stats(), IsEmpty());
}

TEST(InProcessBusTest, MovedHandleKeepsTheSubscriptionAlive) {
  InProcessBus bus;
  Recorder rec;
  Subscription outer;
  EXPECT_FALSE(outer.active());
  {
    Subscription inner = MustSubscribe(bus, "order.*", rec.Handler("s"));
    outer = std::move(inner);
  }
  EXPECT_TRUE(outer.active());
  ASSERT_TRUE(bus.Publish(MakeEvent("order.created")).ok());
  outer.Unsubscribe();
  EXPECT_FALSE(outer.active());
  outer.Unsubscribe();  // idempotent
  ASSERT_TRUE(bus.Publish(MakeEvent("order.created")).ok());
  EXPECT_THAT(rec.lines(), ElementsAre("s:order.created"));
  EXPECT_EQ(outer.Stats().delivered, 1u);  // stats survive unsubscription
}

TEST(InProcessBusTest, SubscribingAfterAKeyWasCachedSeesTheNewSubscriber) {
  InProcessBus bus;
  Recorder rec;
  Subscription first = MustSubscribe(bus, "order.*", rec.Handler("first"));
  ASSERT_TRUE(bus.Publish(MakeEvent("order.created")).ok());  // cached now
  Subscription second =
      MustSubscribe(bus, "order.created", rec.Handler("second"));
  ASSERT_TRUE(bus.Publish(MakeEvent("order.created")).ok());
  first.Unsubscribe();
  ASSERT_TRUE(bus.Publish(MakeEvent("order.created")).ok());
  EXPECT_THAT(rec.lines(),
              ElementsAre("first:order.created", "first:order.created",
                          "second:order.created", "second:order.created"));
}

TEST(InProcessBusTest, HandlerMayUnsubscribeItselfAndSubscribeOthers) {
  InProcessBus bus;
  Recorder rec;
  Subscription self;
  Subscription added;
  int calls = 0;
  self = MustSubscribe(bus, "order.*", [&](const EventRef&) {
    ++calls;
    self.Unsubscribe();
    added = MustSubscribe(bus, "order.*", rec.Handler("added"));
    return core::Status::Ok();
  });
  ASSERT_TRUE(bus.Publish(MakeEvent("order.created")).ok());
  ASSERT_TRUE(bus.Publish(MakeEvent("order.shipped")).ok());
  EXPECT_EQ(calls, 1);
  EXPECT_THAT(rec.lines(), ElementsAre("added:order.shipped"));
}

TEST(InProcessBusTest, HandleOutlivingTheBusIsHarmless) {
  Subscription sub;
  {
    InProcessBus bus;
    Recorder rec;
    sub = MustSubscribe(bus, "#", rec.Handler("s"));
    ASSERT_TRUE(bus.Publish(MakeEvent("a.b")).ok());
  }
  EXPECT_EQ(sub.Stats().delivered, 1u);
  sub.Unsubscribe();
}

TEST(InProcessBusTest, ManyDistinctKeysBeyondTheCacheStillRouteCorrectly) {
  InProcessBus bus;
  int64_t count = 0;
  Subscription sub = MustSubscribe(bus, "k.*", [&](const EventRef&) {
    ++count;
    return core::Status::Ok();
  });
  for (int i = 0; i < 6000; ++i) {  // more keys than the route cache holds
    ASSERT_TRUE(bus.Publish(MakeEvent("k.n" + std::to_string(i))).ok());
    ASSERT_TRUE(bus.Publish(MakeEvent("x.n" + std::to_string(i))).ok());
  }
  EXPECT_EQ(count, 6000);
  // The same uncached key twice in a row (its route is the publisher's own,
  // freed after each publish: it must not be remembered), then a cached one.
  for (const char* key : {"k.n5999", "k.n5999", "k.n0", "k.n0"}) {
    ASSERT_TRUE(bus.Publish(MakeEvent(key)).ok());
  }
  EXPECT_EQ(count, 6004);
}

// A thread remembers its last route per bus: alternating buses with the
// same key must reach each bus's own subscribers.
TEST(InProcessBusTest, OneThreadAlternatingBusesWithOneKey) {
  InProcessBus a, b;
  Recorder rec;
  Subscription sa = MustSubscribe(a, "order.created", rec.Handler("a"));
  Subscription sb = MustSubscribe(b, "order.*", rec.Handler("b"));
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(a.Publish(MakeEvent("order.created")).ok());
    ASSERT_TRUE(b.Publish(MakeEvent("order.created")).ok());
  }
  EXPECT_THAT(rec.lines(), ElementsAre("a:order.created", "b:order.created",
                                       "a:order.created", "b:order.created"));
}

}  // namespace
}  // namespace stockpile::bus
