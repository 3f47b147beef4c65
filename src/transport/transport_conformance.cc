#include "transport/transport_conformance.h"

#include <gmock/gmock.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace stockpile::transport {

using std::chrono::milliseconds;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::string TransportBackendName(
    const testing::TestParamInfo<TransportBackend>& info) {
  return info.param.name;
}

void TransportConformanceTest::SetUp() {
  auto t = GetParam().open();
  ASSERT_TRUE(t.ok()) << t.status();
  transport_ = std::move(t).value();
}

core::EventPtr TransportConformanceTest::MakeEvent(const std::string& type,
                                                   int n) {
  return core::EventBuilder(type)
      .Aggregate("thing", "thing-" + std::to_string(n % 7))
      .Tenant("acme")
      .Payload({{"n", n}})
      .Build(ids_, clock_);
}

std::vector<Delivery> TransportConformanceTest::Receive(Subscription& sub,
                                                        size_t n) {
  std::vector<Delivery> got;
  auto deadline = std::chrono::steady_clock::now() + kTransportTestWait;
  while (got.size() < n && std::chrono::steady_clock::now() < deadline) {
    auto batch = sub.Poll(n - got.size(), milliseconds(200));
    if (!batch.ok()) {
      ADD_FAILURE() << batch.status();
      break;
    }
    for (Delivery& d : *batch) got.push_back(std::move(d));
  }
  EXPECT_EQ(got.size(), n) << "deliveries that arrived within the bound";
  return got;
}

std::vector<Delivery> TransportConformanceTest::Drain(Subscription& sub) {
  std::vector<Delivery> got;
  for (int i = 0; i < 3; ++i) {
    auto batch = sub.Poll(1000, milliseconds(150));
    EXPECT_TRUE(batch.ok()) << batch.status();
    if (!batch.ok()) break;
    for (Delivery& d : *batch) got.push_back(std::move(d));
  }
  return got;
}

std::unique_ptr<Subscription> TransportConformanceTest::Open(
    const std::string& queue, uint32_t prefetch) {
  auto sub = transport_->Consume(queue, {.prefetch = prefetch});
  EXPECT_TRUE(sub.ok()) << sub.status();
  return sub.ok() ? std::move(sub).value() : nullptr;
}

namespace {

std::vector<std::string> Types(const std::vector<Delivery>& ds) {
  std::vector<std::string> out;
  out.reserve(ds.size());
  for (const Delivery& d : ds) out.push_back(d.event->event_type);
  return out;
}

int64_t N(const Delivery& d) {
  int64_t n = -1;
  d.event->PayloadInt("n", n);
  return n;
}

}  // namespace

TEST_P(TransportConformanceTest, PublishConfirmsAndRoutesByTopic) {
  ASSERT_TRUE(transport_
                  ->DeclareTopology({.queues = {{"orders", {"order.*"}},
                                                {"stock", {"inventory.#"}},
                                                {"all", {"#"}}}})
                  .ok());
  std::vector<core::EventPtr> batch = {
      MakeEvent("order.created"), MakeEvent("inventory.stock.adjusted"),
      MakeEvent("order.item.added"), MakeEvent("inventory")};
  PublishResult r = transport_->Publish(batch);
  ASSERT_TRUE(r.ok()) << r.status;
  EXPECT_THAT(r.unconfirmed, IsEmpty());

  auto orders = Open("orders");
  auto stock = Open("stock");
  auto all = Open("all");
  ASSERT_TRUE(orders && stock && all);
  EXPECT_THAT(Types(Receive(*orders, 1)), ElementsAre("order.created"));
  EXPECT_THAT(Types(Receive(*stock, 2)),
              ElementsAre("inventory.stock.adjusted", "inventory"));
  EXPECT_EQ(Receive(*all, 4).size(), 4u);
  EXPECT_THAT(Drain(*orders), IsEmpty()) << "order.item.added is two words";
  EXPECT_EQ(transport_->Stats().published, 4u);
}

TEST_P(TransportConformanceTest, UnroutableEventIsConfirmedAndCounted) {
  ASSERT_TRUE(
      transport_->DeclareTopology({.queues = {{"orders", {"order.*"}}}}).ok());
  uint64_t before = transport_->Stats().returned;
  std::vector<core::EventPtr> batch = {MakeEvent("user.registered")};
  PublishResult r = transport_->Publish(batch);
  ASSERT_TRUE(r.ok()) << r.status;
  EXPECT_EQ(transport_->Stats().returned, before + 1);
  EXPECT_EQ(transport_->Stats().unconfirmed, 0u);
}

