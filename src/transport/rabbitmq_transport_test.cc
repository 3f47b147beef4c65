#include "transport/rabbitmq_transport.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/event_codec.h"
#include "core/status_macros.h"
#include "obs/memory_log_sink.h"
#include "transport/amqp_connection.h"
#include "transport/transport_conformance.h"

namespace stockpile::transport {
namespace {

using std::chrono::milliseconds;

constexpr const char* kUnset =
    "STOCKPILE_TEST_AMQP_URL is not set. Run scripts/test, or: "
    "scripts/services up rabbitmq && eval \"$(scripts/services env)\"";

// A prefix no other test uses, so tests share one broker safely.
std::string UniquePrefix() {
  std::random_device rd;
  return "sptest-" + std::to_string(rd()) + "-" + std::to_string(rd());
}

core::Result<std::unique_ptr<Transport>> OpenTestTransport(
    const std::string& prefix, obs::Logger logger = obs::Logger::Discard()) {
  const char* url = std::getenv("STOCKPILE_TEST_AMQP_URL");
  if (url == nullptr || *url == '\0') {
    return core::FailedPreconditionError(kUnset);
  }
  return MakeRabbitMqTransport(
      {.url = url,
       .prefix = prefix,
       .reconnect = {.initial = milliseconds(50), .max = milliseconds(1000)},
       .logger = std::move(logger)});
}

INSTANTIATE_TEST_SUITE_P(RabbitMq, TransportConformanceTest,
                         testing::Values(TransportBackend{
                             "rabbitmq",
                             [] { return OpenTestTransport(UniquePrefix()); }}),
                         TransportBackendName);

TEST(AmqpUrlTest, ParsesUserPasswordHostPortAndVhost) {
  auto e = ParseAmqpUrl("amqp://alice:s%40cret@broker.local:5673/prod");
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->user, "alice");
  EXPECT_EQ(e->password, "s@cret");
  EXPECT_EQ(e->host, "broker.local");
  EXPECT_EQ(e->port, 5673);
  EXPECT_EQ(e->vhost, "prod");
  auto root = ParseAmqpUrl("amqp://guest:guest@127.0.0.1:5672/");
  ASSERT_TRUE(root.ok()) << root.status();
  EXPECT_EQ(root->vhost, "/");
  EXPECT_EQ(ParseAmqpUrl("http://x").status().code(),
            core::StatusCode::kInvalidArgument);
}

TEST(AmqpUrlTest, QuerySetsEventsPerMessageAndNothingElse) {
  RabbitMqOptions options{.url = "amqp://h:5672/v?events_per_message=16"};
  ASSERT_TRUE(ApplyAmqpUrlQuery(options).ok());
  EXPECT_EQ(options.url, "amqp://h:5672/v");
  EXPECT_EQ(options.max_events_per_message, 16u);
  for (const char* bad :
       {"amqp://h/?events_per_message=0", "amqp://h/?events_per_message=x",
        "amqp://h/?events_per_message=", "amqp://h/?heartbeat=5",
        "amqp://h/?events_per_message=99999999999999999999"}) {
    RabbitMqOptions o{.url = bad};
    EXPECT_EQ(ApplyAmqpUrlQuery(o).code(), core::StatusCode::kInvalidArgument)
        << bad;
  }
}

TEST(RabbitMqTransportTest, UnreachableBrokerIsUnavailableNotAHang) {
  // A port nothing listens on: bind, note it, close.
  auto t = MakeRabbitMqTransport(
      {.url = "amqp://guest:guest@127.0.0.1:1/", .prefix = UniquePrefix()});
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ((*t)->DeclareTopology({.queues = {{"q", {"#"}}}}).code(),
            core::StatusCode::kUnavailable);
  EXPECT_NE((*t)->Stats().state, ConnectionState::kConnected);
}

TEST(RabbitMqTransportTest, UnroutableEventIsLoggedWithItsType) {
  core::ManualClock clock;
  auto log_sink = std::make_shared<obs::MemoryLogSink>();
  auto t = OpenTestTransport(
      UniquePrefix(),
      obs::Logger(log_sink, clock, obs::LogLevel::kInfo, "transport"));
  ASSERT_TRUE(t.ok()) << t.status();
  ASSERT_TRUE((*t)->DeclareTopology({.queues = {{"q", {"order.*"}}}}).ok());
  core::UuidV7Generator ids(clock);
  std::vector<core::EventPtr> batch = {
      core::EventBuilder("user.registered").Build(ids, clock)};
  ASSERT_TRUE((*t)->Publish(batch).ok());
  EXPECT_EQ((*t)->Stats().returned, 1u);
  EXPECT_THAT(log_sink->Lines(),
              testing::ElementsAre(
                  testing::AllOf(testing::HasSubstr("event matched no queue"),
                                 testing::HasSubstr("user.registered"),
                                 testing::HasSubstr("NO_ROUTE"))));
}

// A raw consumer of a broker queue, to see the messages themselves.
core::Result<std::unique_ptr<AmqpConnection>> RawConsumer(
    const std::string& broker_queue) {
  ASSIGN_OR_RETURN(AmqpEndpoint endpoint,
                   ParseAmqpUrl(std::getenv("STOCKPILE_TEST_AMQP_URL")));
  ASSIGN_OR_RETURN(auto conn, AmqpConnection::Open(endpoint, {}, "raw test"));
  RETURN_IF_ERROR(conn->Consume(broker_queue, 100));
  return conn;
}

// The next `n` messages `conn` receives (fewer when they stop coming).
std::vector<AmqpIncoming> RawReceive(AmqpConnection& conn, size_t n) {
  std::vector<AmqpIncoming> got;
  auto deadline = std::chrono::steady_clock::now() + kTransportTestWait;
  while (got.size() < n && std::chrono::steady_clock::now() < deadline) {
    auto in = conn.Next(milliseconds(200));
    if (!in.ok()) {
      ADD_FAILURE() << in.status();
      break;
    }
    if (in->kind == AmqpIncoming::Kind::kDelivery) got.push_back(*in);
  }
  return got;
}

size_t LineCount(const AmqpIncoming& in) {
  return 1 +
         static_cast<size_t>(std::count(in.body.begin(), in.body.end(), '\n'));
}

TEST(RabbitMqTransportTest, RunsOfOneTypeAndTenantShareAMessage) {
  if (std::getenv("STOCKPILE_TEST_AMQP_URL") == nullptr) GTEST_SKIP() << kUnset;
  const std::string prefix = UniquePrefix();
  const char* url = std::getenv("STOCKPILE_TEST_AMQP_URL");
  auto t = MakeRabbitMqTransport(
      {.url = url, .prefix = prefix, .max_events_per_message = 4});
  ASSERT_TRUE(t.ok()) << t.status();
  ASSERT_TRUE((*t)->DeclareTopology({.queues = {{"q", {"#"}}}}).ok());
  core::ManualClock clock;
  core::UuidV7Generator ids(clock);
  auto event = [&](const char* type, const char* tenant) {
    return core::EventBuilder(type)
        .Aggregate("order", "o-1")
        .Tenant(tenant)
        .Build(ids, clock);
  };
  std::vector<core::EventPtr> batch;
  for (int i = 0; i < 5; ++i) batch.push_back(event("order.created", "a"));
  batch.push_back(event("order.created", "b"));
  batch.push_back(event("order.shipped", "b"));
  batch.push_back(event("order.created", "a"));
  ASSERT_TRUE((*t)->Publish(batch).ok());
  EXPECT_EQ((*t)->Stats().published, 8u);

  auto raw = RawConsumer(prefix + ".q");
  ASSERT_TRUE(raw.ok()) << raw.status();
  auto messages = RawReceive(**raw, 5);
  std::vector<size_t> sizes;
  for (const AmqpIncoming& m : messages) {
    sizes.push_back(LineCount(m));
    EXPECT_EQ(m.event_lines, LineCount(m) > 1);
  }
  EXPECT_THAT(sizes, testing::ElementsAre(4, 1, 1, 1, 1));
}

TEST(RabbitMqTransportTest, OneEventPerMessageWhenAskedTo) {
  if (std::getenv("STOCKPILE_TEST_AMQP_URL") == nullptr) GTEST_SKIP() << kUnset;
  const std::string prefix = UniquePrefix();
  // Set by the URL, as --transport would.
  auto t = MakeRabbitMqTransport(
      {.url = std::string(std::getenv("STOCKPILE_TEST_AMQP_URL")) +
              "?events_per_message=1",
       .prefix = prefix});
  ASSERT_TRUE(t.ok()) << t.status();
  ASSERT_TRUE((*t)->DeclareTopology({.queues = {{"q", {"#"}}}}).ok());
  core::ManualClock clock;
  core::UuidV7Generator ids(clock);
  std::vector<core::EventPtr> batch;
  for (int i = 0; i < 3; ++i) {
    batch.push_back(core::EventBuilder("order.created")
                        .Aggregate("order", "o-" + std::to_string(i))
                        .Tenant("acme")
                        .Build(ids, clock));
  }
  ASSERT_TRUE((*t)->Publish(batch).ok());
  auto raw = RawConsumer(prefix + ".q");
  ASSERT_TRUE(raw.ok()) << raw.status();
  auto messages = RawReceive(**raw, 3);
  ASSERT_EQ(messages.size(), 3u);
  for (size_t i = 0; i < messages.size(); ++i) {
    EXPECT_FALSE(messages[i].event_lines);
    auto decoded = core::DecodeEvent(messages[i].body);
    ASSERT_TRUE(decoded.ok()) << decoded.status();
    EXPECT_EQ(**decoded, *batch[i]);
  }
}

// One bad line spoils the message: it is dead-lettered whole (nothing of it
// is handed out, nothing is lost) and counted.
TEST(RabbitMqTransportTest, MessageWithAnUndecodableLineIsDeadLetteredWhole) {
  if (std::getenv("STOCKPILE_TEST_AMQP_URL") == nullptr) GTEST_SKIP() << kUnset;
  const std::string prefix = UniquePrefix();
  auto t = OpenTestTransport(prefix);
  ASSERT_TRUE(t.ok()) << t.status();
  ASSERT_TRUE((*t)->DeclareTopology({.queues = {{"q", {"#"}}}}).ok());
  core::ManualClock clock;
  core::UuidV7Generator ids(clock);
  const std::string body =
      core::EncodeEvent(
          *core::EventBuilder("order.created").Build(ids, clock)) +
      "\n{\"eventType\": 42}";
  {
    auto endpoint = ParseAmqpUrl(std::getenv("STOCKPILE_TEST_AMQP_URL"));
    ASSERT_TRUE(endpoint.ok());
    auto producer = AmqpConnection::Open(*endpoint, {}, "raw producer");
    ASSERT_TRUE(producer.ok()) << producer.status();
    ASSERT_TRUE((*producer)->Republish(prefix + ".q", body, 2).ok());
  }
  auto sub = (*t)->Consume("q", {});
  ASSERT_TRUE(sub.ok()) << sub.status();
  auto none = (*sub)->Poll(10, milliseconds(1000));
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_THAT(*none, testing::IsEmpty());

  auto raw = RawConsumer(prefix + ".q.dlq");
  ASSERT_TRUE(raw.ok()) << raw.status();
  auto parked = RawReceive(**raw, 1);
  ASSERT_EQ(parked.size(), 1u);
  EXPECT_EQ(parked[0].body, body);
}

// Runs `command` and returns what it printed.
std::string Capture(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  pclose(pipe);
  return out;
}

// Closes, from the broker side, every connection whose client-provided name
// contains `prefix` (the transport names its connections "<prefix> <role>").
// Returns how many it closed.
int CloseConnectionsOf(const std::string& prefix) {
  const char* ctl = std::getenv("STOCKPILE_TEST_RABBITMQCTL");
  if (ctl == nullptr || *ctl == '\0') {
    ADD_FAILURE() << "STOCKPILE_TEST_RABBITMQCTL is not set (scripts/services "
                     "up rabbitmq && eval \"$(scripts/services env)\")";
    return 0;
  }
  const std::string c = std::string("timeout 60 '") + ctl + "' -q ";
  std::string list = Capture(c + "list_connections pid client_properties 2>&1");
  int closed = 0;
  size_t start = 0;
  while (start < list.size()) {
    size_t end = list.find('\n', start);
    if (end == std::string::npos) end = list.size();
    std::string line = list.substr(start, end - start);
    start = end + 1;
    if (line.find(prefix) == std::string::npos) continue;
    std::string pid = line.substr(0, line.find('\t'));
    std::string close = c;
    close.append("close_connection '")
        .append(pid)
        .append("' 'stockpile transport test' >/dev/null");
    if (std::system(close.c_str()) == 0) {
      ++closed;
    }
  }
  if (closed == 0)
    ADD_FAILURE() << "no connection of " << prefix << " in:\n" << list;
  return closed;
}

int64_t N(const core::EventPtr& e) {
  int64_t n = -1;
  e->PayloadInt("n", n);
  return n;
}

// The connections are closed from the broker side while a producer is
// publishing and a consumer consuming: every event whose Publish returned
// confirmed must still arrive, and both sides must come back by themselves.
TEST(RabbitMqTransportTest, BrokerClosingConnectionsLosesNothingConfirmed) {
  const std::string prefix = UniquePrefix();
  core::ManualClock clock;
  auto log_sink = std::make_shared<obs::MemoryLogSink>();
  auto opened = OpenTestTransport(
      prefix, obs::Logger(log_sink, clock, obs::LogLevel::kInfo, "transport"));
  ASSERT_TRUE(opened.ok()) << opened.status();
  std::unique_ptr<Transport> transport = std::move(opened).value();
  ASSERT_TRUE(
      transport->DeclareTopology({.queues = {{"q", {"order.#"}}}}).ok());

  core::UuidV7Generator ids(clock);
  std::atomic<bool> stop{false};
  std::atomic<int> batches_confirmed{0};
  std::set<int64_t> confirmed;  // written by the producer only
  std::vector<std::string> failures;
  std::thread producer([&] {
    constexpr int kBatch = 50;
    for (int b = 0; !stop.load() && b < 2000; ++b) {
      std::vector<core::EventPtr> batch;
      batch.reserve(kBatch);
      for (int i = 0; i < kBatch; ++i) {
        batch.push_back(core::EventBuilder("order.created")
                            .Aggregate("order", "o-" + std::to_string(i))
                            .Tenant("acme")
                            .Payload({{"n", b * kBatch + i}})
                            .Build(ids, clock));
      }
      PublishResult r = transport->Publish(batch);
      std::set<size_t> bad(r.unconfirmed.begin(), r.unconfirmed.end());
      if (!r.ok()) failures.push_back(r.status.ToString());
      for (int i = 0; i < kBatch; ++i) {
        if (bad.count(i) == 0) confirmed.insert(b * kBatch + i);
      }
      batches_confirmed.fetch_add(1);
    }
  });

  std::mutex received_mu;
  std::set<int64_t> received;  // guarded by received_mu
  std::atomic<bool> consuming{true};
  auto sub = transport->Consume("q", {.prefetch = 200});
  ASSERT_TRUE(sub.ok()) << sub.status();
  std::thread consumer([&] {
    while (consuming.load()) {
      auto ds = (*sub)->Poll(200, milliseconds(100));
      if (!ds.ok()) break;
      for (const Delivery& d : *ds) {
        {
          std::lock_guard lock(received_mu);
          received.insert(N(d.event));
        }
        // FailedPrecondition when its connection was lost: the broker
        // delivers it again, which is the behaviour under test.
        (*sub)->Ack(d.tag).IgnoreError();
      }
    }
  });

  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
  while (batches_confirmed.load() < 10 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(10));
  }
  int closed = CloseConnectionsOf(prefix);
  // Both connections come back, then the producer publishes some more.
  while (transport->Stats().reconnects < 2 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(10));
  }
  int after = batches_confirmed.load();
  while (batches_confirmed.load() < after + 10 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(10));
  }
  stop.store(true);
  producer.join();

  // Everything confirmed arrives (duplicates are allowed, loss is not).
  std::vector<int64_t> lost;
  while (true) {
    lost.clear();
    {
      std::lock_guard lock(received_mu);
      std::set_difference(confirmed.begin(), confirmed.end(), received.begin(),
                          received.end(), std::back_inserter(lost));
    }
    if (lost.empty() || std::chrono::steady_clock::now() >= deadline) break;
    std::this_thread::sleep_for(milliseconds(20));
  }
  consuming.store(false);
  consumer.join();

  TransportStats stats = transport->Stats();
  std::printf(
      "closed %d connections; confirmed %zu events, received %zu "
      "distinct, reconnects %llu, publish failures %zu\n",
      closed, confirmed.size(), received.size(),
      static_cast<unsigned long long>(stats.reconnects), failures.size());
  EXPECT_GE(closed, 2) << "the publisher's and the consumer's connection";
  EXPECT_GE(stats.reconnects, 2u) << "publisher and consumer reconnected";
  EXPECT_EQ(stats.state, ConnectionState::kConnected);
  EXPECT_THAT(failures, testing::IsEmpty())
      << "Publish waits across a reconnect and resends";
  EXPECT_THAT(lost, testing::IsEmpty()) << "confirmed events never consumed";
  EXPECT_GE(confirmed.size(), 20u * 50u);
  EXPECT_THAT(log_sink->Lines(),
              testing::Contains(testing::HasSubstr("publisher reconnected")))
      << "operators see the recovery";
  sub->reset();  // before the transport
}

}  // namespace
}  // namespace stockpile::transport
