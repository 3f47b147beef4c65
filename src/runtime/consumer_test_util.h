// Test helpers for the consumer runtime: an event appender, a recording
// handler whose outcome per event the test controls, and a fixture with
// in-memory stores and a manual clock.
#ifndef STOCKPILE_RUNTIME_CONSUMER_TEST_UTIL_H_
#define STOCKPILE_RUNTIME_CONSUMER_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/event.h"
#include "core/uuid.h"
#include "runtime/consumer.h"
#include "runtime/handler_context.h"
#include "runtime/in_memory_checkpoint_store.h"
#include "runtime/in_memory_dead_letter_store.h"
#include "runtime/in_memory_inbox_store.h"
#include "runtime/in_memory_transaction.h"
#include "runtime/store_event_source.h"
#include "store/event_store.h"
#include "store/in_memory_event_store.h"

namespace stockpile::runtime::testing {

// Polls `done` until it holds or 20 s (real time) passed.
inline bool WaitUntil(const std::function<bool()>& done) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

// Appends one event of `type` to aggregate `aggregate` of tenant "acme";
// returns its position.
inline int64_t AppendEvent(store::EventStore& store, core::UuidV7Generator& ids,
                           const core::Clock& clock,
                           const std::string& aggregate,
                           const std::string& type = "order.created") {
  core::Event event = core::EventBuilder(type)
                          .Aggregate("order", aggregate)
                          .Tenant("acme")
                          .BuildValue(ids, clock);
  auto result = store.Append("acme", aggregate, store::ExpectedVersion::Any(),
                             {std::move(event)});
  EXPECT_TRUE(result.ok()) << result.status();
  return result.ok() ? result->last_position : 0;
}

// Records every call; `decide` (default: Ok) chooses the outcome.
class RecordingHandler {
 public:
  using Decide = std::function<HandlerOutcome(const core::Event&, int attempt)>;

  explicit RecordingHandler(Decide decide = nullptr)
      : decide_(std::move(decide)) {}

  Handler AsHandler() {
    return [this](const core::EventPtr& event, HandlerContext& ctx) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        calls_[event->event_id] += 1;
        order_[event->aggregate_id].push_back(event->stream_version);
        attempts_seen_.push_back(ctx.attempt());
      }
      return decide_ ? decide_(*event, ctx.attempt()) : HandlerOutcome::Ok();
    };
  }

  int Calls(const std::string& event_id) const {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = calls_.find(event_id);
    return it == calls_.end() ? 0 : it->second;
  }
  int TotalCalls() const {
    std::lock_guard<std::mutex> lock(mu_);
    int total = 0;
    for (const auto& [id, n] : calls_) total += n;
    return total;
  }
  std::map<std::string, std::vector<int64_t>> Order() const {
    std::lock_guard<std::mutex> lock(mu_);
    return order_;
  }
  std::vector<int> AttemptsSeen() const {
    std::lock_guard<std::mutex> lock(mu_);
    return attempts_seen_;
  }

 private:
  const Decide decide_;
  mutable std::mutex mu_;
  std::map<std::string, int> calls_;                   // GUARDED_BY(mu_)
  std::map<std::string, std::vector<int64_t>> order_;  // GUARDED_BY(mu_)
  std::vector<int> attempts_seen_;                     // GUARDED_BY(mu_)
};

class InMemoryConsumerTest : public ::testing::Test {
 protected:
  InMemoryConsumerTest()
      : store_(store::MakeInMemoryEventStore()), ids_(clock_) {}
  ~InMemoryConsumerTest() override { consumer_.reset(); }

  ConsumerDeps Deps() {
    return ConsumerDeps{.source = &source_,
                        .transactions = &runner_,
                        .checkpoints = &checkpoints_,
                        .inbox = &inbox_,
                        .dead_letters = &dead_letters_,
                        .clock = &clock_,
                        .jitter = &jitter_};
  }
  // Subscription "billing" with `handler`, polling every millisecond.
  ConsumerOptions Options(RecordingHandler& handler) {
    ConsumerOptions options;
    options.name = "billing";
    options.handler = handler.AsHandler();
    options.poll_interval = std::chrono::milliseconds(1);
    return options;
  }
  void StartConsumer(ConsumerOptions options) {
    auto started = Consumer::Start(std::move(options), Deps());
    ASSERT_TRUE(started.ok()) << started.status();
    consumer_ = std::move(started).value();
  }
  int64_t Append(const std::string& aggregate,
                 const std::string& type = "order.created") {
    return AppendEvent(*store_, ids_, clock_, aggregate, type);
  }
  std::string EventIdAt(int64_t position) {
    auto page =
        store_->ReadAll(position - 1, 1, store::ReadFilter::AllTenants());
    EXPECT_TRUE(page.ok());
    return page->events.at(0)->event_id;
  }

  core::ManualClock clock_;
  std::unique_ptr<store::EventStore> store_;
  core::UuidV7Generator ids_;
  StoreEventSource source_{*store_};
  InMemoryTransactionRunner runner_;
  InMemoryCheckpointStore checkpoints_;
  InMemoryInboxStore inbox_;
  InMemoryDeadLetterStore dead_letters_;
  FixedJitter jitter_{0.5};
  std::unique_ptr<Consumer> consumer_;
};

}  // namespace stockpile::runtime::testing

#endif  // STOCKPILE_RUNTIME_CONSUMER_TEST_UTIL_H_
