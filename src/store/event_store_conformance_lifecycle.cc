// Subscriptions, snapshots, upcasting, deletion and retention rules of the
// EventStore contract (see event_store_conformance.h).
#include <atomic>
#include <mutex>
#include <thread>

#include "store/event_store_conformance.h"

namespace stockpile::store {
namespace {

using std::chrono::milliseconds;
constexpr milliseconds kWait(20000);  // generous bound; never a threshold

// Collects what a subscription delivers.
struct Collector {
  std::mutex mu;
  std::vector<core::EventPtr> events;

  EventHandler Handler() {
    return [this](const core::EventPtr& e) {
      std::lock_guard<std::mutex> lock(mu);
      events.push_back(e);
      return core::Status::Ok();
    };
  }
  std::vector<core::EventPtr> Get() {
    std::lock_guard<std::mutex> lock(mu);
    return events;
  }
};

TEST_P(EventStoreConformanceTest, SubscribeAllDeliversHistoryThenLive) {
  ASSERT_TRUE(
      store()
          .Append("acme", "a", ExpectedVersion::Any(), NewEvents("acme", 3))
          .ok());
  ASSERT_TRUE(
      store()
          .Append("globex", "a", ExpectedVersion::Any(), NewEvents("globex", 1))
          .ok());
  Collector got;
  auto sub =
      store().SubscribeAll(1, ReadFilter::ForTenant("acme"), got.Handler());
  ASSERT_TRUE(sub.ok()) << sub.status();
  ASSERT_TRUE((*sub)->WaitFor(3, kWait));
  auto live =
      store().Append("acme", "b", ExpectedVersion::Any(), NewEvents("acme", 2));
  ASSERT_TRUE(live.ok());
  ASSERT_TRUE((*sub)->WaitFor(live->last_position, kWait));
  (*sub)->Stop();
  std::vector<int64_t> positions;
  for (const auto& e : got.Get()) positions.push_back(e->position);
  EXPECT_EQ(positions, (std::vector<int64_t>{2, 3, 5, 6}));
  EXPECT_TRUE((*sub)->status().ok());
}

TEST_P(EventStoreConformanceTest,
       SubscriptionRacingWritersHasNoGapOrDuplicate) {
  constexpr int kWriters = 8;
  constexpr int kPerWriter = 12500;  // 100k events in all
  constexpr int kBatch = 10;
  std::atomic<int64_t> expected_next{1};
  std::atomic<int64_t> bad{0};
  auto handler = [&](const core::EventPtr& e) {
    if (e->position != expected_next.fetch_add(1)) ++bad;
    return core::Status::Ok();
  };
  auto sub = store().SubscribeAll(0, ReadFilter::AllTenants(), handler);
  ASSERT_TRUE(sub.ok());
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    std::vector<std::vector<core::Event>> batches;
    batches.reserve(kPerWriter / kBatch);
    for (int i = 0; i < kPerWriter / kBatch; ++i) {
      batches.push_back(NewEvents("acme", kBatch));
    }
    writers.emplace_back([&, w, batches = std::move(batches)]() mutable {
      const std::string stream = "writer-" + std::to_string(w);
      for (auto& b : batches) {
        auto r = store().Append("acme", stream, ExpectedVersion::Any(),
                                std::move(b));
        if (!r.ok()) ++bad;
      }
    });
  }
  // A second subscriber joins mid-way: it must catch up seamlessly.
  std::atomic<int64_t> late_next{0}, late_bad{0};
  auto late = store().SubscribeAll(
      0, ReadFilter::AllTenants(), [&](const core::EventPtr& e) {
        if (late_next.load() != 0 && e->position != late_next.load() + 1) {
          ++late_bad;
        }
        late_next.store(e->position);
        return core::Status::Ok();
      });
  ASSERT_TRUE(late.ok());
  for (auto& t : writers) t.join();
  const int64_t total = kWriters * kPerWriter;
  ASSERT_EQ(*store().HeadPosition(), total);
  ASSERT_TRUE((*sub)->WaitFor(total, kWait));
  ASSERT_TRUE((*late)->WaitFor(total, kWait));
  EXPECT_EQ(bad.load(), 0);
  EXPECT_EQ(late_bad.load(), 0);
  EXPECT_EQ(expected_next.load(), total + 1);
  EXPECT_EQ(late_next.load(), total);
}

TEST_P(EventStoreConformanceTest, SubscribeStreamFollowsOneStreamUntilDeleted) {
  ASSERT_TRUE(
      store()
          .Append("acme", "s", ExpectedVersion::Any(), NewEvents("acme", 2))
          .ok());
  ASSERT_TRUE(
      store()
          .Append("acme", "other", ExpectedVersion::Any(), NewEvents("acme", 2))
          .ok());
  Collector got;
  auto sub = store().SubscribeStream("acme", "s", 1, got.Handler());
  ASSERT_TRUE(sub.ok());
  ASSERT_TRUE(
      store()
          .Append("acme", "s", ExpectedVersion::Exact(2), NewEvents("acme", 1))
          .ok());
  ASSERT_TRUE((*sub)->WaitFor(3, kWait));
  auto events = got.Get();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0]->stream_version, 2);
  EXPECT_EQ(events[1]->stream_version, 3);

  ASSERT_TRUE(store().DeleteStream("acme", "s", ExpectedVersion::Any()).ok());
  EXPECT_FALSE((*sub)->WaitFor(100, kWait));
  EXPECT_EQ((*sub)->status().code(), core::StatusCode::kNotFound);

  // A stream that does not exist yet is followed from its first event.
  Collector fresh;
  auto early = store().SubscribeStream("acme", "later", 0, fresh.Handler());
  ASSERT_TRUE(early.ok());
  ASSERT_TRUE(
      store()
          .Append("acme", "later", ExpectedVersion::Any(), NewEvents("acme", 1))
          .ok());
  ASSERT_TRUE((*early)->WaitFor(1, kWait));
}

