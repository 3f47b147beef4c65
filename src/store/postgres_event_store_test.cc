#include "store/postgres_event_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <set>
#include <thread>

#include "store/event_store_conformance.h"
#include "store/pg_connection.h"
#include "store/postgres_test_harness.h"

namespace stockpile::store {
namespace {

using std::chrono::milliseconds;
using ::testing::HasSubstr;
constexpr milliseconds kWait(30000);  // a generous bound, never a threshold

INSTANTIATE_TEST_SUITE_P(
    Postgres, EventStoreConformanceTest,
    testing::Values(ConformanceBackend{
        "postgres", [] { return std::make_unique<PostgresHarness>(); }}),
    ConformanceBackendName);

class PostgresEventStoreTest : public testing::Test {
 protected:
  std::unique_ptr<EventStore> Open() {
    auto store = harness_.Open({.clock = &clock_});
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? std::move(store).value() : nullptr;
  }
  std::vector<core::Event> Events(int n) {
    std::vector<core::Event> out;
    for (int i = 0; i < n; ++i) {
      out.push_back(core::EventBuilder("test.thing.happened")
                        .Aggregate("thing", "t")
                        .Tenant("acme")
                        .Payload({{"n", i}})
                        .BuildValue(ids_, clock_));
    }
    return out;
  }

