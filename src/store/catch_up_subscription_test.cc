#include "store/catch_up_subscription.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <vector>

#include "core/clock.h"
#include "core/event.h"
#include "core/uuid.h"

namespace stockpile::store {
namespace {

constexpr std::chrono::milliseconds kWait(30000);  // a bound, not a threshold

core::EventPtr EventAt(int64_t position) {
  core::ManualClock clock;
  core::UuidV7Generator ids(clock);
  core::Event e = core::EventBuilder("test.thing.happened")
                      .Aggregate("thing", "t")
                      .Tenant("acme")
                      .BuildValue(ids, clock);
  e.position = position;
  return std::make_shared<const core::Event>(std::move(e));
}

// A subscription whose handler accepts everything.
std::unique_ptr<Subscription> Follow(CommitSignal& signal, PageReader reader) {
  return CatchUpSubscription::Start(
      signal, CatchUpSubscription::Cursor::kPosition, std::move(reader), 0,
      [](const core::EventPtr&) { return core::Status::Ok(); });
}

// A database restart makes reads fail with Unavailable for a while; the
// subscription must wait it out and resume where it was, not end (a read
// model or the figures of a process would otherwise stop for good).
TEST(CatchUpSubscriptionTest, UnavailableReadsAreRetriedFromTheSameCursor) {
  CommitSignal signal;
  std::atomic<int> failures_left{3};
  std::mutex mu;
  std::vector<int64_t> cursors_read;
  PageReader reader = [&](int64_t cursor,
                          size_t) -> core::Result<SubscriptionPage> {
    {
      std::lock_guard<std::mutex> lock(mu);
      cursors_read.push_back(cursor);
    }
    if (cursor == 1 && failures_left.fetch_sub(1) > 0) {
      return core::UnavailableError("postgres: cannot connect");
    }
    if (cursor >= 2) return SubscriptionPage{{}, cursor};
    return SubscriptionPage{{EventAt(cursor + 1)}, cursor + 1};
  };
  std::vector<int64_t> delivered;
  auto sub =
      CatchUpSubscription::Start(signal, CatchUpSubscription::Cursor::kPosition,
                                 reader, 0, [&](const core::EventPtr& e) {
                                   delivered.push_back(e->position);
                                   return core::Status::Ok();
                                 });
  ASSERT_TRUE(sub->WaitFor(2, kWait));
  EXPECT_TRUE(sub->status().ok()) << sub->status();
  sub->Stop();
  EXPECT_EQ(delivered, (std::vector<int64_t>{1, 2}));
  std::lock_guard<std::mutex> lock(mu);
  EXPECT_EQ(std::count(cursors_read.begin(), cursors_read.end(), 1), 4);
}

TEST(CatchUpSubscriptionTest, OtherReadErrorsEndTheSubscription) {
  CommitSignal signal;
  PageReader reader = [](int64_t, size_t) -> core::Result<SubscriptionPage> {
    return core::InternalError("corrupt page");
  };
  auto sub = Follow(signal, reader);
  EXPECT_FALSE(sub->WaitFor(1, kWait));
  EXPECT_EQ(sub->status().code(), core::StatusCode::kInternal);
}

TEST(CatchUpSubscriptionTest, StopEndsARetryingSubscriptionPromptly) {
  CommitSignal signal;
  PageReader reader = [](int64_t, size_t) -> core::Result<SubscriptionPage> {
    return core::UnavailableError("postgres: cannot connect");
  };
  auto sub = Follow(signal, reader);
  sub->Stop();  // returns: the backoff wait is interrupted
  EXPECT_TRUE(sub->status().ok());
  EXPECT_EQ(sub->last_delivered(), 0);
}

}  // namespace
}  // namespace stockpile::store