TEST_P(EventStoreConformanceTest, HandlerErrorEndsSubscriptionAndStopIsFinal) {
  ASSERT_TRUE(
      store()
          .Append("acme", "s", ExpectedVersion::Any(), NewEvents("acme", 3))
          .ok());
  std::atomic<int> calls{0};
  auto failing = store().SubscribeAll(
      0, ReadFilter::ForTenant("acme"), [&](const core::EventPtr& e) {
        ++calls;
        return e->position == 2 ? core::UnavailableError("downstream down")
                                : core::Status::Ok();
      });
  ASSERT_TRUE(failing.ok());
  EXPECT_FALSE((*failing)->WaitFor(3, kWait));
  EXPECT_EQ((*failing)->status().code(), core::StatusCode::kUnavailable);
  EXPECT_EQ((*failing)->last_delivered(), 1);
  EXPECT_EQ(calls.load(), 2);

  Collector got;
  auto sub =
      store().SubscribeAll(0, ReadFilter::ForTenant("acme"), got.Handler());
  ASSERT_TRUE(sub.ok());
  ASSERT_TRUE((*sub)->WaitFor(3, kWait));
  (*sub)->Stop();
  ASSERT_TRUE(
      store()
          .Append("acme", "s", ExpectedVersion::Any(), NewEvents("acme", 1))
          .ok());
  EXPECT_EQ(got.Get().size(), 3u);  // nothing after Stop() returned
}

TEST_P(EventStoreConformanceTest, SnapshotsKeepTheLatest) {
  ASSERT_TRUE(
      store()
          .Append("acme", "s", ExpectedVersion::Any(), NewEvents("acme", 5))
          .ok());
  EXPECT_EQ(store().LoadSnapshot("acme", "s").status().code(),
            core::StatusCode::kNotFound);
  ASSERT_TRUE(
      store().SaveSnapshot("acme", "s", Snapshot{4, 2, {{"k", 4}}}).ok());
  ASSERT_TRUE(
      store().SaveSnapshot("acme", "s", Snapshot{2, 2, {{"k", 2}}}).ok());
  auto snap = store().LoadSnapshot("acme", "s");
  ASSERT_TRUE(snap.ok()) << snap.status();
  EXPECT_EQ(snap->stream_version, 4);
  EXPECT_EQ(snap->schema_version, 2);
  EXPECT_EQ(snap->state.at("k").as_int64(), 4);
  auto rest = store().ReadStream("acme", "s", snap->stream_version + 1, 100);
  ASSERT_TRUE(rest.ok());
  ASSERT_EQ(rest->size(), 1u);
  EXPECT_EQ((*rest)[0]->stream_version, 5);

  EXPECT_EQ(store().SaveSnapshot("acme", "s", Snapshot{6, 1, {}}).code(),
            core::StatusCode::kInvalidArgument);
  EXPECT_EQ(store().SaveSnapshot("acme", "none", Snapshot{1, 1, {}}).code(),
            core::StatusCode::kNotFound);
  EXPECT_EQ(store().LoadSnapshot("globex", "s").status().code(),
            core::StatusCode::kNotFound);
}

TEST_P(EventStoreConformanceTest, UpcastersApplyOnEveryReadPath) {
  std::vector<core::Event> batch = {NewEvent("acme", 7, "stock.adjusted")};
  ASSERT_TRUE(store().Append("acme", "s", ExpectedVersion::Any(), batch).ok());
  EventStoreOptions options;
  options.upcasters.Register("stock.adjusted", 1, [](core::Event& e) {
    e.payload["location"] = "main";
    return core::Status::Ok();
  });
  options.upcasters.Register("stock.adjusted", 2, [](core::Event& e) {
    e.payload["n"] = e.payload.at("n").as_int64() * 10;
    return core::Status::Ok();
  });
  if (!harness_->persistent()) {  // memory: write the old event again
    Reopen(std::move(options));
    ASSERT_TRUE(
        store().Append("acme", "s", ExpectedVersion::Any(), batch).ok());
  } else {
    Reopen(std::move(options));
  }
  auto check = [](const core::EventPtr& e) {
    EXPECT_EQ(e->version, 3);
    EXPECT_EQ(e->PayloadString("location"), "main");
    int64_t n = 0;
    EXPECT_TRUE(e->PayloadInt("n", n));
    EXPECT_EQ(n, 70);
  };
  check((*store().ReadStream("acme", "s", 1, 1))[0]);
  check(store().ReadAll(0, 1, ReadFilter::ForTenant("acme"))->events[0]);
  check(store().Append("acme", "s", ExpectedVersion::Any(), batch)->events[0]);
  Collector got;
  auto sub =
      store().SubscribeAll(0, ReadFilter::ForTenant("acme"), got.Handler());
  ASSERT_TRUE(sub.ok());
  ASSERT_TRUE((*sub)->WaitFor(1, kWait));
  (*sub)->Stop();
  check(got.Get().at(0));
}

