// Batch handlers: how batches are cut, committed and split on failure.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "runtime/consumer.h"
#include "runtime/consumer_test_util.h"

namespace stockpile::runtime {
namespace {

using std::chrono::milliseconds;
using testing::WaitUntil;

// Records every batch; fails a batch that holds an event of a poisoned
// aggregate.
class BatchRecorder {
 public:
  BatchHandler AsHandler() {
    return [this](std::span<const core::EventPtr> events, HandlerContext& ctx) {
      std::lock_guard<std::mutex> lock(mu_);
      sizes_.push_back(events.size());
      for (const core::EventPtr& e : events) {
        order_[e->aggregate_id].push_back(e->stream_version);
        if (poisoned_.count(e->aggregate_id) > 0) {
          return HandlerOutcome::Permanent("poison " + e->aggregate_id);
        }
      }
      const int64_t n = static_cast<int64_t>(events.size());
      ctx.AddEffect([this, n](Transaction&) {
        rows_.fetch_add(n);
        return core::Status::Ok();
      });
      return HandlerOutcome::Ok();
    };
  }
  void Poison(const std::string& aggregate) {
    std::lock_guard<std::mutex> lock(mu_);
    poisoned_.insert(aggregate);
  }
  std::vector<size_t> Sizes() const {
    std::lock_guard<std::mutex> lock(mu_);
    return sizes_;
  }
  std::map<std::string, std::vector<int64_t>> Order() const {
    std::lock_guard<std::mutex> lock(mu_);
    return order_;
  }
  int64_t rows() const { return rows_.load(); }

