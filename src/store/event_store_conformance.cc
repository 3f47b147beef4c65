// Append, read and tenancy rules of the EventStore contract. Subscriptions,
// snapshots, upcasting and retention are in
// event_store_conformance_lifecycle.cc.
#include "store/event_store_conformance.h"

#include <gmock/gmock.h>

#include <atomic>
#include <map>
#include <set>
#include <thread>

namespace stockpile::store {

using ::testing::HasSubstr;

GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(EventStoreConformanceTest);

std::string ConformanceBackendName(
    const testing::TestParamInfo<ConformanceBackend>& info) {
  return info.param.name;
}

void EventStoreConformanceTest::SetUp() {
  harness_ = GetParam().make_harness();
  Reopen();
}

void EventStoreConformanceTest::TearDown() {
  store_.reset();
  harness_.reset();
}

void EventStoreConformanceTest::Reopen(EventStoreOptions options) {
  store_.reset();
  options.clock = &clock_;
  auto opened = harness_->Open(std::move(options));
  ASSERT_TRUE(opened.ok()) << opened.status();
  store_ = std::move(opened).value();
}

core::Event EventStoreConformanceTest::NewEvent(const std::string& tenant,
                                                int64_t n,
                                                const std::string& type) {
  return core::EventBuilder(type)
      .Aggregate("thing", "t-1")
      .Tenant(tenant)
      .Payload({{"n", n}})
      .BuildValue(ids_, clock_);
}

std::vector<core::Event> EventStoreConformanceTest::NewEvents(
    const std::string& tenant, int count, const std::string& type) {
  std::vector<core::Event> out;
  out.reserve(static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) out.push_back(NewEvent(tenant, i, type));
  return out;
}

std::vector<int64_t> EventStoreConformanceTest::Ns(
    const std::vector<core::EventPtr>& events) {
  std::vector<int64_t> out;
  for (const auto& e : events) {
    int64_t n = -1;
    e->PayloadInt("n", n);
    out.push_back(n);
  }
  return out;
}

namespace {

TEST_P(EventStoreConformanceTest, AppendAssignsVersionsAndPositions) {
  auto a = store().Append("acme", "order-1", ExpectedVersion::NoStream(),
                          NewEvents("acme", 2));
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->first_position, 1);
  EXPECT_EQ(a->last_position, 2);
  EXPECT_EQ(a->stream_version, 2);
  ASSERT_EQ(a->events.size(), 2u);
  EXPECT_EQ(a->events[1]->stream_version, 2);
  EXPECT_EQ(a->events[1]->position, 2);

