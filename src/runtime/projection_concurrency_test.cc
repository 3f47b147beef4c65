// A rebuild running beside live updates and readers (runs under TSan too).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "runtime/consumer_test_util.h"
#include "runtime/projection_runner.h"
#include "runtime/projection_test_util.h"
#include "store/in_memory_event_store.h"

namespace stockpile::runtime {
namespace {

using std::chrono::milliseconds;

TEST(ProjectionConcurrencyTest, ReadersNeverSeeAHalfBuiltModel) {
  core::ManualClock clock;
  core::UuidV7Generator ids(clock);
  auto store = store::MakeInMemoryEventStore();
  testing::ScratchDir dir("projection-concurrency");
  auto open = [&](const std::string& subdir) {
    auto runner = ProjectionRunner::Open(
        std::make_unique<testing::OrderSummaryProjection>(),
        {.directory = dir.path() + "/" + subdir,
         .page_size = 16,
         .rebuild_page_size = 32,
         .poll_interval = milliseconds(1)},
        {.store = store.get(), .clock = &clock});
    EXPECT_TRUE(runner.ok()) << runner.status();
    return std::move(runner).value();
  };
  auto append = [&](int n) {
    int64_t last = 0;
    for (int i = 0; i < n; ++i) {
      last = testing::AppendEvent(*store, ids, clock,
                                  "o-" + std::to_string(i % 17));
    }
    return last;
  };
  append(600);
  auto runner = open("live");
  ASSERT_TRUE(runner->Start().ok());

  // Readers check that the rows and the checkpoint they see belong to one
  // complete state: one order.created row per event up to the checkpoint.
  std::atomic<bool> done{false};
  std::atomic<int> bad{0};
  std::atomic<int> reads{0};
  std::thread reader([&] {
    int64_t last_seen = 0;
    while (!done.load()) {
      core::Status read =
          runner->Read([&](store::SqliteDb& db) -> core::Status {
            ASSIGN_OR_RETURN(
                auto st,
                db.Prepare(
                    "SELECT (SELECT coalesce(sum(n), 0) FROM type_counts),"
                    " (SELECT position FROM projection_checkpoint)"));
            ASSIGN_OR_RETURN(bool row, st.Step());
            if (!row || st.Int(0) != st.Int(1) || st.Int(1) < last_seen) {
              bad.fetch_add(1);
            }
            if (row) last_seen = st.Int(1);
            return core::Status::Ok();
          });
      if (!read.ok()) bad.fetch_add(1);
      reads.fetch_add(1);
    }
  });

  ASSERT_TRUE(runner->Rebuild().ok());
  const int64_t last = append(400);  // live appends during the rebuild
  ASSERT_TRUE(testing::WaitUntil([&] {
    ProjectionStatus s = runner->Status();
    return !s.rebuild.running && s.position == last;
  }));
  testing::WaitUntil([&] { return reads.load() > 0; });
  done = true;
  reader.join();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_EQ(runner->Status().generation, 2);
  EXPECT_EQ(runner->Status().last_error, "");

  // A second rebuild in the same process runs and swaps as well.
  ASSERT_TRUE(runner->Rebuild().ok());
  ASSERT_TRUE(
      testing::WaitUntil([&] { return runner->Status().generation == 3; }));

  // The same model as one built incrementally from scratch.
  auto fresh = open("fresh");
  ASSERT_TRUE(fresh->Start().ok());
  ASSERT_TRUE(fresh->WaitForPosition(last, milliseconds(20000)));
  EXPECT_EQ(testing::DumpOrderSummary(*fresh),
            testing::DumpOrderSummary(*runner));
}

}  // namespace
}  // namespace stockpile::runtime
