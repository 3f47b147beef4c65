#include "transport/kafka_transport.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/status_macros.h"
#include "core/uuid.h"
#include "obs/health_registry.h"
#include "obs/memory_log_sink.h"
#include "obs/metrics_registry.h"
#include "obs/prometheus_text.h"
#include "transport/kafka_mock_cluster.h"
#include "transport/kafka_producer.h"
#include "transport/kafka_topics.h"
#include "transport/transport_conformance.h"
#include "transport/transport_observer.h"

namespace stockpile::transport {
namespace {

using std::chrono::milliseconds;

// Test options: a short session timeout so that rebalances (which the mock
// cluster delays by session timeout - 1 s) finish in seconds.
KafkaOptions TestOptions(const KafkaMockCluster& cluster) {
  return {.url = cluster.url(),
          .publish_timeout = milliseconds(20000),
          .request_timeout = milliseconds(5000),
          .session_timeout = milliseconds(3000),
          .metadata_refresh = milliseconds(1000)};
}

// A transport that owns the mock cluster it talks to (destroyed after it).
class MockClusterTransport final : public Transport {
 public:
  MockClusterTransport(std::unique_ptr<KafkaMockCluster> cluster,
                       std::unique_ptr<Transport> transport)
      : cluster_(std::move(cluster)), transport_(std::move(transport)) {}

  core::Status DeclareTopology(const Topology& t) override {
    return transport_->DeclareTopology(t);
  }
  PublishResult Publish(std::span<const core::EventPtr> events) override {
    return transport_->Publish(events);
  }
  core::Result<std::unique_ptr<Subscription>> Consume(
      std::string_view queue, const ConsumeOptions& options) override {
    return transport_->Consume(queue, options);
  }
  TransportStats Stats() const override { return transport_->Stats(); }

 private:
  std::unique_ptr<KafkaMockCluster> cluster_;
  std::unique_ptr<Transport> transport_;
};

// The conformance suite's order guarantee is a single producer's total
// order, which Kafka gives within one partition: its topics get one.
core::Result<std::unique_ptr<Transport>> OpenOnFreshMockCluster() {
  ASSIGN_OR_RETURN(std::unique_ptr<KafkaMockCluster> cluster,
                   KafkaMockCluster::Start(1));
  for (const std::string& topic : KafkaContextTopics()) {
    RETURN_IF_ERROR(cluster->CreateTopic(topic, 1));
  }
  ASSIGN_OR_RETURN(std::unique_ptr<Transport> t,
                   MakeKafkaTransport(TestOptions(*cluster)));
  return std::unique_ptr<Transport>(
      std::make_unique<MockClusterTransport>(std::move(cluster), std::move(t)));
}

INSTANTIATE_TEST_SUITE_P(KafkaMock, TransportConformanceTest,
                         testing::Values(TransportBackend{
                             "kafka_mock", &OpenOnFreshMockCluster}),
                         TransportBackendName);

// Kafka-specific behaviour, each test on its own mock cluster.
class KafkaTransportTest : public testing::Test {
 protected:
  void SetUp() override {
    auto cluster = KafkaMockCluster::Start(1);
    ASSERT_TRUE(cluster.ok()) << cluster.status();
    cluster_ = std::move(cluster).value();
  }

  std::unique_ptr<Transport> Open(KafkaOptions options) {
    auto t = MakeKafkaTransport(options);
    EXPECT_TRUE(t.ok()) << t.status();
    return t.ok() ? std::move(t).value() : nullptr;
  }

  core::EventPtr Event(const std::string& type, const std::string& aggregate,
                       int n) {
    return core::EventBuilder(type)
        .Aggregate("thing", aggregate)
        .Tenant("acme")
        .Payload({{"n", n}})
        .Build(ids_, clock_);
  }

  // Polls `sub` (acking each delivery when `ack`) until `done` holds for
  // what arrived, or kTransportTestWait passed.
  static std::vector<Delivery> PollUntil(
      Subscription& sub,
      const std::function<bool(const std::vector<Delivery>&)>& done,
      bool ack = true) {
    std::vector<Delivery> got;
    auto deadline = std::chrono::steady_clock::now() + kTransportTestWait;
    while (!done(got) && std::chrono::steady_clock::now() < deadline) {
      auto ds = sub.Poll(100, milliseconds(200));
      EXPECT_TRUE(ds.ok()) << ds.status();
      if (!ds.ok()) break;
      for (Delivery& d : *ds) {
        if (ack) {
          EXPECT_TRUE(sub.Ack(d.tag).ok());
        }
        got.push_back(std::move(d));
      }
    }
    return got;
  }