  auto b = store().Append("acme", "order-2", ExpectedVersion::Any(),
                          NewEvents("acme", 1));
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(b->first_position, 3);
  EXPECT_EQ(b->stream_version, 1);
  EXPECT_EQ(*store().HeadPosition(), 3);
  EXPECT_EQ(*store().StreamVersion("acme", "order-1"), 2);
}

TEST_P(EventStoreConformanceTest, ExpectedVersionMismatchIsConflictWithActual) {
  ASSERT_TRUE(store()
                  .Append("acme", "s", ExpectedVersion::StreamExists(),
                          NewEvents("acme", 1))
                  .status()
                  .code() == core::StatusCode::kConflict);
  ASSERT_TRUE(store()
                  .Append("acme", "s", ExpectedVersion::NoStream(),
                          NewEvents("acme", 3))
                  .ok());
  auto stale = store().Append("acme", "s", ExpectedVersion::Exact(2),
                              NewEvents("acme", 1));
  ASSERT_EQ(stale.status().code(), core::StatusCode::kConflict);
  EXPECT_THAT(stale.status().message(), HasSubstr("at version 3"));
  EXPECT_EQ(store()
                .Append("acme", "s", ExpectedVersion::NoStream(),
                        NewEvents("acme", 1))
                .status()
                .code(),
            core::StatusCode::kConflict);
  EXPECT_TRUE(
      store()
          .Append("acme", "s", ExpectedVersion::Exact(3), NewEvents("acme", 1))
          .ok());
  EXPECT_TRUE(store()
                  .Append("acme", "s", ExpectedVersion::StreamExists(),
                          NewEvents("acme", 1))
                  .ok());
  EXPECT_EQ(*store().StreamVersion("acme", "s"), 5);
  // A failed append leaves no trace: the conflicting stream never existed.
  EXPECT_EQ(store().StreamVersion("acme", "never").status().code(),
            core::StatusCode::kNotFound);
}

TEST_P(EventStoreConformanceTest, ConcurrentWritersGetOneWinnerPerVersion) {
  constexpr int kThreads = 8;
  constexpr int kVersions = 40;
  std::vector<std::vector<core::Event>> batches(kThreads * kVersions);
  for (auto& b : batches) b = NewEvents("acme", 1);
  std::map<int64_t, int> winners;  // version -> thread
  std::mutex mu;
  std::atomic<int> other_errors{0};
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int v = 0; v < kVersions; ++v) {
        // Everyone races to write version v + 1 on top of version v.
        auto r = store().Append("acme", "race", ExpectedVersion::Exact(v),
                                std::move(batches[t * kVersions + v]));
        if (r.ok()) {
          std::lock_guard<std::mutex> lock(mu);
          EXPECT_TRUE(winners.emplace(r->stream_version, t).second);
        } else if (r.status().code() != core::StatusCode::kConflict) {
          ++other_errors;
        }
        // Wait until someone won version v + 1 before racing for the next.
        while (!store().StreamVersion("acme", "race").ok() ||
               *store().StreamVersion("acme", "race") < v + 1) {
          std::this_thread::yield();
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(other_errors.load(), 0);
  EXPECT_EQ(winners.size(), static_cast<size_t>(kVersions));
  EXPECT_EQ(*store().StreamVersion("acme", "race"), kVersions);
  auto all = store().ReadStream("acme", "race", 1, 1000);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), static_cast<size_t>(kVersions));
}

TEST_P(EventStoreConformanceTest, IdempotentReAppendReturnsOriginalResult) {
  std::vector<core::Event> batch = NewEvents("acme", 3);
  auto first = store().Append("acme", "s", ExpectedVersion::NoStream(), batch);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(
      store()
          .Append("acme", "s", ExpectedVersion::Any(), NewEvents("acme", 1))
          .ok());
  // The retry carries a stale expected version: still answered with the
  // original result, and nothing is written twice.
  auto again = store().Append("acme", "s", ExpectedVersion::NoStream(), batch);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->first_position, first->first_position);
  EXPECT_EQ(again->last_position, first->last_position);
  EXPECT_EQ(again->stream_version, 3);
  EXPECT_EQ(again->events[2]->event_id, batch[2].event_id);
  EXPECT_EQ(*store().StreamVersion("acme", "s"), 4);
  EXPECT_EQ(*store().HeadPosition(), 4);

  // A batch that overlaps only partly is a conflict, not a silent merge.
  std::vector<core::Event> mixed = {batch[0], NewEvent("acme")};
  EXPECT_EQ(store()
                .Append("acme", "s", ExpectedVersion::Any(), mixed)
                .status()
                .code(),
            core::StatusCode::kConflict);
  EXPECT_EQ(*store().HeadPosition(), 4);
  // So is one whose later event is already in the stream.
  std::vector<core::Event> tail_overlap = {NewEvent("acme"), batch[1]};
  EXPECT_EQ(store()
                .Append("acme", "s", ExpectedVersion::Any(), tail_overlap)
                .status()
                .code(),
            core::StatusCode::kConflict);
  EXPECT_EQ(*store().HeadPosition(), 4);
  EXPECT_EQ(*store().StreamVersion("acme", "s"), 4);
  // An eventId is unique in the whole log (consumer inboxes key on it):
  // another stream, of this tenant or another, cannot take it, and the
  // answer does not name the stream that holds it.
  for (std::string_view tenant : {"acme", "globex"}) {
    core::Event copy = batch[0];
    copy.tenant_id = std::string(tenant);
    auto elsewhere =
        store().Append(tenant, "other", ExpectedVersion::Any(), {copy});
    EXPECT_EQ(elsewhere.status().code(), core::StatusCode::kConflict);
    EXPECT_THAT(elsewhere.status().message(),
                testing::Not(testing::HasSubstr("'s'")));
  }
  EXPECT_EQ(*store().HeadPosition(), 4);
}