 private:
  mutable std::mutex mu_;
  std::vector<size_t> sizes_;                          // GUARDED_BY(mu_)
  std::map<std::string, std::vector<int64_t>> order_;  // GUARDED_BY(mu_)
  std::set<std::string> poisoned_;                     // GUARDED_BY(mu_)
  std::atomic<int64_t> rows_{0};
};

class ConsumerBatchTest : public testing::InMemoryConsumerTest {
 protected:
  ConsumerOptions BatchOptions(BatchRecorder& recorder, size_t max_events,
                               milliseconds flush) {
    ConsumerOptions options;
    options.name = "projection";
    options.batch_handler = recorder.AsHandler();
    options.batch = {.max_events = max_events, .flush_interval = flush};
    options.poll_interval = milliseconds(1);
    return options;
  }
};

TEST_F(ConsumerBatchTest, FullBatchesAtOnceAShortOneAtItsFlushTime) {
  BatchRecorder recorder;
  int64_t last = 0;
  for (int i = 0; i < 10; ++i) last = Append("o-" + std::to_string(i % 3));
  StartConsumer(BatchOptions(recorder, 4, milliseconds(1000)));

  ASSERT_TRUE(WaitUntil([&] { return consumer_->Stats().processed == 8; }));
  EXPECT_EQ(recorder.Sizes(), (std::vector<size_t>{4, 4}));
  EXPECT_EQ(consumer_->Stats().in_flight, 2);
  clock_.Advance(milliseconds(1000));
  ASSERT_TRUE(consumer_->WaitForCheckpoint(last, milliseconds(20000)));
  EXPECT_EQ(recorder.Sizes(), (std::vector<size_t>{4, 4, 2}));
  EXPECT_EQ(consumer_->Stats().batches, 3);
  EXPECT_EQ(recorder.rows(), 10);
  for (const auto& [aggregate, versions] : recorder.Order()) {
    for (size_t v = 0; v < versions.size(); ++v) {
      EXPECT_EQ(versions[v], static_cast<int64_t>(v + 1)) << aggregate;
    }
  }
}

TEST_F(ConsumerBatchTest, AFailedBatchIsRetriedEventByEvent) {
  BatchRecorder recorder;
  recorder.Poison("o-2");
  int64_t last = 0;
  for (int i = 0; i < 4; ++i) last = Append("o-" + std::to_string(i));
  StartConsumer(BatchOptions(recorder, 4, milliseconds(1000)));

  ASSERT_TRUE(consumer_->WaitForCheckpoint(last, milliseconds(20000)));
  EXPECT_EQ(recorder.Sizes(), (std::vector<size_t>{4, 1, 1, 1, 1}));
  EXPECT_EQ(recorder.rows(), 3);  // the failed batch's effect never ran
  ConsumerStats stats = consumer_->Stats();
  EXPECT_EQ(stats.processed, 3);
  EXPECT_EQ(stats.parked, 1);
  EXPECT_EQ(stats.last_error, "poison o-2");
  auto parked = dead_letters_.List("projection");
  ASSERT_EQ(parked->size(), 1u);
  EXPECT_EQ(parked->front().aggregate_id, "o-2");
  EXPECT_EQ(parked->front().attempts, 1);
}

TEST_F(ConsumerBatchTest, EventsTheInboxKnowsAreLeftOut) {
  BatchRecorder recorder;
  int64_t last = 0;
  for (int i = 0; i < 6; ++i) last = Append("o-" + std::to_string(i));
  ConsumerOptions options = BatchOptions(recorder, 3, milliseconds(0));
  StartConsumer(options);
  ASSERT_TRUE(consumer_->WaitForCheckpoint(last, milliseconds(20000)));
  consumer_.reset();

  // The checkpoint is lost: every event comes again, none reaches the
  // handler, no effect runs twice.
  InMemoryCheckpointStore fresh;
  ConsumerDeps deps = Deps();
  deps.checkpoints = &fresh;
  auto again = Consumer::Start(options, deps);
  ASSERT_TRUE(again.ok()) << again.status();
  ASSERT_TRUE((*again)->WaitForCheckpoint(last, milliseconds(20000)));
  EXPECT_EQ((*again)->Stats().duplicates, 6);
  EXPECT_EQ((*again)->Stats().processed, 0);
  EXPECT_EQ(recorder.rows(), 6);
}

TEST_F(ConsumerBatchTest, EachAggregateInOrderAcrossWorkers) {
  BatchRecorder recorder;
  ConsumerOptions options = BatchOptions(recorder, 5, milliseconds(0));
  options.workers = 3;
  StartConsumer(options);
  int64_t last = 0;
  for (int v = 0; v < 20; ++v) {
    for (int a = 0; a < 6; ++a) last = Append("agg-" + std::to_string(a));
  }
  ASSERT_TRUE(consumer_->WaitForCheckpoint(last, milliseconds(60000)));
  EXPECT_EQ(consumer_->Stats().processed, 120);
  EXPECT_EQ(recorder.rows(), 120);
  auto order = recorder.Order();
  ASSERT_EQ(order.size(), 6u);
  for (const auto& [aggregate, versions] : order) {
    ASSERT_EQ(versions.size(), 20u) << aggregate;
    for (size_t v = 0; v < versions.size(); ++v) {
      EXPECT_EQ(versions[v], static_cast<int64_t>(v + 1)) << aggregate;
    }
  }
}

TEST_F(ConsumerBatchTest, RejectsBothHandlersOrNone) {
  BatchRecorder recorder;
  ConsumerOptions options = BatchOptions(recorder, 4, milliseconds(0));
  options.handler = [](const core::EventPtr&, HandlerContext&) {
    return HandlerOutcome::Ok();
  };
  EXPECT_EQ(Consumer::Start(options, Deps()).status().code(),
            core::StatusCode::kInvalidArgument);
  options.handler = nullptr;
  options.batch_handler = nullptr;
  EXPECT_EQ(Consumer::Start(options, Deps()).status().code(),
            core::StatusCode::kInvalidArgument);
  options = BatchOptions(recorder, 0, milliseconds(0));
  EXPECT_EQ(Consumer::Start(options, Deps()).status().code(),
            core::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace stockpile::runtime
