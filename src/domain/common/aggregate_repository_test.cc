#include "domain/common/aggregate_repository.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "domain/common/domain_test_util.h"

namespace stockpile::domain::common {
namespace {

// A counter aggregate: the sum of the "n" of every event.
struct Counter {
  static constexpr int kSnapshotSchema = 1;
  int64_t total = 0;
  int64_t applied = 0;  // events folded since the snapshot / start

  void Apply(const core::Event& e) {
    int64_t n = 0;
    e.PayloadInt("n", n);
    total += n;
    ++applied;
  }
  boost::json::object ToSnapshot() const { return {{"total", total}}; }
  static core::Result<Counter> FromSnapshot(const boost::json::object& o) {
    Counter c;
    c.total = o.at("total").as_int64();
    return c;
  }
};

class AggregateRepositoryTest : public testing::DomainStoreTest {
 protected:
  AggregateRepositoryTest() { check_catalog_ = false; }  // test events

  core::Result<Committed> Add(AggregateRepository<Counter>& repo, int64_t n,
                              int64_t limit = 1'000'000) {
    return repo.Execute(
        "acme", "counter-1",
        [&](const Counter& c,
            int64_t) -> core::Result<std::vector<core::Event>> {
          if (c.total + n > limit) return core::FailedPreconditionError("full");
          std::vector<core::Event> out;
          out.push_back(NewEvent(deps_, CommandContext{.tenant = "acme"},
                                 "test", "test.counter.added", "counter",
                                 "counter-1", {{"n", n}}));
          return out;
        });
  }
};

TEST_P(AggregateRepositoryTest, AbsentStreamLoadsAsInitialState) {
  AggregateRepository<Counter> repo(*store_);
  auto loaded = repo.Load("acme", "counter-1");
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->version, 0);
  EXPECT_EQ(loaded->state.total, 0);
}

TEST_P(AggregateRepositoryTest, LoadsFromSnapshotPlusLaterEvents) {
  AggregateRepository<Counter> repo(*store_, {.snapshot_every = 4});
  for (int i = 1; i <= 6; ++i) ASSERT_TRUE(Add(repo, i).ok());
  auto snap = store_->LoadSnapshot("acme", "counter-1");
  ASSERT_TRUE(snap.ok()) << snap.status();
  EXPECT_EQ(snap->stream_version, 4);
  // A repository that has not seen the stream (as after a restart).
  AggregateRepository<Counter> restarted(*store_, {.snapshot_every = 4});
  auto loaded = restarted.Load("acme", "counter-1");
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->version, 6);
  EXPECT_EQ(loaded->state.total, 21);
  EXPECT_EQ(loaded->state.applied, 2);  // only events 5 and 6 replayed
}

// Two repositories (two processes, or two services) on one stream: each
// caches what it last saw, and neither decides on a stale copy.
TEST_P(AggregateRepositoryTest, StaleCachedStateIsRefreshedOnConflict) {
  AggregateRepository<Counter> a(*store_);
  AggregateRepository<Counter> b(*store_);
  ASSERT_TRUE(Add(a, 5, 10).ok());
  ASSERT_TRUE(Add(b, 4, 10).ok());  // a's copy is now behind
  auto third = Add(a, 1, 10);
  ASSERT_TRUE(third.ok()) << third.status();
  EXPECT_EQ(third->version, 3);
  EXPECT_EQ(third->attempts, 2);  // the stale attempt conflicted
  EXPECT_EQ(Add(a, 1, 10).status().code(),
            core::StatusCode::kFailedPrecondition);
  auto loaded = b.Load("acme", "counter-1");
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->state.total, 10);
  EXPECT_EQ(loaded->version, 3);
}

TEST_P(AggregateRepositoryTest, RefusalOnStaleStateIsDecidedAgainOnFresh) {
  AggregateRepository<Counter> a(*store_);
  AggregateRepository<Counter> b(*store_);
  ASSERT_TRUE(Add(a, 8, 10).ok());
  ASSERT_TRUE(Add(b, -5, 10).ok());  // total 3; a still holds 8
  // 8 + 4 would exceed the limit; the store's 3 + 4 does not.
  auto r = Add(a, 4, 10);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->version, 3);
}

