#include "runtime/outbox_relay.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "runtime/consumer_test_util.h"
#include "runtime/in_memory_checkpoint_store.h"
#include "runtime/in_memory_transaction.h"
#include "runtime/sqlite_consumer_stores.h"
#include "store/in_memory_event_store.h"
#include "store/sqlite_event_store.h"
#include "transport/in_process_transport.h"

namespace stockpile::runtime {
namespace {

using std::chrono::milliseconds;

// An in-process transport whose publishes can fail outright, or deliver a
// batch but lose the confirmations of its tail.
class FlakyTransport final : public transport::Transport {
 public:
  explicit FlakyTransport(transport::Transport& inner) : inner_(inner) {}

  void FailNext(int n) {
    std::lock_guard<std::mutex> lock(mu_);
    fail_next_ = n;
  }
  // The next publish delivers everything, but confirms only the first
  // `confirmed` events.
  void LoseConfirmationsAfter(size_t confirmed) {
    std::lock_guard<std::mutex> lock(mu_);
    confirm_only_ = confirmed;
  }
  int calls() const {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_;
  }

  core::Status DeclareTopology(const transport::Topology& t) override {
    return inner_.DeclareTopology(t);
  }
  transport::PublishResult Publish(
      std::span<const core::EventPtr> events) override {
    std::optional<size_t> confirm_only;
    {
      std::lock_guard<std::mutex> lock(mu_);
      calls_ += 1;
      if (fail_next_ > 0) {
        fail_next_ -= 1;
        transport::PublishResult r{
            .status = core::UnavailableError("broker unreachable")};
        for (size_t i = 0; i < events.size(); ++i) r.unconfirmed.push_back(i);
        return r;
      }
      confirm_only = std::exchange(confirm_only_, std::nullopt);
    }
    transport::PublishResult r = inner_.Publish(events);
    if (r.ok() && confirm_only && *confirm_only < events.size()) {
      r.status = core::UnavailableError("confirm timed out");
      for (size_t i = *confirm_only; i < events.size(); ++i) {
        r.unconfirmed.push_back(i);
      }
    }
    return r;
  }
  core::Result<std::unique_ptr<transport::Subscription>> Consume(
      std::string_view queue, const transport::ConsumeOptions& o) override {
    return inner_.Consume(queue, o);
  }
  transport::TransportStats Stats() const override { return inner_.Stats(); }

 private:
  transport::Transport& inner_;
  mutable std::mutex mu_;
  int fail_next_ = 0;                   // GUARDED_BY(mu_)
  std::optional<size_t> confirm_only_;  // GUARDED_BY(mu_)
  int calls_ = 0;                       // GUARDED_BY(mu_)
};

class OutboxRelayTest : public ::testing::Test {
 protected:
  OutboxRelayTest()
      : store_(store::MakeInMemoryEventStore()),
        ids_(clock_),
        inner_(transport::MakeInProcessTransport()),
        flaky_(*inner_) {
    EXPECT_TRUE(inner_->DeclareTopology({.queues = {{"all", {"#"}}}}).ok());
    auto sub = inner_->Consume("all", {.prefetch = 10000});
    EXPECT_TRUE(sub.ok());
    queue_ = std::move(sub).value();
  }

  std::unique_ptr<OutboxRelay> MakeRelay(size_t batch_size) {
    OutboxRelayOptions options{.name = "outbox:test", .batch_size = batch_size};
    options.backoff.base_delay = milliseconds(1000);
    auto relay = OutboxRelay::Create(options, {.store = store_.get(),
                                               .transactions = &runner_,
                                               .checkpoints = &checkpoints_,
                                               .transport = &flaky_,
                                               .clock = &clock_,
                                               .jitter = &jitter_});
    EXPECT_TRUE(relay.ok()) << relay.status();
    return relay.ok() ? std::move(relay).value() : nullptr;
  }
  int64_t Append(const std::string& aggregate) {
    return testing::AppendEvent(*store_, ids_, clock_, aggregate);
  }
  // Positions received on the queue so far (acked), in arrival order.
  std::vector<int64_t> Received() {
    auto ds = queue_->Poll(10000, milliseconds(0));
    EXPECT_TRUE(ds.ok());
    for (const transport::Delivery& d : *ds) {
      received_.push_back(d.event->position);
      EXPECT_TRUE(queue_->Ack(d.tag).ok());
    }
    return received_;
  }