  static auto AtLeast(size_t n) {
    return [n](const std::vector<Delivery>& got) { return got.size() >= n; };
  }

  static int64_t N(const Delivery& d) {
    int64_t n = -1;
    d.event->PayloadInt("n", n);
    return n;
  }

  std::unique_ptr<KafkaMockCluster> cluster_;
  core::ManualClock clock_;
  core::UuidV7Generator ids_{clock_};
};

TEST_F(KafkaTransportTest, OneAggregateStaysInOrderAcrossPartitions) {
  ASSERT_TRUE(cluster_->CreateTopic("order-events", 4).ok());
  auto t = Open(TestOptions(*cluster_));
  ASSERT_TRUE(t);
  ASSERT_TRUE(t->DeclareTopology({.queues = {{"q", {"order.#"}}}}).ok());
  constexpr int kAggregates = 12;
  constexpr int kPerAggregate = 25;
  std::vector<core::EventPtr> batch;
  for (int i = 0; i < kPerAggregate; ++i) {
    for (int a = 0; a < kAggregates; ++a) {
      batch.push_back(Event("order.created", "agg-" + std::to_string(a), i));
    }
  }
  PublishResult r = t->Publish(batch);
  ASSERT_TRUE(r.ok()) << r.status;
  auto sub = t->Consume("q", {});
  ASSERT_TRUE(sub.ok()) << sub.status();
  auto got = PollUntil(**sub, AtLeast(batch.size()));
  ASSERT_EQ(got.size(), batch.size());
  std::map<std::string, std::vector<int64_t>> seen;
  for (const Delivery& d : got) seen[d.event->aggregate_id].push_back(N(d));
  ASSERT_EQ(seen.size(), static_cast<size_t>(kAggregates));
  for (const auto& [aggregate, ns] : seen) {
    ASSERT_EQ(ns.size(), static_cast<size_t>(kPerAggregate)) << aggregate;
    for (int i = 0; i < kPerAggregate; ++i) {
      EXPECT_EQ(ns[i], i) << aggregate << " delivered out of order";
    }
  }
}

TEST_F(KafkaTransportTest, AckOutOfOrderCommitsOnlyBelowTheLowestUnsettled) {
  auto t = Open(TestOptions(*cluster_));
  ASSERT_TRUE(t);
  ASSERT_TRUE(cluster_->CreateTopic("order-events", 1).ok());
  ASSERT_TRUE(t->DeclareTopology({.queues = {{"q", {"order.*"}}}}).ok());
  std::vector<core::EventPtr> batch;
  for (int i = 0; i < 6; ++i) batch.push_back(Event("order.created", "a", i));
  ASSERT_TRUE(t->Publish(batch).ok());
  {
    auto sub = t->Consume("q", {});
    ASSERT_TRUE(sub.ok()) << sub.status();
    auto got = PollUntil(**sub, AtLeast(6), /*ack=*/false);
    ASSERT_EQ(got.size(), 6u);
    // 0, 1 and 3..5 settled; 2 not: the group may only move past 0 and 1.
    for (int i : {0, 1, 3, 4, 5}) ASSERT_TRUE((*sub)->Ack(got[i].tag).ok());
  }  // the consumer stops without settling 2
  auto sub = t->Consume("q", {});
  ASSERT_TRUE(sub.ok()) << sub.status();
  std::vector<int64_t> again;
  for (const Delivery& d : PollUntil(**sub, AtLeast(4))) {
    EXPECT_TRUE(d.redelivered) << N(d);
    again.push_back(N(d));
  }
  // At-least-once: 3..5 come again with 2 (consumers dedupe by eventId).
  EXPECT_THAT(again, testing::ElementsAre(2, 3, 4, 5));
}

TEST_F(KafkaTransportTest, RebalanceBetweenTwoConsumersLosesNothing) {
  ASSERT_TRUE(cluster_->CreateTopic("order-events", 4).ok());
  auto t = Open(TestOptions(*cluster_));
  ASSERT_TRUE(t);
  ASSERT_TRUE(t->DeclareTopology({.queues = {{"q", {"order.*"}}}}).ok());

  std::mutex mu;
  std::set<int64_t> received;          // guarded by mu
  std::map<int, size_t> per_consumer;  // guarded by mu
  std::atomic<bool> stop{false};
  auto consume = [&](int id) {
    auto sub = t->Consume("q", {.prefetch = 16});
    ASSERT_TRUE(sub.ok()) << sub.status();
    while (!stop.load()) {
      auto ds = (*sub)->Poll(16, milliseconds(100));
      ASSERT_TRUE(ds.ok()) << ds.status();
      for (const Delivery& d : *ds) {
        {
          std::lock_guard lock(mu);
          received.insert(N(d));
          ++per_consumer[id];
        }
        // A delivery of a partition revoked meanwhile cannot be acked; its
        // next owner gets it again.
        core::Status s = (*sub)->Ack(d.tag);
        EXPECT_TRUE(s.ok() || s.code() == core::StatusCode::kFailedPrecondition)
            << s;
      }
    }
  };
  std::thread first(consume, 1);
  std::thread second;
  // Publish in rounds until both consumers got events and everything
  // published arrived. The second joins once the first holds every
  // partition and has received events: the group must rebalance.
  int published = 0;
  auto deadline = std::chrono::steady_clock::now() + 3 * kTransportTestWait;
  bool done = false;
  while (!done && std::chrono::steady_clock::now() < deadline) {
    std::vector<core::EventPtr> batch;
    for (int i = 0; i < 20; ++i, ++published) {
      batch.push_back(Event(
          "order.created", "agg-" + std::to_string(published % 16), published));
    }
    PublishResult r = t->Publish(batch);
    ASSERT_TRUE(r.ok()) << r.status;
    std::this_thread::sleep_for(milliseconds(200));
    std::lock_guard lock(mu);
    if (!second.joinable() && per_consumer[1] > 0) {
      second = std::thread(consume, 2);
    }
    done = per_consumer[1] > 0 && per_consumer[2] > 0 &&
           received.size() == static_cast<size_t>(published);
  }
  stop.store(true);
  first.join();
  if (second.joinable()) second.join();
  std::lock_guard lock(mu);
  EXPECT_GT(per_consumer[1], 0u);
  EXPECT_GT(per_consumer[2], 0u) << "the group shared its partitions";
  EXPECT_EQ(received.size(), static_cast<size_t>(published))
      << "every event published reached one of the consumers";
}

TEST_F(KafkaTransportTest, BrokerDownFailsPublishClearlyThenRecovers) {
  KafkaOptions options = TestOptions(*cluster_);
  options.publish_timeout = milliseconds(1500);
  auto t = Open(options);
  ASSERT_TRUE(t);
  obs::MetricsRegistry metrics;
  obs::HealthRegistry health;
  auto observer = TransportObserver::Start(*t, "kafka", metrics, health);
  ASSERT_TRUE(observer.ok()) << observer.status();
  auto health_state = [&] {
    for (const obs::ComponentHealth& c : health.Snapshot().components) {
      if (c.name == "transport:kafka") return c.report.state;
    }
    return obs::HealthState::kDown;
  };
  ASSERT_TRUE(t->DeclareTopology({.queues = {{"q", {"order.*"}}}}).ok());
  std::vector<core::EventPtr> first = {Event("order.created", "a", 1)};
  ASSERT_TRUE(t->Publish(first).ok());
  EXPECT_EQ(t->Stats().state, ConnectionState::kConnected);
  EXPECT_EQ(health_state(), obs::HealthState::kUp);

  ASSERT_TRUE(cluster_->SetBrokerDown(1).ok());
  std::vector<core::EventPtr> lost = {Event("order.created", "a", 2)};
  PublishResult r = t->Publish(lost);
  EXPECT_EQ(r.status.code(), core::StatusCode::kDeadlineExceeded) << r.status;
  EXPECT_THAT(r.unconfirmed, testing::ElementsAre(0u));
  auto deadline = std::chrono::steady_clock::now() + kTransportTestWait;
  while (t->Stats().state == ConnectionState::kConnected &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(20));
  }
  EXPECT_EQ(t->Stats().state, ConnectionState::kReconnecting);
  EXPECT_EQ(health_state(), obs::HealthState::kDown) << "operators see it";

