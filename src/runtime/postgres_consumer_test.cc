// The consumer stores on PostgreSQL pass the consumer-store conformance
// suite (each test in a schema of its own, store/postgres_test_harness.h),
// plus what only this backend has to get right: effects prepared on every
// pooled connection, a swallowed statement error, and many workers sharing
// a small pool. Needs a server: STOCKPILE_TEST_PG_URL.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "core/status_macros.h"
#include "runtime/consumer_stores_conformance.h"
#include "runtime/consumer_test_util.h"
#include "runtime/postgres_consumer_stores.h"
#include "store/pg_connection.h"
#include "store/postgres_test_harness.h"

namespace stockpile::runtime {
namespace {

using std::chrono::milliseconds;

constexpr const char* kCountEffect = "test_count_effect";

class PostgresConsumerHarness final : public ConsumerStoresHarness {
 public:
  explicit PostgresConsumerHarness(PostgresConsumerOptions options = {})
      : options_(std::move(options)) {
    options_.statements.emplace_back(
        kCountEffect,
        "INSERT INTO effects (event_id, n) VALUES ($1, 1)"
        " ON CONFLICT (event_id) DO UPDATE SET n = effects.n + 1");
  }
  ~PostgresConsumerHarness() override { Close(); }

  core::Status Open() override {
    ASSIGN_OR_RETURN(store_, schema_.Open({}));
    // Before the stores: their connections prepare statements on it.
    ASSIGN_OR_RETURN(auto conn, store::PgConnection::Connect(schema_.url()));
    RETURN_IF_ERROR(conn->Run("CREATE TABLE IF NOT EXISTS effects ("
                              " event_id text PRIMARY KEY, n bigint NOT NULL)")
                        .status());
    ASSIGN_OR_RETURN(stores_,
                     OpenPostgresConsumerStores(schema_.url(), options_));
    return core::Status::Ok();
  }
  core::Status CountEffect(Transaction& tx,
                           const std::string& event_id) override {
    return tx.postgres()->Execute(kCountEffect, {event_id}).status();
  }
  core::Result<std::pair<int64_t, int64_t>> Effects() override {
    ASSIGN_OR_RETURN(auto conn, store::PgConnection::Connect(schema_.url()));
    ASSIGN_OR_RETURN(
        store::PgResult r,
        conn->Run("SELECT count(*), coalesce(sum(n), 0) FROM effects"));
    return std::pair<int64_t, int64_t>{r.GetInt(0, 0), r.GetInt(0, 1)};
  }
  core::Status RewindCheckpoints(int64_t position) override {
    ASSIGN_OR_RETURN(auto conn, store::PgConnection::Connect(schema_.url()));
    RETURN_IF_ERROR(conn->Prepare(
        "rewind", "UPDATE runtime_checkpoints SET position = $1"));
    return conn->Execute("rewind", {std::to_string(position)}).status();
  }

  const std::string& url() const { return schema_.url(); }

 private:
  PostgresConsumerOptions options_;
  store::PostgresHarness schema_;  // drops the schema on destruction
};

INSTANTIATE_TEST_SUITE_P(
    Postgres, ConsumerStoresConformanceTest,
    ::testing::Values(
        ConsumerStoresBackend{
            "postgres",
            [] { return std::make_unique<PostgresConsumerHarness>(); }},
        // One connection per pool: nothing may wait for a second one.
        ConsumerStoresBackend{
            "postgres_one_connection",
            [] {
              return std::make_unique<PostgresConsumerHarness>(
                  PostgresConsumerOptions{.max_connections = 1,
                                          .max_read_connections = 1});
            }}),
    ConsumerStoresBackendName);

class PostgresConsumerStoresTest : public ::testing::Test {
 protected:
  void SetUp() override {
    core::Status opened = harness_.Open();
    ASSERT_TRUE(opened.ok()) << opened;
  }
  ConsumerStores& stores() { return harness_.stores(); }