TEST_P(EventStoreConformanceTest, DeletedStreamIsGoneAfterScavenge) {
  ASSERT_TRUE(
      store()
          .Append("acme", "s", ExpectedVersion::Any(), NewEvents("acme", 3))
          .ok());
  ASSERT_TRUE(
      store()
          .Append("acme", "keep", ExpectedVersion::Any(), NewEvents("acme", 1))
          .ok());
  EXPECT_EQ(store().DeleteStream("acme", "s", ExpectedVersion::Exact(2)).code(),
            core::StatusCode::kConflict);
  ASSERT_TRUE(
      store().DeleteStream("acme", "s", ExpectedVersion::Exact(3)).ok());
  EXPECT_EQ(store().ReadStream("acme", "s", 1, 10).status().code(),
            core::StatusCode::kNotFound);
  EXPECT_EQ(store().StreamVersion("acme", "s").status().code(),
            core::StatusCode::kNotFound);
  EXPECT_EQ(
      store()
          .Append("acme", "s", ExpectedVersion::Any(), NewEvents("acme", 1))
          .status()
          .code(),
      core::StatusCode::kFailedPrecondition);
  EXPECT_EQ(store().DeleteStream("acme", "nope", ExpectedVersion::Any()).code(),
            core::StatusCode::kNotFound);
  // The global log keeps the events until a scavenge.
  EXPECT_EQ(
      store().ReadAll(0, 10, ReadFilter::ForTenant("acme"))->events.size(), 4u);
  auto scavenged = store().Scavenge();
  ASSERT_TRUE(scavenged.ok()) << scavenged.status();
  EXPECT_EQ(scavenged->events_removed, 3);
  EXPECT_EQ(scavenged->streams_removed, 1);
  auto left = store().ReadAll(0, 10, ReadFilter::ForTenant("acme"));
  ASSERT_EQ(left->events.size(), 1u);
  EXPECT_EQ(left->events[0]->position, 4);
  EXPECT_EQ(left->last_scanned_position, 4);
  EXPECT_EQ(*store().HeadPosition(), 4);
  auto next = store().Append("acme", "keep", ExpectedVersion::Any(),
                             NewEvents("acme", 1));
  EXPECT_EQ(next->first_position, 5);  // positions are never reused
}

TEST_P(EventStoreConformanceTest, StreamMetadataHidesAndScavengeRemoves) {
  ASSERT_TRUE(
      store()
          .Append("acme", "s", ExpectedVersion::Any(), NewEvents("acme", 4))
          .ok());
  EXPECT_EQ(*store().GetStreamMetadata("acme", "s"), StreamMetadata{});
  StreamMetadata meta;
  meta.max_count = 3;
  meta.truncate_before = 2;
  ASSERT_TRUE(store().SetStreamMetadata("acme", "s", meta).ok());
  EXPECT_EQ(*store().GetStreamMetadata("acme", "s"), meta);
  EXPECT_EQ(store().SetStreamMetadata("acme", "none", meta).code(),
            core::StatusCode::kNotFound);
  EXPECT_EQ(Ns(*store().ReadStream("acme", "s", 1, 10)),
            (std::vector<int64_t>{1, 2, 3}));
  clock_.Advance(std::chrono::hours(2));
  ASSERT_TRUE(
      store()
          .Append("acme", "s", ExpectedVersion::Any(), NewEvents("acme", 1))
          .ok());
  meta.max_count.reset();
  meta.truncate_before.reset();
  meta.max_age_ms = 3'600'000;  // one hour: the first four are too old
  ASSERT_TRUE(store().SetStreamMetadata("acme", "s", meta).ok());
  auto fresh = store().ReadStream("acme", "s", 1, 10);
  ASSERT_EQ(fresh->size(), 1u);
  EXPECT_EQ((*fresh)[0]->stream_version, 5);
  auto scavenged = store().Scavenge();
  ASSERT_TRUE(scavenged.ok());
  EXPECT_EQ(scavenged->events_removed, 4);
  EXPECT_EQ(
      store().ReadAll(0, 10, ReadFilter::ForTenant("acme"))->events.size(), 1u);
  EXPECT_EQ(*store().StreamVersion("acme", "s"), 5);
}

}  // namespace
}  // namespace stockpile::store