  ASSERT_TRUE(cluster_->SetBrokerUp(1).ok());
  std::vector<core::EventPtr> later = {Event("order.created", "a", 3)};
  PublishResult ok;
  deadline = std::chrono::steady_clock::now() + kTransportTestWait;
  do {
    ok = t->Publish(later);
  } while (!ok.ok() && std::chrono::steady_clock::now() < deadline);
  ASSERT_TRUE(ok.ok()) << ok.status;
  while (t->Stats().state != ConnectionState::kConnected &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(20));
  }
  EXPECT_EQ(t->Stats().state, ConnectionState::kConnected);
  EXPECT_GE(t->Stats().reconnects, 1u);
  EXPECT_EQ(health_state(), obs::HealthState::kUp);
  EXPECT_THAT(obs::RenderPrometheusText(metrics),
              testing::HasSubstr(
                  "stockpile_transport_connected{transport=\"kafka\"} 1"));

  auto sub = t->Consume("q", {});
  ASSERT_TRUE(sub.ok()) << sub.status();
  std::set<int64_t> seen;
  PollUntil(**sub, [&](const std::vector<Delivery>& got) {
    for (const Delivery& d : got) seen.insert(N(d));
    return seen.contains(3);
  });
  EXPECT_TRUE(seen.contains(1));
  EXPECT_TRUE(seen.contains(3));
  observer->reset();  // before the transport it reads
}

