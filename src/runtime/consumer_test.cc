#include "runtime/consumer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <set>
#include <string>

#include "runtime/consumer_test_util.h"

namespace stockpile::runtime {
namespace {

using std::chrono::milliseconds;
using testing::RecordingHandler;
using testing::WaitUntil;

// The in-memory stores, a manual clock and helpers (consumer_test_util.h).
class ConsumerTest : public testing::InMemoryConsumerTest {};

TEST_F(ConsumerTest, HandlesHistoryThenLiveAndCheckpointsPastThem) {
  RecordingHandler handler;
  for (int i = 0; i < 5; ++i) Append("o-" + std::to_string(i));
  StartConsumer(Options(handler));
  const int64_t last = Append("o-live");
  ASSERT_TRUE(consumer_->WaitForCheckpoint(last, milliseconds(20000)));
  EXPECT_EQ(handler.TotalCalls(), 6);
  EXPECT_EQ(consumer_->Stats().processed, 6);
  EXPECT_EQ(consumer_->Stats().lag_events, 0);
  consumer_->Stop();
  EXPECT_EQ(*checkpoints_.Load("billing"), last);
}

TEST_F(ConsumerTest, OnlyMatchingTypesReachTheHandler) {
  RecordingHandler handler;
  Append("o-1", "order.created");
  Append("p-1", "payment.succeeded");
  const int64_t last = Append("o-1", "order.shipped");
  ConsumerOptions options = Options(handler);
  options.type_patterns = {"order.*"};
  StartConsumer(std::move(options));
  ASSERT_TRUE(consumer_->WaitForCheckpoint(last, milliseconds(20000)));
  EXPECT_EQ(handler.TotalCalls(), 2);
}

TEST_F(ConsumerTest, RetriesFollowTheScheduleOnTheClock) {
  RecordingHandler handler([](const core::Event&, int attempt) {
    return attempt < 3 ? HandlerOutcome::Retryable("db busy")
                       : HandlerOutcome::Ok();
  });
  const int64_t pos = Append("o-1");
  const std::string id = EventIdAt(pos);
  StartConsumer(Options(handler));

  ASSERT_TRUE(WaitUntil([&] { return consumer_->Stats().retried == 1; }));
  auto record = dead_letters_.Get(DeadLetterId("billing", id));
  ASSERT_TRUE(record.ok());
  EXPECT_EQ(record->state, DeadLetterState::kRetrying);
  EXPECT_EQ(record->attempts, 1);
  // Full jitter of 0.5 on the 1 s base delay.
  EXPECT_EQ(record->next_attempt_at_ms, clock_.NowMillis() + 500);
  EXPECT_EQ(consumer_->checkpoint(), pos - 1);

  clock_.Advance(milliseconds(499));
  consumer_->Stop();  // a worker that ran early would have called again
  EXPECT_EQ(handler.Calls(id), 1);

  // The schedule is durable: a new consumer waits for the same due time.
  StartConsumer(Options(handler));
  clock_.Advance(milliseconds(1));
  ASSERT_TRUE(WaitUntil([&] { return handler.Calls(id) == 2; }));
  ASSERT_TRUE(WaitUntil([&] {
    auto r = dead_letters_.Get(DeadLetterId("billing", id));
    return r.ok() && r->attempts == 2;
  }));
  EXPECT_EQ(dead_letters_.Get(DeadLetterId("billing", id))->next_attempt_at_ms,
            clock_.NowMillis() + 1000);  // x2
  clock_.Advance(milliseconds(1000));
  ASSERT_TRUE(consumer_->WaitForCheckpoint(pos, milliseconds(20000)));
  EXPECT_EQ(handler.Calls(id), 3);
  EXPECT_EQ(handler.AttemptsSeen(), (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(dead_letters_.Get(DeadLetterId("billing", id)).status().code(),
            core::StatusCode::kNotFound);
  EXPECT_TRUE(*inbox_.Contains("billing", id));
}

TEST_F(ConsumerTest, ParksAfterTheLastAttemptAndContinues) {
  std::atomic<bool> poison_fails{true};
  const int64_t poison = Append("o-1", "order.created");
  RecordingHandler handler([&](const core::Event& e, int) {
    return e.position == poison && poison_fails.load()
               ? HandlerOutcome::Retryable("boom")
               : HandlerOutcome::Ok();
  });
  const int64_t later = Append("o-1", "order.shipped");
  ConsumerOptions options = Options(handler);
  options.retry.max_attempts = 2;
  StartConsumer(std::move(options));

  ASSERT_TRUE(WaitUntil([&] { return consumer_->Stats().retried == 1; }));
  const int64_t first_failure = clock_.NowMillis();
  clock_.Advance(milliseconds(500));
  ASSERT_TRUE(consumer_->WaitForCheckpoint(later, milliseconds(20000)));

  auto parked = dead_letters_.List("billing");
  ASSERT_TRUE(parked.ok());
  ASSERT_EQ(parked->size(), 1u);
  const DeadLetter& d = parked->front();
  EXPECT_EQ(d.event_id, EventIdAt(poison));
  EXPECT_EQ(d.event_type, "order.created");
  EXPECT_EQ(d.error, "boom");
  EXPECT_EQ(d.attempts, 2);
  EXPECT_EQ(d.first_failed_at_ms, first_failure);
  EXPECT_EQ(d.last_failed_at_ms, first_failure + 500);
  EXPECT_EQ(d.state, DeadLetterState::kParked);
  EXPECT_EQ(handler.Calls(EventIdAt(later)), 1);  // park-and-continue
  EXPECT_EQ(consumer_->Stats().parked, 1);
  EXPECT_EQ(consumer_->Stats().last_error, "boom");

  // Redrive delivers it exactly once, even when asked twice.
  poison_fails = false;
  ASSERT_TRUE(consumer_->Redrive(d.id).ok());
  ASSERT_TRUE(consumer_->Redrive(d.id).ok() ||
              dead_letters_.Get(d.id).status().code() ==
                  core::StatusCode::kNotFound);
  ASSERT_TRUE(WaitUntil([&] { return !dead_letters_.Get(d.id).ok(); }));
  consumer_->Stop();
  EXPECT_EQ(handler.Calls(d.event_id), 3);
  EXPECT_TRUE(*inbox_.Contains("billing", d.event_id));
}

TEST_F(ConsumerTest, PermanentFailureParksAtOnce) {
  RecordingHandler handler([](const core::Event&, int) {
    return HandlerOutcome::Permanent("no such product");
  });
  const int64_t pos = Append("o-1");
  StartConsumer(Options(handler));
  ASSERT_TRUE(consumer_->WaitForCheckpoint(pos, milliseconds(20000)));
  EXPECT_EQ(handler.TotalCalls(), 1);
  auto parked = dead_letters_.List("billing");
  ASSERT_EQ(parked->size(), 1u);
  EXPECT_EQ(parked->front().attempts, 1);
  EXPECT_EQ(parked->front().error, "no such product");
}

TEST_F(ConsumerTest, RedriveAllDeliversEachParkedEventOnce) {
  std::atomic<bool> failing{true};
  RecordingHandler handler([&](const core::Event&, int) {
    return failing.load() ? HandlerOutcome::Permanent("down")
                          : HandlerOutcome::Ok();
  });
  Append("o-1");
  Append("o-2");
  const int64_t last = Append("o-1");
  StartConsumer(Options(handler));
  ASSERT_TRUE(consumer_->WaitForCheckpoint(last, milliseconds(20000)));
  ASSERT_EQ(dead_letters_.List("billing")->size(), 3u);

  // A redrive that fails again parks again, still once per redrive.
  auto again = consumer_->RedriveAll();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 3);
  ASSERT_TRUE(WaitUntil([&] { return handler.TotalCalls() == 6; }));
  ASSERT_TRUE(WaitUntil([&] {
    auto list = dead_letters_.List("billing");
    for (const DeadLetter& d : *list) {
      if (d.state != DeadLetterState::kParked || d.attempts != 2) return false;
    }
    return list->size() == 3;
  }));

  failing = false;
  ASSERT_EQ(*consumer_->RedriveAll(), 3);
  ASSERT_TRUE(
      WaitUntil([&] { return dead_letters_.List("billing")->empty(); }));
  consumer_->Stop();
  EXPECT_EQ(handler.TotalCalls(), 9);
  EXPECT_EQ(consumer_->Stats().processed, 3);
}

TEST_F(ConsumerTest, StopTheAggregateHoldsLaterEventsUntilRedrive) {
  std::atomic<bool> failing{true};
  const int64_t first = Append("o-1", "order.created");
  RecordingHandler handler([&](const core::Event& e, int) {
    return e.position == first && failing.load()
               ? HandlerOutcome::Permanent("bad")
               : HandlerOutcome::Ok();
  });
  const int64_t second = Append("o-1", "order.shipped");
  const int64_t other = Append("o-2", "order.created");
  ConsumerOptions options = Options(handler);
  options.failure_policy = FailurePolicy::kStopAggregate;
  StartConsumer(std::move(options));

  ASSERT_TRUE(WaitUntil([&] { return handler.Calls(EventIdAt(other)) == 1; }));
  ASSERT_TRUE(WaitUntil([&] { return consumer_->Stats().parked == 1; }));
  EXPECT_EQ(handler.Calls(EventIdAt(second)), 0);
  EXPECT_EQ(consumer_->checkpoint(), first);  // parked, but `second` waits

  failing = false;
  const std::string id = dead_letters_.List("billing")->front().id;
  ASSERT_TRUE(consumer_->Redrive(id).ok());
  ASSERT_TRUE(consumer_->WaitForCheckpoint(other, milliseconds(20000)));
  EXPECT_EQ(handler.Calls(EventIdAt(second)), 1);
  EXPECT_EQ(handler.Order()["o-1"], (std::vector<int64_t>{1, 1, 2}));
}

TEST_F(ConsumerTest, InboxMakesRedeliveryHarmless) {
  std::atomic<int> effects{0};
  RecordingHandler handler;
  ConsumerOptions options = Options(handler);
  Handler record = handler.AsHandler();
  options.handler = [&, record](const core::EventPtr& e, HandlerContext& ctx) {
    ctx.AddEffect([&](Transaction&) {
      effects.fetch_add(1);
      return core::Status::Ok();
    });
    return record(e, ctx);
  };
  int64_t last = 0;
  for (int i = 0; i < 10; ++i) last = Append("o-" + std::to_string(i % 3));
  StartConsumer(options);
  ASSERT_TRUE(consumer_->WaitForCheckpoint(last, milliseconds(20000)));
  consumer_->Stop();
  consumer_.reset();

  // Lose the checkpoint (a crash before it was saved): everything comes
  // again, and the inbox turns every redelivery into a no-op.
  InMemoryCheckpointStore fresh;
  ConsumerDeps deps = Deps();
  deps.checkpoints = &fresh;
  auto again = Consumer::Start(options, deps);
  ASSERT_TRUE(again.ok());
  ASSERT_TRUE((*again)->WaitForCheckpoint(last, milliseconds(20000)));
  EXPECT_EQ((*again)->Stats().duplicates, 10);
  EXPECT_EQ(handler.TotalCalls(), 10);
  EXPECT_EQ(effects.load(), 10);
}

// The inbox lookup before a handler is for events an earlier delivery may
// have handled: those already in the log when the consumer started. Events
// appended afterwards are delivered once, so their first delivery skips it.
TEST_F(ConsumerTest, OnlyEventsFromBeforeTheStartAreLookedUpInTheInbox) {
  class CountingInbox final : public InboxStore {
   public:
    explicit CountingInbox(InboxStore& inner) : inner_(inner) {}
    core::Result<bool> Contains(std::string_view subscription,
                                std::string_view event_id) override {
      lookups.fetch_add(1);
      return inner_.Contains(subscription, event_id);
    }
    core::Result<bool> Contains(Transaction& tx, std::string_view subscription,
                                std::string_view event_id) override {
      return inner_.Contains(tx, subscription, event_id);
    }
    core::Status Add(Transaction& tx, std::string_view subscription,
                     std::string_view event_id) override {
      return inner_.Add(tx, subscription, event_id);
    }
    std::atomic<int> lookups{0};

   private:
    InboxStore& inner_;
  };
  CountingInbox inbox(inbox_);
  RecordingHandler handler;
  for (int i = 0; i < 4; ++i) Append("o-" + std::to_string(i));
  ConsumerDeps deps = Deps();
  deps.inbox = &inbox;
  auto consumer = Consumer::Start(Options(handler), deps);
  ASSERT_TRUE(consumer.ok()) << consumer.status();
  int64_t last = 0;
  for (int i = 0; i < 6; ++i) last = Append("o-" + std::to_string(i));
  ASSERT_TRUE((*consumer)->WaitForCheckpoint(last, milliseconds(20000)));
  EXPECT_EQ(handler.TotalCalls(), 10);
  EXPECT_EQ(inbox.lookups.load(), 4);
  EXPECT_EQ((*consumer)->Stats().processed, 10);
}

TEST_F(ConsumerTest, AFailingEffectRollsBackAndRetries) {
  std::atomic<int> tries{0};
  RecordingHandler handler;
  ConsumerOptions options = Options(handler);
  options.handler = [&](const core::EventPtr&, HandlerContext& ctx) {
    ctx.AddEffect([&](Transaction&) {
      return tries.fetch_add(1) == 0 ? core::UnavailableError("disk full")
                                     : core::Status::Ok();
    });
    return HandlerOutcome::Ok();
  };
  const int64_t pos = Append("o-1");
  StartConsumer(std::move(options));
  ASSERT_TRUE(WaitUntil([&] { return consumer_->Stats().retried == 1; }));
  EXPECT_FALSE(*inbox_.Contains("billing", EventIdAt(pos)));
  EXPECT_NE(consumer_->Stats().last_error.find("disk full"), std::string::npos);
  clock_.Advance(milliseconds(500));
  ASSERT_TRUE(consumer_->WaitForCheckpoint(pos, milliseconds(20000)));
  EXPECT_TRUE(*inbox_.Contains("billing", EventIdAt(pos)));
}

TEST_F(ConsumerTest, StallsWhenLagStaysAndProgressStops) {
  RecordingHandler handler([](const core::Event&, int attempt) {
    return attempt == 1 ? HandlerOutcome::Retryable("slow dependency")
                        : HandlerOutcome::Ok();
  });
  ConsumerOptions options = Options(handler);
  options.stall_after = milliseconds(10000);
  options.retry.base_delay = milliseconds(30000);
  options.retry.max_delay = milliseconds(30000);
  const int64_t pos = Append("o-1");
  StartConsumer(std::move(options));
  ASSERT_TRUE(WaitUntil([&] { return consumer_->Stats().retried == 1; }));
  EXPECT_EQ(consumer_->Stats().state, ConsumerState::kRunning);
  EXPECT_GT(consumer_->Stats().lag_events, 0);

  clock_.Advance(milliseconds(10000));
  EXPECT_EQ(consumer_->Stats().state, ConsumerState::kStalled);

  clock_.Advance(milliseconds(5000));  // the retry (15 s) is due
  ASSERT_TRUE(consumer_->WaitForCheckpoint(pos, milliseconds(20000)));
  EXPECT_EQ(consumer_->Stats().state, ConsumerState::kRunning);
}

TEST_F(ConsumerTest, PauseHoldsWorkUntilResume) {
  RecordingHandler handler;
  StartConsumer(Options(handler));
  consumer_->Pause();
  EXPECT_EQ(consumer_->Stats().state, ConsumerState::kPaused);
  const int64_t pos = Append("o-1");
  ASSERT_TRUE(WaitUntil([&] { return consumer_->Stats().in_flight == 1; }));
  EXPECT_EQ(handler.TotalCalls(), 0);
  consumer_->Resume();
  ASSERT_TRUE(consumer_->WaitForCheckpoint(pos, milliseconds(20000)));
  EXPECT_EQ(handler.TotalCalls(), 1);
}

TEST_F(ConsumerTest, RejectsInvalidOptions) {
  RecordingHandler handler;
  ConsumerOptions options = Options(handler);
  options.name = "";
  EXPECT_EQ(Consumer::Start(options, Deps()).status().code(),
            core::StatusCode::kInvalidArgument);
  options = Options(handler);
  options.type_patterns = {"Order..x"};
  EXPECT_EQ(Consumer::Start(options, Deps()).status().code(),
            core::StatusCode::kInvalidArgument);
  options = Options(handler);
  options.workers = 0;
  EXPECT_EQ(Consumer::Start(options, Deps()).status().code(),
            core::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace stockpile::runtime