TEST_P(AggregateRepositoryTest, LoadSeesEveryAppendThatFinishedBeforeIt) {
  AggregateRepository<Counter> a(*store_);
  AggregateRepository<Counter> b(*store_);
  ASSERT_TRUE(Add(a, 1).ok());
  ASSERT_TRUE(a.Load("acme", "counter-1").ok());
  ASSERT_TRUE(Add(b, 2).ok());
  auto loaded = a.Load("acme", "counter-1");
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->state.total, 3);
  EXPECT_EQ(loaded->version, 2);
  // Unchanged stream, other appends elsewhere in the log.
  ASSERT_TRUE(b.Execute("acme", "counter-2",
                        [&](const Counter&,
                            int64_t) -> core::Result<std::vector<core::Event>> {
                          std::vector<core::Event> out;
                          out.push_back(
                              NewEvent(deps_, CommandContext{.tenant = "acme"},
                                       "test", "test.counter.added", "counter",
                                       "counter-2", {{"n", 7}}));
                          return out;
                        })
                  .ok());
  auto again = a.LoadShared("acme", "counter-1");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->state->total, 3);
  EXPECT_EQ(again->version, 2);
}

// A state a reader holds is a value: later commands do not change it under
// the reader. One nobody else holds is folded in place, not copied.
TEST_P(AggregateRepositoryTest, ReadersKeepTheStateTheyLoaded) {
  AggregateRepository<Counter> repo(*store_);
  ASSERT_TRUE(Add(repo, 1).ok());
  auto held = repo.LoadShared("acme", "counter-1");
  ASSERT_TRUE(held.ok());
  ASSERT_TRUE(Add(repo, 2).ok());
  EXPECT_EQ(held->state->total, 1);
  EXPECT_EQ(held->version, 1);
  auto now = repo.LoadShared("acme", "counter-1");
  ASSERT_TRUE(now.ok());
  EXPECT_EQ(now->state->total, 3);
  EXPECT_NE(now->state.get(), held->state.get());  // copied on write

  const Counter* before = now->state.get();
  now->state.reset();
  held->state.reset();
  ASSERT_TRUE(Add(repo, 4).ok());
  auto after = repo.LoadShared("acme", "counter-1");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->state->total, 7);
  EXPECT_EQ(after->version, 3);
  EXPECT_EQ(after->state.get(), before);  // folded in place
}

// Another repository's appends are folded into the cached state in place
// too (when no reader holds it), not into a copy.
TEST_P(AggregateRepositoryTest, RefreshExtendsTheCachedStateInPlace) {
  AggregateRepository<Counter> a(*store_);
  AggregateRepository<Counter> b(*store_);
  ASSERT_TRUE(Add(a, 1).ok());
  auto loaded = a.LoadShared("acme", "counter-1");
  ASSERT_TRUE(loaded.ok());
  const Counter* cached = loaded->state.get();
  loaded->state.reset();
  ASSERT_TRUE(Add(b, 2).ok());
  auto now = a.LoadShared("acme", "counter-1");
  ASSERT_TRUE(now.ok());
  EXPECT_EQ(now->state->total, 3);
  EXPECT_EQ(now->version, 2);
  EXPECT_EQ(now->state.get(), cached);
}

TEST_P(AggregateRepositoryTest, DecisionErrorsAreNotRetriedAndAppendNothing) {
  AggregateRepository<Counter> repo(*store_);
  ASSERT_TRUE(Add(repo, 5, 10).ok());
  auto r = Add(repo, 6, 10);
  EXPECT_EQ(r.status().code(), core::StatusCode::kFailedPrecondition);
  EXPECT_EQ(StreamTypes("acme", "counter-1").size(), 1u);
}

// Concurrent commands against one stream: every one is retried on conflict
// until it commits; the limit is never exceeded.
TEST_P(AggregateRepositoryTest, ConcurrentCommandsRetryAndKeepInvariant) {
  AggregateRepository<Counter> repo(*store_);
  constexpr int kThreads = 8;
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  std::atomic<int> ok{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 5; ++i) {
        if (Add(repo, 1, 30).ok()) ok.fetch_add(1);
      }
    });
  }
  for (auto& th : threads) th.join();
  auto loaded = repo.Load("acme", "counter-1");
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(ok.load(), 30);
  EXPECT_EQ(loaded->state.total, 30);
  EXPECT_EQ(loaded->version, 30);
}

INSTANTIATE_TEST_SUITE_P(Stores, AggregateRepositoryTest, testing::kAllStores,
                         testing::StoreName);

}  // namespace
}  // namespace stockpile::domain::common
