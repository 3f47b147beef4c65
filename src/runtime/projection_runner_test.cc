#include "runtime/projection_runner.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "runtime/consumer_test_util.h"
#include "runtime/projection_test_util.h"
#include "store/in_memory_event_store.h"

namespace stockpile::runtime {
namespace {

using std::chrono::milliseconds;
using testing::DumpOrderSummary;
using testing::OrderSummaryProjection;

class ProjectionRunnerTest : public ::testing::Test {
 protected:
  ProjectionRunnerTest()
      : store_(store::MakeInMemoryEventStore()),
        ids_(clock_),
        dir_("projection") {}

  std::unique_ptr<ProjectionRunner> Open(const std::string& subdir = "a") {
    auto runner = ProjectionRunner::Open(
        std::make_unique<OrderSummaryProjection>(&poisoned_),
        {.directory = dir_.path() + "/" + subdir,
         .page_size = 7,
         .rebuild_page_size = 10},
        {.store = store_.get(), .clock = &clock_});
    EXPECT_TRUE(runner.ok()) << runner.status();
    return runner.ok() ? std::move(runner).value() : nullptr;
  }
  // 45 order events over 6 orders and 5 payment events (not projected).
  int64_t AppendHistory(int rounds = 5) {
    int64_t last = 0;
    const char* types[] = {"order.created", "order.confirmed", "order.shipped"};
    for (int r = 0; r < rounds; ++r) {
      for (int i = 0; i < 9; ++i) {
        last = testing::AppendEvent(*store_, ids_, clock_,
                                    "o-" + std::to_string(i % 6),
                                    types[(r + i) % 3]);
      }
      last = testing::AppendEvent(*store_, ids_, clock_, "p-1",
                                  "payment.succeeded");
    }
    return last;
  }
  static void CatchUp(ProjectionRunner& runner) {
    while (true) {
      auto applied = runner.CatchUpOnce();
      ASSERT_TRUE(applied.ok()) << applied.status();
      if (*applied == 0) return;
    }
  }
  static void FinishRebuild(ProjectionRunner& runner) {
    for (int i = 0; i < 1000; ++i) {
      auto done = runner.RebuildOnce();
      ASSERT_TRUE(done.ok()) << done.status();
      if (*done) return;
    }
    FAIL() << "the rebuild never finished";
  }