TEST_F(KafkaTransportTest, PublishWaitsOutABrokerThatComesBackInTime) {
  auto t = Open(TestOptions(*cluster_));  // publish_timeout 20 s
  ASSERT_TRUE(t);
  ASSERT_TRUE(t->DeclareTopology({.queues = {{"q", {"order.*"}}}}).ok());
  std::vector<core::EventPtr> warm = {Event("order.created", "a", 1)};
  ASSERT_TRUE(t->Publish(warm).ok());

  ASSERT_TRUE(cluster_->SetBrokerDown(1).ok());
  std::vector<core::EventPtr> batch = {Event("order.created", "a", 2),
                                       Event("order.created", "b", 3)};
  PublishResult r;
  std::thread publisher([&] { r = t->Publish(batch); });
  // Up again once the batch waits for its acknowledgement and the
  // transport has noticed the outage.
  auto deadline = std::chrono::steady_clock::now() + kTransportTestWait;
  while ((t->Stats().unconfirmed < batch.size() ||
          t->Stats().state == ConnectionState::kConnected) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(20));
  }
  EXPECT_EQ(t->Stats().unconfirmed, batch.size());
  EXPECT_EQ(t->Stats().state, ConnectionState::kReconnecting);
  ASSERT_TRUE(cluster_->SetBrokerUp(1).ok());
  publisher.join();
  EXPECT_TRUE(r.ok()) << r.status;
  EXPECT_EQ(t->Stats().unconfirmed, 0u);
}

TEST_F(KafkaTransportTest, UndecodableMessageIsDeadLetteredNotDelivered) {
  ASSERT_TRUE(cluster_->CreateTopic("order-events", 1).ok());
  auto sink = std::make_shared<obs::MemoryLogSink>();
  KafkaOptions options = TestOptions(*cluster_);
  options.logger = obs::Logger(sink, clock_, obs::LogLevel::kInfo, "t");
  auto t = Open(options);
  ASSERT_TRUE(t);
  ASSERT_TRUE(t->DeclareTopology({.queues = {{"q", {"order.*"}}}}).ok());
  // Another writer puts something that is not an envelope in the topic.
  auto endpoint = ParseKafkaUrl(options.url);
  ASSERT_TRUE(endpoint.ok());
  auto raw = KafkaProducer::Open(*endpoint, options);
  ASSERT_TRUE(raw.ok()) << raw.status();
  KafkaRecord junk{.topic = "order-events", .key = "a", .value = "{not json"};
  ASSERT_TRUE((*raw)->Send({&junk, 1}).front().ok());
  std::vector<core::EventPtr> good = {Event("order.created", "a", 1)};
  ASSERT_TRUE(t->Publish(good).ok());

  auto sub = t->Consume("q", {});
  ASSERT_TRUE(sub.ok()) << sub.status();
  auto got = PollUntil(**sub, AtLeast(1));
  ASSERT_EQ(got.size(), 1u) << "only the envelope reaches the handler";
  EXPECT_EQ(*got[0].event, *good[0]);
  EXPECT_THAT(sink->Lines(),
              testing::Contains(testing::AllOf(
                  testing::HasSubstr("undecodable Kafka message skipped"),
                  testing::HasSubstr("\"dead_lettered\":true"))));
}

TEST(KafkaTransportNoClusterTest, UnreachableClusterIsUnavailableNotAHang) {
  auto t = MakeKafkaTransport(
      {.url = "kafka://127.0.0.1:1", .request_timeout = milliseconds(1000)});
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ((*t)->DeclareTopology({.queues = {{"q", {"order.*"}}}}).code(),
            core::StatusCode::kUnavailable);
  EXPECT_NE((*t)->Stats().state, ConnectionState::kConnected);
}

TEST(KafkaTransportNoClusterTest, BadUrlIsInvalidArgument) {
  EXPECT_EQ(MakeKafkaTransport({.url = "kafka://"}).status().code(),
            core::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace stockpile::transport
