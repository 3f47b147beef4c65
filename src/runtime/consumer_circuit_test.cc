// The circuit breaker inside a running Consumer, driven by a manual clock.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "runtime/consumer.h"
#include "runtime/consumer_test_util.h"

namespace stockpile::runtime {
namespace {

using std::chrono::milliseconds;
using testing::RecordingHandler;
using testing::WaitUntil;

class ConsumerCircuitTest : public testing::InMemoryConsumerTest {
 protected:
  // Gives the workers many polls (1 ms each) to start a delivery they must
  // not start. Passing never depends on it: a broken breaker fails the
  // check that follows.
  static void LetWorkersPoll() {
    std::this_thread::sleep_for(milliseconds(50));
  }
};

TEST_F(ConsumerCircuitTest, OpensCoolsDownAndProbes) {
  std::atomic<bool> failing{true};
  RecordingHandler handler([&](const core::Event&, int) {
    return failing.load() ? HandlerOutcome::Permanent("dependency down")
                          : HandlerOutcome::Ok();
  });
  int64_t last = 0;
  for (int i = 0; i < 6; ++i) last = Append("o-" + std::to_string(i));
  ConsumerOptions options = Options(handler);
  options.circuit_breaker = {.failure_threshold = 3,
                             .cool_down = milliseconds(10000)};
  StartConsumer(std::move(options));

  // Three failures open it; nothing more is delivered during the cool-down.
  ASSERT_TRUE(WaitUntil(
      [&] { return consumer_->Stats().state == ConsumerState::kCircuitOpen; }));
  ConsumerStats stats = consumer_->Stats();
  EXPECT_EQ(stats.circuit, CircuitState::kOpen);
  EXPECT_EQ(stats.circuit_opens, 1);
  EXPECT_EQ(stats.circuit_open_until_ms, clock_.NowMillis() + 10000);
  EXPECT_EQ(stats.parked, 3);
  clock_.Advance(milliseconds(9999));
  LetWorkersPoll();
  EXPECT_EQ(handler.TotalCalls(), 3);

  // The probe fails: open again for a full cool-down.
  clock_.Advance(milliseconds(1));
  ASSERT_TRUE(WaitUntil([&] { return consumer_->Stats().circuit_opens == 2; }));
  EXPECT_EQ(handler.TotalCalls(), 4);
  EXPECT_EQ(consumer_->Stats().circuit, CircuitState::kOpen);
  LetWorkersPoll();
  EXPECT_EQ(handler.TotalCalls(), 4);

  // The next probe succeeds: closed, and the rest flows.
  failing = false;
  clock_.Advance(milliseconds(10000));
  ASSERT_TRUE(consumer_->WaitForCheckpoint(last, milliseconds(20000)));
  stats = consumer_->Stats();
  EXPECT_EQ(stats.state, ConsumerState::kRunning);
  EXPECT_EQ(stats.circuit, CircuitState::kClosed);
  EXPECT_EQ(stats.processed, 2);
  EXPECT_EQ(handler.TotalCalls(), 6);
}

TEST_F(ConsumerCircuitTest, RetriesCountAsFailuresAndTheProbeMayBeARetry) {
  std::atomic<bool> failing{true};
  RecordingHandler handler([&](const core::Event&, int) {
    return failing.load() ? HandlerOutcome::Retryable("503")
                          : HandlerOutcome::Ok();
  });
  const int64_t pos = Append("o-1");
  ConsumerOptions options = Options(handler);
  options.circuit_breaker = {.failure_threshold = 2,
                             .cool_down = milliseconds(5000)};
  StartConsumer(std::move(options));
  // attempt 1 fails (retry due in 500 ms), attempt 2 fails: open.
  ASSERT_TRUE(WaitUntil([&] { return consumer_->Stats().retried == 1; }));
  clock_.Advance(milliseconds(500));
  ASSERT_TRUE(WaitUntil([&] { return consumer_->Stats().circuit_opens == 1; }));
  // The retry (due after 1000 ms) waits for the cool-down as well.
  clock_.Advance(milliseconds(4999));
  LetWorkersPoll();
  EXPECT_EQ(handler.TotalCalls(), 2);
  failing = false;
  clock_.Advance(milliseconds(1));
  ASSERT_TRUE(consumer_->WaitForCheckpoint(pos, milliseconds(20000)));
  EXPECT_EQ(handler.TotalCalls(), 3);
  EXPECT_EQ(consumer_->Stats().circuit, CircuitState::kClosed);
}

TEST_F(ConsumerCircuitTest, OffByDefault) {
  RecordingHandler handler([](const core::Event&, int) {
    return HandlerOutcome::Permanent("always");
  });
  int64_t last = 0;
  for (int i = 0; i < 20; ++i) last = Append("o-" + std::to_string(i));
  StartConsumer(Options(handler));
  ASSERT_TRUE(consumer_->WaitForCheckpoint(last, milliseconds(20000)));
  EXPECT_EQ(consumer_->Stats().parked, 20);
  EXPECT_EQ(consumer_->Stats().circuit_opens, 0);
}

}  // namespace
}  // namespace stockpile::runtime