TEST_P(EventStoreConformanceTest, RejectsBadInputWithInvalidArgument) {
  auto code = [&](std::string_view tenant, std::string_view stream,
                  std::vector<core::Event> events) {
    return store()
        .Append(tenant, stream, ExpectedVersion::Any(), std::move(events))
        .status()
        .code();
  };
  const auto kInvalid = core::StatusCode::kInvalidArgument;
  EXPECT_EQ(code("acme", "s", {}), kInvalid);
  EXPECT_EQ(code("acme", "", NewEvents("acme", 1)), kInvalid);
  EXPECT_EQ(code("acme", "has space", NewEvents("acme", 1)), kInvalid);
  EXPECT_EQ(code("acme", "'; DROP TABLE events; --", NewEvents("acme", 1)),
            kInvalid);
  EXPECT_EQ(code("acme", std::string(201, 'a'), NewEvents("acme", 1)),
            kInvalid);
  EXPECT_EQ(code("", "s", NewEvents("", 1)), kInvalid);
  EXPECT_EQ(code("acme", "s", NewEvents("other", 1)), kInvalid);

  core::Event big = NewEvent("acme");
  big.payload["blob"] = std::string(2 << 20, 'x');
  EXPECT_EQ(code("acme", "s", {big}), kInvalid);
  core::Event bad_id = NewEvent("acme");
  bad_id.event_id = "not-a-uuid";
  EXPECT_EQ(code("acme", "s", {bad_id}), kInvalid);
  core::Event bad_type = NewEvent("acme", 0, "Bad Type");
  EXPECT_EQ(code("acme", "s", {bad_type}), kInvalid);
  core::Event twice = NewEvent("acme");
  EXPECT_EQ(code("acme", "s", {twice, twice}), kInvalid);

  EXPECT_EQ(*store().HeadPosition(), 0);
  EXPECT_EQ(store().ReadAll(0, 10, ReadFilter{}).status().code(), kInvalid);
  EXPECT_EQ(store()
                .ReadAll(0, 10, ReadFilter::ForTenant("acme", {"a.##"}))
                .status()
                .code(),
            kInvalid);
  EXPECT_EQ(store().ReadStream("acme", "", 1, 10).status().code(), kInvalid);
}

TEST_P(EventStoreConformanceTest, ReadStreamBothDirections) {
  ASSERT_TRUE(
      store()
          .Append("acme", "s", ExpectedVersion::Any(), NewEvents("acme", 5))
          .ok());
  auto fwd = store().ReadStream("acme", "s", 2, 3);
  ASSERT_TRUE(fwd.ok());
  EXPECT_EQ(Ns(*fwd), (std::vector<int64_t>{1, 2, 3}));
  auto back =
      store().ReadStream("acme", "s", kStreamEnd, 2, Direction::kBackward);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(Ns(*back), (std::vector<int64_t>{4, 3}));
  EXPECT_EQ((*back)[0]->stream_version, 5);
  auto past = store().ReadStream("acme", "s", 6, 10);
  ASSERT_TRUE(past.ok());
  EXPECT_TRUE(past->empty());
  EXPECT_EQ(store().ReadStream("acme", "missing", 1, 10).status().code(),
            core::StatusCode::kNotFound);
}