  PostgresConsumerHarness harness_;
};

// Work that ignores a failed statement must not be reported as committed:
// PostgreSQL would turn the COMMIT into a silent ROLLBACK.
TEST_F(PostgresConsumerStoresTest, SwallowedStatementErrorFailsTheRun) {
  core::Status s = stores().transactions->Run([&](Transaction& tx)
                                                  -> core::Status {
    RETURN_IF_ERROR(stores().checkpoints->Save(tx, "billing", 9));
    tx.postgres()->Run("SELECT * FROM no_such_table").status().IgnoreError();
    return core::Status::Ok();
  });
  EXPECT_EQ(s.code(), core::StatusCode::kInternal) << s;
  EXPECT_EQ(*stores().checkpoints->Load("billing"), 0);
  // The connection went back to the pool usable, outside any transaction.
  ASSERT_TRUE(stores()
                  .transactions
                  ->Run([&](Transaction& tx) {
                    return stores().checkpoints->Save(tx, "billing", 3);
                  })
                  .ok());
  EXPECT_EQ(*stores().checkpoints->Load("billing"), 3);
}

// A second process (another set of stores on the same tables) sees the
// first one's commits: stores keep no state of their own.
TEST_F(PostgresConsumerStoresTest, TwoProcessesShareTheTables) {
  auto other = OpenPostgresConsumerStores(harness_.url());
  ASSERT_TRUE(other.ok()) << other.status();
  ASSERT_TRUE(stores()
                  .transactions
                  ->Run([&](Transaction& tx) -> core::Status {
                    RETURN_IF_ERROR(
                        stores().checkpoints->Save(tx, "billing", 5));
                    return stores().inbox->Add(tx, "billing", "e-1");
                  })
                  .ok());
  EXPECT_EQ(*other->checkpoints->Load("billing"), 5);
  EXPECT_TRUE(*other->inbox->Contains("billing", "e-1"));
  core::Status again = other->transactions->Run(
      [&](Transaction& tx) { return other->inbox->Add(tx, "billing", "e-1"); });
  EXPECT_EQ(again.code(), core::StatusCode::kAlreadyExists);
}

// Many workers of several consumers share a pool smaller than their
// number; every event is handled exactly once.
TEST_F(PostgresConsumerStoresTest, WorkersShareASmallPool) {
  core::ManualClock clock;
  core::UuidV7Generator ids(clock);
  int64_t last = 0;
  for (int i = 0; i < 60; ++i) {
    last = testing::AppendEvent(harness_.event_store(), ids, clock,
                                "o-" + std::to_string(i % 13));
  }
  StoreEventSource source(harness_.event_store());
  FixedJitter jitter(0.5);
  std::vector<std::unique_ptr<Consumer>> consumers;
  for (const char* name : {"a", "b", "c"}) {
    ConsumerOptions options;
    options.name = name;
    options.workers = 8;
    options.poll_interval = milliseconds(1);
    options.handler = [this](const core::EventPtr& e, HandlerContext& ctx) {
      ctx.AddEffect([this, id = e->event_id](Transaction& tx) {
        return harness_.CountEffect(tx, id);
      });
      return HandlerOutcome::Ok();
    };
    auto started = Consumer::Start(
        options, ConsumerDeps{.source = &source,
                              .transactions = stores().transactions.get(),
                              .checkpoints = stores().checkpoints.get(),
                              .inbox = stores().inbox.get(),
                              .dead_letters = stores().dead_letters.get(),
                              .clock = &clock,
                              .jitter = &jitter});
    ASSERT_TRUE(started.ok()) << started.status();
    consumers.push_back(std::move(started).value());
  }
  for (auto& c : consumers) {
    ASSERT_TRUE(c->WaitForCheckpoint(last, milliseconds(20000)));
    EXPECT_EQ(c->Stats().processed, 60);
  }
  consumers.clear();
  // Each event counted once per subscription.
  EXPECT_EQ(*harness_.Effects(), (std::pair<int64_t, int64_t>{60, 180}));
}

}  // namespace
}  // namespace stockpile::runtime