  core::ManualClock clock_;
  core::UuidV7Generator ids_{clock_};
  PostgresHarness harness_;
};

// Two store objects on one database stand for two processes: each has its
// own writer connection, so their transactions really race in the server.
// A reader polling ReadAll on a third store must see every position exactly
// once, in order, although the writers' commits interleave.
TEST_F(PostgresEventStoreTest, ReadersNeverSkipALateCommitAcrossProcesses) {
  auto a = Open(), b = Open(), reader = Open();
  ASSERT_TRUE(a && b && reader);
  constexpr int kThreadsPerStore = 4;
  constexpr int kAppendsPerThread = 150;
  constexpr int kBatch = 3;
  constexpr int64_t kTotal = 2 * kThreadsPerStore * kAppendsPerThread * kBatch;

  std::atomic<int64_t> live_next{1};
  std::atomic<int> live_bad{0};
  auto sub = reader->SubscribeAll(0, ReadFilter::AllTenants(),
                                  [&](const core::EventPtr& e) {
                                    if (e->position != live_next.fetch_add(1))
                                      ++live_bad;
                                    return core::Status::Ok();
                                  });
  ASSERT_TRUE(sub.ok());

  std::atomic<int> failures{0};
  std::vector<std::thread> writers;
  for (EventStore* store : {a.get(), b.get()}) {
    for (int t = 0; t < kThreadsPerStore; ++t) {
      std::vector<std::vector<core::Event>> batches;
      for (int i = 0; i < kAppendsPerThread; ++i)
        batches.push_back(Events(kBatch));
      writers.emplace_back(
          [store, t, &failures, batches = std::move(batches)]() mutable {
            for (auto& batch : batches) {
              if (!store
                       ->Append("acme", "s-" + std::to_string(t),
                                ExpectedVersion::Any(), std::move(batch))
                       .ok()) {
                ++failures;
              }
            }
          });
    }
  }
  // The polling reader: follows last_scanned_position like a consumer.
  int64_t cursor = 0, seen = 0;
  std::set<int64_t> positions;
  bool in_order = true;
  const auto deadline = std::chrono::steady_clock::now() + kWait;
  while (seen < kTotal && std::chrono::steady_clock::now() < deadline) {
    auto page = reader->ReadAll(cursor, 500, ReadFilter::AllTenants());
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& e : page->events) {
      in_order = in_order && e->position == cursor + 1;
      cursor = e->position;
      positions.insert(e->position);
      ++seen;
    }
    cursor = page->last_scanned_position;
  }
  for (auto& w : writers) w.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_TRUE(in_order);
  EXPECT_EQ(seen, kTotal);
  EXPECT_EQ(positions.size(), static_cast<size_t>(kTotal));
  ASSERT_TRUE((*sub)->WaitFor(kTotal, kWait));
  EXPECT_EQ(live_bad.load(), 0);
  EXPECT_EQ(*b->HeadPosition(), kTotal);
}

// A subscription on one store is woken by commits of another store (another
// process) through LISTEN/NOTIFY or, failing that, by polling.
TEST_F(PostgresEventStoreTest, SubscriptionSeesCommitsOfAnotherProcess) {
  auto writer = Open(), reader = Open();
  ASSERT_TRUE(writer && reader);
  std::atomic<int> got{0};
  auto sub = reader->SubscribeStream("acme", "s", 0, [&](const auto&) {
    ++got;
    return core::Status::Ok();
  });
  ASSERT_TRUE(sub.ok());
  auto r = writer->Append("acme", "s", ExpectedVersion::NoStream(), Events(3));
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_TRUE((*sub)->WaitFor(3, kWait));
  EXPECT_EQ(got.load(), 3);
}

// Single-event appends from many threads are grouped into shared
// transactions; each caller still gets its own correct answer.
TEST_F(PostgresEventStoreTest, ConcurrentSingleAppendsAllCommitWithOwnResult) {
  auto store = Open();
  ASSERT_TRUE(store);
  constexpr int kThreads = 32, kEach = 20;
  std::mutex mu;
  std::set<int64_t> positions;
  std::atomic<int> bad{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    std::vector<std::vector<core::Event>> events;
    for (int i = 0; i < kEach; ++i) events.push_back(Events(1));
    threads.emplace_back([&, t, events = std::move(events)]() mutable {
      for (int i = 0; i < kEach; ++i) {
        auto r = store->Append("acme", "t-" + std::to_string(t),
                               ExpectedVersion::Exact(i), std::move(events[i]));
        if (!r.ok() || r->stream_version != i + 1) {
          ++bad;
          continue;
        }
        std::lock_guard<std::mutex> lock(mu);
        positions.insert(r->first_position);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(bad.load(), 0);
  ASSERT_EQ(positions.size(), static_cast<size_t>(kThreads * kEach));
  EXPECT_EQ(*positions.begin(), 1);
  EXPECT_EQ(*positions.rbegin(), kThreads * kEach);
}

TEST_F(PostgresEventStoreTest, SchemaIsVersionedAndNewerSchemaIsRefused) {
  ASSERT_TRUE(Open());
  ASSERT_TRUE(Open());  // migrating twice is a no-op
  auto conn = PgConnection::Connect(harness_.url());
  ASSERT_TRUE(conn.ok()) << conn.status();
  auto version = (*conn)->Run("SELECT max(version) FROM store_schema_version");
  ASSERT_TRUE(version.ok()) << version.status();
  EXPECT_EQ(version->GetInt(0, 0), 1);
  ASSERT_TRUE(
      (*conn)->Run("INSERT INTO store_schema_version VALUES (99)").ok());
  auto refused = harness_.Open({});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), core::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(), HasSubstr("version 99"));
}

TEST_F(PostgresEventStoreTest, UnreachableServerIsUnavailable) {
  auto store = MakePostgresEventStore(
      "postgres://nobody@127.0.0.1:1/none?connect_timeout=5");
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), core::StatusCode::kUnavailable);
  EXPECT_THAT(store.status().message(), HasSubstr("cannot connect"));
}

// Values are bound parameters, never SQL text: quotes and backslashes in a
// payload are stored and read back verbatim.
TEST_F(PostgresEventStoreTest, PayloadTextRoundTripsVerbatim) {
  auto store = Open();
  ASSERT_TRUE(store);
  std::vector<core::Event> events = Events(1);
  events[0].payload["text"] = "it's \"quoted\" \\ {a,b} $1 ; DROP TABLE x";
  auto r = store->Append("acme", "s", ExpectedVersion::Any(), events);
  ASSERT_TRUE(r.ok()) << r.status();
  auto back = store->ReadStream("acme", "s", 1, 1);
  ASSERT_TRUE(back.ok());
  ASSERT_EQ(back->size(), 1u);
  EXPECT_EQ((*back)[0]->payload, events[0].payload);
}

}  // namespace
}  // namespace stockpile::store