TEST_P(EventStoreConformanceTest, ReadAllInPositionOrderWithTypeFilter) {
  ASSERT_TRUE(store()
                  .Append("acme", "a", ExpectedVersion::Any(),
                          NewEvents("acme", 2, "order.created"))
                  .ok());
  ASSERT_TRUE(store()
                  .Append("acme", "b", ExpectedVersion::Any(),
                          NewEvents("acme", 2, "inventory.stock.adjusted"))
                  .ok());
  ASSERT_TRUE(store()
                  .Append("acme", "a", ExpectedVersion::Any(),
                          NewEvents("acme", 1, "order.shipped"))
                  .ok());
  auto all = store().ReadAll(0, 100, ReadFilter::ForTenant("acme"));
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->events.size(), 5u);
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(all->events[i]->position, static_cast<int64_t>(i + 1));
  }
  auto orders =
      store().ReadAll(0, 100, ReadFilter::ForTenant("acme", {"order.*"}));
  ASSERT_TRUE(orders.ok());
  ASSERT_EQ(orders->events.size(), 3u);
  EXPECT_EQ(orders->events[2]->event_type, "order.shipped");
  EXPECT_EQ(orders->last_scanned_position, 5);

  auto page = store().ReadAll(1, 2, ReadFilter::ForTenant("acme"));
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->events.size(), 2u);
  EXPECT_EQ(page->events[0]->position, 2);
  EXPECT_EQ(page->last_scanned_position, 3);
  auto none = store().ReadAll(5, 10, ReadFilter::ForTenant("acme"));
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->events.empty());
  EXPECT_EQ(none->last_scanned_position, 5);
}

TEST_P(EventStoreConformanceTest, TenantsAreIsolated) {
  ASSERT_TRUE(store()
                  .Append("acme", "s", ExpectedVersion::NoStream(),
                          NewEvents("acme", 2))
                  .ok());
  // The same stream name in another tenant is another stream.
  ASSERT_TRUE(store()
                  .Append("globex", "s", ExpectedVersion::NoStream(),
                          NewEvents("globex", 1))
                  .ok());
  EXPECT_EQ(*store().StreamVersion("acme", "s"), 2);
  EXPECT_EQ(*store().StreamVersion("globex", "s"), 1);
  EXPECT_EQ(store().ReadStream("initech", "s", 1, 10).status().code(),
            core::StatusCode::kNotFound);
  auto acme = store().ReadAll(0, 100, ReadFilter::ForTenant("acme"));
  ASSERT_TRUE(acme.ok());
  EXPECT_EQ(acme->events.size(), 2u);
  for (const auto& e : acme->events) EXPECT_EQ(e->tenant_id, "acme");
  auto everyone = store().ReadAll(0, 100, ReadFilter::AllTenants());
  ASSERT_TRUE(everyone.ok());
  EXPECT_EQ(everyone->events.size(), 3u);
}

TEST_P(EventStoreConformanceTest, ReopenKeepsEverythingAcknowledged) {
  if (!harness_->persistent()) GTEST_SKIP() << "not a persistent backend";
  auto a = store().Append("acme", "s", ExpectedVersion::NoStream(),
                          NewEvents("acme", 3));
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(
      store().SaveSnapshot("acme", "s", Snapshot{2, 1, {{"k", 1}}}).ok());
  Reopen();
  EXPECT_EQ(*store().HeadPosition(), 3);
  EXPECT_EQ(*store().StreamVersion("acme", "s"), 3);
  auto events = store().ReadStream("acme", "s", 1, 10);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 3u);
  EXPECT_EQ((*events)[2]->event_id, a->events[2]->event_id);
  EXPECT_EQ(*(*events)[2], *a->events[2]);
  EXPECT_EQ(store().LoadSnapshot("acme", "s")->stream_version, 2);
  auto next =
      store().Append("acme", "t", ExpectedVersion::Any(), NewEvents("acme", 1));
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->first_position, 4);
}

}  // namespace
}  // namespace stockpile::store