  core::ManualClock clock_;
  std::unique_ptr<store::EventStore> store_;
  core::UuidV7Generator ids_;
  std::unique_ptr<transport::InProcessTransport> inner_;
  FlakyTransport flaky_;
  std::unique_ptr<transport::Subscription> queue_;
  std::vector<int64_t> received_;
  InMemoryTransactionRunner runner_;
  InMemoryCheckpointStore checkpoints_;
  FixedJitter jitter_{1.0};  // the full exponential delay
};

TEST_F(OutboxRelayTest, PublishesPagesAndCheckpointsAfterConfirmation) {
  for (int i = 0; i < 10; ++i) Append("o-" + std::to_string(i));
  auto relay = MakeRelay(4);
  EXPECT_EQ(*relay->RunOnce(), 4u);
  EXPECT_EQ(*checkpoints_.Load("outbox:test"), 4);
  EXPECT_EQ(*relay->RunOnce(), 4u);
  EXPECT_EQ(*relay->RunOnce(), 2u);
  EXPECT_EQ(*relay->RunOnce(), 0u);  // idle
  EXPECT_EQ(*checkpoints_.Load("outbox:test"), 10);
  EXPECT_EQ(Received(), (std::vector<int64_t>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
  OutboxRelayStats stats = relay->Stats();
  EXPECT_EQ(stats.published, 10);
  EXPECT_EQ(stats.lag_events, 0);
  EXPECT_EQ(stats.state, OutboxRelayState::kRunning);
}

TEST_F(OutboxRelayTest, BacksOffOnTransportErrorsThenResumes) {
  for (int i = 0; i < 3; ++i) Append("o-" + std::to_string(i));
  auto relay = MakeRelay(10);
  flaky_.FailNext(2);

  EXPECT_EQ(relay->RunOnce().status().code(), core::StatusCode::kUnavailable);
  OutboxRelayStats stats = relay->Stats();
  EXPECT_EQ(stats.state, OutboxRelayState::kBackingOff);
  EXPECT_EQ(stats.next_attempt_at_ms, clock_.NowMillis() + 1000);
  EXPECT_NE(stats.last_error.find("broker unreachable"), std::string::npos);
  EXPECT_EQ(stats.lag_events, 3);
  EXPECT_EQ(*checkpoints_.Load("outbox:test"), 0);

  // Nothing is tried before the backoff ends.
  clock_.Advance(milliseconds(999));
  EXPECT_EQ(*relay->RunOnce(), 0u);
  EXPECT_EQ(flaky_.calls(), 1);

  // The second failure doubles the delay.
  clock_.Advance(milliseconds(1));
  EXPECT_FALSE(relay->RunOnce().ok());
  EXPECT_EQ(relay->Stats().next_attempt_at_ms, clock_.NowMillis() + 2000);
  EXPECT_EQ(relay->Stats().consecutive_failures, 2);

  clock_.Advance(milliseconds(2000));
  EXPECT_EQ(*relay->RunOnce(), 3u);
  stats = relay->Stats();
  EXPECT_EQ(stats.state, OutboxRelayState::kRunning);
  EXPECT_EQ(stats.last_error, "");
  EXPECT_EQ(stats.failures, 2);
  EXPECT_EQ(Received(), (std::vector<int64_t>{1, 2, 3}));
}

TEST_F(OutboxRelayTest, LostConfirmationsArePublishedAgainNeverSkipped) {
  for (int i = 0; i < 5; ++i) Append("o-" + std::to_string(i));
  auto relay = MakeRelay(5);
  flaky_.LoseConfirmationsAfter(2);
  EXPECT_FALSE(relay->RunOnce().ok());
  EXPECT_EQ(relay->position(), 2);  // only the confirmed prefix
  EXPECT_EQ(relay->Stats().published, 2);
  clock_.Advance(milliseconds(1000));
  EXPECT_EQ(*relay->RunOnce(), 3u);
  EXPECT_EQ(relay->position(), 5);
  // 3..5 arrived twice: at least once, duplicates for the inboxes.
  EXPECT_EQ(Received(), (std::vector<int64_t>{1, 2, 3, 4, 5, 3, 4, 5}));
}

TEST_F(OutboxRelayTest, RejectsBadOptions) {
  OutboxRelayDeps deps{.store = store_.get(),
                       .transactions = &runner_,
                       .checkpoints = &checkpoints_,
                       .transport = &flaky_,
                       .clock = &clock_};
  EXPECT_EQ(OutboxRelay::Create({.name = ""}, deps).status().code(),
            core::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      OutboxRelay::Create({.name = "x", .batch_size = 0}, deps).status().code(),
      core::StatusCode::kInvalidArgument);
  deps.transport = nullptr;
  EXPECT_EQ(OutboxRelay::Create({.name = "x"}, deps).status().code(),
            core::StatusCode::kInvalidArgument);
}

// Restarts on the SQLite store: what was appended but not published before
// the "crash" goes out after it, nothing twice that was checkpointed.
TEST(OutboxRelaySqliteTest, ARestartPublishesWhatWasLeft) {
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() /
      ("outbox-relay-" +
       std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
       ".db");
  auto cleanup = [&] {
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(path.string() + suffix);
    }
  };
  cleanup();
  core::ManualClock clock;
  core::UuidV7Generator ids(clock);
  auto transport = transport::MakeInProcessTransport();
  ASSERT_TRUE(transport->DeclareTopology({.queues = {{"all", {"#"}}}}).ok());
  auto queue = std::move(transport->Consume("all", {.prefetch = 1000})).value();

  auto run = [&](int append, size_t pages) {
    auto store = store::SqliteEventStore::Open(path.string());
    ASSERT_TRUE(store.ok()) << store.status();
    auto stores = OpenSqliteConsumerStores(**store);
    ASSERT_TRUE(stores.ok()) << stores.status();
    for (int i = 0; i < append; ++i) {
      testing::AppendEvent(**store, ids, clock, "o-" + std::to_string(i));
    }
    auto relay =
        OutboxRelay::Create({.name = "outbox:inproc", .batch_size = 3},
                            {.store = store->get(),
                             .transactions = stores->transactions.get(),
                             .checkpoints = stores->checkpoints.get(),
                             .transport = transport.get(),
                             .clock = &clock});
    ASSERT_TRUE(relay.ok()) << relay.status();
    for (size_t i = 0; i < pages; ++i) ASSERT_TRUE((*relay)->RunOnce().ok());
  };
  run(7, 1);  // publishes 1..3, then dies with 4..7 in the log only
  run(2, 4);  // 4..9 after the restart
  auto ds = queue->Poll(1000, milliseconds(0));
  ASSERT_TRUE(ds.ok());
  std::vector<int64_t> positions;
  for (const auto& d : *ds) positions.push_back(d.event->position);
  EXPECT_EQ(positions, (std::vector<int64_t>{1, 2, 3, 4, 5, 6, 7, 8, 9}));
  queue.reset();
  cleanup();
}

TEST(OutboxRelayThreadTest, TheBackgroundLoopFollowsTheLog) {
  core::ManualClock clock;
  core::UuidV7Generator ids(clock);
  auto store = store::MakeInMemoryEventStore();
  auto transport = transport::MakeInProcessTransport();
  ASSERT_TRUE(transport->DeclareTopology({.queues = {{"all", {"#"}}}}).ok());
  auto queue = std::move(transport->Consume("all", {.prefetch = 1000})).value();
  InMemoryTransactionRunner runner;
  InMemoryCheckpointStore checkpoints;
  auto relay = OutboxRelay::Create({.name = "outbox:inproc",
                                    .batch_size = 16,
                                    .poll_interval = milliseconds(1)},
                                   {.store = store.get(),
                                    .transactions = &runner,
                                    .checkpoints = &checkpoints,
                                    .transport = transport.get(),
                                    .clock = &clock});
  ASSERT_TRUE(relay.ok());
  ASSERT_TRUE((*relay)->Start().ok());
  EXPECT_EQ((*relay)->Start().code(), core::StatusCode::kFailedPrecondition);
  int64_t last = 0;
  for (int i = 0; i < 100; ++i) {
    last = testing::AppendEvent(*store, ids, clock, "o-" + std::to_string(i));
  }
  ASSERT_TRUE((*relay)->WaitForPosition(last, milliseconds(20000)));
  (*relay)->Stop();
  EXPECT_EQ((*relay)->Stats().state, OutboxRelayState::kStopped);
  EXPECT_EQ((*relay)->Stats().published, 100);
  size_t received = 0;
  while (true) {
    auto ds = queue->Poll(1000, milliseconds(0));
    ASSERT_TRUE(ds.ok());
    if (ds->empty()) break;
    for (const auto& d : *ds) ASSERT_TRUE(queue->Ack(d.tag).ok());
    received += ds->size();
  }
  EXPECT_EQ(received, 100u);
}

}  // namespace
}  // namespace stockpile::runtime