  core::ManualClock clock_;
  std::unique_ptr<store::EventStore> store_;
  core::UuidV7Generator ids_;
  testing::ScratchDir dir_;
  std::atomic<bool> poisoned_{false};
};

TEST_F(ProjectionRunnerTest, ARebuildEqualsTheIncrementalModel) {
  const int64_t last = AppendHistory();
  auto runner = Open();
  CatchUp(*runner);
  EXPECT_EQ(runner->Status().position, last);
  const std::vector<std::string> incremental = DumpOrderSummary(*runner);
  ASSERT_EQ(incremental.size(), 6u + 3u);
  EXPECT_EQ(incremental.back(), "order.shipped=15");

  ASSERT_TRUE(runner->BeginRebuild().ok());
  EXPECT_EQ(runner->BeginRebuild().code(),
            core::StatusCode::kFailedPrecondition);
  clock_.Advance(milliseconds(1500));
  FinishRebuild(*runner);
  EXPECT_EQ(DumpOrderSummary(*runner), incremental);
  ProjectionStatus status = runner->Status();
  EXPECT_EQ(status.state, ProjectionState::kRunning);
  EXPECT_EQ(status.generation, 2);
  EXPECT_EQ(status.position, last);
  EXPECT_EQ(status.last_rebuild_at_ms, clock_.NowMillis());
  EXPECT_EQ(status.last_rebuild_duration_ms, 1500);
  EXPECT_FALSE(status.rebuild.running);
  EXPECT_FALSE(std::filesystem::exists(dir_.path() + "/a/order_summary.1.db"));
}

TEST_F(ProjectionRunnerTest, ReadsDuringARebuildSeeTheOldCompleteModel) {
  AppendHistory();
  auto runner = Open();
  CatchUp(*runner);
  const std::vector<std::string> before = DumpOrderSummary(*runner);

  ASSERT_TRUE(runner->BeginRebuild().ok());
  clock_.Advance(milliseconds(2000));
  // 10 order events: positions 1..11 of 50 (10 is a payment).
  ASSERT_EQ(*runner->RebuildOnce(), false);
  EXPECT_EQ(DumpOrderSummary(*runner), before);
  ProjectionStatus status = runner->Status();
  EXPECT_EQ(status.state, ProjectionState::kRebuilding);
  EXPECT_TRUE(status.rebuild.running);
  EXPECT_EQ(status.rebuild.done, 11);
  EXPECT_EQ(status.rebuild.total, 50);
  EXPECT_DOUBLE_EQ(status.rebuild.positions_per_second, 5.5);  // in 2 s
  EXPECT_EQ(status.rebuild.eta_ms, 7090);  // 39 more at 5.5/s

  // The live copy keeps following the log meanwhile, and the swap brings
  // the shadow up to the same point.
  const int64_t later =
      testing::AppendEvent(*store_, ids_, clock_, "o-new", "order.created");
  CatchUp(*runner);
  const std::vector<std::string> live = DumpOrderSummary(*runner);
  EXPECT_EQ(live.size(), before.size() + 1);
  FinishRebuild(*runner);
  EXPECT_EQ(runner->Status().position, later);
  EXPECT_EQ(DumpOrderSummary(*runner), live);
}

TEST_F(ProjectionRunnerTest, AKilledRebuildResumesWhereItStopped) {
  AppendHistory();
  std::vector<std::string> incremental;
  {
    auto runner = Open();
    CatchUp(*runner);
    incremental = DumpOrderSummary(*runner);
    ASSERT_TRUE(runner->BeginRebuild().ok());
    ASSERT_EQ(*runner->RebuildOnce(), false);
    ASSERT_EQ(*runner->RebuildOnce(), false);
  }  // the process dies here: 20 events (positions 1..22) in the shadow

  auto runner = Open();
  ProjectionStatus status = runner->Status();
  EXPECT_EQ(status.state, ProjectionState::kRebuilding);
  EXPECT_EQ(status.generation, 1);
  EXPECT_EQ(status.rebuild.done, 22);
  EXPECT_EQ(DumpOrderSummary(*runner), incremental);  // still the old copy
  FinishRebuild(*runner);
  EXPECT_EQ(DumpOrderSummary(*runner), incremental);
  EXPECT_EQ(runner->Status().generation, 2);

  // And after another restart the new copy is the live one; the old file,
  // had the process died before deleting it, is gone.
  runner.reset();
  const std::string old_copy = dir_.path() + "/a/order_summary.1.db";
  std::filesystem::copy_file(dir_.path() + "/a/order_summary.2.db", old_copy);
  runner = Open();
  EXPECT_FALSE(std::filesystem::exists(old_copy));
  EXPECT_EQ(runner->Status().generation, 2);
  EXPECT_EQ(runner->Status().state, ProjectionState::kRunning);
  EXPECT_EQ(DumpOrderSummary(*runner), incremental);
}

TEST_F(ProjectionRunnerTest, AFailingPageRollsBackWhole) {
  poisoned_ = true;
  testing::AppendEvent(*store_, ids_, clock_, "o-1", "order.created");
  testing::AppendEvent(*store_, ids_, clock_, "o-1", "order.poison");
  const int64_t last =
      testing::AppendEvent(*store_, ids_, clock_, "o-1", "order.shipped");
  auto runner = Open();
  auto applied = runner->CatchUpOnce();
  EXPECT_EQ(applied.status().code(), core::StatusCode::kInternal);
  ProjectionStatus status = runner->Status();
  EXPECT_EQ(status.position, 0);
  EXPECT_EQ(status.state, ProjectionState::kFailed);
  EXPECT_NE(status.last_error.find("at position 2"), std::string::npos);
  EXPECT_TRUE(DumpOrderSummary(*runner).empty());

  poisoned_ = false;
  EXPECT_EQ(*runner->CatchUpOnce(), 3u);
  EXPECT_EQ(runner->Status().position, last);
  EXPECT_EQ(runner->Status().state, ProjectionState::kRunning);
  EXPECT_EQ(DumpOrderSummary(*runner).front(), "acme|o-1|order.shipped|3|3");
}

TEST_F(ProjectionRunnerTest, RejectsABadName) {
  class BadName final : public Projection {
   public:
    std::string_view name() const override { return "Orders; DROP"; }
    std::vector<std::string> type_patterns() const override { return {}; }
    std::vector<std::string_view> Schema() const override { return {}; }
    core::Status Apply(const core::Event&, ReadModelTx&) override {
      return core::Status::Ok();
    }
  };
  auto runner = ProjectionRunner::Open(
      std::make_unique<BadName>(), {.directory = dir_.path()},
      {.store = store_.get(), .clock = &clock_});
  EXPECT_EQ(runner.status().code(), core::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace stockpile::runtime