TEST_P(TransportConformanceTest, DeliveredEventEqualsPublishedEvent) {
  ASSERT_TRUE(transport_->DeclareTopology({.queues = {{"q", {"#"}}}}).ok());
  core::EventPtr e = MakeEvent("order.created", 42);
  std::vector<core::EventPtr> batch = {e};
  ASSERT_TRUE(transport_->Publish(batch).ok());
  auto sub = Open("q");
  ASSERT_TRUE(sub);
  auto got = Receive(*sub, 1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(*got[0].event, *e);
  EXPECT_FALSE(got[0].redelivered);
}

TEST_P(TransportConformanceTest, AckedEventIsNotDeliveredAgain) {
  ASSERT_TRUE(transport_->DeclareTopology({.queues = {{"q", {"#"}}}}).ok());
  std::vector<core::EventPtr> batch = {MakeEvent("order.created", 1),
                                       MakeEvent("order.created", 2)};
  ASSERT_TRUE(transport_->Publish(batch).ok());
  {
    auto sub = Open("q");
    ASSERT_TRUE(sub);
    auto got = Receive(*sub, 2);
    ASSERT_EQ(got.size(), 2u);
    ASSERT_TRUE(sub->Ack(got[0].tag).ok());
    EXPECT_EQ(sub->Ack(got[0].tag).code(),
              core::StatusCode::kFailedPrecondition);
    // got[1] stays unacked: closing the subscription hands it back.
  }
  auto sub = Open("q");
  ASSERT_TRUE(sub);
  auto got = Receive(*sub, 1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(N(got[0]), 2);
  EXPECT_TRUE(got[0].redelivered);
  ASSERT_TRUE(sub->Ack(got[0].tag).ok());
  EXPECT_THAT(Drain(*sub), IsEmpty());
}

TEST_P(TransportConformanceTest, NackRequeueDeliversAgain) {
  ASSERT_TRUE(transport_->DeclareTopology({.queues = {{"q", {"#"}}}}).ok());
  std::vector<core::EventPtr> batch = {MakeEvent("order.created", 7)};
  ASSERT_TRUE(transport_->Publish(batch).ok());
  auto sub = Open("q");
  ASSERT_TRUE(sub);
  auto first = Receive(*sub, 1);
  ASSERT_EQ(first.size(), 1u);
  ASSERT_TRUE(sub->Nack(first[0].tag, NackAction::kRequeue).ok());
  auto second = Receive(*sub, 1);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(N(second[0]), 7);
  EXPECT_TRUE(second[0].redelivered);
  ASSERT_TRUE(sub->Ack(second[0].tag).ok());
  EXPECT_THAT(Drain(*sub), IsEmpty());
}

TEST_P(TransportConformanceTest, NackDeadLetterMovesToDlq) {
  ASSERT_TRUE(transport_->DeclareTopology({.queues = {{"q", {"#"}}}}).ok());
  std::vector<core::EventPtr> batch = {MakeEvent("order.created", 3),
                                       MakeEvent("order.created", 4)};
  ASSERT_TRUE(transport_->Publish(batch).ok());
  auto sub = Open("q");
  ASSERT_TRUE(sub);
  auto got = Receive(*sub, 2);
  ASSERT_EQ(got.size(), 2u);
  ASSERT_TRUE(sub->Nack(got[0].tag, NackAction::kDeadLetter).ok());
  ASSERT_TRUE(sub->Ack(got[1].tag).ok());
  EXPECT_THAT(Drain(*sub), IsEmpty());

  auto dlq = Open(DeadLetterQueue("q"));
  ASSERT_TRUE(dlq);
  auto parked = Receive(*dlq, 1);
  ASSERT_EQ(parked.size(), 1u);
  EXPECT_EQ(*parked[0].event, *batch[0]);
  // A dead-letter queue has no dead-letter queue: the event is discarded.
  ASSERT_TRUE(dlq->Nack(parked[0].tag, NackAction::kDeadLetter).ok());
  EXPECT_THAT(Drain(*dlq), IsEmpty());
}

// Events of one batch settled differently: each gets exactly its own
// outcome (a transport that carries several events in one message must
// not let one event's fate decide another's).
TEST_P(TransportConformanceTest, EachEventOfABatchIsSettledOnItsOwn) {
  ASSERT_TRUE(transport_->DeclareTopology({.queues = {{"q", {"#"}}}}).ok());
  std::vector<core::EventPtr> batch;
  batch.reserve(6);
  for (int i = 0; i < 6; ++i) batch.push_back(MakeEvent("order.created", i));
  ASSERT_TRUE(transport_->Publish(batch).ok());
  auto sub = Open("q");
  ASSERT_TRUE(sub);
  auto got = Receive(*sub, 6);
  ASSERT_EQ(got.size(), 6u);
  for (const Delivery& d : got) {
    core::Status s = N(d) % 3 == 0 ? sub->Ack(d.tag)
                     : N(d) % 3 == 1
                         ? sub->Nack(d.tag, NackAction::kRequeue)
                         : sub->Nack(d.tag, NackAction::kDeadLetter);
    ASSERT_TRUE(s.ok()) << s;
  }
  auto again = Receive(*sub, 2);
  ASSERT_EQ(again.size(), 2u);
  std::vector<int64_t> requeued;
  for (const Delivery& d : again) {
    requeued.push_back(N(d));
    EXPECT_TRUE(d.redelivered);
    ASSERT_TRUE(sub->Ack(d.tag).ok());
  }
  std::sort(requeued.begin(), requeued.end());
  EXPECT_THAT(requeued, ElementsAre(1, 4));
  EXPECT_THAT(Drain(*sub), IsEmpty()) << "acked events are not redelivered";

  auto dlq = Open(DeadLetterQueue("q"));
  ASSERT_TRUE(dlq);
  std::vector<int64_t> parked;
  for (const Delivery& d : Receive(*dlq, 2)) {
    parked.push_back(N(d));
    EXPECT_EQ(*d.event, *batch[static_cast<size_t>(N(d))]);
    ASSERT_TRUE(dlq->Ack(d.tag).ok());
  }
  std::sort(parked.begin(), parked.end());
  EXPECT_THAT(parked, ElementsAre(2, 5));
  EXPECT_THAT(Drain(*dlq), IsEmpty());
}

TEST_P(TransportConformanceTest, UnackedAreRedeliveredAfterConsumerRestart) {
  ASSERT_TRUE(transport_->DeclareTopology({.queues = {{"q", {"#"}}}}).ok());
  std::vector<core::EventPtr> batch;
  batch.reserve(5);
  for (int i = 0; i < 5; ++i) batch.push_back(MakeEvent("order.created", i));
  ASSERT_TRUE(transport_->Publish(batch).ok());
  {
    auto sub = Open("q");
    ASSERT_TRUE(sub);
    ASSERT_EQ(Receive(*sub, 5).size(), 5u);  // and never settled
  }
  auto sub = Open("q");
  ASSERT_TRUE(sub);
  auto got = Receive(*sub, 5);
  ASSERT_EQ(got.size(), 5u);
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(N(got[i]), static_cast<int64_t>(i)) << "original order kept";
    EXPECT_TRUE(got[i].redelivered);
    ASSERT_TRUE(sub->Ack(got[i].tag).ok());
  }
}

TEST_P(TransportConformanceTest, OneProducerIsDeliveredInPublishOrder) {
  ASSERT_TRUE(
      transport_->DeclareTopology({.queues = {{"q", {"order.#"}}}}).ok());
  constexpr int kEvents = 500;
  int n = 0;
  for (int size : {1, 7, 100, 250, 142}) {
    std::vector<core::EventPtr> batch;
    for (int i = 0; i < size; ++i) {
      batch.push_back(MakeEvent(n % 2 ? "order.created" : "order.shipped", n));
      ++n;
    }
    PublishResult r = transport_->Publish(batch);
    ASSERT_TRUE(r.ok()) << r.status;
  }
  ASSERT_EQ(n, kEvents);
  auto sub = Open("q", 64);
  ASSERT_TRUE(sub);
  std::vector<int64_t> seen;
  auto deadline = std::chrono::steady_clock::now() + kTransportTestWait;
  while (seen.size() < kEvents && std::chrono::steady_clock::now() < deadline) {
    auto ds = sub->Poll(100, milliseconds(200));
    ASSERT_TRUE(ds.ok()) << ds.status();
    EXPECT_LE(ds->size(), 64u) << "prefetch bounds outstanding deliveries";
    for (const Delivery& d : *ds) {
      seen.push_back(N(d));
      ASSERT_TRUE(sub->Ack(d.tag).ok());
    }
  }
  ASSERT_EQ(seen.size(), static_cast<size_t>(kEvents));
  for (int i = 0; i < kEvents; ++i) ASSERT_EQ(seen[i], i);
}

TEST_P(TransportConformanceTest, PrefetchBoundsUnsettledDeliveries) {
  ASSERT_TRUE(transport_->DeclareTopology({.queues = {{"q", {"#"}}}}).ok());
  std::vector<core::EventPtr> batch;
  batch.reserve(10);
  for (int i = 0; i < 10; ++i) batch.push_back(MakeEvent("order.created", i));
  ASSERT_TRUE(transport_->Publish(batch).ok());
  auto sub = Open("q", 3);
  ASSERT_TRUE(sub);
  auto got = Receive(*sub, 3);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_THAT(Drain(*sub), IsEmpty()) << "nothing beyond prefetch unsettled";
  ASSERT_TRUE(sub->Ack(got[0].tag).ok());
  auto next = Receive(*sub, 1);
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(N(next[0]), 3);
}

TEST_P(TransportConformanceTest, RejectsUnknownQueueAndBadNames) {
  EXPECT_EQ(transport_->Consume("nope", {}).status().code(),
            core::StatusCode::kNotFound);
  EXPECT_EQ(
      transport_->DeclareTopology({.queues = {{"Bad Name", {"#"}}}}).code(),
      core::StatusCode::kInvalidArgument);
  EXPECT_EQ(transport_->DeclareTopology({.queues = {{"q.dlq", {"#"}}}}).code(),
            core::StatusCode::kInvalidArgument)
      << "dead-letter queue names are reserved";
  EXPECT_EQ(
      transport_->DeclareTopology({.queues = {{"q", {"order.#x"}}}}).code(),
      core::StatusCode::kInvalidArgument);
  std::vector<core::EventPtr> batch = {MakeEvent("Order Created")};
  PublishResult r = transport_->Publish(batch);
  EXPECT_EQ(r.status.code(), core::StatusCode::kInvalidArgument);
  EXPECT_THAT(r.unconfirmed, ElementsAre(0u));
}

}  // namespace stockpile::transport
